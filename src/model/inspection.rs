//! 检查 — checklist definitions (十个有 and local variants) and inspections against them.

use super::validate::{not_in_future, required, FieldErrors};
use super::*;

/// Id of the shipped 十个有 checklist (assets/checklists/shi_ge_you.json): the same on every PC.
pub const DEFAULT_CHECKLIST_ID: Id = Id(uuid::uuid!("0190a6f0-0000-7000-8000-000000000a10"));

/// One item of a checklist, e.g. 有党旗.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChecklistItem {
    /// Stable code, e.g. `flag`
    pub code: String,
    /// 名称, e.g. 有党旗
    pub label: String,
    /// 检查要点
    #[serde(default)]
    pub hint: Option<String>,
}

/// A versioned checklist definition (十个有, 六有 …). Shipped ones live in assets/checklists/.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Checklist {
    #[serde(flatten, default)]
    pub meta: Meta,
    /// e.g. `shi_ge_you`
    pub code: String,
    /// 名称, e.g. 十个有
    pub name: String,
    pub version: i64,
    /// 依据 — where the definition comes from
    #[serde(default)]
    pub source: Option<String>,
    pub items: JsonList<ChecklistItem>,
}

impl Validate for Checklist {
    fn validate(&mut self, _lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        e.check("code", "代码", required(&self.code));
        e.check("name", "名称", required(&self.name));
        if self.items.0.is_empty() {
            e.push("items", "检查项目", "至少要有一项");
        }
        let mut codes = std::collections::HashSet::new();
        for it in &self.items.0 {
            if it.code.trim().is_empty() || it.label.trim().is_empty() {
                e.push("items", "检查项目", "每项都要有代码和名称");
            } else if !codes.insert(it.code.as_str()) {
                e.push("items", "检查项目", format!("代码 {} 重复", it.code));
            }
        }
        e
    }
}

/// The result of one checklist item at an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionItem {
    pub item_code: String,
    pub result: CheckResult,
    #[serde(default)]
    pub note: Option<String>,
    /// 照片 (path relative to the photo folder beside the database)
    #[serde(default)]
    pub photo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    #[serde(flatten)]
    pub meta: Meta,
    /// 党组织
    pub org_id: Id,
    /// 检查表 (a particular version of a checklist)
    pub checklist_id: Id,
    /// 检查日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub inspected_on: NaiveDate,
    /// 检查方式
    pub inspector_kind: InspectorKind,
    /// 检查人
    pub inspector_name: String,
    /// 党建指导员, when an instructor inspected
    pub instructor_id: Option<Id>,
    /// 备注
    pub note: Option<String>,
    /// One result per checklist item
    pub items: JsonList<InspectionItem>,
}

impl Inspection {
    /// Check the items against the definition: every item answered once, nothing unknown.
    pub fn check_items(&self, checklist: &Checklist, e: &mut FieldErrors) {
        let mut answered = std::collections::HashSet::new();
        for it in &self.items.0 {
            if !checklist.items.0.iter().any(|c| c.code == it.item_code) {
                e.push(
                    "items",
                    "检查项目",
                    format!("“{}”不是{}的检查项目", it.item_code, checklist.name),
                );
            } else if !answered.insert(it.item_code.as_str()) {
                e.push("items", "检查项目", format!("“{}”重复填写", it.item_code));
            }
        }
        let missing: Vec<&str> = checklist
            .items
            .0
            .iter()
            .filter(|c| !answered.contains(c.code.as_str()))
            .map(|c| c.label.as_str())
            .collect();
        if !missing.is_empty() {
            e.push(
                "items",
                "检查项目",
                format!("未填写：{}", missing.join("、")),
            );
        }
    }

    /// Items answered 无 or 部分.
    pub fn gaps(&self) -> impl Iterator<Item = &InspectionItem> {
        self.items.0.iter().filter(|i| i.result != CheckResult::Yes)
    }
}

impl Validate for Inspection {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        check_ref(
            &mut e,
            lookup,
            "org_id",
            "党组织",
            "org",
            Some(&self.org_id),
        );
        match lookup.checklist(&self.checklist_id) {
            Some(c) => self.check_items(&c, &mut e),
            None => e.push(
                "checklist_id",
                "检查表",
                format!("不存在编号为 {} 的检查表", self.checklist_id),
            ),
        }
        check_ref(
            &mut e,
            lookup,
            "instructor_id",
            "党建指导员",
            "instructor",
            self.instructor_id.as_ref(),
        );
        e.check(
            "inspected_on",
            "检查日期",
            not_in_future(self.inspected_on, lookup.today()),
        );
        self.inspector_name = self.inspector_name.trim().to_string();
        e.check("inspector_name", "检查人", required(&self.inspector_name));
        if self.inspector_kind == InspectorKind::Instructor && self.instructor_id.is_none() {
            e.push("instructor_id", "党建指导员", "指导员检查须选择党建指导员");
        }
        tidy(&mut self.note);
        for it in &mut self.items.0 {
            tidy(&mut it.note);
            tidy(&mut it.photo);
        }
        e
    }
}
