//! Our .xlsx reader (`book_xml`, `sheet_xml`) must give what calamine gives. The calamine
//! stream `stream.rs` had before is kept here as the reference; every workbook below — the
//! real fixtures, workbooks as the other tests make them, and hand-written XML with every
//! kind of cell — is streamed both ways and compared item by item.
//!
//! One difference is deliberate: a date-styled serial Excel cannot show as a date (negative,
//! NaN, infinite, or past 9999-12-31) is a number to our reader, where calamine makes up a
//! date or overflows (a panic in debug builds). The reference gives such cells as numbers,
//! by its own statement of the range (`excel_date`).
//!
//! Here: the reference and the comparison, and the real fixtures; `generated` has workbooks
//! as rust_xlsxwriter and our export write them, `package` writes packages by hand for
//! `handwritten` (every shape of cell and part) and `broken` (refused, spoiled, lying files).

mod broken;
mod generated;
mod handwritten;
mod package;

use super::read::{bad, cell_of, check_zip, Cell, Limits};
use super::stream::{Stop, Streamed, XlsxStream};
use calamine::{DataRef, ExcelDateTime, ExcelDateTimeType, Reader, Xlsx};
use std::path::Path;

/// What a stream gave, comparable: each item, then how it ended.
#[derive(Debug, PartialEq)]
pub(super) enum Seen {
    Sheet(String, Option<u32>),
    /// A row: its index and its cells (`Debug`, so that NaN equals NaN).
    Row(u32, String),
    End,
    Unordered,
    Failed,
}

fn seen(item: Streamed) -> Seen {
    match item {
        Streamed::Sheet(name, last) => Seen::Sheet(name, last),
        Streamed::Row(row) => Seen::Row(row.index, format!("{:?}", row.cells)),
        Streamed::End(_) => Seen::End,
    }
}

fn ended(out: &mut Vec<Seen>, stop: Stop, errors: &mut Vec<String>) {
    match stop {
        Stop::Unordered => out.push(Seen::Unordered),
        Stop::Failed(e) => {
            errors.push(e.to_string());
            out.push(Seen::Failed)
        }
        Stop::Consumer => unreachable!("the test consumer never stops"),
    }
}

/// The workbook streamed by our reader; failures' messages go to `errors`.
fn ours(path: &Path, errors: &mut Vec<String>) -> Vec<Seen> {
    let mut out = Vec::new();
    match XlsxStream::open_unchecked(path, &Limits::default()) {
        Err(e) => {
            errors.push(e.to_string());
            out.push(Seen::Failed);
        }
        Ok(mut stream) => {
            let r = stream.stream_with(
                &mut |item| {
                    out.push(seen(item));
                    true
                },
                |_| Vec::new(),
            );
            if let Err(stop) = r {
                ended(&mut out, stop, errors);
            }
        }
    }
    out
}

/// The workbook streamed as `stream.rs` did with calamine's cell reader.
fn calamine(path: &Path, errors: &mut Vec<String>) -> Vec<Seen> {
    let mut out = Vec::new();
    let r = calamine_stream(path, |item| out.push(seen(item)));
    if let Err(stop) = r {
        ended(&mut out, stop, errors);
    }
    out
}

/// `XlsxStream::stream_with` as it was, on calamine's cell reader (no merges).
fn calamine_stream(path: &Path, mut f: impl FnMut(Streamed)) -> Result<(), Stop> {
    let limits = Limits::default();
    check_zip(path, &limits)?;
    let mut wb: Xlsx<_> = calamine::open_workbook(path).map_err(|e| bad(&e))?;
    let mut cells_seen = 0;
    for name in wb.sheet_names() {
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(Stop::Failed(bad(&e))),
        };
        let last = reader.dimensions().end.0;
        f(Streamed::Sheet(name.clone(), (last > 0).then_some(last)));
        let next = || loop {
            let Some(cell) = reader.next_cell().map_err(|e| bad(&e))? else {
                return Ok(None);
            };
            let (r, c) = cell.get_position();
            let v = match cell.get_value() {
                DataRef::DateTime(dt) if !excel_date(dt) => Some(Cell::Number(dt.as_f64())),
                v => cell_of(v.clone()),
            };
            if let Some(v) = v {
                return Ok(Some((r, c, v)));
            }
        };
        super::stream::rows(next, &mut cells_seen, &limits, |item| {
            f(item);
            Ok(true)
        })?;
        f(Streamed::End(Vec::new()));
    }
    Ok(())
}

/// Whether Excel shows a date for this serial, which must then be calamine's date: from 0 to
/// 9999-12-31, serial 2,958,465 (1900 system) or 2,957,003 (1904), times of day included.
fn excel_date(dt: &ExcelDateTime) -> bool {
    let n = dt.as_f64();
    let kind = if dt.is_duration() {
        ExcelDateTimeType::TimeDelta
    } else {
        ExcelDateTimeType::DateTime
    };
    // calamine keeps the date system private; equality tells it.
    let is_1904 = *dt == ExcelDateTime::new(n, kind, true);
    let last_day = if is_1904 { 2_957_003.0 } else { 2_958_465.0 };
    n >= 0.0 && n.floor() <= last_day
}

/// Our reader gives what calamine gives (both failing counts as alike), as streamed and as
/// the heads of the sheets; the items seen.
pub(super) fn assert_like_calamine(path: &Path) -> Vec<Seen> {
    let (mut our_errors, mut their_errors) = (Vec::new(), Vec::new());
    let a = ours(path, &mut our_errors);
    let b = calamine(path, &mut their_errors);
    assert_eq!(
        a,
        b,
        "{}: our reader differs from calamine (our errors {our_errors:?}, calamine's {their_errors:?})",
        path.display()
    );
    for e in &our_errors {
        assert!(e.contains("Excel") || e.contains("文件"), "{e}");
    }
    // The heads: each worksheet's first rows, unless the stream stopped before its end.
    if a.last() == Some(&Seen::End) || a.is_empty() {
        let n = 3;
        let mut stream = XlsxStream::open_unchecked(path, &Limits::default()).unwrap();
        let heads = match stream.heads(n) {
            Ok(heads) => heads,
            Err(_) => panic!("{}: heads failed where the stream did not", path.display()),
        };
        let mut expected = Vec::new();
        for item in &a {
            match item {
                Seen::Sheet(name, _) => expected.push((name.clone(), Vec::new())),
                Seen::Row(i, cells) => {
                    let rows = &mut expected.last_mut().unwrap().1;
                    if rows.len() < n {
                        rows.push(Seen::Row(*i, cells.clone()));
                    }
                }
                _ => {}
            }
        }
        let got: Vec<_> = heads
            .into_iter()
            .map(|s| {
                let rows = s
                    .rows
                    .into_iter()
                    .map(|r| Seen::Row(r.index, format!("{:?}", r.cells)))
                    .collect::<Vec<_>>();
                (s.name, rows)
            })
            .collect();
        assert_eq!(got, expected, "{}: heads", path.display());
    }
    a
}

/// Rows seen, to be sure a comparison compared something.
fn rows(seen: &[Seen]) -> usize {
    seen.iter().filter(|s| matches!(s, Seen::Row(..))).count()
}

/// Every .xlsx among the real files people sent or published.
#[test]
fn real_fixtures_read_as_calamine_reads_them() {
    let mut checked = std::collections::BTreeSet::new();
    for dir in [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real"),
        Path::new("/work/shared/fixtures/real").to_path_buf(),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "xlsx") {
                let seen = assert_like_calamine(&path);
                assert!(rows(&seen) > 0, "{}", path.display());
                checked.insert(path.file_name().unwrap().to_owned());
            }
        }
    }
    assert!(checked.len() >= 10, "{checked:?}");
}
