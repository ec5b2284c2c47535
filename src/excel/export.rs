//! Writing a table as county offices hand it out, from a template profile: title row, 填报单位
//! and 填报日期, bold bordered header, 序号, frozen panes, widths that fit Chinese, A4
//! landscape with the header repeated on every page, dropdowns for dictionary columns, and a
//! hidden id column so an edited export re-imports as updates.

use super::profile::{find, load_profiles, ColumnKind, Profile};
use super::render::{row_values, Lookups, Out};
use super::style::xerr;
use super::style::{Formats, HEADER_ROW};
use crate::error::{Error, Result};
use crate::model::fields::FieldKind;
use crate::model::*;
use crate::store::{list, Table};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Formula, Workbook, Worksheet};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Profile id or name.
    pub profile: String,
    /// Only this org and the orgs under it.
    pub org: Option<Id>,
    /// Only this 乡镇街道.
    pub area: Option<String>,
    /// 填报单位 (defaults to the `report_unit` setting).
    pub report_unit: Option<String>,
    /// 填报日期 (defaults to today).
    pub date: Option<NaiveDate>,
    pub profiles_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportSummary {
    pub profile: String,
    pub rows: usize,
    pub path: String,
}

/// Values for a dropdown on a column, if it has a closed list.
fn choices(store: &Store, entity: &str, field: &str) -> Result<Option<Vec<String>>> {
    let kind = super::import::field_kind(entity, field);
    Ok(match kind {
        Some(FieldKind::Bool) => Some(vec!["是".into(), "否".into()]),
        Some(FieldKind::Dict(d)) => {
            Some(store.dictionary(d)?.into_iter().map(|(v, _)| v).collect())
        }
        Some(FieldKind::Choice(v)) => Some(v.labels.iter().map(|l| l.to_string()).collect()),
        _ => None,
    })
}

fn write_sheet(
    ws: &mut Worksheet,
    profile: &Profile,
    rows: &[Vec<Out>],
    report_unit: &str,
    date: NaiveDate,
) -> Result<()> {
    let f = Formats::new();
    let ncols = profile.columns.len() as u16;
    let visible = profile
        .columns
        .iter()
        .filter(|c| c.kind != ColumnKind::Id)
        .count() as u16;
    let last_visible = visible.saturating_sub(1);
    // Everything about the sheet comes first: rows are streamed to disk as they are written.
    ws.set_name(&profile.name).map_err(xerr)?;
    for (i, col) in profile.columns.iter().enumerate() {
        let width = col
            .width
            .unwrap_or_else(|| (col.header.chars().count() as f64 * 2.2).max(8.0));
        ws.set_column_width(i as u16, width).map_err(xerr)?;
        if col.kind == ColumnKind::Id {
            ws.set_column_hidden(i as u16).map_err(xerr)?;
        }
    }
    // Freeze the title, header, 序号 and the name column; print A4 landscape, header on every page.
    ws.set_freeze_panes(HEADER_ROW + 1, 2).map_err(xerr)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.4, 0.4, 0.6, 0.5, 0.3, 0.3);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW).map_err(xerr)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.autofilter(
        HEADER_ROW,
        0,
        HEADER_ROW + rows.len().max(1) as u32,
        ncols.saturating_sub(1),
    )
    .map_err(xerr)?;

    ws.merge_range(0, 0, 0, last_visible, &profile.title, &f.title)
        .map_err(xerr)?;
    ws.set_row_height(0, 36).map_err(xerr)?;
    let half = last_visible / 2;
    ws.merge_range(
        1,
        0,
        1,
        half.max(1).min(last_visible),
        &format!("填报单位：{report_unit}"),
        &f.info,
    )
    .map_err(xerr)?;
    if half < last_visible {
        let when = format!(
            "填报日期：{}年{}月{}日",
            date.year(),
            date.month(),
            date.day()
        );
        ws.merge_range(1, half + 1, 1, last_visible, &when, &f.info_right)
            .map_err(xerr)?;
    }
    ws.set_row_height(HEADER_ROW, 30).map_err(xerr)?;
    for (i, col) in profile.columns.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, i as u16, &col.header, &f.header)
            .map_err(xerr)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + r as u32;
        for (i, v) in row.iter().enumerate() {
            let c = i as u16;
            if profile.columns[i].kind == ColumnKind::Seq {
                ws.write_number_with_format(r, c, (r - HEADER_ROW) as f64, &f.cell)
                    .map_err(xerr)?;
                continue;
            }
            match v {
                Out::Empty => ws.write_blank(r, c, &f.cell).map(|_| ()),
                Out::Text(s) => ws.write_string_with_format(r, c, s, &f.cell).map(|_| ()),
                Out::Number(n) => ws.write_number_with_format(r, c, *n, &f.cell).map(|_| ()),
                Out::Money(n) => ws.write_number_with_format(r, c, *n, &f.money).map(|_| ()),
                Out::Date(d) => {
                    match ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8) {
                        Ok(dt) => ws
                            .write_datetime_with_format(r, c, &dt, &f.date)
                            .map(|_| ()),
                        Err(_) => ws
                            .write_string_with_format(r, c, d.to_string(), &f.cell)
                            .map(|_| ()),
                    }
                }
            }
            .map_err(xerr)?;
        }
    }
    Ok(())
}

fn export_records<T: Table + Fields>(
    store: &Store,
    profile: &Profile,
    lk: &Lookups,
    keep: impl Fn(&T) -> bool,
    order: &str,
) -> Result<Vec<Vec<Out>>> {
    let records: Vec<T> = list(store.conn(), "1", &[], order)?;
    records
        .iter()
        .filter(|r| keep(r))
        .map(|r| row_values(r, profile, lk))
        .collect()
}

/// Write a profile's table to `out`.
pub fn export(store: &Store, out: &Path, opts: &ExportOptions) -> Result<ExportSummary> {
    let profiles = load_profiles(opts.profiles_dir.as_deref())?;
    let profile = find(&profiles, &opts.profile)?;
    let lk = Lookups::load(store)?;
    let orgs_in: Option<HashSet<Id>> = opts.org.map(|o| lk.subtree(&o));
    if let Some(o) = &opts.org {
        if !lk.orgs.contains_key(o) {
            return Err(Error::not_found("党组织", o));
        }
    }
    let area = opts.area.as_deref();
    let org_ok = |org: Option<Id>| {
        let in_org = orgs_in
            .as_ref()
            .is_none_or(|set| org.is_some_and(|o| set.contains(&o)));
        let in_area = area.is_none_or(|a| {
            org.and_then(|o| lk.orgs.get(&o))
                .and_then(|o| o.area.as_deref())
                == Some(a)
        });
        in_org && in_area
    };
    let rows = match profile.entity.as_str() {
        "member" => {
            export_records::<Member>(store, profile, &lk, |m| org_ok(m.org_id), "org_id, name")?
        }
        "org" => export_records::<Org>(store, profile, &lk, |o| org_ok(Some(o.meta.id)), "name")?,
        "unit" => export_records::<Unit>(
            store,
            profile,
            &lk,
            |u| {
                let covered = orgs_in.as_ref().is_none_or(|set| {
                    lk.cover
                        .get(&u.meta.id)
                        .is_some_and(|os| os.iter().any(|o| set.contains(o)))
                });
                covered && area.is_none_or(|a| u.area.as_deref() == Some(a))
            },
            "area, name",
        )?,
        "activity" => export_records::<Activity>(
            store,
            profile,
            &lk,
            |a| org_ok(Some(a.org_id)),
            "org_id, held_on",
        )?,
        "inspection" => export_records::<Inspection>(
            store,
            profile,
            &lk,
            |i| org_ok(Some(i.org_id)),
            "org_id, inspected_on",
        )?,
        "dues" => export_records::<Dues>(
            store,
            profile,
            &lk,
            |d| org_ok(lk.members.get(&d.member_id).and_then(|m| m.2)),
            "member_id, month",
        )?,
        other => {
            return Err(Error::Rule(format!(
                "模板 {} 的记录类型“{other}”不支持导出",
                profile.id
            )))
        }
    };
    let report_unit = match &opts.report_unit {
        Some(u) => u.clone(),
        None => store
            .setting::<String>(crate::store::REPORT_UNIT_KEY)?
            .unwrap_or_default(),
    };
    let date = opts.date.unwrap_or_else(|| store.today());
    let mut wb = Workbook::new();
    // Streamed to a temporary file row by row: a city roster stays within a few hundred MB.
    let ws = wb.add_worksheet_with_constant_memory();
    write_sheet(ws, profile, &rows, &report_unit, date)?;
    // Dropdowns read their lists from a hidden 字典 sheet (inline lists are capped at 255 characters).
    let mut lists: Vec<(u16, Vec<String>)> = Vec::new();
    for (i, col) in profile.columns.iter().enumerate() {
        if let (ColumnKind::Field, Some(field)) = (col.kind, col.field.as_deref()) {
            if let Some(values) = choices(store, &profile.entity, field)?.filter(|v| !v.is_empty())
            {
                lists.push((i as u16, values));
            }
        }
    }
    if !lists.is_empty() {
        let last_row = HEADER_ROW + rows.len() as u32 + 500;
        let dict = wb.add_worksheet().set_name("字典").map_err(xerr)?;
        for (n, (_, values)) in lists.iter().enumerate() {
            for (r, v) in values.iter().enumerate() {
                dict.write_string(r as u32, n as u16, v).map_err(xerr)?;
            }
        }
        dict.set_hidden(true);
        for (n, (col, values)) in lists.iter().enumerate() {
            let letter = super::read::column_letter(n as u32);
            let formula = Formula::new(format!("=字典!${letter}$1:${letter}${}", values.len()));
            let dv = DataValidation::new()
                .allow_list_formula(formula)
                .set_error_title("请从列表中选择")
                .map_err(xerr)?;
            let ws = wb.worksheet_from_index(0).map_err(xerr)?;
            ws.add_data_validation(HEADER_ROW + 1, *col, last_row, *col, &dv)
                .map_err(xerr)?;
        }
    }
    wb.save(out).map_err(xerr)?;
    Ok(ExportSummary {
        profile: profile.id.clone(),
        rows: rows.len(),
        path: out.display().to_string(),
    })
}
