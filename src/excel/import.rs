//! Importing a sheet into the ledger: preview (dry run) and the real import, one
//! transaction either way, per-cell errors with the sheet's own row numbers and letters.

use super::layout::{find_layout, org_from_preamble, Layout};
use super::pipeline;
use super::profile::{find, load_profiles, Profile};
use super::progress::{debug_fn, report, Phase, ProgressFn};
use super::read::{column_letter, read_book, sniff, Book, Format, Limits, Sheet};
use super::resolve::Created;
use super::rows::{cell_value, Importable, SheetCtx};
use super::run::Run;
use super::speculate::{Preparer, Snapshot, TextPlan, Texts};
use crate::error::{Error, Result};
use crate::model::fields::{parse_value, FieldKind};
use crate::model::*;
use crate::store::Tx;
use crate::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Default)]
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
    /// Told how far the import is (读取, then 写入 or, for a dry run, 校验).
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("profile", &self.profile)
            .field("dry_run", &self.dry_run)
            .field("skip_invalid", &self.skip_invalid)
            .field("profiles_dir", &self.profiles_dir)
            .field("limits", &self.limits)
            .field("progress", &debug_fn(&self.progress))
            .finish()
    }
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

/// The result of an import: the summary, and the workbook as read.
pub struct ImportOutcome {
    pub summary: ImportSummary,
    /// Every row of every sheet when the summary has errors (for the errors workbook);
    /// otherwise a streamed .xlsx keeps only each sheet's first `HEAD_ROWS` rows (its title
    /// and header, for the column mapping), so a clean import of a big roster does not hold
    /// the whole file in memory.
    pub book: Book,
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

pub(super) fn prefer_parsable_columns(profile: &Profile, sheet: &Sheet, layout: &mut Layout) {
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
/// Only each sheet's first rows matter (see `HEAD_ROWS`).
pub(super) fn choose<'a>(
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

/// How many rows from the top of a sheet decide its header and columns: the header within
/// the first 31 rows (`layout`), the 50 rows under it for `parsable`.
pub(super) const HEAD_ROWS: usize = 82;

/// The summary of an import before any row, from the sheet, profile and header chosen.
pub(super) fn summary_for(
    sheet: &str,
    profile: &Profile,
    layout: &Layout,
    dry_run: bool,
) -> ImportSummary {
    ImportSummary {
        profile: profile.id.clone(),
        profile_name: profile.name.clone(),
        sheet: sheet.to_string(),
        header_row: layout.header_row + 1,
        unknown_columns: layout
            .unknown
            .iter()
            .map(|(c, t)| format!("{}列“{}”", column_letter(*c), t.trim()))
            .collect(),
        dry_run,
        ..Default::default()
    }
}

/// Whether to commit, and the summary's last word on it.
pub(super) fn decide(s: &mut ImportSummary, opts: &ImportOptions) -> bool {
    let commit = !opts.dry_run && (s.invalid == 0 || opts.skip_invalid);
    s.committed = commit && (s.inserted + s.updated) > 0;
    commit
}

/// Run `$body` with `$T` the record type of an entity name.
macro_rules! by_entity {
    ($entity:expr, $id:expr, $T:ident => $body:expr) => {
        match $entity {
            "member" => {
                type $T = Member;
                $body
            }
            "unit" => {
                type $T = Unit;
                $body
            }
            "org" => {
                type $T = Org;
                $body
            }
            "activity" => {
                type $T = Activity;
                $body
            }
            "inspection" => {
                type $T = Inspection;
                $body
            }
            "dues" => {
                type $T = Dues;
                $body
            }
            other => {
                return Err(Error::Rule(format!(
                    "模板 {} 的记录类型“{other}”不支持导入",
                    $id
                )))
            }
        }
    };
}
pub(super) use by_entity;

/// Import (or preview) a workbook. The real import is one transaction: with invalid rows
/// nothing is written unless `skip_invalid`; a dry run never writes.
///
/// An .xlsx is read on one thread while its rows are checked and written on this one (see
/// `pipeline`); an .xls, or an .xlsx whose cells are out of order, is read whole first.
pub fn import_file(store: &mut Store, path: &Path, opts: &ImportOptions) -> Result<ImportOutcome> {
    report(&opts.progress, Phase::Read, 0, 0);
    let profiles = load_profiles(opts.profiles_dir.as_deref())?;
    if let Format::Xlsx = sniff(path, &opts.limits)? {
        if let Some(outcome) = pipeline::import_streamed(store, path, opts, &profiles)? {
            return Ok(outcome);
        }
    }
    import_book(store, read_book(path, &opts.limits)?, opts, &profiles, true)
}

/// The import without its fast paths: the workbook read whole, every row through
/// `process_row` in its own savepoint (for tests that the fast paths change nothing).
#[cfg(test)]
pub(super) fn import_file_plain(
    store: &mut Store,
    path: &Path,
    opts: &ImportOptions,
) -> Result<ImportOutcome> {
    let profiles = load_profiles(opts.profiles_dir.as_deref())?;
    import_book(
        store,
        read_book(path, &opts.limits)?,
        opts,
        &profiles,
        false,
    )
}

/// Import a workbook read whole.
fn import_book(
    store: &mut Store,
    book: Book,
    opts: &ImportOptions,
    profiles: &[Profile],
    prepare: bool,
) -> Result<ImportOutcome> {
    let (sheet, profile, mut layout) = choose(&book, profiles, opts.profile.as_deref())?;
    prefer_parsable_columns(profile, sheet, &mut layout);
    let summary = store.write_bulk_or_rollback(|tx| {
        by_entity!(profile.entity.as_str(), profile.id, T => {
            book_rows::<T>(tx, sheet, profile, &layout, opts, prepare)
        })
    })?;
    Ok(ImportOutcome { summary, book })
}

fn book_rows<T: Importable + Send + 'static>(
    tx: &mut Tx,
    sheet: &Sheet,
    profile: &Profile,
    layout: &Layout,
    opts: &ImportOptions,
    prepare: bool,
) -> Result<(ImportSummary, bool)> {
    let preamble_org = org_from_preamble(&layout.preamble);
    let ctx = SheetCtx {
        profile,
        sheet: &sheet.name,
        layout,
        preamble_org: preamble_org.clone(),
    };
    let summary = summary_for(&sheet.name, profile, layout, opts.dry_run);
    let mut run = Run::new(ctx, summary, opts.progress.clone());
    let plan = TextPlan::new(profile, layout);
    let data: Vec<(usize, Texts)> = (layout.header_pos + 1..sheet.rows.len())
        .filter_map(|i| plan.data(&sheet.rows[i]).map(|t| (i, t)))
        .collect();
    run.total = data.len();
    let snap = Snapshot::load(tx)?;
    let mut prep = Preparer::new(profile, layout, preamble_org, &snap);
    prep.enabled = prepare;
    for (pos, texts) in data {
        let p = prep.prepare::<T>(texts);
        run.first::<T>(tx, &sheet.rows[pos], pos, p)?;
    }
    run.finish::<T>(tx, |pos| sheet.rows.get(pos))?;
    let mut s = run.s;
    let commit = decide(&mut s, opts);
    Ok((s, commit))
}
