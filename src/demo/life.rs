//! 组织生活 over the two years before as_of, and 十个有 inspections.

use super::names::*;
use super::orgs::OrgP;
use super::{Gen, World};
use crate::error::Result;
use crate::model::{
    Activity, ActivityType as T, Attendance, CheckResult, Id, Inspection, InspectionItem,
    InspectorKind, Meta, OrgStatus, OrgType,
};
use crate::store::Tx;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Deserialize;

/// How an org goes about its meetings.
struct Habits {
    /// Share of meetings that never happen.
    skip: f64,
    /// Share of members present at an ordinary meeting.
    presence: f64,
    theme_day: u32,
    quarter_slot: u32,
    review_month: u32,
    host: String,
    recorder: Option<String>,
    /// Members on the committee.
    committee: Vec<usize>,
    /// 党小组 of orgs with 15 members or more (up to twelve members each).
    groups: Vec<Vec<usize>>,
    location: String,
}

impl Habits {
    fn new(g: &mut Gen, o: &OrgP, w: &World) -> Self {
        let skip = if g.chance(0.08) {
            0.5 + 0.25 * g.rng.f64()
        } else {
            0.08 + 0.14 * g.rng.f64()
        };
        let seat = |role: &str| {
            o.seats
                .iter()
                .find(|s| s.0 == role)
                .map(|s| w.members[s.1].m.name.clone())
        };
        let host = seat("书记")
            .or_else(|| o.org.secretary().map(str::to_string))
            .unwrap_or_else(|| w.members[o.members[0]].m.name.clone());
        let recorder =
            seat("组织委员").or_else(|| Some(w.members[*g.pick(&o.members)].m.name.clone()));
        let location = match (o.org.org_type, &o.org.area) {
            (OrgType::JointBranch, Some(a)) if g.chance(0.6) => format!("{a}党群服务中心"),
            (OrgType::TemporaryBranch, _) => "项目部会议室".to_string(),
            _ => g.pick(&LOCATIONS[..5]).to_string(),
        };
        let n_groups = if o.members.len() >= 15 {
            o.members.len().div_ceil(12)
        } else {
            0
        };
        let groups = (0..n_groups)
            .map(|k| {
                o.members
                    .iter()
                    .copied()
                    .skip(k)
                    .step_by(n_groups)
                    .collect()
            })
            .collect();
        Habits {
            groups,
            skip,
            presence: 0.85 + 0.10 * g.rng.f64(),
            theme_day: g.rng.u32(1..=20),
            quarter_slot: g.rng.u32(0..3),
            review_month: if g.chance(0.6) { 12 } else { 1 },
            host,
            recorder,
            committee: o.seats.iter().map(|s| s.1).collect(),
            location,
        }
    }
}

/// 主题党日 and 支委会 monthly, 支部党员大会 and 党课 quarterly, 组织生活会 and 民主评议党员 yearly,
/// for every org with members — with gaps.
pub(crate) fn activities(tx: &mut Tx, g: &mut Gen, w: &World) -> Result<usize> {
    let as_of = g.as_of;
    let start = as_of.with_day(1).expect("day 1") - Months::new(23);
    let mut n = 0;
    for o in w.orgs {
        if o.members.is_empty() || o.org.status != OrgStatus::Active {
            continue;
        }
        let h = Habits::new(g, o, w);
        for k in 0..24 {
            let first = start + Months::new(k);
            let (y, m) = (first.year(), first.month());
            let mut plan = vec![(
                vec![T::ThemeDay],
                g.day_in(y, m, h.theme_day, h.theme_day + 3),
            )];
            if h.committee.len() >= 3 {
                plan.push((vec![T::CommitteeMeeting], g.day_in(y, m, 1, 8)));
            }
            for _ in &h.groups {
                plan.push((vec![T::GroupMeeting], g.day_in(y, m, 5, 28)));
            }
            if (m - 1) % 3 == h.quarter_slot {
                if g.chance(0.3) {
                    plan.push((
                        vec![T::BranchMeeting, T::PartyLecture],
                        g.day_in(y, m, 10, 25),
                    ));
                } else {
                    plan.push((vec![T::BranchMeeting], g.day_in(y, m, 10, 25)));
                    plan.push((vec![T::PartyLecture], g.day_in(y, m, 10, 28)));
                }
            }
            if m == h.review_month {
                let (lo, hi) = if m == 12 { (15, 28) } else { (5, 20) };
                let day = g.day_in(y, m, lo, hi);
                if g.chance(0.6) {
                    plan.push((vec![T::LifeMeeting, T::MemberReview], day));
                } else {
                    plan.push((vec![T::LifeMeeting], day));
                    plan.push((vec![T::MemberReview], day + Days::new(g.rng.u64(1..=3))));
                }
            }
            let mut group = 0;
            for (types, day) in plan {
                let who = match types[0] {
                    T::CommitteeMeeting => &h.committee,
                    T::GroupMeeting => {
                        group += 1;
                        &h.groups[group - 1]
                    }
                    _ => &o.members,
                };
                if day > as_of || g.chance(h.skip) {
                    continue;
                }
                if let Some(a) = activity(g, o, w, &h, who, types, day, group) {
                    tx.insert(a)?;
                    n += 1;
                }
            }
        }
    }
    Ok(n)
}

#[allow(clippy::too_many_arguments)]
fn activity(
    g: &mut Gen,
    o: &OrgP,
    w: &World,
    h: &Habits,
    who: &[usize],
    types: Vec<T>,
    day: NaiveDate,
    group: usize,
) -> Option<Activity> {
    let six_months_ago = g.as_of - Months::new(6);
    let mut attendance = Vec::new();
    for &i in who {
        let p = &w.members[i];
        if !p.on_rolls(day) {
            continue;
        }
        let (present, reason) = if p.drifting && day >= six_months_ago {
            (false, None)
        } else if p.m.is_mobile {
            let here = g.chance(0.4);
            (here, (!here).then(|| "外出务工".to_string()))
        } else {
            let here = g.chance(h.presence);
            (here, (!here).then(|| g.pick(ABSENCE_REASONS).to_string()))
        };
        attendance.push(Attendance {
            member_id: p.m.meta.id,
            present,
            reason,
        });
    }
    if attendance.is_empty() {
        return None;
    }
    let mut topic = topic(g, &types, day);
    if types == [T::GroupMeeting] {
        topic = format!("第{}党小组：{topic}", super::orgs::cn(group - 1));
    }
    let mut a = Activity::new(o.org.meta.id, types.clone(), day, topic);
    a.meta = Meta {
        id: g.id(),
        ..Meta::default()
    };
    a.location = Some(if g.chance(0.85) {
        h.location.clone()
    } else {
        g.pick(LOCATIONS).to_string()
    });
    a.host = Some(h.host.clone());
    a.recorder = h.recorder.clone();
    a.summary = Some(g.pick(SUMMARIES).to_string());
    a.recorded_at = recorded_at(g, day);
    a.attendance = attendance;
    Some(a)
}

/// What the county was studying at the time.
fn timely(d: NaiveDate) -> Option<&'static str> {
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
    [
        (
            ymd(2025, 11, 1),
            ymd(2026, 12, 31),
            "学习贯彻党的二十届四中全会精神",
        ),
        (
            ymd(2025, 4, 1),
            ymd(2025, 8, 31),
            "深入贯彻中央八项规定精神学习教育",
        ),
        (
            ymd(2024, 8, 1),
            ymd(2025, 10, 31),
            "学习贯彻党的二十届三中全会精神",
        ),
        (
            ymd(2024, 4, 1),
            ymd(2024, 7, 31),
            "党纪学习教育：学习《中国共产党纪律处分条例》",
        ),
        (
            ymd(2023, 4, 1),
            ymd(2023, 12, 31),
            "学习贯彻习近平新时代中国特色社会主义思想主题教育",
        ),
        (
            ymd(2022, 10, 16),
            ymd(2023, 3, 31),
            "学习贯彻党的二十大精神",
        ),
    ]
    .into_iter()
    .find(|(from, to, _)| (*from..=*to).contains(&d))
    .map(|t| t.2)
}

fn topic(g: &mut Gen, types: &[T], d: NaiveDate) -> String {
    let (y, m) = (d.year(), d.month());
    let now = timely(d).filter(|_| g.chance(0.4));
    match types {
        [T::LifeMeeting, T::MemberReview] | [T::LifeMeeting] | [T::MemberReview] => {
            let yr = if m == 12 { y } else { y - 1 };
            let what = match types.len() {
                2 => "组织生活会和民主评议党员",
                _ if types[0] == T::LifeMeeting => "组织生活会",
                _ => "民主评议党员",
            };
            format!("{yr}年度{what}")
        }
        [T::ThemeDay] if m == 7 && g.chance(0.7) => {
            format!("主题党日：庆祝中国共产党成立{}周年", y - 1921)
        }
        [T::ThemeDay] => match now {
            Some(t) => format!("主题党日：{t}"),
            None => g.pick(THEME_DAY_TOPICS).to_string(),
        },
        [T::CommitteeMeeting] if m >= 11 && g.chance(0.5) => "研究年度组织生活会准备工作".into(),
        [T::CommitteeMeeting] => g.pick(COMMITTEE_TOPICS).to_string(),
        [T::GroupMeeting] => g.pick(GROUP_TOPICS).to_string(),
        [T::BranchMeeting, T::PartyLecture] => format!("支部党员大会暨{}", g.pick(LECTURE_TOPICS)),
        [T::BranchMeeting] => now
            .unwrap_or_else(|| *g.pick(BRANCH_MEETING_TOPICS))
            .to_string(),
        _ => g.pick(LECTURE_TOPICS).to_string(),
    }
}

/// When a meeting was entered: mostly within a week, ~5% 补记 40–120 days later, never
/// after as_of. Stored like the store's own timestamps (UTC, milliseconds).
fn recorded_at(g: &mut Gen, held: NaiveDate) -> String {
    let days = if g.chance(0.05) {
        g.rng.u64(40..=120)
    } else if g.chance(0.1) {
        0
    } else {
        g.rng.u64(1..=7)
    };
    let d = (held + Days::new(days)).min(g.as_of);
    let local = d
        .and_hms_opt(g.rng.u32(9..=17), g.rng.u32(0..60), g.rng.u32(0..60))
        .expect("valid time");
    (local - chrono::TimeDelta::hours(8))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

#[derive(Deserialize)]
struct ChecklistFile {
    id: Id,
    items: Vec<ChecklistItemFile>,
}

#[derive(Deserialize)]
struct ChecklistItemFile {
    code: String,
}

/// The shipped 十个有 checklist: its id and item codes.
fn shi_ge_you() -> (Id, Vec<String>) {
    let c: ChecklistFile =
        serde_json::from_str(include_str!("../../assets/checklists/shi_ge_you.json"))
            .expect("shipped checklist is valid JSON");
    (c.id, c.items.into_iter().map(|i| i.code).collect())
}

fn gap_note(code: &str, none: bool) -> &'static str {
    match (code, none) {
        ("plaque", true) => "未悬挂党组织牌匾",
        ("plaque", false) => "牌匾名称不规范",
        ("office", _) => "与企业行政办公共用",
        ("room", true) => "无固定活动场所",
        ("room", false) => "与会议室共用",
        ("av", _) => "电教设备老化，无法远程学习",
        ("rules", true) => "制度未上墙",
        ("rules", false) => "制度不全",
        ("records", _) => "三会一课记录不完整",
        ("flag", _) => "党旗未规范悬挂",
        ("portraits", _) => "缺少领袖画像",
        ("board", true) => "未设党务公开栏",
        ("board", false) => "公开栏内容未及时更新",
        ("seal", _) => "公章尚未刻制",
        _ => "需整改",
    }
}

/// One or two 十个有 inspections per org with members; a few orgs not inspected for over a year.
pub(crate) fn inspections(tx: &mut Tx, g: &mut Gen, w: &World) -> Result<usize> {
    let (checklist, codes) = shi_ge_you();
    let mut n = 0;
    for o in w.orgs {
        if o.members.is_empty() || o.org.status != OrgStatus::Active {
            continue;
        }
        let latest = if g.chance(0.08) {
            g.days_ago(380, 600)
        } else {
            g.days_ago(5, 330)
        };
        let weak = matches!(
            o.org.org_type,
            OrgType::JointBranch | OrgType::TemporaryBranch
        );
        let quality = if weak {
            0.5 + 0.35 * g.rng.f64()
        } else {
            0.65 + 0.33 * g.rng.f64()
        };
        let mut dates = vec![(latest, quality)];
        if g.chance(0.5) {
            dates.insert(
                0,
                (latest - Days::new(g.rng.u64(150..=330)), quality - 0.15),
            );
        }
        let instructor = o
            .units
            .first()
            .and_then(|&u| w.units[u].unit.instructor_id)
            .and_then(|id| w.instructors.iter().find(|i| i.meta.id == id))
            .unwrap_or_else(|| g.pick(w.instructors));
        for (on, q) in dates {
            let (kind, name, instructor_id) = match g.rng.u32(0..100) {
                0..=44 => {
                    let secretary = o.seats.first().map(|s| w.members[s.1].m.name.clone());
                    let name = secretary
                        .or_else(|| o.org.secretary().map(str::to_string))
                        .unwrap_or_else(|| w.members[o.members[0]].m.name.clone());
                    (InspectorKind::SelfCheck, name, None)
                }
                45..=89 => (
                    InspectorKind::Instructor,
                    instructor.name.clone(),
                    Some(instructor.meta.id),
                ),
                _ => {
                    let gender = super::people::random_gender(g, 0.6);
                    (
                        InspectorKind::Superior,
                        super::people::name(g, gender),
                        None,
                    )
                }
            };
            let items: Vec<InspectionItem> = codes
                .iter()
                .map(|code| {
                    let result = if g.chance(q) {
                        CheckResult::Yes
                    } else if g.chance(0.45) {
                        CheckResult::Partial
                    } else {
                        CheckResult::No
                    };
                    let note = (result != CheckResult::Yes)
                        .then(|| gap_note(code, result == CheckResult::No).to_string());
                    InspectionItem {
                        item_code: code.clone(),
                        result,
                        note,
                        photo: None,
                    }
                })
                .collect();
            let gaps = items
                .iter()
                .filter(|i| i.result != CheckResult::Yes)
                .count();
            let note = match (gaps, kind) {
                (0, _) => "十个有各项均已落实".to_string(),
                (_, InspectorKind::Superior) => format!("县委社会工作部督查，{gaps} 项需整改"),
                _ => format!("{gaps} 项未达标，已明确整改时限"),
            };
            let insp = Inspection {
                meta: Meta {
                    id: g.id(),
                    ..Meta::default()
                },
                org_id: o.org.meta.id,
                checklist_id: checklist,
                inspected_on: on,
                inspector_kind: kind,
                inspector_name: name,
                instructor_id,
                note: Some(note),
                items: crate::model::JsonList(items),
            };
            tx.insert(insp)?;
            n += 1;
        }
    }
    Ok(n)
}
