//! Writing a table as county offices hand it out, from a template profile: title row, 填报单位
//! and 填报日期, bold bordered header, 序号, frozen panes, widths that fit Chinese, A4
//! landscape with the header repeated on every page, dropdowns for dictionary columns, and a
//! hidden id column so an edited export re-imports as updates.

use super::profile::{find, load_profiles, ColumnKind, Profile};
use super::progress::{debug_fn, report, Phase, ProgressFn, EVERY};
use super::render::{needs_members, row_values, wanted_fields, Lookups, Out};
use super::style::xerr;
use super::style::{Formats, HEADER_ROW};
use crate::error::{Error, Result};
use crate::model::fields::FieldKind;
use crate::model::*;
use crate::store::Table;
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Formula, Workbook, Worksheet};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

#[derive(Clone, Default)]
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
    /// Told how far the export is (读取, then 写入 row by row).
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportOptions")
            .field("profile", &self.profile)
            .field("org", &self.org)
            .field("area", &self.area)
            .field("report_unit", &self.report_unit)
            .field("date", &self.date)
            .field("profiles_dir", &self.profiles_dir)
            .field("progress", &debug_fn(&self.progress))
            .finish()
    }
}

#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
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

/// Rows per message from the loading thread to the writing one.
const BATCH: usize = 512;

/// The sheet before its rows: layout, print setup, title, 填报单位 and date, header.
fn write_head(
    ws: &mut Worksheet,
    profile: &Profile,
    f: &Formats,
    report_unit: &str,
    date: NaiveDate,
) -> Result<()> {
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
    Ok(())
}

/// One data row. Cells are written plain and the row then gets the bordered cell format in
/// one go (rust_xlsxwriter hashes a format on every formatted write: most of an export's time
/// when every cell carried one); dates and money are written last, with formats of their own.
/// (In constant-memory mode a row stays open until a later row is written.)
fn write_row(
    ws: &mut Worksheet,
    profile: &Profile,
    f: &Formats,
    r: u32,
    mut row: Vec<Out>,
) -> Result<()> {
    for (i, v) in row.iter_mut().enumerate() {
        let c = i as u16;
        if profile.columns[i].kind == ColumnKind::Seq {
            ws.write_number(r, c, (r - HEADER_ROW) as f64)
                .map_err(xerr)?;
            continue;
        }
        match v {
            Out::Empty | Out::Money(_) | Out::Date(_) => Ok(()),
            // Moved, not copied: the row is not needed afterwards.
            Out::Text(s) => ws.write_string(r, c, std::mem::take(s)).map(|_| ()),
            Out::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
        }
        .map_err(xerr)?;
    }
    let last = (row.len() as u16).saturating_sub(1);
    ws.set_range_format(r, 0, r, last, &f.cell).map_err(xerr)?;
    for (i, v) in row.iter().enumerate() {
        let c = i as u16;
        if profile.columns[i].kind == ColumnKind::Seq {
            continue;
        }
        match v {
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
            _ => Ok(()),
        }
        .map_err(xerr)?;
    }
    Ok(())
}

/// The writing thread: the whole workbook, rows as they arrive. Returns the number of rows.
fn write_book(
    out: &Path,
    profile: &Profile,
    head: (&str, NaiveDate),
    lists: &[(u16, Vec<String>)],
    rows: Receiver<Vec<Vec<Out>>>,
    progress: &Option<ProgressFn>,
    expected: usize,
) -> Result<usize> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    // Streamed to a temporary file row by row: a city roster stays within a few hundred MB.
    let ws = wb.add_worksheet_with_constant_memory();
    write_head(ws, profile, &f, head.0, head.1)?;
    let mut n = 0usize;
    for batch in rows {
        for row in batch {
            n += 1;
            write_row(ws, profile, &f, HEADER_ROW + n as u32, row)?;
            if n.is_multiple_of(EVERY) {
                report(progress, Phase::Write, n, expected);
            }
        }
    }
    let ncols = profile.columns.len() as u16;
    ws.autofilter(
        HEADER_ROW,
        0,
        HEADER_ROW + n.max(1) as u32,
        ncols.saturating_sub(1),
    )
    .map_err(xerr)?;
    // Dropdowns read their lists from a hidden 字典 sheet (inline lists are capped at 255 characters).
    if !lists.is_empty() {
        let last_row = HEADER_ROW + n as u32 + 500;
        let dict = wb.add_worksheet().set_name("字典").map_err(xerr)?;
        for (i, (_, values)) in lists.iter().enumerate() {
            for (r, v) in values.iter().enumerate() {
                dict.write_string(r as u32, i as u16, v).map_err(xerr)?;
            }
        }
        dict.set_hidden(true);
        for (i, (col, values)) in lists.iter().enumerate() {
            let letter = super::read::column_letter(i as u32);
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
    crate::private_files::prepare(out)?; // personal data: owner-only (Unix)
    wb.save(out).map_err(xerr)?;
    report(progress, Phase::Write, n, n);
    Ok(n)
}

/// Load a table's records in order and send their rows, in batches, to the writing thread.
fn send_records<T: Table + Fields>(
    store: &Store,
    profile: &Profile,
    lk: &Lookups,
    keep: impl Fn(&T) -> bool,
    order: &str,
    to: &SyncSender<Vec<Vec<Out>>>,
) -> Result<()> {
    let conn = store.conn();
    // The column order `Table::from_row` reads.
    let sql = format!(
        "SELECT id, created_at, updated_at, device_id, {} FROM {} ORDER BY {order}",
        T::COLUMNS.join(", "),
        T::TABLE
    );
    let wanted = wanted_fields::<T>(profile);
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query([])?;
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(r) = rows.next()? {
        let mut rec = T::from_row(r)?;
        rec.load_children(conn)?;
        if !keep(&rec) {
            continue;
        }
        batch.push(row_values(&rec, profile, lk, &wanted)?);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if to.send(full).is_err() {
                return Ok(()); // the writer stopped: its error is the one to report
            }
        }
    }
    if !batch.is_empty() {
        let _ = to.send(batch);
    }
    Ok(())
}

/// Send the rows of the profile's table, filtered by org and area, in the order people look
/// for them on paper: members by 党组织 then name, units by 乡镇街道 then name — names in 拼音
/// order (`store::collate`).
fn load_rows(
    store: &Store,
    profile: &Profile,
    lk: &Lookups,
    org_ok: &dyn Fn(Option<Id>) -> bool,
    orgs_in: &Option<HashSet<Id>>,
    area: Option<&str>,
    to: &SyncSender<Vec<Vec<Out>>>,
) -> Result<()> {
    use crate::store::collate::{PINYIN, PINYIN_NAME};
    match Entity::parse(&profile.entity) {
        Some(Entity::Member) => send_records::<Member>(
            store,
            profile,
            lk,
            |m| org_ok(m.org_id),
            &format!("org_id, name COLLATE {PINYIN_NAME}"),
            to,
        ),
        Some(Entity::Org) => send_records::<Org>(
            store,
            profile,
            lk,
            |o| org_ok(Some(o.meta.id)),
            &format!("name COLLATE {PINYIN}"),
            to,
        ),
        Some(Entity::Unit) => send_records::<Unit>(
            store,
            profile,
            lk,
            |u| {
                let covered = orgs_in.as_ref().is_none_or(|set| {
                    lk.cover
                        .get(&u.meta.id)
                        .is_some_and(|os| os.iter().any(|o| set.contains(o)))
                });
                covered && area.is_none_or(|a| u.area.as_deref() == Some(a))
            },
            &format!("area COLLATE {PINYIN}, name COLLATE {PINYIN}"),
            to,
        ),
        Some(Entity::Activity) => send_records::<Activity>(
            store,
            profile,
            lk,
            |a| org_ok(Some(a.org_id)),
            "org_id, held_on",
            to,
        ),
        Some(Entity::Inspection) => send_records::<Inspection>(
            store,
            profile,
            lk,
            |i| org_ok(Some(i.org_id)),
            "org_id, inspected_on",
            to,
        ),
        Some(Entity::Applicant) => send_records::<Applicant>(
            store,
            profile,
            lk,
            |a| org_ok(Some(a.org_id)) && a.merged_into.is_none(),
            &format!("org_id, applied_on, name COLLATE {PINYIN_NAME}"),
            to,
        ),
        Some(Entity::Dues) => send_records::<Dues>(
            store,
            profile,
            lk,
            |d| org_ok(lk.members.get(&d.member_id).and_then(|m| m.2)),
            "member_id, month",
            to,
        ),
        _ => Err(Error::Rule(format!(
            "模板 {} 的记录类型“{}”不支持导出",
            profile.id, profile.entity
        ))),
    }
}

/// Write a profile's table to `out`.
pub fn export(store: &Store, out: &Path, opts: &ExportOptions) -> Result<ExportSummary> {
    let profiles = load_profiles(opts.profiles_dir.as_deref())?;
    let profile = find(&profiles, &opts.profile)?;
    if profile.import_only {
        return Err(Error::Rule(format!(
            "“{}”只用于导入，不能导出：请选择其他表格",
            profile.name
        )));
    }
    let lk = Lookups::load(store, needs_members(profile))?;
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
    let report_unit = match &opts.report_unit {
        Some(u) => u.clone(),
        None => store
            .setting::<String>(crate::store::REPORT_UNIT_KEY)?
            .unwrap_or_default(),
    };
    let date = opts.date.unwrap_or_else(|| store.today());
    let mut lists: Vec<(u16, Vec<String>)> = Vec::new();
    for (i, col) in profile.columns.iter().enumerate() {
        if let (ColumnKind::Field, Some(field)) = (col.kind, col.field.as_deref()) {
            if let Some(values) = choices(store, &profile.entity, field)?.filter(|v| !v.is_empty())
            {
                lists.push((i as u16, values));
            }
        }
    }
    let progress = &opts.progress;
    report(progress, Phase::Read, 0, 0);
    let expected = match Entity::parse(&profile.entity) {
        Some(e) => crate::with_entity!(e, T => store.count::<T>()?),
        None => 0,
    } as usize;
    // Records are loaded and turned into cells here while another thread writes the workbook.
    let (written, loaded) = std::thread::scope(|scope| {
        let (to, rows) = sync_channel(4);
        let head = (report_unit.as_str(), date);
        let lists = &lists;
        let writer =
            scope.spawn(move || write_book(out, profile, head, lists, rows, progress, expected));
        let loaded = load_rows(store, profile, &lk, &org_ok, &orgs_in, area, &to);
        drop(to);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(Error::Rule("写入 Excel 文件时出错".into())));
        (written, loaded)
    });
    loaded?;
    let rows = written?;
    Ok(ExportSummary {
        profile: profile.id.clone(),
        rows,
        path: out.display().to_string(),
    })
}
