//! Loading the [`Ledger`] snapshot from the store: one query per table plus three aggregates
//! (last attendance, last 党费, last 转入 per member), so a city-scale ledger loads in seconds.

use super::ledger::*;
use super::periods::local_date;
use crate::error::Result;
use crate::model::{
    ActivityType, Applicant, CheckResult, ChecklistItem, CommitteeSeat, FollowUp, Id,
    InspectionItem, JsonList,
};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

impl Ledger {
    /// The ledger as of `as_of`, with activities from 1 January of the year before.
    pub fn load(store: &Store, as_of: NaiveDate) -> Result<Ledger> {
        let since = NaiveDate::from_ymd_opt(as_of.year() - 1, 1, 1).unwrap_or(NaiveDate::MIN);
        Self::load_since(store, as_of, since)
    }

    /// The ledger as of `as_of`, with activities held from `since` on. Records dated after
    /// `as_of` (activities, inspections, visits, 党费, events) are left out.
    pub fn load_since(store: &Store, as_of: NaiveDate, since: NaiveDate) -> Result<Ledger> {
        let c = store.conn();
        let units = units(c)?;
        let unit_idx: HashMap<Id, usize> =
            units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let orgs = orgs(c, &unit_idx)?;
        let org_idx: HashMap<Id, usize> = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        let members = members(c, as_of, &unit_idx, &org_idx)?;
        let activities = activities(c, since, as_of, &org_idx)?;
        let inspections = inspections(c, as_of, &org_idx)?;
        let followups = followups(c, as_of, &unit_idx)?;
        let mut l = Ledger::new(
            as_of,
            since,
            units,
            orgs,
            members,
            activities,
            inspections,
            followups,
        );
        l.applicants = applicants(c, as_of, &unit_idx, &org_idx)?;
        l.education_order = dictionary(c, "学历")?;
        l.formation_order = dictionary(c, "组建方式")?;
        Ok(l)
    }
}

fn dictionary(c: &Connection, dict: &str) -> Result<Vec<String>> {
    let mut st = c.prepare("SELECT value FROM dictionary WHERE dict = ?1 ORDER BY sort")?;
    let v = st
        .query_map([dict], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

fn units(c: &Connection) -> Result<Vec<UnitRec>> {
    let mut st = c.prepare(
        "SELECT u.id, u.name, u.category, u.area, u.employees, u.status, u.has_union,
                u.has_youth_league, i.name, u.no_org_reason
         FROM unit u LEFT JOIN instructor i ON i.id = u.instructor_id AND i.active = 1
         ORDER BY u.rowid",
    )?;
    let rows = st.query_map([], |r| {
        Ok(UnitRec {
            id: r.get(0)?,
            name: r.get(1)?,
            category: r.get(2)?,
            area: r.get(3)?,
            employees: r.get(4)?,
            status: r.get(5)?,
            has_union: r.get(6)?,
            has_youth_league: r.get(7)?,
            instructor: r.get(8)?,
            no_org_reason: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn orgs(c: &Connection, unit_idx: &HashMap<Id, usize>) -> Result<Vec<OrgRec>> {
    let mut st = c.prepare(
        "SELECT id, name, org_type, formation, parent_id, area, founded_on, elected_on,
                term_years, status, committee
         FROM org ORDER BY rowid",
    )?;
    let mut parents: Vec<Option<Id>> = Vec::new();
    let rows = st.query_map([], |r| {
        let committee: JsonList<CommitteeSeat> = r.get(10)?;
        let secretary = committee
            .0
            .iter()
            .find(|s| s.role == "书记")
            .map(|s| s.name.clone());
        Ok((
            OrgRec {
                id: r.get(0)?,
                name: r.get(1)?,
                org_type: r.get(2)?,
                formation: r.get(3)?,
                parent: None,
                area: r.get(5)?,
                founded_on: r.get(6)?,
                elected_on: r.get(7)?,
                term_years: r.get(8)?,
                status: r.get(9)?,
                seats: committee.0.len(),
                secretary,
                units: Vec::new(),
            },
            r.get::<_, Option<Id>>(4)?,
        ))
    })?;
    let mut orgs = Vec::new();
    for row in rows {
        let (o, p) = row?;
        orgs.push(o);
        parents.push(p);
    }
    let org_idx: HashMap<Id, usize> = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    for (o, p) in orgs.iter_mut().zip(parents) {
        o.parent = p.and_then(|p| org_idx.get(&p).copied());
    }
    let mut st = c.prepare("SELECT org_id, unit_id FROM org_unit ORDER BY org_id, unit_id")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?)))?;
    for row in rows {
        let (o, u) = row?;
        if let (Some(&o), Some(&u)) = (org_idx.get(&o), unit_idx.get(&u)) {
            orgs[o].units.push(u);
        }
    }
    Ok(orgs)
}

/// Per-member dates from an aggregate query `SELECT member_id, date … GROUP BY member_id`.
fn member_dates(c: &Connection, sql: &str, as_of: NaiveDate) -> Result<HashMap<Id, NaiveDate>> {
    let mut st = c.prepare(sql)?;
    let rows = st.query_map([as_of], |r| {
        Ok((r.get::<_, Id>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, d) = row?;
        if let Some(d) = d.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()) {
            out.insert(id, d);
        }
    }
    Ok(out)
}

/// The last meeting each member attended on or before `as_of`. The bulk query reads only the
/// last six months' meetings (scanning activities, then their attendance by primary key);
/// 在册 members not seen there — few: those out of touch — are looked up one by one through
/// the attendance index, so the dates are exact without reading every attendance row kept.
fn last_attendance(c: &Connection, as_of: NaiveDate) -> Result<HashMap<Id, NaiveDate>> {
    let from = super::periods::sub_months(as_of, 6);
    let mut out = HashMap::new();
    let mut st = c.prepare(
        "SELECT t.member_id, max(a.held_on)
         FROM activity a CROSS JOIN attendance t ON t.activity_id = a.id
         WHERE t.present = 1 AND a.held_on > ?1 AND a.held_on <= ?2
         GROUP BY t.member_id",
    )?;
    let rows = st.query_map([from, as_of], |r| {
        Ok((r.get::<_, Id>(0)?, r.get::<_, NaiveDate>(1)?))
    })?;
    for row in rows {
        let (id, d) = row?;
        out.insert(id, d);
    }
    let mut missing = c.prepare("SELECT id FROM member WHERE status = '在册'")?;
    let missing: Vec<Id> = missing
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<Id>>>()?
        .into_iter()
        .filter(|id| !out.contains_key(id))
        .collect();
    let mut one = c.prepare(
        "SELECT max(a.held_on) FROM attendance t JOIN activity a ON a.id = t.activity_id
         WHERE t.member_id = ?1 AND t.present = 1 AND a.held_on <= ?2",
    )?;
    for id in missing {
        let d: Option<NaiveDate> = one.query_row(rusqlite::params![id, as_of], |r| r.get(0))?;
        if let Some(d) = d {
            out.insert(id, d);
        }
    }
    Ok(out)
}

fn members(
    c: &Connection,
    as_of: NaiveDate,
    unit_idx: &HashMap<Id, usize>,
    org_idx: &HashMap<Id, usize>,
) -> Result<Vec<MemberRec>> {
    let attended = last_attendance(c, as_of)?;
    let paid = member_dates(
        c,
        "SELECT member_id, max(max(coalesce(paid_on, month || '-01'), month || '-01'))
         FROM dues
         WHERE paid > 0 AND coalesce(paid_on, month || '-01') <= ?1
         GROUP BY member_id",
        as_of,
    )?;
    let moved_in = member_dates(
        c,
        "SELECT member_id, max(occurred_on) FROM member_event
         WHERE kind = '转入' AND occurred_on <= ?1 GROUP BY member_id",
        as_of,
    )?;
    let mut st = c.prepare(
        "SELECT id, name, gender, birth_date, education, category, status, joined_on,
                probation_extended_to, org_id, work_unit_id, is_mobile, is_lost_contact
         FROM member ORDER BY rowid",
    )?;
    let rows = st.query_map([], |r| {
        let id: Id = r.get(0)?;
        let org: Option<Id> = r.get(9)?;
        let unit: Option<Id> = r.get(10)?;
        Ok(MemberRec {
            id,
            name: r.get(1)?,
            gender: r.get(2)?,
            birth_date: r.get(3)?,
            education: r.get(4)?,
            category: r.get(5)?,
            status: r.get(6)?,
            joined_on: r.get(7)?,
            probation_extended_to: r.get(8)?,
            org: org.and_then(|o| org_idx.get(&o).copied()),
            work_unit: unit.and_then(|u| unit_idx.get(&u).copied()),
            is_mobile: r.get(11)?,
            is_lost_contact: r.get(12)?,
            last_attended: attended.get(&id).copied(),
            last_paid: paid.get(&id).copied(),
            transferred_in: moved_in.get(&id).copied(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Applicants who had applied by `as_of` (duplicates merged into another record left out),
/// their steps as they stood that day.
fn applicants(
    c: &Connection,
    as_of: NaiveDate,
    unit_idx: &HashMap<Id, usize>,
    org_idx: &HashMap<Id, usize>,
) -> Result<Vec<ApplicantRec>> {
    let list: Vec<Applicant> = crate::store::list(
        c,
        "merged_into IS NULL AND applied_on <= ?1",
        &[&as_of],
        "rowid",
    )?;
    Ok(list
        .into_iter()
        .map(|a| ApplicantRec {
            id: a.meta.id,
            org: org_idx.get(&a.org_id).copied(),
            work_unit: a.work_unit_id.and_then(|u| unit_idx.get(&u).copied()),
            dates: a.path_dates().as_of(as_of),
            name: a.name,
        })
        .collect())
}

fn activities(
    c: &Connection,
    since: NaiveDate,
    as_of: NaiveDate,
    org_idx: &HashMap<Id, usize>,
) -> Result<Vec<ActivityRec>> {
    let mut st = c.prepare(
        "SELECT id, org_id, types, held_on, recorded_at, topic FROM activity
         WHERE held_on >= ?1 AND held_on <= ?2",
    )?;
    let rows = st.query_map([since, as_of], |r| {
        let org: Id = r.get(1)?;
        let types: JsonList<ActivityType> = r.get(2)?;
        let recorded: String = r.get(4)?;
        Ok((
            org,
            ActivityRec {
                id: r.get(0)?,
                org: 0,
                types: types.0,
                held_on: r.get(3)?,
                recorded_on: local_date(&recorded),
                topic: r.get(5)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (org, mut a) = row?;
        if let Some(&o) = org_idx.get(&org) {
            a.org = o;
            out.push(a);
        }
    }
    Ok(out)
}

fn inspections(
    c: &Connection,
    as_of: NaiveDate,
    org_idx: &HashMap<Id, usize>,
) -> Result<Vec<InspectionRec>> {
    let mut checklists: HashMap<Id, (String, HashMap<String, String>)> = HashMap::new();
    let mut st = c.prepare("SELECT id, name, items FROM checklist")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, JsonList<ChecklistItem>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, name, items) = row?;
        let labels = items.0.into_iter().map(|i| (i.code, i.label)).collect();
        checklists.insert(id, (name, labels));
    }
    // Only the latest inspection of each org matters.
    let mut st = c.prepare(
        "SELECT id, org_id, checklist_id, inspected_on, items FROM inspection
         WHERE inspected_on <= ?1 ORDER BY org_id, inspected_on, rowid",
    )?;
    let rows = st.query_map([as_of], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, Id>(1)?,
            r.get::<_, Id>(2)?,
            r.get::<_, NaiveDate>(3)?,
            r.get::<_, JsonList<InspectionItem>>(4)?,
        ))
    })?;
    let mut latest: HashMap<usize, InspectionRec> = HashMap::new();
    for row in rows {
        let (id, org, checklist, on, items) = row?;
        let Some(&o) = org_idx.get(&org) else {
            continue;
        };
        let (name, labels) = checklists
            .get(&checklist)
            .map(|(n, l)| (n.clone(), Some(l)))
            .unwrap_or_else(|| ("检查".to_string(), None));
        let gaps = items
            .0
            .iter()
            .filter(|i| i.result != CheckResult::Yes)
            .map(|i| {
                let label = labels
                    .and_then(|l| l.get(&i.item_code))
                    .cloned()
                    .unwrap_or_else(|| i.item_code.clone());
                (label, i.result)
            })
            .collect();
        latest.insert(
            o,
            InspectionRec {
                id,
                org: o,
                checklist: name,
                inspected_on: on,
                items: items.0.len(),
                gaps,
            },
        );
    }
    let mut out: Vec<InspectionRec> = latest.into_values().collect();
    out.sort_by_key(|i| i.org);
    Ok(out)
}

fn followups(
    c: &Connection,
    as_of: NaiveDate,
    unit_idx: &HashMap<Id, usize>,
) -> Result<Vec<FollowUpRec>> {
    let mut st = c.prepare(
        "SELECT id, unit_id, visited_on, followups FROM visit
         WHERE visited_on <= ?1 AND followups <> '[]' ORDER BY visited_on, rowid",
    )?;
    let rows = st.query_map([as_of], |r| {
        Ok((
            r.get::<_, Id>(0)?,
            r.get::<_, Id>(1)?,
            r.get::<_, NaiveDate>(2)?,
            r.get::<_, JsonList<FollowUp>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (visit_id, unit, visited_on, items) = row?;
        let Some(&u) = unit_idx.get(&unit) else {
            continue;
        };
        for f in items.0 {
            if f.closed_on.is_some_and(|c| c <= as_of) {
                continue;
            }
            out.push(FollowUpRec {
                visit_id,
                unit: u,
                visited_on,
                content: f.content,
                due_on: f.due_on,
            });
        }
    }
    Ok(out)
}
