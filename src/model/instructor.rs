//! 党建指导员 and their 走访 (visits) to units.

use super::validate::{not_in_future, required, validate_phone, FieldErrors};
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instructor {
    #[serde(flatten)]
    pub meta: Meta,
    /// 姓名
    pub name: String,
    /// 工作单位
    pub employer: Option<String>,
    /// 联系电话
    pub phone: Option<String>,
    /// 在岗 (false once they leave the post; kept for history)
    pub active: bool,
}

impl Validate for Instructor {
    fn validate(&mut self, _lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        self.name = self.name.trim().to_string();
        e.check("name", "姓名", required(&self.name));
        tidy(&mut self.employer);
        tidy(&mut self.phone);
        if let Some(p) = &self.phone {
            e.check("phone", "联系电话", validate_phone(p));
        }
        e
    }
}

/// 整改事项 — a follow-up item from a visit, open until closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// 事项
    pub content: String,
    /// 限期
    #[serde(default)]
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub due_on: Option<NaiveDate>,
    /// 办结日期
    #[serde(default)]
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    #[serde(flatten)]
    pub meta: Meta,
    pub instructor_id: Id,
    pub unit_id: Id,
    /// 走访日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub visited_on: NaiveDate,
    /// 接待人 — who was met
    pub met_with: Option<String>,
    /// 发现的问题 / 走访情况
    pub findings: String,
    /// 整改事项
    pub followups: JsonList<FollowUp>,
    /// 照片
    pub photos: JsonList<String>,
}

impl Validate for Visit {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        check_ref(
            &mut e,
            lookup,
            "instructor_id",
            "党建指导员",
            "instructor",
            Some(&self.instructor_id),
        );
        check_ref(
            &mut e,
            lookup,
            "unit_id",
            "走访单位",
            "unit",
            Some(&self.unit_id),
        );
        e.check(
            "visited_on",
            "走访日期",
            not_in_future(self.visited_on, lookup.today()),
        );
        tidy(&mut self.met_with);
        self.findings = self.findings.trim().to_string();
        e.check("findings", "走访情况", required(&self.findings));
        for f in &self.followups.0 {
            if f.content.trim().is_empty() {
                e.push("followups", "整改事项", "事项内容不能为空");
            }
            if let (Some(due), true) = (f.due_on, f.due_on < Some(self.visited_on)) {
                e.push("followups", "整改事项", format!("限期 {due} 早于走访日期"));
            }
            if f.closed_on.is_some_and(|c| c < self.visited_on) {
                e.push("followups", "整改事项", "办结日期早于走访日期");
            }
        }
        e
    }
}
