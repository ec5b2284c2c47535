//! Writing a sheet's rows in one transaction: each row as it arrives (prepared rows straight
//! in, the others through `process_row` in a savepoint of their own), then the rows that
//! failed, again, while that helps (a branch listed before its 上级党组织).

use super::error_log::ErrorLog;
use super::import::{CellError, ImportSummary};
use super::progress::{report, Phase, ProgressFn, EVERY};
use super::read::Row;
use super::resolve;
use super::rows::KeyAlternative;
use super::rows::{process_row, Importable, RowFailure, RowOutcome, SheetCtx};
use super::speculate::{key_exists, Asked, NameKind, NewName, Prep, Ready};
use crate::error::{Error, Result};
use crate::model::Id;
use crate::model::Lookup;
use crate::store::{insert_changes, Table, Tx};
use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::Sender;

pub(super) struct Run<'a> {
    pub(super) ctx: SheetCtx<'a>,
    pub(super) s: ImportSummary,
    /// Rows that failed (the first pass, then each retry): their positions in the sheet's rows.
    failed: Vec<usize>,
    /// Why the rows in `failed` failed, bounded (see `error_log`).
    log: ErrorLog,
    /// New names (see `speculate`) found or created here, outside any row's savepoint.
    resolved: [HashMap<String, Id, foldhash::fast::RandomState>; 3],
    progress: Option<ProgressFn>,
    /// Expected number of data rows, for progress.
    pub(super) total: usize,
    /// What prepared rows leave over, sent back to the thread that made it to be freed there
    /// (freeing another thread's memory contends for its allocator's lock).
    trash: Vec<Box<dyn Any + Send>>,
    pub(super) bin: Option<Sender<Vec<Box<dyn Any + Send>>>>,
    /// What the sheet's table is known to hold, for the natural-key check of prepared rows.
    fresh: Fresh,
}

/// The sheet's table as far as this import knows it.
enum Fresh {
    /// Not yet looked at (before the first row).
    Unknown,
    /// It was empty when the import began and only prepared rows have been written to it
    /// since: it holds exactly the records with these natural keys, so "is this key taken?"
    /// is a set lookup rather than a query (a county's first roster import).
    Keys(HashSet<KeyAlternative, foldhash::fast::RandomState>),
    /// It held records, or a row went the ordinary way: ask the database.
    Ask,
}

#[cfg(test)]
thread_local! {
    /// Rows written by `insert_ready` on this thread (tests check the fast path is taken).
    pub(super) static FAST_ROWS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Natural keys checked against `Fresh::Keys` rather than the database, on this thread.
    pub(super) static SET_LOOKUPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Rows' leftovers gathered before they are sent back.
const TRASH_BATCH: usize = 256;

impl<'a> Run<'a> {
    pub(super) fn new(ctx: SheetCtx<'a>, s: ImportSummary, progress: Option<ProgressFn>) -> Self {
        Run {
            ctx,
            s,
            failed: Vec::new(),
            log: ErrorLog::default(),
            resolved: Default::default(),
            progress,
            total: 0,
            trash: Vec::new(),
            bin: None,
            fresh: Fresh::Unknown,
        }
    }

    pub(super) fn discard(&mut self, item: Box<dyn Any + Send>) {
        let Some(bin) = &self.bin else { return };
        self.trash.push(item);
        if self.trash.len() >= TRASH_BATCH {
            let full = std::mem::replace(&mut self.trash, Vec::with_capacity(TRASH_BATCH));
            if bin.send(full).is_err() {
                self.bin = None;
            }
        }
    }

    fn phase(&self) -> Phase {
        if self.s.dry_run {
            Phase::Check
        } else {
            Phase::Write
        }
    }

    /// The first pass over one data row (at `pos` in the sheet's rows); true when it failed
    /// (the row is needed again by `finish`).
    pub(super) fn first<T: Importable + 'static>(
        &mut self,
        tx: &mut Tx,
        row: &Row,
        pos: usize,
        prep: Prep,
    ) -> Result<bool> {
        self.s.rows += 1;
        // A file-level problem (a required column missing …): rows are counted, not checked —
        // each would fail for the same reason, said once for the file.
        if !self.s.problems.is_empty() {
            self.discard(Box::new(prep));
            return Ok(false);
        }
        if let Fresh::Unknown = self.fresh {
            self.fresh = fresh_at_start::<T>(tx, &self.ctx.profile.match_key)?;
        }
        let Prep { names, ready } = prep;
        let ready = ready.and_then(|r| r.downcast::<Ready<T>>().ok());
        let fast = match ready {
            Some(ready) => self.insert_ready::<T>(tx, *ready, &names)?,
            None => None,
        };
        let outcome = match fast {
            Some(o) => Ok(o),
            None => self.in_savepoint::<T>(tx, row, &names)?,
        };
        self.discard(Box::new(names));
        let failed = outcome.is_err();
        match outcome {
            Ok(o) => self.count(o),
            Err(errs) => {
                self.failed.push(pos);
                self.log.add(errs);
            }
        }
        if self.s.rows.is_multiple_of(EVERY) {
            report(&self.progress, self.phase(), self.s.rows, self.total);
        }
        Ok(failed)
    }

    fn count(&mut self, o: RowOutcome) {
        match o {
            RowOutcome::Inserted => self.s.inserted += 1,
            RowOutcome::Updated => self.s.updated += 1,
            RowOutcome::Unchanged => self.s.unchanged += 1,
        }
    }

    /// A row through `process_row`, undone alone if it fails.
    fn in_savepoint<T: Importable>(
        &mut self,
        tx: &mut Tx,
        row: &Row,
        hints: &[NewName],
    ) -> Result<Result<RowOutcome, Vec<CellError>>> {
        let seq = tx.begin_row()?;
        let created = &mut self.s.created;
        let before = (
            created.orgs.len(),
            created.units.len(),
            created.instructors.len(),
        );
        match process_row::<T>(tx, &self.ctx, row, created, hints) {
            Ok(outcome) => {
                tx.release_row()?;
                self.fresh = Fresh::Ask;
                Ok(Ok(outcome))
            }
            Err(RowFailure::Cells(errs)) => {
                tx.rollback_row(seq)?;
                created.orgs.truncate(before.0);
                created.units.truncate(before.1);
                created.instructors.truncate(before.2);
                Ok(Err(errs))
            }
            Err(RowFailure::Fatal(e)) => Err(e),
        }
    }

    /// Insert a prepared row if everything it assumed still holds; `None` sends the row down
    /// the ordinary path (nothing has been written then).
    fn insert_ready<T: Importable + 'static>(
        &mut self,
        tx: &mut Tx,
        ready: Ready<T>,
        names: &[NewName],
    ) -> Result<Option<RowOutcome>> {
        let Ready {
            rec,
            record_id,
            mut keys,
            asked,
            changes,
        } = ready;
        let outcome = self.write_ready(tx, rec, record_id, &keys, &asked, &changes, names)?;
        let rec = match outcome {
            Some(rec) => rec,
            None => return Ok(None),
        };
        if let Fresh::Keys(written) = &mut self.fresh {
            written.extend(keys.drain(..));
        }
        self.discard(Box::new((rec, keys, asked, changes)));
        #[cfg(test)]
        FAST_ROWS.with(|n| n.set(n.get() + 1));
        Ok(Some(RowOutcome::Inserted))
    }

    #[allow(clippy::too_many_arguments)]
    fn write_ready<T: Importable>(
        &mut self,
        tx: &mut Tx,
        rec: T,
        record_id: Option<Id>,
        keys: &[KeyAlternative],
        asked: &[Asked],
        changes: &str,
        names: &[NewName],
    ) -> Result<Option<T>> {
        let mut to_create: Vec<&NewName> = Vec::new();
        for n in names {
            let known = self.resolved[n.kind as usize].get(&n.name).copied();
            let found = match known {
                Some(id) => Some(id),
                None => {
                    let found = resolve::find_by(tx, n.kind.table(), "name", &n.name)?;
                    if let Some(id) = found {
                        self.resolved[n.kind as usize].insert(n.name.clone(), id);
                    }
                    found
                }
            };
            match found {
                Some(id) if id == n.id => {}
                Some(_) => return Ok(None),
                None => to_create.push(n),
            }
        }
        for asked in asked {
            let holds = match asked {
                Asked::Exists(table, id) => {
                    to_create
                        .iter()
                        .any(|n| n.id == *id && n.kind.table() == table)
                        || tx.exists(table, id)
                }
                Asked::Taken(table, column, value, except) => {
                    // The natural-key check below asks the same (any record with this value).
                    let same = record_id.is_none()
                        && table == T::TABLE
                        && keys
                            .iter()
                            .any(|k| k.len() == 1 && &k[0].0 == column && &k[0].1 == value);
                    same || !tx.taken(table, column, value, except)
                }
            };
            if !holds {
                return Ok(None);
            }
        }
        match record_id {
            Some(id) if tx.exists(T::TABLE, &id) => return Ok(None),
            Some(_) => {}
            None => {
                for key in keys {
                    let taken = match &self.fresh {
                        Fresh::Keys(written) => {
                            #[cfg(test)]
                            SET_LOOKUPS.with(|n| n.set(n.get() + 1));
                            written.contains(key)
                        }
                        _ => key_exists(tx, T::TABLE, key)?,
                    };
                    if taken {
                        return Ok(None);
                    }
                }
            }
        }
        // The records its new names create, checked before anything is written (none of
        // them bears on another's validity: different tables, or different names).
        let mut orgs = Vec::new();
        let mut units = Vec::new();
        let mut instructors = Vec::new();
        for n in &to_create {
            let id = Some(n.id);
            let checked = match n.kind {
                NameKind::Org => push_checked(tx, &mut orgs, resolve::new_org(&n.name, id)),
                NameKind::Unit => push_checked(tx, &mut units, resolve::new_unit(&n.name, id)),
                NameKind::Instructor => {
                    push_checked(tx, &mut instructors, resolve::new_instructor(&n.name, id))
                }
            };
            match checked {
                Ok(()) => {}
                Err(Error::Validation(_) | Error::Rule(_)) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        // Adding the record may write more (a 预备党员's 发展 event): give it a savepoint.
        let guarded = rec.adds_more();
        let seq = if guarded { Some(tx.begin_row()?) } else { None };
        let created = &mut self.s.created;
        let before = (
            created.orgs.len(),
            created.units.len(),
            created.instructors.len(),
        );
        let written = (|| {
            // In the order the row names them, as `process_row` creates them.
            for n in &to_create {
                let list = match n.kind {
                    NameKind::Org => {
                        insert_checked(tx, &mut orgs)?;
                        &mut created.orgs
                    }
                    NameKind::Unit => {
                        insert_checked(tx, &mut units)?;
                        &mut created.units
                    }
                    NameKind::Instructor => {
                        insert_checked(tx, &mut instructors)?;
                        &mut created.instructors
                    }
                };
                list.push(n.name.clone());
            }
            T::add_validated(tx, rec, changes)
        })();
        match (written, seq) {
            (Ok(rec), seq) => {
                if seq.is_some() {
                    tx.release_row()?;
                }
                for n in to_create {
                    self.resolved[n.kind as usize].insert(n.name.clone(), n.id);
                }
                Ok(Some(rec))
            }
            (Err(Error::Validation(_) | Error::Rule(_)), Some(seq)) => {
                tx.rollback_row(seq)?;
                created.orgs.truncate(before.0);
                created.units.truncate(before.1);
                created.instructors.truncate(before.2);
                Ok(None)
            }
            (Err(e), _) => Err(e),
        }
    }

    /// Whether `finish` will look at the rows that failed again (to retry them, or for the
    /// names they define): not when every row failed and no column creates records last.
    pub(super) fn needs_failed_rows(&self) -> bool {
        let creates_last = self.ctx.profile.columns.iter().any(|c| c.create_last);
        !self.failed.is_empty() && (self.failed.len() != self.s.rows || creates_last)
    }

    /// The positions of the rows that failed so far, in sheet order.
    pub(super) fn failed_positions(&self) -> &[usize] {
        &self.failed
    }

    /// Retry the failed rows while that helps, then record what is still invalid.
    /// `row(pos)`: the rows that failed the first pass, by position.
    pub(super) fn finish<'r, T: Importable>(
        &mut self,
        tx: &mut Tx,
        row: impl Fn(usize) -> Option<&'r Row>,
    ) -> Result<()> {
        report(&self.progress, self.phase(), self.s.rows, self.s.rows);
        let mut failed = std::mem::take(&mut self.failed);
        // With every row failed nothing was written that a retry could find.
        let rows = self.s.rows;
        self.retry::<T>(tx, &row, &mut failed, rows)?;
        // Names no row of the file defines: now they may become records of their own.
        let creates_last = self.ctx.profile.columns.iter().any(|c| c.create_last);
        if creates_last && !failed.is_empty() {
            let defined = failed
                .iter()
                .filter_map(|pos| row(*pos).and_then(|r| self.ctx.own_name(r)))
                .collect();
            self.ctx.last_pass = Some(defined);
            self.retry::<T>(tx, &row, &mut failed, usize::MAX)?;
        }
        // Once every row is in: the 覆盖单位 of the orgs the rows created (see `coverage`).
        super::coverage::infer(tx, &mut self.s.created)?;
        std::mem::take(&mut self.log).into_summary(&mut self.s);
        self.s.invalid = failed.len();
        Ok(())
    }
}

impl<'a> Run<'a> {
    /// The failed rows again, while a pass gets any of them in (`before_pass`: how many
    /// rows the pass before tried).
    fn retry<'r, T: Importable>(
        &mut self,
        tx: &mut Tx,
        row: &impl Fn(usize) -> Option<&'r Row>,
        failed: &mut Vec<usize>,
        mut before_pass: usize,
    ) -> Result<()> {
        while !failed.is_empty() && failed.len() != before_pass {
            before_pass = failed.len();
            let pending: Vec<usize> = std::mem::take(failed);
            // Every pending row is tried again: their errors are recorded afresh.
            self.log.clear();
            for pos in pending {
                let Some(row) = row(pos) else {
                    return Err(Error::BadFile(format!("第 {} 行读取后丢失", pos + 1)));
                };
                match self.in_savepoint::<T>(tx, row, &[])? {
                    Ok(o) => self.count(o),
                    Err(errs) => {
                        failed.push(pos);
                        self.log.add(errs);
                    }
                }
            }
        }
        Ok(())
    }
}

/// Natural-key fields whose key text is exactly what validation stores (both trim and
/// upper-case them, see `key_alternatives`). Other fields are normalised by validation (民族
/// to its dictionary value, 出生日期 filled from the 身份证号 …): a key set built from row texts
/// could miss a record the database would find.
const KEYS_STORED_AS_GIVEN: [&str; 2] = ["id_number", "credit_code"];

/// `Fresh::Keys` when the sheet's table is empty, only prepared rows will write to it (not
/// when rows create records in it by name: orgs, units, instructors) and its natural keys are
/// stored as given.
fn fresh_at_start<T: Importable>(tx: &Tx, match_key: &[String]) -> Result<Fresh> {
    let stored_as_given = match_key
        .iter()
        .flat_map(|alternative| alternative.split('+'))
        .all(|field| KEYS_STORED_AS_GIVEN.contains(&field));
    if !stored_as_given || NameKind::ALL.iter().any(|k| k.table() == T::TABLE) {
        return Ok(Fresh::Ask);
    }
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", T::TABLE);
    let held: bool = tx.conn().query_row(&sql, [], |r| r.get(0))?;
    Ok(if held {
        Fresh::Ask
    } else {
        Fresh::Keys(HashSet::default())
    })
}

/// Validate a record a name creates and keep it, with its change-log text, for writing.
fn push_checked<R: Table>(tx: &Tx, out: &mut Vec<(R, String)>, mut rec: R) -> Result<()> {
    tx.check_new(&mut rec)?;
    let changes = insert_changes(&rec)?;
    out.push((rec, changes));
    Ok(())
}

/// Write the first of the records kept by `push_checked`.
fn insert_checked<R: Table>(tx: &mut Tx, from: &mut Vec<(R, String)>) -> Result<()> {
    if from.is_empty() {
        return Ok(());
    }
    let (rec, changes) = from.remove(0);
    tx.insert_validated(rec, &changes)?;
    Ok(())
}
