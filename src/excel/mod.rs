//! Excel: template profiles, tolerant reading, template writing, error workbooks.
pub mod coverage;
pub mod errors_book;
pub mod export;
#[cfg(test)]
mod fast_tests;
pub mod import;
pub mod layout;
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
mod speculate;
mod stream;
pub(crate) mod style;
mod to_cell;
pub mod wizard;
mod xls_guard;
