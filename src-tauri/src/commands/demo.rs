//! 演示数据: fill an empty ledger with the demo county (the core's deterministic generator).

use crate::error::IpcResult;
use crate::state::Ledger;
use taizhang::demo::{generate, DemoOptions, DemoSummary};
use tauri::State;

#[tauri::command]
pub async fn load_demo(state: State<'_, Ledger>, units: Option<usize>) -> IpcResult<DemoSummary> {
    state
        .run(move |s| {
            let opts = DemoOptions {
                units: units.unwrap_or(250).clamp(1, 5000),
                seed: 1,
                as_of: s.today(),
            };
            Ok(generate(s, &opts)?)
        })
        .await
}
