//! Turning names in a sheet into ledger records: 所在党支部 → an org, 工作单位 → a unit,
//! 党建指导员 → an instructor. A name the ledger lacks becomes a new record (listed in the
//! preview), so a county can start from a national-system export on an empty ledger.

pub use super::coverage::CoveredUnit;
use crate::error::{Error, Result};
use crate::model::{Id, Instructor, Meta, Org, OrgType, Unit, UnitCategory};
use crate::store::Tx;
use rusqlite::OptionalExtension;

/// Records created while importing, by name, for the summary.
#[derive(Debug, Default, Clone, serde::Serialize, ts_rs::TS)]
pub struct Created {
    pub orgs: Vec<String>,
    pub units: Vec<String>,
    pub instructors: Vec<String>,
    /// 覆盖关系 given to the created orgs once every row is in (see `excel::coverage`).
    pub covered: Vec<CoveredUnit>,
}

pub(super) fn find_by(tx: &Tx, table: &str, column: &str, value: &str) -> Result<Option<Id>> {
    let sql = format!("SELECT id FROM {table} WHERE {column} = ?1 ORDER BY rowid LIMIT 1");
    Ok(tx
        .conn()
        .prepare_cached(&sql)?
        .query_row([value], |r| r.get(0))
        .optional()?)
}

/// The kind of unit a name suggests (协会 → 社会团体 …); 其他 when nothing does.
pub fn category_from_name(name: &str) -> UnitCategory {
    let has = |ws: &[&str]| ws.iter().any(|w| name.contains(w));
    if has(&["基金会"]) {
        UnitCategory::Foundation
    } else if has(&[
        "协会",
        "商会",
        "学会",
        "研究会",
        "促进会",
        "联合会",
        "联谊会",
        "同业公会",
    ]) {
        UnitCategory::SocialGroup
    } else if has(&[
        "学校",
        "培训",
        "幼儿园",
        "服务中心",
        "养老院",
        "敬老院",
        "医院",
        "诊所",
        "研究院",
        "事务所",
        "服务社",
        "社工",
    ]) {
        UnitCategory::PrivateNonEnterprise
    } else if has(&[
        "公司",
        "厂",
        "企业",
        "集团",
        "商行",
        "店",
        "合作社",
        "工作室",
    ]) {
        UnitCategory::Enterprise
    } else {
        UnitCategory::Other
    }
}

pub fn org_by_name(tx: &mut Tx, name: &str, create: bool, created: &mut Created) -> Result<Id> {
    org_by_name_as(tx, name, create, created, None)
}

pub fn unit_by_name(tx: &mut Tx, name: &str, created: &mut Created) -> Result<Id> {
    unit_by_name_as(tx, name, created, None)
}

pub fn instructor_by_name(tx: &mut Tx, name: &str, created: &mut Created) -> Result<Id> {
    instructor_by_name_as(tx, name, created, None)
}

/// Like [`org_by_name`]; a created org gets `id` when given (the id a bulk import already
/// gave the name on another thread, so rows prepared there refer to it).
pub(super) fn org_by_name_as(
    tx: &mut Tx,
    name: &str,
    create: bool,
    created: &mut Created,
    id: Option<Id>,
) -> Result<Id> {
    if let Some(id) = find_by(tx, "org", "name", name)? {
        return Ok(id);
    }
    if !create {
        return Err(Error::Rule(format!(
            "台账中没有名为“{name}”的党组织：请先导入或新增该党组织，或检查名称是否写全"
        )));
    }
    create_org(tx, name, created, id)
}

pub(super) fn create_org(
    tx: &mut Tx,
    name: &str,
    created: &mut Created,
    id: Option<Id>,
) -> Result<Id> {
    let org = tx.insert(new_org(name, id))?;
    created.orgs.push(name.to_string());
    Ok(org.meta.id)
}

/// The org a name creates: its type from the name (党委, 总支, 支部 …).
pub(super) fn new_org(name: &str, id: Option<Id>) -> Org {
    let t = OrgType::from_full_name(name).unwrap_or(OrgType::Branch);
    let mut org = Org::new(name, t, t.default_formation());
    org.meta.id = id.unwrap_or(org.meta.id);
    org
}

pub(super) fn unit_by_name_as(
    tx: &mut Tx,
    name: &str,
    created: &mut Created,
    id: Option<Id>,
) -> Result<Id> {
    if let Some(id) = find_by(tx, "unit", "name", name)? {
        return Ok(id);
    }
    create_unit(tx, name, created, id)
}

pub(super) fn create_unit(
    tx: &mut Tx,
    name: &str,
    created: &mut Created,
    id: Option<Id>,
) -> Result<Id> {
    let unit = tx.insert(new_unit(name, id))?;
    created.units.push(name.to_string());
    Ok(unit.meta.id)
}

/// The unit a name creates: its category from the name (协会, 学校, 公司 …).
pub(super) fn new_unit(name: &str, id: Option<Id>) -> Unit {
    let mut unit = Unit::new(name, category_from_name(name));
    unit.meta.id = id.unwrap_or(unit.meta.id);
    unit
}

pub(super) fn instructor_by_name_as(
    tx: &mut Tx,
    name: &str,
    created: &mut Created,
    id: Option<Id>,
) -> Result<Id> {
    if let Some(id) = find_by(tx, "instructor", "name", name)? {
        return Ok(id);
    }
    create_instructor(tx, name, created, id)
}

pub(super) fn create_instructor(
    tx: &mut Tx,
    name: &str,
    created: &mut Created,
    id: Option<Id>,
) -> Result<Id> {
    let ins = tx.insert(new_instructor(name, id))?;
    created.instructors.push(name.to_string());
    Ok(ins.meta.id)
}

pub(super) fn new_instructor(name: &str, id: Option<Id>) -> Instructor {
    Instructor {
        meta: Meta {
            id: id.unwrap_or_default(),
            ..Meta::default()
        },
        name: name.to_string(),
        employer: None,
        phone: None,
        active: true,
    }
}

pub fn member_by_id_number(tx: &Tx, id_number: &str) -> Result<Id> {
    let n = id_number.trim().to_ascii_uppercase();
    find_by(tx, "member", "id_number", &n)?.ok_or_else(|| {
        Error::Rule(format!(
            "台账中没有公民身份号码为 {n} 的党员，请先导入党员花名册"
        ))
    })
}

/// A member by 姓名: within `org` (全称) when given, the phone breaking a tie. Never a guess:
/// no one, or several people the phone does not tell apart, is an error that says so.
pub fn member_by_name(tx: &Tx, name: &str, org: Option<&str>, phone: Option<&str>) -> Result<Id> {
    let name = name.trim();
    let mut stmt = tx.conn().prepare_cached(
        "SELECT m.id, coalesce(m.phone, ''), coalesce(o.name, '') FROM member m
         LEFT JOIN org o ON o.id = m.org_id
         WHERE m.name = ?1 AND m.merged_into IS NULL ORDER BY m.rowid",
    )?;
    let all: Vec<(Id, String, String)> = stmt
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let in_org: Vec<&(Id, String, String)> = match org {
        Some(o) => all.iter().filter(|(_, _, n)| n == o).collect(),
        None => all.iter().collect(),
    };
    let whose = match org {
        Some(o) => format!("“{o}”中"),
        None => "台账中".to_string(),
    };
    if in_org.is_empty() {
        return Err(Error::Rule(format!(
            "{whose}没有名为“{name}”的党员：请核对姓名，或先导入党员花名册"
        )));
    }
    if let [one] = in_org.as_slice() {
        return Ok(one.0);
    }
    let phone = phone.map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = phone {
        let same: Vec<_> = in_org.iter().filter(|(_, ph, _)| ph == p).collect();
        if let [one] = same.as_slice() {
            return Ok(one.0);
        }
    }
    Err(Error::Rule(format!(
        "{whose}有 {} 名党员叫“{name}”{}：请加上身份证号一列以区分",
        in_org.len(),
        if phone.is_some() {
            "，手机号码也不能区分"
        } else {
            "，表中没有手机号码可以区分"
        }
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_from_names() {
        assert_eq!(
            category_from_name("清河县机械行业协会"),
            UnitCategory::SocialGroup
        );
        assert_eq!(
            category_from_name("清河县阳光培训学校"),
            UnitCategory::PrivateNonEnterprise
        );
        assert_eq!(
            category_from_name("清河县恒达机械有限公司"),
            UnitCategory::Enterprise
        );
        assert_eq!(
            category_from_name("清河县教育基金会"),
            UnitCategory::Foundation
        );
        assert_eq!(category_from_name("某某"), UnitCategory::Other);
    }
}
