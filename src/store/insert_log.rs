//! The `changes` text of an insert's change-log entry, written straight from the record: a bulk
//! import logs every record it adds, so this is on its hot path.
//!
//! It is exactly `diff(None, &to_value(rec))` written out (serde_json's map orders keys, null
//! fields are left out), without building JSON values: each field's value is serialised once,
//! and the order of the keys — the same for every record of a type — is worked out once per
//! thread and record shape, with each key's JSON text.

use super::changelog::{visit_fields, FieldSink, NotARecord, META_FIELDS};
use crate::error::Result;
use serde::Serialize;
use std::cell::RefCell;

type Span = std::ops::Range<usize>;

/// The `changes` of an insert as stored (see the module's comment).
pub fn insert_changes<T: Serialize>(rec: &T) -> Result<String> {
    let mut fields = Fields::default();
    visit_fields(rec, &mut fields)?;
    let out = if fields.cacheable {
        ORDERS.with(|orders| {
            let mut orders = orders.borrow_mut();
            let at = match orders.iter().position(|o| o.shape == fields.shape) {
                Some(at) => at,
                None => {
                    if orders.len() >= MAX_SHAPES {
                        orders.clear();
                    }
                    orders.push(KeyOrder::of(&fields)?);
                    orders.len() - 1
                }
            };
            Ok::<_, NotARecord>(orders[at].write(&fields))
        })?
    } else {
        // A key with a NUL byte makes the shape ambiguous: work its order out, and forget it.
        KeyOrder::of(&fields)?.write(&fields)
    };
    // Keys come from `&str`s and values from serde_json: UTF-8, checked all the same.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Record shapes remembered per thread (a ledger has a dozen record types).
const MAX_SHAPES: usize = 32;

thread_local! {
    static ORDERS: RefCell<Vec<KeyOrder>> = const { RefCell::new(Vec::new()) };
}

/// A record's fields as visited, bookkeeping fields left out.
struct Fields {
    /// Every key, each followed by a NUL byte: the record's shape.
    shape: Vec<u8>,
    /// Where each key is in `shape`, by visiting order.
    keys: Vec<Span>,
    /// Each field's value as JSON text (one buffer), by visiting order; an empty span for null.
    text: Vec<u8>,
    values: Vec<Span>,
    /// No key holds a NUL byte (which would make `shape` ambiguous).
    cacheable: bool,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            shape: Vec::with_capacity(512),
            keys: Vec::with_capacity(32),
            text: Vec::with_capacity(1024),
            values: Vec::with_capacity(32),
            cacheable: true,
        }
    }
}

impl FieldSink for Fields {
    fn field<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> Result<(), NotARecord> {
        if META_FIELDS.contains(&key) {
            return Ok(());
        }
        self.cacheable &= !key.contains('\0');
        let at = self.shape.len();
        self.shape.extend_from_slice(key.as_bytes());
        self.keys.push(at..self.shape.len());
        self.shape.push(0);
        let start = self.text.len();
        serde_json::to_writer(&mut self.text, value).map_err(|_| NotARecord)?;
        if matches!(self.text.get(start), Some(b'{' | b'[')) {
            // Nested objects come out of a JSON value with their keys sorted: go through one.
            self.text.truncate(start);
            let v = serde_json::to_value(value).map_err(|_| NotARecord)?;
            serde_json::to_writer(&mut self.text, &v).map_err(|_| NotARecord)?;
        }
        if &self.text[start..] == b"null" {
            self.text.truncate(start);
        }
        self.values.push(start..self.text.len());
        Ok(())
    }
}

/// For one record shape: which field comes where in the text, and how its key is written.
struct KeyOrder {
    shape: Vec<u8>,
    /// (visiting position, `"key":[null,`) in the order serde_json's map keeps keys; a key
    /// visited twice keeps its last value, as in a map.
    sorted: Vec<(usize, Vec<u8>)>,
}

impl KeyOrder {
    fn of(fields: &Fields) -> Result<KeyOrder, NotARecord> {
        let keys: Vec<&[u8]> = fields
            .keys
            .iter()
            .map(|k| &fields.shape[k.clone()])
            .collect();
        let mut sorted: Vec<(usize, &[u8])> = keys.iter().copied().enumerate().collect();
        // Stable: of equal keys the last visited ends up last, and is the one kept.
        sorted.sort_by(|a, b| a.1.cmp(b.1));
        let mut kept: Vec<(usize, &[u8])> = Vec::with_capacity(sorted.len());
        for (pos, key) in sorted {
            match kept.last_mut() {
                Some(last) if last.1 == key => *last = (pos, key),
                _ => kept.push((pos, key)),
            }
        }
        let sorted = kept
            .into_iter()
            .map(|(pos, key)| {
                let mut text = Vec::with_capacity(key.len() + 10);
                let key = std::str::from_utf8(key).map_err(|_| NotARecord)?;
                serde_json::to_writer(&mut text, key).map_err(|_| NotARecord)?;
                text.extend_from_slice(b":[null,");
                Ok((pos, text))
            })
            .collect::<Result<_, NotARecord>>()?;
        Ok(KeyOrder {
            shape: fields.shape.clone(),
            sorted,
        })
    }

    fn write(&self, fields: &Fields) -> Vec<u8> {
        let mut out = Vec::with_capacity(fields.text.len() + fields.shape.len() * 2 + 64);
        out.push(b'{');
        for (pos, key) in &self.sorted {
            let value = &fields.text[fields.values[*pos].clone()];
            if value.is_empty() {
                continue;
            }
            if out.len() > 1 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            out.extend_from_slice(value);
            out.push(b']');
        }
        out.push(b'}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::diff;
    use serde_json::Value;
    use std::collections::BTreeMap;

    fn slow<T: Serialize>(rec: &T) -> String {
        Value::Object(diff(None, &serde_json::to_value(rec).unwrap())).to_string()
    }

    /// The exchange reads insert entries: the fast serialisation must be byte for byte the diff.
    #[test]
    fn insert_changes_are_the_diff_of_an_empty_record() {
        use crate::model::*;
        fn same<T: Serialize>(rec: &T) {
            // Twice: the second time with the key order remembered.
            assert_eq!(insert_changes(rec).unwrap(), slow(rec));
            assert_eq!(insert_changes(rec).unwrap(), slow(rec));
        }
        let day = chrono::NaiveDate::from_ymd_opt(2019, 7, 1).unwrap();
        let mut m = Member::new("张\"三\n", "330123199001010011", day);
        m.meta.id = Id::new();
        m.meta.created_at = "2026-11-22T00:00:00.000Z".into();
        m.phone = Some("13800000000".into());
        m.dues_base = Some(Money(300050));
        m.org_id = Some(Id::new());
        same(&m);
        same(&Member::blank());
        // The same shape with other fields null, after it.
        m.phone = None;
        m.org_id = None;
        same(&m);
        let mut o = Org::new("中共甲公司支部委员会", OrgType::Branch, "单独组建");
        o.unit_ids = vec![Id::new(), Id::new()];
        o.committee = JsonList(vec![CommitteeSeat {
            role: "书记".into(),
            name: "李四".into(),
            member_id: None,
        }]);
        same(&o);
        same(&Unit::new("甲公司", UnitCategory::Enterprise));
        let mut a = Activity::new(Id::new(), vec![ActivityType::ThemeDay], day, "党课");
        a.attendance = vec![Attendance {
            member_id: Id::new(),
            present: false,
            reason: Some("出差".into()),
        }];
        same(&a);
        same(&MemberEvent::new(
            Id::new(),
            MemberEventKind::Confirmed,
            day,
        ));
        same(&Dues::blank());
        same(&Inspection::blank());
        same(&Instructor::blank());
        same(&Visit::blank());
    }

    /// Maps whose keys differ from record to record, need escaping, repeat or hold a NUL: each
    /// shape is its own, and the text is still the diff's.
    #[test]
    fn any_map_is_written_as_the_diff_writes_it() {
        let maps: Vec<Vec<(&str, Value)>> = vec![
            vec![("b", 1.into()), ("a", "x".into()), ("c", Value::Null)],
            vec![("a", "y".into()), ("b", Value::Null), ("c", true.into())],
            vec![("引号\"", 2.into()), ("a\u{0}b", 3.into()), ("a", 4.into())],
            vec![("a\u{0}", 5.into()), ("b", 6.into())],
            vec![("a", 7.into()), ("\u{0}b", 8.into())],
            vec![("z", serde_json::json!({"y": 1, "x": [2, {"d": 3, "c": 4}]}))],
            vec![],
        ];
        for map in &maps {
            let as_map: BTreeMap<&str, &Value> = map.iter().map(|(k, v)| (*k, v)).collect();
            assert_eq!(insert_changes(&as_map).unwrap(), slow(&as_map), "{map:?}");
        }
        // A serialiser may repeat a key: a map keeps the last value.
        struct Repeated;
        impl Serialize for Repeated {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("k", &1)?;
                m.serialize_entry("j", &2)?;
                m.serialize_entry("k", &3)?;
                m.end()
            }
        }
        assert_eq!(insert_changes(&Repeated).unwrap(), slow(&Repeated));
        assert_eq!(
            insert_changes(&Repeated).unwrap(),
            r#"{"j":[null,2],"k":[null,3]}"#
        );
    }
}
