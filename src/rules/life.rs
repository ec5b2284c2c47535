//! 组织生活: missing meeting periods, 补记, and members out of touch (自行脱党 risk).

use super::periods::{add_months, checked_periods, sub_months, Period};
use super::{Finding, Ledger, Rule, RuleParams, SubjectType};
use crate::model::ActivityType;
use chrono::NaiveDate;

/// Whether an org must hold this kind of meeting at all: it keeps 组织生活 (active, with
/// members); 支委会 only with a committee of `committee_min_seats`; 党小组会 only when
/// `group_meeting_min_members` is set and reached.
pub fn meeting_applies(l: &Ledger, p: &RuleParams, o: usize, t: ActivityType) -> bool {
    if !l.grassroots(o) || p.meetings.of(t).months().is_none() {
        return false;
    }
    match t {
        ActivityType::CommitteeMeeting => l.orgs[o].seats >= p.committee_min_seats,
        ActivityType::GroupMeeting => p
            .group_meeting_min_members
            .is_some_and(|n| l.org_members(o).len() >= n),
        _ => true,
    }
}

/// Dates of the org's meetings of one kind, oldest first.
pub fn meeting_dates(l: &Ledger, o: usize, t: ActivityType) -> Vec<NaiveDate> {
    l.org_activities(o)
        .filter(|a| a.types.contains(&t))
        .map(|a| a.held_on)
        .collect()
}

/// Whether some date of the sorted list falls in the period.
pub fn held_in(dates: &[NaiveDate], period: &Period) -> bool {
    let i = dates.partition_point(|d| *d < period.start);
    dates.get(i).is_some_and(|d| *d <= period.end)
}

/// The first day from which an org's meetings are judged: its 成立日期, but not before the
/// activities loaded into the snapshot.
pub fn judged_from(l: &Ledger, o: usize) -> NaiveDate {
    l.orgs[o]
        .founded_on
        .map_or(l.activities_since, |f| f.max(l.activities_since))
}

/// The periods of `t` the org should have met in, as checked on the ledger's date: full
/// periods that ended within `lookback_months`, started on or after its 成立日期, and lie
/// within the loaded activities.
pub fn required_periods(l: &Ledger, p: &RuleParams, o: usize, t: ActivityType) -> Vec<Period> {
    checked_periods(
        p.meetings.of(t),
        l.as_of,
        p.lookback_months,
        Some(judged_from(l, o)),
    )
}

/// Per org and kind of meeting: the required periods with no such meeting held.
pub(super) fn missing_meetings(l: &Ledger, p: &RuleParams, t: ActivityType) -> Vec<Finding> {
    let Some(rule) = Rule::missing_meeting(t) else {
        return Vec::new();
    };
    let f = p.meetings.of(t);
    let mut out = Vec::new();
    for o in 0..l.orgs.len() {
        if !meeting_applies(l, p, o, t) {
            continue;
        }
        let periods = required_periods(l, p, o, t);
        if periods.is_empty() {
            continue;
        }
        let dates = meeting_dates(l, o, t);
        let missing: Vec<&Period> = periods.iter().filter(|q| !held_in(&dates, q)).collect();
        let Some(first) = missing.first() else {
            continue;
        };
        let labels: Vec<String> = missing.iter().map(|q| q.label()).collect();
        let extra = match t {
            ActivityType::GroupMeeting => format!(
                "；党员 {} 名以上的党组织检查党小组会",
                p.group_meeting_min_members.unwrap_or(0)
            ),
            ActivityType::CommitteeMeeting => "；设有支委会的党组织检查".to_string(),
            _ => String::new(),
        };
        out.push(Finding::org(
            l,
            rule,
            o,
            Some(first.end),
            format!(
                "{}近 {} 个月应{}开展{}（共 {} 期），缺少 {} 期：{}（参数：{}{}一次，只计成立后已结束的完整周期{extra}）",
                l.orgs[o].name,
                p.lookback_months,
                f.label(),
                t.label(),
                periods.len(),
                missing.len(),
                labels.join("、"),
                t.label(),
                f.label(),
            ),
        ));
    }
    out
}

/// 补记: an activity held within the lookback and entered more than `late_entry_days` after it
/// was held.
pub(super) fn late_entry(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let from = sub_months(l.as_of, p.lookback_months);
    let mut out = Vec::new();
    for a in &l.activities {
        if a.held_on <= from || !l.org_active(a.org) {
            continue;
        }
        let Some(rec) = a.recorded_on else {
            continue;
        };
        let days = (rec - a.held_on).num_days();
        if days <= p.late_entry_days {
            continue;
        }
        let org = &l.orgs[a.org];
        let types: Vec<&str> = a.types.iter().map(|t| t.label()).collect();
        out.push(Finding::other(
            Rule::LateEntry,
            (
                SubjectType::Activity,
                a.id,
                format!("{}：{}（{}）", org.name, a.topic, a.held_on),
            ),
            l.org_area(a.org),
            Some(a.held_on + chrono::Days::new(p.late_entry_days as u64)),
            format!(
                "{}于 {} 开展的{}“{}”到 {rec} 才录入，晚于活动 {days} 天，属补记，请核实记录的真实性\
                 （参数：活动后超过 {} 天录入视为补记）",
                org.name,
                a.held_on,
                types.join("、"),
                a.topic,
                p.late_entry_days
            ),
        ));
    }
    out
}

/// 在册 members with neither attendance nor 党费 for `lapse_months` months: counted from the
/// last meeting attended, the last 党费 paid, 转入 or 入党, whichever is latest. Fires on the day
/// the months are complete.
pub(super) fn lapsed_members(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, m) in l.members.iter().enumerate() {
        if !m.is_active() {
            continue;
        }
        let since = [m.last_attended, m.last_paid, m.transferred_in]
            .into_iter()
            .flatten()
            .fold(m.joined_on, NaiveDate::max);
        let due = add_months(since, p.lapse_months);
        if l.as_of < due {
            continue;
        }
        let show = |d: Option<NaiveDate>| d.map_or("无记录".to_string(), |d| d.to_string());
        let org = m
            .org
            .map(|o| format!("（{}）", l.orgs[o].name))
            .unwrap_or_default();
        let mut flags = Vec::new();
        if m.is_mobile {
            flags.push("流动党员");
        }
        if m.is_lost_contact {
            flags.push("失联党员");
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!("，系{}", flags.join("、"))
        };
        out.push(Finding::member(
            l,
            Rule::LapsedMember,
            i,
            Some(due),
            format!(
                "{}{org}最近一次参加组织生活：{}，最近一次交纳党费：{}{flags}；自 {since} 起已连续 {} 个月以上\
                 既未参加组织生活也未交纳党费，有自行脱党风险，应及时联系教育（参数：{} 个月；依据：党章第九条）",
                m.name,
                show(m.last_attended),
                show(m.last_paid),
                p.lapse_months,
                p.lapse_months
            ),
        ));
    }
    out
}
