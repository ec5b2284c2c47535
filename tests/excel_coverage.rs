//! 覆盖单位 inferred when a roster import creates orgs (excel::coverage): a branch named after
//! its members' unit covers it, a 联合支部 covers all its members' units, anything else stays
//! uncovered, an org the ledger already had is never changed, and the 覆盖率 and 应建未建 figures
//! follow.

mod common;
use common::cli::Cli;
use common::*;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use taizhang::excel::coverage::CoveredUnit;
use taizhang::excel::import::{import_file, ImportOptions, ImportSummary};
use taizhang::model::*;
use taizhang::report::stats::{stats_store, StatsOptions};
use taizhang::rules::{check_store, Rule, Scope};
use taizhang::Store;

/// Named after its members' unit: covers it.
const NAMED: &str = "中共清河县恒达机械有限公司支部委员会";
const NAMED_UNIT: &str = "清河县恒达机械有限公司";
/// A 联合支部 whose members work in two units: covers both.
const JOINT: &str = "中共清河县城关镇非公企业联合支部委员会";
const JOINT_UNIT_A: &str = "清河县甲贸易有限公司";
/// Already in the ledger before the import (the joint branch covers it all the same).
const JOINT_UNIT_B: &str = "清河县乙物业服务有限公司";
/// Named after no unit: left uncovered.
const PLAIN: &str = "中共清河县城关镇第一党支部";
const PLAIN_UNIT: &str = "清河县丙科技有限公司";
/// Already in the ledger, and named after the unit: not the import's to change.
const EXISTING: &str = "中共清河县丁实业有限公司支部委员会";
const EXISTING_UNIT: &str = "清河县丁实业有限公司";

/// A national-system style roster: (org, unit) of each 正式党员.
fn roster(dir: &Path) -> PathBuf {
    let rows: Vec<(&str, &str)> = vec![
        (NAMED, NAMED_UNIT),
        (JOINT, JOINT_UNIT_A),
        (PLAIN, PLAIN_UNIT),
        (NAMED, NAMED_UNIT),
        (JOINT, JOINT_UNIT_B),
        (EXISTING, EXISTING_UNIT),
        (NAMED, NAMED_UNIT),
        (JOINT, JOINT_UNIT_B),
        (PLAIN, PLAIN_UNIT),
        (PLAIN, PLAIN_UNIT),
        (EXISTING, EXISTING_UNIT),
        (EXISTING, EXISTING_UNIT),
    ];
    let path = dir.join("党员花名册.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "清河县两新组织党员花名册").unwrap();
    let headers = [
        "序号",
        "姓名",
        "性别",
        "公民身份号码",
        "民族",
        "人员类别",
        "所在党支部",
        "入党日期",
        "工作单位",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    for (i, (org, unit)) in rows.iter().enumerate() {
        let seq = 100 + 2 * i as u32 + 1; // odd: male
        let cells = [
            (i + 1).to_string(),
            format!("党员{i:02}"),
            "男".into(),
            id_number("19850315", seq),
            "汉族".into(),
            "正式党员".into(),
            org.to_string(),
            "2010-07-01".into(),
            unit.to_string(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write(3 + i as u32, c as u16, v.as_str()).unwrap();
        }
    }
    wb.save(&path).unwrap();
    path
}

/// The ledger before the import: the existing org (covering nothing yet) and one unit.
fn ledger() -> Store {
    let mut s = store();
    s.insert(Org::new(EXISTING, OrgType::Branch, "单独组建"))
        .unwrap();
    s.insert(Unit::new(JOINT_UNIT_B, UnitCategory::PrivateNonEnterprise))
        .unwrap();
    s
}

fn import(s: &mut Store, path: &Path, dry_run: bool) -> ImportSummary {
    let opts = ImportOptions {
        dry_run,
        ..Default::default()
    };
    let out = import_file(s, path, &opts).unwrap().summary;
    assert_eq!(out.invalid, 0, "{:?}", out.errors);
    out
}

fn count(s: &Store, sql: &str) -> i64 {
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn id_of(s: &Store, table: &str, name: &str) -> Id {
    s.conn()
        .query_row(
            &format!("SELECT id FROM {table} WHERE name = ?1"),
            [name],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{table} {name}: {e}"))
}

/// Names of the units an org covers, sorted.
fn covered_units(s: &Store, org: &str) -> Vec<String> {
    let o: Org = s.get(&id_of(s, "org", org)).unwrap();
    let mut names: Vec<String> = o
        .unit_ids
        .iter()
        .map(|u| s.get::<Unit>(u).unwrap().name)
        .collect();
    names.sort();
    names
}

fn link(org: &str, unit: &str) -> CoveredUnit {
    CoveredUnit {
        org: org.into(),
        unit: unit.into(),
    }
}

fn expected_links() -> Vec<CoveredUnit> {
    vec![
        link(NAMED, NAMED_UNIT),
        link(JOINT, JOINT_UNIT_A),
        link(JOINT, JOINT_UNIT_B),
    ]
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn created_orgs_cover_the_units_their_names_or_joint_type_say() {
    let dir = tempfile::tempdir().unwrap();
    let path = roster(dir.path());
    let mut s = ledger();
    let existing_log = s.history(&id_of(&s, "org", EXISTING)).unwrap().len();

    let sum = import(&mut s, &path, false);
    assert!(sum.committed);
    assert_eq!(
        sorted(sum.created.orgs.clone()),
        sorted(vec![NAMED.into(), JOINT.into(), PLAIN.into()])
    );
    // In the order the orgs were created, each org's units in the order its members came.
    assert_eq!(sum.created.covered, expected_links());

    // (a) named after its unit → covers it; (b) 联合支部 → both units, the one the ledger had
    // too; (c) no unit in its name → uncovered.
    assert_eq!(covered_units(&s, NAMED), vec![NAMED_UNIT]);
    assert_eq!(
        covered_units(&s, JOINT),
        sorted(vec![JOINT_UNIT_A.into(), JOINT_UNIT_B.into()])
    );
    assert!(covered_units(&s, PLAIN).is_empty());
    // (d) the org the ledger had is left as it was, though its name contains the unit's.
    assert!(covered_units(&s, EXISTING).is_empty());
    assert_eq!(
        s.history(&id_of(&s, "org", EXISTING)).unwrap().len(),
        existing_log
    );

    // One change-log update per linked org, naming the covered units.
    for (org, units) in [(NAMED, 1), (JOINT, 2)] {
        let updates: Vec<_> = s
            .history(&id_of(&s, "org", org))
            .unwrap()
            .into_iter()
            .filter(|e| e.op == taizhang::store::Op::Update)
            .collect();
        assert_eq!(updates.len(), 1, "{org}");
        let change = &updates[0].changes["unit_ids"];
        assert_eq!(
            change[1].as_array().unwrap().len(),
            units,
            "{org}: {change}"
        );
    }
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM change_log WHERE entity = 'org' AND op = 'update'"
        ),
        2
    );

    // The figures: 5 units in operation, 3 covered (恒达 by its own branch, 甲 and 乙 by the
    // 联合支部), 1 with an org of its own.
    let stats = stats_store(&s, today(), &StatsOptions::default()).unwrap();
    let c = &stats.coverage;
    assert_eq!((c.units, c.covered, c.standalone), (5, 3, 1), "{c:?}");
    assert_eq!(c.org_coverage_rate, 0.6);
    assert_eq!(c.standalone_rate, 0.2);
    // 应建未建: only the two units of three members whose org is not theirs on record.
    let findings = check_store(&s, today(), &Scope::default()).unwrap();
    let of = |rule: Rule| -> Vec<String> {
        sorted(
            findings
                .iter()
                .filter(|f| f.rule == rule)
                .map(|f| f.subject_name.clone())
                .collect(),
        )
    };
    assert_eq!(
        of(Rule::OrgNotBuilt),
        sorted(vec![PLAIN_UNIT.into(), EXISTING_UNIT.into()])
    );
    // The 联合支部's units with one and two members are covered.
    assert!(of(Rule::FewMembersUncovered).is_empty());
}

#[test]
fn a_dry_run_lists_the_links_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = roster(dir.path());
    let mut s = ledger();
    let log = count(&s, "SELECT count(*) FROM change_log");
    let sum = import(&mut s, &path, true);
    assert!(sum.dry_run && !sum.committed);
    assert_eq!(sum.created.covered, expected_links());
    assert_eq!(count(&s, "SELECT count(*) FROM change_log"), log);
    assert_eq!(count(&s, "SELECT count(*) FROM org_unit"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM org"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM member"), 0);
    // The summary carries the links as {org, unit}.
    let json = serde_json::to_value(&sum).unwrap();
    assert_eq!(json["created"]["covered"][0]["org"], NAMED);
    assert_eq!(json["created"]["covered"][0]["unit"], NAMED_UNIT);
    // The real import then writes what the preview showed.
    let real = import(&mut s, &path, false);
    assert_eq!(real.created.covered, sum.created.covered);
    assert_eq!(count(&s, "SELECT count(*) FROM org_unit"), 3);
}

#[test]
fn importing_the_same_roster_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = roster(dir.path());
    let mut s = ledger();
    import(&mut s, &path, false);
    let log = count(&s, "SELECT count(*) FROM change_log");
    let links = count(&s, "SELECT count(*) FROM org_unit");
    assert_eq!(links, 3);
    let again = import(&mut s, &path, false);
    assert_eq!((again.inserted, again.updated), (0, 0));
    assert!(again.created.orgs.is_empty() && again.created.covered.is_empty());
    assert_eq!(count(&s, "SELECT count(*) FROM change_log"), log);
    assert_eq!(count(&s, "SELECT count(*) FROM org_unit"), links);
}

/// An org the ledger had that already covers its unit keeps exactly that: the import neither
/// adds to it nor logs anything against it.
#[test]
fn an_existing_org_keeps_its_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let path = roster(dir.path());
    let mut s = ledger();
    // The ledger's org already covers its unit.
    let unit = s
        .insert(Unit::new(EXISTING_UNIT, UnitCategory::Enterprise))
        .unwrap();
    let mut org: Org = s.get(&id_of(&s, "org", EXISTING)).unwrap();
    org.unit_ids = vec![unit.meta.id];
    s.update(org).unwrap();
    let before = s.history(&id_of(&s, "org", EXISTING)).unwrap().len();
    let sum = import(&mut s, &path, false);
    assert_eq!(sum.created.covered, expected_links());
    assert_eq!(covered_units(&s, EXISTING), vec![EXISTING_UNIT]);
    assert_eq!(
        s.history(&id_of(&s, "org", EXISTING)).unwrap().len(),
        before
    );
}

#[test]
fn the_cli_shows_the_links() {
    let dir = tempfile::tempdir().unwrap();
    let path = roster(dir.path());
    let path = path.to_str().unwrap();
    let cli = Cli::new();
    let text = cli.ok(&["import", path, "--dry-run"]);
    assert!(text.contains(&format!("{NAMED} → {NAMED_UNIT}")), "{text}");
    // On an empty ledger the import creates the fourth org too, and it is named after its unit.
    assert!(text.contains("覆盖关系 4 条"), "{text}");
    let v = cli.json(&["import", path]);
    let covered = v["created"]["covered"].as_array().unwrap();
    assert_eq!(covered.len(), 4, "{v}");
    assert_eq!(covered[3]["org"], EXISTING);
    assert_eq!(covered[1]["org"], JOINT);
    assert_eq!(covered[1]["unit"], JOINT_UNIT_A);
    let v = cli.json(&["import", path]);
    assert_eq!(v["created"]["covered"].as_array().unwrap().len(), 0);
}
