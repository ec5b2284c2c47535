//! Statistics of the ledger (DESIGN.md §5): units, orgs and members counted every way the
//! county reports them, the three coverage rates, 三会一课 completion per quarter and the
//! 十个有 达标 rate. Computed from the same [`Ledger`] snapshot as the rules, so the annual
//! report and `taizhang stats` always agree.

use super::activity::{inspection_stats, quarter_completion, InspectionStats, QuarterCompletion};
use crate::error::Result;
use crate::model::member::age_on;
use crate::model::{Gender, MemberCategory, MemberStatus, OrgType, UnitCategory, UnitStatus};
use crate::rules::periods::{last_quarters, Period};
use crate::rules::{activities_since, Ledger, MemberRec, RuleParams};
use crate::Store;
use chrono::NaiveDate;
use serde::Serialize;

/// Label used for a blank area, education …
pub const UNKNOWN: &str = "未填写";

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub name: String,
    pub count: usize,
}

/// Counts in a fixed order of names (zero rows kept), then any other names met, in order met.
fn breakdown<'a>(order: &[&str], values: impl IntoIterator<Item = &'a str>) -> Vec<Count> {
    let mut rows: Vec<Count> = order
        .iter()
        .map(|n| Count {
            name: n.to_string(),
            count: 0,
        })
        .collect();
    for v in values {
        match rows.iter_mut().find(|r| r.name == v) {
            Some(r) => r.count += 1,
            None => rows.push(Count {
                name: v.to_string(),
                count: 1,
            }),
        }
    }
    rows
}

/// Rows in 拼音 order of their names (乡镇街道, as every list of them), the blank label last.
fn by_pinyin(mut rows: Vec<Count>) -> Vec<Count> {
    rows.sort_by(|a, b| {
        (a.name == UNKNOWN)
            .cmp(&(b.name == UNKNOWN))
            .then_with(|| crate::store::collate::pinyin_cmp(&a.name, &b.name))
    });
    rows
}

/// `n ÷ d` rounded to four decimals (0 when there is nothing to divide by).
pub fn rate(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        (n as f64 / d as f64 * 10000.0).round() / 10000.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitStats {
    /// 在营 units: the denominator of every coverage rate.
    pub total: usize,
    /// Units on record in any state.
    pub on_record: usize,
    pub by_status: Vec<Count>,
    /// 在营 units by 单位类别.
    pub by_category: Vec<Count>,
    /// 在营 units by 所属乡镇街道.
    pub by_area: Vec<Count>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgStats {
    /// Active (正常) orgs.
    pub total: usize,
    /// 撤销 orgs.
    pub dissolved: usize,
    pub by_type: Vec<Count>,
    pub by_formation: Vec<Count>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberStats {
    /// 在册 members.
    pub total: usize,
    pub full: usize,
    pub probationary: usize,
    /// Every member on record, by 党员状态.
    pub by_status: Vec<Count>,
    /// 在册 members by 性别, age band on the statistics date, 学历.
    pub by_gender: Vec<Count>,
    pub by_age_band: Vec<Count>,
    pub by_education: Vec<Count>,
    pub mobile: usize,
    pub lost_contact: usize,
}

/// The numerators and denominator of the coverage rates.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Coverage {
    /// 在营 units.
    pub units: usize,
    /// Covered by an active org (any 组建方式).
    pub covered: usize,
    /// With an active org of their own (组建方式 in the rule parameters, 单独组建 by default).
    pub standalone: usize,
    /// Covered, or with a 党建指导员 in post assigned, or with a 工会 or 共青团.
    pub work_covered: usize,
    pub org_coverage_rate: f64,
    pub standalone_rate: f64,
    pub work_coverage_rate: f64,
}

/// Coverage of one 乡镇街道.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct AreaStats {
    pub area: String,
    #[serde(flatten)]
    pub coverage: Coverage,
    /// Active orgs and 在册 members of the area.
    pub orgs: usize,
    pub members: usize,
}

/// A figure's definition, as stated wherever the figure is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Definition {
    pub key: &'static str,
    pub name: &'static str,
    pub text: String,
}

/// Everything `taizhang stats` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub as_of: NaiveDate,
    /// The 乡镇街道 the figures are restricted to, if any.
    pub area: Option<String>,
    pub units: UnitStats,
    pub orgs: OrgStats,
    pub members: MemberStats,
    pub coverage: Coverage,
    pub org_coverage_rate: f64,
    pub standalone_rate: f64,
    pub work_coverage_rate: f64,
    /// Coverage per 乡镇街道, then 合计.
    pub by_area: Vec<AreaStats>,
    /// 三会一课 completion per quarter, oldest first.
    pub meetings: Vec<QuarterCompletion>,
    pub inspections: InspectionStats,
    /// 发展党员: people on the path and members developed this year.
    pub development: super::DevelopmentStats,
    pub definitions: Vec<Definition>,
}

impl Stats {
    /// The 乡镇街道 rows of `by_area`, without its last row, the 合计.
    pub fn areas(&self) -> &[AreaStats] {
        &self.by_area[..self.by_area.len().saturating_sub(1)]
    }

    /// The 合计 row of `by_area`.
    pub fn total(&self) -> Option<&AreaStats> {
        self.by_area.last()
    }
}

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct StatsOptions {
    /// Restrict to one 乡镇街道.
    pub area: Option<String>,
    /// Quarters of the 三会一课 completion; by default the last four full quarters.
    pub quarters: Option<Vec<Period>>,
}

/// The age bands of 党内统计.
pub const AGE_BANDS: &[(&str, i32)] = &[
    ("30岁及以下", 30),
    ("31至35岁", 35),
    ("36至40岁", 40),
    ("41至45岁", 45),
    ("46至50岁", 50),
    ("51至55岁", 55),
    ("56至60岁", 60),
    ("61岁及以上", i32::MAX),
];

fn age_band(birth: Option<NaiveDate>, on: NaiveDate) -> &'static str {
    let Some(b) = birth else { return UNKNOWN };
    let age = age_on(b, on);
    AGE_BANDS
        .iter()
        .find(|(_, max)| age <= *max)
        .map_or(UNKNOWN, |(n, _)| n)
}

/// Coverage of a set of units.
pub fn coverage(l: &Ledger, p: &RuleParams, units: &[usize]) -> Coverage {
    let mut c = Coverage {
        units: 0,
        covered: 0,
        standalone: 0,
        work_covered: 0,
        org_coverage_rate: 0.0,
        standalone_rate: 0.0,
        work_coverage_rate: 0.0,
    };
    for &u in units.iter().filter(|&&u| l.unit_operating(u)) {
        let unit = &l.units[u];
        let covered = !l.covering(u).is_empty();
        c.units += 1;
        c.covered += usize::from(covered);
        c.standalone += usize::from(l.own_orgs(u, &p.own_org_formations).next().is_some());
        c.work_covered += usize::from(
            covered || unit.instructor.is_some() || unit.has_union || unit.has_youth_league,
        );
    }
    c.org_coverage_rate = rate(c.covered, c.units);
    c.standalone_rate = rate(c.standalone, c.units);
    c.work_coverage_rate = rate(c.work_covered, c.units);
    c
}

fn definitions(
    p: &RuleParams,
    quarters: &[QuarterCompletion],
    as_of: NaiveDate,
) -> Vec<Definition> {
    let meetings = quarters
        .first()
        .map(|q| q.definition.clone())
        .unwrap_or_default();
    vec![
        Definition {
            key: "org_coverage_rate",
            name: "党的组织覆盖率",
            text: "党的组织覆盖率 = 已被党组织覆盖的两新组织数（单独组建、联合组建、挂靠组建等）÷ 两新组织总数；\
                   分母为在营的法人单位"
                .into(),
        },
        Definition {
            key: "standalone_rate",
            name: "单独组建率",
            text: format!(
                "单独组建率 = 建有本单位党组织的两新组织数（组建方式：{}，或党组织以本单位命名）÷ 两新组织总数；分母为在营的法人单位",
                p.own_org_formations.join("、")
            ),
        },
        Definition {
            key: "work_coverage_rate",
            name: "党的工作覆盖率",
            text: "党的工作覆盖率 = 已被党组织覆盖，或已选派在岗党建指导员，或已建立工会、共青团组织的两新组织数 \
                   ÷ 两新组织总数；分母为在营的法人单位"
                .into(),
        },
        Definition {
            key: "meeting_completion_rate",
            name: "三会一课完成率",
            text: meetings,
        },
        Definition {
            key: "inspection_pass_rate",
            name: "十个有达标率",
            text: format!(
                "十个有达标率 = 近 {} 个月内检查过且最近一次检查各项均为“有”的党组织数 ÷ 有在册党员的党组织数",
                p.inspection_max_age_months
            ),
        },
        Definition {
            key: "development",
            name: "发展党员",
            text: super::development::definition(as_of),
        },
    ]
}

/// Compute the statistics of a ledger snapshot.
pub fn compute(l: &Ledger, p: &RuleParams, opts: &StatsOptions) -> Stats {
    let area = opts
        .area
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let in_area = |a: Option<&str>| area.is_none_or(|x| a == Some(x));
    let units: Vec<usize> = (0..l.units.len())
        .filter(|&u| in_area(l.unit_area(u)))
        .collect();
    let orgs: Vec<usize> = (0..l.orgs.len())
        .filter(|&o| in_area(l.org_area(o)))
        .collect();
    let members: Vec<usize> = (0..l.members.len())
        .filter(|&m| in_area(l.member_area(m)))
        .collect();
    let operating: Vec<usize> = units
        .iter()
        .copied()
        .filter(|&u| l.unit_operating(u))
        .collect();
    let active_orgs: Vec<usize> = orgs.iter().copied().filter(|&o| l.org_active(o)).collect();
    let active_members: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&m| l.members[m].is_active())
        .collect();

    let unit_stats = UnitStats {
        total: operating.len(),
        on_record: units.len(),
        by_status: breakdown(
            &UnitStatus::ALL
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>(),
            units.iter().map(|&u| l.units[u].status.label()),
        ),
        by_category: breakdown(
            &UnitCategory::ALL
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>(),
            operating.iter().map(|&u| l.units[u].category.label()),
        ),
        by_area: by_pinyin(breakdown(
            &[],
            operating.iter().map(|&u| l.unit_area(u).unwrap_or(UNKNOWN)),
        )),
    };
    let formations: Vec<&str> = l.formation_order.iter().map(String::as_str).collect();
    let org_stats = OrgStats {
        total: active_orgs.len(),
        dissolved: orgs.len() - active_orgs.len(),
        by_type: breakdown(
            &OrgType::ALL.iter().map(|t| t.label()).collect::<Vec<_>>(),
            active_orgs.iter().map(|&o| l.orgs[o].org_type.label()),
        ),
        by_formation: breakdown(
            &formations,
            active_orgs.iter().map(|&o| l.orgs[o].formation.as_str()),
        ),
    };
    let educations: Vec<&str> = l.education_order.iter().map(String::as_str).collect();
    let ms = |f: &dyn Fn(&MemberRec) -> bool| {
        active_members.iter().filter(|&&m| f(&l.members[m])).count()
    };
    let member_stats = MemberStats {
        total: active_members.len(),
        full: ms(&|m| m.category == MemberCategory::Full),
        probationary: ms(&|m| m.category == MemberCategory::Probationary),
        by_status: breakdown(
            &MemberStatus::ALL
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>(),
            members.iter().map(|&m| l.members[m].status.label()),
        ),
        by_gender: breakdown(
            &Gender::ALL.iter().map(|g| g.label()).collect::<Vec<_>>(),
            active_members.iter().map(|&m| l.members[m].gender.label()),
        ),
        by_age_band: breakdown(
            &AGE_BANDS.iter().map(|b| b.0).collect::<Vec<_>>(),
            active_members
                .iter()
                .map(|&m| age_band(l.members[m].birth_date, l.as_of)),
        ),
        by_education: breakdown(
            &educations,
            active_members
                .iter()
                .map(|&m| l.members[m].education.as_deref().unwrap_or(UNKNOWN)),
        ),
        mobile: ms(&|m| m.is_mobile),
        lost_contact: ms(&|m| m.is_lost_contact),
    };

    let cov = coverage(l, p, &units);
    let mut by_area = Vec::new();
    for row in &unit_stats.by_area {
        let a = (row.name != UNKNOWN).then_some(row.name.as_str());
        let us: Vec<usize> = units
            .iter()
            .copied()
            .filter(|&u| l.unit_area(u) == a)
            .collect();
        by_area.push(AreaStats {
            area: row.name.clone(),
            coverage: coverage(l, p, &us),
            orgs: active_orgs.iter().filter(|&&o| l.org_area(o) == a).count(),
            members: active_members
                .iter()
                .filter(|&&m| l.member_area(m) == a)
                .count(),
        });
    }
    by_area.push(AreaStats {
        area: "合计".into(),
        coverage: cov.clone(),
        orgs: active_orgs.len(),
        members: active_members.len(),
    });

    let quarters = opts
        .quarters
        .clone()
        .unwrap_or_else(|| last_quarters(l.as_of, 4));
    let meetings: Vec<QuarterCompletion> = quarters
        .iter()
        .map(|q| quarter_completion(l, p, &active_orgs, q))
        .collect();
    Stats {
        as_of: l.as_of,
        area: area.map(str::to_string),
        org_coverage_rate: cov.org_coverage_rate,
        standalone_rate: cov.standalone_rate,
        work_coverage_rate: cov.work_coverage_rate,
        inspections: inspection_stats(l, p, &active_orgs),
        development: super::development::compute(
            l,
            area,
            &unit_stats
                .by_area
                .iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>(),
        ),
        definitions: definitions(p, &meetings, l.as_of),
        units: unit_stats,
        orgs: org_stats,
        members: member_stats,
        coverage: cov,
        by_area,
        meetings,
    }
}

/// Load the parameters and the ledger and compute the statistics on `as_of`.
pub fn stats_store(store: &Store, as_of: NaiveDate, opts: &StatsOptions) -> Result<Stats> {
    let p = RuleParams::load(store)?;
    let mut since = activities_since(as_of, &p);
    if let Some(first) = opts
        .quarters
        .as_ref()
        .and_then(|q| q.iter().map(|q| q.start).min())
    {
        since = since.min(first);
    }
    let l = Ledger::load_since(store, as_of, since)?;
    Ok(compute(&l, &p, opts))
}
