//! Helpers shared by the integration tests: a ledger with a fixed "today" and valid numbers.
#![allow(dead_code)]

use chrono::NaiveDate;
use taizhang::model::validate::{credit_code_check_char, id_number_check_char};
use taizhang::model::*;
use taizhang::Store;

pub mod cli;
pub mod pc;

/// Import a workbook with the default options (a dry run when asked) and return its summary.
pub fn import(
    s: &mut Store,
    path: &std::path::Path,
    dry_run: bool,
) -> taizhang::excel::import::ImportSummary {
    let opts = taizhang::excel::import::ImportOptions {
        dry_run,
        ..Default::default()
    };
    taizhang::excel::import::import_file(s, path, &opts)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .summary
}

/// How many rows a table holds.
pub fn count(s: &Store, table: &str) -> i64 {
    s.conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

pub const TODAY: (i32, u32, u32) = (2026, 11, 21);

/// Item codes of the shipped 十个有 checklist, in its order.
pub const SHI_GE_YOU: [&str; 10] = [
    "plaque",
    "office",
    "room",
    "av",
    "rules",
    "records",
    "flag",
    "portraits",
    "board",
    "seal",
];

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

/// A valid 公民身份号码 for a birth date (YYYYMMDD) and a 3-digit sequence (odd = male).
pub fn id_number(birth: &str, seq: u32) -> String {
    let first = format!("330123{birth}{seq:03}");
    format!("{first}{}", id_number_check_char(&first).unwrap())
}

/// A valid 统一社会信用代码 with the given 9-character body.
pub fn credit_code(body: &str) -> String {
    let first = format!("91330123{body}");
    format!("{first}{}", credit_code_check_char(&first).unwrap())
}

pub fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_today(Some(today()));
    s.set_operator("测试员");
    s
}

/// A unit, its 党支部 and returns (unit, org).
pub fn unit_and_org(s: &mut Store, name: &str) -> (Unit, Org) {
    let mut u = Unit::new(name, UnitCategory::Enterprise);
    u.area = Some("城关镇".into());
    u.employees = Some(60);
    let u = s.insert(u).unwrap();
    let mut o = Org::new(format!("中共{name}支部委员会"), OrgType::Branch, "单独组建");
    o.unit_ids = vec![u.meta.id];
    o.founded_on = Some(d(2018, 7, 1));
    o.elected_on = Some(d(2024, 7, 1));
    let o = s.insert(o).unwrap();
    (u, o)
}

pub fn member(org: &Org, name: &str, seq: u32) -> Member {
    let mut m = Member::new(name, id_number("19880512", seq), d(2012, 7, 1));
    m.org_id = Some(org.meta.id);
    m.confirmed_on = Some(d(2013, 7, 1));
    m.phone = Some("13812345678".into());
    m
}

// ---- Helpers for the rules and statistics tests (tests/rules*.rs, tests/stats*.rs). ----

/// A unit in 城关镇 with no org, `employees` employees.
pub fn bare_unit(s: &mut Store, name: &str, employees: i64) -> Unit {
    let mut u = Unit::new(name, UnitCategory::Enterprise);
    u.area = Some("城关镇".into());
    u.employees = Some(employees);
    s.insert(u).unwrap()
}

/// An org of a type and 组建方式 covering the given units, founded 2018-07-01 and elected
/// 2024-07-01 (term not yet due on [`today`]).
pub fn org_over(
    s: &mut Store,
    name: &str,
    org_type: OrgType,
    formation: &str,
    units: &[&Unit],
) -> Org {
    let mut o = Org::new(name, org_type, formation);
    o.area = Some("城关镇".into());
    o.unit_ids = units.iter().map(|u| u.meta.id).collect();
    o.founded_on = Some(d(2018, 7, 1));
    o.elected_on = Some(d(2024, 7, 1));
    s.insert(o).unwrap()
}

/// A 正式党员 of `org` working in `unit` (if given), added through the store.
pub fn full_member(s: &mut Store, org: &Org, unit: Option<&Unit>, seq: u32) -> Member {
    let mut m = member(org, &format!("党员{seq}"), seq);
    m.work_unit_id = unit.map(|u| u.meta.id);
    s.write(|tx| tx.add_member(m)).unwrap()
}

/// A 预备党员 of `org` working in `unit` (if given), admitted on `joined`.
pub fn probationary_member(
    s: &mut Store,
    org: &Org,
    unit: Option<&Unit>,
    seq: u32,
    joined: NaiveDate,
) -> Member {
    let mut m = member(org, &format!("预备{seq}"), seq);
    m.work_unit_id = unit.map(|u| u.meta.id);
    m.category = MemberCategory::Probationary;
    m.confirmed_on = None;
    m.joined_on = joined;
    s.write(|tx| tx.add_member(m)).unwrap()
}

/// Record an activity of `org` on a date (attendance: every member present).
pub fn meeting(s: &mut Store, org: &Org, types: &[ActivityType], on: NaiveDate) -> Activity {
    let a = Activity::new(org.meta.id, types.to_vec(), on, "学习");
    s.write(|tx| tx.add_activity(a, &[])).unwrap()
}

/// A 十个有 inspection of `org` on a date; the items in `gaps` are answered 无, the rest 有.
pub fn inspect(s: &mut Store, org: &Org, on: NaiveDate, gaps: &[&str]) -> Inspection {
    let codes = SHI_GE_YOU;
    let mut insp = Inspection::blank();
    insp.org_id = org.meta.id;
    insp.checklist_id = inspection::DEFAULT_CHECKLIST_ID;
    insp.inspected_on = on;
    insp.inspector_kind = InspectorKind::SelfCheck;
    insp.inspector_name = "书记".into();
    insp.items = JsonList(
        codes
            .iter()
            .map(|c| InspectionItem {
                item_code: c.to_string(),
                result: if gaps.contains(c) {
                    CheckResult::No
                } else {
                    CheckResult::Yes
                },
                note: None,
                photo: None,
            })
            .collect(),
    );
    s.insert(insp).unwrap()
}

/// Findings of one rule on `as_of`, with the stored parameters.
pub fn findings(
    s: &Store,
    rule: taizhang::rules::Rule,
    as_of: NaiveDate,
) -> Vec<taizhang::rules::Finding> {
    let p = taizhang::rules::RuleParams::load(s).unwrap();
    findings_with(s, rule, as_of, &p)
}

/// Findings of one rule on `as_of` with given parameters.
pub fn findings_with(
    s: &Store,
    rule: taizhang::rules::Rule,
    as_of: NaiveDate,
    p: &taizhang::rules::RuleParams,
) -> Vec<taizhang::rules::Finding> {
    let since = taizhang::rules::activities_since(as_of, p);
    let l = taizhang::rules::Ledger::load_since(s, as_of, since).unwrap();
    taizhang::rules::run_rule(rule, &l, p)
}

/// Names of the subjects of findings, sorted.
pub fn subjects(f: &[taizhang::rules::Finding]) -> Vec<String> {
    let mut v: Vec<String> = f.iter().map(|x| x.subject_name.clone()).collect();
    v.sort();
    v
}

/// A store with a 综合党委 that covers no unit: members of uncovered units belong to it.
pub fn with_committee() -> (Store, Org) {
    let mut s = store();
    let top = org_over(
        &mut s,
        "中共城关镇非公有制经济组织综合委员会",
        OrgType::Committee,
        "单独组建",
        &[],
    );
    (s, top)
}
