//! 组织生活 quick entry: the org's roll as the attendance list, then the meeting with the
//! absent members marked (`Tx::add_activity` does the work).

use super::records::RecordOut;
use crate::error::Result;
use crate::model::{apply_fields, Activity, Fields, Id};
use crate::store::{display_name, org_attendance};
use crate::Store;
use serde::Serialize;
use std::collections::HashMap;

/// A member on an org's roll, present unless marked otherwise.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct RollEntry {
    pub member_id: String,
    pub name: String,
    pub present: bool,
}

/// The attendance list a new meeting of `org` starts with: every member on its rolls.
pub fn roster(store: &Store, org: &Id) -> Result<Vec<RollEntry>> {
    let roll = org_attendance(store.conn(), org)?;
    Ok(roll
        .into_iter()
        .map(|a| RollEntry {
            member_id: a.member_id.to_string(),
            name: display_name(store.conn(), "member", &a.member_id).unwrap_or_default(),
            present: a.present,
        })
        .collect())
}

/// Record a meeting from its form fields, attendance pre-filled from the org's rolls with
/// `absent` (member, reason) marked.
pub fn add_activity(
    store: &mut Store,
    fields: &[(String, String)],
    absent: &[(Id, Option<String>)],
) -> Result<RecordOut> {
    let rec: Activity = apply_fields(&Activity::blank(), fields, true)?;
    let absent: Vec<(Id, Option<String>)> = absent
        .iter()
        .map(|(id, reason)| {
            let reason = reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string);
            (*id, reason)
        })
        .collect();
    let added = store.write(|tx| tx.add_activity(rec, &absent))?;
    let stored: Activity = store.get(&added.meta.id)?;
    let record = serde_json::to_value(&stored)?;
    let mut names = HashMap::new();
    for a in &stored.attendance {
        if let Some(n) = display_name(store.conn(), "member", &a.member_id) {
            names.insert(a.member_id.to_string(), n);
        }
    }
    if let Some(n) = display_name(store.conn(), "org", &stored.org_id) {
        names.insert(stored.org_id.to_string(), n);
    }
    Ok(RecordOut { record, names })
}
