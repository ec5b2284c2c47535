//! Domain types and their validation (DESIGN.md §4).

pub mod activity;
pub mod alliance;
pub mod applicant;
pub mod dates;
pub mod dict;
pub mod dues;
pub mod entity;
pub mod fields;
pub mod inspection;
pub mod instructor;
pub mod member;
pub mod names;
pub mod org;
mod specs;
pub use specs::field_spec;
pub mod types;
pub mod unit;
pub mod validate;

pub use activity::{Activity, Attendance};
pub use alliance::Alliance;
pub use applicant::{
    Applicant, Assessment, DevelopmentParams, NextStep, PathDates, StepDue, StepInput,
};
pub use dict::*;
pub use dues::{Dues, DuesRates};
pub use entity::Entity;
pub use fields::{apply_fields, FieldKind, FieldSpec, Fields};
pub use inspection::{Checklist, ChecklistItem, Inspection, InspectionItem};
pub use instructor::{FollowUp, Instructor, Visit};
pub use member::{Member, MemberEvent};
pub use org::{CommitteeSeat, Org};
pub use types::{Id, JsonList, Money};
pub use unit::Unit;
pub use validate::{FieldError, FieldErrors};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Bookkeeping every record carries: id, when created and last changed, and on which PC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Meta {
    pub id: Id,
    pub created_at: String,
    pub updated_at: String,
    /// 设备编号 of the PC that last changed the record.
    pub device_id: String,
}

/// What validation needs to know about the rest of the ledger. The store implements it;
/// keeping it a trait lets the model be tested without a database.
pub trait Lookup {
    /// Today's date (the ledger's clock, fixed in tests).
    fn today(&self) -> NaiveDate;
    /// Whether a record with this id exists in `table`.
    fn exists(&self, table: &str, id: &Id) -> bool;
    /// Whether another record (not `except`) in `table` has `column = value`.
    fn taken(&self, table: &str, column: &str, value: &str, except: &Id) -> bool;
    /// Map a value or synonym to the dictionary's canonical value, or say what is allowed.
    fn dict_value(&self, dict: &str, value: &str) -> Result<String, String>;
    /// A checklist definition, for checking an inspection's items.
    fn checklist(&self, id: &Id) -> Option<Checklist>;
    /// The 党费 rate table in force.
    fn dues_rates(&self) -> DuesRates;
    /// The current time as stored (RFC 3339), for 录入时间.
    fn now(&self) -> String;
    /// The time rules of 发展党员 in force.
    fn development(&self) -> DevelopmentParams;
    /// Whether a member is an 在册 正式党员 (None when there is no such member).
    fn full_member(&self, id: &Id) -> Option<bool>;
}

/// Normalise an optional dictionary field in place, recording an error if it is not allowed.
pub(crate) fn check_dict(
    errs: &mut FieldErrors,
    lookup: &dyn Lookup,
    field: &'static str,
    label: &'static str,
    dict: &str,
    value: &mut Option<String>,
) {
    if let Some(v) = value.as_mut() {
        if v.trim().is_empty() {
            *value = None;
            return;
        }
        match lookup.dict_value(dict, v) {
            Ok(canon) => *v = canon,
            Err(m) => errs.push(field, label, m),
        }
    }
}

/// Check that an optional reference points to an existing record.
pub(crate) fn check_ref(
    errs: &mut FieldErrors,
    lookup: &dyn Lookup,
    field: &'static str,
    label: &'static str,
    table: &str,
    id: Option<&Id>,
) {
    if let Some(id) = id {
        if !lookup.exists(table, id) {
            errs.push(field, label, format!("不存在编号为 {id} 的记录"));
        }
    }
}

/// Blank optional text becomes None; other text is trimmed.
pub(crate) fn tidy(v: &mut Option<String>) {
    if let Some(s) = v {
        let t = s.trim();
        if t.is_empty() {
            *v = None;
        } else if t.len() != s.len() {
            *v = Some(t.to_string());
        }
    }
}

/// Implemented by every record type: normalise in place, then report every invalid field.
pub trait Validate {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors;
}

#[cfg(test)]
pub(crate) mod testing {
    //! A `Lookup` without a database, for model unit tests.
    use super::*;
    use std::collections::HashSet;

    #[derive(Default)]
    pub struct FakeLookup {
        pub ids: HashSet<Id>,
        pub taken: HashSet<String>,
    }

    impl Lookup for FakeLookup {
        fn today(&self) -> NaiveDate {
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        }
        fn exists(&self, _table: &str, id: &Id) -> bool {
            self.ids.contains(id)
        }
        fn taken(&self, _t: &str, _c: &str, value: &str, _e: &Id) -> bool {
            self.taken.contains(value)
        }
        fn dict_value(&self, _dict: &str, value: &str) -> Result<String, String> {
            if value.contains('?') {
                Err(format!("“{value}”不在字典中"))
            } else {
                Ok(value.trim().to_string())
            }
        }
        fn checklist(&self, _id: &Id) -> Option<Checklist> {
            None
        }
        fn dues_rates(&self) -> DuesRates {
            DuesRates::default()
        }
        fn now(&self) -> String {
            "2026-11-21T08:00:00.000Z".into()
        }
        fn development(&self) -> DevelopmentParams {
            DevelopmentParams::default()
        }
        fn full_member(&self, id: &Id) -> Option<bool> {
            self.ids.contains(id).then_some(true)
        }
    }
}
