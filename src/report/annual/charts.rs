//! The chart sheet: each chart beside the small table it plots, as native Excel charts.

use super::figures::{area_value, quarter_value, text, Ctx, Val};
use super::layout::is_rate_key;
use super::table::{merge, setup, write_footer, write_header, write_top, write_val, xerr, Formats};
use super::{ChartKind, ChartSource, ReportChart, ReportColumn, ReportSheet};
use crate::error::Result;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartEmptyCells, ChartFont, ChartLegendPosition, ChartMarker, Worksheet,
};

/// Chart size in pixels, and the rows it takes at the rows' height.
const CHART_W: u32 = 680;
const CHART_H: u32 = 340;
const CHART_COLS: u16 = 10;

/// One chart's table: (category, values per series).
fn chart_rows(ctx: &Ctx, c: &ReportChart) -> Vec<(String, Vec<Val>)> {
    match c.source {
        ChartSource::Areas => {
            let rows = if c.include_total {
                &ctx.s.by_area[..]
            } else {
                ctx.s.areas()
            };
            rows.iter()
                .map(|a| {
                    let vals = c.series.iter().map(|s| area_value(a, &s.key)).collect();
                    (a.area.clone(), vals)
                })
                .collect()
        }
        ChartSource::Quarters => ctx
            .s
            .meetings
            .iter()
            .map(|q| {
                let vals = c.series.iter().map(|s| quarter_value(q, s)).collect();
                (q.label.clone(), vals)
            })
            .collect(),
    }
}

/// Returns the number of charts inserted.
pub(super) fn charts_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    sheet: &ReportSheet,
) -> Result<usize> {
    let table_cols = sheet
        .charts
        .iter()
        .map(|c| c.series.len() + 1)
        .max()
        .unwrap_or(1) as u16;
    let mut widths = vec![18.0];
    widths.resize(table_cols as usize, 12.0);
    widths.push(2.0);
    widths.resize((table_cols + 1 + CHART_COLS) as usize, 8.43);
    let n = widths.len() as u16;
    setup(ws, &sheet.name, &widths)?;
    // A few charts and their tables: one printed page.
    ws.set_print_fit_to_pages(1, 1);
    write_top(ws, f, ctx, &sheet.title, n)?;
    let mut row = 3;
    let mut inserted = 0;
    for c in &sheet.charts {
        ws.set_row_height(row, 22).map_err(xerr)?;
        merge(ws, (row, row), (0, n - 1), &c.title, &f.section)?;
        row += 1;
        let top = row;
        let mut head = vec![ReportColumn {
            key: String::new(),
            header: c.category_header.clone().unwrap_or_else(|| match c.source {
                ChartSource::Areas => "乡镇街道".into(),
                ChartSource::Quarters => "季度".into(),
            }),
            group: None,
            activity_type: None,
            width: Some(widths[0]),
        }];
        head.extend(c.series.iter().map(|s| ReportColumn {
            group: None,
            width: Some(12.0),
            ..s.clone()
        }));
        write_header(ws, f, row, 0, &head)?;
        ws.set_row_height(row, 30).map_err(xerr)?;
        row += 1;
        let data = chart_rows(ctx, c);
        for (label, vals) in &data {
            ws.set_row_height(row, 20).map_err(xerr)?;
            write_val(ws, f, row, 0, &text(label.clone()), false)?;
            for (i, v) in vals.iter().enumerate() {
                // Not applicable: a gap in the chart, not a zero.
                let v = if *v == Val::Dash { &Val::Blank } else { v };
                write_val(ws, f, row, 1 + i as u16, v, false)?;
            }
            row += 1;
        }
        let chart_rows_needed = (CHART_H as f64 / 20.0).ceil() as u32 + 1;
        if data.is_empty() {
            merge(ws, (row, row), (0, table_cols - 1), "（无数据）", &f.center)?;
            row += 2;
            continue;
        }
        let (first, last) = (top + 1, top + data.len() as u32);
        let mut chart = match c.kind {
            ChartKind::Column => Chart::new_column(),
            ChartKind::Bar => Chart::new_bar(),
            ChartKind::Line => Chart::new_line(),
        };
        chart.title().set_name(&c.title);
        let rates = c.series.iter().all(|s| is_rate_key(&s.key));
        for (i, s) in c.series.iter().enumerate() {
            let col = 1 + i as u16;
            let series = chart.add_series();
            series
                .set_name((sheet.name.as_str(), top, col))
                .set_categories((sheet.name.as_str(), first, 0, last, 0))
                .set_values((sheet.name.as_str(), first, col, last, col));
            // Values on the first series only: more would overlap.
            let label = i == 0;
            if label {
                let mut dl = ChartDataLabel::new();
                dl.show_value().set_font(ChartFont::new().set_size(8));
                if is_rate_key(&s.key) {
                    dl.set_num_format("0.0%");
                }
                series.set_data_label(&dl);
            }
            if c.kind == ChartKind::Line {
                series.set_marker(ChartMarker::new().set_automatic());
            }
        }
        let value_axis = if c.kind == ChartKind::Bar {
            chart.x_axis()
        } else {
            chart.y_axis()
        };
        if rates {
            value_axis.set_num_format("0%").set_min(0.0).set_max(1.0);
        }
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.show_empty_cells_as(ChartEmptyCells::Gaps);
        chart.set_width(CHART_W).set_height(CHART_H);
        ws.insert_chart(top, table_cols + 1, &chart).map_err(xerr)?;
        inserted += 1;
        row = row.max(top + chart_rows_needed) + 1;
    }
    let notes: Vec<String> = ctx
        .definitions(&sheet.definitions)
        .into_iter()
        .chain(sheet.notes.clone())
        .collect();
    write_footer(ws, f, ctx, row, &widths, &notes, None)?;
    Ok(inserted)
}
