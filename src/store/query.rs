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
        conds.push(format!("{col} LIKE ?{} ESCAPE '\\'", params.len()));
    }
    Ok((conds.join(" AND "), params))
}

/// List records of a type matching the query, in creation order (ids are time-ordered).
pub fn list_records<T: Table + Fields>(conn: &Connection, q: &ListQuery) -> Result<Vec<T>> {
    let (cond, params) = conditions::<T>(q)?;
    let mut order = "rowid".to_string();
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
