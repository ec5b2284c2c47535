//! Dates that come due: 换届 of orgs and 转正 of 预备党员.

use super::periods::add_months;
use super::{Finding, Ledger, Rule, RuleParams};
use crate::model::{MemberCategory, OrgType};
use chrono::NaiveDate;

/// Orgs that hold 换届 elections: active, not a 临时党支部 (its committee is appointed by the
/// org that set it up, and it ends with its task).
fn elects(l: &Ledger, o: usize) -> bool {
    l.org_active(o) && l.orgs[o].org_type != OrgType::TemporaryBranch
}

/// When the org's term ends: 本届选举日期 (or, failing it, 成立日期) plus 任期.
pub fn term_end(l: &Ledger, o: usize) -> Option<(NaiveDate, NaiveDate)> {
    let org = &l.orgs[o];
    let base = org.elected_on.or(org.founded_on)?;
    let years = org.term_years.clamp(1, 10) as u32;
    Some((base, add_months(base, 12 * years)))
}

/// An org that elects with neither 本届选举日期 nor 成立日期: its 换届 cannot be followed.
pub(super) fn term_unknown(l: &Ledger, _p: &RuleParams) -> Vec<Finding> {
    (0..l.orgs.len())
        .filter(|&o| elects(l, o) && term_end(l, o).is_none())
        .map(|o| {
            Finding::org(
                l,
                Rule::TermUnknown,
                o,
                None,
                format!(
                    "{}未登记本届选举日期和成立日期，无法判断何时换届，请补充",
                    l.orgs[o].name
                ),
            )
        })
        .collect()
}

/// 换届 overdue (the check date is after the term's end) or due soon (within
/// `term_due_soon_days` before it, the end day included).
pub(super) fn term(l: &Ledger, p: &RuleParams, overdue: bool) -> Vec<Finding> {
    let as_of = l.as_of;
    let mut out = Vec::new();
    for o in 0..l.orgs.len() {
        if !elects(l, o) {
            continue;
        }
        let Some((base, end)) = term_end(l, o) else {
            continue;
        };
        let org = &l.orgs[o];
        let since = if org.elected_on.is_some() {
            format!("本届于 {base} 选举产生")
        } else {
            format!("于 {base} 成立（未登记选举日期）")
        };
        let days = (as_of - end).num_days();
        if overdue && days > 0 {
            let limit = add_months(end, p.term_max_delay_months);
            let beyond = if as_of > limit {
                format!(
                    "，已超过延期换届最长 {} 个月的期限（{limit}）",
                    p.term_max_delay_months
                )
            } else {
                String::new()
            };
            out.push(Finding::org(
                l,
                Rule::TermOverdue,
                o,
                Some(end),
                format!(
                    "{}{since}，任期 {} 年，应于 {end} 换届，已逾期 {days} 天{beyond}\
                     （参数：党委任期 5 年、党总支和党支部任期 3 年，以本组织登记的任期为准；\
                     延期一般不超过 {} 个月；依据：《关于党的基层组织任期的意见》）",
                    org.name, org.term_years, p.term_max_delay_months
                ),
            ));
        } else if !overdue && days <= 0 && -days <= p.term_due_soon_days {
            out.push(Finding::org(
                l,
                Rule::TermDueSoon,
                o,
                Some(end),
                format!(
                    "{}{since}，任期 {} 年，将于 {end} 届满（还有 {} 天），请及早做好换届准备\
                     （参数：届满前 {} 天提醒）",
                    org.name, org.term_years, -days, p.term_due_soon_days
                ),
            ));
        }
    }
    out
}

/// 预备党员 whose probation has ended with no 转正 recorded (overdue), or ends within
/// `probation_due_soon_days` (the end day included).
pub(super) fn probation(l: &Ledger, p: &RuleParams, overdue: bool) -> Vec<Finding> {
    let as_of = l.as_of;
    let mut out = Vec::new();
    for (i, m) in l.members.iter().enumerate() {
        if !m.is_active() || m.category != MemberCategory::Probationary {
            continue;
        }
        let end = m.probation_end();
        let days = (as_of - end).num_days();
        let org = m
            .org
            .map(|o| format!("（{}）", l.orgs[o].name))
            .unwrap_or_default();
        let extended = match m.probation_extended_to {
            Some(to) => format!(
                "，原预备期至 {} 已延长至 {to}（预备期只能延长一次）",
                m.original_probation_end()
            ),
            None => String::new(),
        };
        if overdue && days > 0 {
            let what = if m.probation_extended_to.is_some() {
                "应及时召开支部党员大会讨论其转正或取消预备党员资格"
            } else {
                "应及时召开支部党员大会讨论其能否转正"
            };
            out.push(Finding::member(
                l,
                Rule::ProbationOverdue,
                i,
                Some(end),
                format!(
                    "预备党员{}{org}于 {} 入党，预备期至 {end} 期满{extended}，已超过 {days} 天未登记转正，{what}\
                     （依据：党章第七条，预备期一年）",
                    m.name, m.joined_on
                ),
            ));
        } else if !overdue && days <= 0 && -days <= p.probation_due_soon_days {
            out.push(Finding::member(
                l,
                Rule::ProbationDueSoon,
                i,
                Some(end),
                format!(
                    "预备党员{}{org}于 {} 入党，预备期至 {end} 期满{extended}（还有 {} 天），请做好转正准备，\
                     转正不得早于期满日（参数：期满前 {} 天提醒）",
                    m.name,
                    m.joined_on,
                    -days,
                    p.probation_due_soon_days
                ),
            ));
        }
    }
    out
}
