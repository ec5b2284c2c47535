//! 发展党员: the steps whose time limit has passed or is near (谈话, 培养考察, 上级党委审批),
//! counted as [`PathDates::dues`](crate::model::PathDates::dues) counts them for the record's
//! own timeline.

use super::{Finding, Ledger, Rule, RuleParams, SubjectType};
use crate::model::ApplicantStep;

/// The rule of a step's overdue finding.
fn overdue_rule(step: ApplicantStep) -> Option<Rule> {
    Some(match step {
        ApplicantStep::Talk => Rule::ApplicantTalkOverdue,
        ApplicantStep::Assessment => Rule::ActivistAssessmentOverdue,
        ApplicantStep::Approve => Rule::AdmissionApprovalOverdue,
        _ => return None,
    })
}

/// Steps past their limit (`overdue`, for `rule`), or coming due within
/// `development.due_soon_days` (every step, under [`Rule::DevelopmentStepDueSoon`]).
pub(super) fn steps(l: &Ledger, p: &RuleParams, rule: Rule, overdue: bool) -> Vec<Finding> {
    let dp = &p.development;
    let mut out = Vec::new();
    for (i, a) in l.applicants.iter().enumerate() {
        for due in a.dates.dues(dp) {
            let days = (l.as_of - due.due).num_days();
            let finding_rule = if overdue {
                if days <= 0 || overdue_rule(due.step) != Some(rule) {
                    continue;
                }
                rule
            } else {
                if days > 0 || -days > i64::from(dp.due_soon_days) {
                    continue;
                }
                Rule::DevelopmentStepDueSoon
            };
            let when = if overdue {
                format!("已逾期 {days} 天")
            } else if days == 0 {
                "今天到期".to_string()
            } else {
                format!("还有 {} 天", -days)
            };
            let org = a
                .org
                .map(|o| l.orgs[o].name.as_str())
                .unwrap_or("（未知党组织）");
            out.push(Finding::other(
                finding_rule,
                (SubjectType::Applicant, a.id, a.name.clone()),
                l.applicant_area(i),
                Some(due.due),
                format!(
                    "{}（{org}，{}）：{}，应于 {} 前完成{}，{when}",
                    a.name,
                    a.stage(),
                    due.basis,
                    due.due,
                    due.step
                ),
            ));
        }
    }
    out
}
