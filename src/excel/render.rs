//! What each column of a record's row shows: names for ids, 是/否, dates, and the figures a
//! template computes from other records (党员数, 是否建立党组织, 书记 …).

use super::profile::{ColumnKind, Profile};
use super::to_cell::ToCell;
use crate::error::Result;
use crate::model::fields::FieldKind;
use crate::model::*;
use crate::store::{list, visit_fields, FieldSink, NotARecord, Table};
use crate::Store;
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Out {
    Empty,
    Text(String),
    Number(f64),
    Money(f64),
    Date(NaiveDate),
}

/// Names and relations needed to turn ids into what a table shows.
pub(super) struct Lookups {
    pub(super) orgs: HashMap<Id, Org>,
    pub(super) units: HashMap<Id, String>,
    pub(super) instructors: HashMap<Id, String>,
    pub(super) members: HashMap<Id, (String, String, Option<Id>)>,
    /// unit → active orgs covering it
    pub(super) cover: HashMap<Id, Vec<Id>>,
    /// unit → members on the rolls working there
    pub(super) member_count: HashMap<Id, usize>,
}

impl Lookups {
    /// `members`: whether rows will need the members (names, 身份证号, counts per unit); a
    /// roster's own rows do not, and loading a city's members first would hold up its export.
    pub(super) fn load(store: &Store, with_members: bool) -> Result<Self> {
        let conn = store.conn();
        let orgs: Vec<Org> = list(conn, "1", &[], "rowid")?;
        let mut cover: HashMap<Id, Vec<Id>> = HashMap::new();
        for o in orgs.iter().filter(|o| o.status == OrgStatus::Active) {
            for u in &o.unit_ids {
                cover.entry(*u).or_default().push(o.meta.id);
            }
        }
        let mut units = HashMap::new();
        let mut st = conn.prepare("SELECT id, name FROM unit")?;
        for r in st.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = r?;
            units.insert(id, name);
        }
        let mut instructors = HashMap::new();
        let mut st = conn.prepare("SELECT id, name FROM instructor")?;
        for r in st.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = r?;
            instructors.insert(id, name);
        }
        let mut members = HashMap::new();
        let mut member_count: HashMap<Id, usize> = HashMap::new();
        let cond = if with_members { "1" } else { "0" };
        let mut st = conn.prepare(&format!(
            "SELECT id, name, id_number, org_id, work_unit_id, status FROM member WHERE {cond}"
        ))?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<Id>>(3)?,
                r.get::<_, Option<Id>>(4)?,
                r.get::<_, MemberStatus>(5)?,
            ))
        })?;
        for r in rows {
            let (id, name, idn, org, unit, status) = r?;
            if let (Some(u), MemberStatus::Active) = (unit, status) {
                *member_count.entry(u).or_default() += 1;
            }
            members.insert(id, (name, idn, org));
        }
        Ok(Lookups {
            orgs: orgs.into_iter().map(|o| (o.meta.id, o)).collect(),
            units,
            instructors,
            members,
            cover,
            member_count,
        })
    }

    pub(super) fn org_name(&self, id: &Id) -> String {
        self.orgs
            .get(id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }

    /// The org of its own (单独组建) covering a unit, else any covering org.
    pub(super) fn main_org(&self, unit: &Id) -> Option<&Org> {
        let orgs: Vec<&Org> = self
            .cover
            .get(unit)?
            .iter()
            .filter_map(|o| self.orgs.get(o))
            .collect();
        orgs.iter()
            .find(|o| o.formation == "单独组建")
            .or(orgs.first())
            .copied()
    }

    /// An org and every org under it.
    pub(super) fn subtree(&self, root: &Id) -> HashSet<Id> {
        let mut out: HashSet<Id> = HashSet::from([*root]);
        loop {
            let before = out.len();
            for o in self.orgs.values() {
                if o.parent_id.is_some_and(|p| out.contains(&p)) {
                    out.insert(o.meta.id);
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }
}

fn id_of(v: &Value, field: &str) -> Option<Id> {
    v.get(field)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

pub(super) fn plain(v: &Value, kind: Option<FieldKind>) -> Out {
    match (v, kind) {
        (Value::Null, _) => Out::Empty,
        (Value::Bool(b), _) => Out::Text(if *b { "是" } else { "否" }.into()),
        (Value::Number(n), Some(FieldKind::Money)) => Out::Money(n.as_f64().unwrap_or(0.0)),
        (Value::Number(n), _) => Out::Number(n.as_f64().unwrap_or(0.0)),
        (Value::String(s), Some(FieldKind::Date)) => s
            .parse()
            .map(Out::Date)
            .unwrap_or_else(|_| Out::Text(s.clone())),
        (Value::String(s), _) => Out::Text(s.clone()),
        (Value::Array(items), Some(FieldKind::Assessments)) => Out::Text(assessments_text(items)),
        (Value::Array(items), _) => Out::Text(
            items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (other, _) => Out::Text(other.to_string()),
    }
}

/// 培养考察 as people write them — 2025-03-22:表现良好；2025-09-22 — which the import reads
/// back; as JSON when a note itself holds a ；.
fn assessments_text(items: &[Value]) -> String {
    let note = |i: &Value| i["note"].as_str().unwrap_or("").to_string();
    if items.iter().any(|i| note(i).contains([';', '；'])) {
        return Value::Array(items.to_vec()).to_string();
    }
    items
        .iter()
        .map(|i| {
            let on = i["on"].as_str().unwrap_or("");
            match note(i) {
                n if n.is_empty() => on.to_string(),
                n => format!("{on}:{n}"),
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Whether a profile's rows (or its filter) need the members in [`Lookups`].
pub(super) fn needs_members(profile: &Profile) -> bool {
    profile.entity == "dues"
        || profile.columns.iter().any(|c| {
            matches!(
                c.kind,
                ColumnKind::Computed
                    | ColumnKind::MemberIdNumber
                    | ColumnKind::MemberName
                    | ColumnKind::Absence
            )
        })
}

/// The record fields a profile's columns read (for `row_values`): plain fields straight into
/// cells, the others (ids to look up, lists, …) as JSON values.
pub(super) struct Wanted {
    values: HashSet<String, FieldHash>,
    /// Field → its position in a row's cells and its kind.
    cells: HashMap<String, (usize, Option<FieldKind>), FieldHash>,
    /// By column: whether no later column shows the same field (its cell can be moved out).
    last: Vec<bool>,
}

/// Every field of every exported record is looked up here; the keys are our own field names,
/// so a fast fixed hash will do (SipHash was a tenth of the export's loading thread).
type FieldHash = foldhash::fast::FixedState;

pub(super) fn wanted_fields<T: Fields>(profile: &Profile) -> Wanted {
    let mut values: HashSet<String, FieldHash> =
        ["committee", "items", "attendance", "member_id", "due"]
            .map(String::from)
            .into_iter()
            .collect();
    let mut cells = HashMap::with_hasher(FieldHash::default());
    for col in &profile.columns {
        match (col.kind, &col.field) {
            (ColumnKind::Field, Some(f)) => {
                let n = cells.len();
                cells
                    .entry(f.clone())
                    .or_insert((n, T::field(f).map(|s| s.kind)));
            }
            _ => values.extend(col.field.iter().cloned()),
        }
        values.extend(col.text_field.iter().cloned());
    }
    let last = (0..profile.columns.len())
        .map(|i| {
            let field = &profile.columns[i].field;
            !profile.columns[i + 1..]
                .iter()
                .any(|c| c.kind == ColumnKind::Field && &c.field == field)
        })
        .collect();
    Wanted {
        values,
        cells,
        last,
    }
}

/// Just the wanted fields of a record: as its JSON value would have them, or as cells.
struct Pick<'a> {
    wanted: &'a Wanted,
    map: serde_json::Map<String, Value>,
    cells: Vec<Out>,
}

impl FieldSink for Pick<'_> {
    fn field<V: serde::Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &V,
    ) -> std::result::Result<(), NotARecord> {
        if let Some((i, kind)) = self.wanted.cells.get(key) {
            self.cells[*i] = match value.serialize(ToCell(*kind)) {
                Ok(out) => out,
                Err(_) => plain(&serde_json::to_value(value).map_err(|_| NotARecord)?, *kind),
            };
        }
        if self.wanted.values.contains(key) {
            let v = serde_json::to_value(value).map_err(|_| NotARecord)?;
            self.map.insert(key.to_string(), v);
        }
        Ok(())
    }
}

/// The cells of one record's row. `wanted`: [`wanted_fields`] of the profile (a row needs a
/// few fields of its record, not the whole record as JSON).
pub(super) fn row_values<T: Table + Fields>(
    rec: &T,
    profile: &Profile,
    lk: &Lookups,
    wanted: &Wanted,
) -> Result<Vec<Out>> {
    let mut pick = Pick {
        wanted,
        map: serde_json::Map::new(),
        cells: vec![Out::Empty; wanted.cells.len()],
    };
    visit_fields(rec, &mut pick)?;
    let mut cells = pick.cells;
    let v = Value::Object(pick.map);
    let text = |s: String| {
        if s.is_empty() {
            Out::Empty
        } else {
            Out::Text(s)
        }
    };
    let mut out = Vec::with_capacity(profile.columns.len());
    for (n, col) in profile.columns.iter().enumerate() {
        let field = col.field.as_deref().unwrap_or("");
        out.push(match col.kind {
            ColumnKind::Seq => Out::Empty,
            ColumnKind::Id => Out::Text(rec.meta().id.to_string()),
            ColumnKind::Field => match wanted.cells.get(field) {
                Some((i, _)) if wanted.last[n] => std::mem::replace(&mut cells[*i], Out::Empty),
                Some((i, _)) => cells[*i].clone(),
                None => Out::Empty,
            },
            ColumnKind::OrgName => text(
                id_of(&v, field)
                    .map(|id| lk.org_name(&id))
                    .unwrap_or_default(),
            ),
            ColumnKind::UnitName => text(
                id_of(&v, field)
                    .and_then(|id| lk.units.get(&id).cloned())
                    .or_else(|| {
                        col.text_field
                            .as_deref()
                            .and_then(|t| v.get(t))
                            .and_then(Value::as_str)
                            .map(String::from)
                    })
                    .unwrap_or_default(),
            ),
            ColumnKind::InstructorName => text(
                id_of(&v, field)
                    .and_then(|id| lk.instructors.get(&id).cloned())
                    .unwrap_or_default(),
            ),
            ColumnKind::UnitNames => text(
                v.get(field)
                    .and_then(Value::as_array)
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|i| i.as_str()?.parse::<Id>().ok())
                            .filter_map(|id| lk.units.get(&id).cloned())
                            .collect::<Vec<_>>()
                            .join("、")
                    })
                    .unwrap_or_default(),
            ),
            ColumnKind::Secretary => text(
                v.get("committee")
                    .and_then(Value::as_array)
                    .and_then(|seats| seats.iter().find(|s| s["role"] == "书记"))
                    .and_then(|s| s["name"].as_str())
                    .unwrap_or("")
                    .to_string(),
            ),
            ColumnKind::CheckItem => text(
                v.get("items")
                    .and_then(Value::as_array)
                    .and_then(|items| {
                        items
                            .iter()
                            .find(|i| i["item_code"].as_str() == col.item.as_deref())
                    })
                    .and_then(|i| i["result"].as_str())
                    .unwrap_or("")
                    .to_string(),
            ),
            ColumnKind::MemberIdNumber => text(
                id_of(&v, field)
                    .and_then(|id| lk.members.get(&id))
                    .map(|m| m.1.clone())
                    .unwrap_or_default(),
            ),
            ColumnKind::MemberName => text(
                id_of(&v, field)
                    .and_then(|id| lk.members.get(&id))
                    .map(|m| m.0.clone())
                    .unwrap_or_default(),
            ),
            ColumnKind::Computed => computed(field, &v, rec.meta().id, lk),
            ColumnKind::Absence => text(
                absence_text(&v, lk).unwrap_or_else(|| v[field].as_str().unwrap_or("").to_string()),
            ),
        });
    }
    Ok(out)
}

/// 张三（出差）、李四 from per-member attendance, when the meeting has it.
fn absence_text(v: &Value, lk: &Lookups) -> Option<String> {
    let list = v.get("attendance")?.as_array().filter(|a| !a.is_empty())?;
    let absent: Vec<String> = list
        .iter()
        .filter(|a| a["present"] == false)
        .map(|a| {
            let name = id_of(a, "member_id")
                .and_then(|m| lk.members.get(&m))
                .map(|m| m.0.clone())
                .unwrap_or_default();
            match a["reason"].as_str() {
                Some(r) => format!("{name}（{r}）"),
                None => name,
            }
        })
        .collect();
    Some(absent.join("、"))
}

fn computed(what: &str, v: &Value, id: Id, lk: &Lookups) -> Out {
    let text = |s: String| {
        if s.is_empty() {
            Out::Empty
        } else {
            Out::Text(s)
        }
    };
    let member = || id_of(v, "member_id").and_then(|m| lk.members.get(&m));
    match what {
        "member_count" => Out::Number(*lk.member_count.get(&id).unwrap_or(&0) as f64),
        "has_org" => Out::Text(
            if lk.cover.contains_key(&id) {
                "是"
            } else {
                "否"
            }
            .into(),
        ),
        "formation" => text(
            lk.main_org(&id)
                .map(|o| o.formation.clone())
                .unwrap_or_default(),
        ),
        "org_name" => text(lk.main_org(&id).map(|o| o.name.clone()).unwrap_or_default()),
        "secretary" => text(
            lk.main_org(&id)
                .and_then(|o| o.secretary())
                .unwrap_or("")
                .to_string(),
        ),
        "member_name" => text(member().map(|m| m.0.clone()).unwrap_or_default()),
        "member_org" => text(
            member()
                .and_then(|m| m.2)
                .map(|o| lk.org_name(&o))
                .unwrap_or_default(),
        ),
        "due" => plain(v.get("due").unwrap_or(&Value::Null), Some(FieldKind::Money)),
        // 发展阶段 and the 支部大会's date follow from the steps: written, never read.
        "stage" => text(v["stage"].as_str().unwrap_or("").to_string()),
        "admitted_on" => plain(
            v.get("admitted_on").unwrap_or(&Value::Null),
            Some(FieldKind::Date),
        ),
        _ => Out::Empty,
    }
}
