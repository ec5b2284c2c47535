//! Reading an .xlsx row by row, so that an import can work on the first rows while the rest
//! are still being parsed. Rows must come in sheet order (Excel and WPS write them so); a file
//! whose cells are out of order is reported as such and read whole instead (`read::read_book`).

use super::book_xml::Package;
use super::read::{check_zip, too_many_cells, Cell, Limits, Merge, Row, Sheet};
use super::sheet_xml::SheetCells;
use crate::error::Result;
use calamine::Xlsx;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// One step of a streamed workbook.
pub(super) enum Streamed {
    /// A worksheet begins: its name and the last row its `<dimension>` claims (if any).
    Sheet(String, Option<u32>),
    Row(Row),
    /// The worksheet ended: its merged ranges.
    End(Vec<Merge>),
}

/// Why streaming stopped early.
pub(super) enum Stop {
    /// Cells out of sheet order: read the file whole instead.
    Unordered,
    /// The consumer has gone (it failed, or has what it needs).
    Consumer,
    Failed(crate::error::Error),
}

impl From<crate::error::Error> for Stop {
    fn from(e: crate::error::Error) -> Self {
        Stop::Failed(e)
    }
}

/// An .xlsx read sheet by sheet, row by row, with our own reader (`book_xml`, `sheet_xml`):
/// the cells calamine's cell reader gives (`stream_tests` compares them), in under half its
/// time (a 100,000-row roster's reader thread: 1.0 → 0.46 s).
pub(super) struct XlsxStream {
    path: std::path::PathBuf,
    pkg: Package,
    limits: Limits,
    cells_seen: usize,
}

impl XlsxStream {
    /// Open an .xlsx already sniffed as a zip; the zip directory is checked first.
    pub(super) fn open(path: &Path, limits: &Limits) -> Result<XlsxStream> {
        // Under test, every workbook streamed is also read with calamine and compared.
        #[cfg(test)]
        super::stream_tests::assert_like_calamine(path);
        Self::open_unchecked(path, limits)
    }

    /// `open`, without the comparison made under test.
    pub(super) fn open_unchecked(path: &Path, limits: &Limits) -> Result<XlsxStream> {
        check_zip(path, limits)?;
        let pkg = Package::open(path, limits)?;
        Ok(XlsxStream {
            path: path.to_path_buf(),
            pkg,
            limits: limits.clone(),
            cells_seen: 0,
        })
    }

    /// The sheets' names, in workbook order (worksheets or not).
    fn names(&self) -> Vec<String> {
        self.pkg.sheets.iter().map(|s| s.name.clone()).collect()
    }

    /// The first `n` rows of every worksheet (enough to find each one's header), or
    /// `Unordered`. Only the start of each sheet is decompressed.
    pub(super) fn heads(&mut self, n: usize) -> Result<Vec<Sheet>, Stop> {
        let mut out = Vec::new();
        for name in self.names() {
            let mut rows: Vec<Row> = Vec::new();
            let mut cells = 0usize;
            let found = read_rows(&mut self.pkg, &name, &mut cells, &self.limits, |item| {
                if let Streamed::Row(row) = item {
                    rows.push(row);
                }
                Ok(rows.len() <= n)
            })?;
            if found.is_some() {
                rows.truncate(n);
                out.push(Sheet {
                    name,
                    rows,
                    merges: Vec::new(),
                });
            }
        }
        Ok(out)
    }

    /// Every worksheet, announced, row by row, and ended, to `f` (which returns false to stop).
    pub(super) fn stream(&mut self, mut f: impl FnMut(Streamed) -> bool) -> Result<(), Stop> {
        // The merged ranges are searched for beside the parse, on a thread of their own.
        let path = self.path.clone();
        // Only when that search fails (an unusual package) is calamine asked.
        let mut calamine: Option<Option<Xlsx<BufReader<File>>>> = None;
        std::thread::scope(|scope| {
            let found = scope.spawn(move || super::merges::scan(&path));
            let mut found = Some(found);
            let mut merges = None;
            let path = self.path.clone();
            self.stream_with(&mut f, |name| {
                if let Some(handle) = found.take() {
                    merges = handle.join().ok().flatten();
                }
                match merges.as_mut().and_then(|m| m.remove(name)) {
                    Some(m) => m,
                    None => calamine
                        .get_or_insert_with(|| calamine::open_workbook(&path).ok())
                        .as_mut()
                        .map(|wb| calamine_merges(wb, name))
                        .unwrap_or_default(),
                }
            })
        })
    }

    pub(super) fn stream_with(
        &mut self,
        f: &mut impl FnMut(Streamed) -> bool,
        mut merges_of: impl FnMut(&str) -> Vec<Merge>,
    ) -> Result<(), Stop> {
        let limits = self.limits.clone();
        for name in self.names() {
            let found = read_rows(
                &mut self.pkg,
                &name,
                &mut self.cells_seen,
                &limits,
                |item| Ok(f(item)),
            )?;
            match found {
                None => continue,
                Some(false) => return Err(Stop::Consumer),
                Some(true) => {}
            }
            let merges = merges_of(&name);
            if !f(Streamed::End(merges)) {
                return Err(Stop::Consumer);
            }
        }
        Ok(())
    }
}

/// Merged ranges as calamine reads them (parsing the sheet's XML again).
fn calamine_merges(wb: &mut Xlsx<BufReader<File>>, name: &str) -> Vec<Merge> {
    match wb.worksheet_merge_cells(name) {
        Some(Ok(dims)) => dims
            .iter()
            .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
            .collect(),
        _ => Vec::new(),
    }
}

/// Stream one sheet (announced, then its rows in order) to `f` (false: stop). `Ok(None)` when
/// the sheet is not a worksheet, `Ok(Some(false))` when `f` stopped, `Err(Unordered)` on
/// cells out of order.
fn read_rows(
    pkg: &mut Package,
    name: &str,
    cells_seen: &mut usize,
    limits: &Limits,
    mut f: impl FnMut(Streamed) -> Result<bool>,
) -> Result<Option<bool>, Stop> {
    // The first sheet of that name, as calamine finds it.
    let index = pkg
        .sheets
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_default();
    let Some(mut cells) = SheetCells::open(pkg, index)? else {
        return Ok(None);
    };
    let last = cells.last_row();
    if !f(Streamed::Sheet(
        name.to_string(),
        (last > 0).then_some(last),
    ))? {
        return Ok(Some(false));
    }
    rows(|| cells.next_cell(), cells_seen, limits, f)
}

/// A sheet's cells, in document order, gathered into rows for `f`.
pub(super) fn rows(
    mut next_cell: impl FnMut() -> Result<Option<(u32, u32, Cell)>>,
    cells_seen: &mut usize,
    limits: &Limits,
    mut f: impl FnMut(Streamed) -> Result<bool>,
) -> Result<Option<bool>, Stop> {
    let mut current: Option<Row> = None;
    let mut width = 0;
    while let Some((r, c, v)) = next_cell()? {
        *cells_seen += 1;
        if *cells_seen > limits.max_cells {
            return Err(Stop::Failed(too_many_cells(limits)));
        }
        match current.as_mut() {
            Some(row) if row.index == r => {
                if row.cells.last().is_some_and(|(last, _)| *last >= c) {
                    return Err(Stop::Unordered);
                }
                row.cells.push((c, v));
            }
            Some(row) if row.index > r => return Err(Stop::Unordered),
            _ => {
                if let Some(done) = current.take() {
                    width = done.cells.len();
                    if !f(Streamed::Row(done))? {
                        return Ok(Some(false));
                    }
                }
                // Rows of a table have as many cells as the one before, as a rule.
                let mut cells = Vec::with_capacity(width.max(1));
                cells.push((c, v));
                current = Some(Row { index: r, cells });
            }
        }
    }
    if let Some(done) = current {
        if !f(Streamed::Row(done))? {
            return Ok(Some(false));
        }
    }
    Ok(Some(true))
}
