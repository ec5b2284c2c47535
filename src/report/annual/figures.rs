//! What the sheets show: every cell's value gathered from the [`Stats`] (never recounted here)
//! and the rules' findings, with the lists in the order of the summary's areas.
//!
//! [`Stats`]: crate::report::Stats

use super::{ReportColumn, ReportMeta};
use crate::error::Result;
use crate::model::{Id, OrgType};
use crate::report::activity::QuarterCompletion;
use crate::report::stats::{AreaStats, Count, Stats, UNKNOWN};
use crate::rules::periods::add_months;
use crate::rules::{self, term_end, Finding, Ledger, Rule, RuleParams, Scope};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// A cell value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Val {
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

pub(super) fn text(s: impl Into<String>) -> Val {
    let s = s.into();
    if s.is_empty() {
        Val::Blank
    } else {
        Val::Text(s)
    }
}

pub(super) fn num(n: usize) -> Val {
    Val::Num(n as f64)
}

fn yes_no(b: bool) -> Val {
    Val::Text(if b { "是" } else { "否" }.into())
}

/// A rate, or — when its denominator is zero.
pub(super) fn rate_of(r: f64, denominator: usize) -> Val {
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

/// Everything the sheets draw on: the ledger, the statistics, the findings, and the lists in
/// the order they are shown.
pub(super) struct Ctx<'a> {
    pub(super) l: &'a Ledger,
    pub(super) p: &'a RuleParams,
    pub(super) s: &'a Stats,
    pub(super) meta: &'a ReportMeta,
    area: Option<&'a str>,
    pub(super) findings: Vec<Finding>,
    /// Findings by subject (indexes into `findings`).
    by_subject: HashMap<Id, Vec<usize>>,
    /// 应建未建: (unit, index into findings), in list order.
    pub(super) not_built: Vec<(usize, usize)>,
    /// Operating units no active org covers, in list order.
    pub(super) uncovered: Vec<usize>,
    /// Active orgs, in list order.
    pub(super) orgs: Vec<usize>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
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

    pub(super) fn unit_value(&self, u: usize, key: &str, finding: Option<&Finding>) -> Val {
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

    pub(super) fn org_value(&self, o: usize, key: &str) -> Val {
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

    pub(super) fn figure(&self, key: &str) -> Val {
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

    pub(super) fn breakdown(&self, key: &str) -> &'a [Count] {
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
    pub(super) fn definitions(&self, keys: &[String]) -> Vec<String> {
        self.s
            .definitions
            .iter()
            .filter(|d| keys.iter().any(|k| k == "*" || k == d.key))
            .map(|d| d.text.clone())
            .collect()
    }

    /// A note when the year was not over on the day the records run to.
    pub(super) fn incomplete_note(&self) -> Option<String> {
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

pub(super) fn area_value(a: &AreaStats, key: &str) -> Val {
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

pub(super) fn quarter_value(q: &QuarterCompletion, col: &ReportColumn) -> Val {
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

pub(super) fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

pub(super) fn fill_title(t: &str, ctx: &Ctx) -> String {
    t.replace("{year}", &ctx.meta.year.to_string())
        .replace("{area}", ctx.area.unwrap_or(""))
        .replace("{report_unit}", &ctx.meta.report_unit)
}
