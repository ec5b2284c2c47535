//! 发展党员 figures: people on the path (入党申请人, of them 入党积极分子 and 发展对象) and the
//! members developed this year, by 乡镇街道 and by 单位类别 — for `stats` and the annual report.

use super::stats::UNKNOWN;

/// The 单位类别 row of people whose 工作单位 is not a unit of the ledger.
pub const OUTSIDE: &str = "工作单位不在台账中";
use crate::model::{ApplicantStage, UnitCategory};
use crate::rules::Ledger;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// One row: a 乡镇街道 or a 单位类别, or 合计.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DevelopmentRow {
    pub name: String,
    /// 入党申请人: on the path on the date (handed in the 入党申请书, not yet accepted by a
    /// 支部大会, not left), whatever their stage.
    pub applicants: usize,
    /// Of them, 入党积极分子.
    pub activists: usize,
    /// Of them, 发展对象.
    pub candidates: usize,
    /// 发展党员: members whose 入党日期 (the 支部大会) falls in the year, up to the date.
    pub developed: usize,
}

impl DevelopmentRow {
    fn new(name: &str) -> Self {
        DevelopmentRow {
            name: name.to_string(),
            applicants: 0,
            activists: 0,
            candidates: 0,
            developed: 0,
        }
    }

    fn add(&mut self, other: &DevelopmentRow) {
        self.applicants += other.applicants;
        self.activists += other.activists;
        self.candidates += other.candidates;
        self.developed += other.developed;
    }
}

/// The figures by 乡镇街道 and by 单位类别, each ending with 合计.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DevelopmentStats {
    pub by_area: Vec<DevelopmentRow>,
    pub by_category: Vec<DevelopmentRow>,
}

impl DevelopmentStats {
    /// The 合计 row.
    pub fn total(&self) -> Option<&DevelopmentRow> {
        self.by_area.last()
    }
}

/// What the figures count, as the report and the screen state it.
pub fn definition(as_of: NaiveDate) -> String {
    format!(
        "入党申请人 = 截至 {as_of} 已递交入党申请书、尚未经支部大会接收为预备党员、也未停止培养的人数（含入党积极分子和发展对象）；\
         发展党员 = {} 年 1 月 1 日至 {as_of} 经支部大会接收为预备党员（入党日期在此期间）的党员数；\
         按培养党组织所在乡镇街道（党员按所在党组织）和工作单位的类别统计，工作单位不在台账中的计入“{OUTSIDE}”",
        as_of.year()
    )
}

/// The figures of a snapshot, restricted to `areas` (all when `None`), each table in the order
/// of the given area names and then of 单位类别.
pub fn compute(l: &Ledger, area: Option<&str>, area_order: &[String]) -> DevelopmentStats {
    let in_area = |a: Option<&str>| area.is_none_or(|x| a == Some(x));
    let mut by_area: Vec<DevelopmentRow> =
        area_order.iter().map(|a| DevelopmentRow::new(a)).collect();
    let mut by_category: Vec<DevelopmentRow> = UnitCategory::ALL
        .iter()
        .map(|c| DevelopmentRow::new(c.label()))
        .chain([DevelopmentRow::new(OUTSIDE)])
        .collect();
    let row = |rows: &mut Vec<DevelopmentRow>, name: &str| -> usize {
        match rows.iter().position(|r| r.name == name) {
            Some(i) => i,
            None => {
                rows.push(DevelopmentRow::new(name));
                rows.len() - 1
            }
        }
    };
    let category = |u: Option<usize>| u.map_or(OUTSIDE, |u| l.units[u].category.label());
    for (i, a) in l.applicants.iter().enumerate() {
        let area_name = l.applicant_area(i);
        if !in_area(area_name) {
            continue;
        }
        let stage = a.stage();
        if matches!(stage, ApplicantStage::Admitted | ApplicantStage::Left) {
            continue;
        }
        let mut one = DevelopmentRow::new("");
        one.applicants = 1;
        one.activists = usize::from(stage == ApplicantStage::Activist);
        one.candidates = usize::from(stage == ApplicantStage::Candidate);
        let ai = row(&mut by_area, area_name.unwrap_or(UNKNOWN));
        by_area[ai].add(&one);
        let ci = row(&mut by_category, category(a.work_unit));
        by_category[ci].add(&one);
    }
    let year_start = NaiveDate::from_ymd_opt(l.as_of.year(), 1, 1).unwrap_or(NaiveDate::MIN);
    for (m, rec) in l.members.iter().enumerate() {
        let area_name = l.member_area(m);
        if !in_area(area_name) || rec.joined_on < year_start || rec.joined_on > l.as_of {
            continue;
        }
        let mut one = DevelopmentRow::new("");
        one.developed = 1;
        let ai = row(&mut by_area, area_name.unwrap_or(UNKNOWN));
        by_area[ai].add(&one);
        let ci = row(&mut by_category, category(rec.work_unit));
        by_category[ci].add(&one);
    }
    let mut total = DevelopmentRow::new("合计");
    by_area.iter().for_each(|r| total.add(r));
    by_area.push(total.clone());
    by_category.push(DevelopmentRow {
        name: "合计".into(),
        ..total
    });
    DevelopmentStats {
        by_area,
        by_category,
    }
}
