//! 发展党员 lists in Excel: the real 积极分子 / 发展对象 files are taken as applicant lists (not
//! as rosters), a list as people keep it imports with each person's 发展阶段 from the step
//! dates, and an export re-imports as no change.

mod common;
use common::*;
use rust_xlsxwriter::Workbook;
use std::path::Path;
use taizhang::excel::export::{export, ExportOptions};
use taizhang::excel::import::{import_file, ImportOptions};
use taizhang::model::*;

fn with_org(dry_run: bool) -> ImportOptions {
    ImportOptions {
        dry_run,
        org: Some("中共信息工程学院学生第一党支部".into()),
        ..Default::default()
    }
}

/// The real files: recognised as applicant lists, every column read; their placeholder rows
/// (the same invented 身份证号 on every row, numbers Excel cut to 15 digits, a 积极分子 date
/// before the application) are refused cell by cell with what to do.
#[test]
fn real_applicant_lists_are_read_as_applicant_lists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real2");
    let expect: &[(&str, usize, &[&str])] = &[
        ("pmm_学生发展对象报名.xlsx", 6, &["校验码错误"]),
        ("pmm_教职工发展对象报名.xlsx", 6, &["校验码错误"]),
        ("pmm_教职工积极分子报名.xls", 1, &["校验码错误"]),
        (
            "pmm_预科班积极分子名单.xlsx",
            7,
            &["15 位有效数字", "早于递交入党申请书日期"],
        ),
    ];
    for (file, rows, words) in expect {
        let mut s = store();
        let sum = import_file(&mut s, &root.join(file), &with_org(true))
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .summary;
        assert_eq!(
            (sum.profile.as_str(), sum.rows, sum.invalid),
            ("applicants", *rows, *rows),
            "{file}"
        );
        assert!(sum.problems.is_empty(), "{file}: {:?}", sum.problems);
        for w in *words {
            assert!(
                sum.errors.iter().any(|e| e.message.contains(w)),
                "{file}: no error saying {w}: {:?}",
                sum.errors
            );
        }
        let read: Vec<&str> = sum
            .columns
            .iter()
            .filter_map(|c| c.field.as_deref())
            .collect();
        for f in ["name", "id_number", "applied_on", "work_unit_id"] {
            assert!(read.contains(&f), "{file}: {f} not read: {read:?}");
        }
    }
}

/// A list as a branch keeps it, with the column names of the real files.
fn branch_list(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let head = [
        "序号",
        "姓名",
        "身份证号",
        "性别",
        "出生年月",
        "民族",
        "所在部门",
        "联系电话",
        "提交入党申请时间",
        "确定入党积极分子时间",
        "确定发展对象时间",
        "备注",
    ];
    let rows = [
        [
            "1",
            "王海",
            &id_number("19900101", 33),
            "男",
            "1990.1",
            "汉族",
            "研发部",
            "13919900123",
            "2023.08.21",
            "2023.10.08",
            "2024.11.20",
            "",
        ],
        [
            "2",
            "刘芳",
            &id_number("19950620", 44),
            "女",
            "",
            "回族",
            "市场部",
            "13993155332",
            "2025.03.01",
            "2025.06.01",
            "",
            "本人表现积极",
        ],
        [
            "3",
            "赵敏",
            &id_number("20000305", 26),
            "女",
            "",
            "汉族",
            "",
            "",
            "2026年9月1日",
            "",
            "",
            "",
        ],
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_branch_list_imports_with_stages_from_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("发展对象名单.xlsx");
    branch_list(&path);
    let mut s = store();
    // Without an org for the rows: a problem to fix, nothing checked.
    let sum = import(&mut s, &path, true);
    assert_eq!(sum.profile, "applicants");
    assert!(sum.needs_org && sum.problems.iter().any(|p| p.contains("培养党组织")));

    let sum = import_file(&mut s, &path, &with_org(false))
        .unwrap()
        .summary;
    assert_eq!((sum.inserted, sum.invalid), (3, 0), "{:?}", sum.errors);
    let list: Vec<Applicant> = s.list("1", &[], "applied_on").unwrap();
    let stages: Vec<(&str, ApplicantStage)> =
        list.iter().map(|a| (a.name.as_str(), a.stage)).collect();
    assert_eq!(
        stages,
        [
            ("王海", ApplicantStage::Candidate),
            ("刘芳", ApplicantStage::Activist),
            ("赵敏", ApplicantStage::Applicant)
        ]
    );
    assert_eq!(list[0].birth_date, Some(d(1990, 1, 1)));
    assert_eq!(list[1].work_unit_name.as_deref(), Some("市场部"));
    assert_eq!(list[2].applied_on, d(2026, 9, 1));
    // The org was created once and develops all three.
    assert_eq!(count(&s, "org"), 1);
    assert!(list.iter().all(|a| a.org_id == list[0].org_id));

    // The same file again changes nothing; the export re-imports as no change either.
    let again = import_file(&mut s, &path, &with_org(false))
        .unwrap()
        .summary;
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 3));
    let out = dir.path().join("导出.xlsx");
    let opts = ExportOptions {
        profile: "applicants".into(),
        ..Default::default()
    };
    assert_eq!(export(&s, &out, &opts).unwrap().rows, 3);
    let back = import(&mut s, &out, false);
    assert_eq!(
        (back.profile.as_str(), back.unchanged, back.invalid),
        ("applicants", 3, 0),
        "{:?}",
        back.errors
    );
    // The exported 发展阶段 is written but not read back.
    assert!(back
        .columns
        .iter()
        .any(|c| c.header == "发展阶段" && c.note.as_deref() == Some("由台账计算，导入时不用")));
}

/// A member roster with an 申请入党时间 column is still a roster.
#[test]
fn a_roster_with_an_application_date_stays_a_roster() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let head = [
        "姓名",
        "身份证号",
        "所在党支部",
        "申请入党时间",
        "入党时间",
        "转正时间",
        "人员类别",
    ];
    let row = [
        "钱立",
        &id_number("19800101", 13),
        "中共测试支部委员会",
        "2008-01-01",
        "2010-07-01",
        "2011-07-01",
        "正式党员",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
        ws.write(1, c as u16, row[c]).unwrap();
    }
    wb.save(&path).unwrap();
    let mut s = store();
    let sum = import(&mut s, &path, true);
    assert_eq!(
        (sum.profile.as_str(), sum.invalid),
        ("members", 0),
        "{:?}",
        sum.errors
    );
}
