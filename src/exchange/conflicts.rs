//! Conflicts: a field changed on two PCs to different values. The local value stays until a
//! person decides; the decision is itself a change that settles the conflict on every PC.

use super::apply::with_table;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{display_name, Table, Tx};
use crate::Store;
use rusqlite::params;
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Conflict {
    pub id: String,
    pub entity: String,
    pub record_id: String,
    pub record_name: Option<String>,
    pub field: String,
    pub field_label: String,
    pub local_value: Value,
    pub incoming_value: Value,
    /// The values as a person reads them (names for references, 是/否 …).
    pub local_text: String,
    pub incoming_text: String,
    pub local_version: String,
    pub incoming_version: String,
    /// Name of the PC the incoming value came from.
    pub incoming_device: String,
    pub detected_at: String,
}

fn field_label(entity: &str, field: &str) -> String {
    field_spec(entity, field).map_or_else(|| field.to_string(), |s| s.label.to_string())
}

/// A field's value as a person reads it: names instead of ids, 是/否, 空 for nothing.
fn value_text(conn: &rusqlite::Connection, entity: &str, field: &str, v: &Value) -> String {
    let target = field_spec(entity, field).and_then(|s| match s.kind {
        fields::FieldKind::Ref(t) | fields::FieldKind::Refs(t) => Some(t),
        _ => None,
    });
    let one = |v: &Value| -> String {
        match (v, target) {
            (Value::String(id), Some(t)) => id
                .parse()
                .ok()
                .and_then(|id| display_name(conn, t, &id))
                .unwrap_or_else(|| id.clone()),
            (Value::String(s), None) => s.clone(),
            (Value::Bool(b), _) => if *b { "是" } else { "否" }.into(),
            (Value::Null, _) => "（空）".into(),
            (other, _) => other.to_string(),
        }
    };
    match v {
        Value::Array(items) if items.is_empty() => "（空）".into(),
        Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join("、"),
        other => one(other),
    }
}

/// Open conflicts, oldest first.
pub fn list(store: &Store) -> Result<Vec<Conflict>> {
    let mut st = store.conn().prepare(
        "SELECT c.id, c.entity, c.record_id, c.field, c.local_value, c.incoming_value, c.local_version,
                c.incoming_version, c.detected_at
         FROM conflict c WHERE c.resolved_at IS NULL ORDER BY c.detected_at, c.rowid",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, entity, record_id, field, local, incoming, lv, iv, at) = row?;
        let device = super::apply::parse_version(&iv)
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        let incoming_device = store
            .conn()
            .query_row("SELECT name FROM device WHERE id = ?1", [&device], |r| {
                r.get(0)
            })
            .unwrap_or(device);
        let local_value = serde_json::from_str(&local).unwrap_or(Value::Null);
        let incoming_value = serde_json::from_str(&incoming).unwrap_or(Value::Null);
        out.push(Conflict {
            local_text: value_text(store.conn(), &entity, &field, &local_value),
            incoming_text: value_text(store.conn(), &entity, &field, &incoming_value),
            record_name: record_id
                .parse()
                .ok()
                .and_then(|rid| display_name(store.conn(), &entity, &rid)),
            field_label: field_label(&entity, &field),
            local_value,
            incoming_value,
            id,
            entity,
            record_id,
            field,
            local_version: lv,
            incoming_version: iv,
            incoming_device,
            detected_at: at,
        });
    }
    Ok(out)
}

/// What a person decides.
#[derive(Debug, Clone)]
pub enum Take {
    Local,
    Incoming,
    /// A value of their own, written as in a form (parsed by the field's kind).
    Value(String),
}

impl Take {
    pub fn parse(raw: &str) -> Take {
        match raw {
            "local" | "本机" => Take::Local,
            "incoming" | "对方" => Take::Incoming,
            other => Take::Value(other.to_string()),
        }
    }
}

fn resolve_typed<T: Table>(tx: &mut Tx, c: &Conflict, value: Value) -> Result<()> {
    let id: Id = c.record_id.parse().map_err(Error::Rule)?;
    let rec: T = tx.get(&id)?;
    let mut v = serde_json::to_value(&rec)?;
    let old = v.get(&c.field).cloned().unwrap_or(Value::Null);
    v[c.field.as_str()] = value.clone();
    let mut rec: T = serde_json::from_value(v)
        .map_err(|e| Error::Rule(format!("“{value}”不能用作{}：{e}", c.field_label)))?;
    rec.validate(tx).into_result()?;
    tx.put_raw(&rec, false)?;
    let mut changes = Map::new();
    changes.insert(c.field.clone(), Value::Array(vec![old, value]));
    let mut bases = Map::new();
    bases.insert(
        c.field.clone(),
        Value::Array(vec![
            Value::String(c.local_version.clone()),
            Value::String(c.incoming_version.clone()),
        ]),
    );
    tx.log_with_bases::<T>(id, changes, Value::Object(bases))
}

/// Settle a conflict. The choice is recorded as a change based on both sides, so when it
/// reaches the other PC it settles the conflict there too.
pub fn resolve(store: &mut Store, conflict_id: &str, take: Take) -> Result<()> {
    let c = list(store)?
        .into_iter()
        .find(|c| c.id == conflict_id || c.id.starts_with(conflict_id))
        .ok_or_else(|| Error::not_found("冲突", conflict_id))?;
    let value = match &take {
        Take::Local => c.local_value.clone(),
        Take::Incoming => c.incoming_value.clone(),
        Take::Value(raw) => {
            let kind = field_spec(&c.entity, &c.field).map(|s| s.kind);
            match kind {
                Some(k) => fields::parse_value(k, raw)
                    .map_err(|m| Error::Rule(format!("【{}】{m}", c.field_label)))?,
                None => serde_json::from_str(raw).unwrap_or(Value::String(raw.clone())),
            }
        }
    };
    let who = store.session().operator.clone();
    store.write(|tx| {
        with_table!(c.entity.as_str(), T => resolve_typed::<T>(tx, &c, value.clone()))?;
        let how = match take {
            Take::Local => "保留本机的值".to_string(),
            Take::Incoming => "采用对方的值".to_string(),
            Take::Value(v) => format!("改为 {v}"),
        };
        tx.conn().execute(
            "UPDATE conflict SET resolved_at = ?1, resolution = ?2, resolved_by = ?3 WHERE id = ?4",
            params![tx.now(), how, who, c.id],
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_names_and_words() {
        let mut s = Store::open_in_memory().unwrap();
        let org = s
            .insert(Org {
                name: "中共恒达机械支部委员会".into(),
                org_type: OrgType::Branch,
                formation: "单独组建".into(),
                ..Fields::blank()
            })
            .unwrap();
        let c = s.conn();
        let id = Value::String(org.meta.id.to_string());
        assert_eq!(
            value_text(c, "member", "org_id", &id),
            "中共恒达机械支部委员会"
        );
        assert_eq!(
            value_text(c, "member", "is_mobile", &Value::Bool(true)),
            "是"
        );
        assert_eq!(value_text(c, "member", "phone", &Value::Null), "（空）");
        assert_eq!(
            value_text(c, "org", "unit_ids", &Value::Array(vec![])),
            "（空）"
        );
        assert_eq!(
            value_text(c, "member", "phone", &"13800000000".into()),
            "13800000000"
        );
    }
}
