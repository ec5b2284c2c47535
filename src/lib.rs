//! 两新党建台账 — the core library: domain model, SQLite store, rules, Excel and exchange.
//!
//! Everything that is not a window lives here; the desktop shell and the `taizhang` CLI are
//! thin layers over it (DESIGN.md §3).

pub mod api;
pub mod demo;
pub mod error;
pub mod excel;
pub mod exchange;
pub mod model;
pub mod private_files;
pub mod report;
pub mod rules;
pub mod store;
pub mod ui_types;

pub use error::{Error, Result};
pub use store::Store;
