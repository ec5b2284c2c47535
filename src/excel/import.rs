//! Importing a sheet into the ledger: preview (dry run) and the real import, one
//! transaction either way, per-cell errors with the sheet's own row numbers and letters.

use super::layout::{classify_row, find_layout, org_from_preamble, Layout, RowKind};
use super::profile::{find, load_profiles, Profile};
use super::read::{column_letter, read_book, Book, Limits, Row, Sheet};
use super::resolve::Created;
use super::rows::{cell_value, process_row, Importable, RowFailure, RowOutcome, SheetCtx};
use crate::error::{Error, Result};
use crate::model::fields::{parse_value, FieldKind};
use crate::model::*;
use crate::store::Tx;
use crate::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Profile id or name; detected when None.
    pub profile: Option<String>,
    /// Preview only: nothing is written.
    pub dry_run: bool,
    /// Import the valid rows even when some are invalid.
    pub skip_invalid: bool,
    /// Folder of a county's own profiles.
    pub profiles_dir: Option<PathBuf>,
    pub limits: Limits,
}

/// One invalid cell (or row, when `column` is empty), in the spreadsheet's own terms.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CellError {
    pub sheet: String,
    /// 1-based row number as Excel shows it.
    pub row: u32,
    /// Column letter(s), e.g. "D"; empty when the problem is not one cell's.
    pub column: String,
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportSummary {
    pub profile: String,
    pub profile_name: String,
    pub sheet: String,
    /// 1-based row of the (last) header row.
    pub header_row: u32,
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub invalid: usize,
    pub errors: Vec<CellError>,
    /// Headers no column of the profile matched (ignored).
    pub unknown_columns: Vec<String>,
    /// Records named in the sheet that the ledger did not have (created by the import).
    pub created: Created,
    pub dry_run: bool,
    /// Whether anything was written.
    pub committed: bool,
}

/// The result of an import: the summary, and the workbook as read (for an errors workbook).
pub struct ImportOutcome {
    pub summary: ImportSummary,
    pub book: Book,
}

fn import_sheet<T: Importable>(tx: &mut Tx, ctx: &SheetCtx, s: &mut ImportSummary) -> Result<()> {
    let mut pending: Vec<&Row> = ctx.sheet.rows[ctx.layout.header_pos + 1..]
        .iter()
        .filter(|row| classify_row(row, ctx.layout, ctx.profile) == RowKind::Data)
        .collect();
    s.rows = pending.len();
    // Rows that fail are tried again after the others while that helps: a branch listed
    // before its 上级党组织 succeeds once the parent row is in.
    loop {
        let mut failed: Vec<(&Row, Vec<CellError>)> = Vec::new();
        let before_pass = pending.len();
        for row in pending {
            let seq = tx.begin_row()?;
            let created = (
                s.created.orgs.len(),
                s.created.units.len(),
                s.created.instructors.len(),
            );
            match process_row::<T>(tx, ctx, row, &mut s.created) {
                Ok(outcome) => {
                    tx.release_row()?;
                    match outcome {
                        RowOutcome::Inserted => s.inserted += 1,
                        RowOutcome::Updated => s.updated += 1,
                        RowOutcome::Unchanged => s.unchanged += 1,
                    }
                }
                Err(RowFailure::Cells(errs)) => {
                    tx.rollback_row(seq)?;
                    s.created.orgs.truncate(created.0);
                    s.created.units.truncate(created.1);
                    s.created.instructors.truncate(created.2);
                    failed.push((row, errs));
                }
                Err(RowFailure::Fatal(e)) => return Err(e),
            }
        }
        if failed.is_empty() || failed.len() == before_pass {
            for (_, errs) in failed.iter() {
                s.errors.extend(errs.iter().cloned());
            }
            s.invalid = failed.len();
            s.errors.sort_by_key(|e| e.row);
            return Ok(());
        }
        pending = failed.into_iter().map(|(row, _)| row).collect();
    }
}

/// How many of a column's first values parse as its field (to choose between two columns
/// that both claim a field, e.g. 人员类别 meaning staff category beside 党籍状态).
fn parsable(profile: &Profile, sheet: &Sheet, layout: &Layout, col: u32, idx: usize) -> usize {
    let column = &profile.columns[idx];
    let kind = column
        .field
        .as_deref()
        .and_then(|f| field_kind(&profile.entity, f));
    let Some(kind) = kind else { return 0 };
    sheet.rows[layout.header_pos + 1..]
        .iter()
        .take(50)
        .filter_map(|r| r.get(col))
        .filter(|c| {
            cell_value(c, column, Some(kind))
                .is_ok_and(|t| !t.is_empty() && parse_value(kind, &t).is_ok())
        })
        .count()
}

pub(crate) fn field_kind(entity: &str, field: &str) -> Option<FieldKind> {
    field_spec(entity, field).map(|s| s.kind)
}

fn prefer_parsable_columns(profile: &Profile, sheet: &Sheet, layout: &mut Layout) {
    for (dup_col, idx) in layout.duplicates.clone() {
        let Some(pos) = layout.columns.iter().position(|(_, i)| *i == idx) else {
            continue;
        };
        let current = layout.columns[pos].0;
        if parsable(profile, sheet, layout, dup_col, idx)
            > parsable(profile, sheet, layout, current, idx)
        {
            layout.columns[pos].0 = dup_col;
            layout.unknown.push((
                current,
                format!("{}（与另一列重复）", profile.columns[idx].header),
            ));
        } else {
            layout.unknown.push((
                dup_col,
                format!("{}（与另一列重复）", profile.columns[idx].header),
            ));
        }
    }
    layout.unknown.sort_by_key(|(c, _)| *c);
}

/// Pick the sheet and profile: the given profile's best sheet, or the best match of all.
fn choose<'a>(
    book: &'a Book,
    profiles: &'a [Profile],
    wanted: Option<&str>,
) -> Result<(&'a Sheet, &'a Profile, Layout)> {
    let candidates: Vec<&Profile> = match wanted {
        Some(k) => vec![find(profiles, k)?],
        None => profiles.iter().collect(),
    };
    let mut best: Option<(&Sheet, &Profile, Layout)> = None;
    for sheet in &book.sheets {
        for p in &candidates {
            if let Some(l) = find_layout(p, sheet) {
                if best.as_ref().is_none_or(|(_, _, b)| l.score() > b.score()) {
                    best = Some((sheet, p, l));
                }
            }
        }
    }
    best.ok_or_else(|| {
        let names: Vec<String> = candidates.iter().map(|p| format!("{}（{}）", p.name, p.id)).collect();
        Error::BadFile(format!(
            "没有在文件中找到可导入的台账表：前 30 行里没有与{}相符的表头（至少要认出 3 列，如 姓名、公民身份号码、所在党支部）。如果这是统计报表或一人一表的采集表，请改用花名册式的明细表；如果表头写法不同，可用 --as 指定模板或增加模板配置",
            names.join("、")
        ))
    })
}

/// Import (or preview) a workbook. The real import is one transaction: with invalid rows
/// nothing is written unless `skip_invalid`; a dry run never writes.
pub fn import_file(store: &mut Store, path: &Path, opts: &ImportOptions) -> Result<ImportOutcome> {
    let book = read_book(path, &opts.limits)?;
    let profiles = load_profiles(opts.profiles_dir.as_deref())?;
    let (sheet, profile, mut layout) = choose(&book, &profiles, opts.profile.as_deref())?;
    prefer_parsable_columns(profile, sheet, &mut layout);
    let ctx = SheetCtx {
        profile,
        sheet,
        layout: &layout,
        preamble_org: org_from_preamble(&layout.preamble),
    };
    let summary = ImportSummary {
        profile: profile.id.clone(),
        profile_name: profile.name.clone(),
        sheet: sheet.name.clone(),
        header_row: layout.header_row + 1,
        unknown_columns: layout
            .unknown
            .iter()
            .map(|(c, t)| format!("{}列“{}”", column_letter(*c), t.trim()))
            .collect(),
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let summary = store.write_or_rollback(|tx| {
        let mut s = summary;
        match profile.entity.as_str() {
            "member" => import_sheet::<Member>(tx, &ctx, &mut s)?,
            "unit" => import_sheet::<Unit>(tx, &ctx, &mut s)?,
            "org" => import_sheet::<Org>(tx, &ctx, &mut s)?,
            "activity" => import_sheet::<Activity>(tx, &ctx, &mut s)?,
            "inspection" => import_sheet::<Inspection>(tx, &ctx, &mut s)?,
            "dues" => import_sheet::<Dues>(tx, &ctx, &mut s)?,
            other => {
                return Err(Error::Rule(format!(
                    "模板 {} 的记录类型“{other}”不支持导入",
                    profile.id
                )))
            }
        }
        let commit = !opts.dry_run && (s.invalid == 0 || opts.skip_invalid);
        s.committed = commit && (s.inserted + s.updated) > 0;
        Ok((s, commit))
    })?;
    Ok(ImportOutcome { summary, book })
}
