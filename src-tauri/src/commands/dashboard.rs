//! 工作台. For now: record counts and simple breakdowns by a field (filtered counts of the
//! core's list query).
//!
//! SEAM: when `taizhang::rules::check` and the stats of `taizhang::report` land, add their
//! findings and coverage figures here (`findings`, `coverage`) — the window already shows
//! them when present.

use crate::error::IpcResult;
use crate::state::Ledger;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use taizhang::model::*;
use taizhang::store::{count_records, ListQuery, Table};
use taizhang::Store;
use tauri::State;

#[derive(Debug, Serialize)]
pub struct Breakdown {
    pub title: String,
    /// (label, count)
    pub items: Vec<(String, i64)>,
}

#[derive(Debug, Serialize)]
pub struct Dashboard {
    /// entity → number of records
    pub counts: BTreeMap<&'static str, i64>,
    pub breakdowns: Vec<Breakdown>,
    /// Findings of the rules engine, grouped by urgency (None until it is wired).
    pub findings: Option<Value>,
    /// 覆盖率 figures (None until the stats are wired).
    pub coverage: Option<Value>,
    pub today: String,
}

fn by<T: Table + Fields>(
    s: &Store,
    title: &str,
    field: &str,
    values: &[&str],
) -> IpcResult<Breakdown> {
    let mut items = Vec::new();
    for v in values {
        let q = ListQuery {
            filters: vec![(field.to_string(), v.to_string())],
            ..Default::default()
        };
        items.push((v.to_string(), count_records::<T>(s.conn(), &q)?));
    }
    Ok(Breakdown {
        title: title.into(),
        items,
    })
}

pub fn dashboard_of(s: &Store) -> IpcResult<Dashboard> {
    let mut counts = BTreeMap::new();
    counts.insert("unit", s.count::<Unit>()?);
    counts.insert("org", s.count::<Org>()?);
    counts.insert("member", s.count::<Member>()?);
    counts.insert("activity", s.count::<Activity>()?);
    counts.insert("inspection", s.count::<Inspection>()?);
    counts.insert("instructor", s.count::<Instructor>()?);
    counts.insert("visit", s.count::<Visit>()?);
    counts.insert("alliance", s.count::<Alliance>()?);
    counts.insert("dues", s.count::<Dues>()?);
    let labels = |all: &[&'static str]| all.to_vec();
    let unit_cats: Vec<&str> = UnitCategory::ALL.iter().map(|c| c.label()).collect();
    let org_types: Vec<&str> = OrgType::ALL.iter().map(|c| c.label()).collect();
    let member_cats: Vec<&str> = MemberCategory::ALL.iter().map(|c| c.label()).collect();
    let breakdowns = vec![
        by::<Unit>(s, "两新组织类别", "category", &labels(&unit_cats))?,
        by::<Org>(s, "党组织类型", "org_type", &labels(&org_types))?,
        by::<Member>(s, "党员类别", "category", &labels(&member_cats))?,
    ];
    Ok(Dashboard {
        counts,
        breakdowns,
        findings: None,
        coverage: None,
        today: s.today().to_string(),
    })
}

#[tauri::command]
pub async fn dashboard(state: State<'_, Ledger>) -> IpcResult<Dashboard> {
    state.run(|s| dashboard_of(s)).await
}
