//! Excel: template profiles, tolerant reading, template writing, error workbooks.
mod attendance;
mod book_xml;
pub mod coverage;
pub mod error_log;
pub mod errors_book;
pub mod export;
#[cfg(test)]
mod fast_tests;
pub mod headers;
pub mod import;
pub mod layout;
pub mod mapping;
mod merges;
pub mod normalize;
mod pipeline;
pub mod profile;
pub mod progress;
pub mod read;
mod render;
pub mod resolve;
mod rows;
mod run;
mod sheet_xml;
mod speculate;
mod stream;
#[cfg(test)]
mod stream_tests;
pub(crate) mod style;
pub mod tell;
mod to_cell;
pub mod wizard;
mod xls_guard;
