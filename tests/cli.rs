//! The `taizhang` command line: JSON output, exit codes, Chinese errors.

mod common;
use common::cli::Cli;
use common::*;
use serde_json::Value;

#[test]
fn init_creates_then_opens() {
    let cli = Cli::without_ledger("2026-11-21");
    let v = cli.json(&["init"]);
    assert_eq!(v["created"], true);
    assert_eq!(v["schema_version"], taizhang::store::SCHEMA_VERSION);
    let v = cli.json(&["init"]);
    assert_eq!(v["created"], false);
}

#[test]
fn add_list_show_update_history() {
    let cli = Cli::new();
    let unit = cli.json(&[
        "unit",
        "add",
        "--name",
        "清河县恒达机械制造有限公司",
        "--category",
        "民营企业",
        "--employees",
        "120",
        "--area",
        "城关镇",
        "--has-union",
        "是",
    ]);
    assert_eq!(unit["category"], "非公企业");
    assert_eq!(unit["has_union"], true);
    let unit_id = unit["id"].as_str().unwrap();
    let org = cli.json(&[
        "org",
        "add",
        "--name",
        "中共清河县恒达机械制造有限公司支部委员会",
        "--org-type",
        "党支部",
        "--formation",
        "单独组建",
        "--units",
        unit_id,
        "--committee",
        "书记:王建国",
    ]);
    let org_id = org["id"].as_str().unwrap();
    assert_eq!(org["unit_ids"][0], unit_id);
    let idn = id_number("19880512", 11);
    let m = cli.json(&[
        "member",
        "add",
        "--name",
        "王建国",
        "--id-number",
        &idn,
        "--org",
        org_id,
        "--joined-on",
        "2012.7.1",
        "--confirmed-on",
        "2013年7月1日",
        "--phone",
        "13812345678",
    ]);
    assert_eq!(m["gender"], "男");
    assert_eq!(m["birth_date"], "1988-05-12");
    let mid = m["id"].as_str().unwrap();

    let list = cli.json(&["member", "list", "--org", org_id]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        cli.json(&["member", "list", "--search", "建国"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        cli.json(&["member", "list", "--status", "转出"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(cli.json(&["member", "show", mid])["name"], "王建国");

    let upd = cli.json(&["member", "update", mid, "--phone", "13900001111"]);
    assert_eq!(upd["changed"], true);
    let again = cli.json(&["member", "update", mid, "--phone", "13900001111"]);
    assert_eq!(again["changed"], false);
    let h = cli.json(&["history", mid]);
    let last = h.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["changes"]["phone"],
        serde_json::json!(["13812345678", "13900001111"])
    );
    assert_eq!(last["actor"], "测试员");

    // Human output is a table with Chinese headers and names for references.
    let out = cli.run(&["member", "list"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("姓名") && text.contains("中共清河县恒达机械制造有限公司支部委员会"),
        "{text}"
    );
}

#[test]
fn invalid_id_number_is_refused_naming_the_field_and_nothing_is_written() {
    let cli = Cli::new();
    let org = cli.json(&[
        "org",
        "add",
        "--name",
        "中共甲公司支部委员会",
        "--org-type",
        "党支部",
        "--formation",
        "单独组建",
    ]);
    let org_id = org["id"].as_str().unwrap();
    let good = id_number("19880512", 11);
    let bad = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let out = cli.run(&[
        "member",
        "add",
        "--name",
        "张三",
        "--id-number",
        &bad,
        "--org",
        org_id,
        "--joined-on",
        "2012-07-01",
        "--phone",
        "123",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("公民身份号码") && err.contains("校验码"),
        "{err}"
    );
    assert!(err.contains("手机号码"), "all bad fields are listed: {err}");
    assert_eq!(cli.json(&["member", "list"]).as_array().unwrap().len(), 0);

    // With --json the error is also machine-readable.
    let out = cli.run(&[
        "member",
        "add",
        "--name",
        "张三",
        "--id-number",
        "1234",
        "--org",
        org_id,
        "--joined-on",
        "2012-07-01",
        "--json",
    ]);
    assert!(!out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "validation");
    assert_eq!(v["error"]["fields"][0]["field"], "id_number");
}

#[test]
fn member_events_from_the_cli() {
    let cli = Cli::new();
    let org = cli.json(&[
        "org",
        "add",
        "--name",
        "中共甲公司支部委员会",
        "--org-type",
        "支部",
        "--formation",
        "单独组建",
    ]);
    let org_id = org["id"].as_str().unwrap();
    let idn = id_number("19950101", 22);
    let m = cli.json(&[
        "member",
        "add",
        "--name",
        "李四",
        "--id-number",
        &idn,
        "--org",
        org_id,
        "--joined-on",
        "2026-01-10",
        "--category",
        "预备",
    ]);
    let mid = m["id"].as_str().unwrap();
    let out = cli.run(&["member", "event", mid, "转正", "--date", "2026-11-01"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("期满"));
    let out = cli.run(&[
        "member",
        "event",
        mid,
        "转出",
        "--date",
        "2026-11-01",
        "--place",
        "杭州市",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = cli.json(&["member", "events", mid]);
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["发展", "转出"]);
    assert_eq!(cli.json(&["member", "show", mid])["status"], "已转出");
}

#[test]
fn unknown_record_and_bad_arguments_fail() {
    let cli = Cli::new();
    let out = cli.run(&["member", "show", "0190a6f0-0000-7000-8000-000000000001"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("找不到党员"));
    let out = cli.run(&["member", "show", "abc"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是有效的编号"));
}

#[test]
fn demo_county_lists() {
    let cli = Cli::new();
    let summary = cli.json(&[
        "demo",
        "--units",
        "40",
        "--seed",
        "3",
        "--as-of",
        "2026-11-21",
    ]);
    assert_eq!(summary["units"], 40);
    let members = cli.json(&["member", "list"]);
    let orgs = cli.json(&["org", "list"]);
    assert_eq!(
        members.as_array().unwrap().len() as u64,
        summary["members"].as_u64().unwrap()
    );
    assert_eq!(
        orgs.as_array().unwrap().len() as u64,
        summary["orgs"].as_u64().unwrap()
    );
    // A second demo into the same ledger is refused.
    let out = cli.run(&["demo", "--units", "10"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("已有数据"));
}

#[test]
fn import_preview_then_import_and_export_from_the_cli() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("花名册.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["姓名", "公民身份号码", "所在党支部", "入党日期", "手机号码"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    let rows = [
        [
            "王建国".to_string(),
            id_number("19880512", 11),
            "中共甲公司支部委员会".into(),
            "2012-07-01".into(),
            "13812345678".into(),
        ],
        [
            "李芳".to_string(),
            id_number("19920303", 22),
            "中共甲公司支部委员会".into(),
            "2015-06-30".into(),
            "138".into(),
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(r as u32 + 1, c as u16, v.as_str()).unwrap();
        }
    }
    wb.save(&roster).unwrap();
    let roster = roster.to_str().unwrap();
    let errors = dir.path().join("错误.xlsx");
    let v = cli.json(&[
        "import",
        roster,
        "--dry-run",
        "--errors",
        errors.to_str().unwrap(),
    ]);
    for key in [
        "rows",
        "inserted",
        "updated",
        "unchanged",
        "invalid",
        "errors",
    ] {
        assert!(v.get(key).is_some(), "summary lacks {key}: {v}");
    }
    assert_eq!(
        (
            v["rows"].as_u64(),
            v["inserted"].as_u64(),
            v["invalid"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let e = &v["errors"][0];
    assert_eq!(
        (e["sheet"].as_str(), e["row"].as_u64(), e["column"].as_str()),
        (Some("Sheet1"), Some(3), Some("E"))
    );
    assert!(errors.exists(), "errors workbook written");
    // Invalid rows stop the import by default (exit code 1, tests/cli_exit.rs); --skip-invalid
    // takes the valid one.
    let (code, out) = cli.code(&["import", roster, "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((code, &v["committed"]), (Some(1), &Value::Bool(false)));
    assert_eq!(cli.json(&["member", "list"]).as_array().unwrap().len(), 0);
    let v = cli.json(&["import", roster, "--skip-invalid"]);
    assert_eq!(
        (v["inserted"].as_u64(), v["committed"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(cli.json(&["member", "list"]).as_array().unwrap().len(), 1);
    // Export the roster and find the member in it.
    let out = dir.path().join("导出.xlsx");
    let v = cli.json(&[
        "export",
        "members",
        out.to_str().unwrap(),
        "--report-unit",
        "县委社会工作部",
    ]);
    assert_eq!(v["rows"], 1);
    let book = taizhang::excel::read::read_book(&out, &Default::default()).unwrap();
    let text: Vec<String> = book.sheets[0]
        .rows
        .iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .map(|(_, c)| taizhang::excel::layout::cell_text(c))
        })
        .collect();
    assert!(
        text.contains(&"王建国".to_string()) && text.iter().any(|t| t.contains("县委社会工作部")),
        "{text:?}"
    );
    // A file that is not a ledger table is refused with a clear message.
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, "not excel").unwrap();
    let out = cli.run(&["import", junk.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是 Excel 文件"));
}

#[test]
fn backup_then_restore_and_sort_from_the_cli() {
    let cli = Cli::new();
    let add = |name: &str, employees: &str| {
        cli.json(&[
            "unit",
            "add",
            "--name",
            name,
            "--category",
            "非公企业",
            "--employees",
            employees,
        ])
    };
    add("甲公司", "30");
    add("乙公司", "120");
    let bak = cli.db.with_file_name("周五备份.db");
    cli.json(&["backup", bak.to_str().unwrap()]);
    add("丙公司", "5");
    let sorted = cli.json(&["unit", "list", "--sort", "employees", "--desc"]);
    let names: Vec<&str> = sorted
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["乙公司", "甲公司", "丙公司"]);

    // Without --yes: what each holds, and nothing replaced.
    let asked = cli.fails(&["restore", bak.to_str().unwrap()]);
    assert!(
        asked.contains("备份") && asked.contains("中有：2 个单位"),
        "{asked}"
    );
    assert!(asked.contains("当前台账中有：3 个单位"), "{asked}");
    assert_eq!(cli.json(&["unit", "list"]).as_array().unwrap().len(), 3);
    // A backup is not written over without --force.
    let again = cli.fails(&["backup", bak.to_str().unwrap()]);
    assert!(again.contains("已存在"), "{again}");
    let r = cli.json(&["restore", bak.to_str().unwrap(), "--yes"]);
    let saved = r["previous_saved_to"].as_str().unwrap();
    assert!(std::path::Path::new(saved).is_file(), "{saved}");
    let after = cli.json(&["unit", "list"]);
    assert_eq!(
        after.as_array().unwrap().len(),
        2,
        "丙公司 came after the backup"
    );

    let bad = cli.run(&[
        "restore",
        cli.db.with_file_name("没有.db").to_str().unwrap(),
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("不是可用的两新党建台账备份"));
}

/// A missing required field does not hide the record's other problems: `member add` without
/// --joined-on and with a bad --id-number names both, in stderr and in the --json error.
#[test]
fn member_add_reports_a_missing_field_and_a_bad_id_number_at_once() {
    let cli = Cli::new();
    let org = cli.json(&[
        "org",
        "add",
        "--name",
        "中共甲公司支部委员会",
        "--org-type",
        "党支部",
        "--formation",
        "单独组建",
    ]);
    let org_id = org["id"].as_str().unwrap();
    let good = id_number("19880512", 11);
    let bad = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let args = [
        "member",
        "add",
        "--name",
        "张三",
        "--id-number",
        &bad,
        "--org",
        org_id,
    ];
    let err = cli.fails(&args);
    assert!(
        err.contains("入党日期") && err.contains("必须填写"),
        "{err}"
    );
    assert!(
        err.contains("公民身份号码") && err.contains("校验码"),
        "{err}"
    );

    let out = cli.run(&[&args[..], &["--json"]].concat());
    assert!(!out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "validation");
    let fields: Vec<&str> = v["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["joined_on", "id_number"], "{v}");
    assert_eq!(cli.json(&["member", "list"]).as_array().unwrap().len(), 0);
}
