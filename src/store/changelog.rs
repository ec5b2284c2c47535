//! The append-only change log: who changed what, on which PC, field by field.

use crate::error::Result;
use crate::model::Id;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{Map, Value};

/// Bookkeeping fields left out of diffs (they change on every write).
pub(super) const META_FIELDS: [&str; 4] = ["id", "created_at", "updated_at", "device_id"];

/// What a change-log entry did to its record (`insert` | `update` in the log and packages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Insert,
    Update,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
        }
    }
}

impl rusqlite::types::ToSql for Op {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for Op {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match v.as_str()? {
            "insert" => Ok(Op::Insert),
            "update" => Ok(Op::Update),
            other => Err(rusqlite::types::FromSqlError::Other(
                format!("变更记录的操作“{other}”无法识别").into(),
            )),
        }
    }
}

/// One entry of the change log.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
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
    pub op: Op,
    /// field → [old, new]
    #[ts(type = "Record<string, [unknown, unknown]>")]
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

/// Receives a record's top-level fields (flattened ones included) one by one, as they are
/// serialised: for reading a few fields, or writing them out, without a whole JSON value.
pub(crate) trait FieldSink {
    fn field<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> Result<(), NotARecord>;
}

/// Serialise `rec` (a struct, or a map for one with flattened fields) into `sink`.
pub(crate) fn visit_fields<T: Serialize + ?Sized, S: FieldSink>(
    rec: &T,
    sink: &mut S,
) -> Result<(), NotARecord> {
    rec.serialize(&mut Visitor {
        sink,
        key: String::new(),
    })
}

struct Visitor<'a, S> {
    sink: &'a mut S,
    key: String,
}

/// What `visit_fields` was given was not a record.
#[derive(Debug)]
pub(crate) struct NotARecord;

impl std::fmt::Display for NotARecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record serialises as a struct or map with string keys")
    }
}

impl std::error::Error for NotARecord {}

impl serde::ser::Error for NotARecord {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        NotARecord
    }
}

impl From<NotARecord> for crate::error::Error {
    fn from(e: NotARecord) -> Self {
        crate::error::Error::Rule(e.to_string())
    }
}

/// Only a map key that is a string is accepted.
struct KeyWriter<'a>(&'a mut String);

macro_rules! reject {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<Self::Ok, NotARecord> { Err(NotARecord) })*
    };
}

/// The serializer methods that make no record: all refused.
macro_rules! reject_compound {
    () => {
        fn serialize_some<V: Serialize + ?Sized>(self, _: &V) -> Result<Self::Ok, NotARecord> {
            Err(NotARecord)
        }
        fn serialize_newtype_struct<V: Serialize + ?Sized>(
            self,
            _: &'static str,
            v: &V,
        ) -> Result<Self::Ok, NotARecord> {
            v.serialize(self)
        }
        fn serialize_newtype_variant<V: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &V,
        ) -> Result<Self::Ok, NotARecord> {
            Err(NotARecord)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotARecord> {
            Err(NotARecord)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotARecord> {
            Err(NotARecord)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, NotARecord> {
            Err(NotARecord)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, NotARecord> {
            Err(NotARecord)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, NotARecord> {
            Err(NotARecord)
        }
    };
}

impl serde::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = NotARecord;
    type SerializeSeq = serde::ser::Impossible<(), NotARecord>;
    type SerializeTuple = serde::ser::Impossible<(), NotARecord>;
    type SerializeTupleStruct = serde::ser::Impossible<(), NotARecord>;
    type SerializeTupleVariant = serde::ser::Impossible<(), NotARecord>;
    type SerializeMap = serde::ser::Impossible<(), NotARecord>;
    type SerializeStruct = serde::ser::Impossible<(), NotARecord>;
    type SerializeStructVariant = serde::ser::Impossible<(), NotARecord>;
    fn serialize_str(self, v: &str) -> Result<(), NotARecord> {
        self.0.clear();
        self.0.push_str(v);
        Ok(())
    }
    reject!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );
    reject_compound!();
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotARecord> {
        Err(NotARecord)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotARecord> {
        Err(NotARecord)
    }
}

impl<S: FieldSink> serde::ser::SerializeMap for &mut Visitor<'_, S> {
    type Ok = ();
    type Error = NotARecord;
    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), NotARecord> {
        key.serialize(KeyWriter(&mut self.key))
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), NotARecord> {
        self.sink.field(&self.key, value)
    }
    fn end(self) -> Result<(), NotARecord> {
        Ok(())
    }
}

impl<S: FieldSink> serde::ser::SerializeStruct for &mut Visitor<'_, S> {
    type Ok = ();
    type Error = NotARecord;
    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), NotARecord> {
        self.sink.field(key, value)
    }
    fn end(self) -> Result<(), NotARecord> {
        Ok(())
    }
}

impl<'a, 'b, S: FieldSink> serde::Serializer for &'a mut Visitor<'b, S> {
    type Ok = ();
    type Error = NotARecord;
    type SerializeSeq = serde::ser::Impossible<(), NotARecord>;
    type SerializeTuple = serde::ser::Impossible<(), NotARecord>;
    type SerializeTupleStruct = serde::ser::Impossible<(), NotARecord>;
    type SerializeTupleVariant = serde::ser::Impossible<(), NotARecord>;
    type SerializeMap = &'a mut Visitor<'b, S>;
    type SerializeStruct = &'a mut Visitor<'b, S>;
    type SerializeStructVariant = serde::ser::Impossible<(), NotARecord>;
    fn serialize_map(self, _: Option<usize>) -> Result<Self, NotARecord> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NotARecord> {
        Ok(self)
    }
    reject!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );
    reject_compound!();
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
