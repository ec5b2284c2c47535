//! A plain field's cell straight from the typed record: what `render::plain` makes of the
//! field's JSON value, without building the value (an export renders every field of every
//! row). Values that are not scalars are left to `plain`.

use super::render::Out;
use crate::model::fields::FieldKind;
use serde::ser::{Impossible, Serialize};

/// Not a scalar: go through the JSON value.
#[derive(Debug)]
pub(super) struct NotScalar;

impl std::fmt::Display for NotScalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for NotScalar {}

impl serde::ser::Error for NotScalar {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        NotScalar
    }
}

/// Serialises one field's value into its cell, as `plain(&to_value(v), kind)` would.
pub(super) struct ToCell(pub(super) Option<FieldKind>);

impl ToCell {
    fn number(&self, n: f64) -> Out {
        match self.0 {
            Some(FieldKind::Money) => Out::Money(n),
            _ => Out::Number(n),
        }
    }
    fn text(&self, s: &str) -> Out {
        match self.0 {
            Some(FieldKind::Date) => s
                .parse()
                .map(Out::Date)
                .unwrap_or_else(|_| Out::Text(s.to_string())),
            _ => Out::Text(s.to_string()),
        }
    }
}

type R = Result<Out, NotScalar>;

macro_rules! int {
    ($($name:ident($t:ty)),*) => {
        $(fn $name(self, v: $t) -> R { Ok(self.number(v as f64)) })*
    };
}

impl serde::Serializer for ToCell {
    type Ok = Out;
    type Error = NotScalar;
    type SerializeSeq = Impossible<Out, NotScalar>;
    type SerializeTuple = Impossible<Out, NotScalar>;
    type SerializeTupleStruct = Impossible<Out, NotScalar>;
    type SerializeTupleVariant = Impossible<Out, NotScalar>;
    type SerializeMap = Impossible<Out, NotScalar>;
    type SerializeStruct = Impossible<Out, NotScalar>;
    type SerializeStructVariant = Impossible<Out, NotScalar>;

    fn serialize_bool(self, v: bool) -> R {
        Ok(Out::Text(if v { "是" } else { "否" }.into()))
    }
    int!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64)
    );
    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> R {
        // A JSON value has no NaN or infinity: they become null.
        Ok(if v.is_finite() {
            self.number(v)
        } else {
            Out::Empty
        })
    }
    fn serialize_char(self, v: char) -> R {
        Ok(self.text(&v.to_string()))
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(self.text(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> R {
        Err(NotScalar)
    }
    fn serialize_none(self) -> R {
        Ok(Out::Empty)
    }
    fn serialize_some<V: Serialize + ?Sized>(self, v: &V) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(Out::Empty)
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(Out::Empty)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        Ok(self.text(variant))
    }
    fn serialize_newtype_struct<V: Serialize + ?Sized>(self, _: &'static str, v: &V) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> R {
        Err(NotScalar)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotScalar> {
        Err(NotScalar)
    }
}

#[cfg(test)]
mod tests {
    use super::super::profile::{load_profiles, ColumnKind, Profile};
    use super::super::render::{plain, row_values, wanted_fields, Lookups, Out};
    use crate::model::fields::Fields;
    use crate::model::*;
    use crate::store::Table;
    use crate::Store;

    /// Each plain field's cell is what the field's JSON value gave.
    fn same_as_json<T: Table + Fields>(rec: &T, profile: &Profile, lk: &Lookups) {
        let cells = row_values(rec, profile, lk, &wanted_fields::<T>(profile)).unwrap();
        let v = serde_json::to_value(rec).unwrap();
        for (col, cell) in profile.columns.iter().zip(&cells) {
            if let (ColumnKind::Field, Some(f)) = (col.kind, col.field.as_deref()) {
                let kind = T::field(f).map(|s| s.kind);
                let want = plain(v.get(f).unwrap_or(&serde_json::Value::Null), kind);
                assert_eq!(cell, &want, "{} {f}", profile.id);
            }
        }
    }

    #[test]
    fn cells_straight_from_records_are_the_json_ones() {
        let store = Store::open_in_memory().unwrap();
        let lk = Lookups::load(&store, true).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2019, 7, 1).unwrap();
        let mut m = Member::new("张三", "330123199001010011", day);
        m.phone = Some("13800000000".into());
        m.dues_base = Some(Money(300050));
        m.is_mobile = true;
        m.confirmed_on = Some(day);
        let mut u = Unit::new("甲公司", UnitCategory::Enterprise);
        u.employees = Some(12);
        let mut d = Dues::blank();
        d.base = Money(123456);
        d.paid = Some(Money(1234));
        let mut a = Activity::new(Id::new(), vec![ActivityType::ThemeDay], day, "主题党日");
        a.expected = 10;
        for p in load_profiles(None).unwrap() {
            use crate::model::Entity as E;
            match E::parse(&p.entity) {
                Some(E::Member) => {
                    same_as_json(&m, &p, &lk);
                    same_as_json(&Member::blank(), &p, &lk);
                }
                Some(E::Unit) => same_as_json(&u, &p, &lk),
                Some(E::Org) => same_as_json(
                    &Org::new("中共甲支部", OrgType::Branch, "单独组建"),
                    &p,
                    &lk,
                ),
                Some(E::Dues) => same_as_json(&d, &p, &lk),
                Some(E::Activity) => same_as_json(&a, &p, &lk),
                Some(E::Inspection) => same_as_json(&Inspection::blank(), &p, &lk),
                _ => {}
            }
        }
        assert!(matches!(
            serde::Serialize::serialize(&f64::NAN, super::ToCell(None)),
            Ok(Out::Empty)
        ));
    }
}
