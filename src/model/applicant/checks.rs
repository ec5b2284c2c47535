//! What every applicant record must satisfy, however it came: identity, the steps in the
//! 细则's order and time, the 支部大会's conditions, 培养联系人 and 入党介绍人.

use super::*;
use crate::model::member::{age_on, check_identity};
use crate::model::validate::{required, validate_mobile};

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
