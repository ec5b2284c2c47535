//! How each record type maps to its table: columns, binding and reading, plus child rows.

use crate::error::Result;
use crate::model::*;
use chrono::NaiveDate;
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params, Connection, Row, ToSql};
use serde::Serialize;

/// A column value for binding, for date columns: rusqlite's own conversion formats through
/// chrono's strftime parser (`%F`), ~4 % of a big import's writing thread; here the same text
/// is written digit by digit. Chosen over [`BindAny`] for dates by method resolution (the `table!`
/// macro calls `(&self.col).bind_value()`).
pub trait BindDate {
    fn bind_value(&self) -> rusqlite::Result<ToSqlOutput<'static>>;
}

impl BindDate for NaiveDate {
    fn bind_value(&self) -> rusqlite::Result<ToSqlOutput<'static>> {
        // As rusqlite writes a date (`%F`, which is chrono's `Display`), digit by digit.
        let text = crate::model::types::iso_date::to_string(*self);
        Ok(ToSqlOutput::Owned(Value::Text(text)))
    }
}

impl BindDate for Option<NaiveDate> {
    fn bind_value(&self) -> rusqlite::Result<ToSqlOutput<'static>> {
        match self {
            Some(d) => d.bind_value(),
            None => Ok(ToSqlOutput::Owned(Value::Null)),
        }
    }
}

/// A column value for binding: its `ToSql`.
pub trait BindAny<'a> {
    fn bind_value(&self) -> rusqlite::Result<ToSqlOutput<'a>>;
}

impl<'a, T: ToSql> BindAny<'a> for &'a T {
    fn bind_value(&self) -> rusqlite::Result<ToSqlOutput<'a>> {
        let value: &'a T = self;
        value.to_sql()
    }
}

/// A record type stored in one table (plus, for some, child rows).
pub trait Table: Validate + Serialize + serde::de::DeserializeOwned + Clone + Sized {
    /// Table name, also the entity name in the change log.
    const TABLE: &'static str;
    /// Chinese name for messages, e.g. 党员.
    const LABEL: &'static str;
    /// Columns besides the four bookkeeping ones, in `bind` order.
    const COLUMNS: &'static [&'static str];
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    /// The values of `COLUMNS`, in order, for binding.
    fn bind(&self) -> rusqlite::Result<Vec<ToSqlOutput<'_>>>;
    /// A record from a row of `SELECT id, created_at, updated_at, device_id, COLUMNS…` (in
    /// that order: columns are read by position).
    fn from_row(row: &Row) -> rusqlite::Result<Self>;
    /// Load child rows (e.g. an activity's attendance) after `from_row`.
    fn load_children(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
    /// Replace the child rows in the database with this record's.
    fn save_children(&self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
    /// The record this one belongs to in the change log (a member for a member event).
    fn parent_id(&self) -> Option<Id> {
        None
    }
    /// Refuse an ordinary update that would change fields only events may change.
    fn guard_update(&self, _old: &Self) -> Result<(), String> {
        Ok(())
    }
}

macro_rules! table {
    (
        $ty:ty, $table:literal, $label:literal, [$($col:ident),+ $(,)?]
        $(, children: $child:ident => ($load:path, $save:path))?
        $(, parent: $parent:ident)?
        $(, guard: $guard:path)?
    ) => {
        impl Table for $ty {
            const TABLE: &'static str = $table;
            const LABEL: &'static str = $label;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($col)),+];
            fn meta(&self) -> &Meta { &self.meta }
            fn meta_mut(&mut self) -> &mut Meta { &mut self.meta }
            fn bind(&self) -> rusqlite::Result<Vec<ToSqlOutput<'_>>> {
                Ok(vec![$((&self.$col).bind_value()?),+])
            }
            fn from_row(row: &Row) -> rusqlite::Result<Self> {
                // By position (see `from_row`): looking columns up by name was most of an export.
                let mut i = 3;
                let mut next = || {
                    i += 1;
                    i
                };
                Ok(Self {
                    meta: Meta {
                        id: row.get(0)?,
                        created_at: row.get(1)?,
                        updated_at: row.get(2)?,
                        device_id: row.get(3)?,
                    },
                    $($col: row.get(next())?,)+
                    $($child: Default::default(),)?
                })
            }
            $(
                fn load_children(&mut self, conn: &Connection) -> Result<()> { $load(self, conn) }
                fn save_children(&self, conn: &Connection) -> Result<()> { $save(self, conn) }
            )?
            $(fn parent_id(&self) -> Option<Id> { Some(self.$parent) })?
            $(fn guard_update(&self, old: &Self) -> Result<(), String> { $guard(self, old) })?
        }
    };
}

fn load_org_units(org: &mut Org, conn: &Connection) -> Result<()> {
    let mut st =
        conn.prepare_cached("SELECT unit_id FROM org_unit WHERE org_id = ?1 ORDER BY unit_id")?;
    org.unit_ids = st
        .query_map([org.meta.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

fn save_org_units(org: &Org, conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM org_unit WHERE org_id = ?1")?
        .execute([org.meta.id])?;
    let mut ins = conn.prepare_cached("INSERT INTO org_unit(org_id, unit_id) VALUES (?1, ?2)")?;
    for u in &org.unit_ids {
        ins.execute(params![org.meta.id, u])?;
    }
    Ok(())
}

fn load_attendance(act: &mut Activity, conn: &Connection) -> Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT member_id, present, reason FROM attendance WHERE activity_id = ?1 ORDER BY member_id",
    )?;
    act.attendance = st
        .query_map([act.meta.id], |r| {
            Ok(Attendance {
                member_id: r.get(0)?,
                present: r.get(1)?,
                reason: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

fn save_attendance(act: &Activity, conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM attendance WHERE activity_id = ?1")?
        .execute([act.meta.id])?;
    let mut ins = conn.prepare_cached(
        "INSERT INTO attendance(activity_id, member_id, present, reason) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for a in &act.attendance {
        ins.execute(params![act.meta.id, a.member_id, a.present, a.reason])?;
    }
    Ok(())
}

table!(
    Unit,
    "unit",
    "两新组织",
    [
        name,
        credit_code,
        category,
        industry,
        area,
        address,
        employees,
        above_scale,
        legal_rep,
        legal_rep_is_member,
        has_union,
        has_youth_league,
        has_womens_federation,
        status,
        no_org_reason,
        instructor_id,
        phone,
        note,
        merged_into
    ]
);
table!(Org, "org", "党组织", [
    name, short_name, org_type, formation, parent_id, area, founded_on, elected_on, term_years,
    phone, status, committee
], children: unit_ids => (load_org_units, save_org_units));
table!(Member, "member", "党员", [
    name, gender, ethnicity, id_number, birth_date, education, category, status, joined_on,
    confirmed_on, probation_extended_to, org_id, work_unit_id, work_unit_name, job, phone,
    is_mobile, mobile_to, is_lost_contact, dues_base, payer_kind, note, merged_into
], guard: super::members::guard_member_update);
table!(Activity, "activity", "组织生活记录", [
    org_id, types, held_on, location, host, recorder, topic, summary, expected, present,
    recorded_at, absence_note, attachments
], children: attendance => (load_attendance, save_attendance));
table!(
    Checklist,
    "checklist",
    "检查表",
    [code, name, version, source, items]
);
table!(
    Inspection,
    "inspection",
    "检查记录",
    [
        org_id,
        checklist_id,
        inspected_on,
        inspector_kind,
        inspector_name,
        instructor_id,
        note,
        items
    ]
);
table!(
    Instructor,
    "instructor",
    "党建指导员",
    [name, employer, phone, active]
);
table!(
    Visit,
    "visit",
    "走访记录",
    [
        instructor_id,
        unit_id,
        visited_on,
        met_with,
        findings,
        followups,
        photos
    ]
);
table!(
    Alliance,
    "alliance",
    "红色联盟",
    [name, kind, lead_org_id, founded_on, org_ids, unit_ids, note]
);
table!(
    Dues,
    "dues",
    "党费记录",
    [member_id, month, base, payer_kind, due, paid, paid_on]
);

table!(Applicant, "applicant", "入党申请人", [
    name, gender, ethnicity, id_number, birth_date, education, work_unit_id, work_unit_name, job,
    phone, org_id, stage, applied_on, talked_on, activist_on, contact_ids, assessments,
    candidate_on, review_on, review_result, training_from, training_to, training_hours,
    pre_review_on, publicity_from, publicity_to, sponsor_ids, sponsors_on, admitted_on, member_id,
    approved_on, left_on, left_reason, note, merged_into
], guard: super::applicants::guard_applicant_update);

// Member events carry their member as the change-log parent, so a member's history shows them.
table!(MemberEvent, "member_event", "党员事件", [
    member_id, kind, occurred_on, until, org_id, place, note
], parent: member_id);

impl Validate for MemberEvent {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        check_ref(
            &mut e,
            lookup,
            "member_id",
            "党员",
            "member",
            Some(&self.member_id),
        );
        check_ref(
            &mut e,
            lookup,
            "org_id",
            "党组织",
            "org",
            self.org_id.as_ref(),
        );
        for v in [&mut self.place, &mut self.note] {
            tidy(v);
        }
        e
    }
}

#[cfg(test)]
mod bind_tests {
    use super::*;
    use chrono::Datelike;

    /// Dates are bound as rusqlite's own conversion would bind them, whatever the year.
    #[test]
    fn dates_bind_as_rusqlite_binds_them() {
        let days = [
            NaiveDate::MIN,
            NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(1899, 12, 30).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1).unwrap(),
            NaiveDate::MAX,
        ];
        for d in days {
            assert_eq!(d.bind_value().unwrap(), d.to_sql().unwrap(), "{d}");
        }
        // Every day of the years ledgers hold.
        let mut d = NaiveDate::from_ymd_opt(1890, 1, 1).unwrap();
        while d.year() < 2110 {
            assert_eq!(d.bind_value().unwrap(), d.to_sql().unwrap(), "{d}");
            d = d.succ_opt().unwrap();
        }
        let mut m = Member::new("张三", "330123199001010028", days[4]);
        m.confirmed_on = Some(days[6]);
        let bound = m.bind().unwrap();
        let col = |c: &str| Member::COLUMNS.iter().position(|x| *x == c).unwrap();
        assert_eq!(bound.len(), Member::COLUMNS.len());
        assert_eq!(bound[col("joined_on")], days[4].to_sql().unwrap());
        assert_eq!(bound[col("confirmed_on")], days[6].to_sql().unwrap());
        assert_eq!(bound[col("birth_date")], ToSqlOutput::Owned(Value::Null));
        assert_eq!(bound[col("name")], "张三".to_sql().unwrap());
    }
}
