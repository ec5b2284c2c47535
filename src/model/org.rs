//! 党组织 — a party organisation and the units it covers.

use super::validate::{not_in_future, required, validate_phone, FieldErrors};
use super::*;

/// A seat on the org's committee (书记, 副书记, 委员 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeSeat {
    /// 职务 (dictionary 委员职务)
    pub role: String,
    /// 姓名
    pub name: String,
    /// The member holding the seat, when they are in this ledger.
    #[serde(default)]
    pub member_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Org {
    #[serde(flatten)]
    pub meta: Meta,
    /// 党组织全称, e.g. 中共××有限公司支部委员会
    pub name: String,
    /// 简称
    pub short_name: Option<String>,
    /// 党组织类型
    pub org_type: OrgType,
    /// 组建方式 (dictionary 组建方式: 单独组建 / 联合组建 / 挂靠组建 …)
    pub formation: String,
    /// 上级党组织
    pub parent_id: Option<Id>,
    /// 所属乡镇街道
    pub area: Option<String>,
    /// 成立日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub founded_on: Option<NaiveDate>,
    /// 本届选举日期 (换届 is due `term_years` after it)
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub elected_on: Option<NaiveDate>,
    /// 任期（年）
    pub term_years: i64,
    /// 联系电话
    pub phone: Option<String>,
    /// 状态
    pub status: OrgStatus,
    /// 书记 and 委员
    pub committee: JsonList<CommitteeSeat>,
    /// 覆盖单位 — the units this org covers (several for a 联合党支部).
    #[serde(default)]
    pub unit_ids: Vec<Id>,
}

impl OrgType {
    /// 任期 by 《关于党的基层组织任期的意见》: 5 years for a 党委, 3 for 党总支 and 党支部.
    pub fn default_term_years(self) -> i64 {
        match self {
            OrgType::Committee => 5,
            _ => 3,
        }
    }
}

impl OrgType {
    /// The 组建方式 an org of this type usually has, when a sheet or a bare name does not say.
    pub fn default_formation(self) -> &'static str {
        match self {
            OrgType::JointBranch => "联合组建",
            OrgType::TemporaryBranch => "临时组建",
            _ => "单独组建",
        }
    }
}

impl Org {
    pub fn new(name: impl Into<String>, org_type: OrgType, formation: impl Into<String>) -> Self {
        Org {
            meta: Meta::default(),
            name: name.into(),
            short_name: None,
            org_type,
            formation: formation.into(),
            parent_id: None,
            area: None,
            founded_on: None,
            elected_on: None,
            term_years: org_type.default_term_years(),
            phone: None,
            status: OrgStatus::Active,
            committee: JsonList::default(),
            unit_ids: Vec::new(),
        }
    }

    /// 书记's name, if the committee has one.
    pub fn secretary(&self) -> Option<&str> {
        self.committee
            .0
            .iter()
            .find(|s| s.role == "书记")
            .map(|s| s.name.as_str())
    }
}

impl Validate for Org {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        let today = lookup.today();
        self.name = self.name.trim().to_string();
        match required(&self.name) {
            Err(m) => e.push("name", "党组织全称", m),
            Ok(()) if lookup.taken("org", "name", &self.name, &self.meta.id) => {
                e.push("name", "党组织全称", format!("“{}”已存在", self.name))
            }
            Ok(()) => {}
        }
        for v in [&mut self.short_name, &mut self.area, &mut self.phone] {
            tidy(v);
        }
        let mut formation = Some(self.formation.clone());
        check_dict(
            &mut e,
            lookup,
            "formation",
            "组建方式",
            "组建方式",
            &mut formation,
        );
        match formation {
            Some(f) => self.formation = f,
            None => e.push("formation", "组建方式", "不能为空"),
        }
        if let Some(p) = self.parent_id {
            if p == self.meta.id {
                e.push("parent_id", "上级党组织", "不能是自己");
            } else {
                check_ref(&mut e, lookup, "parent_id", "上级党组织", "org", Some(&p));
            }
        }
        if let Some(d) = self.founded_on {
            e.check("founded_on", "成立日期", not_in_future(d, today));
        }
        if let Some(d) = self.elected_on {
            e.check("elected_on", "本届选举日期", not_in_future(d, today));
            if self.founded_on.is_some_and(|f| d < f) {
                e.push("elected_on", "本届选举日期", "早于成立日期");
            }
        }
        if !(1..=5).contains(&self.term_years) {
            e.push("term_years", "任期", "应为 1 至 5 年");
        }
        if let Some(p) = &self.phone {
            e.check("phone", "联系电话", validate_phone(p));
        }
        for seat in &mut self.committee.0 {
            seat.name = seat.name.trim().to_string();
            if seat.name.is_empty() {
                e.push("committee", "班子成员", "委员姓名不能为空");
            }
            let mut role = Some(seat.role.clone());
            check_dict(
                &mut e,
                lookup,
                "committee",
                "委员职务",
                "委员职务",
                &mut role,
            );
            seat.role = role.unwrap_or_default();
            check_ref(
                &mut e,
                lookup,
                "committee",
                "班子成员",
                "member",
                seat.member_id.as_ref(),
            );
        }
        if self.committee.0.iter().filter(|s| s.role == "书记").count() > 1 {
            e.push("committee", "班子成员", "只能有一名书记");
        }
        self.unit_ids.sort();
        self.unit_ids.dedup();
        for u in &self.unit_ids {
            check_ref(&mut e, lookup, "unit_ids", "覆盖单位", "unit", Some(u));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::FakeLookup;

    #[test]
    fn org_checks() {
        let mut o = Org::new("中共某公司支部委员会", OrgType::Branch, "单独组建");
        o.founded_on = NaiveDate::from_ymd_opt(2020, 5, 1);
        o.elected_on = NaiveDate::from_ymd_opt(2019, 5, 1);
        o.term_years = 9;
        o.unit_ids = vec![Id::new()];
        o.committee.0.push(CommitteeSeat {
            role: "书记".into(),
            name: " ".into(),
            member_id: None,
        });
        let e = o.validate(&FakeLookup::default());
        for f in ["elected_on", "term_years", "unit_ids", "committee"] {
            assert!(e.has(f), "{f} missing in {e}");
        }
        assert_eq!(Org::new("x", OrgType::Committee, "单独组建").term_years, 5);
    }
}
