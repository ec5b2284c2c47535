//! Excel: template profiles, tolerant reading, template writing, error workbooks.
pub mod normalize;
pub mod profile;
pub mod read;
pub mod layout;
pub mod resolve;
pub mod import;
pub mod errors_book;
