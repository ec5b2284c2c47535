//! 工作台 (`taizhang::api::dashboard`).

use crate::error::IpcResult;
use crate::state::Ledger;
use taizhang::api::dashboard::{dashboard as dashboard_of, Dashboard};
use tauri::State;

#[tauri::command]
pub async fn dashboard(state: State<'_, Ledger>) -> IpcResult<Dashboard> {
    state.run(|s| Ok(dashboard_of(s)?)).await
}
