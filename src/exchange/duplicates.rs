//! The same member (身份证号) or unit (信用代码) entered on two PCs under different ids. They
//! are listed as merge candidates and merged only when a person asks: every reference moves
//! to the record kept, fields it lacks are filled from the other, and the other stays in the
//! ledger as 已合并 with a pointer to the survivor — nothing and no history is lost.

use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{list, Tx};
use crate::Store;
use serde::Serialize;
use serde_json::Value;

/// A group of records that look like one.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct Candidate {
    /// Member or Unit
    pub entity: Entity,
    /// The shared 身份证号 or 信用代码.
    pub key: String,
    pub ids: Vec<String>,
    pub names: Vec<String>,
}

pub fn list_candidates(store: &Store) -> Result<Vec<Candidate>> {
    let mut out = Vec::new();
    for (entity, key, merged) in [
        (Entity::Member, "id_number", "已合并"),
        (Entity::Unit, "credit_code", "已合并"),
    ] {
        let sql = format!(
            "SELECT {key}, group_concat(id, ','), group_concat(name, ',') FROM {entity}
             WHERE {key} IS NOT NULL AND status <> '{merged}' GROUP BY {key} HAVING count(*) > 1 ORDER BY {key}"
        );
        let mut st = store.conn().prepare(&sql)?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (k, ids, names) = row?;
            out.push(Candidate {
                entity,
                key: k,
                ids: ids.split(',').map(String::from).collect(),
                names: names.split(',').map(String::from).collect(),
            });
        }
    }
    Ok(out)
}

/// Fill the kept record's empty fields from the other one.
fn fill_from<T: serde::Serialize + serde::de::DeserializeOwned>(keep: &T, other: &T) -> Result<T> {
    let mut k = serde_json::to_value(keep)?;
    let o = serde_json::to_value(other)?;
    if let (Some(km), Some(om)) = (k.as_object_mut(), o.as_object()) {
        for (f, v) in om {
            if km.get(f).is_some_and(Value::is_null) && !v.is_null() {
                km.insert(f.clone(), v.clone());
            }
        }
    }
    Ok(serde_json::from_value(k)?)
}

fn merge_members(tx: &mut Tx, keep: Id, drop: Id) -> Result<()> {
    let a: Member = tx.get(&keep)?;
    let b: Member = tx.get(&drop)?;
    if a.id_number != b.id_number {
        return Err(Error::Rule(format!(
            "两名党员的公民身份号码不同（{} 与 {}），不是同一人，不能合并",
            a.id_number, b.id_number
        )));
    }
    for mut ev in list::<MemberEvent>(tx.conn(), "member_id = ?1", &[&drop], "rowid")? {
        ev.member_id = keep;
        tx.update(ev)?;
    }
    let sql = "id IN (SELECT activity_id FROM attendance WHERE member_id = ?1)";
    for mut act in list::<Activity>(tx.conn(), sql, &[&drop], "rowid")? {
        let has_keep = act.attendance.iter().any(|x| x.member_id == keep);
        if has_keep {
            act.attendance.retain(|x| x.member_id != drop);
        } else {
            act.attendance
                .iter_mut()
                .filter(|x| x.member_id == drop)
                .for_each(|x| x.member_id = keep);
        }
        tx.update(act)?;
    }
    for mut d in list::<Dues>(tx.conn(), "member_id = ?1", &[&drop], "rowid")? {
        d.member_id = keep;
        tx.update(d)?;
    }
    for mut o in list::<Org>(
        tx.conn(),
        "committee LIKE ?1",
        &[&format!("%{drop}%")],
        "rowid",
    )? {
        o.committee
            .0
            .iter_mut()
            .filter(|s| s.member_id == Some(drop))
            .for_each(|s| s.member_id = Some(keep));
        tx.update(o)?;
    }
    let mut gone = b.clone();
    gone.status = MemberStatus::Merged;
    gone.merged_into = Some(keep);
    tx.update_unguarded_raw(b.clone(), gone)?;
    let filled = fill_from(&a, &b)?;
    tx.update_unguarded(a, filled)?;
    Ok(())
}

fn merge_units(tx: &mut Tx, keep: Id, drop: Id) -> Result<()> {
    let a: Unit = tx.get(&keep)?;
    let b: Unit = tx.get(&drop)?;
    if a.credit_code.is_none() || a.credit_code != b.credit_code {
        return Err(Error::Rule(
            "两个单位的统一社会信用代码不同，不是同一单位，不能合并".into(),
        ));
    }
    for mut m in list::<Member>(tx.conn(), "work_unit_id = ?1", &[&drop], "rowid")? {
        m.work_unit_id = Some(keep);
        tx.update(m)?;
    }
    for mut o in list::<Org>(
        tx.conn(),
        "id IN (SELECT org_id FROM org_unit WHERE unit_id = ?1)",
        &[&drop],
        "rowid",
    )? {
        o.unit_ids.retain(|u| *u != drop);
        o.unit_ids.push(keep);
        tx.update(o)?;
    }
    for mut v in list::<Visit>(tx.conn(), "unit_id = ?1", &[&drop], "rowid")? {
        v.unit_id = keep;
        tx.update(v)?;
    }
    for mut al in list::<Alliance>(
        tx.conn(),
        "unit_ids LIKE ?1",
        &[&format!("%{drop}%")],
        "rowid",
    )? {
        al.unit_ids.0.retain(|u| *u != drop);
        al.unit_ids.0.push(keep);
        tx.update(al)?;
    }
    // The duplicate keeps its 信用代码 as recorded, so it is written without validation.
    let mut gone = b.clone();
    gone.status = UnitStatus::Merged;
    gone.merged_into = Some(keep);
    tx.update_unguarded_raw(b.clone(), gone)?;
    let filled = fill_from(&a, &b)?;
    tx.update(filled)?;
    Ok(())
}

/// Merge `drop` into `keep` (both members, or both units), in one transaction.
pub fn merge(store: &mut Store, keep: Id, drop: Id) -> Result<Entity> {
    if keep == drop {
        return Err(Error::Rule("不能把记录与自己合并".into()));
    }
    let entity = store
        .entity_of(&keep)?
        .ok_or_else(|| Error::not_found("记录", keep))?;
    store.write(|tx| match Entity::parse(&entity) {
        Some(Entity::Member) => merge_members(tx, keep, drop).map(|_| Entity::Member),
        Some(Entity::Unit) => merge_units(tx, keep, drop).map(|_| Entity::Unit),
        _ => Err(Error::Rule(format!(
            "只能合并党员或单位，不能合并“{entity}”"
        ))),
    })
}
