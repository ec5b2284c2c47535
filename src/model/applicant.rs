//! 发展党员 — a person on the path into the party, from the 入党申请书 to the 支部党员大会 that
//! accepts them as 预备党员, with the time rules of 《中国共产党发展党员工作细则》.
//!
//! The steps are dated fields of one record (so an exchange merges them field by field and
//! the change log keeps their history); the 发展阶段 follows from which steps are recorded.
//! A step is recorded through [`Applicant::apply_step`], which refuses a step the person is
//! not at; validation refuses any record whose steps break the rules, whichever way it came.

use super::member::{age_on, check_identity};
use super::validate::{add_months, not_in_future, required, validate_mobile, FieldErrors};
use super::*;

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

impl Validate for Applicant {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        let today = lookup.today();
        let p = lookup.development();
        self.name = self.name.trim().to_string();
        e.check("name", "姓名", required(&self.name));
        for v in [
            &mut self.work_unit_name,
            &mut self.job,
            &mut self.phone,
            &mut self.review_result,
            &mut self.left_reason,
            &mut self.note,
        ] {
            tidy(v);
        }
        for a in &mut self.assessments.0 {
            tidy(&mut a.note);
        }
        if let Some(info) = check_identity(
            &mut e,
            &mut self.id_number,
            self.gender,
            &mut self.birth_date,
            today,
        ) {
            if self.merged_into.is_none() {
                if lookup.taken("applicant", "id_number", &self.id_number, &self.meta.id) {
                    e.push(
                        "id_number",
                        "公民身份号码",
                        "该号码已登记为另一名入党申请人（若是两台电脑分别录入的同一人，请先合并重复记录）",
                    );
                }
                let own_member = self.member_id.unwrap_or_default();
                if lookup.taken("member", "id_number", &self.id_number, &own_member) {
                    e.push(
                        "id_number",
                        "公民身份号码",
                        "该号码已登记为党员，不能再列为入党申请人",
                    );
                }
            }
            let age = age_on(info.birth_date, self.applied_on);
            if age < p.min_age as i32 {
                e.push(
                    "applied_on",
                    "递交入党申请书日期",
                    format!(
                        "递交入党申请书时仅 {age} 岁，未满 {} 岁（{SOURCE}第二章：年满十八岁方可申请入党）",
                        p.min_age
                    ),
                );
            }
        }
        check_dict(
            &mut e,
            lookup,
            "ethnicity",
            "民族",
            "民族",
            &mut self.ethnicity,
        );
        check_dict(
            &mut e,
            lookup,
            "education",
            "学历",
            "学历",
            &mut self.education,
        );
        check_ref(
            &mut e,
            lookup,
            "org_id",
            "培养党组织",
            "org",
            Some(&self.org_id),
        );
        check_ref(
            &mut e,
            lookup,
            "work_unit_id",
            "工作单位",
            "unit",
            self.work_unit_id.as_ref(),
        );
        if let Some(ph) = &self.phone {
            e.check("phone", "手机号码", validate_mobile(ph));
        }
        for (field, label, d) in self.step_dates() {
            e.check(field, label, not_in_future(d, today));
            if d < self.applied_on {
                e.push(
                    field,
                    label,
                    format!("{d} 早于递交入党申请书日期 {}", self.applied_on),
                );
            }
            if let Some(left) = self.left_on {
                if d > left {
                    e.push(
                        field,
                        label,
                        format!("{d} 晚于不再列为培养对象的日期 {left}"),
                    );
                }
            }
        }
        self.check_order(&mut e, &p);
        self.check_people(&mut e, lookup, &p);
        if self.left_on.is_some() != self.left_reason.is_some() {
            e.push(
                "left_reason",
                "不再列为培养对象的原因",
                "日期和原因须一并填写",
            );
        }
        if self.left_on.is_some() && self.admitted_on.is_some() {
            e.push(
                "left_on",
                "不再列为培养对象日期",
                "已接收为预备党员，不能再不再列为培养对象",
            );
        }
        if self
            .training_hours
            .is_some_and(|h| !(0..=10_000).contains(&h))
        {
            e.push("training_hours", "集中培训学时", "应在 0 至 10000 之间");
        }
        match (self.admitted_on, self.member_id) {
            (Some(_), None) => e.push(
                "admitted_on",
                "支部大会接收日期",
                "接收为预备党员须登记「支部大会接收」步骤（同时建立党员记录）",
            ),
            (None, Some(_)) => e.push(
                "member_id",
                "党员记录",
                "尚未经支部大会接收，不应关联党员记录",
            ),
            _ => {}
        }
        check_ref(
            &mut e,
            lookup,
            "member_id",
            "党员记录",
            "member",
            self.member_id.as_ref(),
        );
        self.stage = self.derived_stage();
        e
    }
}

impl Applicant {
    /// Steps in the order the 细则 sets, each after the one it needs.
    fn check_order(&self, e: &mut FieldErrors, p: &DevelopmentParams) {
        let after = |e: &mut FieldErrors,
                     field,
                     label,
                     d: Option<NaiveDate>,
                     base: Option<NaiveDate>,
                     base_label: &str| {
            if let (Some(d), Some(b)) = (d, base) {
                if d < b {
                    e.push(field, label, format!("{d} 早于{base_label} {b}"));
                }
            }
        };
        match (self.activist_on, self.candidate_on) {
            (None, Some(_)) => e.push(
                "candidate_on",
                "确定为发展对象日期",
                format!("须先确定为入党积极分子（{SOURCE}第四章）"),
            ),
            (Some(a), Some(c)) => {
                let earliest = add_months(a, p.activist_min_months);
                if c < earliest {
                    e.push(
                        "candidate_on",
                        "确定为发展对象日期",
                        format!(
                            "入党积极分子须经 {} 个月以上培养考察才能确定为发展对象：{a} 确定为积极分子，最早 {earliest}（{SOURCE}第四章：经过一年以上培养教育和考察）",
                            p.activist_min_months
                        ),
                    );
                }
            }
            _ => {}
        }
        for a in &self.assessments.0 {
            match self.activist_on {
                None => e.push("assessments", "培养考察", "须先确定为入党积极分子"),
                Some(act) if a.on < act => e.push(
                    "assessments",
                    "培养考察",
                    format!("考察日期 {} 早于确定为入党积极分子日期 {act}", a.on),
                ),
                _ => {}
            }
        }
        let phase = [
            ("review_on", "政治审查日期", self.review_on),
            ("training_from", "集中培训开始日期", self.training_from),
            ("pre_review_on", "预审日期", self.pre_review_on),
            ("publicity_from", "公示开始日期", self.publicity_from),
            ("sponsors_on", "确定入党介绍人日期", self.sponsors_on),
        ];
        for (field, label, d) in phase {
            if d.is_some() && self.candidate_on.is_none() {
                e.push(
                    field,
                    label,
                    format!("须先确定为发展对象（{SOURCE}第四章）"),
                );
            }
            after(e, field, label, d, self.candidate_on, "确定为发展对象日期");
        }
        if !self.sponsor_ids.0.is_empty() && self.candidate_on.is_none() {
            e.push(
                "sponsor_ids",
                "入党介绍人",
                "入党介绍人在确定为发展对象之后确定",
            );
        }
        after(
            e,
            "training_to",
            "集中培训结束日期",
            self.training_to,
            self.training_from,
            "集中培训开始日期",
        );
        after(
            e,
            "publicity_to",
            "公示结束日期",
            self.publicity_to,
            self.publicity_from,
            "公示开始日期",
        );
        if self.training_to.is_some() != self.training_from.is_some() {
            e.push(
                "training_from",
                "集中培训开始日期",
                "集中培训的开始和结束日期须一并填写",
            );
        }
        if let Some(d) = self.admitted_on {
            self.check_admission(e, p, d);
        }
        if self.approved_on.is_some() && self.admitted_on.is_none() {
            e.push(
                "approved_on",
                "上级党委审批日期",
                format!("须在支部大会接收之后（{SOURCE}第五章）"),
            );
        }
        after(
            e,
            "approved_on",
            "上级党委审批日期",
            self.approved_on,
            self.admitted_on,
            "支部大会接收日期",
        );
    }

    /// What must be done before the 支部党员大会 discusses accepting them.
    fn check_admission(&self, e: &mut FieldErrors, p: &DevelopmentParams, d: NaiveDate) {
        let (f, l) = ("admitted_on", "支部大会接收日期");
        let mut need = |done: Option<NaiveDate>, what: &str, source: &str| match done {
            None => e.push(
                f,
                l,
                format!("{what}尚未完成，不能提交支部大会讨论（{SOURCE}{source}）"),
            ),
            Some(x) if x > d => e.push(
                f,
                l,
                format!(
                    "{what}（{x}）晚于支部大会（{d}），须在支部大会之前完成（{SOURCE}{source}）"
                ),
            ),
            _ => {}
        };
        need(self.candidate_on, "确定为发展对象", "第四章");
        need(
            self.review_on,
            "政治审查",
            "第四章：未经政治审查或政治审查不合格的，不能发展入党",
        );
        need(self.training_to, "集中培训", "第四章");
        need(
            self.pre_review_on,
            "基层党委预审",
            "第五章：报具有审批权限的基层党委预审",
        );
        if let Some(to) = self.publicity_to {
            need(Some(to), "公示", "第五章");
        }
        if let Some(on) = self.sponsors_on {
            need(Some(on), "确定入党介绍人", "第四章");
        }
        if let (Some(from), Some(to)) = (self.training_from, self.training_to) {
            if !p.training_enough(from, to, self.training_hours) {
                e.push(
                    "training_to",
                    "集中培训结束日期",
                    format!(
                        "集中培训 {from} 至 {to}{}，不足 {} 天或 {} 个学时（{SOURCE}第四章）",
                        self.training_hours
                            .map(|h| format!("、{h} 学时"))
                            .unwrap_or_default(),
                        p.training_min_days,
                        p.training_min_hours
                    ),
                );
            }
        }
        if self.sponsor_ids.0.len() != p.sponsors as usize {
            e.push(
                "sponsor_ids",
                "入党介绍人",
                format!(
                    "支部大会讨论接收须有 {} 名正式党员作入党介绍人，现有 {} 名（{SOURCE}第四章）",
                    p.sponsors,
                    self.sponsor_ids.0.len()
                ),
            );
        }
    }

    /// 培养联系人 and 入党介绍人: 正式党员 of the ledger, as many as the rules allow.
    fn check_people(&self, e: &mut FieldErrors, lookup: &dyn Lookup, p: &DevelopmentParams) {
        let lists = [
            (
                "contact_ids",
                "培养联系人",
                &self.contact_ids.0,
                p.contacts_max,
            ),
            ("sponsor_ids", "入党介绍人", &self.sponsor_ids.0, p.sponsors),
        ];
        for (field, label, ids, max) in lists {
            if ids.len() > max as usize {
                e.push(
                    field,
                    label,
                    format!("最多 {max} 名，这里有 {} 名", ids.len()),
                );
            }
            let mut seen = std::collections::HashSet::new();
            for id in ids {
                if !seen.insert(id) {
                    e.push(field, label, "同一人列了两次");
                    continue;
                }
                match lookup.full_member(id) {
                    None => e.push(field, label, format!("找不到党员 {id}")),
                    Some(false) => e.push(
                        field,
                        label,
                        format!("{label}须由在册的正式党员担任（{SOURCE}）；{id} 不是"),
                    ),
                    Some(true) => {}
                }
            }
        }
    }
}

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
