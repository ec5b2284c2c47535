//! Preparing rows off the database thread. A bulk import of new records spends most of its
//! time turning cells into a validated record and its change-log text; that needs the ledger
//! only for a few questions (does this org exist? is this 身份证号 taken?). Here a row is
//! prepared against a snapshot taken when the import's transaction began, on the assumption
//! that the record is new; every question the snapshot cannot answer for certain is written
//! down, and the database thread asks it again before writing. Any doubt — an existing record,
//! an answer that changed, an error — sends the row down the ordinary path, so the outcome is
//! the same as preparing it on the database thread.

use super::layout::{classify_row, Layout, RowKind};
use super::profile::{ColumnKind, Profile};
use super::read::Row;
use super::rows::{cell_value, key_alternatives, Importable, KeyAlternative};
use crate::error::Result;
use crate::model::fields::{parse_value, Fields};
use crate::model::*;
use crate::store::{dict_match, insert_changes, DictCache, Table, Tx};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde_json::{Map, Value};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

mod build;
use build::{apply_new, Blank};

/// Maps looked up once or twice per row: a fast hash (randomly seeded, as std's is).
type Fast = foldhash::fast::RandomState;

/// The kinds of record a sheet names rather than identifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum NameKind {
    Org,
    Unit,
    Instructor,
}

impl NameKind {
    pub(super) const ALL: [NameKind; 3] = [NameKind::Org, NameKind::Unit, NameKind::Instructor];

    pub(super) fn table(self) -> &'static str {
        match self {
            NameKind::Org => "org",
            NameKind::Unit => "unit",
            NameKind::Instructor => "instructor",
        }
    }
}

/// A name the snapshot lacks, with the id a record created for it will get.
#[derive(Debug, Clone)]
pub(super) struct NewName {
    pub(super) kind: NameKind,
    pub(super) name: String,
    pub(super) id: Id,
}

/// The ids given to new names of one row (so that an org created on the ordinary path gets
/// the id later prepared rows already refer to).
pub(super) fn hint(names: &[NewName], kind: NameKind, name: &str) -> Option<Id> {
    names
        .iter()
        .find(|n| n.kind == kind && n.name == name)
        .map(|n| n.id)
}

/// A question of validation the snapshot could not answer for certain.
#[derive(Debug, Clone)]
pub(super) enum Asked {
    /// Assumed to exist.
    Exists(String, Id),
    /// Assumed not taken: (table, column, value, except).
    Taken(String, String, String, Id),
}

/// A row prepared as a new record: validated (given the answers in `asked`), with the text
/// of its change-log entry.
pub(super) struct Ready<T> {
    pub(super) rec: T,
    pub(super) record_id: Option<Id>,
    pub(super) keys: Vec<KeyAlternative>,
    pub(super) asked: Vec<Asked>,
    pub(super) changes: String,
}

/// What preparing a row gave: its new names, and the record when it could be prepared.
pub(super) struct Prep {
    pub(super) names: Vec<NewName>,
    /// A `Ready<T>` for the sheet's record type.
    pub(super) ready: Option<Box<dyn Any + Send>>,
}

/// The text of each of a data row's mapped columns (in `layout.columns` order): `None` for
/// an empty cell, `Err` for a cell that cannot give its field a value. Worked out on the
/// reading thread, as the row is prepared.
pub(super) type Texts = Vec<Option<Result<String, ()>>>;

/// How to work out `Texts` for a sheet.
pub(super) struct TextPlan<'a> {
    profile: &'a Profile,
    layout: &'a Layout,
    kinds: Vec<Option<crate::model::fields::FieldKind>>,
}

impl<'a> TextPlan<'a> {
    pub(super) fn new(profile: &'a Profile, layout: &'a Layout) -> Self {
        let kinds = layout
            .columns
            .iter()
            .map(|(_, idx)| {
                let field = profile.columns[*idx].field.as_deref().unwrap_or("");
                field_spec(&profile.entity, field).map(|f| f.kind)
            })
            .collect();
        TextPlan {
            profile,
            layout,
            kinds,
        }
    }

    /// The texts of a data row, or `None` when the row is not data (blank, 合计, notes).
    pub(super) fn data(&self, row: &Row) -> Option<Texts> {
        if classify_row(row, self.layout, self.profile) != RowKind::Data {
            return None;
        }
        let texts = self
            .layout
            .columns
            .iter()
            .zip(&self.kinds)
            .map(|((col, idx), kind)| {
                let cell = row.get(*col)?;
                match cell_value(cell, &self.profile.columns[*idx], *kind) {
                    Ok(t) if t.is_empty() => None,
                    Ok(t) => Some(Ok(t)),
                    Err(_) => Some(Err(())),
                }
            })
            .collect();
        Some(texts)
    }
}

/// What the ledger held when the import began, for preparing rows on another thread.
pub(super) struct Snapshot {
    /// Name → the first record (by rowid) with it, as `resolve` finds them; and their ids.
    names: [HashMap<String, Id, Fast>; 3],
    ids: [HashSet<Id, Fast>; 3],
    dicts: DictCache,
    today: NaiveDate,
    now: String,
    device_id: String,
}

impl Snapshot {
    pub(super) fn load(tx: &Tx) -> Result<Snapshot> {
        let mut names: [HashMap<String, Id, Fast>; 3] = Default::default();
        let mut ids: [HashSet<Id, Fast>; 3] = Default::default();
        for kind in [NameKind::Org, NameKind::Unit, NameKind::Instructor] {
            let sql = format!("SELECT id, name FROM {} ORDER BY rowid", kind.table());
            let mut st = tx.conn().prepare(&sql)?;
            let rows = st.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (id, name) = row?;
                names[kind as usize].entry(name).or_insert(id);
                ids[kind as usize].insert(id);
            }
        }
        Ok(Snapshot {
            names,
            ids,
            dicts: tx.dictionaries()?,
            today: tx.today(),
            now: tx.now().to_string(),
            device_id: tx.device_id().to_string(),
        })
    }

    fn table_ids(&self, table: &str) -> Option<&HashSet<Id, Fast>> {
        [NameKind::Org, NameKind::Unit, NameKind::Instructor]
            .into_iter()
            .find(|k| k.table() == table)
            .map(|k| &self.ids[k as usize])
    }
}

/// Validation's questions answered from the snapshot; the uncertain ones are noted.
struct SnapshotLookup<'a> {
    snap: &'a Snapshot,
    asked: RefCell<Vec<Asked>>,
    /// A question that cannot be answered off the database (checklists, rates).
    unanswerable: Cell<bool>,
}

impl Lookup for SnapshotLookup<'_> {
    fn today(&self) -> NaiveDate {
        self.snap.today
    }
    fn exists(&self, table: &str, id: &Id) -> bool {
        if !self.snap.table_ids(table).is_some_and(|s| s.contains(id)) {
            self.asked
                .borrow_mut()
                .push(Asked::Exists(table.to_string(), *id));
        }
        true
    }
    fn taken(&self, table: &str, column: &str, value: &str, except: &Id) -> bool {
        self.asked.borrow_mut().push(Asked::Taken(
            table.to_string(),
            column.to_string(),
            value.to_string(),
            *except,
        ));
        false
    }
    fn dict_value(&self, dict: &str, value: &str) -> Result<String, String> {
        dict_match(Some(&self.snap.dicts), dict, value)
    }
    fn checklist(&self, _id: &Id) -> Option<Checklist> {
        self.unanswerable.set(true);
        None
    }
    fn dues_rates(&self) -> DuesRates {
        self.unanswerable.set(true);
        DuesRates::default()
    }
    fn now(&self) -> String {
        self.snap.now.clone()
    }
    fn development(&self) -> crate::model::DevelopmentParams {
        self.unanswerable.set(true);
        Default::default()
    }
    fn full_member(&self, _id: &Id) -> Option<bool> {
        self.unanswerable.set(true);
        None
    }
}

/// Prepares the rows of one sheet as new records.
pub(super) struct Preparer<'a> {
    pub(super) profile: &'a Profile,
    pub(super) layout: &'a Layout,
    pub(super) preamble_org: Option<String>,
    pub(super) snap: &'a Snapshot,
    /// Ids given to names the snapshot lacks, for the whole import.
    proposed: HashMap<(NameKind, String), Id, Fast>,
    /// The sheet's record type's `Blank<T>` (see `apply_new`).
    blank: Option<Box<dyn Any + Send>>,
    /// Whether rows are prepared at all (else every row takes the ordinary path).
    pub(super) enabled: bool,
}

impl<'a> Preparer<'a> {
    pub(super) fn new(
        profile: &'a Profile,
        layout: &'a Layout,
        preamble_org: Option<String>,
        snap: &'a Snapshot,
    ) -> Self {
        Preparer {
            profile,
            layout,
            preamble_org,
            snap,
            proposed: HashMap::default(),
            blank: None,
            enabled: true,
        }
    }

    fn resolve(
        &mut self,
        kind: NameKind,
        name: &str,
        create: bool,
        names: &mut Vec<NewName>,
    ) -> Option<Id> {
        if let Some(id) = self.snap.names[kind as usize].get(name) {
            return Some(*id);
        }
        if !create {
            return None;
        }
        // A fresh id (`Id::default()` would be the nil id).
        #[allow(clippy::unwrap_or_default)]
        let id = *self
            .proposed
            .entry((kind, name.to_string()))
            .or_insert_with(Id::new);
        if hint(names, kind, name).is_none() {
            names.push(NewName {
                kind,
                name: name.to_string(),
                id,
            });
        }
        Some(id)
    }

    /// Prepare a data row as in `rows::process_row` for a record that does not exist yet.
    pub(super) fn prepare<T: Importable + Send + 'static>(&mut self, texts: Texts) -> Prep {
        let mut names = Vec::new();
        let ready = self.ready::<T>(texts, &mut names);
        Prep {
            names,
            ready: ready.map(|r| Box::new(r) as Box<dyn Any + Send>),
        }
    }

    fn ready<T: Importable>(&mut self, texts: Texts, names: &mut Vec<NewName>) -> Option<Ready<T>> {
        let (profile, layout) = (self.profile, self.layout);
        let mut inputs: Vec<(String, String)> = Vec::with_capacity(layout.columns.len() + 4);
        let mut record_id = None;
        let mut org_given = false;
        let mut ok = true;
        for ((_, idx), text) in layout.columns.iter().zip(texts) {
            let column = &profile.columns[*idx];
            let field = column.field.clone().unwrap_or_default();
            let text = match text {
                None => continue,
                Some(Ok(t)) => t,
                Some(Err(())) => {
                    ok = false;
                    continue;
                }
            };
            let id = match column.kind {
                ColumnKind::Field => {
                    inputs.push((field, text));
                    continue;
                }
                ColumnKind::Seq | ColumnKind::Computed => continue,
                ColumnKind::Id => {
                    match text.parse::<Id>() {
                        Ok(id) => record_id = Some(id),
                        Err(_) => ok = false,
                    }
                    continue;
                }
                ColumnKind::OrgName => {
                    org_given = true;
                    self.resolve(NameKind::Org, &text, column.create.unwrap_or(true), names)
                }
                ColumnKind::UnitName => {
                    if let Some(tf) = &column.text_field {
                        inputs.push((tf.clone(), text.clone()));
                    }
                    self.resolve(NameKind::Unit, &text, true, names)
                }
                ColumnKind::InstructorName => {
                    self.resolve(NameKind::Instructor, &text, true, names)
                }
                // Columns whose value depends on the stored record or other tables.
                ColumnKind::UnitNames
                | ColumnKind::Secretary
                | ColumnKind::CheckItem
                | ColumnKind::MemberIdNumber
                | ColumnKind::MemberName
                | ColumnKind::Absence => None,
            };
            match id {
                Some(id) => inputs.push((field, id.to_string())),
                None => ok = false,
            }
        }
        if !org_given {
            let col = profile
                .columns
                .iter()
                .find(|c| c.kind == ColumnKind::OrgName);
            if let (Some(name), Some(col)) = (self.preamble_org.clone(), col) {
                match self.resolve(NameKind::Org, &name, col.create.unwrap_or(true), names) {
                    Some(id) => {
                        inputs.push((col.field.clone().unwrap_or_default(), id.to_string()))
                    }
                    None => ok = false,
                }
            }
        }
        if !ok || !T::PREPARE_OFF_THREAD || !self.enabled {
            return None;
        }
        let keys = key_alternatives::<T>(&profile.match_key, &inputs);
        T::complete_inputs(&mut inputs, true);
        let blank = self
            .blank
            .get_or_insert_with(|| Box::new(Blank::<T>::new()));
        if !blank.is::<Blank<T>>() {
            *blank = Box::new(Blank::<T>::new());
        }
        let blank = blank.downcast_mut::<Blank<T>>()?;
        let mut rec: T = apply_new(blank, record_id.unwrap_or_else(Id::new), &inputs)?;
        {
            // As `Tx::insert` sets them before validating.
            let m = rec.meta_mut();
            m.created_at.clone_from(&self.snap.now);
            m.updated_at.clone_from(&self.snap.now);
            m.device_id.clone_from(&self.snap.device_id);
        }
        let lookup = SnapshotLookup {
            snap: self.snap,
            asked: RefCell::new(Vec::new()),
            unanswerable: Cell::new(false),
        };
        if !rec.validate(&lookup).is_empty() || lookup.unanswerable.get() {
            return None;
        }
        let changes = insert_changes(&rec).ok()?;
        Some(Ready {
            rec,
            record_id,
            keys,
            asked: lookup.asked.into_inner(),
            changes,
        })
    }
}

/// Whether a row matched by one of `keys` exists (the record would be an update).
pub(super) fn key_exists(tx: &Tx, table: &'static str, key: &KeyAlternative) -> Result<bool> {
    // Asked for every new row: the SQL is made once per key shape.
    let joined;
    let shape = match key.as_slice() {
        [(field, _)] => field.as_str(),
        _ => {
            joined = key
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(",");
            joined.as_str()
        }
    };
    let sql = tx.sql("key_exists", table, shape, || {
        let conds: Vec<String> = key
            .iter()
            .enumerate()
            .map(|(i, (f, _))| format!("{f} = ?{}", i + 1))
            .collect();
        format!(
            "SELECT 1 FROM {table} WHERE {} LIMIT 1",
            conds.join(" AND ")
        )
    });
    let params: Vec<&dyn rusqlite::ToSql> =
        key.iter().map(|(_, v)| v as &dyn rusqlite::ToSql).collect();
    Ok(tx
        .conn()
        .prepare_cached(&sql)?
        .query_row(params.as_slice(), |_| Ok(()))
        .optional()?
        .is_some())
}
