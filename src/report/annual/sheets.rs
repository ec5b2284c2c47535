//! The summary sheet (by area with 合计, then breakdowns and figures), the list sheets (应建未建,
//! units without an org, orgs with 换届 and 十个有) and the 三会一课 sheet.

use super::figures::{area_value, cn_date, num, quarter_value, rate_of, Ctx, Val};
use super::table::{
    height_for, lines_in, merge, setup, width_of, write_footer, write_header, write_row, write_top,
    write_val, xerr, Formats, Pages,
};
use super::{ReportBlock, ReportSheet, SheetKind};
use crate::error::Result;
use crate::excel::style::HEADER_ROW;
use crate::report::stats::rate;
use crate::rules::Rule;
use rust_xlsxwriter::Worksheet;

/// Rows of the area table that fit on the first printed page.
const AREAS_ON_A_PAGE: usize = 20;

pub(super) fn summary_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    sheet: &ReportSheet,
) -> Result<()> {
    let cols = &sheet.columns;
    // Blocks lay out across the page: a title column, one per item, 合计.
    let block_cols = |b: &ReportBlock| match &b.breakdown {
        Some(k) => ctx.breakdown(k).len() + 2,
        None => b.figures.len() + 1,
    };
    let n = sheet
        .blocks
        .iter()
        .map(block_cols)
        .chain([cols.len()])
        .max()
        .unwrap_or(1);
    let mut widths: Vec<f64> = cols.iter().map(width_of).collect();
    widths.resize(n, 10.0);
    setup(ws, &sheet.name, &widths)?;
    write_top(ws, f, ctx, &sheet.title, n as u16)?;
    let mut pages = Pages::new(&widths);
    pages.keep(0, 36.0 + 22.0);

    let mut row = 2;
    ws.set_row_height(row, 22).map_err(xerr)?;
    merge(
        ws,
        (row, row),
        (0, n as u16 - 1),
        "一、分乡镇街道统计",
        &f.section,
    )?;
    row += 1;
    let header = row;
    let (used, h) = write_header(ws, f, row, 0, cols)?;
    pages.keep(header - 1, 22.0 + h);
    row += used;
    ws.set_freeze_panes(row, 1).map_err(xerr)?;
    // Repeated on every printed page only when the area table itself runs over a page (the
    // pages after it hold the breakdowns, which have headers of their own).
    if ctx.s.by_area.len() > AREAS_ON_A_PAGE {
        ws.set_repeat_rows(header, row - 1).map_err(xerr)?;
    }
    let last = ctx.s.by_area.len().saturating_sub(1);
    for (i, a) in ctx.s.by_area.iter().enumerate() {
        let vals: Vec<Val> = cols.iter().map(|c| area_value(a, &c.key)).collect();
        let h = write_row(ws, f, row, 0, &widths, &vals, i == last)?;
        pages.keep(row, h);
        row += 1;
    }

    if !sheet.blocks.is_empty() {
        row += 1;
        ws.set_row_height(row, 22).map_err(xerr)?;
        merge(
            ws,
            (row, row),
            (0, n as u16 - 1),
            "二、分类统计",
            &f.section,
        )?;
        row += 1;
    }
    pages.used += 15.0;
    for (i, b) in sheet.blocks.iter().enumerate() {
        let (next, h) = write_block(ws, f, ctx, row, &widths, b)?;
        // A block stays on one page, the first with the section heading above it; the blank
        // row after a block ends its page.
        if i == 0 {
            pages.keep(row - 1, 22.0 + h);
        } else {
            pages.keep(row, h);
        }
        pages.used += 15.0;
        ws.set_row_height(next, 15).map_err(xerr)?;
        row = next + 1;
    }
    let defs = ctx.definitions(&sheet.definitions);
    let notes: Vec<String> = defs.into_iter().chain(sheet.notes.clone()).collect();
    write_footer(ws, f, ctx, row, &widths, &notes, Some(&mut pages))?;
    if !pages.breaks.is_empty() {
        ws.set_page_breaks(&pages.breaks).map_err(xerr)?;
    }
    Ok(())
}

/// A breakdown (names, 数量, 占比, with 合计) or a row of figures; returns the next row.
fn write_block(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    row: u32,
    widths: &[f64],
    b: &ReportBlock,
) -> Result<(u32, f64)> {
    let head_height = |names: &[&str]| {
        let l = names
            .iter()
            .enumerate()
            .map(|(i, s)| lines_in(s, widths.get(i + 1).copied().unwrap_or(10.0)))
            .chain([lines_in(&b.title, widths[0])])
            .max()
            .unwrap_or(1);
        height_for(l).max(30.0)
    };
    match &b.breakdown {
        Some(key) => {
            let rows = ctx.breakdown(key);
            let total: usize = rows.iter().map(|c| c.count).sum();
            let mut names: Vec<&str> = rows.iter().map(|c| c.name.as_str()).collect();
            names.push("合计");
            ws.set_row_height(row, head_height(&names)).map_err(xerr)?;
            ws.write_string_with_format(row, 0, &b.title, &f.header)
                .map_err(xerr)?;
            for (i, name) in names.iter().enumerate() {
                ws.write_string_with_format(row, 1 + i as u16, *name, &f.header)
                    .map_err(xerr)?;
            }
            ws.set_row_height(row + 1, 18).map_err(xerr)?;
            ws.write_string_with_format(row + 1, 0, "数量", &f.label)
                .map_err(xerr)?;
            let last = rows.len() as u16 + 1;
            for (i, c) in rows.iter().enumerate() {
                write_val(ws, f, row + 1, 1 + i as u16, &num(c.count), false)?;
            }
            write_val(ws, f, row + 1, last, &num(total), true)?;
            let h = head_height(&names);
            if !b.share {
                return Ok((row + 2, h + 18.0));
            }
            ws.set_row_height(row + 2, 18).map_err(xerr)?;
            ws.write_string_with_format(row + 2, 0, "占比", &f.label)
                .map_err(xerr)?;
            for (i, c) in rows.iter().enumerate() {
                let v = rate_of(rate(c.count, total), total);
                write_val(ws, f, row + 2, 1 + i as u16, &v, false)?;
            }
            write_val(ws, f, row + 2, last, &rate_of(1.0, total), true)?;
            Ok((row + 3, h + 36.0))
        }
        None => {
            let names: Vec<&str> = b.figures.iter().map(|c| c.header.as_str()).collect();
            ws.set_row_height(row, head_height(&names)).map_err(xerr)?;
            ws.set_row_height(row + 1, 18).map_err(xerr)?;
            merge(ws, (row, row + 1), (0, 0), &b.title, &f.header)?;
            for (i, c) in b.figures.iter().enumerate() {
                let col = 1 + i as u16;
                ws.write_string_with_format(row, col, &c.header, &f.header)
                    .map_err(xerr)?;
                write_val(ws, f, row + 1, col, &ctx.figure(&c.key), false)?;
            }
            Ok((row + 2, head_height(&names) + 18.0))
        }
    }
}

pub(super) fn meetings_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    sheet: &ReportSheet,
) -> Result<()> {
    let cols = &sheet.columns;
    let widths: Vec<f64> = cols.iter().map(width_of).collect();
    setup(ws, &sheet.name, &widths)?;
    write_top(ws, f, ctx, &sheet.title, cols.len() as u16)?;
    let header = HEADER_ROW;
    let mut row = header + write_header(ws, f, header, 0, cols)?.0;
    ws.set_freeze_panes(row, 1).map_err(xerr)?;
    ws.set_repeat_rows(header, row - 1).map_err(xerr)?;
    for q in &ctx.s.meetings {
        let vals: Vec<Val> = cols.iter().map(|c| quarter_value(q, c)).collect();
        write_row(ws, f, row, 0, &widths, &vals, false)?;
        row += 1;
    }
    let notes: Vec<String> = ctx
        .definitions(&sheet.definitions)
        .into_iter()
        .chain([
            "“—”表示该季度没有应开展的会议（如党小组会未启用，或支委会只要求设有支委会的党组织），不计完成率".to_string(),
        ])
        .chain(sheet.notes.clone())
        .collect();
    write_footer(ws, f, ctx, row + 1, &widths, &notes, None)?;
    Ok(())
}

/// 发展党员: two tables, by 乡镇街道 and by 单位类别, each ending with 合计 — the figures of
/// `stats`.
pub(super) fn development_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    sheet: &ReportSheet,
) -> Result<()> {
    let cols = &sheet.columns;
    let widths: Vec<f64> = cols.iter().map(width_of).collect();
    let n = cols.len() as u16;
    setup(ws, &sheet.name, &widths)?;
    write_top(ws, f, ctx, &sheet.title, n)?;
    let d = &ctx.s.development;
    let mut row = 2;
    let tables = [
        ("一、分乡镇街道统计", "乡镇街道", &d.by_area),
        ("二、按工作单位类别统计", "单位类别", &d.by_category),
    ];
    for (section, first, rows) in tables {
        ws.set_row_height(row, 22).map_err(xerr)?;
        merge(ws, (row, row), (0, n - 1), section, &f.section)?;
        row += 1;
        // The first column is named for the table it heads.
        let mut heads = cols.clone();
        if let Some(c) = heads.iter_mut().find(|c| c.key == "name") {
            c.header = first.to_string();
        }
        row += write_header(ws, f, row, 0, &heads)?.0;
        let last = rows.len().saturating_sub(1);
        for (i, r) in rows.iter().enumerate() {
            let vals: Vec<Val> = cols
                .iter()
                .map(|c| match c.key.as_str() {
                    "name" => Val::Text(r.name.clone()),
                    "applicants" => num(r.applicants),
                    "activists" => num(r.activists),
                    "candidates" => num(r.candidates),
                    _ => num(r.developed),
                })
                .collect();
            write_row(ws, f, row, 0, &widths, &vals, i == last)?;
            row += 1;
        }
        row += 1;
    }
    let notes: Vec<String> = ctx
        .definitions(&sheet.definitions)
        .into_iter()
        .chain(sheet.notes.clone())
        .collect();
    write_footer(ws, f, ctx, row, &widths, &notes, None)?;
    Ok(())
}

/// The built-in 说明 of a list sheet: what it lists, with the parameters in force.
fn list_note(ctx: &Ctx, kind: SheetKind, rows: usize) -> Vec<String> {
    let p = ctx.p;
    let as_of = cn_date(ctx.l.as_of);
    match kind {
        SheetKind::OrgNotBuilt => {
            let mut v = vec![format!(
                "应建未建：截至 {as_of}，在营单位中有正式党员 {} 名以上（预备党员不计入）、没有本单位党组织\
                 （组建方式为{}，或以本单位命名的党组织）的单位，共 {rows} 个；与台账检查的“应建未建”结果一致",
                p.own_org_min_full_members,
                p.own_org_formations.join("、")
            )];
            if !p.enabled(Rule::OrgNotBuilt.code()) {
                v.push("规则参数中已停用“应建未建”检查，本表不列出单位".into());
            }
            v
        }
        SheetKind::UnitsWithoutOrg => vec![format!(
            "截至 {as_of}，在营单位中没有任何党组织覆盖（单独组建、联合组建、挂靠组建等均未覆盖）的单位，共 {rows} 个，\
             即汇总表中在营两新组织数与党的组织覆盖单位数之差；“党的工作覆盖”指已选派在岗党建指导员或已建立工会、共青团组织"
        )],
        SheetKind::Orgs => vec![
            format!(
                "截至 {as_of} 状态正常的党组织，共 {rows} 个；换届：本届选举日期（未登记时按成立日期）加任期为届满日期，\
                 届满前 {} 天内为即将到期，过了届满日期为已逾期（延期一般不超过 {} 个月），临时党支部不换届",
                p.term_due_soon_days, p.term_max_delay_months
            ),
            format!(
                "十个有：有在册党员的党组织看最近一次检查，近 {} 个月内检查过且各项均为“有”为达标（与汇总表十个有达标率同一口径），\
                 否则列出未达标的项目（无或部分）",
                p.inspection_max_age_months
            ),
        ],
        _ => Vec::new(),
    }
}

pub(super) fn list_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    ctx: &Ctx,
    sheet: &ReportSheet,
) -> Result<()> {
    let cols = &sheet.columns;
    let widths: Vec<f64> = cols.iter().map(width_of).collect();
    let n = cols.len() as u16;
    let rows: Vec<Vec<Val>> = match sheet.kind {
        SheetKind::OrgNotBuilt => ctx
            .not_built
            .iter()
            .map(|&(u, i)| {
                let finding = &ctx.findings[i];
                cols.iter()
                    .map(|c| ctx.unit_value(u, &c.key, Some(finding)))
                    .collect()
            })
            .collect(),
        SheetKind::UnitsWithoutOrg => ctx
            .uncovered
            .iter()
            .map(|&u| {
                cols.iter()
                    .map(|c| ctx.unit_value(u, &c.key, None))
                    .collect()
            })
            .collect(),
        _ => ctx
            .orgs
            .iter()
            .map(|&o| cols.iter().map(|c| ctx.org_value(o, &c.key)).collect())
            .collect(),
    };
    // Everything about the sheet first: rows are streamed to disk as they are written.
    setup(ws, &sheet.name, &widths)?;
    let header = HEADER_ROW;
    ws.set_freeze_panes(header + 1, 2.min(n)).map_err(xerr)?;
    ws.set_repeat_rows(header, header).map_err(xerr)?;
    ws.autofilter(
        header,
        0,
        header + rows.len().max(1) as u32,
        n.saturating_sub(1),
    )
    .map_err(xerr)?;
    write_top(ws, f, ctx, &sheet.title, n)?;
    write_header(ws, f, header, 0, cols)?;
    let mut row = header + 1;
    for (k, vals) in rows.iter().enumerate() {
        let vals: Vec<Val> = cols
            .iter()
            .zip(vals)
            .map(|(c, v)| {
                if c.key == "seq" {
                    Val::Seq(k + 1)
                } else {
                    v.clone()
                }
            })
            .collect();
        write_row(ws, f, row, 0, &widths, &vals, false)?;
        row += 1;
    }
    if rows.is_empty() {
        ws.set_row_height(row, 22).map_err(xerr)?;
        merge(ws, (row, row), (0, n - 1), "（无）", &f.center)?;
        row += 1;
    }
    let notes: Vec<String> = list_note(ctx, sheet.kind, rows.len())
        .into_iter()
        .chain(sheet.notes.clone())
        .collect();
    write_footer(ws, f, ctx, row + 1, &widths, &notes, None)?;
    Ok(())
}
