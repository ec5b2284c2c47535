//! Tauri commands, one module per domain. Each is a thin wrapper: decode what the window
//! sent, call the core on a blocking thread, hand back JSON or `{code, message}`.

pub mod activities;
pub mod dashboard;
pub mod demo;
pub mod excel;
pub mod exchange;
pub mod members;
pub mod photos;
pub mod records;
pub mod settings;

use crate::error::IpcError;

/// Run `$body` with `$T` bound to the record type named by `$entity` (the core's dispatch).
macro_rules! with_entity {
    ($entity:expr, $T:ident => $body:expr) => {
        taizhang::with_editable_type!($entity, $T => $body,
            other => Err($crate::commands::unknown_entity(other)))
    };
}
pub(crate) use with_entity;

pub fn unknown_entity(name: &str) -> IpcError {
    IpcError::input(format!("没有名为“{name}”的记录类型"))
}

/// Parse a record id sent by the window.
pub fn parse_id(raw: &str) -> Result<taizhang::model::Id, IpcError> {
    raw.parse().map_err(IpcError::input)
}
