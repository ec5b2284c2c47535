//! An .xlsx import on two threads, so a big roster takes about as long as reading it:
//!   reader    parses the workbook (`stream`, our own reader), finds the table from each
//!             sheet's first rows, then streams every row, turning the table's data rows
//!             into validated records (`speculate`) as it goes;
//!   this one  owns the transaction: writes prepared rows, takes the others through the
//!             ordinary path; it keeps each sheet's first rows (title and header) and the
//!             rows that failed, and frees the others — a file with errors is read again,
//!             whole, for the errors workbook.
//! (Reading and preparing once had a thread each: on two cores the writer, the longest,
//! then shared its core; together they take about as long as it, and free what they made
//! on the thread that made it.) A bounded channel of row batches keeps memory flat; if this
//! thread stops (an error), the reader stops at its next send.

use super::import::{
    by_entity, choose, decide, settle, summary_for, ImportOptions, ImportOutcome, HEAD_ROWS,
};
use super::layout::Layout;
use super::profile::Profile;
use super::progress::{report, Phase};
use super::read::{read_book, Book, Row, Sheet};
use super::rows::{Importable, SheetCtx};
use super::run::Run;
use super::speculate::{Prep, Preparer, Snapshot, TextPlan, Texts};
use super::stream::{Stop, Streamed, XlsxStream};
use crate::error::{Error, Result};
use crate::store::Tx;
use crate::Store;
use std::any::Any;
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, Sender, SyncSender};

/// Rows per message between threads.
const BATCH: usize = 1024;
/// Messages in flight per channel.
const DEPTH: usize = 4;

/// The table found: which worksheet (by position among worksheets), which profile, where.
struct Choice {
    sheet: usize,
    name: String,
    profile: usize,
    layout: Layout,
}

enum Msg<T> {
    Chosen(Box<Choice>),
    Items(Vec<T>),
    Stopped(Stop),
    Done,
}

/// Import an .xlsx streamed; `None` when it has to be read whole instead (cells out of order).
pub(super) fn import_streamed(
    store: &mut Store,
    path: &Path,
    opts: &ImportOptions,
    profiles: &[Profile],
) -> Result<Option<ImportOutcome>> {
    let stream = XlsxStream::open(path, &opts.limits)?;
    let mut read_whole = false;
    let mut book = None;
    let result = store.write_bulk_or_rollback(|tx| {
        let snap = Snapshot::load(tx)?;
        std::thread::scope(|scope| {
            let (to_writer, from_reader) = sync_channel(DEPTH);
            let (to_bin, bin) = std::sync::mpsc::channel();
            let snap = &snap;
            named("import-read", scope, move || {
                read(stream, profiles, opts, snap, to_writer, bin)
            })?;
            let written = write(
                tx,
                path,
                from_reader,
                to_bin,
                profiles,
                opts,
                &mut read_whole,
            );
            written.map(|(summary, sheets, commit)| {
                book = Some(Book { sheets });
                (summary, commit)
            })
        })
    });
    if read_whole {
        return Ok(None);
    }
    let summary = result?;
    Ok(book.map(|book| ImportOutcome { summary, book }))
}

/// Start a named thread (names show in profilers and crash reports).
fn named<'scope, 'env>(
    name: &str,
    scope: &'scope std::thread::Scope<'scope, 'env>,
    f: impl FnOnce() + Send + 'scope,
) -> Result<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn_scoped(scope, f)
        .map(|_| ())
        .map_err(Error::Io)
}

/// The reader thread: passes every item on, with a `Prep` for each data row of the table.
fn read(
    mut stream: XlsxStream,
    profiles: &[Profile],
    opts: &ImportOptions,
    snap: &Snapshot,
    out: SyncSender<Msg<(Streamed, Option<Prep>)>>,
    bin: Receiver<Vec<Box<dyn Any + Send>>>,
) {
    let chosen = stream.heads(HEAD_ROWS).and_then(|heads| {
        let book = Book { sheets: heads };
        let (sheet, profile, mut layout) = choose(&book, profiles, opts).map_err(Stop::Failed)?;
        settle(profile, sheet, &mut layout, opts);
        Ok(Choice {
            sheet: book
                .sheets
                .iter()
                .position(|s| std::ptr::eq(s, sheet))
                .unwrap_or(0),
            name: sheet.name.clone(),
            profile: profiles
                .iter()
                .position(|p| std::ptr::eq(p, profile))
                .unwrap_or(0),
            layout,
        })
    });
    let choice = match chosen {
        Ok(c) => c,
        Err(stop) => {
            let _ = out.send(Msg::Stopped(stop));
            return;
        }
    };
    let layout = choice.layout.clone();
    let profile = &profiles[choice.profile];
    let plan = TextPlan::new(profile, &layout);
    let mut preparer = Preparer::new(profile, &layout, layout.file_org.clone(), snap);
    // The entity decides how rows are prepared. The writer hears of the choice first: a table
    // it reads whole (a sign-in sheet) or refuses stops it there.
    let prep = preparing(profile);
    let sheet = choice.sheet;
    if out.send(Msg::Chosen(Box::new(choice))).is_err() {
        return;
    }
    let prep = match prep {
        Ok(f) => f,
        Err(e) => {
            let _ = out.send(Msg::Stopped(Stop::Failed(e)));
            return;
        }
    };
    // Worksheet number and row position within it, as the writer will store them.
    let (mut current, mut pos) = (usize::MAX, 0usize);
    let mut batch = Vec::with_capacity(BATCH);
    let streamed = stream.stream(|item| {
        let texts = match &item {
            Streamed::Sheet(..) => {
                current = current.wrapping_add(1);
                pos = 0;
                None
            }
            Streamed::Row(row) => {
                pos += 1;
                if current == sheet && pos > layout.header_pos + 1 {
                    plan.data(row)
                } else {
                    None
                }
            }
            Streamed::End(_) => None,
        };
        batch.push((item, texts.map(|t| prep(&mut preparer, t))));
        if batch.len() < BATCH {
            return true;
        }
        // Free here what was allocated here (see `Run::discard`).
        while let Ok(trash) = bin.try_recv() {
            drop(trash);
        }
        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
        out.send(Msg::Items(full)).is_ok()
    });
    let last = match streamed {
        Ok(()) => {
            if !batch.is_empty() && out.send(Msg::Items(batch)).is_err() {
                return;
            }
            Msg::Done
        }
        Err(stop) => Msg::Stopped(stop),
    };
    let _ = out.send(last);
}

/// How rows of the profile's record type are prepared.
fn preparing(profile: &Profile) -> Result<fn(&mut Preparer, Texts) -> Prep> {
    fn prepare_as<T: Importable + 'static>(p: &mut Preparer, t: Texts) -> Prep {
        p.prepare::<T>(t)
    }
    by_entity!(profile.entity.as_str(), profile.id, T => {
        Ok(prepare_as::<T> as fn(&mut Preparer, Texts) -> Prep)
    })
}

type Written = (super::import::ImportSummary, Vec<Sheet>, bool);

/// This thread: the transaction's side.
fn write(
    tx: &mut Tx,
    path: &Path,
    input: Receiver<Msg<(Streamed, Option<Prep>)>>,
    bin: Sender<Vec<Box<dyn Any + Send>>>,
    profiles: &[Profile],
    opts: &ImportOptions,
    read_whole: &mut bool,
) -> Result<Written> {
    let choice = match input.recv() {
        Ok(Msg::Chosen(c)) => *c,
        Ok(Msg::Stopped(stop)) => return Err(stopped(stop, read_whole)),
        _ => return Err(Error::BadFile("读取文件时出错".into())),
    };
    let profile = &profiles[choice.profile];
    // A sign-in sheet is one record's detail, read whole (see `attendance`).
    if profile.entity == super::attendance::ENTITY {
        *read_whole = true;
        return Err(Error::BadFile("签到表改为整体读取".into()));
    }
    by_entity!(profile.entity.as_str(), profile.id, T => {
        write_rows::<T>(tx, path, input, bin, profile, choice, opts, read_whole)
    })
}

fn stopped(stop: Stop, read_whole: &mut bool) -> Error {
    match stop {
        Stop::Failed(e) => e,
        Stop::Unordered => {
            *read_whole = true;
            Error::BadFile("单元格顺序混乱，改为整体读取".into())
        }
        Stop::Consumer => Error::BadFile("读取文件时出错".into()),
    }
}

#[allow(clippy::too_many_arguments)]
fn write_rows<T: Importable + 'static>(
    tx: &mut Tx,
    path: &Path,
    input: Receiver<Msg<(Streamed, Option<Prep>)>>,
    bin: Sender<Vec<Box<dyn Any + Send>>>,
    profile: &Profile,
    choice: Choice,
    opts: &ImportOptions,
    read_whole: &mut bool,
) -> Result<Written> {
    let layout = &choice.layout;
    let ctx = SheetCtx {
        profile,
        sheet: &choice.name,
        layout,
        preamble_org: layout.file_org.clone(),
        last_pass: None,
    };
    let summary = summary_for(&choice.name, profile, layout, opts.dry_run);
    let mut run = Run::new(ctx, summary, opts.progress.clone());
    run.bin = Some(bin);
    report(&opts.progress, run_phase(opts), 0, 0);
    let mut sheets: Vec<Sheet> = Vec::new();
    // Rows of the table that failed the first pass, by position, for the second (at most
    // `Limits::max_failed_rows_kept`; `dropped` when there were more).
    let mut failed: HashMap<usize, Row> = HashMap::new();
    let mut dropped = false;
    // Position of the next row within its sheet.
    let mut pos = 0;
    let mut done = false;
    for msg in input {
        match msg {
            Msg::Items(items) => {
                for (item, prep) in items {
                    match item {
                        Streamed::Sheet(name, last_row) => {
                            if sheets.len() == choice.sheet {
                                // The sheet's declared range: how many rows to expect.
                                let last = last_row.unwrap_or(0) as usize;
                                run.total = last.saturating_sub(layout.header_row as usize);
                            }
                            sheets.push(Sheet {
                                name,
                                rows: Vec::new(),
                                merges: Vec::new(),
                            });
                            pos = 0;
                        }
                        Streamed::Row(row) => {
                            let Some(sheet) = sheets.last_mut() else {
                                continue;
                            };
                            let failed_now = match prep {
                                Some(prep) => run.first::<T>(tx, &row, pos, prep)?,
                                None => false,
                            };
                            if pos < HEAD_ROWS {
                                sheet.rows.push(row);
                            } else if failed_now && failed.len() < opts.limits.max_failed_rows_kept
                            {
                                failed.insert(pos, row);
                            } else if failed_now {
                                dropped = true;
                                run.discard(Box::new(row));
                            } else {
                                run.discard(Box::new(row));
                            }
                            pos += 1;
                        }
                        Streamed::End(merges) => {
                            if let Some(sheet) = sheets.last_mut() {
                                sheet.merges = merges;
                            }
                        }
                    }
                }
            }
            Msg::Stopped(stop) => return Err(stopped(stop, read_whole)),
            Msg::Done => {
                done = true;
                break;
            }
            Msg::Chosen(_) => {}
        }
    }
    if !done {
        return Err(Error::BadFile("读取文件时出错".into()));
    }
    run.bin = None;
    if dropped && run.needs_failed_rows() {
        failed = rows_at(path, opts, choice.sheet, run.failed_positions())?;
    } else if dropped {
        failed.clear();
    }
    let head = sheets
        .get(choice.sheet)
        .map(|s| s.rows.as_slice())
        .unwrap_or_default();
    run.finish::<T>(tx, |p| head.get(p).or_else(|| failed.get(&p)))?;
    let mut s = run.s;
    let commit = decide(&mut s, opts);
    if s.has_errors() && !opts.no_errors_book {
        // The errors workbook is a copy of the whole file: read it again, while the
        // transaction is still open (should that fail, nothing is committed).
        sheets = read_book(path, &opts.limits)?.sheets;
    }
    Ok((s, sheets, commit))
}

/// The rows at `positions` (sorted) of worksheet number `sheet`, read again.
fn rows_at(
    path: &Path,
    opts: &ImportOptions,
    sheet: usize,
    positions: &[usize],
) -> Result<HashMap<usize, Row>> {
    let mut stream = XlsxStream::open(path, &opts.limits)?;
    let mut out = HashMap::with_capacity(positions.len());
    let (mut current, mut pos) = (usize::MAX, 0usize);
    let read = stream.stream(|item| {
        match item {
            Streamed::Sheet(..) => {
                current = current.wrapping_add(1);
                pos = 0;
            }
            Streamed::Row(row) => {
                if current == sheet && positions.binary_search(&pos).is_ok() {
                    out.insert(pos, row);
                }
                pos += 1;
            }
            Streamed::End(_) => {}
        }
        // Stop once past the sheet.
        current <= sheet || current == usize::MAX
    });
    match read {
        Ok(()) | Err(Stop::Consumer) => Ok(out),
        Err(stop) => Err(stopped(stop, &mut false)),
    }
}

fn run_phase(opts: &ImportOptions) -> Phase {
    if opts.dry_run {
        Phase::Check
    } else {
        Phase::Write
    }
}
