//! Records by type name. The desktop sends "member" or "unit"; an exchange package names the
//! table of each entry. One dispatch from that name to the Rust type lives here, with the
//! field-input operations the CLI and the desktop share (add through the type's own
//! operation, update, names of referenced records).

use super::query::display_name;
use super::{Saved, Store, Table};
use crate::error::Result;
use crate::model::fields::{apply_fields_reporting_all, FieldKind};
use crate::model::{apply_fields, Activity, Fields, Id, Member};
use rusqlite::Connection;
use serde_json::Value;
use std::collections::HashMap;

/// Run `$body` with `$T` bound to the record type stored under the name `$entity` (every
/// table, including 党员事件 and 检查表 definitions, see [`crate::model::Entity`]); any other
/// name runs `$fallback` with the name bound to `$other`.
#[macro_export]
macro_rules! with_record_type {
    ($entity:expr, $T:ident => $body:expr, $other:ident => $fallback:expr) => {{
        let name: &str = $entity;
        match $crate::model::Entity::parse(name) {
            Some(e) => $crate::with_entity!(e, $T => $body),
            None => {
                let $other = name;
                $fallback
            }
        }
    }};
}

/// Like [`with_record_type!`] for the record types a person edits field by field (those with
/// a field table: every type but 党员事件, recorded through members, and 检查表 definitions).
#[macro_export]
macro_rules! with_editable_type {
    ($entity:expr, $T:ident => $body:expr, $other:ident => $fallback:expr) => {{
        let name: &str = $entity;
        match $crate::model::Entity::parse(name) {
            Some(e) => $crate::with_editable_entity!(e, $T => $body, {
                let $other = name;
                $fallback
            }),
            None => {
                let $other = name;
                $fallback
            }
        }
    }};
}

/// `apply_fields`, and when the record cannot be built, every other problem it has as well
/// (validation's questions asked of the ledger), so a form or a command reports them all at
/// once: see `apply_fields_reporting_all`.
pub fn build_from_fields<T: Table + Fields>(
    store: &mut Store,
    base: &T,
    inputs: &[(String, String)],
    creating: bool,
) -> Result<T> {
    if let Ok(rec) = apply_fields(base, inputs, creating) {
        return Ok(rec);
    }
    // Only read: the transaction is rolled back.
    let built = store.write_or_rollback(|tx| {
        Ok((
            apply_fields_reporting_all(base, inputs, creating, &[], tx),
            false,
        ))
    })?;
    Ok(built?)
}

/// Add a record from field inputs as a person types them (`name → value`). Members and
/// activities go through their own operations: a 预备党员 gets the 发展 event, a meeting's
/// attendance is pre-filled from the org's rolls.
pub fn add_from_fields<T: Table + Fields + 'static>(
    store: &mut Store,
    inputs: &[(String, String)],
) -> Result<T> {
    let rec: T = build_from_fields(store, &T::blank(), inputs, true)?;
    let any: &dyn std::any::Any = &rec;
    let id = if let Some(m) = any.downcast_ref::<Member>() {
        let m = m.clone();
        store.write(|tx| tx.add_member(m))?.meta.id
    } else if let Some(a) = any.downcast_ref::<Activity>() {
        let a = a.clone();
        store.write(|tx| tx.add_activity(a, &[]))?.meta.id
    } else {
        return store.insert(rec);
    };
    store.get(&id)
}

/// Change the given fields of a record (the others stay as they are).
pub fn update_from_fields<T: Table + Fields>(
    store: &mut Store,
    id: &Id,
    inputs: &[(String, String)],
) -> Result<Saved<T>> {
    let old: T = store.get(id)?;
    let rec = build_from_fields(store, &old, inputs, false)?;
    store.update(rec)
}

/// Names of the records a set of records (as JSON) refers to, id → 名称, so a list can show
/// 恒达机械 instead of an id. An activity's attendance names its members.
pub fn referenced_names<T: Fields>(conn: &Connection, rows: &[Value]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut add = |table: &str, id: &str| {
        if out.contains_key(id) {
            return;
        }
        if let Some(name) = id
            .parse()
            .ok()
            .and_then(|parsed| display_name(conn, table, &parsed))
        {
            out.insert(id.to_string(), name);
        }
    };
    for f in T::FIELDS {
        let table = match f.kind {
            FieldKind::Ref(t) | FieldKind::Refs(t) => t,
            FieldKind::Attendance => "member",
            _ => continue,
        };
        for row in rows {
            match (f.kind, row.get(f.name)) {
                (FieldKind::Attendance, Some(Value::Array(att))) => att
                    .iter()
                    .filter_map(|a| a.get("member_id").and_then(Value::as_str))
                    .for_each(|id| add(table, id)),
                (_, Some(Value::String(id))) => add(table, id),
                (_, Some(Value::Array(ids))) => ids
                    .iter()
                    .filter_map(Value::as_str)
                    .for_each(|id| add(table, id)),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MemberEventKind, Org, Unit};

    fn inputs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn names_of(entity: &str) -> Option<&'static str> {
        crate::with_record_type!(entity, T => Some(T::LABEL), _other => None)
    }

    #[test]
    fn dispatch_finds_every_table_and_refuses_others() {
        assert_eq!(names_of("member"), Some("党员"));
        assert_eq!(
            names_of("member_event"),
            Some(crate::model::MemberEvent::LABEL)
        );
        assert_eq!(names_of("checklist"), Some(crate::model::Checklist::LABEL));
        assert_eq!(names_of("members"), None);
        let editable =
            |e: &str| crate::with_editable_type!(e, T => Some(T::FIELDS.len()), _o => None);
        assert!(editable("dues").is_some());
        assert_eq!(editable("member_event"), None);
    }

    #[test]
    fn add_goes_through_the_member_operation_and_names_references() {
        let mut s = Store::open_in_memory().unwrap();
        let unit: Unit = add_from_fields(
            &mut s,
            &inputs(&[("name", "恒达机械"), ("category", "民营企业")]),
        )
        .unwrap();
        let unit_id = unit.meta.id.to_string();
        let org: Org = add_from_fields(
            &mut s,
            &inputs(&[
                ("name", "中共恒达机械支部委员会"),
                ("org_type", "党支部"),
                ("formation", "单独组建"),
                ("unit_ids", &unit_id),
            ]),
        )
        .unwrap();
        let m: Member = add_from_fields(
            &mut s,
            &inputs(&[
                ("name", "李红梅"),
                ("gender", "女"),
                ("id_number", "11010119900307002X"),
                ("org_id", &org.meta.id.to_string()),
                ("category", "预备党员"),
                ("joined_on", "2026-01-10"),
            ]),
        )
        .unwrap();
        let events = s.write(|tx| tx.member_events(&m.meta.id)).unwrap();
        assert_eq!(events.len(), 1, "a 预备党员 is added with the 发展 event");
        assert_eq!(events[0].kind, MemberEventKind::Admitted);

        let rows = vec![serde_json::to_value(&org).unwrap()];
        let names = referenced_names::<Org>(s.conn(), &rows);
        assert_eq!(names.get(&unit_id).map(String::as_str), Some("恒达机械"));

        let saved =
            update_from_fields::<Unit>(&mut s, &unit.meta.id, &inputs(&[("employees", "120")]))
                .unwrap();
        assert!(saved.changed);
        assert_eq!(saved.record.employees, Some(120));
        assert_eq!(saved.record.name, "恒达机械", "untouched fields stay");
    }
}
