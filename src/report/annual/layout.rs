//! The layout of the annual workbook as data: sheet names, titles, which figures and columns in
//! which order under which Chinese headers, and the charts. The shipped default is
//! `assets/reports/annual.json`; a county puts its own `reports/annual.json` beside the database
//! to rearrange the workbook without code changes. [`ReportLayout::parse`] checks every key
//! against what the sheet kind can show, so a mistake is named before anything is written.

use crate::error::{Error, Result};
use crate::report::activity::SAN_HUI_YI_KE;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The shipped layout.
pub const DEFAULT_LAYOUT: &str = include_str!("../../../assets/reports/annual.json");
/// A county's own layout: this file in the `reports` folder beside the database.
pub const LAYOUT_FILE: &str = "annual.json";

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
    /// 发展党员: people on the path and members developed, by 乡镇街道 and by 单位类别.
    Development,
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
const DEVELOPMENT_KEYS: &[&str] = &["name", "applicants", "activists", "candidates", "developed"];
const DEFINITION_KEYS: &[&str] = &[
    "org_coverage_rate",
    "standalone_rate",
    "work_coverage_rate",
    "meeting_completion_rate",
    "inspection_pass_rate",
    "development",
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
                SheetKind::Development => check_keys(&what, &s.columns, DEVELOPMENT_KEYS)?,
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

pub(super) fn numeric_key(key: &str) -> bool {
    !matches!(key, "area" | "quarter" | "code" | "start" | "end")
}

pub(super) fn is_rate_key(key: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::stats::{compute, StatsOptions};
    use crate::rules::{Ledger, RuleParams};
    use chrono::NaiveDate;

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
                SheetKind::Development,
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
}
