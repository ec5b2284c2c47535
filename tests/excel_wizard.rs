//! The import wizard's view of an import (`taizhang::excel::wizard`): the mapping shown
//! agrees with what the import did, errors are bounded for display, a re-import is unchanged.

mod common;
use common::*;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use taizhang::excel::export::{export, ExportOptions};
use taizhang::excel::import::ImportOptions;
use taizhang::excel::wizard::{areas, import_report, profile_list};
use taizhang::model::*;

/// A roster with a title, a column the template lacks (籍贯), two bad 身份证号 and a new 支部.
fn roster(dir: &Path) -> PathBuf {
    let path = dir.join("花名册.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "清河县两新组织党员花名册").unwrap();
    let headers = ["序号", "姓名", "身份证号", "籍贯", "所在党支部", "入党时间"];
    for (c, h) in headers.iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    let good1 = id_number("19880512", 11);
    let good2 = id_number("19920303", 22);
    let bad = format!("{}0", &id_number("19900101", 33)[..17]);
    let bad = if bad == id_number("19900101", 33) {
        format!("{}1", &bad[..17])
    } else {
        bad
    };
    let rows = [
        [
            "1",
            "王建国",
            good1.as_str(),
            "浙江",
            "中共清河县恒达机械有限公司支部委员会",
            "2012.7.1",
        ],
        [
            "2",
            "李芳",
            good2.as_str(),
            "江苏",
            "中共清河县恒达机械有限公司支部委员会",
            "2015-07-01",
        ],
        [
            "3",
            "赵错",
            bad.as_str(),
            "",
            "中共清河县恒达机械有限公司支部委员会",
            "2016-07-01",
        ],
        [
            "4",
            "钱错",
            "12345",
            "",
            "中共清河县恒达机械有限公司支部委员会",
            "2017-07-01",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    path
}

fn opts(dry_run: bool, skip_invalid: bool) -> ImportOptions {
    ImportOptions {
        dry_run,
        skip_invalid,
        ..Default::default()
    }
}

#[test]
fn preview_shows_mapping_counts_created_and_bounded_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = roster(dir.path());
    let mut s = store();
    let (report, book) = import_report(&mut s, &path, opts(true, false), 1).unwrap();
    let sum = &report.summary;
    assert_eq!(sum.profile, "members");
    assert!(sum.dry_run && !sum.committed);
    assert_eq!((sum.rows, sum.inserted, sum.invalid), (4, 2, 2));
    assert_eq!(
        sum.created.orgs,
        vec!["中共清河县恒达机械有限公司支部委员会"]
    );
    assert_eq!(report.errors_total, 2);
    assert_eq!(sum.errors.len(), 1, "bounded to max_errors");
    assert_eq!(sum.errors[0].row, 6);
    assert_eq!(sum.errors[0].column, "C");
    assert_eq!(book.sheets.len(), 1);
    // The mapping: every header, the ignored one with the same letter the import reported.
    let shown: Vec<(&str, Option<&str>)> = report
        .mapping
        .iter()
        .map(|m| (m.header.as_str(), m.target.as_deref()))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("序号", Some("序号")),
            ("姓名", Some("姓名")),
            ("身份证号", Some("公民身份号码")),
            ("籍贯", None),
            ("所在党支部", Some("所在党支部")),
            ("入党时间", Some("入党日期")),
        ]
    );
    assert_eq!(sum.unknown_columns, vec!["D列“籍贯”"]);
    assert!(report
        .missing
        .iter()
        .any(|m| m.header == "手机号码" && !m.required));
    assert_eq!(s.count::<Member>().unwrap(), 0, "a preview writes nothing");

    // Import the valid rows, then the same file again changes nothing.
    let (done, _) = import_report(&mut s, &path, opts(false, true), 100).unwrap();
    assert!(done.summary.committed);
    assert_eq!(done.summary.inserted, 2);
    assert_eq!(s.count::<Member>().unwrap(), 2);
    let (again, _) = import_report(&mut s, &path, opts(true, false), 100).unwrap();
    assert_eq!((again.summary.inserted, again.summary.unchanged), (0, 2));
    assert!(again.summary.created.orgs.is_empty());
}

#[test]
fn an_export_reimports_unchanged_and_areas_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    let mut unit = Unit::new("清河县恒达机械有限公司", UnitCategory::Enterprise);
    unit.area = Some("城关镇".into());
    s.insert(unit).unwrap();
    let (_, _) = import_report(&mut s, &roster(dir.path()), opts(false, true), 10).unwrap();
    assert_eq!(areas(&s).unwrap(), vec!["城关镇"]);
    // 乡镇街道 in 拼音 order (by code point 东 would come before 城).
    for (name, area) in [("西城某公司", "西城街道"), ("东城某公司", "东城街道")] {
        let mut u = Unit::new(name, UnitCategory::Enterprise);
        u.area = Some(area.into());
        s.insert(u).unwrap();
    }
    assert_eq!(areas(&s).unwrap(), vec!["城关镇", "东城街道", "西城街道"]);
    let out = dir.path().join("导出.xlsx");
    let eo = ExportOptions {
        profile: "members".into(),
        ..Default::default()
    };
    assert_eq!(export(&s, &out, &eo).unwrap().rows, 2);
    let (back, _) = import_report(&mut s, &out, opts(true, false), 10).unwrap();
    assert_eq!(back.summary.unchanged, 2);
    assert_eq!(back.summary.invalid, 0);
    assert!(back
        .mapping
        .iter()
        .any(|m| m.target.as_deref() == Some("系统编号")));
    let names: Vec<String> = profile_list(&s)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert!(names.contains(&"党员花名册".to_string()) && names.len() >= 6);
}
