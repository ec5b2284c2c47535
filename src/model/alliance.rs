//! 红色联盟 — an alliance of orgs and units around an industry chain, a trade or an area.

use super::validate::{not_in_future, required, FieldErrors};
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alliance {
    #[serde(flatten)]
    pub meta: Meta,
    /// 名称
    pub name: String,
    /// 类型
    pub kind: AllianceKind,
    /// 牵头党组织
    pub lead_org_id: Id,
    /// 成立日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub founded_on: Option<NaiveDate>,
    /// 成员党组织
    pub org_ids: JsonList<Id>,
    /// 成员单位
    pub unit_ids: JsonList<Id>,
    /// 备注
    pub note: Option<String>,
}

impl Validate for Alliance {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        self.name = self.name.trim().to_string();
        e.check("name", "名称", required(&self.name));
        check_ref(
            &mut e,
            lookup,
            "lead_org_id",
            "牵头党组织",
            "org",
            Some(&self.lead_org_id),
        );
        if let Some(d) = self.founded_on {
            e.check("founded_on", "成立日期", not_in_future(d, lookup.today()));
        }
        for list in [&mut self.org_ids.0, &mut self.unit_ids.0] {
            list.sort();
            list.dedup();
        }
        for id in &self.org_ids.0 {
            check_ref(&mut e, lookup, "org_ids", "成员党组织", "org", Some(id));
        }
        for id in &self.unit_ids.0 {
            check_ref(&mut e, lookup, "unit_ids", "成员单位", "unit", Some(id));
        }
        tidy(&mut self.note);
        e
    }
}
