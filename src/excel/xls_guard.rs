//! A look at an .xls before calamine opens it. calamine parses every sheet of an .xls when it
//! opens the file and keeps each as a dense grid (first to last used cell, every cell in
//! between), reserving room for as many cells as a sheet's DIMENSIONS record claims. A tiny
//! hostile file naming cells A1 and IV65536 — or claiming four billion rows — would make it
//! allocate gigabytes. Here the workbook stream is walked the way calamine walks it and the
//! grids it would build are measured first.

use super::read::Limits;
use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// One BIFF record: type and data, with any CONTINUE records appended (as calamine reads them).
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, Vec<u8>);
    fn next(&mut self) -> Option<(u16, Vec<u8>)> {
        let (typ, data) = take(&mut self.stream)?;
        let mut data = data.to_vec();
        while self.stream.len() > 4 && u16_at(self.stream, 0) == 0x003C {
            let (_, more) = take(&mut self.stream)?;
            data.extend_from_slice(more);
        }
        Some((typ, data))
    }
}

fn take<'a>(stream: &mut &'a [u8]) -> Option<(u16, &'a [u8])> {
    if stream.len() < 4 {
        return None;
    }
    let typ = u16_at(stream, 0);
    let len = u16_at(stream, 2) as usize;
    let data = stream.get(4..4 + len)?;
    *stream = &stream[4 + len..];
    Some((typ, data))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .unwrap_or(0)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .unwrap_or(0)
}

/// The smallest rectangle holding some cells.
#[derive(Default)]
struct Bounds(Option<(u32, u32, u32, u32)>);

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        let b = self.0.get_or_insert((row, row, col, col));
        *b = (b.0.min(row), b.1.max(row), b.2.min(col), b.3.max(col));
    }
    fn area(&self) -> u64 {
        self.0
            .map(|(r0, r1, c0, c1)| (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64)
            .unwrap_or(0)
    }
}

/// What opening the sheet at `pos` would allocate, in cells: its grids, and the largest
/// room reserved from a DIMENSIONS record.
fn sheet_cells(stream: &[u8], pos: usize) -> (u64, u64) {
    let (mut cells, mut formulas) = (Bounds::default(), Bounds::default());
    let mut reserved: u64 = 0;
    for (typ, d) in (Records {
        stream: &stream[pos..],
    }) {
        let (row, col) = (u16_at(&d, 0) as u32, u16_at(&d, 2) as u32);
        match typ {
            0x0200 => {
                // DIMENSIONS, read as calamine reads it.
                let (rf, rl, mut cf, cl) = match d.len() {
                    10 => (row, col, u16_at(&d, 4) as u32, u16_at(&d, 6) as u32),
                    14 => (
                        u32_at(&d, 0),
                        u32_at(&d, 4),
                        u16_at(&d, 8) as u32,
                        u16_at(&d, 10) as u32,
                    ),
                    _ => continue,
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let rows = (rl as u64 - 1).saturating_sub(rf as u64) + 1;
                    let cols = (cl as u64 - 1).saturating_sub(cf as u64) + 1;
                    reserved = reserved.max(rows.saturating_mul(cols));
                }
            }
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD if d.len() >= 4 => cells.add(row, col),
            0x0006 if d.len() >= 4 => {
                cells.add(row, col);
                formulas.add(row, col);
            }
            0x00BD if d.len() >= 6 => {
                // MULRK: one row, columns first..=last (the last is the record's final u16).
                let last = u16_at(&d, d.len() - 2) as u32;
                cells.add(row, col);
                cells.add(row, last.max(col));
            }
            0x000A => break,
            _ => {}
        }
    }
    (cells.area() + formulas.area(), reserved)
}

fn too_big(limit: usize) -> Error {
    Error::BadFile(format!(
        "这个 .xls 文件声明的表格范围过大（超过 {limit} 个单元格），疑似损坏或恶意构造，已拒绝：请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"
    ))
}

/// Refuse an .xls whose sheets calamine would hold as grids of more than `limits.max_xls_cells`
/// cells in all, or that points at sheets outside its workbook stream.
pub(super) fn check_xls(path: &Path, limits: &Limits) -> Result<()> {
    let unreadable = || {
        Error::BadFile(
            "无法读取这个 .xls 文件（不是完整的 Excel 97-2003 工作簿）：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入".into(),
        )
    };
    let mut cfb = cfb::open(path).map_err(|_| unreadable())?;
    let mut stream = Vec::new();
    let opened = cfb
        .open_stream("/Workbook")
        .or_else(|_| cfb.open_stream("/Book"));
    let Ok(s) = opened else {
        return Err(unreadable());
    };
    s.take(limits.max_file_bytes)
        .read_to_end(&mut stream)
        .map_err(|_| unreadable())?;
    let mut sheets = Vec::new();
    for (typ, d) in (Records { stream: &stream }) {
        match typ {
            0x0085 => sheets.push(u32_at(&d, 0) as usize), // BOUNDSHEET: where the sheet starts
            0x000A => break,
            _ => {}
        }
    }
    let limit = limits.max_xls_cells as u64;
    let mut total: u64 = 0;
    for pos in sheets {
        if pos > stream.len() {
            return Err(unreadable());
        }
        let (cells, reserved) = sheet_cells(&stream, pos);
        total = total.saturating_add(cells);
        if total > limit || reserved > limit {
            return Err(too_big(limits.max_xls_cells));
        }
    }
    Ok(())
}
