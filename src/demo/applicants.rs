//! 发展党员 in the demo: people on the path in about half the branches (some at each stage,
//! some late for a step), a few in 发展党员 target units, and the path that brought each
//! recent 预备党员 in. Generated last, so the rest of the demo is as it was without them.

use super::names::EDUCATION;
use super::people::{birth, id_number, mobile, name, random_gender};
use super::{Gen, World};
use crate::error::Result;
use crate::model::validate::add_months;
use crate::model::{
    Applicant, Assessment, Id, JsonList, MemberCategory, Meta, OrgStatus, UnitStatus,
};
use crate::store::Tx;
use chrono::{Days, NaiveDate};
use std::collections::BTreeSet;

#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Applicant,
    Activist,
    Candidate,
    Left,
}

/// Write the demo's applicants; returns how many.
pub(super) fn applicants(tx: &mut Tx, g: &mut Gen, w: &World) -> Result<usize> {
    let mut taken: BTreeSet<String> = w.members.iter().map(|m| m.m.id_number.clone()).collect();
    let mut n = 0;
    // Two 正式党员 of each org who can be 培养联系人 and 入党介绍人.
    let pairs: Vec<Option<[Id; 2]>> = w
        .orgs
        .iter()
        .map(|o| {
            let able: Vec<Id> = o
                .members
                .iter()
                .filter(|&&m| w.members[m].can_serve())
                .map(|&m| w.members[m].m.meta.id)
                .take(2)
                .collect();
            (able.len() == 2 && o.org.status == OrgStatus::Active).then(|| [able[0], able[1]])
        })
        .collect();
    for (oi, o) in w.orgs.iter().enumerate() {
        let Some(people) = pairs[oi] else { continue };
        if !g.chance(0.45) {
            continue;
        }
        let unit = o.home.or_else(|| o.units.first().copied());
        for _ in 0..g.rng.usize(1..=3) {
            let mut stage = match g.weighted([30, 35, 25, 5]) {
                0 => Stage::Applicant,
                1 => Stage::Activist,
                2 => Stage::Candidate,
                _ => Stage::Left,
            };
            // The first two are late whatever the draw, so every county shows the findings.
            let late = n < 2 || g.chance(0.17);
            if n < 2 {
                stage = [Stage::Applicant, Stage::Activist][n];
            }
            let mut a = person(g, w, o.org.meta.id, unit, &mut taken);
            walk(g, &mut a, stage, people, late);
            tx.insert(a)?;
            n += 1;
        }
    }
    // 发展党员 target units (no members, many employees): some have applicants, developed by
    // an org of their 乡镇街道.
    for (ui, u) in w.units.iter().enumerate() {
        let target = u.members.is_empty()
            && u.unit.status == UnitStatus::Operating
            && u.unit.employees.is_some_and(|e| e > 50);
        if !target || !g.chance(0.3) {
            continue;
        }
        let host =
            (0..w.orgs.len()).find(|&o| pairs[o].is_some() && w.orgs[o].area == Some(u.area));
        let Some(o) = host else { continue };
        let mut a = person(g, w, w.orgs[o].org.meta.id, Some(ui), &mut taken);
        let stage = if g.chance(0.5) {
            Stage::Applicant
        } else {
            Stage::Activist
        };
        let late = g.chance(0.17);
        walk(g, &mut a, stage, pairs[o].expect("host has a pair"), late);
        tx.insert(a)?;
        n += 1;
    }
    n += admitted_paths(tx, g, w, &pairs)?;
    Ok(n)
}

/// Someone who works in `unit` (or elsewhere), applying to `org`.
fn person(
    g: &mut Gen,
    w: &World,
    org: Id,
    unit: Option<usize>,
    taken: &mut BTreeSet<String>,
) -> Applicant {
    let gender = random_gender(g, 0.55);
    let born = birth(g, 21, 40);
    let id = id_number(g, born, gender, taken);
    let mut a = Applicant::new(name(g, gender), id, org, g.as_of);
    a.meta = Meta {
        id: g.id(),
        ..Meta::default()
    };
    a.gender = gender;
    a.birth_date = Some(born);
    a.ethnicity = Some("汉族".into());
    a.education = Some(
        EDUCATION[g.weighted(EDUCATION.iter().map(|e| e.1))]
            .0
            .to_string(),
    );
    match unit {
        Some(u) => {
            a.work_unit_id = Some(w.units[u].unit.meta.id);
            a.work_unit_name = Some(w.units[u].unit.name.clone());
        }
        None => a.work_unit_name = Some("个体经营".into()),
    }
    a.job = Some(
        g.pick(&["技术员", "销售经理", "行政专员", "车间主任", "会计", "社工"])
            .to_string(),
    );
    a.phone = Some(mobile(g));
    a
}

/// Take the person along the path to `stage`, dates counted back from today; `late`: behind
/// on a step (no 谈话 after a month, no 考察 for half a year).
fn walk(g: &mut Gen, a: &mut Applicant, stage: Stage, people: [Id; 2], late: bool) {
    match stage {
        Stage::Applicant => {
            a.applied_on = g.days_ago(5, 300);
            if late {
                a.applied_on = g.days_ago(45, 200);
            } else if g.as_of - a.applied_on > chrono::Duration::days(25) {
                a.talked_on = Some(a.applied_on + Days::new(g.rng.u64(5..=25)));
            }
        }
        Stage::Activist | Stage::Left => {
            // Late: past the half year with its 考察 not recorded.
            let activist = if late {
                g.days_ago(200, 340)
            } else {
                g.days_ago(40, 340)
            };
            a.applied_on = activist - Days::new(g.rng.u64(60..=240));
            a.talked_on = Some(a.applied_on + Days::new(g.rng.u64(5..=25)));
            a.activist_on = Some(activist);
            a.contact_ids = JsonList(people.to_vec());
            let until = if stage == Stage::Left {
                let left = g.days_ago(1, 30).max(activist);
                a.left_on = Some(left);
                a.left_reason = Some("本人工作调动离开本单位".into());
                left
            } else {
                g.as_of
            };
            a.assessments = assessments(g, activist, until, late);
        }
        Stage::Candidate => {
            let candidate = g.days_ago(10, 200);
            let activist = candidate - Days::new(g.rng.u64(370..=480));
            a.applied_on = activist - Days::new(g.rng.u64(60..=240));
            a.talked_on = Some(a.applied_on + Days::new(g.rng.u64(5..=25)));
            a.activist_on = Some(activist);
            a.contact_ids = JsonList(people.to_vec());
            a.assessments = assessments(g, activist, candidate, false);
            a.candidate_on = Some(candidate);
            let mut day = candidate;
            if g.chance(0.7) {
                day = (day + Days::new(g.rng.u64(10..=40))).min(g.as_of);
                a.review_on = Some(day);
                a.review_result = Some("政治审查合格".into());
            }
            if g.chance(0.6) {
                let from = (day + Days::new(g.rng.u64(5..=30))).min(g.as_of - Days::new(3));
                a.training_from = Some(from.max(candidate));
                a.training_to = Some(from.max(candidate) + Days::new(2));
                a.training_hours = Some(24);
            }
            if g.chance(0.5) {
                a.sponsor_ids = JsonList(people.to_vec());
                a.sponsors_on = Some(candidate);
            }
        }
    }
}

/// 培养考察 every six months from `from` until `until`; `skip_last` leaves the latest out.
fn assessments(
    g: &mut Gen,
    from: NaiveDate,
    until: NaiveDate,
    skip_last: bool,
) -> JsonList<Assessment> {
    let mut out = Vec::new();
    let mut on = add_months(from, 6);
    while on <= until {
        out.push(Assessment {
            on,
            note: Some(
                g.pick(&[
                    "思想积极，工作认真",
                    "表现良好，能按时参加党课学习",
                    "学习党章认真，群众评价好",
                ])
                .to_string(),
            ),
        });
        on = add_months(on, 6);
    }
    if skip_last {
        out.pop();
    }
    JsonList(out)
}

/// The path of each recent 预备党员 (admitted within the year): two 介绍人, 政审, 培训 and 预审
/// before the 支部大会; approved within three months — but one in eight not yet.
fn admitted_paths(tx: &mut Tx, g: &mut Gen, w: &World, pairs: &[Option<[Id; 2]>]) -> Result<usize> {
    let mut n = 0;
    let mut unapproved_yet = 0;
    for (oi, o) in w.orgs.iter().enumerate() {
        let Some(people) = pairs[oi] else { continue };
        for &mi in &o.members {
            let p = &w.members[mi];
            let m = &p.m;
            let recent = m.category == MemberCategory::Probationary
                && p.confirm_on.is_none()
                && !p.extend
                && p.left_on.is_none();
            if !recent || people.contains(&m.meta.id) {
                continue;
            }
            let admitted = m.joined_on;
            let mut a =
                Applicant::new(m.name.clone(), m.id_number.clone(), o.org.meta.id, admitted);
            a.meta = Meta {
                id: g.id(),
                ..Meta::default()
            };
            a.gender = m.gender;
            a.birth_date = m.birth_date;
            a.ethnicity.clone_from(&m.ethnicity);
            a.education.clone_from(&m.education);
            a.work_unit_id = m.work_unit_id;
            a.work_unit_name.clone_from(&m.work_unit_name);
            a.job.clone_from(&m.job);
            a.phone.clone_from(&m.phone);
            let candidate = admitted - Days::new(g.rng.u64(60..=150));
            let activist = candidate - Days::new(g.rng.u64(370..=450));
            a.applied_on = activist - Days::new(g.rng.u64(60..=200));
            a.talked_on = Some(a.applied_on + Days::new(g.rng.u64(5..=25)));
            a.activist_on = Some(activist);
            a.contact_ids = JsonList(people.to_vec());
            a.assessments = assessments(g, activist, candidate, false);
            a.candidate_on = Some(candidate);
            a.review_on = Some(candidate + Days::new(20));
            a.review_result = Some("政治审查合格".into());
            a.training_from = Some(candidate + Days::new(30));
            a.training_to = Some(candidate + Days::new(32));
            a.training_hours = Some(24);
            a.pre_review_on = Some(candidate + Days::new(45));
            a.publicity_from = Some(candidate + Days::new(46));
            a.publicity_to = Some(candidate + Days::new(52));
            a.sponsor_ids = JsonList(people.to_vec());
            a.sponsors_on = Some(candidate + Days::new(40));
            a.admitted_on = Some(admitted);
            a.member_id = Some(m.meta.id);
            let approval = admitted + Days::new(g.rng.u64(20..=80));
            // One in eight (and the first that can be) not yet approved after three months.
            let unapproved = (unapproved_yet == 0 || g.chance(0.125))
                && g.as_of - admitted > chrono::Duration::days(95);
            unapproved_yet += usize::from(unapproved);
            if !unapproved && approval <= g.as_of {
                a.approved_on = Some(approval);
            }
            tx.insert(a)?;
            n += 1;
        }
    }
    Ok(n)
}
