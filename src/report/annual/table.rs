//! Writing the tables every sheet is made of, in the look of our template exports: the title
//! and 填报单位 rows, one- or two-row headers, rows whose height fits wrapped Chinese, the 说明
//! and 制表人 footer, and page breaks that keep a block of rows on one printed page.

use super::figures::{cn_date, fill_title, Ctx, Val};
use super::ReportColumn;
use crate::error::Result;
use crate::excel::style;
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Worksheet};

pub(super) use crate::excel::style::xerr;

/// The look of our template exports ([`style::Formats`]: 宋体 10.5, bold grey bordered header,
/// 小标宋 title), with the variants a report needs: figures, rates, 合计 rows, sections, notes.
pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) info: Format,
    pub(super) info_center: Format,
    pub(super) info_right: Format,
    pub(super) section: Format,
    pub(super) header: Format,
    pub(super) text: Format,
    pub(super) center: Format,
    pub(super) seq: Format,
    pub(super) num: Format,
    pub(super) pct: Format,
    pub(super) date: Format,
    pub(super) total_text: Format,
    pub(super) total_num: Format,
    pub(super) total_pct: Format,
    pub(super) label: Format,
    pub(super) note: Format,
}

impl Formats {
    pub(super) fn new() -> Self {
        let style::Formats {
            title,
            info,
            info_right,
            header,
            cell: plain,
            date,
            ..
        } = style::Formats::new();
        let cell = || plain.clone();
        let total = |f: Format| f.set_bold().set_background_color(style::SHADE);
        Formats {
            title,
            info_center: info.clone().set_align(FormatAlign::Center),
            info_right,
            info,
            section: style::font(Format::new()).set_bold().set_font_size(12),
            header,
            text: cell().set_text_wrap(),
            center: cell().set_align(FormatAlign::Center),
            seq: cell().set_align(FormatAlign::Center).set_num_format("0"),
            num: cell().set_num_format("0"),
            pct: cell().set_num_format("0.00%"),
            // Centred both ways, as every cell of the report's taller rows.
            date: date.set_align(FormatAlign::VerticalCenter),
            total_text: total(cell().set_align(FormatAlign::Center)),
            total_num: total(cell().set_num_format("0")),
            total_pct: total(cell().set_num_format("0.00%")),
            label: cell().set_bold().set_align(FormatAlign::Center),
            note: style::font(Format::new())
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        }
    }
}

const LINE_PT: f64 = 14.5;

/// Display width in Excel character units: CJK characters take two.
fn text_units(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.0 })
        .sum()
}

/// Lines a wrapped text takes in a column `width` characters wide, as Excel lays it out at
/// 96 dpi: a column is 7 pixels per character plus 5, a 10.5 pt CJK character 14 pixels wide.
pub(super) fn lines_in(s: &str, width: f64) -> usize {
    let cap = ((width * 7.0 + 1.0) / 14.0).floor().max(1.0) * 14.0;
    s.split('\n')
        .map(|line| {
            let px: f64 = line
                .chars()
                .map(|c| if c.is_ascii() { 7.5 } else { 14.0 })
                .sum();
            ((px / cap).ceil() as usize).max(1)
        })
        .sum()
}

pub(super) fn height_for(lines: usize) -> f64 {
    (lines as f64 * LINE_PT + 5.0).max(18.0)
}

pub(super) fn width_of(c: &ReportColumn) -> f64 {
    c.width
        .unwrap_or_else(|| (text_units(&c.header) * 1.1).clamp(8.0, 40.0))
}

/// Merge a range, or write one cell when the range is a single cell.
pub(super) fn merge(
    ws: &mut Worksheet,
    r: (u32, u32),
    c: (u16, u16),
    s: &str,
    f: &Format,
) -> Result<()> {
    if r.0 == r.1 && c.0 == c.1 {
        ws.write_string_with_format(r.0, c.0, s, f).map_err(xerr)?;
    } else {
        ws.merge_range(r.0, c.0, r.1, c.1, s, f).map_err(xerr)?;
    }
    Ok(())
}

/// Everything about a sheet that comes before its rows (rows may be streamed).
pub(super) fn setup(ws: &mut Worksheet, name: &str, widths: &[f64]) -> Result<()> {
    ws.set_name(name).map_err(xerr)?;
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w).map_err(xerr)?;
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Title (row 0) and 填报单位 / 统计截止日期 / 填报日期 (row 1) across `n` columns.
pub(super) fn write_top(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    title: &str,
    n: u16,
) -> Result<()> {
    let last = n.saturating_sub(1);
    merge(ws, (0, 0), (0, last), &fill_title(title, ctx), &f.title)?;
    ws.set_row_height(0, 36).map_err(xerr)?;
    let unit = format!("填报单位：{}", ctx.meta.report_unit);
    let as_of = format!("统计截止日期：{}", cn_date(ctx.l.as_of));
    let date = format!("填报日期：{}", cn_date(ctx.meta.date));
    ws.set_row_height(1, 22).map_err(xerr)?;
    if n < 3 {
        let all = format!("{unit}　{as_of}　{date}");
        return merge(ws, (1, 1), (0, last), &all, &f.info);
    }
    let a = (n / 3).max(1) - 1;
    let b = (2 * n / 3).max(a + 2) - 1;
    merge(ws, (1, 1), (0, a), &unit, &f.info)?;
    merge(ws, (1, 1), (a + 1, b), &as_of, &f.info_center)?;
    merge(ws, (1, 1), (b + 1, last), &date, &f.info_right)
}

/// The header of a table at `row`: one row, or two when columns are grouped. Returns the rows
/// used and their height.
pub(super) fn write_header(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    col0: u16,
    cols: &[ReportColumn],
) -> Result<(u32, f64)> {
    let grouped = cols.iter().any(|c| c.group.is_some());
    let lines = |c: &ReportColumn, both: bool| {
        let l = lines_in(&c.header, width_of(c));
        if both {
            l.div_ceil(2)
        } else {
            l
        }
    };
    if !grouped {
        let max = cols.iter().map(|c| lines(c, false)).max().unwrap_or(1);
        let h = height_for(max).max(30.0);
        ws.set_row_height(row, h).map_err(xerr)?;
        for (i, c) in cols.iter().enumerate() {
            ws.write_string_with_format(row, col0 + i as u16, &c.header, &f.header)
                .map_err(xerr)?;
        }
        return Ok((1, h));
    }
    let sub = cols
        .iter()
        .map(|c| {
            if c.group.is_some() {
                lines(c, false)
            } else {
                lines(c, true)
            }
        })
        .max()
        .unwrap_or(1);
    let h = height_for(sub).max(30.0);
    ws.set_row_height(row, 22).map_err(xerr)?;
    ws.set_row_height(row + 1, h).map_err(xerr)?;
    let mut i = 0;
    while i < cols.len() {
        let c = col0 + i as u16;
        match &cols[i].group {
            None => {
                merge(ws, (row, row + 1), (c, c), &cols[i].header, &f.header)?;
                i += 1;
            }
            Some(g) => {
                let mut j = i;
                while j + 1 < cols.len() && cols[j + 1].group.as_ref() == Some(g) {
                    j += 1;
                }
                merge(ws, (row, row), (c, col0 + j as u16), g, &f.header)?;
                for (k, col) in cols.iter().enumerate().take(j + 1).skip(i) {
                    ws.write_string_with_format(row + 1, col0 + k as u16, &col.header, &f.header)
                        .map_err(xerr)?;
                }
                i = j + 1;
            }
        }
    }
    Ok((2, 22.0 + h))
}

pub(super) fn write_val(
    ws: &mut Worksheet,
    f: &Formats,
    r: u32,
    c: u16,
    v: &Val,
    total: bool,
) -> Result<()> {
    let pick = |plain: &Format, bold: &Format| if total { bold.clone() } else { plain.clone() };
    match v {
        Val::Blank => ws.write_blank(r, c, &pick(&f.text, &f.total_text)),
        Val::Text(s) => ws.write_string_with_format(r, c, s, &pick(&f.text, &f.total_text)),
        Val::Dash => ws.write_string_with_format(r, c, "—", &pick(&f.center, &f.total_text)),
        Val::Seq(n) => ws.write_number_with_format(r, c, *n as f64, &f.seq),
        Val::Num(n) => ws.write_number_with_format(r, c, *n, &pick(&f.num, &f.total_num)),
        Val::Rate(x) => ws.write_number_with_format(r, c, *x, &pick(&f.pct, &f.total_pct)),
        Val::Date(d) => {
            match ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8) {
                Ok(dt) => ws.write_datetime_with_format(r, c, &dt, &f.date),
                Err(_) => ws.write_string_with_format(r, c, d.to_string(), &f.text),
            }
        }
    }
    .map_err(xerr)?;
    Ok(())
}

/// Write one table row, its height fitted to wrapped text; returns the height.
pub(super) fn write_row(
    ws: &mut Worksheet,
    f: &Formats,
    r: u32,
    col0: u16,
    widths: &[f64],
    vals: &[Val],
    total: bool,
) -> Result<f64> {
    let lines = vals
        .iter()
        .zip(widths)
        .map(|(v, w)| match v {
            Val::Text(s) => lines_in(s, *w),
            _ => 1,
        })
        .max()
        .unwrap_or(1);
    let h = height_for(lines);
    ws.set_row_height(r, h).map_err(xerr)?;
    for (i, v) in vals.iter().enumerate() {
        write_val(ws, f, r, col0 + i as u16, v, total)?;
    }
    Ok(h)
}

/// 说明 lines and the 制表人 line from `row` on, across `n` columns; returns the next row.
pub(super) fn write_footer(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    mut row: u32,
    widths: &[f64],
    lines: &[String],
    mut pages: Option<&mut Pages>,
) -> Result<u32> {
    let n = widths.len().max(1) as u16;
    let total: f64 = widths.iter().sum();
    let mut all: Vec<String> = lines.to_vec();
    all.extend(ctx.incomplete_note());
    if !all.is_empty() {
        for (i, line) in all.iter().enumerate() {
            let head = if i == 0 { "说明：" } else { "　　　" };
            let s = format!("{head}{}. {line}", i + 1);
            let h = height_for(lines_in(&s, total));
            ws.set_row_height(row, h).map_err(xerr)?;
            if let Some(p) = pages.as_deref_mut() {
                p.keep(row, h);
            }
            merge(ws, (row, row), (0, n - 1), &s, &f.note)?;
            row += 1;
        }
    }
    row += 1;
    ws.set_row_height(row, 22).map_err(xerr)?;
    if let Some(p) = pages {
        p.keep(row - 1, 15.0 + 22.0);
    }
    let half = (n / 2).max(1) - 1;
    let who = format!("制表人：{}", ctx.meta.preparer);
    merge(ws, (row, row), (0, half), &who, &f.info)?;
    if half + 1 < n {
        let when = format!("填报日期：{}", cn_date(ctx.meta.date));
        merge(ws, (row, row), (half + 1, n - 1), &when, &f.info_right)?;
    }
    Ok(row + 1)
}

/// Where printed pages break, so that a block of rows is not split between two pages (A4
/// landscape, the sheet fitted to the page width).
pub(super) struct Pages {
    limit: f64,
    pub(super) used: f64,
    pub(super) breaks: Vec<u32>,
}

impl Pages {
    pub(super) fn new(widths: &[f64]) -> Pages {
        // Column widths in pixels (7 per character plus padding), against the printable width
        // of A4 landscape at 96 dpi; a sheet wider than the page is printed smaller.
        let px: f64 = widths.iter().map(|w| w * 7.0 + 5.0).sum();
        let printable_px = (297.0 / 25.4 - 0.8) * 96.0;
        let scale = (printable_px / px).min(1.0);
        // Printable height in points, with room to spare for the footer.
        Pages {
            limit: 500.0 / scale,
            used: 0.0,
            breaks: Vec::new(),
        }
    }

    /// Rows from `row` on, `height` points tall, that should stay on one page.
    pub(super) fn keep(&mut self, row: u32, height: f64) {
        if self.used > 0.0 && self.used + height > self.limit {
            self.breaks.push(row);
            self.used = 0.0;
        }
        self.used += height;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_estimated_for_chinese() {
        assert_eq!(lines_in("十个字十个字十个字十", 21.0), 1);
        assert_eq!(lines_in("十个字十个字十个字十", 11.0), 2);
        assert_eq!(lines_in("a\nb", 10.0), 2);
    }
}
