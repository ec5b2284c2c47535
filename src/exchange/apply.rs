//! Merging a package into this ledger, entry by entry and field by field.
//!
//! Every change names, per field, the version(s) it was made on top of. Here each field's
//! local version is the last change that took effect on it. An incoming change to a field:
//! - based on the local version, or on a descendant of it: takes effect;
//! - that the local version already descends from: is older, and is skipped;
//! - made concurrently: equal values simply agree (the higher version wins, the same on every
//!   PC); different values are a conflict — the local value stays, the incoming one waits
//!   beside it for a person (see `conflicts`).
//!
//! Wall-clock times are never compared; only the recorded bases.

use super::package::Entry;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{field_version, Table, Tx};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{HashSet, VecDeque};

#[derive(Debug, Clone, Default, Serialize, PartialEq, ts_rs::TS)]
pub struct MergeSummary {
    /// Change-log entries in the package.
    pub entries: usize,
    /// Records new to this PC.
    pub inserted: usize,
    /// Records changed here.
    pub updated: usize,
    /// Entries this PC already had, or that changed nothing.
    pub unchanged: usize,
    /// New conflicts left waiting for a person (not settled later in the same package).
    pub conflicts: usize,
    /// Conflicts settled by a change in the package (someone decided elsewhere).
    pub conflicts_settled: usize,
    pub photos: usize,
    /// Ids of the conflicts this import opened.
    #[serde(skip)]
    pub(crate) opened: Vec<String>,
    /// Whether any conflict is open (most imports find none, and skip looking per field).
    #[serde(skip)]
    pub(crate) any_open: bool,
}

/// Run `$body` with `$T` bound to the record type of a package entry; a name this version
/// does not know means the package came from a newer version.
macro_rules! with_table {
    ($entity:expr, $T:ident => $body:expr) => {
        $crate::with_record_type!($entity, $T => $body, other => Err(Error::BadFile(format!(
            "交换包中有未知的记录类型“{other}”：请升级两新党建台账"
        ))))
    };
}
pub(crate) use with_table;

fn load_json<T: Table>(tx: &Tx, id: &Id) -> Result<Option<Value>> {
    match tx.get::<T>(id) {
        Ok(r) => Ok(Some(serde_json::to_value(r)?)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Turn JSON into a record and rewrite the given fields only (all of them when a field is
/// held in child rows).
fn store_fields<T: Table>(tx: &Tx, v: Value, fields: &[String]) -> Result<()> {
    if fields.iter().any(|f| !T::COLUMNS.contains(&f.as_str())) {
        return store_json::<T>(tx, v, false);
    }
    let rec: T = serde_json::from_value(v)
        .map_err(|e| Error::BadFile(format!("交换包中的{}记录无法读取：{e}", T::LABEL)))?;
    tx.put_columns(&rec, fields)
}

/// Turn JSON into a record and write it as it is. Lists a much older PC left out of an insert
/// (it logged only fields with values) are filled in as empty.
fn store_json<T: Table>(tx: &Tx, mut v: Value, insert: bool) -> Result<()> {
    for _ in 0..16 {
        // Read from the value in place: no copy of the whole record per attempt.
        match T::deserialize(&v) {
            Ok(rec) => return tx.put_raw(&rec, insert),
            Err(e) => {
                let msg = e.to_string();
                let Some(field) = msg
                    .strip_prefix("missing field `")
                    .and_then(|r| r.split('`').next())
                else {
                    return Err(Error::BadFile(format!(
                        "交换包中的{}记录无法读取：{msg}",
                        T::LABEL
                    )));
                };
                v[field] = Value::Array(Vec::new());
            }
        }
    }
    Err(Error::BadFile(format!(
        "交换包中的{}记录缺少太多字段",
        T::LABEL
    )))
}

pub(crate) fn parse_version(v: &str) -> Option<(&str, i64)> {
    let (d, s) = v.rsplit_once(':')?;
    Some((d, s.parse().ok()?))
}

/// Whether `target` is one of `starts` or a version they were (transitively) based on,
/// following the bases recorded for `field` and treating equivalent versions as one.
pub(crate) fn descends_from(
    tx: &Tx,
    record: &str,
    starts: &[String],
    target: &str,
    field: &str,
) -> Result<bool> {
    let mut queue: VecDeque<String> = starts.iter().cloned().collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut bases_of = tx
        .conn()
        .prepare_cached("SELECT bases FROM change_log WHERE device_id = ?1 AND device_seq = ?2")?;
    let mut aliases_of = tx.conn().prepare_cached(
        "SELECT same_as FROM field_alias WHERE record_id = ?1 AND field = ?2 AND version = ?3",
    )?;
    while let Some(v) = queue.pop_front() {
        if v == target {
            return Ok(true);
        }
        if !seen.insert(v.clone()) {
            continue;
        }
        for alias in aliases_of.query_map(params![record, field, v], |r| r.get::<_, String>(0))? {
            queue.push_back(alias?);
        }
        let Some((d, s)) = parse_version(&v) else {
            continue;
        };
        let bases: Option<String> = bases_of.query_row(params![d, s], |r| r.get(0)).optional()?;
        if let Some(b) = bases {
            let b: Map<String, Value> = serde_json::from_str(&b).unwrap_or_default();
            if let Some(Value::Array(list)) = b.get(field) {
                queue.extend(list.iter().filter_map(|x| x.as_str().map(String::from)));
            }
        }
    }
    Ok(false)
}

/// For an incoming creation of a field (no bases): the creation in the local version's history
/// that set the same value, if any — the same record created on two PCs, already built upon here.
fn equal_root(tx: &Tx, lv: &str, field: &str, value: &Value) -> Result<Option<String>> {
    let mut queue: VecDeque<String> = VecDeque::from([lv.to_string()]);
    let mut seen: HashSet<String> = HashSet::new();
    let mut entry = tx.conn().prepare_cached(
        "SELECT changes, bases FROM change_log WHERE device_id = ?1 AND device_seq = ?2",
    )?;
    while let Some(v) = queue.pop_front() {
        if !seen.insert(v.clone()) {
            continue;
        }
        let Some((d, s)) = parse_version(&v) else {
            continue;
        };
        let row: Option<(String, String)> = entry
            .query_row(params![d, s], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((changes, bases)) = row else {
            continue;
        };
        let bases: Map<String, Value> = serde_json::from_str(&bases).unwrap_or_default();
        match bases.get(field) {
            Some(Value::Array(list)) if !list.is_empty() => {
                queue.extend(list.iter().filter_map(|x| x.as_str().map(String::from)));
            }
            _ => {
                let changes: Map<String, Value> =
                    serde_json::from_str(&changes).unwrap_or_default();
                if changes.get(field).and_then(|c| c.get(1)) == Some(value) {
                    return Ok(Some(v));
                }
            }
        }
    }
    Ok(None)
}

/// Record that two versions of a field hold the same value and count as one from now on.
fn alias(tx: &Tx, record: &str, field: &str, a: &str, b: &str) -> Result<()> {
    let mut st = tx.conn().prepare_cached("INSERT OR IGNORE INTO field_alias(record_id, field, version, same_as) VALUES (?1, ?2, ?3, ?4)")?;
    st.execute(params![record, field, a, b])?;
    st.execute(params![record, field, b, a])?;
    Ok(())
}

/// A total order on versions, the same on every PC, for settling equal concurrent values.
fn version_key(v: &str) -> (String, i64) {
    parse_version(v)
        .map(|(d, s)| (d.to_string(), s))
        .unwrap_or_default()
}

fn record_conflict(
    tx: &Tx,
    e: &Entry,
    field: &str,
    local_value: &Value,
    local_version: &str,
    incoming: &Value,
    opened: &mut Vec<String>,
) -> Result<()> {
    let existing: Option<String> = tx
        .conn()
        .query_row(
            "SELECT id FROM conflict WHERE record_id = ?1 AND field = ?2 AND resolved_at IS NULL",
            params![e.record_id, field],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        // A later change on the same incoming branch: the conflict now shows its value.
        Some(id) => {
            tx.conn().execute(
                "UPDATE conflict SET incoming_value = ?1, incoming_version = ?2 WHERE id = ?3",
                params![incoming.to_string(), e.version(), id],
            )?;
            Ok(())
        }
        None => {
            let id = Id::new();
            opened.push(id.to_string());
            tx.conn().execute(
                "INSERT INTO conflict(id, entity, record_id, field, local_value, local_version, incoming_value, incoming_version, detected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    id,
                    e.entity,
                    e.record_id,
                    field,
                    local_value.to_string(),
                    local_version,
                    incoming.to_string(),
                    e.version(),
                    tx.now()
                ],
            )?;
            Ok(())
        }
    }
}

/// Close open conflicts on a field whose incoming side this change continues, when it brings
/// the field back to the local value: the two PCs agree again.
fn settle_agreed(tx: &Tx, e: &Entry, field: &str, s: &mut MergeSummary) -> Result<()> {
    if !s.any_open {
        return Ok(());
    }
    let open: Vec<(String, String)> = {
        let mut st = tx.conn().prepare_cached(
            "SELECT id, incoming_version FROM conflict WHERE record_id = ?1 AND field = ?2 AND resolved_at IS NULL",
        )?;
        let rows = st.query_map(params![e.record_id, field], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut mine: Vec<String> = e.bases.get(field).cloned().unwrap_or_default();
    mine.push(e.version());
    for (id, incoming) in open {
        if descends_from(tx, &e.record_id, &mine, &incoming, field)? {
            tx.conn().execute(
                "UPDATE conflict SET resolved_at = ?1, resolution = '两边已一致', resolved_by = ?2 WHERE id = ?3",
                params![tx.now(), e.actor, id],
            )?;
            if !s.opened.contains(&id) {
                s.conflicts_settled += 1;
            }
        }
    }
    Ok(())
}

/// Close open conflicts on a field that a change descending from both of their sides settles.
fn settle_conflicts(tx: &Tx, e: &Entry, field: &str, s: &mut MergeSummary) -> Result<()> {
    if !s.any_open {
        return Ok(());
    }
    let open: Vec<(String, String, String)> = {
        let mut st = tx.conn().prepare_cached(
            "SELECT id, local_version, incoming_version FROM conflict WHERE record_id = ?1 AND field = ?2 AND resolved_at IS NULL",
        )?;
        let rows = st.query_map(params![e.record_id, field], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // The entry itself is logged after its fields are applied: walk from what it is based on.
    let mut mine: Vec<String> = e.bases.get(field).cloned().unwrap_or_default();
    mine.push(e.version());
    for (id, local, incoming) in open {
        if descends_from(tx, &e.record_id, &mine, &local, field)?
            && descends_from(tx, &e.record_id, &mine, &incoming, field)?
        {
            tx.conn().execute(
                "UPDATE conflict SET resolved_at = ?1, resolution = ?2, resolved_by = ?3 WHERE id = ?4",
                params![tx.now(), format!("已由 {} 处理", e.actor), e.actor, id],
            )?;
            if !s.opened.contains(&id) {
                s.conflicts_settled += 1;
            }
        }
    }
    Ok(())
}

/// An incoming entry with its JSON columns serialised as the change log stores them, straight
/// from the parsed maps (wrapping them in a `Value` first copied every entry's changes).
pub(crate) struct Incoming {
    pub(crate) entry: Entry,
    changes: String,
    bases: String,
}

impl Incoming {
    pub(crate) fn new(entry: Entry) -> Result<Incoming> {
        Ok(Incoming {
            // A map serialises as the object holding it would.
            changes: serde_json::to_string(&entry.changes)?,
            bases: serde_json::to_string(&entry.bases)?,
            entry,
        })
    }
}

fn append_entry(tx: &Tx, inc: &Incoming, skipped: &[String]) -> Result<()> {
    let e = &inc.entry;
    tx.conn()
        .prepare_cached(
            "INSERT INTO change_log(id, device_id, device_seq, actor, at, entity, record_id, parent_id, op, changes, bases, skipped)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            e.id,
            e.device_id,
            e.device_seq,
            e.actor,
            e.at,
            e.entity,
            e.record_id,
            e.parent_id,
            e.op,
            inc.changes,
            inc.bases,
            serde_json::to_string(skipped)?
        ])?;
    Ok(())
}

fn apply_typed<T: Table>(tx: &Tx, inc: &Incoming, s: &mut MergeSummary) -> Result<()> {
    let e = &inc.entry;
    let id: Id = e.record_id.parse().map_err(|m: String| Error::BadFile(m))?;
    let current = load_json::<T>(tx, &id)?;
    let new_value = |f: &str| {
        e.changes
            .get(f)
            .and_then(|c| c.get(1))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let mut skipped: Vec<String> = Vec::new();
    match (e.op, current) {
        (crate::store::Op::Insert, None) => {
            let mut v = Map::new();
            for f in e.changes.keys() {
                v.insert(f.clone(), new_value(f));
            }
            v.insert("id".into(), Value::String(e.record_id.clone()));
            v.insert("created_at".into(), Value::String(e.at.clone()));
            v.insert("updated_at".into(), Value::String(e.at.clone()));
            v.insert("device_id".into(), Value::String(e.device_id.clone()));
            store_json::<T>(tx, Value::Object(v), true)?;
            s.inserted += 1;
        }
        (_, None) => {
            return Err(Error::BadFile(format!(
                "交换包中的变更指向本机没有的{}（{}）：请让对方用 --all 导出全部数据后再导入",
                T::LABEL,
                e.record_id
            )))
        }
        (_, Some(mut v)) => {
            let mut changed: Vec<String> = Vec::new();
            for f in e.changes.keys() {
                let incoming = new_value(f);
                let local = v.get(f).cloned().unwrap_or(Value::Null);
                let bases = e.bases.get(f).cloned().unwrap_or_default();
                let lv = field_version(tx.conn(), &e.record_id, f)?;
                let take = match lv.as_ref() {
                    None => true,
                    Some(lv)
                        if bases.contains(lv)
                            || descends_from(tx, &e.record_id, &bases, lv, f)? =>
                    {
                        true
                    }
                    Some(lv)
                        if descends_from(
                            tx,
                            &e.record_id,
                            std::slice::from_ref(lv),
                            &e.version(),
                            f,
                        )? =>
                    {
                        false
                    }
                    Some(lv) if bases.is_empty() && local != incoming => {
                        match equal_root(tx, lv, f, &incoming)? {
                            // Its twin was created here and has been built upon since.
                            Some(root) => {
                                alias(tx, &e.record_id, f, &root, &e.version())?;
                                false
                            }
                            None => {
                                record_conflict(tx, e, f, &local, lv, &incoming, &mut s.opened)?;
                                s.any_open = true;
                                false
                            }
                        }
                    }
                    Some(lv) if local == incoming => {
                        alias(tx, &e.record_id, f, lv, &e.version())?;
                        settle_agreed(tx, e, f, s)?;
                        version_key(&e.version()) > version_key(lv)
                    }
                    Some(lv) => {
                        record_conflict(tx, e, f, &local, lv, &incoming, &mut s.opened)?;
                        s.any_open = true;
                        false
                    }
                };
                if take {
                    if local != incoming {
                        v[f.as_str()] = incoming;
                        changed.push(f.clone());
                    }
                    settle_conflicts(tx, e, f, s)?;
                } else {
                    skipped.push(f.clone());
                }
            }
            if !changed.is_empty() {
                v["updated_at"] = Value::String(e.at.clone());
                v["device_id"] = Value::String(e.device_id.clone());
                store_fields::<T>(tx, v, &changed)?;
                s.updated += 1;
            } else {
                s.unchanged += 1;
            }
        }
    }
    append_entry(tx, inc, &skipped)
}

/// Count the conflicts this import opened that are still open at its end.
pub(crate) fn count_open(tx: &Tx, s: &mut MergeSummary) -> Result<()> {
    let mut st = tx
        .conn()
        .prepare_cached("SELECT resolved_at IS NULL FROM conflict WHERE id = ?1")?;
    let mut n = 0;
    for id in &s.opened {
        if st.query_row([id], |r| r.get::<_, bool>(0))? {
            n += 1;
        }
    }
    s.conflicts = n;
    Ok(())
}

/// Apply one entry unless this PC already has it.
pub(crate) fn apply_entry(tx: &Tx, inc: &Incoming, s: &mut MergeSummary) -> Result<()> {
    let e = &inc.entry;
    let known: Option<String> = tx
        .conn()
        .prepare_cached("SELECT id FROM change_log WHERE device_id = ?1 AND device_seq = ?2")?
        .query_row(params![e.device_id, e.device_seq], |r| r.get(0))
        .optional()?;
    match known {
        Some(id) if id == e.id => {
            s.unchanged += 1;
            Ok(())
        }
        Some(_) => Err(Error::BadFile(format!(
            "交换包与本机记录矛盾：设备 {} 的第 {} 条变更在两处内容不同。可能是数据库从备份恢复后又继续使用，请联系技术支持",
            e.device_id, e.device_seq
        ))),
        None => with_table!(e.entity.as_str(), T => apply_typed::<T>(tx, inc, s)),
    }
}
