//! Headers read by their meaning, status columns understood, file-level problems said once
//! and the file-level choice of org, registers whose org is in the title, members by name.

mod common;
use common::*;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use taizhang::excel::import::{import_file, ImportOptions, ImportSummary};
use taizhang::model::*;
use taizhang::Store;

fn book(dir: &Path, name: &str, rows: &[Vec<String>]) -> PathBuf {
    let p = dir.join(name);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    wb.save(&p).unwrap();
    p
}

fn run(s: &mut Store, p: &Path, org: Option<&str>, dry_run: bool) -> ImportSummary {
    let opts = ImportOptions {
        dry_run,
        org: org.map(String::from),
        ..Default::default()
    };
    import_file(s, p, &opts).unwrap().summary
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn headers_by_meaning_and_a_status_column() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (id_number("19610202", 11), id_number("19850310", 22));
    let p = book(
        dir.path(),
        "花名册.xlsx",
        &[
            strings(&[
                "姓名",
                "身份证号（18位）",
                "党员所属支部名称",
                "预/正",
                "入党时间",
                "联系方式",
            ]),
            strings(&[
                "王建国",
                &a,
                "中共甲公司支部委员会",
                "正",
                "1990-07-01",
                "13812345678",
            ]),
            strings(&[
                "李芳",
                &b,
                "中共甲公司支部委员会",
                "预",
                "2026-03-01",
                "13912345678",
            ]),
        ],
    );
    let mut s = store();
    let sum = run(&mut s, &p, None, false);
    assert_eq!(
        (sum.inserted, sum.invalid),
        (2, 0),
        "{:?} {:?}",
        sum.errors,
        sum.problems
    );
    // The branch column was a guess by meaning: marked, and said.
    let c = sum.columns.iter().find(|m| m.column == "C").unwrap();
    assert_eq!((c.target.as_deref(), c.guessed), (Some("所在党支部"), true));
    assert!(
        sum.warnings.iter().any(|w| w.contains("C列")),
        "{:?}",
        sum.warnings
    );
    let members: Vec<Member> = s.list("1", &[], "rowid").unwrap();
    assert_eq!(members[1].category, MemberCategory::Probationary);
    assert_eq!(members[0].category, MemberCategory::Full);
    assert_eq!(members[0].phone.as_deref(), Some("13812345678"));
}

#[test]
fn an_unknown_status_column_refuses_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = book(
        dir.path(),
        "花名册.xlsx",
        &[
            strings(&["姓名", "身份证号", "所在党支部", "入党日期", "党籍情况说明"]),
            strings(&[
                "王建国",
                &id_number("19610202", 11),
                "中共甲支部委员会",
                "1990-07-01",
                "预备期",
            ]),
        ],
    );
    let mut s = store();
    let sum = run(&mut s, &p, None, false);
    assert!(!sum.committed && sum.inserted == 0);
    assert!(
        sum.problems.iter().any(|m| m.contains("E列")),
        "{:?}",
        sum.problems
    );
    assert_eq!(count(&s, "member"), 0);
}

#[test]
fn a_missing_branch_column_is_said_once_and_chosen_for_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    let p2 = book(
        dir.path(),
        "无支部.xlsx",
        &[
            strings(&["姓名", "身份证号", "入党日期", "籍贯"]),
            strings(&["王建国", &id_number("19610202", 11), "1990-07-01", "浙江"]),
            strings(&["李芳", &id_number("19850310", 22), "2010-07-01", "浙江"]),
        ],
    );
    let sum = run(&mut s, &p2, None, false);
    assert!(sum.needs_org && !sum.committed);
    assert_eq!(sum.problems.len(), 1, "{:?}", sum.problems);
    assert!(
        sum.errors.is_empty(),
        "no row-by-row 必须填写: {:?}",
        sum.errors
    );
    let sum = run(&mut s, &p2, Some("中共甲公司支部委员会"), false);
    assert_eq!((sum.inserted, sum.invalid), (2, 0), "{:?}", sum.errors);
    assert_eq!(sum.created.orgs, vec!["中共甲公司支部委员会".to_string()]);
}

#[test]
fn a_register_names_its_org_in_the_title_above_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("登记表.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        4,
        "中共清河县恒达机械有限公司支部委员会三会一课登记表",
        &Default::default(),
    )
    .unwrap();
    for (c, h) in ["序号", "会议类型", "会议时间", "会议地点", "会议议题"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (c, v) in ["1", "支部党员大会", "2026-03-05", "会议室", "学习党章"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *v).unwrap();
    }
    wb.save(&path).unwrap();
    let mut s = store();
    let sum = run(&mut s, &path, None, false);
    assert_eq!(
        (sum.inserted, sum.invalid),
        (1, 0),
        "{:?} {:?}",
        sum.errors,
        sum.problems
    );
    assert_eq!(
        sum.file_org.as_deref(),
        Some("中共清河县恒达机械有限公司支部委员会")
    );
}

#[test]
fn dues_keyed_by_name_with_the_phone_breaking_ties() {
    let mut s = store();
    let (_, org) = unit_and_org(&mut s, "清河县甲公司");
    let mut a = member(&org, "王芳", 11);
    a.phone = Some("13811112222".into());
    let mut b = member(&org, "王芳", 22);
    b.phone = Some("13933334444".into());
    let c = member(&org, "赵强", 33);
    for m in [a, b, c] {
        s.write(|tx| tx.add_member(m)).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let p = book(
        dir.path(),
        "党费.xlsx",
        &[
            strings(&["姓名", "电话", "月份", "基数", "党费"]),
            strings(&["王芳", "13933334444", "2026-10", "5000", "50"]),
            strings(&["赵强", "", "2026-10", "3000", "15"]),
            strings(&["王芳", "", "2026-10", "5000", "50"]),
            strings(&["张三", "", "2026-10", "3000", "15"]),
        ],
    );
    let sum = run(&mut s, &p, None, true);
    assert_eq!(
        (sum.profile.as_str(), sum.invalid),
        ("dues", 2),
        "{:?}",
        sum.problems
    );
    let msgs: Vec<(u32, &str)> = sum
        .errors
        .iter()
        .map(|e| (e.row, e.message.as_str()))
        .collect();
    assert!(
        msgs.iter()
            .any(|(r, m)| *r == 4 && m.contains("2 名党员叫“王芳”")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|(r, m)| *r == 5 && m.contains("没有名为“张三”")),
        "{msgs:?}"
    );
}
