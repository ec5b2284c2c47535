//! The annual 两新组织党建工作统计 workbook (`taizhang report annual`): a summary by area with
//! 合计 and breakdowns, the 应建未建 list, the units without an org, the orgs with their 换届 and
//! 十个有 status, 三会一课 completion by quarter, and native Excel charts.
//!
//! Every figure comes from the same [`Stats`] as `taizhang stats --as-of <year>-12-31` (computed
//! once, never recounted here), and the lists from the rules' own findings, so the workbook, the
//! statistics and `taizhang check` agree. The layout is data ([`ReportLayout`]): sheet names,
//! titles, which figures and columns in which order under which Chinese headers. The shipped
//! default is `assets/reports/annual.json`; a county puts its own `reports/annual.json` beside the
//! database to rearrange it without code changes.
//!
//! The parts: `layout` reads and checks the layout; `figures` gathers what the
//! sheets show from the [`Stats`] and the findings; `table` holds the cell formats and the
//! table-writing common to every sheet (title, header, rows fitted to wrapped Chinese, 说明 and
//! 制表人, page breaks); `sheets` writes the summary, list and 三会一课 sheets and `charts` the
//! chart sheet.
//!
//! [`Stats`]: super::stats::Stats

mod charts;
mod figures;
mod layout;
mod sheets;
mod table;

pub use layout::{
    load_layout, ChartKind, ChartSource, ReportBlock, ReportChart, ReportColumn, ReportLayout,
    ReportSheet, SheetKind, DEFAULT_LAYOUT, LAYOUT_FILE,
};

use super::stats::{compute, StatsOptions};
use crate::error::{Error, Result};
use crate::rules::{self, Ledger, RuleParams};
use crate::Store;
use charts::charts_sheet;
use chrono::{Datelike, NaiveDate};
use figures::Ctx;
use rust_xlsxwriter::Workbook;
use serde::Serialize;
use sheets::{development_sheet, list_sheet, meetings_sheet, summary_sheet};
use std::path::{Path, PathBuf};
use table::{xerr, Formats};

#[derive(Debug, Clone, Default)]
pub struct AnnualOptions {
    /// 统计年度: figures as of 31 December of this year.
    pub year: i32,
    /// Only this 乡镇街道.
    pub area: Option<String>,
    /// 填报单位 (defaults to the `report_unit` setting).
    pub report_unit: Option<String>,
    /// 制表人 (defaults to the `operator` setting; blank to sign by hand).
    pub preparer: Option<String>,
    /// 填报日期 (defaults to today).
    pub date: Option<NaiveDate>,
    /// Folder of a county's own layout (defaults to `reports/` beside the database).
    pub layout_dir: Option<PathBuf>,
}

/// Who reports, when, about what: the text around the figures.
#[derive(Debug, Clone)]
pub struct ReportMeta {
    pub year: i32,
    pub report_unit: String,
    pub preparer: String,
    /// 填报日期.
    pub date: NaiveDate,
    /// The day the ledger's records run to (the store's today); before 31 December the
    /// workbook says that later records are not in yet.
    pub data_through: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct QuarterRate {
    pub quarter: String,
    pub label: String,
    pub rate: f64,
}

/// What was written, with the headline figures (equal to `taizhang stats` on `as_of`).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct AnnualSummary {
    pub path: String,
    pub year: i32,
    /// 统计截止日期: 31 December of the year.
    pub as_of: NaiveDate,
    pub area: Option<String>,
    pub report_unit: String,
    pub preparer: String,
    pub date: NaiveDate,
    /// False when the year was not over on the day the records run to.
    pub year_complete: bool,
    pub sheets: Vec<String>,
    pub charts: usize,
    pub units: usize,
    pub orgs: usize,
    pub members: usize,
    pub org_coverage_rate: f64,
    pub standalone_rate: f64,
    pub work_coverage_rate: f64,
    pub org_not_built: usize,
    pub units_without_org: usize,
    pub meeting_completion: Vec<QuarterRate>,
    pub inspection_pass_rate: f64,
}

/// 31 December of a report year, refusing years not yet begun.
pub fn year_end(year: i32, today: NaiveDate) -> Result<NaiveDate> {
    if year > today.year() {
        return Err(Error::Rule(format!(
            "{year} 年度尚未开始（今天是 {today}），不能生成该年度的年报"
        )));
    }
    NaiveDate::from_ymd_opt(year, 12, 31)
        .filter(|_| year >= 1949)
        .ok_or_else(|| Error::Rule(format!("统计年度“{year}”无效")))
}

/// Write the annual workbook of `opts.year` to `out`: the ledger on 31 December, the statistics
/// exactly as `taizhang stats --as-of <year>-12-31` computes them, and the rules' findings.
pub fn annual_report(store: &Store, out: &Path, opts: &AnnualOptions) -> Result<AnnualSummary> {
    let today = store.today();
    let as_of = year_end(opts.year, today)?;
    let layout_dir = opts.layout_dir.clone().or_else(|| {
        store
            .path()
            .and_then(Path::parent)
            .map(|d| d.join("reports"))
    });
    let layout = load_layout(layout_dir.as_deref())?;
    let (l, p) = rules::load(store, as_of)?;
    let report_unit = match &opts.report_unit {
        Some(u) => u.clone(),
        None => store
            .setting::<String>(crate::store::REPORT_UNIT_KEY)?
            .unwrap_or_default(),
    };
    let preparer = match &opts.preparer {
        Some(u) => u.clone(),
        None => store
            .setting::<String>(crate::store::OPERATOR_KEY)?
            .unwrap_or_default(),
    };
    let meta = ReportMeta {
        year: opts.year,
        report_unit,
        preparer,
        date: opts.date.unwrap_or(today),
        data_through: today,
    };
    write_annual(&l, &p, opts.area.as_deref(), &layout, &meta, out)
}

/// Write the annual workbook from a ledger snapshot (its `as_of` is the 统计截止日期).
pub fn write_annual(
    l: &Ledger,
    p: &RuleParams,
    area: Option<&str>,
    layout: &ReportLayout,
    meta: &ReportMeta,
    out: &Path,
) -> Result<AnnualSummary> {
    if !out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return Err(Error::Rule(format!(
            "年报文件名应以 .xlsx 结尾：{}",
            out.display()
        )));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(Error::Rule(format!(
                "保存年报的文件夹不存在：{}",
                dir.display()
            )));
        }
    }
    let area = area.map(str::trim).filter(|a| !a.is_empty());
    if let Some(a) = area {
        if !l.units.iter().any(|u| u.area.as_deref() == Some(a)) {
            let mut known: Vec<&str> = l.units.iter().filter_map(|u| u.area.as_deref()).collect();
            known.sort_unstable();
            known.dedup();
            return Err(Error::Rule(format!(
                "台账中没有“{a}”的单位（已有的乡镇街道：{}）",
                if known.is_empty() {
                    "无".to_string()
                } else {
                    known.join("、")
                }
            )));
        }
    }
    let stats = compute(
        l,
        p,
        &StatsOptions {
            area: area.map(str::to_string),
            quarters: None,
        },
    );
    let ctx = Ctx::new(l, p, &stats, area, meta)?;
    let f = Formats::new();
    let mut wb = Workbook::new();
    let mut charts = 0;
    for sheet in &layout.sheets {
        match sheet.kind {
            SheetKind::Summary => summary_sheet(wb.add_worksheet(), &f, &ctx, sheet)?,
            SheetKind::Meetings => meetings_sheet(wb.add_worksheet(), &f, &ctx, sheet)?,
            SheetKind::Development => development_sheet(wb.add_worksheet(), &f, &ctx, sheet)?,
            SheetKind::Charts => charts += charts_sheet(wb.add_worksheet(), &f, &ctx, sheet)?,
            SheetKind::OrgNotBuilt | SheetKind::UnitsWithoutOrg | SheetKind::Orgs => {
                // Lists can be long (a city's orgs): streamed to disk row by row.
                list_sheet(wb.add_worksheet_with_constant_memory(), &f, &ctx, sheet)?
            }
        }
    }
    crate::private_files::prepare(out)?; // names of people: owner-only (Unix)
    wb.save(out).map_err(xerr)?;
    Ok(AnnualSummary {
        path: out.display().to_string(),
        year: meta.year,
        as_of: l.as_of,
        area: area.map(str::to_string),
        report_unit: meta.report_unit.clone(),
        preparer: meta.preparer.clone(),
        date: meta.date,
        year_complete: meta.data_through >= l.as_of,
        sheets: layout.sheets.iter().map(|s| s.name.clone()).collect(),
        charts,
        units: stats.units.total,
        orgs: stats.orgs.total,
        members: stats.members.total,
        org_coverage_rate: stats.org_coverage_rate,
        standalone_rate: stats.standalone_rate,
        work_coverage_rate: stats.work_coverage_rate,
        org_not_built: ctx.not_built.len(),
        units_without_org: ctx.uncovered.len(),
        meeting_completion: stats
            .meetings
            .iter()
            .map(|q| QuarterRate {
                quarter: q.quarter.clone(),
                label: q.label.clone(),
                rate: q.rate,
            })
            .collect(),
        inspection_pass_rate: stats.inspections.rate,
    })
}
