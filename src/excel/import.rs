//! Importing a sheet into the ledger: preview (dry run) and the real import, one
//! transaction either way, per-cell errors with the sheet's own row numbers and letters.

use super::layout::{cell_text, classify_row, find_layout, org_from_preamble, Layout, RowKind};
use super::normalize;
use super::profile::{find, load_profiles, Column, ColumnKind, Profile};
use super::read::{column_letter, read_book, Book, Cell, Limits, Row, Sheet};
use super::resolve::{self, Created};
use crate::error::{Error, Result};
use crate::model::fields::{parse_value, FieldKind};
use crate::model::*;
use crate::store::{Table, Tx};
use crate::Store;
use chrono::NaiveDate;
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

/// A record type rows can be imported into.
trait Importable: Table + Fields + Clone {
    /// Fill what a sheet usually leaves out, before the fields are applied.
    fn complete_inputs(_inputs: &mut Vec<(String, String)>, _creating: bool) {}
    fn add(tx: &mut Tx, rec: Self) -> Result<Self> {
        tx.insert(rec)
    }
}

fn has(inputs: &[(String, String)], f: &str) -> bool {
    inputs.iter().any(|(k, v)| k == f && !v.trim().is_empty())
}

impl Importable for Member {
    fn add(tx: &mut Tx, rec: Self) -> Result<Self> {
        tx.add_member(rec)
    }
}
impl Importable for Unit {}
impl Importable for Dues {}
impl Importable for Org {
    fn complete_inputs(inputs: &mut Vec<(String, String)>, creating: bool) {
        let name = inputs
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let inferred = OrgType::from_full_name(&name);
        if creating && !has(inputs, "org_type") {
            if let Some(t) = inferred {
                inputs.push(("org_type".into(), t.label().into()));
            }
        }
        if creating && !has(inputs, "formation") {
            let f = match inferred {
                Some(OrgType::JointBranch) => "联合组建",
                Some(OrgType::TemporaryBranch) => "临时组建",
                _ => "单独组建",
            };
            inputs.push(("formation".into(), f.into()));
        }
        if creating && !has(inputs, "term_years") {
            let t = inputs
                .iter()
                .find(|(k, _)| k == "org_type")
                .and_then(|(_, v)| OrgType::parse(v).ok())
                .or(inferred);
            if let Some(t) = t {
                inputs.push(("term_years".into(), t.default_term_years().to_string()));
            }
        }
    }
}
impl Importable for Activity {
    fn complete_inputs(inputs: &mut Vec<(String, String)>, creating: bool) {
        // A register without a 主题 column: the meeting's type is its title.
        if creating && !has(inputs, "topic") {
            if let Some((_, t)) = inputs.iter().find(|(k, _)| k == "types").cloned() {
                inputs.push(("topic".into(), t));
            }
        }
    }
    fn add(tx: &mut Tx, rec: Self) -> Result<Self> {
        tx.add_activity(rec, &[])
    }
}
impl Importable for Inspection {
    fn complete_inputs(inputs: &mut Vec<(String, String)>, creating: bool) {
        if creating && !has(inputs, "inspector_name") {
            inputs.push(("inspector_name".into(), "自查".into()));
        }
    }
}

/// What a valid row did.
enum RowOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// A row's problems, or a database failure that stops the import.
enum RowFailure {
    Cells(Vec<CellError>),
    Fatal(Error),
}

impl From<Error> for RowFailure {
    fn from(e: Error) -> Self {
        RowFailure::Fatal(e)
    }
}

struct SheetCtx<'a> {
    profile: &'a Profile,
    sheet: &'a Sheet,
    layout: &'a Layout,
    preamble_org: Option<String>,
}

impl SheetCtx<'_> {
    fn err(&self, row: &Row, col: Option<u32>, message: impl Into<String>) -> CellError {
        CellError {
            sheet: self.sheet.name.clone(),
            row: row.index + 1,
            column: col.map(column_letter).unwrap_or_default(),
            value: col
                .and_then(|c| row.get(c))
                .map(cell_text)
                .unwrap_or_default(),
            message: message.into(),
        }
    }

    /// The sheet column holding a record field, for pointing an error at it.
    fn column_of_field(&self, field: &str) -> Option<u32> {
        self.layout.columns.iter().find_map(|(c, i)| {
            let col = &self.profile.columns[*i];
            (col.field.as_deref() == Some(field) || col.text_field.as_deref() == Some(field))
                .then_some(*c)
        })
    }
}

/// The text a cell gives a field, or why it can't (an ID number Excel turned into a number).
fn cell_value(cell: &Cell, column: &Column, kind: Option<FieldKind>) -> Result<String, String> {
    match (cell, kind) {
        (Cell::Number(n), _) if column.text && n.abs() >= 1e15 => Err(format!(
            "该单元格是数字 {}，Excel 只保留 15 位有效数字，末尾几位已丢失。请把该列设为“文本”格式，重新输入完整号码",
            super::layout::format_number(*n)
        )),
        // An Excel date serial in a date column that is not formatted as a date.
        (Cell::Number(n), Some(FieldKind::Date)) if (1.0..2_958_466.0).contains(n) => {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            Ok(base.checked_add_days(chrono::Days::new(*n as u64)).map(|d| d.to_string()).unwrap_or_default())
        }
        (Cell::Error(e), _) => Err(format!("单元格是错误值 #{e}")),
        (c, _) => Ok(normalize::value(&cell_text(c))),
    }
}

fn process_row<T: Importable>(
    tx: &mut Tx,
    ctx: &SheetCtx,
    row: &Row,
    created: &mut Created,
) -> Result<RowOutcome, RowFailure> {
    let mut inputs: Vec<(String, String)> = Vec::new();
    let mut errors: Vec<CellError> = Vec::new();
    let mut record_id: Option<Id> = None;
    let mut secretary: Option<String> = None;
    let mut checks: Vec<String> = Vec::new();
    let mut absence: Option<(String, String)> = None;
    let mut org_given = false;
    for (col, idx) in &ctx.layout.columns {
        let column = &ctx.profile.columns[*idx];
        let field = column.field.clone().unwrap_or_default();
        let Some(cell) = row.get(*col) else { continue };
        let kind = T::field(&field).map(|f| f.kind);
        let text = match cell_value(cell, column, kind) {
            Ok(t) if t.is_empty() => continue,
            Ok(t) => t,
            Err(m) => {
                errors.push(ctx.err(row, Some(*col), m));
                continue;
            }
        };
        let resolved: Result<Option<String>> = match column.kind {
            ColumnKind::Field => Ok(Some(text)),
            ColumnKind::Seq | ColumnKind::Computed => Ok(None),
            ColumnKind::Absence => {
                absence = Some((field.clone(), text));
                Ok(None)
            }
            ColumnKind::Id => match text.parse::<Id>() {
                Ok(id) => {
                    record_id = Some(id);
                    Ok(None)
                }
                Err(m) => Err(Error::Rule(m)),
            },
            ColumnKind::OrgName => {
                org_given = true;
                resolve::org_by_name(tx, &text, column.create.unwrap_or(true), created)
                    .map(|id| Some(id.to_string()))
            }
            ColumnKind::UnitName => {
                if let Some(tf) = &column.text_field {
                    inputs.push((tf.clone(), text.clone()));
                }
                resolve::unit_by_name(tx, &text, created).map(|id| Some(id.to_string()))
            }
            ColumnKind::InstructorName => {
                resolve::instructor_by_name(tx, &text, created).map(|id| Some(id.to_string()))
            }
            ColumnKind::UnitNames => text
                .split(['、', ',', '，', ';', '；'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|n| resolve::unit_by_name(tx, n, created).map(|id| id.to_string()))
                .collect::<Result<Vec<_>>>()
                .map(|ids| Some(ids.join(","))),
            ColumnKind::Secretary => {
                secretary = Some(text);
                Ok(None)
            }
            ColumnKind::CheckItem => {
                checks.push(format!("{}={}", column.item.as_deref().unwrap_or(""), text));
                Ok(None)
            }
            ColumnKind::MemberIdNumber => {
                resolve::member_by_id_number(tx, &text).map(|id| Some(id.to_string()))
            }
        };
        match resolved {
            Ok(Some(v)) => inputs.push((field, v)),
            Ok(None) => {}
            Err(Error::Rule(m)) => errors.push(ctx.err(row, Some(*col), m)),
            Err(Error::Validation(fe)) => errors.push(ctx.err(row, Some(*col), fe.to_string())),
            Err(other) => return Err(RowFailure::Fatal(other)),
        }
    }
    // A register whose org is named in its title rather than a column.
    if !org_given {
        if let (Some(name), Some(col)) = (
            &ctx.preamble_org,
            ctx.profile
                .columns
                .iter()
                .find(|c| c.kind == ColumnKind::OrgName),
        ) {
            let id = resolve::org_by_name(tx, name, col.create.unwrap_or(true), created)?;
            inputs.push((col.field.clone().unwrap_or_default(), id.to_string()));
        }
    }
    if !errors.is_empty() {
        return Err(RowFailure::Cells(errors));
    }

    let existing: Option<T> = match record_id {
        Some(id) => match tx.get::<T>(&id) {
            Ok(r) => Some(r),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        None => find_by_key::<T>(tx, &ctx.profile.match_key, &inputs)?,
    };
    let creating = existing.is_none();
    if let Some((field, text)) = absence {
        let has_attendance = existing
            .as_ref()
            .and_then(|r| serde_json::to_value(r).ok())
            .is_some_and(|v| v["attendance"].as_array().is_some_and(|a| !a.is_empty()));
        if !has_attendance {
            inputs.push((field, text));
        }
    }
    if let Some(name) = secretary {
        // Only the 书记 seat changes; the other seats and their member links stay.
        let mut seats: Vec<CommitteeSeat> = existing
            .as_ref()
            .and_then(|r| serde_json::to_value(r).ok())
            .and_then(|v| serde_json::from_value(v["committee"].clone()).ok())
            .unwrap_or_default();
        match seats.iter_mut().find(|s| s.role == "书记") {
            Some(seat) if seat.name == name => {}
            Some(seat) => {
                *seat = CommitteeSeat {
                    role: "书记".into(),
                    name,
                    member_id: None,
                }
            }
            None => seats.insert(
                0,
                CommitteeSeat {
                    role: "书记".into(),
                    name,
                    member_id: None,
                },
            ),
        }
        inputs.push((
            "committee".into(),
            serde_json::to_string(&seats).map_err(Error::from)?,
        ));
    }
    if !checks.is_empty() {
        inputs.push(("items".into(), merge_checks(existing.as_ref(), &checks)?));
    }
    T::complete_inputs(&mut inputs, creating);
    let mut base = existing.clone().unwrap_or_else(T::blank);
    if let (true, Some(id)) = (creating, record_id) {
        base.meta_mut().id = id;
    }
    let to_cells = |fe: FieldErrors| {
        fe.0.into_iter()
            .map(|e| {
                let col = ctx.column_of_field(e.field);
                let msg = if col.is_some() {
                    e.message
                } else {
                    format!("【{}】{}", e.label, e.message)
                };
                ctx.err(row, col, msg)
            })
            .collect::<Vec<_>>()
    };
    let rec = match apply_fields(&base, &inputs, creating) {
        Ok(rec) => rec,
        Err(parse_errors) => {
            // Report the record's other problems too: validate it without the unparsable fields.
            let mut all = parse_errors.clone();
            let rest: Vec<(String, String)> = inputs
                .iter()
                .filter(|(f, _)| !parse_errors.has(f))
                .cloned()
                .collect();
            if let Ok(mut partial) = apply_fields(&base, &rest, false) {
                all.0.extend(
                    partial
                        .validate(tx)
                        .0
                        .into_iter()
                        .filter(|e| !parse_errors.has(e.field)),
                );
            }
            return Err(RowFailure::Cells(to_cells(all)));
        }
    };
    let saved = if creating {
        T::add(tx, rec).map(|_| RowOutcome::Inserted)
    } else {
        tx.update(rec).map(|s| {
            if s.changed {
                RowOutcome::Updated
            } else {
                RowOutcome::Unchanged
            }
        })
    };
    match saved {
        Ok(outcome) => Ok(outcome),
        Err(Error::Validation(fe)) => Err(RowFailure::Cells(to_cells(fe))),
        Err(Error::Rule(m)) => Err(RowFailure::Cells(vec![ctx.err(row, None, m)])),
        Err(e) => Err(RowFailure::Fatal(e)),
    }
}

/// Checklist results from a sheet (`code=有` …) laid over the stored items, whose notes and
/// photos the sheet does not carry.
fn merge_checks<T: Serialize>(
    existing: Option<&T>,
    checks: &[String],
) -> Result<String, RowFailure> {
    let parsed = parse_value(FieldKind::Checks, &checks.join(","))
        .map_err(|m| RowFailure::Fatal(Error::Rule(m)))?;
    let mut stored: Vec<InspectionItem> = existing
        .and_then(|r| serde_json::to_value(r).ok())
        .and_then(|v| serde_json::from_value(v["items"].clone()).ok())
        .unwrap_or_default();
    let incoming: Vec<InspectionItem> =
        serde_json::from_value(parsed).map_err(|e| RowFailure::Fatal(e.into()))?;
    for item in incoming {
        match stored.iter_mut().find(|s| s.item_code == item.item_code) {
            Some(s) => s.result = item.result,
            None => stored.push(item),
        }
    }
    Ok(serde_json::to_string(&stored).map_err(Error::from)?)
}

/// An existing record with the same natural key: the first alternative whose fields are all
/// present (e.g. 信用代码, else 单位名称).
fn find_by_key<T: Importable>(
    tx: &Tx,
    keys: &[String],
    inputs: &[(String, String)],
) -> Result<Option<T>> {
    for alternative in keys {
        let fields: Vec<&str> = alternative.split('+').collect();
        let mut conds = Vec::new();
        let mut params: Vec<String> = Vec::new();
        for f in &fields {
            let Some((_, raw)) = inputs.iter().find(|(k, _)| k == f) else {
                break;
            };
            let Some(spec) = T::field(f) else { break };
            let Ok(v) = parse_value(spec.kind, raw) else {
                break;
            };
            let text = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            params.push(if *f == "id_number" || *f == "credit_code" {
                text.to_ascii_uppercase()
            } else {
                text
            });
            conds.push(format!("{f} = ?{}", params.len()));
        }
        if conds.len() != fields.len() {
            continue;
        }
        let refs: Vec<&dyn rusqlite::ToSql> =
            params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
        let found: Vec<T> =
            crate::store::list(tx.conn(), &conds.join(" AND "), &refs, "rowid LIMIT 1")?;
        if let Some(r) = found.into_iter().next() {
            return Ok(Some(r));
        }
    }
    Ok(None)
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
    let spec = match entity {
        "member" => Member::field(field),
        "unit" => Unit::field(field),
        "org" => Org::field(field),
        "activity" => Activity::field(field),
        "inspection" => Inspection::field(field),
        "dues" => Dues::field(field),
        _ => None,
    };
    spec.map(|s| s.kind)
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
