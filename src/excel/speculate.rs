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
/// reading thread, which has time to spare.
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

/// A record type's blank record, made once per import rather than once per row.
struct Blank<T> {
    /// `T::blank()`, for building with typed setters; `None` once a field without one was met.
    rec: Option<T>,
    /// `T::blank()` as JSON, for building the JSON way; made when first needed.
    json: Option<Map<String, Value>>,
}

impl<T: Fields> Blank<T> {
    fn new() -> Self {
        Blank {
            rec: Some(T::blank()),
            json: None,
        }
    }
}

fn blank_json<T: Fields>() -> Map<String, Value> {
    match serde_json::to_value(T::blank()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// `apply_fields(&base, inputs, true)` where `base` is `T::blank()` with the id `id`, when it
/// succeeds (`None` otherwise: the ordinary path then reports the errors). Built with the
/// type's typed setters when it has them for every input (`Fields::set_text`), else the JSON
/// way; both give the same record.
fn apply_new<T: Fields + Table>(
    blank: &mut Blank<T>,
    id: Id,
    inputs: &[(String, String)],
) -> Option<T> {
    if let Some(base) = &blank.rec {
        match apply_typed(base, id, inputs) {
            Ok(built) => return built,
            // Each field has a typed setter or not, whatever its text: the sheet's rows, with
            // the same columns, would meet the same field again.
            Err(Untyped::Unsupported) => blank.rec = None,
            Err(Untyped::Repeated) => {}
        }
    }
    let json = blank.json.get_or_insert_with(blank_json::<T>);
    apply_json(json, id, inputs)
}

/// Why a record was not built with typed setters.
#[derive(Debug, PartialEq)]
enum Untyped {
    /// A field without a typed setter (or a type with more fields than a mask holds).
    Unsupported,
    /// A field given twice: in JSON the last text's value replaces the first, yet a blank
    /// first text would be an error to a typed setter.
    Repeated,
}

/// `apply_json` with `Fields::set_text` instead of JSON; `Err` when it cannot be done so.
fn apply_typed<T: Fields + Table>(
    base: &T,
    id: Id,
    inputs: &[(String, String)],
) -> std::result::Result<Option<T>, Untyped> {
    // Bit i of a mask: `T::FIELDS[i]`.
    if T::FIELDS.len() > 64 {
        return Err(Untyped::Unsupported);
    }
    let mut rec = base.clone();
    rec.meta_mut().id = id;
    let mut given: Vec<&str> = Vec::with_capacity(inputs.len());
    let (mut set, mut given_bits) = (0u64, 0u64);
    for (name, raw) in inputs {
        let Some(i) = T::FIELDS.iter().position(|f| f.name == name) else {
            return Ok(None);
        };
        let spec = &T::FIELDS[i];
        let bit = 1u64 << i;
        if set & bit != 0 {
            return Err(Untyped::Repeated);
        }
        set |= bit;
        match rec.set_text(spec, raw) {
            None => return Err(Untyped::Unsupported),
            Some(Err(_)) => return Ok(None),
            Some(Ok(false)) => {}
            Some(Ok(true)) => {
                given.push(spec.name);
                given_bits |= bit;
            }
        }
    }
    let missing = T::FIELDS
        .iter()
        .enumerate()
        .any(|(i, f)| f.required && given_bits & (1 << i) == 0);
    if missing {
        return Ok(None);
    }
    rec.derive(&given);
    Ok(Some(rec))
}

/// `apply_new` the JSON way, as `apply_fields` does it, from the blank record's JSON.
fn apply_json<T: Fields>(
    blank: &Map<String, Value>,
    id: Id,
    inputs: &[(String, String)],
) -> Option<T> {
    let mut map = blank.clone();
    map.insert("id".into(), serde_json::to_value(id).ok()?);
    let mut given: Vec<&str> = Vec::with_capacity(inputs.len());
    for (name, raw) in inputs {
        let spec = T::field(name)?;
        let v = parse_value(spec.kind, raw).ok()?;
        if !v.is_null() {
            given.push(spec.name);
        }
        map.insert(spec.name.to_string(), v);
    }
    if T::FIELDS
        .iter()
        .any(|f| f.required && !given.contains(&f.name))
    {
        return None;
    }
    let mut rec: T = serde_json::from_value(Value::Object(map)).ok()?;
    rec.derive(&given);
    Some(rec)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::{apply_fields, FieldKind, FieldSpec};
    use crate::model::validate::id_number_check_char;

    fn inputs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// `inputs` with `field`'s text replaced.
    fn with(inputs: &[(String, String)], field: &str, text: &str) -> Vec<(String, String)> {
        let mut inputs = inputs.to_vec();
        inputs.retain(|(f, _)| f != field);
        inputs.push((field.to_string(), text.to_string()));
        inputs
    }

    /// `apply_fields` on `T::blank()` with the id `id`, when it succeeds.
    fn slow<T: Fields + Table>(id: Id, inputs: &[(String, String)]) -> Option<T> {
        let mut base = T::blank();
        base.meta_mut().id = id;
        apply_fields(&base, inputs, true).ok()
    }

    /// `apply_new` is `apply_fields` on a blank record with an id, whenever it succeeds; for
    /// a member, built with typed setters or the JSON way alike.
    #[test]
    fn apply_new_is_apply_fields_on_a_blank_record() {
        let org = Id::new().to_string();
        let member = inputs(&[
            ("name", "张三"),
            ("gender", "女"),
            ("id_number", "330123199001010028"),
            ("ethnicity", "汉族"),
            ("joined_on", "2015.7.1"),
            ("category", "正式党员"),
            ("org_id", &org),
            ("is_mobile", "否"),
            ("phone", ""),
            ("dues_base", "3,000.50元"),
        ]);
        let unit = inputs(&[
            ("name", "甲公司"),
            ("category", "民营企业"),
            ("employees", "12"),
        ]);
        let id = Id::new();
        let slow_member = slow::<Member>(id, &member).unwrap();
        let mut blank = Blank::<Member>::new();
        assert_eq!(
            apply_new(&mut blank, id, &member).as_ref(),
            Some(&slow_member)
        );
        assert!(blank.rec.is_some() && blank.json.is_none(), "built typed");
        let typed = apply_typed(&Member::blank(), id, &member);
        assert_eq!(typed, Ok(Some(slow_member.clone())));
        let json = apply_json::<Member>(&blank_json::<Member>(), id, &member);
        assert_eq!(json, Some(slow_member));

        let slow_unit = slow::<Unit>(id, &unit).unwrap();
        let mut blank = Blank::<Unit>::new();
        let fast = apply_new(&mut blank, id, &unit).unwrap();
        assert!(
            blank.rec.is_none(),
            "Unit has no typed setters: the JSON way"
        );
        assert_eq!(
            serde_json::to_value(fast).unwrap(),
            serde_json::to_value(slow_unit).unwrap()
        );

        // A field given twice: the last text decides, a blank first one is no error.
        let twice = [member.clone(), inputs(&[("name", ""), ("name", " 李四 ")])].concat();
        let typed = apply_typed(&Member::blank(), id, &twice);
        assert!(matches!(typed, Err(Untyped::Repeated)));
        let fast = apply_new(&mut Blank::<Member>::new(), id, &twice).unwrap();
        assert_eq!(fast.name, "李四");
        assert_eq!(Some(fast), slow::<Member>(id, &twice));

        // Whatever apply_fields refuses, apply_new refuses, typed or not.
        for bad in [
            inputs(&[("name", "李四")]),
            inputs(&[("name", "李四"), ("joined_on", "七月")]),
            inputs(&[("nope", "x")]),
            // null in a field serde needs a value for, required or not
            with(&member, "gender", " "),
            with(&member, "category", ""),
            with(&member, "joined_on", "\u{3000}"),
            with(&member, "name", ""),
        ] {
            assert!(slow::<Member>(id, &bad).is_none(), "{bad:?}");
            assert!(apply_new(&mut Blank::<Member>::new(), id, &bad).is_none());
            assert!(matches!(apply_typed(&Member::blank(), id, &bad), Ok(None)));
        }
    }

    #[test]
    fn members_have_a_typed_setter_for_every_field() {
        for spec in Member::FIELDS {
            assert!(
                Member::blank().set_text(spec, "").is_some(),
                "{}",
                spec.name
            );
        }
        let spec = Unit::field("name").unwrap();
        assert!(Unit::blank().set_text(spec, "甲").is_none());
    }

    /// One of the `|`-separated texts.
    fn pick(rng: &mut fastrand::Rng, texts: &str) -> String {
        let texts: Vec<&str> = texts.split('|').collect();
        texts[rng.usize(..texts.len())].to_string()
    }

    /// A 公民身份号码: mostly valid (sometimes with a lower-case x), sometimes not.
    fn id_number(rng: &mut fastrand::Rng) -> String {
        let first = format!(
            "330123{:04}{:02}{:02}{:03}",
            rng.u32(1900..2010),
            rng.u32(1..=12),
            rng.u32(1..=28),
            rng.u32(0..1000)
        );
        let check = id_number_check_char(&first).unwrap_or('0');
        match rng.u8(..10) {
            0 => format!("{first}{}", check.to_ascii_lowercase()),
            1 => format!("{first}{}", if check == '0' { '1' } else { '0' }),
            2 => first[..15].to_string(),
            _ => format!("{first}{check}"),
        }
    }

    fn random_id(rng: &mut fastrand::Rng) -> Id {
        let mut random = [0; 10];
        random.iter_mut().for_each(|b| *b = rng.u8(..));
        Id::from_parts(rng.u64(..1 << 48), random)
    }

    /// A text people (or the import) might put in a field of this kind: with `noise` percent
    /// probability an odd one (blank, junk, the edge cases of each conversion), else a valid
    /// one in one of its usual spellings.
    fn sample(rng: &mut fastrand::Rng, spec: &FieldSpec, noise: u8) -> String {
        const JUNK: &str = "| |\u{3000}|\t|null|NULL|None|[]|{}|-|？|0|\"\"";
        if rng.u8(..100) < noise {
            if rng.bool() {
                return pick(rng, JUNK);
            }
            return match spec.kind {
                FieldKind::Date => pick(
                    rng,
                    "2019-02-30|2019-13|七月|19-07|2019|0.1.1|0000.1.1|+10000.1.1|10000-01-01|\
                     262142.12.31|262143.1.1|99999999|00000101|2019..1|2019.1.1.1|2019 .1.1|\
                     2019.7.1日|2019-7-1T00:00|１９９０.1.1",
                ),
                FieldKind::Bool => pick(rng, "也许|2|真|是的|yes!|√√|TRUE "),
                FieldKind::Money => pick(
                    rng,
                    "1.234|三千|1e3|+5|元|92233720368547758.08|1,2,3|--5|5..0|0x10|-",
                ),
                FieldKind::Choice(_) => pick(rng, "未知|党支部|其他|男女|正 式|M|1"),
                FieldKind::Ref(_) => {
                    let id = random_id(rng).to_string();
                    match rng.u8(..3) {
                        0 => id[..35].to_string(),
                        1 => format!("{id}0"),
                        _ => pick(rng, "not-an-id|1234|{}|urn:uuid:"),
                    }
                }
                FieldKind::Text if spec.name == "id_number" => pick(rng, "330123|abc|３３０"),
                _ => pick(rng, JUNK),
            };
        }
        match spec.kind {
            FieldKind::Text if spec.name == "id_number" => id_number(rng),
            FieldKind::Text => pick(rng, "张三| 李四 |王 五|x|13800138000|流向：杭州|null "),
            FieldKind::Dict(_) => pick(rng, "汉族|汉| 回族 |大学本科|本科|火星族"),
            FieldKind::Date => {
                let (y, m, d) = (rng.i32(1900..2030), rng.u32(1..=12), rng.u32(1..=28));
                match rng.u8(..7) {
                    0 => format!("{y}-{m:02}-{d:02}"),
                    1 => format!("{y}.{m}.{d}"),
                    2 => format!("{y}/{m}/{d} 14:30"),
                    3 => format!("{y}年{m}月{d}日"),
                    4 => format!(" {y}年{m}月"),
                    5 => format!("{y}.{m:02}"),
                    _ => format!("{y:04}{m:02}{d:02}"),
                }
            }
            FieldKind::Bool => pick(
                rng,
                "是|√|✓|✔|y|Y|yes|YES|1|有|true|True|已建|已建立|否|×|✗|n|N|no|0|无|false||\
                 未建|未建立| 是 |\u{3000}",
            ),
            FieldKind::Money => match rng.u8(..3) {
                0 => pick(
                    rng,
                    "3000|3000.5|3,000.50元|0.2|-5|-0|.5|5.|3000 元|90071992547409.93|\
                     9999999999999999.99|92233720368547758.07|-92233720368547758.08|１",
                ),
                // Every magnitude, beyond what an f64 holds exactly too.
                _ => Money(rng.i64(..) >> rng.u32(0..64)).to_string(),
            },
            FieldKind::Choice(v) => {
                let synonyms = "男性|女性|正式|预备|转出|出党|死亡|在岗|退休|离休|低保|生活困难";
                match rng.u8(..3) {
                    0 => pick(rng, synonyms),
                    1 => format!(" {} ", v.labels[rng.usize(..v.labels.len())]),
                    _ => v.labels[rng.usize(..v.labels.len())].to_string(),
                }
            }
            FieldKind::Ref(_) => {
                let id = random_id(rng);
                match rng.u8(..5) {
                    0 => id.to_string().to_uppercase(),
                    1 => id.0.simple().to_string(),
                    2 => format!("{{{id}}}"),
                    3 => format!(" {} ", id.0.urn()),
                    _ => id.to_string(),
                }
            }
            _ => pick(rng, JUNK),
        }
    }

    /// For random member rows — valid values, blanks, junk, edge cases, fields in any order,
    /// now and then a field twice or an unknown one — typed setters build what the JSON way
    /// (and `apply_fields`) builds, or fail where it fails.
    #[test]
    fn typed_setters_build_what_json_builds() {
        let mut rng = fastrand::Rng::with_seed(20_240_701);
        let json_blank = blank_json::<Member>();
        let (mut built, mut refused, mut repeated) = (0, 0, 0);
        for _ in 0..4000 {
            let noise = [0, 2, 5, 15, 40][rng.usize(..5)];
            let mut inputs: Vec<(String, String)> = Vec::new();
            for spec in Member::FIELDS {
                if rng.u8(..10) < if spec.required { 9 } else { 5 } {
                    inputs.push((spec.name.to_string(), sample(&mut rng, spec, noise)));
                }
            }
            if rng.u8(..20) == 0 {
                let spec = &Member::FIELDS[rng.usize(..Member::FIELDS.len())];
                inputs.push((spec.name.to_string(), sample(&mut rng, spec, noise)));
            }
            if rng.u8(..50) == 0 {
                inputs.push(("nope".to_string(), "x".to_string()));
            }
            rng.shuffle(&mut inputs);
            let id = random_id(&mut rng);

            let json = apply_json::<Member>(&json_blank, id, &inputs);
            assert_eq!(json, slow::<Member>(id, &inputs), "{inputs:?}");
            match apply_typed(&Member::blank(), id, &inputs) {
                Ok(typed) => assert_eq!(typed, json, "{inputs:?}"),
                Err(Untyped::Repeated) => repeated += 1,
                Err(Untyped::Unsupported) => panic!("no typed setter: {inputs:?}"),
            }
            assert_eq!(
                apply_new(&mut Blank::<Member>::new(), id, &inputs),
                json,
                "{inputs:?}"
            );
            if json.is_some() {
                built += 1;
            } else {
                refused += 1;
            }
        }
        // Both outcomes, and the repeated-field fallback, are well exercised.
        assert!(
            built > 500 && refused > 500 && repeated > 20,
            "{built} {refused} {repeated}"
        );
    }
}
