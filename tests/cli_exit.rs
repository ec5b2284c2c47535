//! Issue 20 (hardening) through the command line: an import that saved nothing because of
//! errors exits with 1, and only `init` (and `demo`) create a ledger — a mistyped --db, an
//! empty file or another program's database is refused and left as it was.

mod common;
use common::cli::Cli;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use taizhang::model::{Unit, UnitCategory};

const TODAY: &str = "2026-11-21";

/// A roster of two members, the second with a phone number that is too short (invalid)
/// unless `all_valid`.
fn roster(dir: &Path, name: &str, all_valid: bool, only_invalid: bool) -> PathBuf {
    let path = dir.join(name);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["姓名", "公民身份号码", "所在党支部", "入党日期", "手机号码"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    let phone = if all_valid { "13912345678" } else { "138" };
    let mut rows = vec![
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
            phone.into(),
        ],
    ];
    if only_invalid {
        rows.remove(0);
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(r as u32 + 1, c as u16, v.as_str()).unwrap();
        }
    }
    wb.save(&path).unwrap();
    path
}

fn members(cli: &Cli) -> usize {
    cli.json(&["member", "list"]).as_array().unwrap().len()
}

fn json_of(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn an_import_refused_for_invalid_rows_exits_1_and_writes_nothing() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let file = roster(dir.path(), "花名册.xlsx", false, false);
    let file = file.to_str().unwrap();
    // (a) default policy: refused whole, exit code 1, the JSON summary says why.
    let (code, out) = cli.code(&["import", file, "--json"]);
    let v = json_of(&out);
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(
        (
            &v["committed"],
            v["invalid"].as_u64(),
            v["dry_run"].as_bool()
        ),
        (&Value::Bool(false), Some(1), Some(false))
    );
    assert_eq!(v["problems"], Value::Array(vec![]));
    assert_eq!(members(&cli), 0);
    // not even the org the rows name
    assert_eq!(cli.json(&["org", "list"]).as_array().unwrap().len(), 0);
    // The same without --json: exit code 1, and the text says what to do.
    let out = cli.run(&["import", file]);
    let (text, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("全部未导入") && text.contains("--skip-invalid"),
        "{text}"
    );
    assert!(err.contains("有错误行，没有导入任何数据"), "{err}");
    assert_eq!(members(&cli), 0);

    // (c) a preview with invalid rows is not a failure, and writes nothing either.
    let (code, out) = cli.code(&["import", file, "--dry-run", "--json"]);
    let v = json_of(&out);
    assert_eq!((code, v["invalid"].as_u64()), (Some(0), Some(1)), "{v}");
    assert_eq!(members(&cli), 0);

    // (b) --skip-invalid imports the valid row: exit code 0.
    let (code, out) = cli.code(&["import", file, "--skip-invalid", "--json"]);
    let v = json_of(&out);
    assert_eq!(
        (code, &v["committed"], v["inserted"].as_u64()),
        (Some(0), &Value::Bool(true), Some(1)),
        "{v}"
    );
    assert_eq!(members(&cli), 1);

    // Again with --skip-invalid: the valid row is unchanged, the invalid one skipped as
    // asked — nothing to do, not a failure.
    let (code, out) = cli.code(&["import", file, "--skip-invalid", "--json"]);
    let v = json_of(&out);
    assert_eq!(
        (code, &v["committed"], v["unchanged"].as_u64()),
        (Some(0), &Value::Bool(false), Some(1)),
        "{v}"
    );
    // Without --skip-invalid the invalid row still refuses the file.
    assert_eq!(cli.code(&["import", file]).0, Some(1));
    assert_eq!(members(&cli), 1);
}

#[test]
fn skip_invalid_with_no_valid_row_exits_1() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let file = roster(dir.path(), "全错.xlsx", false, true);
    let (code, out) = cli.code(&["import", file.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("没有一行正确"), "{out}");
    assert_eq!(members(&cli), 0);
}

#[test]
fn an_unchanged_reimport_exits_0() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let file = roster(dir.path(), "正确.xlsx", true, false);
    let file = file.to_str().unwrap();
    let (code, out) = cli.code(&["import", file, "--json"]);
    let v = json_of(&out);
    assert_eq!(
        (code, &v["committed"], v["inserted"].as_u64()),
        (Some(0), &Value::Bool(true), Some(2))
    );
    // (d) every row unchanged: nothing committed, nothing wrong.
    let (code, out) = cli.code(&["import", file, "--json"]);
    let v = json_of(&out);
    assert_eq!(
        (
            code,
            &v["committed"],
            v["unchanged"].as_u64(),
            v["invalid"].as_u64()
        ),
        (Some(0), &Value::Bool(false), Some(2), Some(0)),
        "{v}"
    );
    assert_eq!(members(&cli), 2);
}

#[test]
fn a_file_with_problems_exits_1() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    // A roster without its required 公民身份号码 column.
    let path = dir.path().join("缺列.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["姓名", "所在党支部", "入党日期"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
        ws.write(
            1,
            c as u16,
            ["王建国", "中共甲公司支部委员会", "2012-07-01"][c],
        )
        .unwrap();
    }
    wb.save(&path).unwrap();
    let (code, out) = cli.code(&[
        "import",
        path.to_str().unwrap(),
        "--as",
        "members",
        "--json",
    ]);
    let v = json_of(&out);
    assert_eq!(code, Some(1), "{v}");
    assert!(!v["problems"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(v["committed"], false);
    assert_eq!(members(&cli), 0);
}

/// Every command but `init` and `demo` refuses a path with no ledger, naming it and saying
/// what to do; nothing is created, not even the folder.
#[test]
fn a_mistyped_db_is_refused_and_nothing_is_created() {
    let cli = Cli::without_ledger(TODAY);
    let typo = cli.dir.path().join("typo").join("ledger.db");
    let typo_s = typo.to_str().unwrap();
    for args in [
        vec!["member", "list"],
        vec!["unit", "list"],
        vec!["check"],
        vec!["backup", "b.db"],
        vec!["exchange", "devices"],
        vec!["settings", "get", "operator"],
    ] {
        let mut all = vec!["--db", typo_s];
        all.extend(args.iter());
        let err = cli.fails(&all);
        assert!(
            err.contains(typo_s) && err.contains("taizhang init") && err.contains("--db"),
            "{args:?}: {err}"
        );
        assert!(
            !typo.parent().unwrap().exists(),
            "{args:?} created the folder"
        );
    }
    // A missing file in a folder that exists: not created either; --json says no_ledger.
    let out = cli.run(&["member", "list", "--json"]);
    assert!(!out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "no_ledger");
    assert!(!cli.db.exists());
    // `init` creates it, and then the other commands work.
    let v = cli.json(&["--db", typo_s, "init"]);
    assert_eq!(v["created"], true);
    assert!(typo.is_file());
    assert_eq!(
        cli.json(&["--db", typo_s, "member", "list"]),
        Value::Array(vec![])
    );
    // `demo` creates its ledger too (scripts/run.sh --demo, the exchange CLI test).
    let demo = cli.dir.path().join("演示").join("demo.db");
    cli.ok(&[
        "--db",
        demo.to_str().unwrap(),
        "demo",
        "--units",
        "2",
        "--as-of",
        TODAY,
    ]);
    assert!(cli
        .json(&["--db", demo.to_str().unwrap(), "unit", "list"])
        .as_array()
        .is_some_and(|a| a.len() == 2));
}

#[test]
fn an_empty_file_is_refused_even_by_init() {
    let cli = Cli::without_ledger(TODAY);
    std::fs::write(&cli.db, b"").unwrap();
    for args in [
        vec!["member", "list"],
        vec!["init"],
        vec!["demo", "--units", "1"],
    ] {
        let err = cli.fails(&args);
        assert!(
            err.contains("不是两新党建台账的数据库") && err.contains("0 字节"),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::metadata(&cli.db).unwrap().len(), 0, "{args:?}");
    }
}

#[test]
fn another_programs_database_is_refused_and_left_byte_for_byte() {
    let cli = Cli::without_ledger(TODAY);
    {
        let c = rusqlite::Connection::open(&cli.db).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES ('别人的数据');")
            .unwrap();
    }
    let before = std::fs::read(&cli.db).unwrap();
    for args in [
        vec!["member", "list"],
        vec!["init"],
        vec!["demo", "--units", "1"],
    ] {
        let err = cli.fails(&args);
        assert!(
            err.contains("不是两新党建台账的数据库") && err.contains("其他程序"),
            "{args:?}: {err}"
        );
        assert_eq!(
            std::fs::read(&cli.db).unwrap(),
            before,
            "{args:?} changed it"
        );
    }
    let c = rusqlite::Connection::open(&cli.db).unwrap();
    let tables: i64 = c
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1);
}

#[test]
fn a_bogus_schema_version_is_refused() {
    let cli = Cli::new();
    {
        let c = rusqlite::Connection::open(&cli.db).unwrap();
        c.pragma_update(None, "user_version", -1).unwrap();
    }
    for args in [vec!["member", "list"], vec!["init"]] {
        let err = cli.fails(&args);
        assert!(err.contains("版本号 -1 无效"), "{args:?}: {err}");
    }
    let out = cli.run(&["unit", "list", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "schema_invalid");
    let c = rusqlite::Connection::open(&cli.db).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, -1, "left as it was");
}

/// `taizhang exchange import` checks the whole package first and merges it in one
/// transaction: a package it cannot take is an error (exit code 1), nothing half-done.
#[test]
fn an_exchange_package_that_cannot_be_imported_exits_1() {
    let cli = Cli::new();
    let junk = cli.dir.path().join("坏的.tzpkg");
    std::fs::write(&junk, b"PK not a package").unwrap();
    let out = cli.run(&["exchange", "import", junk.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    assert_eq!(
        cli.json(&["exchange", "devices"]).as_array().unwrap().len(),
        1
    );
}

/// Files that are not there, or are folders, are said in Chinese with the path — never the
/// system's English words.
#[test]
fn missing_files_are_said_in_chinese() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("花名册.xlsx");
    let pkg = dir.path().join("交换包.tzpkg");
    for (args, name) in [
        (vec!["import", missing.to_str().unwrap()], "花名册.xlsx"),
        (
            vec!["exchange", "import", pkg.to_str().unwrap()],
            "交换包.tzpkg",
        ),
    ] {
        let err = cli.fails(&args);
        assert!(err.contains("找不到这个文件或文件夹"), "{err}");
        assert!(err.contains(name), "{err}");
        assert!(
            !err.contains("os error") && !err.contains("No such file"),
            "{err}"
        );
    }
}

/// Input no person types is refused — 20,000 characters, control bytes, direction overrides —
/// and what an older ledger may hold is never written raw to the terminal.
#[test]
fn text_no_person_types_is_refused_and_never_printed_raw() {
    let cli = Cli::new();
    let long = "长".repeat(20_000); // (one argument holds at most 128 KiB)
    for (name, says) in [
        (long.as_str(), "最多 200 个字"),
        ("恒达\u{1b}[31m机械", "控制字符"),
        ("恒达\u{202E}机械", "U+202E"),
        ("恒达\u{200B}机械", "U+200B"),
    ] {
        let err = cli.fails(&["unit", "add", "--name", name, "--category", "民营企业"]);
        assert!(err.contains(says), "{says}: {err}");
    }
    assert!(cli.json(&["unit", "list"]).as_array().unwrap().is_empty());
    // A name stored by an older version (written straight to the store, not through a form).
    let mut s = taizhang::Store::open_existing(&cli.db).unwrap();
    let mut u = Unit::new("旧\u{1b}[2J公司\u{7}", UnitCategory::Enterprise);
    u.area = Some("城关镇".into());
    s.insert(u).unwrap();
    drop(s);
    let listed = cli.ok(&["unit", "list"]);
    assert!(
        !listed.contains('\u{1b}') && !listed.contains('\u{7}'),
        "{listed:?}"
    );
    assert!(listed.contains("旧\u{FFFD}[2J公司\u{FFFD}"), "{listed}");
}

/// clap's own refusals (an unknown command or option, a negative number taken for an option)
/// speak Chinese, name what was not understood, and exit with the usage code 2.
#[test]
fn command_line_mistakes_are_told_in_chinese() {
    let cli = Cli::new();
    for (args, said) in [
        (&["membr", "list"][..], "无法识别的命令“membr”"),
        (
            &["member", "list", "--bogus"][..],
            "无法识别的参数“--bogus”",
        ),
    ] {
        let out = cli.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("错误：") && err.contains(said), "{err}");
        assert!(
            !err.contains("unexpected") && !err.contains("error:"),
            "{err}"
        );
    }
    // Help is still help, and succeeds.
    let out = cli.run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
}
