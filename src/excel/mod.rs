//! Excel: template profiles, tolerant reading, template writing, error workbooks.
pub mod errors_book;
pub mod export;
pub mod import;
pub mod layout;
pub mod normalize;
pub mod profile;
pub mod read;
mod render;
pub mod resolve;
mod rows;
pub(crate) mod style;
pub mod wizard;
