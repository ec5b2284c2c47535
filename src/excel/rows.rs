//! One row of a sheet into one record: cell values to field texts, names to ledger records,
//! matching an existing record, and errors pointed at the cells they come from.

use super::import::CellError;
use super::layout::{cell_text, Layout};
use super::normalize;
use super::profile::{Column, ColumnKind, Profile};
use super::read::{Cell, Row};
use super::resolve::{self, Created};
use super::speculate::{hint, NameKind, NewName};
use crate::error::{Error, Result};
use crate::model::dates::date_text_from_number;
use crate::model::fields::{apply_fields_reporting_all, parse_value, FieldKind};
use crate::model::*;
use crate::store::{Table, Tx};
use serde::Serialize;

/// A record type rows can be imported into.
pub(super) trait Importable: Table + Fields + Clone + Send + 'static {
    /// Whether new records are prepared off the database thread (see `speculate`): the
    /// roster, the one table that comes in tens of thousands of rows, whose rows only create
    /// orgs and units, never change them.
    const PREPARE_OFF_THREAD: bool = false;
    /// Required fields `complete_inputs` fills when the sheet has no column for them (a sheet
    /// without them is not missing a column).
    const COMPLETED: &'static [&'static str] = &[];
    /// Fill what a sheet usually leaves out, before the fields are applied.
    fn complete_inputs(_inputs: &mut Vec<(String, String)>, _creating: bool) {}
    fn add(tx: &mut Tx, rec: Self) -> Result<Self> {
        tx.insert(rec)
    }
    /// `add` for a record already validated, with its change-log text.
    fn add_validated(tx: &mut Tx, rec: Self, changes: &str) -> Result<Self> {
        tx.insert_validated(rec, changes)
    }
    /// Whether adding the record writes more than the record (so a failure could leave half).
    fn adds_more(&self) -> bool {
        false
    }
}

fn has(inputs: &[(String, String)], f: &str) -> bool {
    inputs.iter().any(|(k, v)| k == f && !v.trim().is_empty())
}

impl Importable for Member {
    const PREPARE_OFF_THREAD: bool = true;
    fn add(tx: &mut Tx, rec: Self) -> Result<Self> {
        tx.add_member(rec)
    }
    /// As `Tx::add_member`: a 预备党员 also gets the 发展 event of their 入党日期.
    fn add_validated(tx: &mut Tx, rec: Self, changes: &str) -> Result<Self> {
        let member = tx.insert_validated(rec, changes)?;
        if member.category == MemberCategory::Probationary {
            let ev = MemberEvent::new(member.meta.id, MemberEventKind::Admitted, member.joined_on);
            tx.insert(ev)?;
        }
        Ok(member)
    }
    fn adds_more(&self) -> bool {
        self.category == MemberCategory::Probationary
    }
}
impl Importable for Unit {}
impl Importable for Dues {}
impl Importable for Applicant {}
impl Importable for Org {
    const COMPLETED: &'static [&'static str] = &["org_type", "formation", "term_years"];
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
            let f = inferred.unwrap_or(OrgType::Branch).default_formation();
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
    const COMPLETED: &'static [&'static str] = &["topic"];
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
    const COMPLETED: &'static [&'static str] = &["inspector_name"];
    fn complete_inputs(inputs: &mut Vec<(String, String)>, creating: bool) {
        if creating && !has(inputs, "inspector_name") {
            inputs.push(("inspector_name".into(), "自查".into()));
        }
    }
}

/// `Importable::COMPLETED` of the record type stored as `entity`.
pub(super) fn completed_fields(entity: &str) -> &'static [&'static str] {
    super::import::with_table_type!(entity, T => T::COMPLETED, &[])
}

/// What a valid row did.
pub(super) enum RowOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// A row's problems, or a database failure that stops the import.
pub(super) enum RowFailure {
    Cells(Vec<CellError>),
    Fatal(Error),
}

impl From<Error> for RowFailure {
    fn from(e: Error) -> Self {
        RowFailure::Fatal(e)
    }
}

pub(super) struct SheetCtx<'a> {
    pub(super) profile: &'a Profile,
    pub(super) sheet: &'a str,
    pub(super) layout: &'a Layout,
    pub(super) preamble_org: Option<String>,
    /// In the last pass over failed rows: the names those rows give their own records. Other
    /// names in `create_last` columns may then create records.
    pub(super) last_pass: Option<std::collections::HashSet<String>>,
}

impl SheetCtx<'_> {
    /// Whether a missing `name` in `column` becomes a new record now.
    fn creates(&self, column: &Column, name: &str) -> bool {
        column.create.unwrap_or(true)
            || (column.create_last
                && self
                    .last_pass
                    .as_ref()
                    .is_some_and(|defined| !defined.contains(name)))
    }

    /// The natural name a row gives its record (the match key's one field), if it has one.
    pub(super) fn own_name(&self, row: &Row) -> Option<String> {
        let [key] = self.profile.match_key.as_slice() else {
            return None;
        };
        let col = self.column_of_field(key)?;
        row.get(col)
            .map(|c| normalize::value(&cell_text(c)))
            .filter(|n| !n.is_empty())
    }

    fn err(&self, row: &Row, col: Option<u32>, message: impl Into<String>) -> CellError {
        CellError::at(self.sheet, row, col, message)
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
pub(super) fn cell_value(
    cell: &Cell,
    column: &Column,
    kind: Option<FieldKind>,
) -> Result<String, String> {
    match (cell, kind) {
        (Cell::Number(n), _) if column.text && n.abs() >= 1e15 => Err(format!(
            "该单元格是数字 {}，Excel 只保留 15 位有效数字，末尾几位已丢失。请把该列设为“文本”格式，重新输入完整号码",
            super::layout::format_number(*n)
        )),
        // A number in a date column: 1966.07 or 198807 as typed, else an Excel date serial.
        (Cell::Number(n), Some(FieldKind::Date)) => date_text_from_number(*n),
        (Cell::Error(e), _) => Err(format!("单元格是错误值 #{e}")),
        (Cell::Text(s), _) => Ok(normalize::value(s)),
        (c, _) => Ok(normalize::value(&cell_text(c))),
    }
}

/// `hints`: ids already given to new names (see `speculate`), for the records created here.
pub(super) fn process_row<T: Importable>(
    tx: &mut Tx,
    ctx: &SheetCtx,
    row: &Row,
    created: &mut Created,
    hints: &[NewName],
) -> Result<RowOutcome, RowFailure> {
    let mut inputs: Vec<(String, String)> = Vec::new();
    let mut errors: Vec<CellError> = Vec::new();
    // The fields of cells refused above: the record's other problems are reported with
    // theirs, but these fields not again (as missing, say).
    let mut refused: Vec<String> = Vec::new();
    let mut record_id: Option<Id> = None;
    let mut secretary: Option<String> = None;
    let mut checks: Vec<String> = Vec::new();
    let mut absence: Option<(String, String)> = None;
    let mut org_given = false;
    // 姓名 standing for the member (no 身份证号 column): resolved once every cell is read.
    let mut by_name: Option<(u32, String, String)> = None;
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
                refused.push(field);
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
                let create = ctx.creates(column, &text);
                let id = hint(hints, NameKind::Org, &text);
                resolve::org_by_name_as(tx, &text, create, created, id)
                    .map(|id| Some(id.to_string()))
            }
            ColumnKind::UnitName => {
                if let Some(tf) = &column.text_field {
                    inputs.push((tf.clone(), text.clone()));
                }
                let id = hint(hints, NameKind::Unit, &text);
                resolve::unit_by_name_as(tx, &text, created, id).map(|id| Some(id.to_string()))
            }
            ColumnKind::InstructorName => {
                let id = hint(hints, NameKind::Instructor, &text);
                resolve::instructor_by_name_as(tx, &text, created, id)
                    .map(|id| Some(id.to_string()))
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
            ColumnKind::MemberName => {
                by_name = Some((*col, field.clone(), text));
                Ok(None)
            }
        };
        let message = match resolved {
            Ok(Some(v)) => {
                inputs.push((field, v));
                continue;
            }
            Ok(None) => continue,
            Err(Error::Rule(m)) => m,
            Err(Error::Validation(fe)) => fe.to_string(),
            Err(other) => return Err(RowFailure::Fatal(other)),
        };
        errors.push(ctx.err(row, Some(*col), message));
        refused.push(field);
    }
    if let Some((col, field, name)) = by_name {
        if !inputs.iter().any(|(f, _)| *f == field) {
            let phone = ctx
                .layout
                .phone_col
                .and_then(|c| row.get(c))
                .map(cell_text)
                .map(|t| normalize::value(&t));
            let org = ctx
                .column_of_field("member_org")
                .and_then(|c| row.get(c))
                .map(cell_text)
                .map(|t| normalize::value(&t))
                .filter(|t| !t.is_empty())
                .or_else(|| ctx.preamble_org.clone());
            match resolve::member_by_name(tx, &name, org.as_deref(), phone.as_deref()) {
                Ok(id) => inputs.push((field, id.to_string())),
                Err(Error::Rule(m)) => errors.push(ctx.err(row, Some(col), m)),
                Err(e) => return Err(RowFailure::Fatal(e)),
            }
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
            let create = ctx.creates(col, name);
            let hinted = hint(hints, NameKind::Org, name);
            let id = resolve::org_by_name_as(tx, name, create, created, hinted)?;
            inputs.push((col.field.clone().unwrap_or_default(), id.to_string()));
        }
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
    // Every problem of the row at once: its refused cells, and the record's other problems.
    let refused: Vec<&str> = refused.iter().map(String::as_str).collect();
    let rec = match apply_fields_reporting_all(&base, &inputs, creating, &refused, tx) {
        Ok(rec) => rec,
        Err(others) => {
            errors.extend(to_cells(others));
            return Err(RowFailure::Cells(errors));
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

/// One way of matching a record by natural key: (field, value as stored) pairs.
pub(super) type KeyAlternative = Vec<(String, String)>;

/// The natural-key alternatives whose fields a row gives all of (e.g. 信用代码, else 单位名称).
pub(super) fn key_alternatives<T: Importable>(
    keys: &[String],
    inputs: &[(String, String)],
) -> Vec<KeyAlternative> {
    let mut out = Vec::new();
    for alternative in keys {
        let fields: Vec<&str> = alternative.split('+').collect();
        let mut pairs: KeyAlternative = Vec::new();
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
            let text = if *f == "id_number" || *f == "credit_code" {
                text.to_ascii_uppercase()
            } else {
                text
            };
            pairs.push((f.to_string(), text));
        }
        if pairs.len() == fields.len() {
            out.push(pairs);
        }
    }
    out
}

/// An existing record with the same natural key: the first alternative whose fields are all
/// present (e.g. 信用代码, else 单位名称).
pub(super) fn find_by_key<T: Importable>(
    tx: &Tx,
    keys: &[String],
    inputs: &[(String, String)],
) -> Result<Option<T>> {
    for pairs in key_alternatives::<T>(keys, inputs) {
        let conds: Vec<String> = (1..=pairs.len())
            .map(|i| format!("{} = ?{i}", pairs[i - 1].0))
            .collect();
        let refs: Vec<&dyn rusqlite::ToSql> = pairs
            .iter()
            .map(|(_, p)| p as &dyn rusqlite::ToSql)
            .collect();
        let found: Vec<T> =
            crate::store::list(tx.conn(), &conds.join(" AND "), &refs, "rowid LIMIT 1")?;
        if let Some(r) = found.into_iter().next() {
            return Ok(Some(r));
        }
    }
    Ok(None)
}
