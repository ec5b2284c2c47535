//! 工作台: the rules' findings (应建未建, 换届, 预备期, 三会一课, 十个有 …), the coverage
//! figures of the statistics, record counts and simple breakdowns (filtered counts). All
//! figures come from `rules` and `report` over one snapshot of the ledger.

use crate::error::Result;
use crate::model::*;
use crate::report::stats::{AreaStats, Coverage, Definition};
use crate::rules::Finding;
use crate::store::{count_records, ListQuery, Table};
use crate::{with_editable_entity, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of a list by the values of one field.
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
    /// Coverage per 乡镇街道.
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
) -> Result<Breakdown> {
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

pub fn dashboard(s: &Store) -> Result<Dashboard> {
    let mut counts = BTreeMap::new();
    for e in Entity::ALL.into_iter().filter(|e| e.editable()) {
        let n = with_editable_entity!(e, T => s.count::<T>()?, 0);
        counts.insert(e.name(), n);
    }
    let unit_cats: Vec<&str> = UnitCategory::ALL.iter().map(|c| c.label()).collect();
    let org_types: Vec<&str> = OrgType::ALL.iter().map(|c| c.label()).collect();
    let member_cats: Vec<&str> = MemberCategory::ALL.iter().map(|c| c.label()).collect();
    let breakdowns = vec![
        by::<Unit>(s, "两新组织类别", "category", &unit_cats)?,
        by::<Org>(s, "党组织类型", "org_type", &org_types)?,
        by::<Member>(s, "党员类别", "category", &member_cats)?,
    ];
    let as_of = s.today();
    let (ledger, params) = crate::rules::load(s, as_of)?;
    let findings = crate::rules::check(&ledger, &params);
    let stats = crate::report::compute(&ledger, &params, &Default::default());
    let areas = stats.areas().to_vec();
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
