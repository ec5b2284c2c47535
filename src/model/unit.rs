//! 单位 — a 两新组织 (a legal entity: enterprise or social organisation).

use super::validate::{required, validate_credit_code, validate_phone, FieldErrors};
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    #[serde(flatten)]
    pub meta: Meta,
    /// 单位名称
    pub name: String,
    /// 统一社会信用代码 (GB 32100)
    pub credit_code: Option<String>,
    /// 单位类别
    pub category: UnitCategory,
    /// 行业 (dictionary 行业)
    pub industry: Option<String>,
    /// 所属乡镇街道
    pub area: Option<String>,
    /// 地址
    pub address: Option<String>,
    /// 从业人员数
    pub employees: Option<i64>,
    /// 是否规模以上
    pub above_scale: bool,
    /// 法定代表人
    pub legal_rep: Option<String>,
    /// 法定代表人是否党员
    pub legal_rep_is_member: bool,
    /// 是否建立工会
    pub has_union: bool,
    /// 是否建立共青团
    pub has_youth_league: bool,
    /// 是否建立妇联
    pub has_womens_federation: bool,
    /// 经营状态
    pub status: UnitStatus,
    /// 未建党组织原因
    pub no_org_reason: Option<String>,
    /// 党建指导员
    pub instructor_id: Option<Id>,
    /// 联系电话
    pub phone: Option<String>,
    /// 备注
    pub note: Option<String>,
    /// The record this one was merged into (a duplicate entered on another PC).
    #[serde(default)]
    pub merged_into: Option<Id>,
}

impl Unit {
    pub fn new(name: impl Into<String>, category: UnitCategory) -> Self {
        Unit {
            meta: Meta::default(),
            name: name.into(),
            credit_code: None,
            category,
            industry: None,
            area: None,
            address: None,
            employees: None,
            above_scale: false,
            legal_rep: None,
            legal_rep_is_member: false,
            has_union: false,
            has_youth_league: false,
            has_womens_federation: false,
            status: UnitStatus::Operating,
            no_org_reason: None,
            instructor_id: None,
            phone: None,
            note: None,
            merged_into: None,
        }
    }
}

impl Validate for Unit {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        self.name = self.name.trim().to_string();
        e.check("name", "单位名称", required(&self.name));
        for v in [
            &mut self.credit_code,
            &mut self.area,
            &mut self.address,
            &mut self.legal_rep,
            &mut self.no_org_reason,
            &mut self.phone,
            &mut self.note,
        ] {
            tidy(v);
        }
        if let Some(code) = self.credit_code.as_mut() {
            *code = code.to_ascii_uppercase();
            match validate_credit_code(code) {
                Err(m) => e.push("credit_code", "统一社会信用代码", m),
                Ok(()) if lookup.taken("unit", "credit_code", code, &self.meta.id) => e.push(
                    "credit_code",
                    "统一社会信用代码",
                    format!("{code} 已登记为另一个单位"),
                ),
                Ok(()) => {}
            }
        }
        check_dict(
            &mut e,
            lookup,
            "industry",
            "行业",
            "行业",
            &mut self.industry,
        );
        if self.employees.is_some_and(|n| n < 0) {
            e.push("employees", "从业人员数", "不能为负数");
        }
        if let Some(p) = &self.phone {
            e.check("phone", "联系电话", validate_phone(p));
        }
        check_ref(
            &mut e,
            lookup,
            "instructor_id",
            "党建指导员",
            "instructor",
            self.instructor_id.as_ref(),
        );
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::FakeLookup;

    #[test]
    fn reports_every_bad_field() {
        let mut u = Unit::new("  ", UnitCategory::Enterprise);
        u.credit_code = Some("91110000710931141K".into());
        u.employees = Some(-1);
        u.phone = Some("12".into());
        u.instructor_id = Some(Id::new());
        let e = u.validate(&FakeLookup::default());
        for f in ["name", "credit_code", "employees", "phone", "instructor_id"] {
            assert!(e.has(f), "{f} missing in {e}");
        }
    }

    #[test]
    fn normalises_and_detects_duplicate_code() {
        let mut u = Unit::new(" 恒达机械 ", UnitCategory::Enterprise);
        u.credit_code = Some(" 9144030071526726xg ".into());
        u.area = Some("  ".into());
        let mut l = FakeLookup::default();
        assert!(u.validate(&l).is_empty());
        assert_eq!(u.name, "恒达机械");
        assert_eq!(u.credit_code.as_deref(), Some("9144030071526726XG"));
        assert_eq!(u.area, None);
        l.taken.insert("9144030071526726XG".into());
        assert!(u.validate(&l).has("credit_code"));
    }
}
