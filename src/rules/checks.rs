//! Inspections (十个有) and instructors' visits.

use super::periods::add_months;
use super::{Finding, Ledger, Rule, RuleParams, SubjectType};

/// The latest inspection of an org that keeps 组织生活 found items 无 or 部分.
pub(super) fn inspection_gaps(l: &Ledger, _p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in 0..l.orgs.len() {
        if !l.grassroots(o) {
            continue;
        }
        let Some(insp) = l.latest_inspection(o) else {
            continue;
        };
        if insp.gaps.is_empty() {
            continue;
        }
        let gaps: Vec<String> = insp
            .gaps
            .iter()
            .map(|(label, r)| format!("{label}（{r}）"))
            .collect();
        out.push(Finding::org(
            l,
            Rule::InspectionGaps,
            o,
            Some(insp.inspected_on),
            format!(
                "{}最近一次{}检查（{}）共 {} 项，{} 项未达标：{}，请限期整改",
                l.orgs[o].name,
                insp.checklist,
                insp.inspected_on,
                insp.items,
                insp.gaps.len(),
                gaps.join("、")
            ),
        ));
    }
    out
}

/// An org that keeps 组织生活 and has not been inspected for `inspection_max_age_months`
/// (counted from its latest inspection, or from its 成立日期 when never inspected).
pub(super) fn inspection_stale(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let months = p.inspection_max_age_months;
    let mut out = Vec::new();
    for o in 0..l.orgs.len() {
        if !l.grassroots(o) {
            continue;
        }
        let org = &l.orgs[o];
        let (due, what) = match l.latest_inspection(o) {
            Some(i) => (
                Some(add_months(i.inspected_on, months)),
                format!("最近一次检查为 {}（{}）", i.inspected_on, i.checklist),
            ),
            None => (
                org.founded_on.map(|f| add_months(f, months)),
                "从未登记十个有等检查".to_string(),
            ),
        };
        if due.is_some_and(|d| l.as_of <= d) {
            continue;
        }
        out.push(Finding::org(
            l,
            Rule::InspectionStale,
            o,
            due,
            format!(
                "{}{what}，已超过 {months} 个月未检查，请安排十个有检查（参数：每 {months} 个月至少检查一次）",
                org.name
            ),
        ));
    }
    out
}

/// 整改事项 from instructors' visits to operating units, not closed and not yet overdue: the
/// instructor's open work, listed until someone closes it.
pub(super) fn follow_ups_open(l: &Ledger, _p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &l.followups {
        if f.due_on.is_some_and(|due| due < l.as_of) || !l.unit_operating(f.unit) {
            continue;
        }
        let unit = &l.units[f.unit];
        let due = f
            .due_on
            .map_or("未定限期".to_string(), |d| format!("限期 {d}"));
        out.push(Finding::other(
            Rule::FollowUpOpen,
            (
                SubjectType::Visit,
                f.visit_id,
                format!("{}（{} 走访）", unit.name, f.visited_on),
            ),
            l.unit_area(f.unit),
            f.due_on,
            format!(
                "{} 走访{}时提出的整改事项“{}”尚未办结（{due}）",
                f.visited_on, unit.name, f.content
            ),
        ));
    }
    out
}

/// 整改事项 from instructors' visits to operating units, not closed and past their 限期.
pub(super) fn follow_ups_overdue(l: &Ledger, _p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &l.followups {
        let Some(due) = f.due_on else {
            continue;
        };
        if due >= l.as_of || !l.unit_operating(f.unit) {
            continue;
        }
        let unit = &l.units[f.unit];
        let days = (l.as_of - due).num_days();
        out.push(Finding::other(
            Rule::FollowUpOverdue,
            (
                SubjectType::Visit,
                f.visit_id,
                format!("{}（{} 走访）", unit.name, f.visited_on),
            ),
            l.unit_area(f.unit),
            Some(due),
            format!(
                "{} 走访{}时提出的整改事项“{}”限期 {due}，已逾期 {days} 天仍未办结",
                f.visited_on, unit.name, f.content
            ),
        ));
    }
    out
}
