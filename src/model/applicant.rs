//! 发展党员 — a person on the path into the party, from the 入党申请书 to the 支部党员大会 that
//! accepts them as 预备党员, with the time rules of 《中国共产党发展党员工作细则》.
//!
//! The steps are dated fields of one record (so an exchange merges them field by field and
//! the change log keeps their history); the 发展阶段 follows from which steps are recorded.
//! A step is recorded through [`Applicant::apply_step`], which refuses a step the person is
//! not at; validation refuses any record whose steps break the rules, whichever way it came.

use super::validate::{add_months, not_in_future, FieldErrors};
use super::*;

mod checks;
mod path;
pub use path::{NextStep, PathDates, StepDue};

/// The source the time rules cite.
pub const SOURCE: &str = "《中国共产党发展党员工作细则》";

/// 发展党员的时限 — the time rules of the path, part of the rule parameters
/// (`rule_params.development`); each default as 《中国共产党发展党员工作细则》 sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DevelopmentParams {
    /// 年满十八岁 to apply. Default 18 (细则第二章 入党申请：年满十八岁的…可以申请加入中国共产党).
    pub min_age: u32,
    /// 谈话 within this many months of the application. Default 1 (细则第二章：党组织收到入党
    /// 申请书后，应当在一个月内派人同入党申请人谈话).
    pub talk_within_months: u32,
    /// At most this many 培养联系人, 正式党员. Default 2 (细则第三章：指定一至两名正式党员作
    /// 入党积极分子的培养联系人).
    pub contacts_max: u32,
    /// A 培养考察 every this many months while an 积极分子. Default 6 (细则第三章：党组织每半年
    /// 对入党积极分子进行一次考察).
    pub assessment_every_months: u32,
    /// At least this many months as 积极分子 before 确定为发展对象. Default 12 (细则第四章：
    /// 经过一年以上培养教育和考察、基本具备党员条件的入党积极分子…可列为发展对象).
    pub activist_min_months: u32,
    /// 集中培训 of at least this many days… Default 3 (细则第四章：培训时间一般不少于3天).
    pub training_min_days: u32,
    /// …or at least this many 学时. Default 24 (细则第四章：或不少于24个学时).
    pub training_min_hours: u32,
    /// 入党介绍人: this many 正式党员. Default 2 (细则第四章：发展对象应当有两名正式党员作
    /// 入党介绍人).
    pub sponsors: u32,
    /// The 基层党委 approves within this many months of the 支部大会. Default 3 (细则第五章：
    /// 基层党委对党支部上报的接收预备党员的决议，应当在三个月内审批).
    pub approval_within_months: u32,
    /// A step is "due soon" this many days before its limit. Default 30.
    pub due_soon_days: u32,
}

impl Default for DevelopmentParams {
    fn default() -> Self {
        DevelopmentParams {
            min_age: 18,
            talk_within_months: 1,
            contacts_max: 2,
            assessment_every_months: 6,
            activist_min_months: 12,
            training_min_days: 3,
            training_min_hours: 24,
            sponsors: 2,
            approval_within_months: 3,
            due_soon_days: 30,
        }
    }
}

impl DevelopmentParams {
    /// Values that make no sense (no months, no sponsors).
    pub fn validate(&self) -> Result<(), String> {
        let mut bad = Vec::new();
        let months = [
            ("talk_within_months", self.talk_within_months),
            ("assessment_every_months", self.assessment_every_months),
            ("approval_within_months", self.approval_within_months),
        ];
        for (name, v) in months {
            if !(1..=120).contains(&v) {
                bad.push(format!("development.{name} 应在 1 至 120 之间"));
            }
        }
        if self.activist_min_months > 120 {
            bad.push("development.activist_min_months 不能超过 120".into());
        }
        if !(1..=120).contains(&self.min_age) {
            bad.push("development.min_age 应在 1 至 120 之间".into());
        }
        if !(1..=10).contains(&self.sponsors) || !(1..=10).contains(&self.contacts_max) {
            bad.push("development.sponsors 和 development.contacts_max 应在 1 至 10 之间".into());
        }
        if bad.is_empty() {
            Ok(())
        } else {
            Err(bad.join("；"))
        }
    }

    /// Whether a 集中培训 from `from` to `to` (days counted inclusive) of `hours` 学时 is long
    /// enough.
    pub fn training_enough(&self, from: NaiveDate, to: NaiveDate, hours: Option<i64>) -> bool {
        let days = (to - from).num_days() + 1;
        days >= i64::from(self.training_min_days)
            || hours.is_some_and(|h| h >= i64::from(self.training_min_hours))
    }
}

/// 培养考察 — one assessment of an 积极分子 (each half year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Assessment {
    /// 考察日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub on: NaiveDate,
    /// 考察意见
    #[serde(default)]
    pub note: Option<String>,
}

/// 入党申请人 / 入党积极分子 / 发展对象 — a person on the path, never deleted: leaving the path is
/// a step, and once the 支部党员大会 accepts them the member record carries on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    #[serde(flatten)]
    pub meta: Meta,
    /// 姓名
    pub name: String,
    /// 性别 (must agree with the 公民身份号码)
    pub gender: Gender,
    /// 民族 (dictionary 民族)
    pub ethnicity: Option<String>,
    /// 公民身份号码
    pub id_number: String,
    /// 出生日期 (derived from the 公民身份号码)
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub birth_date: Option<NaiveDate>,
    /// 学历 (dictionary 学历)
    pub education: Option<String>,
    /// 工作单位, when it is a 两新组织 in this ledger
    pub work_unit_id: Option<Id>,
    /// 工作单位 as written
    pub work_unit_name: Option<String>,
    /// 工作岗位
    pub job: Option<String>,
    /// 手机号码
    pub phone: Option<String>,
    /// 培养党组织 — the org that develops them
    pub org_id: Id,
    /// 发展阶段 — follows from the steps recorded
    pub stage: ApplicantStage,
    /// 递交入党申请书日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub applied_on: NaiveDate,
    /// 谈话日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub talked_on: Option<NaiveDate>,
    /// 确定为入党积极分子日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub activist_on: Option<NaiveDate>,
    /// 培养联系人 — 正式党员 of this ledger
    pub contact_ids: JsonList<Id>,
    /// 培养考察 — each half-year's assessment
    pub assessments: JsonList<Assessment>,
    /// 确定为发展对象日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub candidate_on: Option<NaiveDate>,
    /// 政治审查日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub review_on: Option<NaiveDate>,
    /// 政审结论
    pub review_result: Option<String>,
    /// 集中培训开始日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub training_from: Option<NaiveDate>,
    /// 集中培训结束日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub training_to: Option<NaiveDate>,
    /// 集中培训学时
    pub training_hours: Option<i64>,
    /// 预审日期 — the 基层党委's 预审
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub pre_review_on: Option<NaiveDate>,
    /// 公示开始日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub publicity_from: Option<NaiveDate>,
    /// 公示结束日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub publicity_to: Option<NaiveDate>,
    /// 入党介绍人 — two 正式党员 of this ledger
    pub sponsor_ids: JsonList<Id>,
    /// 确定入党介绍人日期
    #[serde(default)]
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub sponsors_on: Option<NaiveDate>,
    /// 支部大会接收日期 — the 支部党员大会 that accepted them as 预备党员 (their 入党日期)
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub admitted_on: Option<NaiveDate>,
    /// The member record created by the 支部大会接收.
    pub member_id: Option<Id>,
    /// 上级党委审批日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub approved_on: Option<NaiveDate>,
    /// 不再列为培养对象的日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub left_on: Option<NaiveDate>,
    /// 不再列为培养对象的原因
    pub left_reason: Option<String>,
    /// 备注
    pub note: Option<String>,
    /// The record this one was merged into (a duplicate entered on another PC).
    #[serde(default)]
    pub merged_into: Option<Id>,
}

/// One step as a person records it: its date and what the step carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct StepInput {
    pub step: ApplicantStep,
    /// 日期 (for 集中培训 and 公示: the first day)
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub on: NaiveDate,
    /// The last day of a 集中培训 or 公示 (the first day when not given).
    #[serde(default)]
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub until: Option<NaiveDate>,
    /// 培养联系人 or 入党介绍人 (member ids).
    #[serde(default)]
    pub people: Vec<Id>,
    /// 集中培训学时
    #[serde(default)]
    pub hours: Option<i64>,
    /// 政审结论, 考察意见, or why they leave the path.
    #[serde(default)]
    pub text: Option<String>,
}

impl StepInput {
    pub fn new(step: ApplicantStep, on: NaiveDate) -> Self {
        StepInput {
            step,
            on,
            until: None,
            people: Vec::new(),
            hours: None,
            text: None,
        }
    }
}

impl Applicant {
    pub fn new(
        name: impl Into<String>,
        id_number: impl Into<String>,
        org_id: Id,
        applied_on: NaiveDate,
    ) -> Self {
        let id_number = id_number.into();
        let info = super::validate::parse_id_number(&id_number, NaiveDate::MAX).ok();
        Applicant {
            meta: Meta::default(),
            name: name.into(),
            gender: match info.map(|i| i.sex) {
                Some(super::validate::Sex::Female) => Gender::Female,
                _ => Gender::Male,
            },
            ethnicity: None,
            id_number,
            birth_date: info.map(|i| i.birth_date),
            education: None,
            work_unit_id: None,
            work_unit_name: None,
            job: None,
            phone: None,
            org_id,
            stage: ApplicantStage::Applicant,
            applied_on,
            talked_on: None,
            activist_on: None,
            contact_ids: JsonList::default(),
            assessments: JsonList::default(),
            candidate_on: None,
            review_on: None,
            review_result: None,
            training_from: None,
            training_to: None,
            training_hours: None,
            pre_review_on: None,
            publicity_from: None,
            publicity_to: None,
            sponsor_ids: JsonList::default(),
            sponsors_on: None,
            admitted_on: None,
            member_id: None,
            approved_on: None,
            left_on: None,
            left_reason: None,
            note: None,
            merged_into: None,
        }
    }

    /// 发展阶段 as the recorded steps make it.
    pub fn derived_stage(&self) -> ApplicantStage {
        self.path_dates().stage()
    }

    /// Still on the path: not accepted, not left, not merged into another record.
    pub fn on_path(&self) -> bool {
        self.admitted_on.is_none() && self.left_on.is_none() && self.merged_into.is_none()
    }

    /// The earliest day they may be 确定为发展对象.
    pub fn candidate_from(&self, p: &DevelopmentParams) -> Option<NaiveDate> {
        self.activist_on
            .map(|a| add_months(a, p.activist_min_months))
    }

    /// The record after this step, or why the step cannot be taken now (the rule named).
    /// What the step does to the rest of the ledger (the member record of a 支部大会接收) is
    /// the store's; the full record is validated there too.
    pub fn apply_step(
        &self,
        s: &StepInput,
        p: &DevelopmentParams,
        today: NaiveDate,
    ) -> Result<Applicant, String> {
        use ApplicantStep as S;
        let step = s.step;
        not_in_future(s.on, today).map_err(|m| format!("{step}日期{m}"))?;
        if let Some(left) = self.left_on {
            return Err(format!("已于 {left} 不再列为培养对象，不能再登记{step}"));
        }
        if self.admitted_on.is_some() && step != S::Approve {
            return Err(format!(
                "已经支部大会接收为预备党员，不能再登记{step}（此后的转正等请在党员记录中登记）"
            ));
        }
        if s.on < self.applied_on {
            return Err(format!(
                "{step}日期 {} 早于递交入党申请书日期 {}",
                s.on, self.applied_on
            ));
        }
        let once = |done: Option<NaiveDate>| match done {
            Some(d) => Err(format!("已于 {d} 登记过{step}；日期有误请修改该记录")),
            None => Ok(()),
        };
        let need_candidate = || match self.candidate_on {
            Some(_) => Ok(()),
            None => Err(format!("{step}须在确定为发展对象之后（{SOURCE}第四章）")),
        };
        let text = s
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        let mut next = self.clone();
        match step {
            S::Talk => {
                once(self.talked_on)?;
                next.talked_on = Some(s.on);
            }
            S::Activist => {
                once(self.activist_on)?;
                next.activist_on = Some(s.on);
                next.contact_ids = JsonList(s.people.clone());
            }
            S::Assessment => {
                let Some(a) = self.activist_on else {
                    return Err(format!(
                        "培养考察须在确定为入党积极分子之后（{SOURCE}第三章）"
                    ));
                };
                if s.on < a {
                    return Err(format!("考察日期 {} 早于确定为入党积极分子日期 {a}", s.on));
                }
                next.assessments.0.push(Assessment {
                    on: s.on,
                    note: text,
                });
                next.assessments.0.sort_by_key(|x| x.on);
            }
            S::Candidate => {
                once(self.candidate_on)?;
                next.candidate_on = Some(s.on);
            }
            S::Review => {
                need_candidate()?;
                once(self.review_on)?;
                next.review_on = Some(s.on);
                next.review_result = text;
            }
            S::Training => {
                need_candidate()?;
                once(self.training_from)?;
                next.training_from = Some(s.on);
                next.training_to = Some(s.until.unwrap_or(s.on));
                next.training_hours = s.hours;
            }
            S::PreReview => {
                need_candidate()?;
                once(self.pre_review_on)?;
                next.pre_review_on = Some(s.on);
            }
            S::Publicity => {
                need_candidate()?;
                once(self.publicity_from)?;
                next.publicity_from = Some(s.on);
                next.publicity_to = Some(s.until.unwrap_or(s.on));
            }
            S::Sponsors => {
                need_candidate()?;
                next.sponsor_ids = JsonList(s.people.clone());
                next.sponsors_on = Some(s.on);
            }
            S::Admit => {
                need_candidate()?;
                next.admitted_on = Some(s.on);
            }
            S::Approve => {
                if self.admitted_on.is_none() {
                    return Err(format!(
                        "上级党委审批须在支部大会接收之后（{SOURCE}第五章）"
                    ));
                }
                once(self.approved_on)?;
                next.approved_on = Some(s.on);
            }
            S::Leave => {
                let Some(reason) = text else {
                    return Err("不再列为培养对象须写明原因".into());
                };
                next.left_on = Some(s.on);
                next.left_reason = Some(reason);
            }
        }
        if step == S::Candidate {
            // Named here too, so the refusal says which step was refused.
            if let Some(from) = self.candidate_from(p).filter(|f| s.on < *f) {
                return Err(format!(
                    "确定为入党积极分子满 {} 个月后才能确定为发展对象（最早 {from}；{SOURCE}第四章：经过一年以上培养教育和考察）",
                    p.activist_min_months
                ));
            }
            if self.activist_on.is_none() {
                return Err(format!("须先确定为入党积极分子（{SOURCE}第四章）"));
            }
        }
        next.stage = next.derived_stage();
        Ok(next)
    }

    /// Every step date with its label, for the checks that apply to all of them.
    fn step_dates(&self) -> Vec<(&'static str, &'static str, NaiveDate)> {
        let mut v = vec![("applied_on", "递交入党申请书日期", self.applied_on)];
        let opt = [
            ("talked_on", "谈话日期", self.talked_on),
            ("activist_on", "确定为入党积极分子日期", self.activist_on),
            ("candidate_on", "确定为发展对象日期", self.candidate_on),
            ("review_on", "政治审查日期", self.review_on),
            ("training_from", "集中培训开始日期", self.training_from),
            ("training_to", "集中培训结束日期", self.training_to),
            ("pre_review_on", "预审日期", self.pre_review_on),
            ("publicity_from", "公示开始日期", self.publicity_from),
            ("publicity_to", "公示结束日期", self.publicity_to),
            ("sponsors_on", "确定入党介绍人日期", self.sponsors_on),
            ("admitted_on", "支部大会接收日期", self.admitted_on),
            ("approved_on", "上级党委审批日期", self.approved_on),
            ("left_on", "不再列为培养对象日期", self.left_on),
        ];
        v.extend(opt.into_iter().filter_map(|(f, l, d)| d.map(|d| (f, l, d))));
        v.extend(
            self.assessments
                .0
                .iter()
                .map(|a| ("assessments", "培养考察", a.on)),
        );
        v
    }
}
