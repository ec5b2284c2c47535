//! Small value types shared by every record: ids, timestamps, money.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A record id: UUIDv7, generated on the PC that created the record, stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, ts_rs::TS)]
#[ts(type = "string")]
pub struct Id(pub Uuid);

impl Id {
    /// A fresh time-ordered id.
    pub fn new() -> Self {
        Id(Uuid::now_v7())
    }

    /// A deterministic v7 id (demo data, tests): timestamp and random bits given.
    pub fn from_parts(unix_millis: u64, random: [u8; 10]) -> Self {
        Id(uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid())
    }

    pub fn is_nil(&self) -> bool {
        self.0.is_nil()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for Id {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Uuid::parse_str(s.trim())
            .map(Id)
            .map_err(|_| format!("“{}”不是有效的编号（UUID）", s.trim()))
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Encoded in a buffer: `collect_str` would go through `fmt` (every record has ids).
        s.serialize_str(self.0.hyphenated().encode_lower(&mut Uuid::encode_buffer()))
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl ToSql for Id {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let text = self
            .0
            .hyphenated()
            .encode_lower(&mut Uuid::encode_buffer())
            .to_string();
        Ok(ToSqlOutput::from(text))
    }
}

impl FromSql for Id {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        v.as_str()?
            .parse()
            .map_err(|e: String| FromSqlError::Other(e.into()))
    }
}

/// Dates as the ledger writes them (`YYYY-MM-DD`), digit by digit: chrono's `Serialize` and
/// `format` go through its formatting machinery, which costs as much as the rest of a bulk
/// import's change-log entry. Years outside 0–9999 are left to chrono.
pub mod iso_date {
    use chrono::{Datelike, NaiveDate};
    use serde::Serializer;

    /// The date's `YYYY-MM-DD`, when its year has four digits.
    pub fn text(d: NaiveDate) -> Option<[u8; 10]> {
        let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let mut out = *b"0000-00-00";
        let mut put = |at: usize, width: usize, mut n: u32| {
            for i in (at..at + width).rev() {
                out[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        put(0, 4, year);
        put(5, 2, d.month());
        put(8, 2, d.day());
        Some(out)
    }

    /// The date as text, as chrono's `Display` writes it.
    pub fn to_string(d: NaiveDate) -> String {
        match text(d) {
            Some(t) => std::str::from_utf8(&t).unwrap_or_default().to_owned(),
            None => d.to_string(),
        }
    }

    /// For `#[serde(serialize_with)]`: what chrono's `Serialize` writes.
    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        match text(*d) {
            Some(t) => s.serialize_str(std::str::from_utf8(&t).unwrap_or_default()),
            None => s.collect_str(d),
        }
    }

    /// `serialize` for an optional date.
    pub fn serialize_option<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        struct Date(NaiveDate);
        impl serde::Serialize for Date {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize(&self.0, s)
            }
        }
        match d {
            Some(d) => s.serialize_some(&Date(*d)),
            None => s.serialize_none(),
        }
    }
}

/// An amount of money in 分 (hundredths of a 元); serialised as 元 with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(pub i64);

impl Money {
    pub fn from_yuan(yuan: i64) -> Self {
        Money(yuan * 100)
    }
    pub fn fen(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl FromStr for Money {
    type Err = String;
    /// Parses 元 as written by people: "3000", "3000.5", "3,000.00", "3000元".
    fn from_str(s: &str) -> Result<Self, String> {
        let t: String = s
            .trim()
            .trim_end_matches('元')
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        let bad = || format!("“{}”不是有效的金额", s.trim());
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
        {
            return Err(bad());
        }
        let yuan: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad())?
        };
        let fen: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let v = yuan
            .checked_mul(100)
            .and_then(|y| y.checked_add(fen))
            .ok_or_else(bad)?;
        Ok(Money(if neg { -v } else { v }))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0 as f64 / 100.0)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Num(f) => Ok(Money((f * 100.0).round() as i64)),
            Raw::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

impl ToSql for Money {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Money {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        v.as_i64().map(Money)
    }
}

/// A list stored as one JSON text column (activity types, photo paths).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(transparent)]
pub struct JsonList<T>(pub Vec<T>);

// Not derived: a derive would demand `T: Default`.
impl<T> Default for JsonList<T> {
    fn default() -> Self {
        JsonList(Vec::new())
    }
}

impl<T: Serialize> ToSql for JsonList<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let s = serde_json::to_string(&self.0)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(ToSqlOutput::from(s))
    }
}

impl<T: serde::de::DeserializeOwned> FromSql for JsonList<T> {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        serde_json::from_str(v.as_str()?)
            .map(JsonList)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Dates and ids are written digit by digit: the same text as chrono's and uuid's own.
    #[test]
    fn dates_and_ids_serialise_as_their_libraries_do() {
        #[derive(Serialize)]
        struct Fast {
            #[serde(serialize_with = "iso_date::serialize")]
            day: NaiveDate,
            #[serde(serialize_with = "iso_date::serialize_option")]
            maybe: Option<NaiveDate>,
        }
        #[derive(Serialize)]
        struct Chrono {
            day: NaiveDate,
            maybe: Option<NaiveDate>,
        }
        let mut days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(1890, 1, 1)
            .unwrap()
            .iter_days()
            .take_while(|d| d.year() <= 2110)
            .collect();
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        days.extend([
            NaiveDate::MIN,
            NaiveDate::MAX,
            ymd(-1, 12, 31),
            ymd(0, 1, 1),
            ymd(9, 9, 9),
            ymd(999, 12, 31),
            ymd(9999, 12, 31),
            ymd(10000, 1, 1),
        ]);
        use chrono::Datelike;
        for day in days {
            for maybe in [None, Some(day)] {
                let fast = serde_json::to_string(&Fast { day, maybe }).unwrap();
                assert_eq!(fast, serde_json::to_string(&Chrono { day, maybe }).unwrap());
                assert_eq!(iso_date::to_string(day), day.to_string());
            }
        }
        for id in [Id::new(), Id::default(), Id(Uuid::max())] {
            assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
            let sql = id.to_sql().unwrap();
            assert_eq!(sql, ToSqlOutput::from(id.to_string()));
        }
    }

    #[test]
    fn money_parse_and_show() {
        assert_eq!("3000".parse::<Money>().unwrap(), Money(300000));
        assert_eq!("3,000.5元".parse::<Money>().unwrap(), Money(300050));
        assert_eq!("0.2".parse::<Money>().unwrap(), Money(20));
        assert!("1.234".parse::<Money>().is_err());
        assert!("三千".parse::<Money>().is_err());
        assert!(".".parse::<Money>().is_err());
        assert_eq!(Money(1505).to_string(), "15.05");
        assert_eq!(serde_json::to_string(&Money(1505)).unwrap(), "15.05");
    }

    #[test]
    fn id_round_trip() {
        let id = Id::new();
        let back: Id = id.to_string().parse().unwrap();
        assert_eq!(id, back);
        assert!("x".parse::<Id>().is_err());
        assert_eq!(Id::from_parts(1, [7; 10]), Id::from_parts(1, [7; 10]));
    }
}
