//! 覆盖单位 of the orgs an import creates, inferred from the roster itself: a branch named after
//! the 工作单位 of its members covers that unit, a 联合党支部 covers every unit its members work
//! in. Without it a county starting from a national-system export on an empty ledger would see a
//! 党的组织覆盖率 of 0 % and every unit with three members listed as 应建未建.
//!
//! Only orgs the import itself created are linked (an existing org's coverage is the user's to
//! say), and a name that settles nothing leaves the org uncovered rather than guessed.

use super::resolve::{find_by, Created};
use crate::error::{Error, Result};
use crate::model::names::name_contains;
use crate::model::{Id, Org};
use crate::store::Tx;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One 覆盖关系 an import wrote: the org (by 全称) now covers the unit (by 名称).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CoveredUnit {
    pub org: String,
    pub unit: String,
}

/// Words of an org's 全称 that make it a 联合党组织, which covers every unit its members work
/// in: the names county practice gives joint orgs, 联合支部 / 联合党支部 at 党支部 level and
/// 联合总支 / 联合党总支 at 党总支 level. The 党组织类型 a name suggests
/// (`OrgType::from_full_name`) is not enough for this: a 联合党总支 is typed a plain 党总支. A 联合党委 is
/// left out: its members belong to the branches under it, so they say nothing of its own units.
pub const JOINT_ORG_MARKERS: &[&str] = &["联合支部", "联合党支部", "联合总支", "联合党总支"];

/// The shortest unit name that counts when found inside an org's 全称. 《企业名称登记管理规定》
/// (2020) 第八条 requires a 字号 of at least two Chinese characters and a name ends in its 组织形式
/// (公司, 厂, 协会 … at least one more, usually two), so a legal name has four or more; a shorter
/// one (某某, 华为) is a 简称 that can turn up inside an unrelated org's name by chance.
pub const MIN_UNIT_NAME_CHARS: usize = 4;

/// Whether an org's 全称 names it a 联合党组织 (see [`JOINT_ORG_MARKERS`]).
pub fn is_joint(org_name: &str) -> bool {
    JOINT_ORG_MARKERS.iter().any(|w| org_name.contains(w))
}

/// Which of the units (by name) an org of that 全称 covers, as positions in `units`. Names are
/// compared as people read them (brackets, width and spaces aside — `model::names`), as the
/// rules' 以本单位命名 test compares them.
pub fn covered_by(org_name: &str, units: &[&str]) -> Vec<usize> {
    if is_joint(org_name) {
        return (0..units.len()).collect();
    }
    let named: Vec<usize> = (0..units.len())
        .filter(|&i| {
            let u = units[i];
            u.chars().count() >= MIN_UNIT_NAME_CHARS && name_contains(org_name, u)
        })
        .collect();
    // A unit whose name is only part of another named unit's name (某某科技有限公司 inside
    // 杭州某某科技有限公司) is explained by the longer one: covering it too would be a guess.
    named
        .iter()
        .copied()
        .filter(|&i| {
            !named
                .iter()
                .any(|&j| units[j].len() > units[i].len() && name_contains(units[j], units[i]))
        })
        .collect()
}

/// Link each org this import created to the units it covers, one update per org (so one
/// change-log entry), and list the links in `created.covered`. Runs inside the import's
/// transaction, after every row: a dry run shows the links and rolls them back with the rest.
pub(super) fn infer(tx: &mut Tx, created: &mut Created) -> Result<()> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut covered = Vec::new();
    let mut unit_names = HashMap::new();
    for name in &created.orgs {
        if !seen.insert(name.as_str()) {
            continue;
        }
        let Some(org_id) = find_by(tx, "org", "name", name)? else {
            continue;
        };
        let units = member_units(tx, &org_id, &mut unit_names)?;
        if units.is_empty() {
            continue;
        }
        let names: Vec<&str> = units.iter().map(|(_, n)| n.as_str()).collect();
        let picked = covered_by(name, &names);
        if picked.is_empty() {
            continue;
        }
        let mut org: Org = tx.get(&org_id)?;
        let new: Vec<usize> = picked
            .into_iter()
            .filter(|&i| !org.unit_ids.contains(&units[i].0))
            .collect();
        if new.is_empty() {
            continue;
        }
        org.unit_ids.extend(new.iter().map(|&i| units[i].0));
        match tx.update(org) {
            Ok(saved) if saved.changed => {}
            Ok(_) => continue,
            // The org was valid a moment ago and only gains references to units that exist;
            // should it still be refused, it stays uncovered rather than failing the import.
            Err(Error::Validation(_) | Error::Rule(_)) => continue,
            Err(e) => return Err(e),
        }
        covered.extend(new.into_iter().map(|i| CoveredUnit {
            org: name.clone(),
            unit: units[i].1.clone(),
        }));
    }
    created.covered = covered;
    Ok(())
}

/// The distinct 工作单位 of the org's members, in the order the members were written. The org
/// is new, so every member in it was written by this import. Members come in that order from
/// the `member_org` index, and unit names from `names` (filled as units turn up): a roster
/// creates thousands of orgs, and a join with its sorting for each took a tenth of a second.
fn member_units(
    tx: &Tx,
    org_id: &Id,
    names: &mut HashMap<Id, Option<String>>,
) -> Result<Vec<(Id, String)>> {
    let mut st = tx.conn().prepare_cached(
        "SELECT work_unit_id FROM member
         WHERE org_id = ?1 AND work_unit_id IS NOT NULL ORDER BY rowid",
    )?;
    let ids = st
        .query_map([org_id], |r| r.get::<_, Id>(0))?
        .collect::<rusqlite::Result<Vec<Id>>>()?;
    let mut seen = HashSet::new();
    let mut units = Vec::new();
    for id in ids {
        if !seen.insert(id) {
            continue;
        }
        let name = match names.get(&id) {
            Some(name) => name.clone(),
            None => {
                let name: Option<String> = tx
                    .conn()
                    .prepare_cached("SELECT name FROM unit WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                names.insert(id, name.clone());
                name
            }
        };
        if let Some(name) = name {
            units.push((id, name));
        }
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branch_covers_the_unit_it_is_named_after() {
        let units = ["杭州某某科技有限公司", "杭州另一家贸易有限公司"];
        assert_eq!(
            covered_by("中共杭州某某科技有限公司支部委员会", &units),
            vec![0]
        );
        assert!(covered_by("中共城关镇第一支部委员会", &units).is_empty());
        // Brackets typed full-width in one name and half-width in the other.
        assert_eq!(
            covered_by(
                "中共杭州某某(集团)有限公司委员会",
                &["杭州某某（集团）有限公司"]
            ),
            vec![0]
        );
    }

    #[test]
    fn joint_orgs_cover_every_unit_of_their_members() {
        let units = ["甲有限公司", "乙有限公司"];
        for name in [
            "中共城关镇非公企业联合支部委员会",
            "中共城关镇商圈联合党支部",
            "中共城关镇楼宇联合党总支",
            "中共城关镇楼宇联合总支部委员会",
        ] {
            assert!(is_joint(name), "{name}");
            assert_eq!(covered_by(name, &units), vec![0, 1], "{name}");
        }
        // 联合 in a company's name is not a 联合支部.
        assert!(!is_joint("中共杭州联合电子有限公司支部委员会"));
        assert_eq!(
            covered_by(
                "中共杭州联合电子有限公司支部委员会",
                &["杭州联合电子有限公司", "乙有限公司"]
            ),
            vec![0]
        );
    }

    #[test]
    fn short_names_and_parts_of_longer_names_do_not_count() {
        assert!(covered_by("中共某某集团有限公司委员会", &["某某"]).is_empty());
        assert_eq!(
            covered_by(
                "中共杭州某某科技有限公司支部委员会",
                &["某某科技有限公司", "杭州某某科技有限公司"]
            ),
            vec![1]
        );
    }

    /// Both ways of importing (rows streamed and prepared off-thread, or the workbook read
    /// whole with every row in a savepoint) end in `Run::finish`, so both link the same units
    /// and log the same.
    #[test]
    fn the_fast_and_plain_imports_link_alike() {
        use super::super::import::{import_file, import_file_plain, ImportOptions};
        use crate::model::validate::id_number_check_char;
        use crate::Store;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("花名册.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let headers = [
            "姓名",
            "性别",
            "公民身份号码",
            "人员类别",
            "所在党支部",
            "入党日期",
            "工作单位",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write(0, c as u16, *h).unwrap();
        }
        let places = [
            ("中共某县恒达机械有限公司支部委员会", "某县恒达机械有限公司"),
            ("中共某县城关镇联合党支部", "某县甲商贸有限公司"),
            ("中共某县城关镇联合党支部", "某县乙餐饮有限公司"),
            ("中共某县城关镇第一党支部", "某县丙科技有限公司"),
        ];
        for i in 0..40u32 {
            let first = format!("33012319800101{:03}", 2 * i + 1);
            let idn = format!("{first}{}", id_number_check_char(&first).unwrap());
            let (org, unit) = places[i as usize % places.len()];
            let row = [
                &format!("党员{i}"),
                "男",
                &idn,
                "正式党员",
                org,
                "2010-07-01",
                unit,
            ];
            for (c, v) in row.iter().enumerate() {
                ws.write(i + 1, c as u16, *v).unwrap();
            }
        }
        wb.save(&path).unwrap();
        let links = |s: &Store| -> Vec<(String, String)> {
            let mut st = s
                .conn()
                .prepare(
                    "SELECT o.name, u.name FROM org_unit ou JOIN org o ON o.id = ou.org_id
                     JOIN unit u ON u.id = ou.unit_id ORDER BY o.name, u.name",
                )
                .unwrap();
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            rows.collect::<rusqlite::Result<_>>().unwrap()
        };
        let log = |s: &Store| -> Vec<(String, String)> {
            let mut st = s
                .conn()
                .prepare("SELECT entity, op FROM change_log ORDER BY seq")
                .unwrap();
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            rows.collect::<rusqlite::Result<_>>().unwrap()
        };
        let opts = ImportOptions::default();
        let (mut fast, mut plain) = (
            Store::open_in_memory().unwrap(),
            Store::open_in_memory().unwrap(),
        );
        let a = import_file(&mut fast, &path, &opts).unwrap().summary;
        let b = import_file_plain(&mut plain, &path, &opts).unwrap().summary;
        assert_eq!(a.created.covered.len(), 3, "{:?}", a.created);
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap()
        );
        assert_eq!(links(&fast), links(&plain));
        assert_eq!(links(&fast).len(), 3);
        assert_eq!(log(&fast), log(&plain));
    }
}
