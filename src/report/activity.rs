//! 三会一课 completion per quarter and the 十个有 达标 rate, from the rules' own notions of
//! which org must meet when (so the statistics and `check` never disagree).

use super::stats::rate;
use crate::model::ActivityType;
use crate::rules::periods::{add_months, Period};
use crate::rules::{held_in, judged_from, meeting_applies, meeting_dates, Ledger, RuleParams};
use chrono::NaiveDate;
use serde::Serialize;

/// The kinds of meeting that make up 三会一课.
pub const SAN_HUI_YI_KE: [ActivityType; 4] = [
    ActivityType::BranchMeeting,
    ActivityType::CommitteeMeeting,
    ActivityType::GroupMeeting,
    ActivityType::PartyLecture,
];

/// Completion of one kind of meeting in a quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeCompletion {
    pub activity_type: &'static str,
    /// Periods (months or the quarter) in which a meeting was required, over all orgs.
    pub required: usize,
    /// Of those, periods with a meeting held.
    pub held: usize,
    pub rate: f64,
}

/// 三会一课 completion in one quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterCompletion {
    /// e.g. 2026Q3
    pub quarter: String,
    /// e.g. 2026年第三季度
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Orgs that had to hold at least one meeting in the quarter.
    pub orgs: usize,
    /// Of those, orgs that held every required one.
    pub orgs_complete: usize,
    pub required: usize,
    pub held: usize,
    /// held ÷ required
    pub rate: f64,
    pub by_type: Vec<TypeCompletion>,
    /// How the rate is computed, with the frequencies in force.
    #[serde(skip)]
    pub definition: String,
}

/// The sub-periods of a quarter for a frequency of `months` (1 or 3); none for longer ones.
fn sub_periods(q: &Period, months: u32) -> Vec<Period> {
    if months > 3 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut p = Period::containing(q.start, months);
    while p.start <= q.end {
        out.push(p);
        p = p.next();
    }
    out
}

/// 三会一课 completion of `orgs` in quarter `q`: each required period (a month for a monthly
/// meeting, the quarter for a quarterly one) counts once, held if at least one such meeting
/// was held in it. Periods before an org's 成立日期 or not yet ended are not required.
pub fn quarter_completion(
    l: &Ledger,
    p: &RuleParams,
    orgs: &[usize],
    q: &Period,
) -> QuarterCompletion {
    let mut by_type = Vec::new();
    let mut per_org = vec![(0usize, 0usize); orgs.len()];
    for t in SAN_HUI_YI_KE {
        let (mut required, mut held) = (0, 0);
        let Some(months) = p.meetings.of(t).months() else {
            continue;
        };
        let subs = sub_periods(q, months);
        if subs.is_empty() {
            continue;
        }
        for (k, &o) in orgs.iter().enumerate() {
            if !meeting_applies(l, p, o, t) {
                continue;
            }
            let from = judged_from(l, o);
            let dates = meeting_dates(l, o, t);
            for s in subs.iter().filter(|s| s.start >= from && s.end <= l.as_of) {
                let ok = held_in(&dates, s);
                required += 1;
                held += usize::from(ok);
                per_org[k].0 += 1;
                per_org[k].1 += usize::from(ok);
            }
        }
        by_type.push(TypeCompletion {
            activity_type: t.label(),
            required,
            held,
            rate: rate(held, required),
        });
    }
    let required: usize = by_type.iter().map(|t| t.required).sum();
    let held: usize = by_type.iter().map(|t| t.held).sum();
    let kinds: Vec<String> = SAN_HUI_YI_KE
        .iter()
        .map(|&t| {
            let when = match t {
                ActivityType::CommitteeMeeting => "（设有支委会的党组织）".to_string(),
                ActivityType::GroupMeeting => match p.group_meeting_min_members {
                    Some(n) => format!("（党员 {n} 名以上的党组织）"),
                    None => "（未启用）".to_string(),
                },
                _ => String::new(),
            };
            format!("{}{}{when}", t.label(), p.meetings.of(t).label())
        })
        .collect();
    QuarterCompletion {
        quarter: q.code(),
        label: q.label(),
        start: q.start,
        end: q.end,
        orgs: per_org.iter().filter(|c| c.0 > 0).count(),
        orgs_complete: per_org.iter().filter(|c| c.0 > 0 && c.0 == c.1).count(),
        required,
        held,
        rate: rate(held, required),
        by_type,
        definition: format!(
            "三会一课完成率 = 各党组织本季度实际开展的期数 ÷ 应开展的期数（{}；有在册党员的党组织，只计成立后已结束的完整周期，\
             同一期开展多次计一次）",
            kinds.join("、")
        ),
    }
}

/// 十个有 达标: orgs inspected within `inspection_max_age_months` whose latest inspection has
/// every item 有, over orgs that keep 组织生活.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectionStats {
    /// Active orgs with 在册 members (the denominator).
    pub orgs: usize,
    /// Inspected within the period.
    pub inspected: usize,
    /// Inspected within the period, every item of the latest inspection 有.
    pub passed: usize,
    /// passed ÷ orgs
    pub rate: f64,
}

pub fn inspection_stats(l: &Ledger, p: &RuleParams, orgs: &[usize]) -> InspectionStats {
    let mut s = InspectionStats {
        orgs: 0,
        inspected: 0,
        passed: 0,
        rate: 0.0,
    };
    for &o in orgs.iter().filter(|&&o| l.grassroots(o)) {
        s.orgs += 1;
        let Some(i) = l.latest_inspection(o) else {
            continue;
        };
        if l.as_of > add_months(i.inspected_on, p.inspection_max_age_months) {
            continue;
        }
        s.inspected += 1;
        s.passed += usize::from(i.gaps.is_empty());
    }
    s.rate = rate(s.passed, s.orgs);
    s
}
