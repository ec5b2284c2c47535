//! People: names, 公民身份号码, phone numbers, and the members of each unit.

use super::names::*;
use super::units::UnitP;
use super::{years_before, Gen};
use crate::model::validate::{add_months, id_number_check_char};
use crate::model::{Gender, Member, MemberCategory, Meta, Money, PayerKind, UnitCategory};
use chrono::{Datelike, Days, Months, NaiveDate};
use std::collections::BTreeSet;

/// A member as planned, with what happens to them later (events, gaps).
pub(crate) struct MemberP {
    pub m: Member,
    pub unit: usize,
    /// 转正 by an event on this date (inserted as 预备党员).
    pub confirm_on: Option<NaiveDate>,
    /// 延长预备期 by six months when the first year ends.
    pub extend: bool,
    /// 转出 on this date.
    pub left_on: Option<NaiveDate>,
    /// Out of touch: no attendance and no dues in the last six months.
    pub drifting: bool,
    /// The unit's leading member (first of its members).
    pub leader: bool,
}

impl MemberP {
    /// 正式党员 as of today (after any 转正 event).
    pub fn is_full(&self) -> bool {
        self.m.category == MemberCategory::Full || self.confirm_on.is_some()
    }

    /// Fit for a committee seat: 正式, present, staying.
    pub fn can_serve(&self) -> bool {
        self.is_full() && !self.drifting && !self.m.is_mobile && self.left_on.is_none()
    }

    /// On the org's rolls on this date.
    pub fn on_rolls(&self, d: NaiveDate) -> bool {
        self.m.joined_on <= d && self.left_on.is_none_or(|l| d < l)
    }
}

pub fn random_gender(g: &mut Gen, male: f64) -> Gender {
    if g.chance(male) {
        Gender::Male
    } else {
        Gender::Female
    }
}

pub fn name(g: &mut Gen, gender: Gender) -> String {
    let surname = *g.pick_front(SURNAMES);
    let own = if gender == Gender::Male {
        MALE_CHARS
    } else {
        FEMALE_CHARS
    };
    if g.chance(0.22) {
        format!("{surname}{}", g.pick(own))
    } else if g.chance(0.5) {
        format!("{surname}{}{}", g.pick(COMMON_CHARS), g.pick(own))
    } else {
        format!("{surname}{}{}", g.pick(own), g.pick(own))
    }
}

pub fn mobile(g: &mut Gen) -> String {
    let prefix = *g.pick(MOBILE_PREFIXES);
    format!("{prefix}{:08}", g.rng.u32(0..100_000_000))
}

/// A landline of 清河县 (area code 0571).
pub fn landline(g: &mut Gen) -> String {
    format!("0571-{}{:07}", g.rng.u32(5..=8), g.rng.u32(0..10_000_000))
}

/// A valid, unused 公民身份号码 for this birth date and sex.
pub(crate) fn id_number(
    g: &mut Gen,
    birth: NaiveDate,
    gender: Gender,
    taken: &mut BTreeSet<String>,
) -> String {
    loop {
        let region = if g.chance(0.8) {
            "330123"
        } else {
            *g.pick(OTHER_REGIONS)
        };
        let sex = g.rng.u32(0..5) * 2 + u32::from(gender == Gender::Male);
        let first = format!(
            "{region}{}{:02}{sex}",
            birth.format("%Y%m%d"),
            g.rng.u32(0..100)
        );
        let check = id_number_check_char(&first).expect("17 digits");
        let id = format!("{first}{check}");
        if taken.insert(id.clone()) {
            return id;
        }
    }
}

/// A birth date for someone `lo..=hi` years old on as_of.
pub(crate) fn birth(g: &mut Gen, lo: u32, hi: u32) -> NaiveDate {
    let age = g.rng.u32(lo..=hi);
    years_before(g.as_of, age) - Days::new(g.rng.u64(1..=364))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Full,
    /// 预备党员 admitted in the last year
    Probationary,
    /// admitted 1–2 years ago, 转正 by event
    ConfirmLater,
}

/// Plan every unit's members (`UnitP::n_members` of them) and record them in `UnitP::members`.
pub(crate) fn plan_members(g: &mut Gen, us: &mut [UnitP]) -> Vec<MemberP> {
    let mut taken = BTreeSet::new();
    let mut ms = Vec::new();
    for (ui, u) in us.iter_mut().enumerate() {
        for k in 0..u.n_members {
            let leader = k == 0;
            let r = g.rng.f64();
            let kind = if leader || r >= 0.065 {
                Kind::Full
            } else if r < 0.05 {
                Kind::Probationary
            } else {
                Kind::ConfirmLater
            };
            let p = member(g, ui, &u.unit, leader, kind, &mut taken);
            if leader && g.chance(0.35) {
                u.unit.legal_rep = Some(p.m.name.clone());
                u.unit.legal_rep_is_member = true;
            }
            u.members.push(ms.len());
            ms.push(p);
        }
    }
    special_cases(g, &mut ms);
    ms
}

fn member(
    g: &mut Gen,
    ui: usize,
    unit: &crate::model::Unit,
    leader: bool,
    kind: Kind,
    taken: &mut BTreeSet<String>,
) -> MemberP {
    let as_of = g.as_of;
    let gender = random_gender(g, if leader { 0.8 } else { 0.6 });
    let (lo, hi) = match kind {
        _ if leader => (35, 58),
        Kind::Full => (23, 63),
        Kind::Probationary => (22, 38),
        Kind::ConfirmLater => (23, 40),
    };
    let born = birth(g, lo, hi);
    let id_number = id_number(g, born, gender, taken);
    let (joined, category, confirmed, confirm_on) = match kind {
        Kind::Full => {
            let join_age = 18 + (g.rng.f64().powi(2) * 27.0) as u32;
            let joined = super::years_after(born, join_age) + Days::new(g.rng.u64(0..=364));
            let lower = (super::years_after(born, 18) + Days::new(1))
                .max(NaiveDate::from_ymd_opt(1985, 1, 1).unwrap());
            let upper = as_of - Months::new(13);
            let joined = joined.clamp(lower.min(upper), upper);
            (
                joined,
                MemberCategory::Full,
                Some(add_months(joined, 12)),
                None,
            )
        }
        Kind::Probationary => (
            g.days_ago(15, 330),
            MemberCategory::Probationary,
            None,
            None,
        ),
        Kind::ConfirmLater => {
            let joined = as_of - Months::new(12) - Days::new(g.rng.u64(5..=240));
            let end = add_months(joined, 12);
            let slack = (as_of - end).num_days().clamp(0, 30) as u64;
            (
                joined,
                MemberCategory::Probationary,
                None,
                Some(end + Days::new(g.rng.u64(0..=slack))),
            )
        }
    };
    let mut m = Member::new(name(g, gender), id_number, joined);
    m.meta = Meta {
        id: g.id(),
        ..Meta::default()
    };
    m.gender = gender;
    m.birth_date = Some(born);
    m.category = category;
    m.confirmed_on = confirmed;
    m.ethnicity = Some(
        if g.chance(0.94) {
            "汉族"
        } else {
            *g.pick(MINORITIES)
        }
        .to_string(),
    );
    let edu = g.weighted(EDUCATION.iter().map(|e| e.1));
    m.education = Some(EDUCATION[edu].0.to_string());
    m.work_unit_id = Some(unit.meta.id);
    m.work_unit_name = Some(unit.name.clone());
    let social = unit.category != UnitCategory::Enterprise;
    m.job = Some(
        match (leader, social) {
            (true, false) => {
                if g.chance(0.7) {
                    "总经理"
                } else {
                    "董事长"
                }
            }
            (true, true) => {
                if unit.category == UnitCategory::SocialGroup {
                    "秘书长"
                } else {
                    "负责人"
                }
            }
            (false, false) => g.pick(JOBS_ENTERPRISE),
            (false, true) => g.pick(JOBS_SOCIAL),
        }
        .to_string(),
    );
    m.phone = g.chance(0.97).then(|| mobile(g));
    let age = as_of.year() - born.year();
    if age >= 58 && g.chance(0.35) {
        m.payer_kind = PayerKind::Retired;
        m.dues_base = Some(Money::from_yuan(g.rng.i64(280..=650) * 10));
    } else if !leader && g.chance(0.004) {
        m.payer_kind = PayerKind::Hardship;
        m.dues_base = Some(Money::from_yuan(g.rng.i64(150..=240) * 10));
    } else {
        let skew = g.rng.f64().powi(2);
        let yuan = 2500 + (12500.0 * if leader { skew.sqrt() } else { skew }) as i64;
        m.dues_base = Some(Money::from_yuan(yuan / 10 * 10));
    }
    MemberP {
        m,
        unit: ui,
        confirm_on,
        extend: false,
        left_on: None,
        drifting: false,
        leader,
    }
}

/// The cases the rules look for: 预备期 ending soon or overdue, one extension, 流动党员, one
/// member out of touch for half a year, one 转出.
fn special_cases(g: &mut Gen, ms: &mut [MemberP]) {
    if ms.len() < 20 {
        return;
    }
    let as_of = g.as_of;
    let year_ago = as_of - Months::new(12);
    let overdue = if ms.len() >= 200 { 2 } else { 1 };
    // Who may be turned into one of the special 预备党员: not a leader, not 转正 by event.
    let mut pool: Vec<usize> = (0..ms.len())
        .filter(|&i| !ms[i].leader && ms[i].confirm_on.is_none())
        .collect();
    g.rng.shuffle(&mut pool);
    pool.sort_by_key(|&i| ms[i].m.category != MemberCategory::Probationary);
    let mut next = pool.into_iter();
    let mut make_probationary = |ms: &mut [MemberP], joined: NaiveDate| -> Option<usize> {
        let i = next.next()?;
        let m = &mut ms[i].m;
        m.category = MemberCategory::Probationary;
        m.confirmed_on = None;
        m.joined_on = joined;
        Some(i)
    };
    for _ in 0..2 {
        let joined = year_ago + Days::new(g.rng.u64(1..=28));
        make_probationary(ms, joined);
    }
    for _ in 0..overdue {
        let joined = year_ago - Days::new(g.rng.u64(3..=40));
        if let Some(i) = make_probationary(ms, joined) {
            ms[i].m.note = Some("预备期已满，待支部党员大会讨论转正".into());
        }
    }
    let joined = year_ago - Days::new(g.rng.u64(20..=80));
    if let Some(i) = make_probationary(ms, joined) {
        ms[i].extend = true;
    }

    // The rest come from ordinary 正式党员 who are not leaders.
    let mut full: Vec<usize> = (0..ms.len())
        .filter(|&i| {
            !ms[i].leader && ms[i].m.category == MemberCategory::Full && ms[i].confirm_on.is_none()
        })
        .collect();
    g.rng.shuffle(&mut full);
    let mut it = full.into_iter();
    let n_mobile = (ms.len() as f64 * 0.04).round() as usize;
    for i in it.by_ref().take(n_mobile) {
        ms[i].m.is_mobile = true;
        ms[i].m.mobile_to = Some(g.pick(MOBILE_TO).to_string());
    }
    let n_lost = (ms.len() / 200).max(1);
    for i in it.by_ref().take(n_lost) {
        ms[i].drifting = true;
        ms[i].m.is_lost_contact = true;
        ms[i].m.note = Some("长期外出，多次联系未果".into());
    }
    // 转出: a member of a unit with several members, some weeks ago.
    if let Some(i) = it.find(|&i| ms.iter().filter(|o| o.unit == ms[i].unit).count() >= 5) {
        ms[i].left_on = Some(g.days_ago(20, 90));
    }
}
