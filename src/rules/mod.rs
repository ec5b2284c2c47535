//! Compliance rules (DESIGN.md §5): pure functions from a [`Ledger`] snapshot to [`Finding`]s.
//!
//! ```text
//! let (ledger, params) = rules::load(&store, as_of)?;     // a few bulk queries
//! let findings = rules::check(&ledger, &params);          // every rule switched on
//! let one = rules::run_rule(Rule::OrgNotBuilt, &ledger, &params);
//! let stats = report::compute(&ledger, &params, &StatsOptions::default());
//! ```
//! or in one call, scoped to an org or an area: [`check_store`]. Every threshold is a
//! [`RuleParams`] field with its cited default; every finding names its rule, the parameters
//! applied and its subject in Chinese, with the date it became (or becomes) due.

mod checks;
mod cover;
mod development;
mod ledger;
mod life;
mod load;
pub mod param_info;
pub mod params;
pub mod periods;
mod terms;

pub use ledger::{
    ActivityRec, ApplicantRec, FollowUpRec, InspectionRec, Ledger, MemberRec, OrgRec, UnitRec,
};
pub use life::{held_in, judged_from, meeting_applies, meeting_dates, required_periods};
pub use params::{Frequency, MeetingParams, RuleParams, RULE_PARAMS_KEY};
pub use terms::term_end;

use crate::error::{Error, Result};
use crate::model::{ActivityType, Id};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 严重: a requirement is not met (应建未建, overdue 换届 …).
    Error,
    /// 警告: should be corrected (a 联合党支部 over its limit, missing meetings …).
    Warning,
    /// 提示: coming due, or worth a look (换届 in 90 days, 补记 …).
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "严重",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// What a finding is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Unit,
    Org,
    Member,
    Activity,
    Visit,
    /// 入党申请人 / 积极分子 / 发展对象
    Applicant,
}

impl SubjectType {
    pub fn label(self) -> &'static str {
        match self {
            SubjectType::Unit => "单位",
            SubjectType::Org => "党组织",
            SubjectType::Member => "党员",
            SubjectType::Activity => "组织生活",
            SubjectType::Visit => "走访",
            SubjectType::Applicant => "发展党员",
        }
    }
}

macro_rules! rules {
    ($( $(#[$m:meta])* $v:ident = $code:literal, $name:literal, $sev:ident; )+) => {
        /// Every rule of DESIGN.md §5. Serialised as its code (`org_not_built` …).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
        pub enum Rule { $( $(#[$m])* #[serde(rename = $code)] $v ),+ }

        impl Rule {
            /// Every rule, in the order findings are listed.
            pub const ALL: &'static [Rule] = &[$(Rule::$v),+];
            /// Stable code (JSON, `disabled_rules`).
            pub fn code(self) -> &'static str { match self { $(Rule::$v => $code),+ } }
            /// Chinese name, as findings cite it.
            pub fn name(self) -> &'static str { match self { $(Rule::$v => $name),+ } }
            pub fn severity(self) -> Severity { match self { $(Rule::$v => Severity::$sev),+ } }
            pub fn from_code(code: &str) -> Option<Rule> {
                match code { $($code => Some(Rule::$v),)+ _ => None }
            }
        }
    };
}

rules! {
    /// A unit with ≥3 正式党员 and no org of its own.
    OrgNotBuilt = "org_not_built", "应建未建", Error;
    /// A unit with 1–2 正式党员 that no org covers (联合 / 挂靠).
    FewMembersUncovered = "few_members_uncovered", "党员不足3人未纳入覆盖", Warning;
    /// A unit with no members and many employees: a 发展党员 target.
    NoMembersLargeUnit = "no_members_large_unit", "较大规模单位无党员", Info;
    /// A unit with many employees that no org covers.
    LargeUnitUncovered = "large_unit_uncovered", "百人以上单位未覆盖", Error;
    JointBranchTooManyUnits = "joint_branch_too_many_units", "联合党支部覆盖单位过多", Warning;
    BranchTooManyMembers = "branch_too_many_members", "党支部党员人数过多", Warning;
    CommitteeMissing = "committee_missing", "应设未设支委会", Error;
    TermUnknown = "term_unknown", "换届时间不明", Info;
    TermDueSoon = "term_due_soon", "换届即将到期", Info;
    TermOverdue = "term_overdue", "换届逾期", Error;
    ProbationDueSoon = "probation_due_soon", "预备期即将期满", Info;
    ProbationOverdue = "probation_overdue", "预备期满未转正", Error;
    MissingBranchMeeting = "missing_branch_meeting", "支部党员大会缺期", Warning;
    MissingCommitteeMeeting = "missing_committee_meeting", "支委会缺期", Warning;
    MissingGroupMeeting = "missing_group_meeting", "党小组会缺期", Warning;
    MissingPartyLecture = "missing_party_lecture", "党课缺期", Warning;
    MissingThemeDay = "missing_theme_day", "主题党日缺期", Warning;
    MissingLifeMeeting = "missing_life_meeting", "组织生活会缺期", Warning;
    MissingMemberReview = "missing_member_review", "民主评议党员缺期", Warning;
    LateEntry = "late_entry", "补记", Info;
    LapsedMember = "lapsed_member", "连续6个月未参加组织生活且未交党费", Error;
    InspectionGaps = "inspection_gaps", "十个有未达标", Warning;
    InspectionStale = "inspection_stale", "超期未检查", Warning;
    /// An open 整改事项 not yet past its 限期 (or without one): shown until it is closed.
    FollowUpOpen = "follow_up_open", "走访整改待办结", Info;
    FollowUpOverdue = "follow_up_overdue", "走访整改逾期", Warning;
    /// No 谈话 a month after the 入党申请书 (《中国共产党发展党员工作细则》第二章).
    ApplicantTalkOverdue = "applicant_talk_overdue", "入党申请人谈话逾期", Warning;
    /// An 积极分子 not assessed for half a year (细则第三章).
    ActivistAssessmentOverdue = "activist_assessment_overdue", "入党积极分子考察逾期", Warning;
    /// No 上级党委审批 three months after the 支部大会 accepted a 预备党员 (细则第五章).
    AdmissionApprovalOverdue = "admission_approval_overdue", "接收预备党员审批逾期", Error;
    /// One of the above coming due.
    DevelopmentStepDueSoon = "development_step_due_soon", "发展党员步骤即将到期", Info;
}

impl Rule {
    /// The meeting rule of a kind of 组织生活 (谈心谈话 has none).
    pub fn missing_meeting(t: ActivityType) -> Option<Rule> {
        Some(match t {
            ActivityType::BranchMeeting => Rule::MissingBranchMeeting,
            ActivityType::CommitteeMeeting => Rule::MissingCommitteeMeeting,
            ActivityType::GroupMeeting => Rule::MissingGroupMeeting,
            ActivityType::PartyLecture => Rule::MissingPartyLecture,
            ActivityType::ThemeDay => Rule::MissingThemeDay,
            ActivityType::LifeMeeting => Rule::MissingLifeMeeting,
            ActivityType::MemberReview => Rule::MissingMemberReview,
            ActivityType::HeartToHeart => return None,
        })
    }
}

/// One thing the ledger found wrong or coming due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Finding {
    pub rule: Rule,
    /// The rule's Chinese name.
    pub rule_name: String,
    pub severity: Severity,
    pub subject_type: SubjectType,
    pub subject_id: Id,
    pub subject_name: String,
    /// When it became (or becomes) due, where the rule has a date.
    pub due: Option<NaiveDate>,
    /// The finding in Chinese: rule, subject, facts and the parameters applied.
    pub message: String,
    /// 所属乡镇街道 of the subject.
    pub area: Option<String>,
}

impl Finding {
    fn new(
        rule: Rule,
        subject: (SubjectType, Id, String),
        area: Option<&str>,
        due: Option<NaiveDate>,
        message: String,
    ) -> Finding {
        Finding {
            rule,
            rule_name: rule.name().to_string(),
            severity: rule.severity(),
            subject_type: subject.0,
            subject_id: subject.1,
            subject_name: subject.2,
            due,
            message: format!("【{}】{message}", rule.name()),
            area: area.map(str::to_string),
        }
    }

    pub(crate) fn unit(
        l: &Ledger,
        rule: Rule,
        u: usize,
        due: Option<NaiveDate>,
        msg: String,
    ) -> Self {
        let unit = &l.units[u];
        let subject = (SubjectType::Unit, unit.id, unit.name.clone());
        Finding::new(rule, subject, l.unit_area(u), due, msg)
    }

    pub(crate) fn org(
        l: &Ledger,
        rule: Rule,
        o: usize,
        due: Option<NaiveDate>,
        msg: String,
    ) -> Self {
        let org = &l.orgs[o];
        let subject = (SubjectType::Org, org.id, org.name.clone());
        Finding::new(rule, subject, l.org_area(o), due, msg)
    }

    pub(crate) fn member(
        l: &Ledger,
        rule: Rule,
        m: usize,
        due: Option<NaiveDate>,
        msg: String,
    ) -> Self {
        let mem = &l.members[m];
        let subject = (SubjectType::Member, mem.id, mem.name.clone());
        Finding::new(rule, subject, l.member_area(m), due, msg)
    }

    pub(crate) fn other(
        rule: Rule,
        subject: (SubjectType, Id, String),
        area: Option<&str>,
        due: Option<NaiveDate>,
        msg: String,
    ) -> Self {
        Finding::new(rule, subject, area, due, msg)
    }
}

/// Run one rule.
pub fn run_rule(rule: Rule, l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    use Rule as R;
    match rule {
        R::OrgNotBuilt => cover::org_not_built(l, p),
        R::FewMembersUncovered => cover::few_members_uncovered(l, p),
        R::NoMembersLargeUnit => cover::no_members_large_unit(l, p),
        R::LargeUnitUncovered => cover::large_unit_uncovered(l, p),
        R::JointBranchTooManyUnits => cover::joint_branch_too_many_units(l, p),
        R::BranchTooManyMembers => cover::branch_too_many_members(l, p),
        R::CommitteeMissing => cover::committee_missing(l, p),
        R::TermUnknown => terms::term_unknown(l, p),
        R::TermDueSoon => terms::term(l, p, false),
        R::TermOverdue => terms::term(l, p, true),
        R::ProbationDueSoon => terms::probation(l, p, false),
        R::ProbationOverdue => terms::probation(l, p, true),
        R::MissingBranchMeeting => life::missing_meetings(l, p, ActivityType::BranchMeeting),
        R::MissingCommitteeMeeting => life::missing_meetings(l, p, ActivityType::CommitteeMeeting),
        R::MissingGroupMeeting => life::missing_meetings(l, p, ActivityType::GroupMeeting),
        R::MissingPartyLecture => life::missing_meetings(l, p, ActivityType::PartyLecture),
        R::MissingThemeDay => life::missing_meetings(l, p, ActivityType::ThemeDay),
        R::MissingLifeMeeting => life::missing_meetings(l, p, ActivityType::LifeMeeting),
        R::MissingMemberReview => life::missing_meetings(l, p, ActivityType::MemberReview),
        R::LateEntry => life::late_entry(l, p),
        R::LapsedMember => life::lapsed_members(l, p),
        R::InspectionGaps => checks::inspection_gaps(l, p),
        R::InspectionStale => checks::inspection_stale(l, p),
        R::FollowUpOpen => checks::follow_ups_open(l, p),
        R::FollowUpOverdue => checks::follow_ups_overdue(l, p),
        R::ApplicantTalkOverdue | R::ActivistAssessmentOverdue | R::AdmissionApprovalOverdue => {
            development::steps(l, p, rule, true)
        }
        R::DevelopmentStepDueSoon => development::steps(l, p, rule, false),
    }
}

/// Run every rule not switched off in `p.disabled_rules`, findings in rule order.
pub fn check(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    Rule::ALL
        .iter()
        .filter(|r| p.enabled(r.code()))
        .flat_map(|&r| run_rule(r, l, p))
        .collect()
}

/// Which part of the ledger to report on.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// An org: findings about it, the orgs below it, their members, activities and units.
    pub org: Option<Id>,
    /// A 乡镇街道: findings whose subject is in it.
    pub area: Option<String>,
}

/// Keep the findings within a scope. An unknown org is an error.
pub fn filter(l: &Ledger, findings: Vec<Finding>, scope: &Scope) -> Result<Vec<Finding>> {
    let ids = match &scope.org {
        Some(org) => {
            if l.org_index(org).is_none() {
                return Err(Error::not_found("党组织", org));
            }
            Some(l.ids_under(org))
        }
        None => None,
    };
    let area = scope
        .area
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    Ok(findings
        .into_iter()
        .filter(|f| ids.as_ref().is_none_or(|ids| ids.contains(&f.subject_id)))
        .filter(|f| area.is_none_or(|a| f.area.as_deref() == Some(a)))
        .collect())
}

/// The first day of activities the rules need on `as_of` (the lookback, and the whole of the
/// previous year for the statistics).
pub fn activities_since(as_of: NaiveDate, p: &RuleParams) -> NaiveDate {
    let year_before = NaiveDate::from_ymd_opt(as_of.year() - 1, 1, 1).unwrap_or(NaiveDate::MIN);
    let lookback = periods::sub_months(as_of, p.lookback_months + 12);
    year_before.min(lookback)
}

/// The parameters in force and the ledger on `as_of`, with the activities both the rules and
/// the statistics need: load once, then [`check`] and [`crate::report::compute`] over it.
pub fn load(store: &Store, as_of: NaiveDate) -> Result<(Ledger, RuleParams)> {
    let p = RuleParams::load(store)?;
    let l = Ledger::load_since(store, as_of, activities_since(as_of, &p))?;
    Ok((l, p))
}

/// Load the parameters and the ledger from the store, run every rule, keep the scope.
pub fn check_store(store: &Store, as_of: NaiveDate, scope: &Scope) -> Result<Vec<Finding>> {
    let (l, p) = load(store, as_of)?;
    filter(&l, check(&l, &p), scope)
}

/// Number of findings of one rule (for the 工作台).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: Rule,
    pub rule_name: &'static str,
    pub severity: Severity,
    pub count: usize,
}

/// Findings counted per rule, every rule listed (zero counts included), in rule order.
pub fn count_by_rule(findings: &[Finding]) -> Vec<RuleCount> {
    Rule::ALL
        .iter()
        .map(|&r| RuleCount {
            rule: r,
            rule_name: r.name(),
            severity: r.severity(),
            count: findings.iter().filter(|f| f.rule == r).count(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_are_stable_and_unique() {
        let mut codes = std::collections::HashSet::new();
        for &r in Rule::ALL {
            assert!(codes.insert(r.code()), "duplicate {}", r.code());
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
            assert_eq!(Rule::from_code(r.code()), Some(r));
        }
        assert_eq!(serde_json::to_value(Severity::Warning).unwrap(), "warning");
        assert_eq!(serde_json::to_value(SubjectType::Unit).unwrap(), "unit");
    }
}
