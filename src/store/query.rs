//! Listing records with filters: by any plain field (value parsed like user input, so
//! synonyms work), a text search, and paging.

use super::table::Table;
use crate::error::{Error, Result};
use crate::model::fields::{parse_value, FieldKind};
use crate::model::{Activity, Attendance, Fields, Id, Member, MemberStatus};
use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;
use serde_json::Value;

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// field name → value as a user writes it
    pub filters: Vec<(String, String)>,
    /// 模糊查询 on the record's name (or topic)
    pub search: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
    /// Sort by this field (a plain column); creation order when None.
    pub order_by: Option<String>,
    /// Sort descending (largest, latest first).
    pub descending: bool,
}

fn sql_value(v: &Value) -> SqlValue {
    match v {
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => n
            .as_i64()
            .map_or(SqlValue::Real(n.as_f64().unwrap_or(0.0)), SqlValue::Integer),
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// The column searched by `search`.
fn search_column<T: Table>() -> Option<&'static str> {
    ["name", "topic", "findings"]
        .into_iter()
        .find(|c| T::COLUMNS.contains(c))
}

/// The WHERE clause and its parameters for a query (filters and search).
fn conditions<T: Table + Fields>(q: &ListQuery) -> Result<(String, Vec<SqlValue>)> {
    let mut conds = vec!["1".to_string()];
    let mut params: Vec<SqlValue> = Vec::new();
    for (name, raw) in &q.filters {
        let spec = T::field(name)
            .filter(|s| T::COLUMNS.contains(&s.name))
            .ok_or_else(|| Error::Rule(format!("{}没有可筛选的字段“{name}”", T::LABEL)))?;
        if matches!(
            spec.kind,
            FieldKind::Choices(_)
                | FieldKind::Refs(_)
                | FieldKind::TextList
                | FieldKind::Seats
                | FieldKind::Checks
                | FieldKind::FollowUps
                | FieldKind::Attendance
        ) {
            return Err(Error::Rule(format!("不能按“{}”筛选", spec.label)));
        }
        let value = parse_value(spec.kind, raw)
            .map_err(|m| Error::Rule(format!("【{}】{m}", spec.label)))?;
        if value.is_null() {
            conds.push(format!("{} IS NULL", spec.name));
        } else {
            params.push(sql_value(&value));
            conds.push(format!("{} = ?{}", spec.name, params.len()));
        }
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let col = search_column::<T>()
            .ok_or_else(|| Error::Rule(format!("{}不支持模糊查询", T::LABEL)))?;
        params.push(SqlValue::Text(format!(
            "%{}%",
            s.replace('%', "\\%").replace('_', "\\_")
        )));
        let n = params.len();
        if super::collate::looks_like_initials(s) {
            // zs finds 张三 as well as a name containing "zs".
            let (_, initials) = super::collate::for_column(T::TABLE, col);
            conds.push(format!(
                "({col} LIKE ?{n} ESCAPE '\\' OR {initials}({col}) LIKE ?{n})"
            ));
        } else {
            conds.push(format!("{col} LIKE ?{n} ESCAPE '\\'"));
        }
    }
    Ok((conds.join(" AND "), params))
}

/// The ORDER BY clause: the requested field, then creation order so pages are stable.
fn order_clause<T: Table + Fields>(q: &ListQuery) -> Result<String> {
    let dir = if q.descending { "DESC" } else { "ASC" };
    let Some(name) = q.order_by.as_deref().filter(|n| !n.is_empty()) else {
        return Ok(format!("rowid {dir}"));
    };
    let spec = T::field(name)
        .filter(|s| T::COLUMNS.contains(&s.name))
        .ok_or_else(|| Error::Rule(format!("{}没有可排序的字段“{name}”", T::LABEL)))?;
    if !spec.kind.sortable() {
        return Err(Error::Rule(format!("不能按“{}”排序", spec.label)));
    }
    // Text sorts as people read it (拼音), not by code point.
    let collate = match spec.kind {
        FieldKind::Text | FieldKind::Choice(_) | FieldKind::Dict(_) => {
            format!(
                " COLLATE {}",
                super::collate::for_column(T::TABLE, spec.name).0
            )
        }
        _ => String::new(),
    };
    // Empty values last either way: a 书记 looking for the latest 转正日期 wants dates first.
    Ok(format!(
        "{col} IS NULL, {col}{collate} {dir}, rowid {dir}",
        col = spec.name
    ))
}

/// List records of a type matching the query, in the requested order (default: creation
/// order, ids being time-ordered).
pub fn list_records<T: Table + Fields>(conn: &Connection, q: &ListQuery) -> Result<Vec<T>> {
    let (cond, params) = conditions::<T>(q)?;
    let mut order = order_clause::<T>(q)?;
    if let Some(limit) = q.limit {
        order.push_str(&format!(" LIMIT {limit} OFFSET {}", q.offset));
    } else if q.offset > 0 {
        order.push_str(&format!(" LIMIT -1 OFFSET {}", q.offset));
    }
    let refs: Vec<&dyn rusqlite::ToSql> =
        params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
    super::list(conn, &cond, &refs, &order)
}

/// How many records match the query's filters and search (ignoring limit and offset), for
/// paging.
pub fn count_records<T: Table + Fields>(conn: &Connection, q: &ListQuery) -> Result<i64> {
    let (cond, params) = conditions::<T>(q)?;
    let refs: Vec<&dyn rusqlite::ToSql> =
        params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM {} WHERE {cond}", T::TABLE),
        refs.as_slice(),
        |r| r.get(0),
    )?)
}

/// The display name of a record (for showing references), if it has one.
pub fn display_name(conn: &Connection, table: &str, id: &Id) -> Option<String> {
    let col = match table {
        "activity" => "topic",
        "checklist" | "unit" | "org" | "member" | "instructor" | "alliance" => "name",
        _ => return None,
    };
    conn.prepare_cached(&format!("SELECT {col} FROM {table} WHERE id = ?1"))
        .and_then(|mut st| st.query_row([id], |r| r.get(0)))
        .ok()
}

/// 出席情况 pre-filled for a meeting: every member on the org's rolls, marked present.
pub fn org_attendance(conn: &Connection, org: &Id) -> Result<Vec<Attendance>> {
    let members: Vec<Member> = super::list(
        conn,
        "org_id = ?1 AND status = ?2",
        &[org, &MemberStatus::Active],
        "name",
    )?;
    Ok(members
        .into_iter()
        .map(|m| Attendance {
            member_id: m.meta.id,
            present: true,
            reason: None,
        })
        .collect())
}

/// Mark the given members absent, with their reasons. A member not on the list is an error.
pub fn mark_absent(activity: &mut Activity, absent: &[(Id, Option<String>)]) -> Result<()> {
    for (id, reason) in absent {
        let a = activity
            .attendance
            .iter_mut()
            .find(|a| a.member_id == *id)
            .ok_or_else(|| Error::Rule(format!("党员 {id} 不在该党组织的应到名单中")))?;
        a.present = false;
        a.reason = reason.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Unit, UnitCategory};
    use crate::Store;

    fn unit(name: &str, employees: Option<i64>) -> Unit {
        Unit {
            name: name.into(),
            category: UnitCategory::Enterprise,
            employees,
            ..Unit::blank()
        }
    }

    fn names(s: &Store, q: &ListQuery) -> Vec<String> {
        list_records::<Unit>(s.conn(), q)
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect()
    }

    #[test]
    fn sorts_by_a_field_with_empty_values_last_and_pages_stably() {
        let mut s = Store::open_in_memory().unwrap();
        for (n, e) in [
            ("甲", Some(30)),
            ("乙", None),
            ("丙", Some(5)),
            ("丁", Some(30)),
        ] {
            s.insert(unit(n, e)).unwrap();
        }
        let mut q = ListQuery {
            order_by: Some("employees".into()),
            ..Default::default()
        };
        assert_eq!(names(&s, &q), ["丙", "甲", "丁", "乙"]);
        q.descending = true;
        assert_eq!(names(&s, &q), ["丁", "甲", "丙", "乙"], "ties latest first");
        q.limit = Some(2);
        q.offset = 2;
        assert_eq!(names(&s, &q), ["丙", "乙"]);
        let default = ListQuery::default();
        assert_eq!(
            names(&s, &default),
            ["甲", "乙", "丙", "丁"],
            "creation order"
        );
    }

    #[test]
    fn search_finds_by_pinyin_initials() {
        let mut s = Store::open_in_memory().unwrap();
        for n in ["张家公司", "王氏公司", "ZJ Trading"] {
            s.insert(unit(n, None)).unwrap();
        }
        let q = |text: &str| ListQuery {
            search: Some(text.into()),
            ..Default::default()
        };
        assert_eq!(names(&s, &q("zjgs")), ["张家公司"]);
        assert_eq!(names(&s, &q("ZJ")), ["张家公司", "ZJ Trading"]);
        assert_eq!(names(&s, &q("王氏")), ["王氏公司"]);
        assert!(names(&s, &q("xyz")).is_empty());
        assert_eq!(count_records::<Unit>(s.conn(), &q("wsgs")).unwrap(), 1);
    }

    #[test]
    fn peoples_names_sort_and_search_with_surname_readings() {
        let mut s = Store::open_in_memory().unwrap();
        let org = s
            .insert(crate::model::Org::new(
                "中共某支部",
                crate::model::OrgType::Branch,
                "单独组建",
            ))
            .unwrap();
        for (name, id) in [
            ("张三", "11010119900307123"),
            ("曾国藩", "11010119900307124"),
            ("陈一", "11010119900307125"),
        ] {
            let check = crate::model::validate::id_number_check_char(id).unwrap();
            let mut m = Member::new(
                name,
                format!("{id}{check}"),
                chrono::NaiveDate::from_ymd_opt(2015, 7, 1).unwrap(),
            );
            m.org_id = Some(org.meta.id);
            s.insert(m).unwrap();
        }
        let listed = |q: &ListQuery| -> Vec<String> {
            list_records::<Member>(s.conn(), q)
                .unwrap()
                .into_iter()
                .map(|m| m.name)
                .collect()
        };
        let by_name = ListQuery {
            order_by: Some("name".into()),
            ..Default::default()
        };
        assert_eq!(listed(&by_name), ["陈一", "曾国藩", "张三"]);
        let search = ListQuery {
            search: Some("zgf".into()),
            ..Default::default()
        };
        assert_eq!(listed(&search), ["曾国藩"]);
    }

    #[test]
    fn text_sorts_by_pinyin() {
        let mut s = Store::open_in_memory().unwrap();
        for n in ["张家公司", "王氏公司", "李记公司", "安华公司"] {
            s.insert(unit(n, None)).unwrap();
        }
        let mut q = ListQuery {
            order_by: Some("name".into()),
            ..Default::default()
        };
        assert_eq!(
            names(&s, &q),
            ["安华公司", "李记公司", "王氏公司", "张家公司"]
        );
        q.descending = true;
        assert_eq!(
            names(&s, &q),
            ["张家公司", "王氏公司", "李记公司", "安华公司"]
        );
    }

    #[test]
    fn refuses_to_sort_by_unknown_or_list_fields() {
        let s = Store::open_in_memory().unwrap();
        for field in ["nonsense", "photos"] {
            let q = ListQuery {
                order_by: Some(field.into()),
                ..Default::default()
            };
            let err = list_records::<crate::model::Visit>(s.conn(), &q).unwrap_err();
            assert!(err.to_string().contains("排序"), "{err}");
        }
    }
}
