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

use super::activity::{QuarterCompletion, SAN_HUI_YI_KE};
use super::stats::{compute, rate, AreaStats, Count, Stats, StatsOptions, UNKNOWN};
use crate::error::{Error, Result};
use crate::model::{Id, OrgType};
use crate::rules::periods::add_months;
use crate::rules::{self, term_end, Finding, Ledger, Rule, RuleParams, Scope};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartEmptyCells, ChartFont, ChartLegendPosition, ChartMarker, Color,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The shipped layout.
pub const DEFAULT_LAYOUT: &str = include_str!("../../assets/reports/annual.json");
/// A county's own layout: this file in the `reports` folder beside the database.
pub const LAYOUT_FILE: &str = "annual.json";

// ---------------------------------------------------------------------------------------------
// The layout (data)
// ---------------------------------------------------------------------------------------------

/// What a sheet shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    /// Statistics by area with 合计, then breakdowns and other figures.
    Summary,
    /// Units of the 应建未建 findings.
    OrgNotBuilt,
    /// Operating units no org covers, with 未建立原因 and 党建指导员.
    UnitsWithoutOrg,
    /// Active orgs with 换届 and 十个有 status.
    Orgs,
    /// 三会一课 completion by quarter.
    Meetings,
    /// Native Excel charts, each beside the small table it plots.
    Charts,
}

/// A column (or a figure, or a chart series): which value, under which header.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportColumn {
    /// The value shown (see the keys each sheet kind accepts).
    pub key: String,
    pub header: String,
    /// A header over consecutive columns with the same group (a two-row header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// For `type_*` keys of 三会一课: the kind of meeting (支部党员大会, 支委会, 党小组会, 党课).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub activity_type: Option<String>,
    /// Width in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
}

/// A block under the summary table: a breakdown (counts and shares) or a row of figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBlock {
    pub title: String,
    /// A breakdown of the statistics, e.g. `units_by_category`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<String>,
    /// Or figures, e.g. `members_mobile`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<ReportColumn>,
    /// For a breakdown: add a 占比 row.
    #[serde(default = "yes")]
    pub share: bool,
}

fn yes() -> bool {
    true
}

/// The data a chart plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartSource {
    /// One category per 乡镇街道 (and 合计); series are keys of the summary table.
    Areas,
    /// One category per quarter; series are keys of the 三会一课 table.
    Quarters,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Column,
    Bar,
    Line,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportChart {
    pub source: ChartSource,
    #[serde(rename = "type")]
    pub kind: ChartKind,
    pub title: String,
    /// Header of the category column of the chart's table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_header: Option<String>,
    /// For `areas`: plot the 合计 too.
    #[serde(default = "yes")]
    pub include_total: bool,
    pub series: Vec<ReportColumn>,
}

/// One sheet of the workbook.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSheet {
    pub kind: SheetKind,
    /// Sheet name (at most 31 characters).
    pub name: String,
    /// Title row; `{year}`, `{area}` and `{report_unit}` are filled in.
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ReportColumn>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<ReportBlock>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charts: Vec<ReportChart>,
    /// Definitions stated under the figures, by key (`*` = all), as the statistics word them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub definitions: Vec<String>,
    /// Further lines of 说明.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The layout of the annual workbook.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportLayout {
    pub id: String,
    pub name: String,
    pub sheets: Vec<ReportSheet>,
}

const AREA_KEYS: &[&str] = &[
    "area",
    "units",
    "orgs",
    "members",
    "covered",
    "standalone",
    "work_covered",
    "uncovered",
    "org_coverage_rate",
    "standalone_rate",
    "work_coverage_rate",
];
const QUARTER_KEYS: &[&str] = &[
    "quarter",
    "code",
    "start",
    "end",
    "orgs",
    "orgs_complete",
    "required",
    "held",
    "rate",
    "type_required",
    "type_held",
    "type_rate",
];
const UNIT_KEYS: &[&str] = &[
    "seq",
    "name",
    "category",
    "area",
    "employees",
    "status",
    "members",
    "full_members",
    "probationary",
    "covering",
    "no_org_reason",
    "instructor",
    "has_union",
    "has_youth_league",
    "work_covered",
    "issues",
    "message",
];
const ORG_KEYS: &[&str] = &[
    "seq",
    "name",
    "org_type",
    "formation",
    "area",
    "secretary",
    "members",
    "full_members",
    "seats",
    "covered_units",
    "unit_count",
    "founded_on",
    "elected_on",
    "term_years",
    "term_end",
    "term_status",
    "last_inspection",
    "checklist",
    "inspection_status",
];
const FIGURE_KEYS: &[&str] = &[
    "units",
    "units_on_record",
    "orgs",
    "orgs_dissolved",
    "members",
    "members_full",
    "members_probationary",
    "members_mobile",
    "members_lost_contact",
    "covered",
    "standalone",
    "work_covered",
    "org_coverage_rate",
    "standalone_rate",
    "work_coverage_rate",
    "inspection_orgs",
    "inspection_inspected",
    "inspection_passed",
    "inspection_pass_rate",
];
const BREAKDOWN_KEYS: &[&str] = &[
    "units_by_category",
    "units_by_status",
    "units_by_area",
    "orgs_by_type",
    "orgs_by_formation",
    "members_by_status",
    "members_by_gender",
    "members_by_age_band",
    "members_by_education",
];
const DEFINITION_KEYS: &[&str] = &[
    "org_coverage_rate",
    "standalone_rate",
    "work_coverage_rate",
    "meeting_completion_rate",
    "inspection_pass_rate",
];

fn check_keys(what: &str, cols: &[ReportColumn], allowed: &[&str]) -> Result<(), String> {
    for c in cols {
        if !allowed.contains(&c.key.as_str()) {
            return Err(format!(
                "{what}没有名为“{}”的列（可用：{}）",
                c.key,
                allowed.join("、")
            ));
        }
        if c.key.starts_with("type_") {
            let t = c.activity_type.as_deref().unwrap_or("");
            if !SAN_HUI_YI_KE.iter().any(|k| k.label() == t) {
                let kinds: Vec<&str> = SAN_HUI_YI_KE.iter().map(|k| k.label()).collect();
                return Err(format!(
                    "{what}的“{}”列要用 type 指明会议类型（可用：{}）",
                    c.header,
                    kinds.join("、")
                ));
            }
        }
        if c.width.is_some_and(|w| !(1.0..=255.0).contains(&w)) {
            return Err(format!("{what}的“{}”列宽度应在 1 到 255 之间", c.header));
        }
    }
    Ok(())
}

impl ReportLayout {
    /// Parse and check a layout; `source` names it in messages.
    pub fn parse(text: &str, source: &str) -> Result<ReportLayout> {
        let bad = |msg: String| Error::BadFile(format!("年报格式 {source} 有误：{msg}"));
        let layout: ReportLayout = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        layout.validate().map_err(bad)?;
        Ok(layout)
    }

    fn validate(&self) -> Result<(), String> {
        if self.sheets.is_empty() {
            return Err("没有任何工作表".into());
        }
        let mut names: Vec<String> = Vec::new();
        for s in &self.sheets {
            let what = format!("工作表“{}”", s.name);
            let name = s.name.trim();
            if name.is_empty() || name.chars().count() > 31 {
                return Err(format!("{what}的名称应为 1 到 31 个字"));
            }
            if let Some(c) = name.chars().find(|c| "[]:*?/\\".contains(*c)) {
                return Err(format!("{what}的名称不能含有“{c}”"));
            }
            if name.starts_with('\'') || name.ends_with('\'') {
                return Err(format!("{what}的名称不能以单引号开头或结尾"));
            }
            let lower = name.to_lowercase();
            if names.contains(&lower) {
                return Err(format!("{what}重名"));
            }
            names.push(lower);
            let needs_columns = !matches!(s.kind, SheetKind::Charts);
            if needs_columns && s.columns.is_empty() {
                return Err(format!("{what}没有列"));
            }
            match s.kind {
                SheetKind::Summary => {
                    check_keys(&what, &s.columns, AREA_KEYS)?;
                    for b in &s.blocks {
                        match (&b.breakdown, b.figures.is_empty()) {
                            (Some(k), true) if BREAKDOWN_KEYS.contains(&k.as_str()) => {}
                            (Some(k), true) => {
                                return Err(format!(
                                    "{what}的“{}”：没有名为“{k}”的分类（可用：{}）",
                                    b.title,
                                    BREAKDOWN_KEYS.join("、")
                                ))
                            }
                            (None, false) => check_keys(
                                &format!("{what}的“{}”", b.title),
                                &b.figures,
                                FIGURE_KEYS,
                            )?,
                            _ => {
                                return Err(format!(
                                    "{what}的“{}”应当只写 breakdown 或 figures 之一",
                                    b.title
                                ))
                            }
                        }
                    }
                }
                SheetKind::OrgNotBuilt | SheetKind::UnitsWithoutOrg => {
                    check_keys(&what, &s.columns, UNIT_KEYS)?
                }
                SheetKind::Orgs => check_keys(&what, &s.columns, ORG_KEYS)?,
                SheetKind::Meetings => check_keys(&what, &s.columns, QUARTER_KEYS)?,
                SheetKind::Charts => {
                    if s.charts.is_empty() {
                        return Err(format!("{what}没有图表"));
                    }
                    for c in &s.charts {
                        if c.series.is_empty() {
                            return Err(format!("{what}的图表“{}”没有数据系列", c.title));
                        }
                        let (keys, source) = match c.source {
                            ChartSource::Areas => (AREA_KEYS, "乡镇街道"),
                            ChartSource::Quarters => (QUARTER_KEYS, "季度"),
                        };
                        check_keys(&format!("{what}的图表“{}”", c.title), &c.series, keys)?;
                        if let Some(s) = c.series.iter().find(|s| !numeric_key(&s.key)) {
                            return Err(format!(
                                "{what}的图表“{}”：“{}”不是按{source}的数字，不能作图",
                                c.title, s.key
                            ));
                        }
                    }
                }
            }
            for d in &s.definitions {
                if d != "*" && !DEFINITION_KEYS.contains(&d.as_str()) {
                    return Err(format!(
                        "{what}：没有名为“{d}”的口径说明（可用：*、{}）",
                        DEFINITION_KEYS.join("、")
                    ));
                }
            }
        }
        Ok(())
    }
}

fn numeric_key(key: &str) -> bool {
    !matches!(key, "area" | "quarter" | "code" | "start" | "end")
}

fn is_rate_key(key: &str) -> bool {
    key.ends_with("rate")
}

/// The layout in force: `dir/annual.json` when there is one (a county's own), else the default.
pub fn load_layout(dir: Option<&Path>) -> Result<ReportLayout> {
    if let Some(path) = dir.map(|d| d.join(LAYOUT_FILE)).filter(|p| p.is_file()) {
        let text = std::fs::read_to_string(&path)?;
        return ReportLayout::parse(&text, &path.display().to_string());
    }
    ReportLayout::parse(DEFAULT_LAYOUT, "（内置）")
}

// ---------------------------------------------------------------------------------------------
// Options and summary
// ---------------------------------------------------------------------------------------------

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterRate {
    pub quarter: String,
    pub label: String,
    pub rate: f64,
}

/// What was written, with the headline figures (equal to `taizhang stats` on `as_of`).
#[derive(Debug, Clone, PartialEq, Serialize)]
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
        None => store.setting::<String>("report_unit")?.unwrap_or_default(),
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
            SheetKind::Charts => charts += charts_sheet(wb.add_worksheet(), &f, &ctx, sheet)?,
            SheetKind::OrgNotBuilt | SheetKind::UnitsWithoutOrg | SheetKind::Orgs => {
                // Lists can be long (a city's orgs): streamed to disk row by row.
                list_sheet(wb.add_worksheet_with_constant_memory(), &f, &ctx, sheet)?
            }
        }
    }
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

// ---------------------------------------------------------------------------------------------
// What the sheets show
// ---------------------------------------------------------------------------------------------

/// A cell value.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Blank,
    Text(String),
    Num(f64),
    Rate(f64),
    Date(NaiveDate),
    /// Not applicable (a rate of nothing): written as —.
    Dash,
    /// 序号.
    Seq(usize),
}

fn text(s: impl Into<String>) -> Val {
    let s = s.into();
    if s.is_empty() {
        Val::Blank
    } else {
        Val::Text(s)
    }
}

fn num(n: usize) -> Val {
    Val::Num(n as f64)
}

fn yes_no(b: bool) -> Val {
    Val::Text(if b { "是" } else { "否" }.into())
}

/// A rate, or — when its denominator is zero.
fn rate_of(r: f64, denominator: usize) -> Val {
    if denominator == 0 {
        Val::Dash
    } else {
        Val::Rate(r)
    }
}

fn date_of(d: Option<NaiveDate>) -> Val {
    d.map_or(Val::Blank, Val::Date)
}

/// The unit rules whose findings the lists show.
const UNIT_RULES: [Rule; 4] = [
    Rule::OrgNotBuilt,
    Rule::FewMembersUncovered,
    Rule::NoMembersLargeUnit,
    Rule::LargeUnitUncovered,
];
const TERM_RULES: [Rule; 3] = [Rule::TermUnknown, Rule::TermDueSoon, Rule::TermOverdue];

struct Ctx<'a> {
    l: &'a Ledger,
    p: &'a RuleParams,
    s: &'a Stats,
    meta: &'a ReportMeta,
    area: Option<&'a str>,
    findings: Vec<Finding>,
    /// Findings by subject (indexes into `findings`).
    by_subject: HashMap<Id, Vec<usize>>,
    /// 应建未建: (unit, index into findings), in list order.
    not_built: Vec<(usize, usize)>,
    /// Operating units no active org covers, in list order.
    uncovered: Vec<usize>,
    /// Active orgs, in list order.
    orgs: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(
        l: &'a Ledger,
        p: &'a RuleParams,
        s: &'a Stats,
        area: Option<&'a str>,
        meta: &'a ReportMeta,
    ) -> Result<Self> {
        let all: Vec<Finding> = UNIT_RULES
            .iter()
            .chain(&TERM_RULES)
            .filter(|r| p.enabled(r.code()))
            .flat_map(|&r| rules::run_rule(r, l, p))
            .collect();
        let scope = Scope {
            org: None,
            area: area.map(str::to_string),
        };
        let findings = rules::filter(l, all, &scope)?;
        // Lists run in the order of the summary's areas; within an area units keep the ledger's
        // order and orgs its tree (each org followed by the orgs under it).
        let rank = |a: Option<&str>| {
            let a = a.unwrap_or(UNKNOWN);
            s.units
                .by_area
                .iter()
                .position(|c| c.name == a)
                .unwrap_or(usize::MAX)
        };
        let in_area = |a: Option<&str>| area.is_none_or(|x| a == Some(x));
        let mut not_built: Vec<(usize, usize)> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.rule == Rule::OrgNotBuilt)
            .filter_map(|(i, f)| l.unit_index(&f.subject_id).map(|u| (u, i)))
            .collect();
        not_built.sort_by_key(|&(u, _)| (rank(l.unit_area(u)), u));
        let mut uncovered: Vec<usize> = (0..l.units.len())
            .filter(|&u| l.unit_operating(u) && in_area(l.unit_area(u)) && l.covering(u).is_empty())
            .collect();
        uncovered.sort_by_key(|&u| (rank(l.unit_area(u)), u));
        let tree = tree_order(l);
        let mut orgs: Vec<usize> = (0..l.orgs.len())
            .filter(|&o| l.org_active(o) && in_area(l.org_area(o)))
            .collect();
        orgs.sort_by_key(|&o| (rank(l.org_area(o)), tree[o]));
        let mut by_subject: HashMap<Id, Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            by_subject.entry(f.subject_id).or_default().push(i);
        }
        Ok(Ctx {
            l,
            p,
            s,
            meta,
            area,
            findings,
            by_subject,
            not_built,
            uncovered,
            orgs,
        })
    }

    /// The findings about a record, of some rules.
    fn findings_of<'r>(&'r self, id: &Id, rules: &'r [Rule]) -> impl Iterator<Item = &'r Finding> {
        self.by_subject
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.findings[i])
            .filter(move |f| rules.contains(&f.rule))
    }

    fn unit_findings(&self, u: usize) -> impl Iterator<Item = &Finding> + '_ {
        self.findings_of(&self.l.units[u].id, &UNIT_RULES)
    }

    fn unit_value(&self, u: usize, key: &str, finding: Option<&Finding>) -> Val {
        let l = self.l;
        let unit = &l.units[u];
        let members = l.unit_members(u).len();
        let full = l.unit_full_members(u);
        match key {
            "name" => text(unit.name.clone()),
            "category" => text(unit.category.label()),
            "area" => text(unit.area.clone().unwrap_or_default()),
            "employees" => unit.employees.map_or(Val::Blank, |n| Val::Num(n as f64)),
            "status" => text(unit.status.label()),
            "members" => num(members),
            "full_members" => num(full),
            "probationary" => num(members - full),
            "covering" => {
                let names: Vec<String> = l
                    .covering(u)
                    .iter()
                    .map(|&o| format!("{}（{}）", l.orgs[o].name, l.orgs[o].formation))
                    .collect();
                text(if names.is_empty() {
                    "无".to_string()
                } else {
                    names.join("、")
                })
            }
            "no_org_reason" => text(unit.no_org_reason.clone().unwrap_or_default()),
            "instructor" => text(unit.instructor.clone().unwrap_or_default()),
            "has_union" => yes_no(unit.has_union),
            "has_youth_league" => yes_no(unit.has_youth_league),
            // The unit's part of the 党的工作覆盖率 definition (DESIGN.md §5).
            "work_covered" => yes_no(
                !l.covering(u).is_empty()
                    || unit.instructor.is_some()
                    || unit.has_union
                    || unit.has_youth_league,
            ),
            "issues" => {
                let mut names: Vec<&str> = self.unit_findings(u).map(|f| f.rule.name()).collect();
                names.dedup();
                text(names.join("、"))
            }
            "message" => match finding {
                Some(f) => text(plain_message(f)),
                None => text(
                    self.unit_findings(u)
                        .map(plain_message)
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            },
            _ => Val::Blank,
        }
    }

    fn term_status(&self, o: usize) -> Val {
        let l = self.l;
        if l.orgs[o].org_type == OrgType::TemporaryBranch {
            return text("临时党支部不换届");
        }
        if !TERM_RULES.iter().any(|r| self.p.enabled(r.code())) {
            return text("未检查");
        }
        let found = self.findings_of(&l.orgs[o].id, &TERM_RULES).next();
        text(match found {
            Some(f) => match (f.rule, f.due) {
                (Rule::TermOverdue, Some(end)) => {
                    format!("已逾期 {} 天", (l.as_of - end).num_days())
                }
                (Rule::TermDueSoon, Some(end)) => {
                    format!("即将到期（还有 {} 天）", (end - l.as_of).num_days())
                }
                _ => f.rule.name().to_string(),
            },
            None if term_end(l, o).is_some() => "未到期".to_string(),
            None => "换届时间不明".to_string(),
        })
    }

    /// 十个有 as the statistics judge it: 达标 when inspected within the period with every item
    /// 有 (so the 达标 rows number `Stats.inspections.passed`).
    fn inspection_status(&self, o: usize) -> Val {
        let l = self.l;
        if !l.grassroots(o) {
            return text("无在册党员，不检查");
        }
        let Some(i) = l.latest_inspection(o) else {
            return text("从未检查");
        };
        let months = self.p.inspection_max_age_months;
        let stale = l.as_of > add_months(i.inspected_on, months);
        let gaps: Vec<String> = i
            .gaps
            .iter()
            .map(|(label, r)| format!("{label}（{r}）"))
            .collect();
        text(match (stale, gaps.is_empty()) {
            (false, true) => "达标".to_string(),
            (false, false) => format!("未达标：{}", gaps.join("、")),
            (true, true) => format!("超过 {months} 个月未检查"),
            (true, false) => format!(
                "超过 {months} 个月未检查；最近一次未达标：{}",
                gaps.join("、")
            ),
        })
    }

    fn org_value(&self, o: usize, key: &str) -> Val {
        let l = self.l;
        let org = &l.orgs[o];
        match key {
            "name" => text(org.name.clone()),
            "org_type" => text(org.org_type.label()),
            "formation" => text(org.formation.clone()),
            "area" => text(l.org_area(o).unwrap_or_default()),
            "secretary" => text(org.secretary.clone().unwrap_or_default()),
            "members" => num(l.org_members(o).len()),
            "full_members" => num(l.org_full_members(o)),
            "seats" => num(org.seats),
            "covered_units" => text(
                org.units
                    .iter()
                    .filter_map(|&u| l.units.get(u).map(|x| x.name.as_str()))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            "unit_count" => num(org.units.len()),
            "founded_on" => date_of(org.founded_on),
            "elected_on" => date_of(org.elected_on),
            "term_years" => Val::Num(org.term_years as f64),
            "term_end" => date_of(term_end(l, o).map(|t| t.1)),
            "term_status" => self.term_status(o),
            "last_inspection" => date_of(l.latest_inspection(o).map(|i| i.inspected_on)),
            "checklist" => text(
                l.latest_inspection(o)
                    .map(|i| i.checklist.clone())
                    .unwrap_or_default(),
            ),
            "inspection_status" => self.inspection_status(o),
            _ => Val::Blank,
        }
    }

    fn figure(&self, key: &str) -> Val {
        let s = self.s;
        let c = &s.coverage;
        let i = &s.inspections;
        match key {
            "units" => num(s.units.total),
            "units_on_record" => num(s.units.on_record),
            "orgs" => num(s.orgs.total),
            "orgs_dissolved" => num(s.orgs.dissolved),
            "members" => num(s.members.total),
            "members_full" => num(s.members.full),
            "members_probationary" => num(s.members.probationary),
            "members_mobile" => num(s.members.mobile),
            "members_lost_contact" => num(s.members.lost_contact),
            "covered" => num(c.covered),
            "standalone" => num(c.standalone),
            "work_covered" => num(c.work_covered),
            "org_coverage_rate" => rate_of(s.org_coverage_rate, c.units),
            "standalone_rate" => rate_of(s.standalone_rate, c.units),
            "work_coverage_rate" => rate_of(s.work_coverage_rate, c.units),
            "inspection_orgs" => num(i.orgs),
            "inspection_inspected" => num(i.inspected),
            "inspection_passed" => num(i.passed),
            "inspection_pass_rate" => rate_of(i.rate, i.orgs),
            _ => Val::Blank,
        }
    }

    fn breakdown(&self, key: &str) -> &'a [Count] {
        let s = self.s;
        match key {
            "units_by_category" => &s.units.by_category,
            "units_by_status" => &s.units.by_status,
            "units_by_area" => &s.units.by_area,
            "orgs_by_type" => &s.orgs.by_type,
            "orgs_by_formation" => &s.orgs.by_formation,
            "members_by_status" => &s.members.by_status,
            "members_by_gender" => &s.members.by_gender,
            "members_by_age_band" => &s.members.by_age_band,
            "members_by_education" => &s.members.by_education,
            _ => &[],
        }
    }

    /// The definitions a sheet states, as the statistics word them.
    fn definitions(&self, keys: &[String]) -> Vec<String> {
        self.s
            .definitions
            .iter()
            .filter(|d| keys.iter().any(|k| k == "*" || k == d.key))
            .map(|d| d.text.clone())
            .collect()
    }

    /// A note when the year was not over on the day the records run to.
    fn incomplete_note(&self) -> Option<String> {
        let (through, as_of) = (self.meta.data_through, self.l.as_of);
        (through < as_of).then(|| {
            format!(
                "本年度尚未结束：统计截止日期为 {}，台账记录截至 {}，此后的组织生活、检查等记录尚未录入，\
                 按已录入的记录统计（尚未到来的月份、季度计为未开展）",
                cn_date(as_of),
                cn_date(through)
            )
        })
    }
}

/// Each org's position when the orgs are listed as a tree: every org followed by the orgs
/// under it, siblings in ledger order.
fn tree_order(l: &Ledger) -> Vec<usize> {
    let n = l.orgs.len();
    let parent = |o: usize| l.orgs[o].parent.filter(|&p| p < n && p != o);
    let mut children = vec![Vec::new(); n];
    for o in 0..n {
        if let Some(p) = parent(o) {
            children[p].push(o);
        }
    }
    let mut pos = vec![usize::MAX; n];
    let mut next = 0;
    // Roots first; then anything a parent cycle left unreached.
    let roots: Vec<usize> = (0..n)
        .filter(|&o| parent(o).is_none())
        .chain(0..n)
        .collect();
    for root in roots {
        let mut stack = vec![root];
        while let Some(o) = stack.pop() {
            if pos[o] != usize::MAX {
                continue;
            }
            pos[o] = next;
            next += 1;
            stack.extend(children[o].iter().rev());
        }
    }
    pos
}

/// A finding's message without its 【rule】 prefix.
fn plain_message(f: &Finding) -> String {
    let prefix = format!("【{}】", f.rule_name);
    f.message
        .strip_prefix(&prefix)
        .unwrap_or(&f.message)
        .to_string()
}

fn area_value(a: &AreaStats, key: &str) -> Val {
    let c = &a.coverage;
    match key {
        "area" => text(a.area.clone()),
        "units" => num(c.units),
        "orgs" => num(a.orgs),
        "members" => num(a.members),
        "covered" => num(c.covered),
        "standalone" => num(c.standalone),
        "work_covered" => num(c.work_covered),
        "uncovered" => num(c.units - c.covered),
        "org_coverage_rate" => rate_of(c.org_coverage_rate, c.units),
        "standalone_rate" => rate_of(c.standalone_rate, c.units),
        "work_coverage_rate" => rate_of(c.work_coverage_rate, c.units),
        _ => Val::Blank,
    }
}

fn quarter_value(q: &QuarterCompletion, col: &ReportColumn) -> Val {
    let of_type = || {
        q.by_type
            .iter()
            .find(|t| Some(t.activity_type) == col.activity_type.as_deref())
    };
    match col.key.as_str() {
        "quarter" => text(q.label.clone()),
        "code" => text(q.quarter.clone()),
        "start" => Val::Date(q.start),
        "end" => Val::Date(q.end),
        "orgs" => num(q.orgs),
        "orgs_complete" => num(q.orgs_complete),
        "required" => num(q.required),
        "held" => num(q.held),
        "rate" => rate_of(q.rate, q.required),
        "type_required" => of_type().map_or(Val::Dash, |t| num(t.required)),
        "type_held" => of_type().map_or(Val::Dash, |t| num(t.held)),
        "type_rate" => of_type().map_or(Val::Dash, |t| rate_of(t.rate, t.required)),
        _ => Val::Blank,
    }
}

fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn fill_title(t: &str, ctx: &Ctx) -> String {
    t.replace("{year}", &ctx.meta.year.to_string())
        .replace("{area}", ctx.area.unwrap_or(""))
        .replace("{report_unit}", &ctx.meta.report_unit)
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::BadFile(format!("写入 Excel 文件失败：{e}"))
}

/// The look of our template exports (src/excel/export.rs): 宋体 10.5, bold grey bordered header,
/// 小标宋 title.
struct Formats {
    title: Format,
    info: Format,
    info_center: Format,
    info_right: Format,
    section: Format,
    header: Format,
    text: Format,
    center: Format,
    seq: Format,
    num: Format,
    pct: Format,
    date: Format,
    total_text: Format,
    total_num: Format,
    total_pct: Format,
    label: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        let font = |f: Format| f.set_font_name("宋体").set_font_size(10.5);
        let cell = || {
            font(Format::new())
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
        };
        let info = Format::new().set_font_name("宋体").set_font_size(11);
        let total = |f: Format| f.set_bold().set_background_color(Color::RGB(0xF2F2F2));
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_font_name("方正小标宋简体")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            info_center: info.clone().set_align(FormatAlign::Center),
            info_right: info.clone().set_align(FormatAlign::Right),
            info,
            section: font(Format::new()).set_bold().set_font_size(12),
            header: cell()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xF2F2F2)),
            text: cell().set_text_wrap(),
            center: cell().set_align(FormatAlign::Center),
            seq: cell().set_align(FormatAlign::Center).set_num_format("0"),
            num: cell().set_num_format("0"),
            pct: cell().set_num_format("0.00%"),
            date: cell()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Center),
            total_text: total(cell().set_align(FormatAlign::Center)),
            total_num: total(cell().set_num_format("0")),
            total_pct: total(cell().set_num_format("0.00%")),
            label: cell().set_bold().set_align(FormatAlign::Center),
            note: font(Format::new())
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        }
    }
}

const LINE_PT: f64 = 14.5;

/// Display width in Excel character units: CJK characters take two.
fn text_units(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.0 })
        .sum()
}

/// Lines a wrapped text takes in a column `width` characters wide, as Excel lays it out at
/// 96 dpi: a column is 7 pixels per character plus 5, a 10.5 pt CJK character 14 pixels wide.
fn lines_in(s: &str, width: f64) -> usize {
    let cap = ((width * 7.0 + 1.0) / 14.0).floor().max(1.0) * 14.0;
    s.split('\n')
        .map(|line| {
            let px: f64 = line
                .chars()
                .map(|c| if c.is_ascii() { 7.5 } else { 14.0 })
                .sum();
            ((px / cap).ceil() as usize).max(1)
        })
        .sum()
}

fn height_for(lines: usize) -> f64 {
    (lines as f64 * LINE_PT + 5.0).max(18.0)
}

fn width_of(c: &ReportColumn) -> f64 {
    c.width
        .unwrap_or_else(|| (text_units(&c.header) * 1.1).clamp(8.0, 40.0))
}

/// Merge a range, or write one cell when the range is a single cell.
fn merge(ws: &mut Worksheet, r: (u32, u32), c: (u16, u16), s: &str, f: &Format) -> Result<()> {
    if r.0 == r.1 && c.0 == c.1 {
        ws.write_string_with_format(r.0, c.0, s, f).map_err(xerr)?;
    } else {
        ws.merge_range(r.0, c.0, r.1, c.1, s, f).map_err(xerr)?;
    }
    Ok(())
}

/// Everything about a sheet that comes before its rows (rows may be streamed).
fn setup(ws: &mut Worksheet, name: &str, widths: &[f64]) -> Result<()> {
    ws.set_name(name).map_err(xerr)?;
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w).map_err(xerr)?;
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Title (row 0) and 填报单位 / 统计截止日期 / 填报日期 (row 1) across `n` columns.
fn write_top(ws: &mut Worksheet, f: &Formats, ctx: &Ctx, title: &str, n: u16) -> Result<()> {
    let last = n.saturating_sub(1);
    merge(ws, (0, 0), (0, last), &fill_title(title, ctx), &f.title)?;
    ws.set_row_height(0, 36).map_err(xerr)?;
    let unit = format!("填报单位：{}", ctx.meta.report_unit);
    let as_of = format!("统计截止日期：{}", cn_date(ctx.l.as_of));
    let date = format!("填报日期：{}", cn_date(ctx.meta.date));
    ws.set_row_height(1, 22).map_err(xerr)?;
    if n < 3 {
        let all = format!("{unit}　{as_of}　{date}");
        return merge(ws, (1, 1), (0, last), &all, &f.info);
    }
    let a = (n / 3).max(1) - 1;
    let b = (2 * n / 3).max(a + 2) - 1;
    merge(ws, (1, 1), (0, a), &unit, &f.info)?;
    merge(ws, (1, 1), (a + 1, b), &as_of, &f.info_center)?;
    merge(ws, (1, 1), (b + 1, last), &date, &f.info_right)
}

/// The header of a table at `row`: one row, or two when columns are grouped. Returns the rows
/// used and their height.
fn write_header(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    col0: u16,
    cols: &[ReportColumn],
) -> Result<(u32, f64)> {
    let grouped = cols.iter().any(|c| c.group.is_some());
    let lines = |c: &ReportColumn, both: bool| {
        let l = lines_in(&c.header, width_of(c));
        if both {
            l.div_ceil(2)
        } else {
            l
        }
    };
    if !grouped {
        let max = cols.iter().map(|c| lines(c, false)).max().unwrap_or(1);
        let h = height_for(max).max(30.0);
        ws.set_row_height(row, h).map_err(xerr)?;
        for (i, c) in cols.iter().enumerate() {
            ws.write_string_with_format(row, col0 + i as u16, &c.header, &f.header)
                .map_err(xerr)?;
        }
        return Ok((1, h));
    }
    let sub = cols
        .iter()
        .map(|c| {
            if c.group.is_some() {
                lines(c, false)
            } else {
                lines(c, true)
            }
        })
        .max()
        .unwrap_or(1);
    let h = height_for(sub).max(30.0);
    ws.set_row_height(row, 22).map_err(xerr)?;
    ws.set_row_height(row + 1, h).map_err(xerr)?;
    let mut i = 0;
    while i < cols.len() {
        let c = col0 + i as u16;
        match &cols[i].group {
            None => {
                merge(ws, (row, row + 1), (c, c), &cols[i].header, &f.header)?;
                i += 1;
            }
            Some(g) => {
                let mut j = i;
                while j + 1 < cols.len() && cols[j + 1].group.as_ref() == Some(g) {
                    j += 1;
                }
                merge(ws, (row, row), (c, col0 + j as u16), g, &f.header)?;
                for (k, col) in cols.iter().enumerate().take(j + 1).skip(i) {
                    ws.write_string_with_format(row + 1, col0 + k as u16, &col.header, &f.header)
                        .map_err(xerr)?;
                }
                i = j + 1;
            }
        }
    }
    Ok((2, 22.0 + h))
}

fn write_val(ws: &mut Worksheet, f: &Formats, r: u32, c: u16, v: &Val, total: bool) -> Result<()> {
    let pick = |plain: &Format, bold: &Format| if total { bold.clone() } else { plain.clone() };
    match v {
        Val::Blank => ws.write_blank(r, c, &pick(&f.text, &f.total_text)),
        Val::Text(s) => ws.write_string_with_format(r, c, s, &pick(&f.text, &f.total_text)),
        Val::Dash => ws.write_string_with_format(r, c, "—", &pick(&f.center, &f.total_text)),
        Val::Seq(n) => ws.write_number_with_format(r, c, *n as f64, &f.seq),
        Val::Num(n) => ws.write_number_with_format(r, c, *n, &pick(&f.num, &f.total_num)),
        Val::Rate(x) => ws.write_number_with_format(r, c, *x, &pick(&f.pct, &f.total_pct)),
        Val::Date(d) => {
            match ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8) {
                Ok(dt) => ws.write_datetime_with_format(r, c, &dt, &f.date),
                Err(_) => ws.write_string_with_format(r, c, d.to_string(), &f.text),
            }
        }
    }
    .map_err(xerr)?;
    Ok(())
}

/// Write one table row, its height fitted to wrapped text; returns the height.
fn write_row(
    ws: &mut Worksheet,
    f: &Formats,
    r: u32,
    col0: u16,
    widths: &[f64],
    vals: &[Val],
    total: bool,
) -> Result<f64> {
    let lines = vals
        .iter()
        .zip(widths)
        .map(|(v, w)| match v {
            Val::Text(s) => lines_in(s, *w),
            _ => 1,
        })
        .max()
        .unwrap_or(1);
    let h = height_for(lines);
    ws.set_row_height(r, h).map_err(xerr)?;
    for (i, v) in vals.iter().enumerate() {
        write_val(ws, f, r, col0 + i as u16, v, total)?;
    }
    Ok(h)
}

/// 说明 lines and the 制表人 line from `row` on, across `n` columns; returns the next row.
fn write_footer(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    mut row: u32,
    widths: &[f64],
    lines: &[String],
    mut pages: Option<&mut Pages>,
) -> Result<u32> {
    let n = widths.len().max(1) as u16;
    let total: f64 = widths.iter().sum();
    let mut all: Vec<String> = lines.to_vec();
    all.extend(ctx.incomplete_note());
    if !all.is_empty() {
        for (i, line) in all.iter().enumerate() {
            let head = if i == 0 { "说明：" } else { "　　　" };
            let s = format!("{head}{}. {line}", i + 1);
            let h = height_for(lines_in(&s, total));
            ws.set_row_height(row, h).map_err(xerr)?;
            if let Some(p) = pages.as_deref_mut() {
                p.keep(row, h);
            }
            merge(ws, (row, row), (0, n - 1), &s, &f.note)?;
            row += 1;
        }
    }
    row += 1;
    ws.set_row_height(row, 22).map_err(xerr)?;
    if let Some(p) = pages {
        p.keep(row - 1, 15.0 + 22.0);
    }
    let half = (n / 2).max(1) - 1;
    let who = format!("制表人：{}", ctx.meta.preparer);
    merge(ws, (row, row), (0, half), &who, &f.info)?;
    if half + 1 < n {
        let when = format!("填报日期：{}", cn_date(ctx.meta.date));
        merge(ws, (row, row), (half + 1, n - 1), &when, &f.info_right)?;
    }
    Ok(row + 1)
}

/// Rows of the area table that fit on the first printed page.
const AREAS_ON_A_PAGE: usize = 20;

fn summary_sheet(ws: &mut Worksheet, f: &Formats, ctx: &Ctx, sheet: &ReportSheet) -> Result<()> {
    let cols = &sheet.columns;
    // Blocks lay out across the page: a title column, one per item, 合计.
    let block_cols = |b: &ReportBlock| match &b.breakdown {
        Some(k) => ctx.breakdown(k).len() + 2,
        None => b.figures.len() + 1,
    };
    let n = sheet
        .blocks
        .iter()
        .map(block_cols)
        .chain([cols.len()])
        .max()
        .unwrap_or(1);
    let mut widths: Vec<f64> = cols.iter().map(width_of).collect();
    widths.resize(n, 10.0);
    setup(ws, &sheet.name, &widths)?;
    write_top(ws, f, ctx, &sheet.title, n as u16)?;
    let mut pages = Pages::new(&widths);
    pages.keep(0, 36.0 + 22.0);

    let mut row = 2;
    ws.set_row_height(row, 22).map_err(xerr)?;
    merge(
        ws,
        (row, row),
        (0, n as u16 - 1),
        "一、分乡镇街道统计",
        &f.section,
    )?;
    row += 1;
    let header = row;
    let (used, h) = write_header(ws, f, row, 0, cols)?;
    pages.keep(header - 1, 22.0 + h);
    row += used;
    ws.set_freeze_panes(row, 1).map_err(xerr)?;
    // Repeated on every printed page only when the area table itself runs over a page (the
    // pages after it hold the breakdowns, which have headers of their own).
    if ctx.s.by_area.len() > AREAS_ON_A_PAGE {
        ws.set_repeat_rows(header, row - 1).map_err(xerr)?;
    }
    let last = ctx.s.by_area.len().saturating_sub(1);
    for (i, a) in ctx.s.by_area.iter().enumerate() {
        let vals: Vec<Val> = cols.iter().map(|c| area_value(a, &c.key)).collect();
        let h = write_row(ws, f, row, 0, &widths, &vals, i == last)?;
        pages.keep(row, h);
        row += 1;
    }

    if !sheet.blocks.is_empty() {
        row += 1;
        ws.set_row_height(row, 22).map_err(xerr)?;
        merge(
            ws,
            (row, row),
            (0, n as u16 - 1),
            "二、分类统计",
            &f.section,
        )?;
        row += 1;
    }
    pages.used += 15.0;
    for (i, b) in sheet.blocks.iter().enumerate() {
        let (next, h) = write_block(ws, f, ctx, row, &widths, b)?;
        // A block stays on one page, the first with the section heading above it; the blank
        // row after a block ends its page.
        if i == 0 {
            pages.keep(row - 1, 22.0 + h);
        } else {
            pages.keep(row, h);
        }
        pages.used += 15.0;
        ws.set_row_height(next, 15).map_err(xerr)?;
        row = next + 1;
    }
    let defs = ctx.definitions(&sheet.definitions);
    let notes: Vec<String> = defs.into_iter().chain(sheet.notes.clone()).collect();
    write_footer(ws, f, ctx, row, &widths, &notes, Some(&mut pages))?;
    if !pages.breaks.is_empty() {
        ws.set_page_breaks(&pages.breaks).map_err(xerr)?;
    }
    Ok(())
}

/// Where printed pages break, so that a block of rows is not split between two pages (A4
/// landscape, the sheet fitted to the page width).
struct Pages {
    limit: f64,
    used: f64,
    breaks: Vec<u32>,
}

impl Pages {
    fn new(widths: &[f64]) -> Pages {
        // Column widths in pixels (7 per character plus padding), against the printable width
        // of A4 landscape at 96 dpi; a sheet wider than the page is printed smaller.
        let px: f64 = widths.iter().map(|w| w * 7.0 + 5.0).sum();
        let printable_px = (297.0 / 25.4 - 0.8) * 96.0;
        let scale = (printable_px / px).min(1.0);
        // Printable height in points, with room to spare for the footer.
        Pages {
            limit: 500.0 / scale,
            used: 0.0,
            breaks: Vec::new(),
        }
    }

    /// Rows from `row` on, `height` points tall, that should stay on one page.
    fn keep(&mut self, row: u32, height: f64) {
        if self.used > 0.0 && self.used + height > self.limit {
            self.breaks.push(row);
            self.used = 0.0;
        }
        self.used += height;
    }
}

/// A breakdown (names, 数量, 占比, with 合计) or a row of figures; returns the next row.
fn write_block(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    row: u32,
    widths: &[f64],
    b: &ReportBlock,
) -> Result<(u32, f64)> {
    let head_height = |names: &[&str]| {
        let l = names
            .iter()
            .enumerate()
            .map(|(i, s)| lines_in(s, widths.get(i + 1).copied().unwrap_or(10.0)))
            .chain([lines_in(&b.title, widths[0])])
            .max()
            .unwrap_or(1);
        height_for(l).max(30.0)
    };
    match &b.breakdown {
        Some(key) => {
            let rows = ctx.breakdown(key);
            let total: usize = rows.iter().map(|c| c.count).sum();
            let mut names: Vec<&str> = rows.iter().map(|c| c.name.as_str()).collect();
            names.push("合计");
            ws.set_row_height(row, head_height(&names)).map_err(xerr)?;
            ws.write_string_with_format(row, 0, &b.title, &f.header)
                .map_err(xerr)?;
            for (i, name) in names.iter().enumerate() {
                ws.write_string_with_format(row, 1 + i as u16, *name, &f.header)
                    .map_err(xerr)?;
            }
            ws.set_row_height(row + 1, 18).map_err(xerr)?;
            ws.write_string_with_format(row + 1, 0, "数量", &f.label)
                .map_err(xerr)?;
            let last = rows.len() as u16 + 1;
            for (i, c) in rows.iter().enumerate() {
                write_val(ws, f, row + 1, 1 + i as u16, &num(c.count), false)?;
            }
            write_val(ws, f, row + 1, last, &num(total), true)?;
            let h = head_height(&names);
            if !b.share {
                return Ok((row + 2, h + 18.0));
            }
            ws.set_row_height(row + 2, 18).map_err(xerr)?;
            ws.write_string_with_format(row + 2, 0, "占比", &f.label)
                .map_err(xerr)?;
            for (i, c) in rows.iter().enumerate() {
                let v = rate_of(rate(c.count, total), total);
                write_val(ws, f, row + 2, 1 + i as u16, &v, false)?;
            }
            write_val(ws, f, row + 2, last, &rate_of(1.0, total), true)?;
            Ok((row + 3, h + 36.0))
        }
        None => {
            let names: Vec<&str> = b.figures.iter().map(|c| c.header.as_str()).collect();
            ws.set_row_height(row, head_height(&names)).map_err(xerr)?;
            ws.set_row_height(row + 1, 18).map_err(xerr)?;
            merge(ws, (row, row + 1), (0, 0), &b.title, &f.header)?;
            for (i, c) in b.figures.iter().enumerate() {
                let col = 1 + i as u16;
                ws.write_string_with_format(row, col, &c.header, &f.header)
                    .map_err(xerr)?;
                write_val(ws, f, row + 1, col, &ctx.figure(&c.key), false)?;
            }
            Ok((row + 2, head_height(&names) + 18.0))
        }
    }
}

fn meetings_sheet(ws: &mut Worksheet, f: &Formats, ctx: &Ctx, sheet: &ReportSheet) -> Result<()> {
    let cols = &sheet.columns;
    let widths: Vec<f64> = cols.iter().map(width_of).collect();
    setup(ws, &sheet.name, &widths)?;
    write_top(ws, f, ctx, &sheet.title, cols.len() as u16)?;
    let header = 2;
    let mut row = header + write_header(ws, f, header, 0, cols)?.0;
    ws.set_freeze_panes(row, 1).map_err(xerr)?;
    ws.set_repeat_rows(header, row - 1).map_err(xerr)?;
    for q in &ctx.s.meetings {
        let vals: Vec<Val> = cols.iter().map(|c| quarter_value(q, c)).collect();
        write_row(ws, f, row, 0, &widths, &vals, false)?;
        row += 1;
    }
    let notes: Vec<String> = ctx
        .definitions(&sheet.definitions)
        .into_iter()
        .chain([
            "“—”表示该季度没有应开展的会议（如党小组会未启用，或支委会只要求设有支委会的党组织），不计完成率".to_string(),
        ])
        .chain(sheet.notes.clone())
        .collect();
    write_footer(ws, f, ctx, row + 1, &widths, &notes, None)?;
    Ok(())
}

/// The built-in 说明 of a list sheet: what it lists, with the parameters in force.
fn list_note(ctx: &Ctx, kind: SheetKind, rows: usize) -> Vec<String> {
    let p = ctx.p;
    let as_of = cn_date(ctx.l.as_of);
    match kind {
        SheetKind::OrgNotBuilt => {
            let mut v = vec![format!(
                "应建未建：截至 {as_of}，在营单位中有正式党员 {} 名以上（预备党员不计入）、没有本单位党组织\
                 （组建方式为{}，或以本单位命名的党组织）的单位，共 {rows} 个；与台账检查的“应建未建”结果一致",
                p.own_org_min_full_members,
                p.own_org_formations.join("、")
            )];
            if !p.enabled(Rule::OrgNotBuilt.code()) {
                v.push("规则参数中已停用“应建未建”检查，本表不列出单位".into());
            }
            v
        }
        SheetKind::UnitsWithoutOrg => vec![format!(
            "截至 {as_of}，在营单位中没有任何党组织覆盖（单独组建、联合组建、挂靠组建等均未覆盖）的单位，共 {rows} 个，\
             即汇总表中在营两新组织数与党的组织覆盖单位数之差；“党的工作覆盖”指已选派在岗党建指导员或已建立工会、共青团组织"
        )],
        SheetKind::Orgs => vec![
            format!(
                "截至 {as_of} 状态正常的党组织，共 {rows} 个；换届：本届选举日期（未登记时按成立日期）加任期为届满日期，\
                 届满前 {} 天内为即将到期，过了届满日期为已逾期（延期一般不超过 {} 个月），临时党支部不换届",
                p.term_due_soon_days, p.term_max_delay_months
            ),
            format!(
                "十个有：有在册党员的党组织看最近一次检查，近 {} 个月内检查过且各项均为“有”为达标（与汇总表十个有达标率同一口径），\
                 否则列出未达标的项目（无或部分）",
                p.inspection_max_age_months
            ),
        ],
        _ => Vec::new(),
    }
}

fn list_sheet(ws: &mut Worksheet, f: &Formats, ctx: &Ctx, sheet: &ReportSheet) -> Result<()> {
    let cols = &sheet.columns;
    let widths: Vec<f64> = cols.iter().map(width_of).collect();
    let n = cols.len() as u16;
    let rows: Vec<Vec<Val>> = match sheet.kind {
        SheetKind::OrgNotBuilt => ctx
            .not_built
            .iter()
            .map(|&(u, i)| {
                let finding = &ctx.findings[i];
                cols.iter()
                    .map(|c| ctx.unit_value(u, &c.key, Some(finding)))
                    .collect()
            })
            .collect(),
        SheetKind::UnitsWithoutOrg => ctx
            .uncovered
            .iter()
            .map(|&u| {
                cols.iter()
                    .map(|c| ctx.unit_value(u, &c.key, None))
                    .collect()
            })
            .collect(),
        _ => ctx
            .orgs
            .iter()
            .map(|&o| cols.iter().map(|c| ctx.org_value(o, &c.key)).collect())
            .collect(),
    };
    // Everything about the sheet first: rows are streamed to disk as they are written.
    setup(ws, &sheet.name, &widths)?;
    let header = 2;
    ws.set_freeze_panes(header + 1, 2.min(n)).map_err(xerr)?;
    ws.set_repeat_rows(header, header).map_err(xerr)?;
    ws.autofilter(
        header,
        0,
        header + rows.len().max(1) as u32,
        n.saturating_sub(1),
    )
    .map_err(xerr)?;
    write_top(ws, f, ctx, &sheet.title, n)?;
    write_header(ws, f, header, 0, cols)?;
    let mut row = header + 1;
    for (k, vals) in rows.iter().enumerate() {
        let vals: Vec<Val> = cols
            .iter()
            .zip(vals)
            .map(|(c, v)| {
                if c.key == "seq" {
                    Val::Seq(k + 1)
                } else {
                    v.clone()
                }
            })
            .collect();
        write_row(ws, f, row, 0, &widths, &vals, false)?;
        row += 1;
    }
    if rows.is_empty() {
        ws.set_row_height(row, 22).map_err(xerr)?;
        merge(ws, (row, row), (0, n - 1), "（无）", &f.center)?;
        row += 1;
    }
    let notes: Vec<String> = list_note(ctx, sheet.kind, rows.len())
        .into_iter()
        .chain(sheet.notes.clone())
        .collect();
    write_footer(ws, f, ctx, row + 1, &widths, &notes, None)?;
    Ok(())
}

/// Chart size in pixels, and the rows it takes at the rows' height.
const CHART_W: u32 = 680;
const CHART_H: u32 = 340;
const CHART_COLS: u16 = 10;

/// One chart's table: (category, values per series).
fn chart_rows(ctx: &Ctx, c: &ReportChart) -> Vec<(String, Vec<Val>)> {
    match c.source {
        ChartSource::Areas => {
            let all = &ctx.s.by_area;
            let n = if c.include_total {
                all.len()
            } else {
                all.len().saturating_sub(1)
            };
            all[..n]
                .iter()
                .map(|a| {
                    let vals = c.series.iter().map(|s| area_value(a, &s.key)).collect();
                    (a.area.clone(), vals)
                })
                .collect()
        }
        ChartSource::Quarters => ctx
            .s
            .meetings
            .iter()
            .map(|q| {
                let vals = c.series.iter().map(|s| quarter_value(q, s)).collect();
                (q.label.clone(), vals)
            })
            .collect(),
    }
}

/// Returns the number of charts inserted.
fn charts_sheet(ws: &mut Worksheet, f: &Formats, ctx: &Ctx, sheet: &ReportSheet) -> Result<usize> {
    let table_cols = sheet
        .charts
        .iter()
        .map(|c| c.series.len() + 1)
        .max()
        .unwrap_or(1) as u16;
    let mut widths = vec![18.0];
    widths.resize(table_cols as usize, 12.0);
    widths.push(2.0);
    widths.resize((table_cols + 1 + CHART_COLS) as usize, 8.43);
    let n = widths.len() as u16;
    setup(ws, &sheet.name, &widths)?;
    // A few charts and their tables: one printed page.
    ws.set_print_fit_to_pages(1, 1);
    write_top(ws, f, ctx, &sheet.title, n)?;
    let mut row = 3;
    let mut inserted = 0;
    for c in &sheet.charts {
        ws.set_row_height(row, 22).map_err(xerr)?;
        merge(ws, (row, row), (0, n - 1), &c.title, &f.section)?;
        row += 1;
        let top = row;
        let mut head = vec![ReportColumn {
            key: String::new(),
            header: c.category_header.clone().unwrap_or_else(|| match c.source {
                ChartSource::Areas => "乡镇街道".into(),
                ChartSource::Quarters => "季度".into(),
            }),
            group: None,
            activity_type: None,
            width: Some(widths[0]),
        }];
        head.extend(c.series.iter().map(|s| ReportColumn {
            group: None,
            width: Some(12.0),
            ..s.clone()
        }));
        write_header(ws, f, row, 0, &head)?;
        ws.set_row_height(row, 30).map_err(xerr)?;
        row += 1;
        let data = chart_rows(ctx, c);
        for (label, vals) in &data {
            ws.set_row_height(row, 20).map_err(xerr)?;
            write_val(ws, f, row, 0, &text(label.clone()), false)?;
            for (i, v) in vals.iter().enumerate() {
                // Not applicable: a gap in the chart, not a zero.
                let v = if *v == Val::Dash { &Val::Blank } else { v };
                write_val(ws, f, row, 1 + i as u16, v, false)?;
            }
            row += 1;
        }
        let chart_rows_needed = (CHART_H as f64 / 20.0).ceil() as u32 + 1;
        if data.is_empty() {
            merge(ws, (row, row), (0, table_cols - 1), "（无数据）", &f.center)?;
            row += 2;
            continue;
        }
        let (first, last) = (top + 1, top + data.len() as u32);
        let mut chart = match c.kind {
            ChartKind::Column => Chart::new_column(),
            ChartKind::Bar => Chart::new_bar(),
            ChartKind::Line => Chart::new_line(),
        };
        chart.title().set_name(&c.title);
        let rates = c.series.iter().all(|s| is_rate_key(&s.key));
        for (i, s) in c.series.iter().enumerate() {
            let col = 1 + i as u16;
            let series = chart.add_series();
            series
                .set_name((sheet.name.as_str(), top, col))
                .set_categories((sheet.name.as_str(), first, 0, last, 0))
                .set_values((sheet.name.as_str(), first, col, last, col));
            // Values on the first series only: more would overlap.
            let label = i == 0;
            if label {
                let mut dl = ChartDataLabel::new();
                dl.show_value().set_font(ChartFont::new().set_size(8));
                if is_rate_key(&s.key) {
                    dl.set_num_format("0.0%");
                }
                series.set_data_label(&dl);
            }
            if c.kind == ChartKind::Line {
                series.set_marker(ChartMarker::new().set_automatic());
            }
        }
        let value_axis = if c.kind == ChartKind::Bar {
            chart.x_axis()
        } else {
            chart.y_axis()
        };
        if rates {
            value_axis.set_num_format("0%").set_min(0.0).set_max(1.0);
        }
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.show_empty_cells_as(ChartEmptyCells::Gaps);
        chart.set_width(CHART_W).set_height(CHART_H);
        ws.insert_chart(top, table_cols + 1, &chart).map_err(xerr)?;
        inserted += 1;
        row = row.max(top + chart_rows_needed) + 1;
    }
    let notes: Vec<String> = ctx
        .definitions(&sheet.definitions)
        .into_iter()
        .chain(sheet.notes.clone())
        .collect();
    write_footer(ws, f, ctx, row, &widths, &notes, None)?;
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_layout_is_valid() {
        let l = ReportLayout::parse(DEFAULT_LAYOUT, "内置").unwrap();
        let kinds: Vec<SheetKind> = l.sheets.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SheetKind::Summary,
                SheetKind::OrgNotBuilt,
                SheetKind::UnitsWithoutOrg,
                SheetKind::Orgs,
                SheetKind::Meetings,
                SheetKind::Charts
            ]
        );
    }

    #[test]
    fn layout_mistakes_are_named() {
        let bad = |json: &str| ReportLayout::parse(json, "x.json").unwrap_err().to_string();
        let e = bad(
            r#"{"id":"a","name":"b","sheets":[{"kind":"orgs","name":"党组织","title":"t",
                "columns":[{"key":"nmae","header":"名称"}]}]}"#,
        );
        assert!(e.contains("x.json") && e.contains("“nmae”"), "{e}");
        let e = bad(
            r#"{"id":"a","name":"b","sheets":[{"kind":"orgs","name":"a/b","title":"t","columns":[{"key":"name","header":"n"}]}]}"#,
        );
        assert!(e.contains("“/”"), "{e}");
        let e = bad(
            r#"{"id":"a","name":"b","sheets":[{"kind":"meetings","name":"m","title":"t","columns":[{"key":"type_rate","header":"n"}]}]}"#,
        );
        assert!(e.contains("type"), "{e}");
        let e = bad(
            r#"{"id":"a","name":"b","sheets":[{"kind":"charts","name":"c","title":"t","charts":[{"source":"areas","type":"column","title":"x","series":[{"key":"area","header":"n"}]}]}]}"#,
        );
        assert!(e.contains("不能作图"), "{e}");
        let e = bad(r#"{"id":"a","name":"b","sheets":[],"extra":1}"#);
        assert!(e.contains("extra"), "{e}");
    }

    #[test]
    fn definition_keys_are_those_the_statistics_give() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let l = Ledger::new(day, day, vec![], vec![], vec![], vec![], vec![], vec![]);
        let st = compute(&l, &RuleParams::default(), &StatsOptions::default());
        let keys: Vec<&str> = st.definitions.iter().map(|d| d.key).collect();
        assert_eq!(keys, DEFINITION_KEYS);
    }

    #[test]
    fn wrapped_lines_are_estimated_for_chinese() {
        assert_eq!(lines_in("十个字十个字十个字十", 21.0), 1);
        assert_eq!(lines_in("十个字十个字十个字十", 11.0), 2);
        assert_eq!(lines_in("a\nb", 10.0), 2);
    }
}
