//! Where a path stands in time: the limits that run ([`PathDates::dues`], shared with the
//! rules' snapshot) and the steps open now ([`Applicant::next_steps`]).

use super::*;

/// The dates of a path the time limits are counted from (a record's, or the rules' snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PathDates {
    pub applied_on: Option<NaiveDate>,
    pub talked_on: Option<NaiveDate>,
    pub activist_on: Option<NaiveDate>,
    /// The latest 培养考察.
    pub last_assessment: Option<NaiveDate>,
    pub candidate_on: Option<NaiveDate>,
    pub admitted_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
}

/// 到期 — a step with a time limit that is not done: by when, counted from what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StepDue {
    pub step: ApplicantStep,
    /// The last day it is in time.
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub due: NaiveDate,
    /// The day the limit is counted from.
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub since: NaiveDate,
    /// What it is counted from, and the rule, in Chinese.
    pub basis: String,
}

impl PathDates {
    /// 发展阶段 as these steps make it.
    pub fn stage(&self) -> ApplicantStage {
        if self.left_on.is_some() {
            ApplicantStage::Left
        } else if self.admitted_on.is_some() {
            ApplicantStage::Admitted
        } else if self.candidate_on.is_some() {
            ApplicantStage::Candidate
        } else if self.activist_on.is_some() {
            ApplicantStage::Activist
        } else {
            ApplicantStage::Applicant
        }
    }

    /// The dates as they stood on `as_of`: steps recorded for later days are not yet taken.
    pub fn as_of(self, as_of: NaiveDate) -> PathDates {
        let keep = |d: Option<NaiveDate>| d.filter(|d| *d <= as_of);
        PathDates {
            applied_on: keep(self.applied_on),
            talked_on: keep(self.talked_on),
            activist_on: keep(self.activist_on),
            last_assessment: keep(self.last_assessment),
            candidate_on: keep(self.candidate_on),
            admitted_on: keep(self.admitted_on),
            approved_on: keep(self.approved_on),
            left_on: keep(self.left_on),
        }
    }

    /// The steps with a time limit not yet taken: 谈话 (a month from the application),
    /// 培养考察 (half-yearly while an 积极分子) and 上级党委审批 (three months from the 支部大会).
    pub fn dues(&self, p: &DevelopmentParams) -> Vec<StepDue> {
        let mut out = Vec::new();
        let (Some(applied), None) = (self.applied_on, self.left_on) else {
            return out;
        };
        if let Some(admitted) = self.admitted_on {
            if self.approved_on.is_none() {
                out.push(StepDue {
                    step: ApplicantStep::Approve,
                    due: add_months(admitted, p.approval_within_months),
                    since: admitted,
                    basis: format!(
                        "支部大会 {admitted} 通过接收，上级党委应在 {} 个月内审批（{SOURCE}第五章）",
                        p.approval_within_months
                    ),
                });
            }
            return out;
        }
        if self.talked_on.is_none() {
            out.push(StepDue {
                step: ApplicantStep::Talk,
                due: add_months(applied, p.talk_within_months),
                since: applied,
                basis: format!(
                    "{applied} 递交入党申请书，党组织应在 {} 个月内派人谈话（{SOURCE}第二章）",
                    p.talk_within_months
                ),
            });
        }
        if let (Some(activist), None) = (self.activist_on, self.candidate_on) {
            let last = self.last_assessment.map_or(activist, |a| a.max(activist));
            let what = if last == activist {
                format!("{activist} 确定为入党积极分子")
            } else {
                format!("上次考察在 {last}")
            };
            out.push(StepDue {
                step: ApplicantStep::Assessment,
                due: add_months(last, p.assessment_every_months),
                since: last,
                basis: format!(
                    "{what}，党组织每 {} 个月对入党积极分子考察一次（{SOURCE}第三章）",
                    p.assessment_every_months
                ),
            });
        }
        out
    }
}

impl Applicant {
    pub fn path_dates(&self) -> PathDates {
        PathDates {
            applied_on: Some(self.applied_on),
            talked_on: self.talked_on,
            activist_on: self.activist_on,
            last_assessment: self.assessments.0.iter().map(|a| a.on).max(),
            candidate_on: self.candidate_on,
            admitted_on: self.admitted_on,
            approved_on: self.approved_on,
            left_on: self.left_on,
        }
    }
}

/// 下一步 — a step the person may take now (the forms offer only these), with the earliest
/// day the rules allow and the day it is due, where they set one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct NextStep {
    pub step: ApplicantStep,
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub earliest: Option<NaiveDate>,
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub due: Option<NaiveDate>,
    /// What the step still needs or why its dates are so, in Chinese.
    pub note: String,
}

impl Applicant {
    /// The steps open to this person now, in the order of the path.
    pub fn next_steps(&self, p: &DevelopmentParams) -> Vec<NextStep> {
        use ApplicantStep as S;
        let dues = self.path_dates().dues(p);
        let due_of = |s: ApplicantStep| dues.iter().find(|d| d.step == s);
        let step = |s: ApplicantStep, earliest: Option<NaiveDate>, note: String| {
            let due = due_of(s);
            NextStep {
                step: s,
                earliest,
                due: due.map(|d| d.due),
                note: due.map(|d| d.basis.clone()).unwrap_or(note),
            }
        };
        let mut out = Vec::new();
        if self.left_on.is_some() || self.merged_into.is_some() {
            return out;
        }
        if self.admitted_on.is_some() {
            if self.approved_on.is_none() {
                out.push(step(S::Approve, self.admitted_on, String::new()));
            }
            return out;
        }
        if self.talked_on.is_none() {
            out.push(step(S::Talk, Some(self.applied_on), String::new()));
        }
        match (self.activist_on, self.candidate_on) {
            (None, _) => out.push(step(
                S::Activist,
                Some(self.applied_on),
                format!("指定一至 {} 名正式党员作培养联系人", p.contacts_max),
            )),
            (Some(a), None) => {
                out.push(step(S::Assessment, Some(a), String::new()));
                let from = self.candidate_from(p);
                out.push(step(
                    S::Candidate,
                    from,
                    format!(
                        "确定为入党积极分子满 {} 个月后，最早 {}",
                        p.activist_min_months,
                        from.map(|d| d.to_string()).unwrap_or_default()
                    ),
                ));
            }
            (Some(_), Some(c)) => {
                let todo = [
                    (S::Review, self.review_on.is_none(), "政审结论"),
                    (
                        S::Training,
                        self.training_from.is_none(),
                        "不少于 3 天或 24 学时",
                    ),
                    (S::PreReview, self.pre_review_on.is_none(), "基层党委预审"),
                    (S::Publicity, self.publicity_from.is_none(), "公示起止日期"),
                    (
                        S::Sponsors,
                        self.sponsor_ids.0.len() != p.sponsors as usize,
                        "两名正式党员",
                    ),
                ];
                let mut missing = Vec::new();
                for (s, open, note) in todo {
                    if open {
                        out.push(step(s, Some(c), note.to_string()));
                        if s != S::Publicity {
                            missing.push(s.label());
                        }
                    }
                }
                let note = if missing.is_empty() {
                    "可提交支部大会讨论接收为预备党员".to_string()
                } else {
                    format!("还需完成：{}", missing.join("、"))
                };
                out.push(step(S::Admit, Some(c), note));
            }
        }
        out.push(step(S::Leave, Some(self.applied_on), "写明原因".into()));
        out
    }
}
