//! Reading .xlsx and .xls safely: size, zip-entry and cell-count limits are checked before
//! and while parsing, so a hostile or broken file gets a clear error, never a crash or an
//! exhausted memory.

use crate::error::{Error, Result};
use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use std::io::{BufReader, Read};
use std::path::Path;

/// Limits for untrusted files.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_zip_entries: usize,
    /// Sum of the declared uncompressed sizes of all zip entries.
    pub max_unzipped_bytes: u64,
    /// Largest compression ratio accepted for a big entry (zip bombs compress 1000:1).
    pub max_ratio: u64,
    pub max_cells: usize,
    /// Largest grid, in cells, an .xls may make calamine build (it holds every sheet of an
    /// .xls densely, from the first to the last used cell; see `xls_guard`).
    pub max_xls_cells: usize,
    /// Largest shared-strings table (`xl/sharedStrings.xml`) an .xlsx may make us hold, in
    /// bytes of text plus `STRING_OVERHEAD` per string. The table is held whole while the
    /// sheets are read (every cell refers into it); a file of 10 million tiny strings would
    /// otherwise take over 500 MB before its first row. 256 MiB holds a city's roster's
    /// strings many times over (100,000 members × 16 columns, all distinct: about 90 MiB).
    pub max_strings_bytes: u64,
    /// How many rows that failed an .xlsx import's first pass are kept for its retries (about
    /// 1 KiB each for a roster's row). A retry helps when a row names one further down (a
    /// branch before its 上级党组织); past this the failed rows are read again from the file,
    /// and only when a retry can happen — not when every row failed (a file of the wrong kind).
    pub max_failed_rows_kept: usize,
}

/// What one shared string costs beside its text: the `String` itself (24 bytes) and the
/// allocator's rounding of its text.
pub const STRING_OVERHEAD: u64 = 32;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 100 * 1024 * 1024,
            max_zip_entries: 5_000,
            max_unzipped_bytes: 1024 * 1024 * 1024,
            max_ratio: 200,
            max_cells: 20_000_000,
            // 65,536 rows (all an .xls has) × 45 columns; ~100 MiB of cells in calamine.
            max_xls_cells: 3_000_000,
            max_strings_bytes: 256 * 1024 * 1024,
            max_failed_rows_kept: 20_000,
        }
    }
}

/// A cell value as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date (or date-time) cell: year, month, day.
    Date(i32, u32, u32),
    /// An Excel error such as #N/A.
    Error(String),
}

/// One non-empty row: its 0-based sheet row and its cells by 0-based column, sorted.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub index: u32,
    pub cells: Vec<(u32, Cell)>,
}

impl Row {
    pub fn get(&self, col: u32) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

/// A merged range: first row, first column, last row, last column (0-based).
pub type Merge = (u32, u32, u32, u32);

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
    pub merges: Vec<Merge>,
}

#[derive(Debug, Clone)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

/// The spreadsheet letter(s) of a 0-based column: 0 → A, 27 → AB.
pub fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

pub(super) enum Format {
    Xlsx,
    Xls,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(super) fn sniff(path: &Path, limits: &Limits) -> Result<Format> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::BadFile(format!(
            "无法打开文件 {}：{}",
            path.display(),
            crate::error::io_meaning(&e)
        ))
    })?;
    if meta.len() > limits.max_file_bytes {
        return Err(Error::BadFile(format!(
            "文件有 {} MB，超过导入上限 {} MB：请拆分成几个文件再导入",
            meta.len() / (1024 * 1024),
            limits.max_file_bytes / (1024 * 1024)
        )));
    }
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)?.take(8).read_to_end(&mut head)?;
    if head.starts_with(ZIP_MAGIC) {
        Ok(Format::Xlsx)
    } else if head.starts_with(OLE_MAGIC) {
        if ole_is_encrypted(path)? {
            return Err(encrypted());
        }
        Ok(Format::Xls)
    } else {
        Err(Error::BadFile(
            "这不是 Excel 文件（.xlsx 或 .xls）：如果是 CSV 或 WPS 表格，请在 Excel/WPS 中另存为 .xlsx 后再导入".into(),
        ))
    }
}

fn encrypted() -> Error {
    Error::BadFile(
        "文件设置了打开密码（已加密）：请在 Excel 或 WPS 中取消密码、另存后再导入".into(),
    )
}

/// An encrypted .xlsx is an OLE container holding an `EncryptedPackage` stream.
fn ole_is_encrypted(path: &Path) -> Result<bool> {
    let bytes = std::fs::read(path)?;
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    Ok(bytes.windows(needle.len()).any(|w| w == needle.as_slice()))
}

/// Check a zip's central directory before anything is decompressed.
pub(super) fn check_zip(path: &Path, limits: &Limits) -> Result<()> {
    let file = std::fs::File::open(path)?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|_| {
        Error::BadFile(
            "文件已损坏（不是完整的 .xlsx 压缩包）：请用 Excel 打开确认后重新保存".into(),
        )
    })?;
    if zip.len() > limits.max_zip_entries {
        return Err(Error::BadFile(format!(
            "文件内部条目过多（{} 个），不像正常的 Excel 文件，已拒绝",
            zip.len()
        )));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|_| Error::BadFile("文件已损坏（压缩包目录无法读取）".into()))?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > 10 * 1024 * 1024 && size / packed > limits.max_ratio {
            return Err(Error::BadFile(format!(
                "文件中的“{}”解压后达 {} MB（压缩比 {}:1），疑似恶意构造的文件，已拒绝",
                entry.name(),
                size / (1024 * 1024),
                size / packed
            )));
        }
    }
    if total > limits.max_unzipped_bytes {
        return Err(Error::BadFile(format!(
            "文件解压后超过 {} MB，已拒绝",
            limits.max_unzipped_bytes / (1024 * 1024)
        )));
    }
    Ok(())
}

pub(super) fn cell_of(d: DataRef<'_>) -> Option<Cell> {
    Some(match d {
        DataRef::Empty => return None,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(dt) => date_cell(&dt),
        DataRef::Error(e) => Cell::Error(format!("{e:?}")),
    })
}

/// A date-formatted cell as Excel shows it: a serial outside 0 … 9999-12-31 (negative, NaN,
/// or past the year 9999 in either date system) stays a number, as in the streamed reader
/// (`sheet_xml`); calamine's conversion would make up a date or, past `u64` days, overflow —
/// a panic in debug builds.
fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    let n = dt.as_f64();
    // calamine does not say which date system the serial is in: test the 1900 system's
    // (the longer) range, and the year below catches the end of 1904's.
    if !super::sheet_xml::shown_as_date(n, false) {
        return Cell::Number(n);
    }
    match dt.to_ymd_hms_milli() {
        (y, m, d, ..) if y <= 9999 => Cell::Date(y as i32, m as u32, d as u32),
        _ => Cell::Number(n),
    }
}

fn owned(d: &Data) -> Option<Cell> {
    Some(match d {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::Error(e) => Cell::Error(format!("{e:?}")),
    })
}

fn push_cell(rows: &mut Vec<Row>, r: u32, c: u32, cell: Cell) {
    if rows.last().is_none_or(|last| last.index != r) {
        rows.push(Row {
            index: r,
            cells: Vec::new(),
        });
    }
    if let Some(last) = rows.last_mut() {
        last.cells.push((c, cell));
    }
}

pub(super) fn too_many_cells(limits: &Limits) -> Error {
    Error::BadFile(format!(
        "表格超过 {} 个单元格，已拒绝：请拆分后再导入",
        limits.max_cells
    ))
}

pub(super) fn too_many_strings(limits: &Limits) -> Error {
    Error::BadFile(format!(
        "表格的共享字符串表超过 {} MB，已拒绝（文件中的文字过多，或文件有意构造得过大）：\
         请拆分表格，或在 Excel 中另存为新的 .xlsx 后再导入",
        limits.max_strings_bytes / (1024 * 1024)
    ))
}

fn finish_sheet(name: String, mut rows: Vec<Row>, merges: Vec<Merge>) -> Sheet {
    // Cells normally arrive in order; sort anyway so lookups by column can bisect.
    rows.sort_by_key(|r| r.index);
    let mut merged: Vec<Row> = Vec::with_capacity(rows.len());
    for r in rows {
        match merged.last_mut() {
            Some(last) if last.index == r.index => last.cells.extend(r.cells),
            _ => merged.push(r),
        }
    }
    for r in &mut merged {
        r.cells.sort_by_key(|(c, _)| *c);
    }
    Sheet {
        name,
        rows: merged,
        merges,
    }
}

pub(super) fn bad(e: &dyn std::fmt::Display) -> Error {
    Error::BadFile(format!(
        "无法读取 Excel 文件：{e}。请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入"
    ))
}

/// Open and read every sheet of a workbook within the limits.
pub fn read_book(path: &Path, limits: &Limits) -> Result<Book> {
    let format = sniff(path, limits)?;
    let mut sheets = Vec::new();
    let mut cells_seen = 0usize;
    match format {
        Format::Xlsx => {
            check_zip(path, limits)?;
            let mut wb: Xlsx<_> = calamine::open_workbook(path).map_err(|e| bad(&e))?;
            for name in wb.sheet_names() {
                let merges = match wb.worksheet_merge_cells(&name) {
                    Some(Ok(dims)) => dims
                        .iter()
                        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                        .collect(),
                    _ => Vec::new(),
                };
                let mut rows: Vec<Row> = Vec::new();
                let mut reader = match wb.worksheet_cells_reader(&name) {
                    Ok(r) => r,
                    Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                    Err(e) => return Err(bad(&e)),
                };
                while let Some(cell) = reader.next_cell().map_err(|e| bad(&e))? {
                    let (r, c) = cell.get_position();
                    if let Some(v) = cell_of(cell.get_value().clone()) {
                        cells_seen += 1;
                        if cells_seen > limits.max_cells {
                            return Err(too_many_cells(limits));
                        }
                        push_cell(&mut rows, r, c, v);
                    }
                }
                drop(reader);
                sheets.push(finish_sheet(name, rows, merges));
            }
        }
        Format::Xls => {
            super::xls_guard::check_xls(path, limits)?;
            let mut wb: Xls<_> = calamine::open_workbook(path).map_err(|e| match e {
                calamine::XlsError::Password => encrypted(),
                other => bad(&other),
            })?;
            for name in wb.sheet_names() {
                let merges = wb
                    .worksheet_merge_cells(&name)
                    .unwrap_or_default()
                    .iter()
                    .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                    .collect();
                let range = wb.worksheet_range(&name).map_err(|e| bad(&e))?;
                let mut rows: Vec<Row> = Vec::new();
                for (r, c, v) in range.used_cells() {
                    if let Some(cell) = owned(v) {
                        cells_seen += 1;
                        if cells_seen > limits.max_cells {
                            return Err(too_many_cells(limits));
                        }
                        let (r0, c0) = range.start().unwrap_or((0, 0));
                        push_cell(&mut rows, r0 + r as u32, c0 + c as u32, cell);
                    }
                }
                sheets.push(finish_sheet(name, rows, merges));
            }
        }
    }
    Ok(Book { sheets })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
    }

    /// Serials Excel cannot show as dates stay numbers when a workbook is read whole too (out
    /// of order, .xls), as when it is streamed — and never panic.
    #[test]
    fn whole_reads_keep_impossible_dates_as_numbers() {
        use calamine::{ExcelDateTime, ExcelDateTimeType::DateTime};
        for (n, is_1904) in [
            (1e300, false),
            (-1e20, false),
            (-0.5, false),
            (3e6, false),
            (f64::NAN, false),
            (f64::INFINITY, false),
            (2_958_466.0, false),
            (2_957_004.0, true),
        ] {
            let dt = ExcelDateTime::new(n, DateTime, is_1904);
            assert!(matches!(date_cell(&dt), Cell::Number(_)), "{n} {is_1904}");
        }
        let last = ExcelDateTime::new(2_958_465.5, DateTime, false);
        assert!(matches!(date_cell(&last), Cell::Date(9999, 12, 31)));
        let last_1904 = ExcelDateTime::new(2_957_003.0, DateTime, true);
        assert!(matches!(date_cell(&last_1904), Cell::Date(9999, 12, 31)));
        let day = ExcelDateTime::new(45943.5, DateTime, false);
        assert!(matches!(date_cell(&day), Cell::Date(2025, 10, 13)));
    }
}
