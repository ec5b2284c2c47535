//! The import's fast paths (streamed reading, rows prepared on another thread, no per-row
//! savepoints) must change nothing: the same counts, errors, records and change-log entries
//! (which the exchange between PCs reads) as every row through `process_row`.

use super::import::{import_file, import_file_plain, ImportOptions, ImportSummary};
use super::progress::{Phase, Progress};
use super::read::{read_book, Limits};
use crate::model::validate::id_number_check_char;
use crate::model::*;
use crate::Store;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

fn id_number(birth: &str, seq: usize) -> String {
    let first = format!("330123{birth}{:03}", seq % 1000);
    format!("{first}{}", id_number_check_char(&first).unwrap())
}

/// A roster with a merged title, new and known branches and units, a 预备党员 (whose row also
/// writes an event), a member listed twice, and bad rows.
fn roster(path: &Path, rows: usize) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 8, "某县两新组织党员花名册", &Format::new())
        .unwrap();
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
    for i in 0..rows {
        let r = i as u32 + 3;
        // The last row lists the second row's person again (an update, not a new member).
        let p = if i == rows - 1 { 1 } else { i };
        let birth = format!("19{:02}{:02}{:02}", 60 + p % 30, 1 + p % 12, 1 + p % 28);
        let idn = id_number(&birth, p);
        let gender = if (p % 1000) % 2 == 1 { "男" } else { "女" };
        let (category, joined) = if i % 40 == 7 {
            ("预备党员", "2026-03-01")
        } else {
            ("正式党员", "2010-07-01")
        };
        let idn = if i % 53 == 11 {
            "330123199001011234".into()
        } else {
            idn
        };
        let row = [
            (i + 1).to_string(),
            format!("党员{i:04}"),
            gender.into(),
            idn,
            if i % 61 == 5 {
                "火星族".into()
            } else {
                "汉族".into()
            },
            category.into(),
            format!("中共某县第{:02}非公企业支部委员会", i % 7),
            joined.into(),
            format!("某县第{:02}科技有限公司", i % 9),
        ];
        for (c, v) in row.iter().enumerate() {
            ws.write(r, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 21));
    // A branch the ledger already has.
    s.insert(Org::new(
        "中共某县第03非公企业支部委员会",
        OrgType::Branch,
        "单独组建",
    ))
    .unwrap();
    s
}

/// Everything an import left, with ids replaced by the order they first appear in.
fn contents(s: &Store) -> Vec<String> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    let device = s.session().device_id.clone();
    let mut norm = |text: String| -> String {
        let text = text.replace(&device, "DEVICE");
        let mut res = text.clone();
        for w in text.split('"') {
            if w.len() == 36 && w.parse::<Id>().is_ok() {
                let n = ids.len();
                let k = *ids.entry(w.to_string()).or_insert(n);
                res = res.replace(w, &format!("#{k}"));
            }
        }
        res
    };
    let mut st = s
        .conn()
        .prepare(
            "SELECT device_seq, entity, record_id, parent_id, op, changes, bases FROM change_log
             ORDER BY seq",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            let v: Vec<Option<String>> = (0..7)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| Some(format!("{v:?}")))
                })
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    for r in rows {
        let line = r
            .unwrap()
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("|");
        out.push(norm(line.replace('\\', "")));
    }
    for table in ["org", "unit", "member", "member_event"] {
        let mut st = s
            .conn()
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                (0..n)
                    .filter(|i| !matches!(*i, 1 | 2)) // created_at, updated_at
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap();
        for r in rows {
            out.push(norm(format!("{table}: {}", r.unwrap().join("|"))));
        }
    }
    out
}

fn same_contents(a: &Store, b: &Store) {
    let (a, b) = (contents(a), contents(b));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    assert_eq!(a.len(), b.len());
}

fn same_summary(a: &ImportSummary, b: &ImportSummary) {
    let j = |s: &ImportSummary| serde_json::to_value(s).unwrap();
    assert_eq!(j(a), j(b));
}

#[test]
fn fast_paths_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    roster(&path, 300);
    for skip_invalid in [false, true] {
        let opts = ImportOptions {
            skip_invalid,
            ..Default::default()
        };
        let (mut fast, mut plain) = (store(), store());
        let before = super::run::FAST_ROWS.with(|n| n.get());
        let a = import_file(&mut fast, &path, &opts).unwrap();
        let fast_rows = super::run::FAST_ROWS.with(|n| n.get()) - before;
        let b = import_file_plain(&mut plain, &path, &opts).unwrap();
        assert_eq!(super::run::FAST_ROWS.with(|n| n.get()) - before, fast_rows);
        // Nearly every new member went the fast way (not the invalid ones, nor the update).
        assert!(fast_rows > 270, "{fast_rows}");
        same_summary(&a.summary, &b.summary);
        assert!(a.summary.invalid > 0 && a.summary.updated == 1);
        assert_eq!(a.summary.committed, skip_invalid);
        same_contents(&fast, &plain);
        // The streamed workbook is the workbook (cells and the merged title).
        let whole = read_book(&path, &Limits::default()).unwrap();
        assert_eq!(format!("{:?}", a.book), format!("{whole:?}"));
        assert_eq!(a.book.sheets[0].merges, vec![(0, 0, 0, 8)]);
        // Importing it again changes nothing, either way.
        let a = import_file(&mut fast, &path, &opts).unwrap();
        let b = import_file_plain(&mut plain, &path, &opts).unwrap();
        same_summary(&a.summary, &b.summary);
        same_contents(&fast, &plain);
    }
}

#[test]
fn progress_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    roster(&path, 2500);
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let log = seen.clone();
    let opts = ImportOptions {
        skip_invalid: true,
        progress: Some(Arc::new(move |p| log.lock().unwrap().push(p))),
        ..Default::default()
    };
    let mut s = store();
    let out = import_file(&mut s, &path, &opts).unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].phase, Phase::Read);
    let writes: Vec<&Progress> = seen.iter().filter(|p| p.phase == Phase::Write).collect();
    assert!(writes.windows(2).all(|w| w[0].done <= w[1].done));
    let last = writes.last().unwrap();
    assert_eq!(
        (last.done, last.total),
        (out.summary.rows, out.summary.rows)
    );
    assert!(writes.len() >= 3 && writes.len() <= 8, "{writes:?}");
    assert!(format!("{opts:?}").contains("progress"));

    // Exporting reports the rows it writes.
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let log = seen.clone();
    let eopts = super::export::ExportOptions {
        profile: "members".into(),
        progress: Some(Arc::new(move |p| log.lock().unwrap().push(p))),
        ..Default::default()
    };
    let exported = super::export::export(&s, &dir.path().join("out.xlsx"), &eopts).unwrap();
    let seen = seen.lock().unwrap().clone();
    let last = seen.last().unwrap();
    assert_eq!(
        (last.phase, last.done, last.total),
        (Phase::Write, exported.rows, exported.rows)
    );
    let _ = Value::Null;
}

/// A copy of an .xlsx with two rows of its first sheet swapped in the XML (as some generators
/// write them): cells out of sheet order.
fn swap_rows(src: &Path, dst: &Path, a: u32, b: u32) {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = String::new();
        f.read_to_string(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let span = |r: u32| {
                let start = data.find(&format!("<row r=\"{r}\"")).unwrap();
                let end = start + data[start..].find("</row>").unwrap() + "</row>".len();
                start..end
            };
            let (ra, rb) = (span(a), span(b));
            assert!(ra.end == rb.start, "adjacent rows");
            let (first, second) = (data[ra.clone()].to_string(), data[rb.clone()].to_string());
            data.replace_range(ra.start..rb.end, &(second + &first));
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(data.as_bytes()).unwrap();
    }
    zout.finish().unwrap();
}

/// Cells out of order: the streamed import notices, starts again reading the file whole, and
/// ends as if the rows had been in order.
#[test]
fn rows_out_of_order_are_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    roster(&path, 120);
    let swapped = dir.path().join("乱序.xlsx");
    swap_rows(&path, &swapped, 60, 61);
    let opts = ImportOptions {
        skip_invalid: true,
        ..Default::default()
    };
    let (mut a, mut b) = (store(), store());
    let out = import_file(&mut a, &swapped, &opts).unwrap();
    let plain = import_file_plain(&mut b, &path, &opts).unwrap();
    same_summary(&out.summary, &plain.summary);
    assert!(out.summary.inserted > 100);
    same_contents(&a, &b);
    let whole = read_book(&path, &Limits::default()).unwrap();
    assert_eq!(format!("{:?}", out.book), format!("{whole:?}"));
}

/// A clean streamed import keeps only each sheet's first rows (title and header, for the
/// column mapping), not the whole file; one with errors returns the whole file (see
/// `fast_paths_change_nothing`) for the errors workbook.
#[test]
fn a_clean_import_keeps_only_the_head_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 3, "党员花名册", &Format::new())
        .unwrap();
    for (c, h) in ["姓名", "公民身份号码", "所在党支部", "入党日期"]
        .iter()
        .enumerate()
    {
        ws.write(1, c as u16, *h).unwrap();
    }
    let rows = 200;
    for i in 0..rows {
        let r = i as u32 + 2;
        ws.write(r, 0, format!("党员{i}")).unwrap();
        ws.write(r, 1, id_number("19800101", i)).unwrap();
        ws.write(r, 2, "中共甲公司支部委员会").unwrap();
        ws.write(r, 3, "2010-07-01").unwrap();
    }
    wb.save(&path).unwrap();
    let mut s = store();
    let out = import_file(&mut s, &path, &ImportOptions::default()).unwrap();
    assert!(out.summary.errors.is_empty(), "{:?}", out.summary.errors);
    assert_eq!(out.summary.inserted, rows);
    let whole = read_book(&path, &Limits::default()).unwrap();
    let head = super::import::HEAD_ROWS;
    assert_eq!(out.book.sheets.len(), whole.sheets.len());
    assert_eq!(out.book.sheets[0].rows.len(), head);
    assert_eq!(
        format!("{:?}", out.book.sheets[0].rows),
        format!("{:?}", &whole.sheets[0].rows[..head])
    );
    assert_eq!(out.book.sheets[0].merges, whole.sheets[0].merges);
}

/// On an empty ledger the natural-key check of prepared rows is a set lookup (see
/// `run::Fresh`): a person listed again — once with the 身份证号's x in lower case — must still
/// be found, and the import come out as every row through `process_row`.
#[test]
fn a_first_import_finds_people_listed_twice_without_asking_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["姓名", "公民身份号码", "所在党支部", "入党日期"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    // The first 身份证号 ending in X, written in lower case at row 30 and upper case at 60;
    // row 150 repeats row 20.
    let with_x = (0..)
        .map(|i| id_number("19700101", i))
        .find(|n| n.ends_with('X'))
        .unwrap();
    for i in 0..200 {
        let idn = match i {
            30 => with_x.to_lowercase(),
            60 => with_x.clone(),
            20 | 150 => id_number("19750101", 1),
            _ => id_number("19800101", i),
        };
        let r = i as u32 + 1;
        ws.write(r, 0, format!("党员{i}")).unwrap();
        ws.write(r, 1, idn).unwrap();
        ws.write(r, 2, "中共甲公司支部委员会").unwrap();
        ws.write(r, 3, "2010-07-01").unwrap();
    }
    wb.save(&path).unwrap();
    let opts = ImportOptions::default();
    let (mut fast, mut plain) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    let lookups = super::run::SET_LOOKUPS.with(|n| n.get());
    let a = import_file(&mut fast, &path, &opts).unwrap();
    // Rows 0–60 were checked against the set (row 60 found row 30 there); after row 60 went
    // the ordinary way, the database is asked.
    assert_eq!(super::run::SET_LOOKUPS.with(|n| n.get()) - lookups, 61);
    let b = import_file_plain(&mut plain, &path, &opts).unwrap();
    same_summary(&a.summary, &b.summary);
    assert_eq!((a.summary.inserted, a.summary.updated), (198, 2));
    same_contents(&fast, &plain);
    // Into a ledger that has members, the database is asked from the start.
    let lookups = super::run::SET_LOOKUPS.with(|n| n.get());
    let a = import_file(&mut fast, &path, &opts).unwrap();
    assert_eq!(super::run::SET_LOOKUPS.with(|n| n.get()), lookups);
    let b = import_file_plain(&mut plain, &path, &opts).unwrap();
    same_summary(&a.summary, &b.summary);
    same_contents(&fast, &plain);
}

/// A county profile keyed on fields validation normalises (民族 to its dictionary value,
/// 出生日期 filled from the 身份证号): the first import must still find the second listing of
/// a person, as every row through `process_row` does.
#[test]
fn a_first_import_with_a_custom_key_on_normalised_fields_finds_people_listed_twice() {
    for (key, column, texts) in [
        ("name+ethnicity", "民族", ["汉", "汉族"]),
        ("name+birth_date", "出生日期", ["", "1975-01-01"]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let profiles = dir.path().join("profiles");
        std::fs::create_dir(&profiles).unwrap();
        let mut profile: Value =
            serde_json::from_str(include_str!("../../assets/profiles/members.json")).unwrap();
        profile["match_key"] = serde_json::json!([key]);
        std::fs::write(profiles.join("members.json"), profile.to_string()).unwrap();
        let path = dir.path().join("花名册.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["姓名", "公民身份号码", column, "所在党支部", "入党日期"]
            .iter()
            .enumerate()
        {
            ws.write(0, c as u16, *h).unwrap();
        }
        // 张三 twice (two 身份证号 with the same birth date), then others.
        for i in 0..20usize {
            let r = i as u32 + 1;
            let (name, idn, text) = match i {
                0 => ("张三".to_string(), id_number("19750101", 1), texts[0]),
                1 => ("张三".to_string(), id_number("19750101", 3), texts[1]),
                _ if column == "出生日期" => {
                    (format!("党员{i}"), id_number("19800101", i), "1980-01-01")
                }
                _ => (format!("党员{i}"), id_number("19800101", i), texts[1]),
            };
            ws.write(r, 0, name).unwrap();
            ws.write(r, 1, idn).unwrap();
            if !text.is_empty() {
                ws.write(r, 2, text).unwrap();
            }
            ws.write(r, 3, "中共甲公司支部委员会").unwrap();
            ws.write(r, 4, "2010-07-01").unwrap();
        }
        wb.save(&path).unwrap();
        let opts = ImportOptions {
            profiles_dir: Some(profiles),
            ..Default::default()
        };
        let (mut fast, mut plain) = (
            Store::open_in_memory().unwrap(),
            Store::open_in_memory().unwrap(),
        );
        let a = import_file(&mut fast, &path, &opts).unwrap();
        let b = import_file_plain(&mut plain, &path, &opts).unwrap();
        same_summary(&a.summary, &b.summary);
        assert_eq!((a.summary.inserted, a.summary.updated), (19, 1), "{key}");
        same_contents(&fast, &plain);
    }
}

/// Values as people write them — dates typed into number cells, 出生年月 without the day,
/// coded dictionary values — and rows with several problems (a cut ID number beside a bad
/// phone, a missing 入党日期 beside a bad ID) come out the same either way, and the valid
/// ones take the fast way.
#[test]
fn values_as_people_write_them_alike_either_way() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "姓名",
        "性别",
        "民族",
        "公民身份号码",
        "出生年月",
        "人员类别",
        "所在党支部",
        "入党日期",
        "手机号码",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    let births: [(f64, &str, &str); 6] = [
        (1966.07, "", "19660715"),
        (198807.0, "", "19880703"),
        (19800301.0, "", "19800301"),
        (1986.7, "", "19860720"),
        (0.0, "1961年2月", "19610202"),
        (0.0, "1961-02", "19610305"),
    ];
    for (i, (number, text, born)) in births.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, format!("党员{i}")).unwrap();
        ws.write(r, 1, ["2_女", "95_男"][i % 2]).unwrap();
        ws.write(r, 2, "868_汉族").unwrap();
        ws.write(r, 3, id_number(born, 100 + i)).unwrap();
        if text.is_empty() {
            ws.write(r, 4, *number).unwrap();
        } else {
            ws.write(r, 4, *text).unwrap();
        }
        ws.write(r, 5, "1_正式党员").unwrap();
        ws.write(r, 6, "中共某县第03非公企业支部委员会").unwrap();
        ws.write(r, 7, 2016.07).unwrap();
    }
    let r = births.len() as u32 + 1;
    ws.write(r, 0, "丙").unwrap();
    ws.write(r, 3, 6.22901200102042e17).unwrap();
    ws.write(r, 6, "中共某县第03非公企业支部委员会").unwrap();
    ws.write(r, 7, "2010-07-01").unwrap();
    ws.write(r, 8, "1381234").unwrap();
    ws.write(r + 1, 0, "乙").unwrap();
    ws.write(r + 1, 3, "330123199001011234").unwrap();
    ws.write(r + 1, 6, "中共某县第03非公企业支部委员会")
        .unwrap();
    wb.save(&path).unwrap();

    let opts = ImportOptions {
        skip_invalid: true,
        ..Default::default()
    };
    let (mut fast, mut plain) = (store(), store());
    let before = super::run::FAST_ROWS.with(|n| n.get());
    let a = import_file(&mut fast, &path, &opts).unwrap();
    let fast_rows = super::run::FAST_ROWS.with(|n| n.get()) - before;
    let b = import_file_plain(&mut plain, &path, &opts).unwrap();
    same_summary(&a.summary, &b.summary);
    same_contents(&fast, &plain);
    // Five valid rows (the sixth's 出生年月 is in another month than its ID's), all fast;
    // the last two rows with two problems each.
    assert_eq!(
        (a.summary.inserted, a.summary.invalid),
        (5, 3),
        "{:?}",
        a.summary.errors
    );
    assert_eq!(fast_rows, 5);
    let rows: Vec<u32> = a.summary.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [7, 8, 8, 9, 9], "{:?}", a.summary.errors);
}
