//! 检查表 definitions (十个有, and a county's 六有 / 八有 …). A definition is never edited in
//! place: a change is a new version, so every past inspection keeps the items it was
//! checked against.

use super::Store;
use crate::error::Result;
use crate::model::{Checklist, ChecklistItem, JsonList};

impl Store {
    /// Every checklist definition, each code's versions newest first.
    pub fn checklists(&self) -> Result<Vec<Checklist>> {
        self.list("1", &[], "code, version DESC")
    }

    /// The newest version of each checklist: what a new inspection uses.
    pub fn current_checklists(&self) -> Result<Vec<Checklist>> {
        self.list(
            "version = (SELECT max(version) FROM checklist c WHERE c.code = checklist.code)",
            &[],
            "code",
        )
    }

    /// Save a definition as the next version of its code (version 1 for a new code). When
    /// nothing differs from the newest version, that version is returned and nothing is
    /// written.
    pub fn save_checklist_version(
        &mut self,
        code: &str,
        name: &str,
        source: Option<String>,
        items: Vec<ChecklistItem>,
    ) -> Result<Checklist> {
        let code = code.trim();
        let latest: Option<Checklist> = self
            .list::<Checklist>("code = ?1", &[&code], "version DESC")?
            .into_iter()
            .next();
        let source = source
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let items: Vec<ChecklistItem> = items
            .into_iter()
            .map(|i| ChecklistItem {
                code: i.code.trim().to_string(),
                label: i.label.trim().to_string(),
                hint: i
                    .hint
                    .map(|h| h.trim().to_string())
                    .filter(|h| !h.is_empty()),
            })
            .collect();
        if let Some(l) = &latest {
            if l.name == name.trim() && l.source == source && l.items.0 == items {
                return Ok(l.clone());
            }
        }
        let next = Checklist {
            meta: Default::default(),
            code: code.to_string(),
            name: name.trim().to_string(),
            version: latest.map_or(1, |l| l.version + 1),
            source,
            items: JsonList(items),
        };
        self.insert(next)
    }
}

/// The label of a checklist version as lists show it, e.g. 十个有（第2版）.
pub fn checklist_title(c: &Checklist) -> String {
    format!("{}（第{}版）", c.name, c.version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inspection::DEFAULT_CHECKLIST_ID;

    fn item(code: &str, label: &str) -> ChecklistItem {
        ChecklistItem {
            code: code.into(),
            label: label.into(),
            hint: None,
        }
    }

    #[test]
    fn a_change_is_a_new_version_and_past_versions_stay() {
        let mut s = Store::open_in_memory().unwrap();
        let shipped: Checklist = s.get(&DEFAULT_CHECKLIST_ID).unwrap();
        assert_eq!(shipped.version, 1);
        let mut items = shipped.items.0.clone();
        items.push(item("wall", " 有党建文化墙 "));
        let v2 = s
            .save_checklist_version(
                "shi_ge_you",
                "十个有",
                shipped.source.clone(),
                items.clone(),
            )
            .unwrap();
        assert_eq!(v2.version, 2);
        assert_eq!(v2.items.0.last().unwrap().label, "有党建文化墙");
        assert_ne!(v2.meta.id, shipped.meta.id);
        let again = s
            .save_checklist_version("shi_ge_you", "十个有", shipped.source.clone(), items)
            .unwrap();
        assert_eq!(again.meta.id, v2.meta.id, "nothing changed, no new version");
        let all = s.checklists().unwrap();
        assert_eq!(all.iter().map(|c| c.version).collect::<Vec<_>>(), [2, 1]);
        let current = s.current_checklists().unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(checklist_title(&current[0]), "十个有（第2版）");

        let six = s
            .save_checklist_version("liu_you", "六有", None, vec![item("a", "有场所")])
            .unwrap();
        assert_eq!(six.version, 1);
        assert_eq!(s.current_checklists().unwrap().len(), 2);
    }

    #[test]
    fn a_definition_without_items_or_with_repeated_codes_is_refused() {
        let mut s = Store::open_in_memory().unwrap();
        let err = s
            .save_checklist_version("liu_you", "六有", None, vec![])
            .unwrap_err();
        assert!(err.to_string().contains("至少要有一项"), "{err}");
        let err = s
            .save_checklist_version(
                "liu_you",
                "六有",
                None,
                vec![item("a", "有场所"), item("a", "有制度")],
            )
            .unwrap_err();
        assert!(err.to_string().contains("重复"), "{err}");
        assert_eq!(s.checklists().unwrap().len(), 1, "only the shipped one");
    }
}
