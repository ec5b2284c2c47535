//! Small value types shared by every record: ids, timestamps, money.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A record id: UUIDv7, generated on the PC that created the record, stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
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
        s.collect_str(self)
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
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Id {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        v.as_str()?
            .parse()
            .map_err(|e: String| FromSqlError::Other(e.into()))
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
