//! 组织生活 quick entry: the org's roll as the attendance list, then the meeting with the
//! absent members marked (`taizhang::api::activities`).

use super::parse_id;
use crate::error::IpcResult;
use crate::state::Ledger;
use serde::Deserialize;
use std::collections::BTreeMap;
use taizhang::api::activities::{self, RollEntry};
use taizhang::api::records::RecordOut;
use tauri::State;

/// The attendance list a new meeting of `org_id` starts with: every member on its rolls.
#[tauri::command]
pub async fn attendance_roster(
    state: State<'_, Ledger>,
    org_id: String,
) -> IpcResult<Vec<RollEntry>> {
    state
        .run(move |s| Ok(activities::roster(s, &parse_id(&org_id)?)?))
        .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Absent {
    pub member_id: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Record a meeting: fields as in the form, attendance pre-filled from the org's rolls with
/// the given members marked absent.
#[tauri::command]
pub async fn add_activity(
    state: State<'_, Ledger>,
    fields: BTreeMap<String, String>,
    absent: Option<Vec<Absent>>,
) -> IpcResult<RecordOut> {
    state
        .run(move |s| {
            let absent = absent
                .unwrap_or_default()
                .into_iter()
                .map(|a| Ok((parse_id(&a.member_id)?, a.reason)))
                .collect::<IpcResult<Vec<_>>>()?;
            let fields: Vec<(String, String)> = fields.into_iter().collect();
            Ok(activities::add_activity(s, &fields, &absent)?)
        })
        .await
}
