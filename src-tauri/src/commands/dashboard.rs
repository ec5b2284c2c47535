//! 工作台: the rules' findings (应建未建, 换届, 预备期, 三会一课, 十个有 …), the coverage
//! figures of the statistics, record counts and simple breakdowns (filtered counts). All
//! figures come from the core: `taizhang::rules` and `taizhang::report` over one snapshot.

use crate::error::IpcResult;
use crate::state::Ledger;
use serde::Serialize;
use std::collections::BTreeMap;
use taizhang::model::*;
use taizhang::report::stats::{AreaStats, Coverage, Definition};
use taizhang::rules::Finding;
use taizhang::store::{count_records, ListQuery, Table};
use taizhang::Store;
use tauri::State;

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Breakdown {
    pub title: String,
    /// (label, count)
    pub items: Vec<(String, i64)>,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Dashboard {
    /// entity → number of records
    pub counts: BTreeMap<&'static str, i64>,
    pub breakdowns: Vec<Breakdown>,
    /// Findings of the rules engine.
    pub findings: Vec<Finding>,
    /// 覆盖率 figures.
    pub coverage: Coverage,
    /// Coverage per 乡镇街道 (without the 合计 row).
    pub areas: Vec<AreaStats>,
    /// How each figure is defined, shown beside the figures.
    pub definitions: Vec<Definition>,
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
    let as_of = s.today();
    let (ledger, params) = taizhang::rules::load(s, as_of)?;
    let findings = taizhang::rules::check(&ledger, &params);
    let stats = taizhang::report::compute(&ledger, &params, &Default::default());
    let areas = stats
        .by_area
        .into_iter()
        .filter(|a| a.area != "合计")
        .collect();
    Ok(Dashboard {
        counts,
        breakdowns,
        findings,
        coverage: stats.coverage,
        areas,
        definitions: stats.definitions,
        today: as_of.to_string(),
    })
}

#[tauri::command]
pub async fn dashboard(state: State<'_, Ledger>) -> IpcResult<Dashboard> {
    state.run(|s| dashboard_of(s)).await
}
