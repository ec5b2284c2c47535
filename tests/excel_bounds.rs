//! Hostile spreadsheets that look valid: many invalid rows, huge shared-strings tables. The
//! errors are kept within bounds (the first of each column listed, the rest counted), the
//! errors workbook still marks every bad row, and a strings table past the limit is refused.

mod common;

use common::{id_number, store};
use rust_xlsxwriter::Workbook;
use std::path::Path;
use taizhang::error::Error;
use taizhang::excel::error_log::ERRORS_LISTED_PER_COLUMN;
use taizhang::excel::errors_book::write_errors_book;
use taizhang::excel::import::{import_file, ImportOptions};
use taizhang::excel::read::{read_book, Cell, Limits};

/// A roster of `rows` members whose 入党日期 (D) and 手机号码 (E) are all invalid, written
/// streamed (constant memory, inline strings).
fn bad_roster(path: &Path, rows: u32) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory();
    for (c, h) in ["姓名", "公民身份号码", "所在党支部", "入党日期", "手机号码"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        ws.write(r, 0, format!("党员{r}")).unwrap();
        let birth = format!("19{}0505", 50 + r / 1000);
        ws.write(r, 1, id_number(&birth, r % 1000)).unwrap();
        ws.write(r, 2, "中共乙公司支部委员会").unwrap();
        ws.write(r, 3, "明年").unwrap();
        ws.write(r, 4, "123").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn many_invalid_rows_list_the_first_errors_of_each_column_and_count_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    let rows = 2 * ERRORS_LISTED_PER_COLUMN as u32 + 500;
    bad_roster(&path, rows);
    let mut s = store();
    let out = import_file(&mut s, &path, &ImportOptions::default()).unwrap();
    let sum = &out.summary;
    assert_eq!(sum.invalid, rows as usize);
    assert!(!sum.committed);
    // Listed: the first of each column, in row order.
    for col in ["D", "E"] {
        let listed: Vec<u32> = sum
            .errors
            .iter()
            .filter(|e| e.column == col)
            .map(|e| e.row)
            .collect();
        assert_eq!(listed.len(), ERRORS_LISTED_PER_COLUMN, "{col}");
        assert_eq!(listed[0], 2);
        assert_eq!(*listed.last().unwrap(), ERRORS_LISTED_PER_COLUMN as u32 + 1);
    }
    assert!(sum.errors.windows(2).all(|w| w[0].row <= w[1].row));
    // The rest counted, per column, with what to tell the user.
    let omitted: Vec<(&str, usize)> = sum
        .errors_omitted
        .iter()
        .map(|o| (o.column.as_str(), o.count))
        .collect();
    let rest = rows as usize - ERRORS_LISTED_PER_COLUMN;
    assert_eq!(omitted, [("D", rest), ("E", rest)]);
    assert!(
        sum.errors_omitted[0]
            .message
            .contains("另有 1,500 处同类错误未列出"),
        "{}",
        sum.errors_omitted[0].message
    );
    assert_eq!(sum.error_count(), 2 * rows as usize);
    // The errors workbook still marks every bad cell: each row says what is wrong in D and E.
    let errs = dir.path().join("errors.xlsx");
    write_errors_book(&out.book, sum, &errs).unwrap();
    let back = read_book(&errs, &Limits::default()).unwrap();
    let sheet = &back.sheets[0];
    assert_eq!(sheet.rows[0].get(5), Some(&Cell::Text("错误说明".into())));
    let explained = sheet.rows[1..]
        .iter()
        .filter(
            |r| matches!(r.get(5), Some(Cell::Text(m)) if m.contains("D列") && m.contains("E列")),
        )
        .count();
    assert_eq!(explained, rows as usize);
}

#[test]
fn no_errors_workbook_wanted_keeps_only_the_head_of_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    bad_roster(&path, 300);
    let mut s = store();
    let opts = ImportOptions {
        dry_run: true,
        no_errors_book: true,
        ..Default::default()
    };
    let out = import_file(&mut s, &path, &opts).unwrap();
    assert_eq!(out.summary.invalid, 300);
    // Not read back whole: only the rows the header was found in.
    assert!(out.book.sheets[0].rows.len() < 100);
}

/// A workbook of one column of `n` distinct texts (rust_xlsxwriter keeps them in the shared
/// strings table when not in constant-memory mode).
fn many_strings(path: &Path, n: u32) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "姓名").unwrap();
    for r in 1..=n {
        ws.write(r, 0, format!("一个很长的不重复的名字第{r:08}号"))
            .unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_shared_strings_table_past_the_limit_is_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strings.xlsx");
    many_strings(&path, 20_000);
    let zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    assert!(zip.file_names().any(|n| n == "xl/sharedStrings.xml"));
    let mut s = store();
    // 20,000 strings of ~45 bytes and 32 of overhead each: about 1.5 MB.
    let opts = ImportOptions {
        dry_run: true,
        limits: Limits {
            max_strings_bytes: 1024 * 1024,
            ..Default::default()
        },
        ..Default::default()
    };
    match import_file(&mut s, &path, &opts) {
        Err(Error::BadFile(m)) => {
            assert!(m.contains("共享字符串表超过 1 MB，已拒绝"), "{m}")
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("accepted a strings table past the limit"),
    }
    // Within the default limit the same file is read (and found not to be a roster).
    let read = import_file(
        &mut s,
        &path,
        &ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    if let Err(Error::BadFile(m)) = &read {
        assert!(!m.contains("共享字符串表"), "{m}");
    }
}

/// Failed rows past `Limits::max_failed_rows_kept` are read again from the file for the
/// retries: 120 branches listed before the 总支 they belong to (which comes last, under a
/// county committee no row defines) all get in, under the right parent, with only 2 kept.
#[test]
fn failed_rows_past_the_kept_limit_are_read_again_for_the_retries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orgs.xlsx");
    let general = "中共恒达机械有限公司总支部委员会";
    let county = "中共清河县非公有制经济组织委员会";
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["党组织名称", "党组织类型", "上级党组织", "成立日期"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    let branches = 120u32;
    for r in 1..=branches {
        let name = format!("中共恒达机械有限公司第{r}支部委员会");
        for (c, v) in [name.as_str(), "党支部", general, "2019-05-01"]
            .iter()
            .enumerate()
        {
            ws.write(r, c as u16, *v).unwrap();
        }
    }
    for (c, v) in [general, "党总支", county, "2018-03-01"].iter().enumerate() {
        ws.write(branches + 1, c as u16, *v).unwrap();
    }
    wb.save(&path).unwrap();
    let mut s = store();
    let opts = ImportOptions {
        limits: Limits {
            max_failed_rows_kept: 2,
            ..Default::default()
        },
        ..Default::default()
    };
    let sum = import_file(&mut s, &path, &opts).unwrap().summary;
    assert!(sum.committed, "{:?}", sum.errors);
    assert_eq!((sum.inserted, sum.invalid), (branches as usize + 1, 0));
    let orgs: Vec<taizhang::model::Org> = s.list("1", &[], "name").unwrap();
    assert_eq!(orgs.len(), branches as usize + 2);
    let id_of = |n: &str| orgs.iter().find(|o| o.name == n).unwrap().meta.id;
    let under_general = orgs
        .iter()
        .filter(|o| o.parent_id == Some(id_of(general)))
        .count();
    assert_eq!(under_general, branches as usize);
}
