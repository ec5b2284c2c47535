//! The same member or applicant (身份证号) or unit (信用代码) entered on two PCs under different
//! ids, and an applicant who became a member elsewhere (a member with their 身份证号). They are
//! listed as merge candidates and merged only when a person asks: every reference moves to the
//! record kept, fields it lacks are filled from the other, and the other stays in the ledger as
//! 已合并 with a pointer to the survivor — nothing and no history is lost.

use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{list, Tx};
use crate::Store;
use serde::Serialize;
use serde_json::Value;

/// A group of records that look like one.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct Candidate {
    /// Member, Unit or Applicant (an applicant and a member: the member first).
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
    out.extend(applicant_candidates(store)?);
    Ok(out)
}

/// Applicants entered twice, and applicants still on the path who are members already (the
/// member first: merging links the applicant to them).
fn applicant_candidates(store: &Store) -> Result<Vec<Candidate>> {
    let queries = [
        "SELECT id_number, group_concat(id, ','), group_concat(name, ',') FROM applicant
         WHERE merged_into IS NULL GROUP BY id_number HAVING count(*) > 1 ORDER BY id_number",
        "SELECT a.id_number, m.id || ',' || a.id, m.name || ',' || a.name
         FROM applicant a JOIN member m ON m.id_number = a.id_number
         WHERE a.merged_into IS NULL AND a.member_id IS NULL AND m.merged_into IS NULL
         ORDER BY a.id_number",
    ];
    let mut out = Vec::new();
    for sql in queries {
        let mut st = store.conn().prepare(sql)?;
        let rows = st.query_map([], |r| {
            Ok(Candidate {
                entity: Entity::Applicant,
                key: r.get(0)?,
                ids: r
                    .get::<_, String>(1)?
                    .split(',')
                    .map(String::from)
                    .collect(),
                names: r
                    .get::<_, String>(2)?
                    .split(',')
                    .map(String::from)
                    .collect(),
            })
        })?;
        for c in rows {
            out.push(c?);
        }
    }
    Ok(out)
}

/// Two records of one applicant: the other's steps fill the kept one's gaps (checked as any
/// record is), the other is marked merged.
fn merge_applicants(tx: &mut Tx, keep: Id, drop: Id) -> Result<()> {
    let a: Applicant = tx.get(&keep)?;
    let b: Applicant = tx.get(&drop)?;
    if a.id_number != b.id_number {
        return Err(Error::Rule(format!(
            "两条记录的公民身份号码不同（{} 与 {}），不是同一人，不能合并",
            a.id_number, b.id_number
        )));
    }
    if a.member_id.is_some() && b.member_id.is_some() && a.member_id != b.member_id {
        return Err(Error::Rule(
            "两条记录各自已接收为不同的党员记录：请先合并这两名党员".into(),
        ));
    }
    let mut gone = b.clone();
    gone.merged_into = Some(keep);
    tx.update_unguarded_raw(b.clone(), gone)?;
    // Lists are never null: the other's fill an empty one.
    let mut filled = fill_from(&a, &b)?;
    if filled.assessments.0.is_empty() {
        filled.assessments = b.assessments.clone();
    }
    if filled.contact_ids.0.is_empty() {
        filled.contact_ids = b.contact_ids.clone();
    }
    if filled.sponsor_ids.0.is_empty() {
        filled.sponsor_ids = b.sponsor_ids.clone();
    }
    tx.update_unguarded(a, filled)?;
    Ok(())
}

/// An applicant who became a member elsewhere: the path ends there — linked to the member,
/// accepted on their 入党日期 (the 支部大会 was not this ledger's, so its conditions are not
/// checked here).
fn link_applicant(tx: &mut Tx, member: Id, applicant: Id) -> Result<()> {
    let m: Member = tx.get(&member)?;
    let a: Applicant = tx.get(&applicant)?;
    if m.id_number != a.id_number {
        return Err(Error::Rule(format!(
            "党员与入党申请人的公民身份号码不同（{} 与 {}），不是同一人，不能合并",
            m.id_number, a.id_number
        )));
    }
    if a.member_id.is_some() {
        return Err(Error::Rule("该入党申请人已关联党员记录".into()));
    }
    let mut linked = a.clone();
    linked.member_id = Some(member);
    linked.admitted_on = Some(m.joined_on);
    linked.left_on = None;
    linked.left_reason = None;
    linked.stage = linked.derived_stage();
    let note = format!(
        "已在其他党组织入党（入党日期 {}），由合并重复记录关联",
        m.joined_on
    );
    linked.note = Some(match &a.note {
        Some(n) => format!("{n}；{note}"),
        None => note,
    });
    tx.update_unguarded_raw(a, linked)?;
    Ok(())
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

/// Merge `drop` into `keep` (both members, both units or both applicants; or link the applicant
/// `drop` to the member `keep`), in one transaction.
pub fn merge(store: &mut Store, keep: Id, drop: Id) -> Result<Entity> {
    if keep == drop {
        return Err(Error::Rule("不能把记录与自己合并".into()));
    }
    let entity = store
        .entity_of(&keep)?
        .ok_or_else(|| Error::not_found("记录", keep))?;
    let other = store.entity_of(&drop)?;
    store.write(|tx| match Entity::parse(&entity) {
        Some(Entity::Member) if other.as_deref() == Some("applicant") => {
            link_applicant(tx, keep, drop).map(|_| Entity::Applicant)
        }
        Some(Entity::Member) => merge_members(tx, keep, drop).map(|_| Entity::Member),
        Some(Entity::Applicant) => merge_applicants(tx, keep, drop).map(|_| Entity::Applicant),
        Some(Entity::Unit) => merge_units(tx, keep, drop).map(|_| Entity::Unit),
        _ => Err(Error::Rule(format!(
            "只能合并党员、单位或入党申请人，不能合并“{entity}”"
        ))),
    })
}
