//! The errors workbook: a copy of the user's workbook with each bad cell highlighted and
//! commented, and an error column, so the user fixes it in Excel and imports again.

use super::error_log::{column_number, WHOLE_ROW};
use super::import::ImportSummary;
use super::read::{Book, Cell};
use super::style::xerr;
use crate::error::Result;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, Note, Workbook};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// 0-based column of a letter reference (A → 0, AB → 27).
fn column_index(letters: &str) -> Option<u16> {
    column_number(letters).and_then(|v| u16::try_from(v).ok())
}

/// The row's note for a bad cell whose error is not listed (see `error_log`).
const UNLISTED: &str = "有误（同类错误过多，未逐条说明，见本列前面已说明的错误）";

pub fn write_errors_book(book: &Book, summary: &ImportSummary, out: &Path) -> Result<()> {
    let mut wb = Workbook::new();
    let bad = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xFFEB9C));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new()
        .set_text_wrap()
        .set_font_color(Color::RGB(0x9C0006));
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name).map_err(xerr)?;
        // (row, col) → messages; row → all messages of the row
        let mut cell_msgs: BTreeMap<(u32, u16), Vec<String>> = BTreeMap::new();
        let mut row_msgs: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for e in summary.errors.iter().filter(|e| e.sheet == sheet.name) {
            let r = e.row.saturating_sub(1);
            if let Some(c) = column_index(&e.column) {
                cell_msgs.entry((r, c)).or_default().push(e.message.clone());
                row_msgs
                    .entry(r)
                    .or_default()
                    .push(format!("{}列：{}", e.column, e.message));
            } else {
                row_msgs.entry(r).or_default().push(e.message.clone());
            }
        }
        // The bad cells beyond the listed errors: marked, their rows told, no note each.
        let mut unlisted: BTreeSet<(u32, u16)> = BTreeSet::new();
        if sheet.name == summary.sheet {
            for &(row, col) in &summary.error_marks {
                let r = row.saturating_sub(1);
                if col == WHOLE_ROW {
                    row_msgs
                        .entry(r)
                        .or_insert_with(|| vec![format!("整行{UNLISTED}")]);
                    continue;
                }
                let Ok(c) = u16::try_from(col) else { continue };
                if !cell_msgs.contains_key(&(r, c)) && unlisted.insert((r, c)) {
                    let letters = super::read::column_letter(col);
                    row_msgs
                        .entry(r)
                        .or_default()
                        .push(format!("{letters}列：{UNLISTED}"));
                }
            }
        }
        let marked = |r: u32, c: u16| cell_msgs.contains_key(&(r, c)) || unlisted.contains(&(r, c));
        let mut max_col: u16 = 0;
        for row in &sheet.rows {
            for (c, v) in &row.cells {
                let (r, c) = (row.index, *c as u16);
                max_col = max_col.max(c);
                let fmt = marked(r, c).then_some(&bad);
                match (v, fmt) {
                    (Cell::Text(s), Some(f)) => ws.write_string_with_format(r, c, s, f).map(|_| ()),
                    (Cell::Text(s), None) => ws.write_string(r, c, s).map(|_| ()),
                    (Cell::Number(n), Some(f)) => {
                        ws.write_number_with_format(r, c, *n, f).map(|_| ())
                    }
                    (Cell::Number(n), None) => ws.write_number(r, c, *n).map(|_| ()),
                    (Cell::Bool(b), _) => ws.write_boolean(r, c, *b).map(|_| ()),
                    (Cell::Date(y, m, d), f) => {
                        match ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8) {
                            Ok(dt) => ws
                                .write_datetime_with_format(r, c, &dt, f.unwrap_or(&date))
                                .map(|_| ()),
                            Err(_) => ws.write_string(r, c, format!("{y}-{m}-{d}")).map(|_| ()),
                        }
                    }
                    (Cell::Error(e), _) => ws.write_string(r, c, format!("#{e}")).map(|_| ()),
                }
                .map_err(xerr)?;
            }
        }
        // Cells that were empty but are in error (a required value missing).
        // (Rows are in sheet order: found by binary search.)
        for (r, c) in cell_msgs.keys().chain(unlisted.iter()) {
            let has_value = sheet
                .rows
                .binary_search_by_key(r, |row| row.index)
                .is_ok_and(|i| sheet.rows[i].get(*c as u32).is_some());
            if !has_value {
                ws.write_blank(*r, *c, &bad).map_err(xerr)?;
            }
        }
        for ((r, c), msgs) in &cell_msgs {
            let note = Note::new(msgs.join("\n"))
                .set_author("两新党建台账")
                .set_width(320)
                .set_height(120);
            ws.insert_note(*r, *c, &note).map_err(xerr)?;
        }
        for (first_row, first_col, last_row, last_col) in &sheet.merges {
            if (first_row, first_col) != (last_row, last_col) {
                let text = sheet
                    .rows
                    .iter()
                    .find(|r| r.index == *first_row)
                    .and_then(|r| r.get(*first_col))
                    .map(super::layout::cell_text)
                    .unwrap_or_default();
                let _ = ws.merge_range(
                    *first_row,
                    *first_col as u16,
                    *last_row,
                    *last_col as u16,
                    &text,
                    &Format::new(),
                );
            }
        }
        if sheet.name == summary.sheet && !row_msgs.is_empty() {
            let err_col = max_col + 1;
            ws.write_string_with_format(
                summary.header_row.saturating_sub(1),
                err_col,
                "错误说明",
                &header,
            )
            .map_err(xerr)?;
            ws.set_column_width(err_col, 60).map_err(xerr)?;
            for (r, msgs) in &row_msgs {
                ws.write_string_with_format(*r, err_col, msgs.join("；"), &wrap)
                    .map_err(xerr)?;
            }
        }
    }
    crate::private_files::prepare(out)?; // personal data: owner-only (Unix)
    wb.save(out).map_err(xerr)?;
    Ok(())
}

/// Write a workbook as read, unmarked (a plain copy; tests edit exports this way).
pub fn write_book(book: &Book, out: &Path) -> Result<()> {
    write_errors_book(book, &ImportSummary::default(), out)
}
