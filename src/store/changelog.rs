//! The append-only change log: who changed what, on which PC, field by field.

use crate::error::Result;
use crate::model::Id;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{Map, Value};

/// Bookkeeping fields left out of diffs (they change on every write).
const META_FIELDS: [&str; 4] = ["id", "created_at", "updated_at", "device_id"];

/// One entry of the change log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChangeEntry {
    pub seq: i64,
    pub id: String,
    pub device_id: String,
    /// Per-device counter: orders a device's changes without trusting its clock.
    pub device_seq: i64,
    /// 操作人
    pub actor: String,
    /// 时间 (wall clock of the device, for people to read)
    pub at: String,
    pub entity: String,
    pub record_id: String,
    pub parent_id: Option<String>,
    /// insert | update
    pub op: String,
    /// field → [old, new]
    pub changes: Map<String, Value>,
}

/// Field-level differences between two serialised records (`old = None` for an insert,
/// where only fields with a value are listed).
pub fn diff(old: Option<&Value>, new: &Value) -> Map<String, Value> {
    let empty = Map::new();
    let old_map = old.and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Map::new();
    if let Some(new_map) = new.as_object() {
        for (k, v) in new_map {
            if META_FIELDS.contains(&k.as_str()) {
                continue;
            }
            let before = old_map.get(k).unwrap_or(&Value::Null);
            // An insert lists every field with a value (empty lists too: another PC rebuilds
            // the record from this entry).
            if before != v && !(old.is_none() && v.is_null()) {
                out.insert(k.clone(), Value::Array(vec![before.clone(), v.clone()]));
            }
        }
    }
    out
}

/// The version ("device:seq") that last set each field of a record here: the latest entry
/// touching the field, in local order, that took effect (imported entries may skip fields).
pub fn field_versions(
    conn: &Connection,
    record_id: &Id,
) -> Result<std::collections::HashMap<String, String>> {
    let mut st = conn.prepare_cached(
        "SELECT device_id, device_seq, changes, skipped FROM change_log WHERE record_id = ?1 ORDER BY seq",
    )?;
    let mut out = std::collections::HashMap::new();
    let rows = st.query_map([record_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (device, seq, changes, skipped) = row?;
        let changes: Map<String, Value> = serde_json::from_str(&changes).unwrap_or_default();
        let skipped: Vec<String> = serde_json::from_str(&skipped).unwrap_or_default();
        for f in changes.keys().filter(|f| !skipped.contains(f)) {
            out.insert(f.clone(), format!("{device}:{seq}"));
        }
    }
    Ok(out)
}

/// The version ("device:seq") that last set one field of a record here, if any: like
/// [`field_versions`] for a single field, answered by SQLite without parsing every entry.
pub fn field_version(conn: &Connection, record_id: &str, field: &str) -> Result<Option<String>> {
    let mut st = conn.prepare_cached(
        "SELECT device_id || ':' || device_seq FROM change_log
         WHERE record_id = ?1 AND json_type(changes, '$.' || ?2) IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM json_each(skipped) WHERE value = ?2)
         ORDER BY seq DESC LIMIT 1",
    )?;
    Ok(st
        .query_row(rusqlite::params![record_id, field], |r| r.get(0))
        .optional()?)
}

/// A record's history: its own entries and those of records it parents (a member's events).
pub fn history(conn: &Connection, id: &Id) -> Result<Vec<ChangeEntry>> {
    let mut st = conn.prepare_cached(
        "SELECT seq, id, device_id, device_seq, actor, at, entity, record_id, parent_id, op, changes
         FROM change_log WHERE record_id = ?1 OR parent_id = ?1 ORDER BY seq",
    )?;
    let key = id.to_string();
    let rows = st.query_map(params![key], |r| {
        let changes: String = r.get(10)?;
        Ok(ChangeEntry {
            seq: r.get(0)?,
            id: r.get(1)?,
            device_id: r.get(2)?,
            device_seq: r.get(3)?,
            actor: r.get(4)?,
            at: r.get(5)?,
            entity: r.get(6)?,
            record_id: r.get(7)?,
            parent_id: r.get(8)?,
            op: r.get(9)?,
            changes: serde_json::from_str(&changes).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_fields() {
        let old = json!({"id": "1", "updated_at": "a", "name": "张三", "phone": null, "n": 1});
        let new =
            json!({"id": "1", "updated_at": "b", "name": "张三", "phone": "13800000000", "n": 2});
        let d = diff(Some(&old), &new);
        assert_eq!(d.len(), 2);
        assert_eq!(d["phone"], json!([null, "13800000000"]));
        assert_eq!(d["n"], json!([1, 2]));
        let ins = diff(
            None,
            &json!({"id": "1", "name": "x", "note": null, "list": []}),
        );
        assert_eq!(ins.len(), 2, "name and the empty list; not the null note");
    }
}
