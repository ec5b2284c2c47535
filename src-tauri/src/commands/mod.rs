//! Tauri commands, one module per domain. Each is a thin wrapper: decode what the window
//! sent, call the core on a blocking thread, hand back JSON or `{code, message}`.

pub mod activities;
pub mod applicants;
pub mod dashboard;
pub mod demo;
pub mod excel;
pub mod exchange;
pub mod members;
pub mod photos;
pub mod records;
pub mod settings;

use crate::error::IpcError;

/// Parse a record id sent by the window.
pub fn parse_id(raw: &str) -> Result<taizhang::model::Id, IpcError> {
    raw.parse().map_err(IpcError::input)
}
