//! 组织生活 quick entry: the org's roll as the attendance list, then the meeting with the
//! absent members marked — `Tx::add_activity` does the work.

use super::parse_id;
use crate::commands::records::RecordOut;
use crate::error::IpcResult;
use crate::state::Ledger;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use taizhang::model::{apply_fields, Activity, Fields, Id};
use taizhang::store::{display_name, org_attendance};
use tauri::State;

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct RollEntry {
    pub member_id: String,
    pub name: String,
    pub present: bool,
}

/// The attendance list a new meeting of `org_id` starts with: every member on its rolls.
#[tauri::command]
pub async fn attendance_roster(
    state: State<'_, Ledger>,
    org_id: String,
) -> IpcResult<Vec<RollEntry>> {
    state
        .run(move |s| {
            let org = parse_id(&org_id)?;
            let roll = org_attendance(s.conn(), &org)?;
            Ok(roll
                .into_iter()
                .map(|a| RollEntry {
                    member_id: a.member_id.to_string(),
                    name: display_name(s.conn(), "member", &a.member_id).unwrap_or_default(),
                    present: a.present,
                })
                .collect())
        })
        .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Absent {
    pub member_id: String,
    #[serde(default)]
    pub reason: Option<String>,
}

pub fn add_activity_to(
    s: &mut taizhang::Store,
    fields: BTreeMap<String, String>,
    absent: Vec<Absent>,
) -> IpcResult<RecordOut> {
    let inputs: Vec<(String, String)> = fields.into_iter().collect();
    let rec: Activity = apply_fields(&Activity::blank(), &inputs, true)?;
    let absent: Vec<(Id, Option<String>)> = absent
        .into_iter()
        .map(|a| {
            let reason = a
                .reason
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty());
            Ok((parse_id(&a.member_id)?, reason))
        })
        .collect::<IpcResult<_>>()?;
    let added = s.write(|tx| tx.add_activity(rec, &absent))?;
    let stored: Activity = s.get(&added.meta.id)?;
    let record = serde_json::to_value(&stored).map_err(taizhang::Error::from)?;
    let mut names = std::collections::HashMap::new();
    for a in &stored.attendance {
        if let Some(n) = display_name(s.conn(), "member", &a.member_id) {
            names.insert(a.member_id.to_string(), n);
        }
    }
    if let Some(n) = display_name(s.conn(), "org", &stored.org_id) {
        names.insert(stored.org_id.to_string(), n);
    }
    Ok(RecordOut { record, names })
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
        .run(move |s| add_activity_to(s, fields, absent.unwrap_or_default()))
        .await
}
