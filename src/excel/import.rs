//! Importing a sheet into the ledger: preview (dry run) and the real import, one
//! transaction either way, per-cell errors with the sheet's own row numbers and letters.

use super::layout::{find_layout, Layout};
use super::mapping::{self, ColumnMapping, MissingColumn};
use super::pipeline;
use super::profile::{find, load_profiles, Profile};
use super::progress::{debug_fn, report, Phase, ProgressFn};
use super::read::{column_letter, read_book, sniff, Book, Format, Limits, Row, Sheet};
use super::resolve::Created;
use super::rows::{Importable, SheetCtx};
use super::run::Run;
use super::speculate::{Preparer, Snapshot, TextPlan, Texts};
use super::tell::{self, NearMiss};
use crate::error::{Error, Result};
use crate::model::fields::FieldKind;
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
    /// The org (全称) of every row that names none: a file without a 所在党支部 column.
    /// Created when the ledger lacks it, as orgs named in a sheet are.
    pub org: Option<String>,
    /// The activity a sign-in sheet (出席签到表) is for; found from its title when unset.
    pub activity: Option<crate::model::Id>,
    pub limits: Limits,
    /// No errors workbook will be written: a file with errors is not read back whole for it
    /// (`ImportOutcome::book` then holds only each sheet's first rows, as for a clean file).
    pub no_errors_book: bool,
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
            .field("org", &self.org)
            .field("activity", &self.activity)
            .field("limits", &self.limits)
            .field("no_errors_book", &self.no_errors_book)
            .field("progress", &debug_fn(&self.progress))
            .finish()
    }
}

/// One invalid cell (or row, when `column` is empty), in the spreadsheet's own terms.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct CellError {
    pub sheet: String,
    /// 1-based row number as Excel shows it.
    pub row: u32,
    /// Column letter(s), e.g. "D"; empty when the problem is not one cell's.
    pub column: String,
    pub value: String,
    pub message: String,
}

impl CellError {
    /// A problem of `row` at column `col` (or of the whole row), with the cell's value as the
    /// sheet shows it.
    pub(super) fn at(sheet: &str, row: &Row, col: Option<u32>, message: impl Into<String>) -> Self {
        CellError {
            sheet: sheet.to_string(),
            row: row.index + 1,
            column: col.map(column_letter).unwrap_or_default(),
            value: col
                .and_then(|c| row.get(c))
                .map(super::layout::cell_text)
                .unwrap_or_default(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Default, ts_rs::TS)]
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
    /// The invalid cells: at most the first `ERRORS_LISTED_PER_COLUMN` of each column, by row
    /// (see `error_log`); the rest are counted in `errors_omitted`.
    pub errors: Vec<CellError>,
    /// Per column, how many errors `errors` leaves out.
    pub errors_omitted: Vec<super::error_log::OmittedErrors>,
    /// Every bad cell (listed or not), by row, for the errors workbook.
    #[serde(skip)]
    #[ts(skip)]
    pub error_marks: Vec<super::error_log::ErrorMark>,
    /// Headers no column of the profile matched (ignored).
    pub unknown_columns: Vec<String>,
    /// Each header of the sheet and what it becomes (guesses marked).
    pub columns: Vec<ColumnMapping>,
    /// Template columns the sheet lacks.
    pub missing: Vec<MissingColumn>,
    /// What to know about how the file was read: guessed columns, two columns for one field.
    pub warnings: Vec<String>,
    /// Problems of the whole file (a required column missing, a status column not
    /// understood): while there are any, no row is checked or imported.
    pub problems: Vec<String>,
    /// The rows need an org for the whole file (the sheet has no 所在党支部 column): choose one.
    pub needs_org: bool,
    /// The org given to rows without one: chosen for the file or named in its title.
    pub file_org: Option<String>,
    /// A sign-in sheet: the activity it is for (its date, type, topic and org).
    pub activity: Option<String>,
    /// A sign-in sheet whose activity neither was chosen nor follows from its title.
    pub needs_activity: bool,
    /// Records named in the sheet that the ledger did not have (created by the import).
    pub created: Created,
    pub dry_run: bool,
    /// Whether anything was written.
    pub committed: bool,
}

impl ImportSummary {
    /// How many invalid cells there are in all, listed or not.
    pub fn error_count(&self) -> usize {
        let omitted: usize = self.errors_omitted.iter().map(|o| o.count).sum();
        self.errors.len() + omitted
    }

    /// Whether any cell or row is in error.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || !self.errors_omitted.is_empty()
    }
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

pub(crate) fn field_kind(entity: &str, field: &str) -> Option<FieldKind> {
    field_spec(entity, field).map(|s| s.kind)
}

/// Settle the chosen layout for the file (see `mapping::settle`).
pub(crate) fn settle(profile: &Profile, sheet: &Sheet, layout: &mut Layout, opts: &ImportOptions) {
    let completed = super::rows::completed_fields(&profile.entity);
    mapping::settle(profile, sheet, layout, opts.org.as_deref(), completed);
}

/// Pick the sheet and profile: the given profile's best sheet, or the best match of all
/// whose table the sheet is (see `tell`). Only each sheet's first rows matter (see `HEAD_ROWS`).
pub(super) fn choose<'a>(
    book: &'a Book,
    profiles: &'a [Profile],
    opts: &ImportOptions,
) -> Result<(&'a Sheet, &'a Profile, Layout)> {
    let wanted = opts.profile.as_deref();
    let candidates: Vec<&Profile> = match wanted {
        Some(k) => vec![find(profiles, k)?],
        None => profiles.iter().collect(),
    };
    let mut best: Option<(&Sheet, &Profile, Layout)> = None;
    // The best layout refused for not being its profile's table, to say why.
    let mut near: Option<NearMiss> = None;
    for sheet in &book.sheets {
        for p in &candidates {
            let Some(l) = find_layout(p, sheet) else {
                continue;
            };
            if wanted.is_none() && !tell::is_this_table(p, &l) {
                if near.as_ref().is_none_or(|n| l.score() > n.layout.score()) {
                    near = Some(NearMiss {
                        profile: p,
                        layout: l,
                    });
                }
                continue;
            }
            if best.as_ref().is_none_or(|(_, _, b)| l.score() > b.score()) {
                best = Some((sheet, p, l));
            }
        }
    }
    match best {
        Some(b) => Ok(b),
        None => {
            let kinds = tell::other_kinds(opts.profiles_dir.as_deref())?;
            let wanted = wanted.map(|_| candidates[0]);
            Err(tell::refusal(book, &kinds, near, wanted, &candidates))
        }
    }
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
    let (columns, missing) = mapping::column_mapping(profile, layout);
    ImportSummary {
        profile: profile.id.clone(),
        profile_name: profile.name.clone(),
        sheet: sheet.to_string(),
        header_row: layout.header_row + 1,
        unknown_columns: layout
            .unknown
            .iter()
            .map(|(c, t)| format!("{}列“{}”", column_letter(*c), t.trim()))
            .chain(layout.set_aside.iter().map(|(c, i)| {
                format!(
                    "{}列“{}”（与另一列同为“{}”）",
                    column_letter(*c),
                    layout.header_of(*c),
                    profile.columns[*i].header
                )
            }))
            .chain(
                layout
                    .ambiguous
                    .iter()
                    .map(|(c, t, _)| format!("{}列“{t}”（含义不明）", column_letter(*c))),
            )
            .collect(),
        columns,
        missing,
        warnings: layout.warnings.clone(),
        problems: layout.problems.clone(),
        needs_org: layout.needs_org,
        file_org: layout.file_org.clone(),
        dry_run,
        ..Default::default()
    }
}

/// Whether to commit, and the summary's last word on it.
pub(super) fn decide(s: &mut ImportSummary, opts: &ImportOptions) -> bool {
    let commit = !opts.dry_run && s.problems.is_empty() && (s.invalid == 0 || opts.skip_invalid);
    s.committed = commit && (s.inserted + s.updated) > 0;
    commit
}

/// Run `$body` with `$T` the record type of a table's entity name (the types Excel tables
/// hold, see `Importable`); any other name runs `$other`.
macro_rules! with_table_type {
    ($entity:expr, $T:ident => $body:expr, $other:expr) => {
        match $crate::model::Entity::parse($entity) {
            Some(e) => $crate::__entity_match!(e, $T => $body,
                [Member, Unit, Org, Activity, Inspection, Dues, Applicant], _ => $other),
            None => $other,
        }
    };
}
pub(super) use with_table_type;

/// [`with_table_type!`], refusing any other name, naming template `$id`.
macro_rules! by_entity {
    ($entity:expr, $id:expr, $T:ident => $body:expr) => {{
        let name: &str = $entity;
        super::import::with_table_type!(name, $T => $body, return Err(Error::Rule(format!(
            "模板 {} 的记录类型“{name}”不支持导入或导出",
            $id
        ))))
    }};
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
    let (sheet, profile, mut layout) = choose(&book, profiles, opts)?;
    settle(profile, sheet, &mut layout, opts);
    if profile.entity == super::attendance::ENTITY {
        let summary = super::attendance::import_sheet(store, sheet, profile, &layout, opts)?;
        return Ok(ImportOutcome { summary, book });
    }
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
    let ctx = SheetCtx {
        profile,
        sheet: &sheet.name,
        layout,
        preamble_org: layout.file_org.clone(),
        last_pass: None,
    };
    let summary = summary_for(&sheet.name, profile, layout, opts.dry_run);
    let mut run = Run::new(ctx, summary, opts.progress.clone());
    let plan = TextPlan::new(profile, layout);
    let data: Vec<(usize, Texts)> = (layout.header_pos + 1..sheet.rows.len())
        .filter_map(|i| plan.data(&sheet.rows[i]).map(|t| (i, t)))
        .collect();
    run.total = data.len();
    let snap = Snapshot::load(tx)?;
    let mut prep = Preparer::new(profile, layout, layout.file_org.clone(), &snap);
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
