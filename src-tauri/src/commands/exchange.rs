//! 数据交换: packages between PCs with no network, the conflicts they leave for a person,
//! and records entered twice on different PCs. All of it is the core's `exchange` module.

use crate::error::{IpcError, IpcResult};
use crate::state::Ledger;
use serde::Deserialize;
use std::path::PathBuf;
use taizhang::exchange::conflicts::{self, Conflict, Take};
use taizhang::exchange::devices::{self, Device};
use taizhang::exchange::duplicates::{self, Candidate};
use taizhang::exchange::{self as core, ExportOptions, ExportSummary, ImportSummary, Scope};
use tauri::State;

fn path_arg(raw: &str, what: &str) -> IpcResult<PathBuf> {
    // Windows' “复制为路径” wraps the path in quotes
    let raw = raw.trim().trim_matches('"');
    if raw.is_empty() {
        return Err(IpcError::input(format!("请选择{what}")));
    }
    Ok(PathBuf::from(raw))
}

#[tauri::command]
pub async fn exchange_devices(state: State<'_, Ledger>) -> IpcResult<Vec<Device>> {
    state.run(|s| Ok(devices::list(s)?)).await
}

#[tauri::command]
pub async fn rename_this_pc(state: State<'_, Ledger>, name: String) -> IpcResult<()> {
    state
        .run(move |s| Ok(devices::rename_this_pc(s, &name)?))
        .await
}

/// What to put in a package, as the window sends it.
#[derive(Debug, Deserialize)]
pub struct ExportArgs {
    pub out: String,
    /// Destination device id; none with `all` for a package anyone can take.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub all: bool,
    /// `all`, `org:<id>` or `area:<乡镇街道>`.
    #[serde(default)]
    pub scope: Option<String>,
}

#[tauri::command]
pub async fn export_package(
    state: State<'_, Ledger>,
    args: ExportArgs,
) -> IpcResult<ExportSummary> {
    let out = path_arg(&args.out, "交换包的保存位置")?;
    state
        .run(move |s| {
            let opts = ExportOptions {
                to: args.to.filter(|t| !t.trim().is_empty()),
                all: args.all,
                scope: args.scope.as_deref().map(Scope::parse).transpose()?,
            };
            Ok(core::export_package(s, &out, &opts)?)
        })
        .await
}

/// Check and merge a package (`dry_run`: only say what it would do).
#[tauri::command]
pub async fn import_package(
    state: State<'_, Ledger>,
    path: String,
    dry_run: bool,
) -> IpcResult<ImportSummary> {
    let path = path_arg(&path, "交换包文件")?;
    state
        .run(move |s| Ok(core::import_package(s, &path, dry_run)?))
        .await
}

#[tauri::command]
pub async fn list_conflicts(state: State<'_, Ledger>) -> IpcResult<Vec<Conflict>> {
    state.run(|s| Ok(conflicts::list(s)?)).await
}

/// A person's decision on a conflict: keep this PC's value, take the other's, or write one.
#[derive(Debug, Deserialize, ts_rs::TS)]
#[serde(tag = "take", content = "value", rename_all = "snake_case")]
pub enum Decision {
    Local,
    Incoming,
    Value(String),
}

#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, Ledger>,
    id: String,
    decision: Decision,
) -> IpcResult<()> {
    let take = match decision {
        Decision::Local => Take::Local,
        Decision::Incoming => Take::Incoming,
        Decision::Value(v) => Take::Value(v),
    };
    state
        .run(move |s| Ok(conflicts::resolve(s, &id, take)?))
        .await
}

#[tauri::command]
pub async fn list_duplicates(state: State<'_, Ledger>) -> IpcResult<Vec<Candidate>> {
    state.run(|s| Ok(duplicates::list_candidates(s)?)).await
}

/// Merge `drop` into `keep` (two records of one 党员 or one 单位).
#[tauri::command]
pub async fn merge_duplicates(
    state: State<'_, Ledger>,
    keep: String,
    drop: String,
) -> IpcResult<taizhang::model::Entity> {
    let (keep, drop) = (super::parse_id(&keep)?, super::parse_id(&drop)?);
    state
        .run(move |s| Ok(duplicates::merge(s, keep, drop)?))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_arrive_as_the_window_sends_them() {
        let d: Decision = serde_json::from_str(r#"{"take":"incoming"}"#).unwrap();
        assert!(matches!(d, Decision::Incoming));
        // a value of "local" typed by a person is a value, not the word for this PC's side
        let d: Decision = serde_json::from_str(r#"{"take":"value","value":"local"}"#).unwrap();
        assert!(matches!(d, Decision::Value(v) if v == "local"));
    }
}
