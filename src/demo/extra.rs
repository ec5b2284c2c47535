//! Instructors' visits, 红色联盟 and 党费.

use super::names::FOLLOWUPS;
use super::orgs::OrgP;
use super::{Gen, World};
use crate::error::Result;
use crate::model::{
    Alliance, AllianceKind, Dues, FollowUp, JsonList, Lookup, Meta, Money, OrgStatus, OrgType,
    UnitStatus, Visit,
};
use crate::store::Tx;
use chrono::{Datelike, Days, Months};
use std::cmp::Reverse;

/// What an instructor finds at a unit, and what they ask to be put right.
fn findings(g: &mut Gen, w: &World, u: usize) -> (String, Option<String>) {
    let unit = &w.units[u];
    let members = unit.members.len();
    let full = unit
        .members
        .iter()
        .filter(|&&i| w.members[i].is_full())
        .count();
    let own = w
        .orgs
        .iter()
        .any(|o| o.home == Some(u) && o.org.status == OrgStatus::Active);
    let covered = w
        .orgs
        .iter()
        .any(|o| o.units.contains(&u) && o.org.status == OrgStatus::Active);
    let emp = unit.unit.employees.unwrap_or(0);
    match (members, covered, own) {
        (0, _, _) if emp > 50 => (
            format!("单位有从业人员{emp}人，暂无党员。向负责人宣传党建工作政策，了解职工思想动态，建议物色培养入党积极分子。"),
            Some("物色培养入党积极分子".into()),
        ),
        (0, _, _) => ("单位暂无党员，了解生产经营情况，宣传党的方针政策。".into(), None),
        (_, _, false) if full >= 3 => (
            format!("单位有正式党员{full}名，符合单独组建党组织条件，尚未建立党组织，督促尽快启动组建程序。"),
            Some("启动单独组建党支部程序".into()),
        ),
        (_, false, _) => (
            format!("单位有党员{members}名，尚未纳入党组织覆盖，建议纳入所在乡镇联合党支部管理。"),
            Some("纳入联合党支部管理".into()),
        ),
        (_, true, false) => (
            format!("了解党员参加联合党支部组织生活情况，单位党员{members}名均已编入支部。"),
            None,
        ),
        _ => {
            let text = *g.pick(&[
                "查看“三会一课”记录，组织生活基本正常。",
                "党员活动室已落实，党务公开栏内容需及时更新。",
                "与企业负责人座谈，了解生产经营情况和用工需求。",
                "指导开展主题党日活动，帮助制定年度党建工作计划。",
                "党费收缴台账基本规范，个别党员交纳不及时。",
                "了解发展党员工作，指导做好入党积极分子培养考察。",
            ]);
            (text.to_string(), g.chance(0.3).then(|| g.pick(FOLLOWUPS).to_string()))
        }
    }
}

/// About two visits a month per instructor over the last year, to their own units.
pub(crate) fn visits(tx: &mut Tx, g: &mut Gen, w: &World) -> Result<usize> {
    let as_of = g.as_of;
    let year_ago = as_of - Months::new(12);
    let mut n = 0;
    for ins in w.instructors {
        let mine: Vec<usize> = (0..w.units.len())
            .filter(|&u| {
                w.units[u].unit.instructor_id == Some(ins.meta.id)
                    && w.units[u].unit.status != UnitStatus::Deregistered
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        for k in (0..12).rev() {
            let first = as_of.with_day(1).expect("day 1") - Months::new(k);
            for _ in 0..g.rng.usize(1..=3) {
                let day = g.day_in(first.year(), first.month(), 1, 28);
                if day > as_of || day <= year_ago {
                    continue;
                }
                let u = *g.pick(&mine);
                let (text, todo) = findings(g, w, u);
                let followups = match todo {
                    Some(content) if g.chance(0.8) => {
                        let due = day + Days::new(g.rng.u64(15..=60));
                        let closed = if g.chance(if due <= as_of { 0.7 } else { 0.2 }) {
                            let span = (due - day).num_days() as u64 + 15;
                            Some((day + Days::new(g.rng.u64(3..=span))).min(as_of))
                        } else {
                            None
                        };
                        vec![FollowUp {
                            content,
                            due_on: Some(due),
                            closed_on: closed,
                        }]
                    }
                    _ => Vec::new(),
                };
                let met_with = secretary(w, u).or_else(|| w.units[u].unit.legal_rep.clone());
                tx.insert(Visit {
                    meta: Meta {
                        id: g.id(),
                        ..Meta::default()
                    },
                    instructor_id: ins.meta.id,
                    unit_id: w.units[u].unit.meta.id,
                    visited_on: day,
                    met_with,
                    findings: text,
                    followups: JsonList(followups),
                    photos: JsonList::default(),
                })?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// The 书记 of the unit's own org, if it has one with a member as 书记.
fn secretary(w: &World, u: usize) -> Option<String> {
    let o = w
        .orgs
        .iter()
        .find(|o| o.home == Some(u) && !o.seats.is_empty())?;
    Some(w.members[o.seats[0].1].m.name.clone())
}

/// Two 红色联盟: one along the manufacturing chain, one in the county town.
pub(crate) fn alliances(tx: &mut Tx, g: &mut Gen, w: &World) -> Result<usize> {
    let mut n = 0;
    // A unit's own org at the top (党委/党总支/党支部 under a 综合党委, not a sub-branch).
    let own = |o: &&OrgP| {
        o.home.is_some()
            && w.orgs
                .iter()
                .any(|a| a.home.is_none() && o.org.parent_id == Some(a.org.meta.id))
    };
    let making = |u: usize| w.units[u].unit.industry.as_deref() == Some("制造业");
    let mut chain: Vec<&OrgP> = w
        .orgs
        .iter()
        .filter(own)
        .filter(|o| o.org.status == OrgStatus::Active && making(o.units[0]))
        .collect();
    chain.sort_by_key(|o| Reverse(w.units[o.units[0]].members.len()));
    if let Some(lead) = chain.first() {
        let mut units: Vec<usize> = (0..w.units.len())
            .filter(|&u| making(u) && w.units[u].unit.status == UnitStatus::Operating)
            .collect();
        units.sort_by_key(|&u| Reverse(w.units[u].unit.employees.unwrap_or(0)));
        tx.insert(Alliance {
            meta: Meta {
                id: g.id(),
                ..Meta::default()
            },
            name: "清河县智能制造产业链红色联盟".into(),
            kind: AllianceKind::IndustryChain,
            lead_org_id: lead.org.meta.id,
            founded_on: Some(g.days_ago(300, 900)),
            org_ids: JsonList(chain.iter().take(10).map(|o| o.org.meta.id).collect()),
            unit_ids: JsonList(
                units
                    .iter()
                    .take(15)
                    .map(|&u| w.units[u].unit.meta.id)
                    .collect(),
            ),
            note: Some("以链主企业党组织牵头，开展党建联建、技术攻关和人才共育".into()),
        })?;
        n += 1;
    }
    // 区域: led by the first area's 综合党委.
    let area = w.areas[0];
    let lead = w
        .orgs
        .iter()
        .find(|o| o.area == Some(0) && o.home.is_none() && o.org.org_type == OrgType::Committee);
    if let Some(lead) = lead {
        let lead_id = lead.org.meta.id;
        let orgs: Vec<_> = w
            .orgs
            .iter()
            .filter(|o| o.org.parent_id == Some(lead_id) && o.org.status == OrgStatus::Active)
            .take(12)
            .map(|o| o.org.meta.id)
            .collect();
        let units: Vec<_> = (0..w.units.len())
            .filter(|&u| {
                w.units[u].area == 0
                    && w.orgs.iter().any(|o| o.units.contains(&u))
                    && w.units[u].unit.status == UnitStatus::Operating
            })
            .take(20)
            .map(|u| w.units[u].unit.meta.id)
            .collect();
        tx.insert(Alliance {
            meta: Meta {
                id: g.id(),
                ..Meta::default()
            },
            name: format!("{area}“红色商圈”党建联盟"),
            kind: AllianceKind::Regional,
            lead_org_id: lead.org.meta.id,
            founded_on: Some(g.days_ago(200, 700)),
            org_ids: JsonList(orgs),
            unit_ids: JsonList(units),
            note: Some("区域内两新组织党组织结对共建，共享阵地资源".into()),
        })?;
        n += 1;
    }
    Ok(n)
}

/// 党费 of the last six months (this month included) for every member on the rolls: mostly
/// paid in the month, a few unpaid, nothing from members out of touch.
pub(crate) fn dues(tx: &mut Tx, g: &mut Gen, w: &World) -> Result<usize> {
    let as_of = g.as_of;
    let rates = tx.dues_rates();
    let this_month = as_of.with_day(1).expect("day 1");
    let mut n = 0;
    for p in w.members {
        let base = p.m.dues_base.unwrap_or(Money::from_yuan(3000));
        for k in (0..6).rev() {
            let first = this_month - Months::new(k);
            let last = first + Months::new(1) - Days::new(1);
            if p.m.joined_on > last || p.left_on.is_some_and(|l| l < first) {
                continue;
            }
            let on = g.day_in(first.year(), first.month(), 3, 25);
            let paid = !p.drifting && on <= as_of && !g.chance(0.03);
            tx.insert(Dues {
                meta: Meta {
                    id: g.id(),
                    ..Meta::default()
                },
                member_id: p.m.meta.id,
                month: first.format("%Y-%m").to_string(),
                base,
                payer_kind: p.m.payer_kind,
                due: Money(0),
                paid: paid.then(|| rates.due(base, p.m.payer_kind)),
                paid_on: paid.then_some(on),
            })?;
            n += 1;
        }
    }
    Ok(n)
}
