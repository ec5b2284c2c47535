//! A write transaction: validates records, writes them and their change-log entries, and
//! commits all or nothing.

use super::changelog::{diff, Op};
use super::insert_log::insert_changes;
use super::table::Table;
use super::Session;
use crate::error::{Error, Result};
use crate::model::{DuesRates, Id};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, ToSql, Transaction};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// The outcome of saving a record.
#[derive(Debug, Clone)]
pub struct Saved<T> {
    pub record: T,
    /// false when an update found nothing to change (nothing was written).
    pub changed: bool,
}

/// Dictionary values with their synonyms, by dictionary.
pub(crate) type DictCache = HashMap<String, Vec<(String, Vec<String>)>>;
/// SQL text by (statement kind, table) and detail: looked up for every row of an import, so a
/// lookup allocates nothing.
type SqlCache =
    HashMap<(&'static str, &'static str), HashMap<String, std::rc::Rc<str>, Fast>, Fast>;
/// The hasher of the maps consulted for every row of a bulk write (keys are not adversarial).
type Fast = foldhash::fast::RandomState;

pub struct Tx<'s> {
    pub(super) tx: Transaction<'s>,
    pub(super) session: &'s Session,
    pub(super) today: NaiveDate,
    pub(super) now: String,
    pub(super) next_seq: i64,
    pub(super) dicts: RefCell<Option<DictCache>>,
    pub(super) rates: RefCell<Option<DuesRates>>,
    /// SQL text built once per statement shape (bulk imports write thousands of rows).
    pub(super) sql: RefCell<SqlCache>,
    /// Records known to exist, by table: nothing is deleted inside a transaction, so a
    /// reference checked once needs no second query. Cleared when a row is rolled back.
    pub(super) known: RefCell<Vec<(String, HashSet<Id, Fast>)>>,
}

impl<'s> Tx<'s> {
    pub(super) fn new(
        tx: Transaction<'s>,
        session: &'s Session,
        today: NaiveDate,
        now: String,
    ) -> Result<Self> {
        let last: i64 = tx
            .query_row("SELECT value FROM meta WHERE key = 'device_seq'", [], |r| {
                r.get::<_, String>(0)
            })?
            .parse()
            .unwrap_or(0);
        Ok(Tx {
            tx,
            session,
            today,
            now,
            next_seq: last + 1,
            dicts: RefCell::new(None),
            rates: RefCell::new(None),
            sql: RefCell::new(HashMap::default()),
            known: RefCell::new(Vec::new()),
        })
    }

    pub(super) fn commit(self) -> Result<()> {
        self.tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'device_seq'",
            [(self.next_seq - 1).to_string()],
        )?;
        self.tx.commit()?;
        Ok(())
    }

    /// Start a nested unit of work (one import row): undone alone by `rollback_row`.
    pub fn begin_row(&mut self) -> Result<i64> {
        self.tx.execute_batch("SAVEPOINT import_row")?;
        Ok(self.next_seq)
    }

    /// Keep what the row wrote.
    pub fn release_row(&mut self) -> Result<()> {
        self.tx.execute_batch("RELEASE import_row")?;
        Ok(())
    }

    /// Undo what the row wrote, change-log counter included.
    pub fn rollback_row(&mut self, seq_at_begin: i64) -> Result<()> {
        self.tx
            .execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
        self.next_seq = seq_at_begin;
        self.known.borrow_mut().clear();
        Ok(())
    }

    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    /// The current time as stored (UTC, RFC 3339, milliseconds).
    pub fn now(&self) -> &str {
        &self.now
    }

    pub fn get<T: Table>(&self, id: &Id) -> Result<T> {
        super::get(&self.tx, id)
    }

    /// Validate and insert a new record (a fresh id is assigned when it has none).
    pub fn insert<T: Table>(&mut self, mut rec: T) -> Result<T> {
        self.check_new(&mut rec)?;
        let changes = insert_changes(&rec)?;
        self.insert_validated(rec, &changes)
    }

    /// What `insert` does before writing: give the record its id and bookkeeping, and
    /// validate it (normalising it in place). Nothing is written.
    pub(crate) fn check_new<T: Table>(&self, rec: &mut T) -> Result<()> {
        {
            let m = rec.meta_mut();
            if m.id.is_nil() {
                m.id = Id::new();
            }
            m.created_at.clone_from(&self.now);
            m.updated_at.clone_from(&self.now);
            m.device_id.clone_from(&self.session.device_id);
        }
        rec.validate(self).into_result()?;
        Ok(())
    }

    /// Insert a record validated against this transaction's current state, with its insert
    /// `changes` already serialised ([`insert_changes`]): a bulk import validates and
    /// serialises rows on another thread and only writes here.
    pub(crate) fn insert_validated<T: Table>(&mut self, mut rec: T, changes: &str) -> Result<T> {
        {
            let m = rec.meta_mut();
            m.created_at.clone_from(&self.now);
            m.updated_at.clone_from(&self.now);
            m.device_id.clone_from(&self.session.device_id);
        }
        self.write(&rec, true)?;
        let (id, parent) = (rec.meta().id, rec.parent_id());
        self.log_entry(T::TABLE, id, parent, Op::Insert, changes, "{}")?;
        Ok(rec)
    }

    pub(super) fn remember(&self, table: &str, id: Id) {
        let mut known = self.known.borrow_mut();
        match known.iter_mut().find(|(t, _)| t == table) {
            Some((_, ids)) => {
                ids.insert(id);
            }
            None => known.push((table.to_string(), HashSet::from_iter([id]))),
        }
    }

    /// The dictionaries (loaded once per transaction), for validating off this thread.
    pub(crate) fn dictionaries(&self) -> Result<DictCache> {
        if self.dicts.borrow().is_none() {
            let loaded = self.load_dicts()?;
            *self.dicts.borrow_mut() = Some(loaded);
        }
        Ok(self.dicts.borrow().clone().unwrap_or_default())
    }

    pub(crate) fn device_id(&self) -> &str {
        &self.session.device_id
    }

    /// Validate and update an existing record; fields the record type reserves for events
    /// (a member's status, say) cannot be changed this way.
    pub fn update<T: Table>(&mut self, rec: T) -> Result<Saved<T>> {
        let old: T = self.get(&rec.meta().id)?;
        if let Err(m) = rec.guard_update(&old) {
            return Err(Error::Rule(m));
        }
        self.update_unguarded(old, rec)
    }

    /// Write an update and log it without validating it: for marking a duplicate 已合并, whose
    /// natural key is (by definition) taken by the record it was merged into.
    pub(crate) fn update_unguarded_raw<T: Table>(
        &mut self,
        old: T,
        mut rec: T,
    ) -> Result<Saved<T>> {
        let changes = diff(
            Some(&serde_json::to_value(&old)?),
            &serde_json::to_value(&rec)?,
        );
        {
            let m = rec.meta_mut();
            m.created_at = old.meta().created_at.clone();
            m.updated_at = self.now.clone();
            m.device_id = self.session.device_id.clone();
        }
        if changes.is_empty() {
            return Ok(Saved {
                record: rec,
                changed: false,
            });
        }
        self.write(&rec, false)?;
        self.log::<T>(rec.meta().id, rec.parent_id(), Op::Update, changes)?;
        Ok(Saved {
            record: rec,
            changed: true,
        })
    }

    /// Update without the event-field guard: for the store's own event handling.
    pub(crate) fn update_unguarded<T: Table>(&mut self, old: T, mut rec: T) -> Result<Saved<T>> {
        {
            let m = rec.meta_mut();
            m.created_at = old.meta().created_at.clone();
            m.updated_at = old.meta().updated_at.clone();
            m.device_id = old.meta().device_id.clone();
        }
        let errors = rec.validate(self);
        errors.into_result()?;
        let changes = diff(
            Some(&serde_json::to_value(&old)?),
            &serde_json::to_value(&rec)?,
        );
        if changes.is_empty() {
            return Ok(Saved {
                record: rec,
                changed: false,
            });
        }
        {
            let session = self.session;
            let now = self.now.clone();
            let m = rec.meta_mut();
            m.updated_at = now;
            m.device_id = session.device_id.clone();
        }
        self.write(&rec, false)?;
        self.log::<T>(rec.meta().id, rec.parent_id(), Op::Update, changes)?;
        Ok(Saved {
            record: rec,
            changed: true,
        })
    }

    /// SQL text for a statement shape, built on first use.
    pub(crate) fn sql(
        &self,
        kind: &'static str,
        table: &'static str,
        extra: &str,
        build: impl FnOnce() -> String,
    ) -> std::rc::Rc<str> {
        if let Some(s) = self
            .sql
            .borrow()
            .get(&(kind, table))
            .and_then(|by| by.get(extra))
        {
            return s.clone();
        }
        let s: std::rc::Rc<str> = build().into();
        self.sql
            .borrow_mut()
            .entry((kind, table))
            .or_default()
            .insert(extra.to_string(), s.clone());
        s
    }

    fn write<T: Table>(&self, rec: &T, insert: bool) -> Result<()> {
        let m = rec.meta();
        let cols = T::COLUMNS;
        let bound = rec.bind()?;
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(cols.len() + 4);
        let sql = if insert {
            values.extend([
                &m.id as &dyn ToSql,
                &m.created_at,
                &m.updated_at,
                &m.device_id,
            ]);
            values.extend(bound.iter().map(|v| v as &dyn ToSql));
            self.sql("insert", T::TABLE, "", || {
                let placeholders: Vec<String> =
                    (1..=cols.len() + 4).map(|i| format!("?{i}")).collect();
                format!(
                    "INSERT INTO {} (id, created_at, updated_at, device_id, {}) VALUES ({})",
                    T::TABLE,
                    cols.join(", "),
                    placeholders.join(", ")
                )
            })
        } else {
            values.extend([&m.updated_at as &dyn ToSql, &m.device_id]);
            values.extend(bound.iter().map(|v| v as &dyn ToSql));
            values.push(&m.id);
            self.sql("update", T::TABLE, "", || {
                let sets: Vec<String> = ["updated_at", "device_id"]
                    .iter()
                    .chain(cols)
                    .enumerate()
                    .map(|(i, c)| format!("{c} = ?{}", i + 1))
                    .collect();
                format!(
                    "UPDATE {} SET {} WHERE id = ?{}",
                    T::TABLE,
                    sets.join(", "),
                    cols.len() + 3
                )
            })
        };
        self.tx.prepare_cached(&sql)?.execute(values.as_slice())?;
        rec.save_children(&self.tx)
    }

    fn log<T: Table>(
        &mut self,
        record_id: Id,
        parent: Option<Id>,
        op: Op,
        changes: serde_json::Map<String, Value>,
    ) -> Result<()> {
        // An update names, per field, the version it was made on top of (see exchange).
        let bases = if op == Op::Update {
            let versions = super::changelog::field_versions(&self.tx, &record_id)?;
            let mut b = serde_json::Map::new();
            for f in changes.keys() {
                if let Some(v) = versions.get(f) {
                    b.insert(f.clone(), Value::Array(vec![Value::String(v.clone())]));
                }
            }
            Value::Object(b)
        } else {
            Value::Object(serde_json::Map::new())
        };
        let changes = Value::Object(changes).to_string();
        self.log_entry(
            T::TABLE,
            record_id,
            parent,
            op,
            &changes,
            &bases.to_string(),
        )
    }

    fn log_entry(
        &mut self,
        entity: &str,
        record_id: Id,
        parent: Option<Id>,
        op: Op,
        changes: &str,
        bases: &str,
    ) -> Result<()> {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.tx
            .prepare_cached(
                "INSERT INTO change_log(id, device_id, device_seq, actor, at, entity, record_id, parent_id, op, changes, bases)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                Id::new(),
                self.session.device_id,
                seq,
                self.session.operator,
                self.now,
                entity,
                record_id,
                parent,
                op,
                changes,
                bases
            ])?;
        Ok(())
    }

    /// Write a record as it is, without validation or a change-log entry: for applying
    /// changes that were validated and logged on the PC that made them.
    pub(crate) fn put_raw<T: Table>(&self, rec: &T, insert: bool) -> Result<()> {
        self.write(rec, insert)
    }

    /// Update only some columns of a record as it is (no validation, no log): an imported change
    /// rewrites the fields it changed, so indexes on the others are left alone. Fields that are
    /// child rows (attendance, covered units) need [`Tx::put_raw`].
    pub(crate) fn put_columns<T: Table>(&self, rec: &T, columns: &[String]) -> Result<()> {
        let all = T::COLUMNS;
        let picked: Vec<usize> = columns
            .iter()
            .filter_map(|c| all.iter().position(|a| a == c))
            .collect();
        let key = picked
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = self.sql("update_some", T::TABLE, &key, || {
            let sets: Vec<String> = ["updated_at", "device_id"]
                .iter()
                .chain(picked.iter().map(|i| &all[*i]))
                .enumerate()
                .map(|(n, c)| format!("{c} = ?{}", n + 1))
                .collect();
            format!(
                "UPDATE {} SET {} WHERE id = ?{}",
                T::TABLE,
                sets.join(", "),
                picked.len() + 3
            )
        });
        let bound = rec.bind()?;
        let m = rec.meta();
        let mut values: Vec<&dyn ToSql> = vec![&m.updated_at, &m.device_id];
        values.extend(picked.iter().map(|i| &bound[*i] as &dyn ToSql));
        values.push(&m.id);
        self.tx.prepare_cached(&sql)?.execute(values.as_slice())?;
        Ok(())
    }

    /// Log a change of this PC's own with explicit bases (a conflict's resolution is based on
    /// both versions it settles).
    pub(crate) fn log_with_bases<T: Table>(
        &mut self,
        record_id: Id,
        changes: serde_json::Map<String, Value>,
        bases: Value,
    ) -> Result<()> {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.tx.execute(
            "INSERT INTO change_log(id, device_id, device_seq, actor, at, entity, record_id, parent_id, op, changes, bases)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, 'update', ?8, ?9)",
            params![
                Id::new(),
                self.session.device_id,
                seq,
                self.session.operator,
                self.now,
                T::TABLE,
                record_id,
                Value::Object(changes).to_string(),
                bases.to_string()
            ],
        )?;
        Ok(())
    }

    /// Store a setting (JSON), logging the change.
    pub fn set_setting(&mut self, key: &str, value: &Value) -> Result<()> {
        let old: Option<String> = self
            .tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        let old: Value = old
            .map(|s| serde_json::from_str(&s))
            .transpose()?
            .unwrap_or(Value::Null);
        if &old == value {
            return Ok(());
        }
        self.tx.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value.to_string()],
        )?;
        *self.rates.borrow_mut() = None;
        let mut changes = serde_json::Map::new();
        changes.insert(key.to_string(), Value::Array(vec![old, value.clone()]));
        let seq = self.next_seq;
        self.next_seq += 1;
        self.tx.execute(
            "INSERT INTO change_log(id, device_id, device_seq, actor, at, entity, record_id, parent_id, op, changes)
             VALUES (?1, ?2, ?3, ?4, ?5, 'settings', ?6, NULL, 'update', ?7)",
            params![
                Id::new(),
                self.session.device_id,
                seq,
                self.session.operator,
                self.now,
                key,
                Value::Object(changes).to_string()
            ],
        )?;
        Ok(())
    }
}
