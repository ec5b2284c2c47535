//! A cell as its attributes and `<v>` give it: position (`r`), style (`s`), type (`t`) and
//! value, each read as calamine reads it.

use crate::error::{Error, Result};
use crate::excel::book_xml::{broken, Shared, Xml};
use crate::excel::read::Cell;
use quick_xml::events::BytesStart;
use std::borrow::Cow;

/// A `<v>`'s text as the cell's value, by the cell's type `t` and style `s` (calamine's
/// `read_v`). `None`: an empty number.
pub(super) fn value_of(
    v: &str,
    t: Option<&[u8]>,
    s: Option<&[u8]>,
    shared: &Shared,
    what: &str,
) -> Result<Option<Cell>> {
    // Without `s` a number is a number; a style out of the table's range is no date either.
    let date = match s {
        Some(s) => shared.dates.get(parse_index(s)).copied().unwrap_or(false),
        None => false,
    };
    let number = |n: f64| {
        if date && shown_as_date(n, shared.is_1904) {
            let dt = calamine::ExcelDateTime::new(
                n,
                calamine::ExcelDateTimeType::DateTime,
                shared.is_1904,
            );
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cell::Date(y as i32, m as u32, d as u32)
        } else {
            Cell::Number(n)
        }
    };
    Ok(Some(match t {
        Some(b"s") => match shared.strings.get(parse_index(v.as_bytes())) {
            Some(s) => Cell::Text(s.clone()),
            None => return Err(broken(what, format!("引用的共享字符串（第 {v} 个）不存在"))),
        },
        Some(b"b") => Cell::Bool(v != "0"),
        Some(b"e") => match v.parse::<calamine::CellErrorType>() {
            Ok(e) => Cell::Error(format!("{e:?}")),
            Err(_) => return Err(broken(what, format!("的错误值“{v}”无法识别"))),
        },
        // An ISO 8601 date (t="d"), kept as its text as calamine's DateTimeIso.
        Some(b"d" | b"str") => Cell::Text(v.to_owned()),
        Some(b"n") if v.is_empty() => return Ok(None),
        Some(b"n") => match v.parse::<f64>() {
            Ok(n) => number(n),
            Err(_) => return Err(broken(what, format!("的数值“{v}”无效"))),
        },
        None => match v.parse::<f64>() {
            Ok(n) => number(n),
            Err(_) => Cell::Text(v.to_owned()),
        },
        Some(t) => {
            return Err(broken(
                what,
                format!("的单元格类型“{}”不能带 <v> 值", String::from_utf8_lossy(t)),
            ))
        }
    }))
}

/// Whether Excel shows serial `n` as a date: from 0 up to the end of 9999-12-31, day
/// 2,958,465 in the 1900 system and 1,462 days fewer in 1904's. Outside, Excel shows `####`
/// (a signed offset for negative 1904 serials), and calamine's conversion gives a made-up
/// date (a negative or NaN serial is day 0) or, past `u64` days, overflows: a panic in debug
/// builds. Such a cell is given as its number; `stream_tests` knows the difference.
pub(in crate::excel) fn shown_as_date(n: f64, is_1904: bool) -> bool {
    let end = if is_1904 { 2_957_004.0 } else { 2_958_466.0 };
    // NaN is in no range.
    (0.0..end).contains(&n)
}

/// The attributes `names` of a start tag, each its first value, read in one pass — as
/// calamine looks each up: up to the first malformed or repeated attribute, which fails a
/// lookup only of an attribute not found before it.
pub(super) struct Attrs<'e, const N: usize> {
    pub(super) values: [Option<&'e [u8]>; N],
    pub(super) error: Option<String>,
}

impl<'e, const N: usize> Attrs<'e, N> {
    pub(super) fn of(e: &'e BytesStart<'_>, names: &[&[u8]; N]) -> Attrs<'e, N> {
        let mut values = [None; N];
        // The keys seen, to refuse a repeated one as quick-xml's own check would, without
        // its allocation per tag (a cell has three attributes or so).
        let mut keys: [&[u8]; 8] = [b""; 8];
        let mut more: Vec<&[u8]> = Vec::new();
        let mut it = e.attributes();
        it.with_checks(false);
        for (count, a) in it.enumerate() {
            let a = match a {
                Ok(a) => a,
                Err(err) => {
                    return Attrs {
                        values,
                        error: Some(err.to_string()),
                    }
                }
            };
            let key = a.key.into_inner();
            if keys[..count.min(8)].contains(&key) || more.contains(&key) {
                return Attrs {
                    values,
                    error: Some(format!("属性“{}”重复", String::from_utf8_lossy(key))),
                };
            }
            match keys.get_mut(count) {
                Some(slot) => *slot = key,
                None => more.push(key),
            }
            if let Some(i) = names.iter().position(|n| *n == key) {
                // Only a value borrowed from the tag counts (calamine's `get_attribute`).
                if values[i].is_none() {
                    if let Cow::Borrowed(v) = a.value {
                        values[i] = Some(v);
                    }
                }
            }
        }
        Attrs {
            values,
            error: None,
        }
    }

    pub(super) fn fail(&self, xml: &Xml<'_>, what: &str) -> Error {
        let why = self.error.as_deref().unwrap_or_default();
        broken(
            what,
            format!(
                "的 XML 有误（第 {} 字节之前的标记属性有误：{why}）",
                xml.buffer_position()
            ),
        )
    }
}

pub(super) fn bad_ref(what: &str, kind: &str, r: &[u8]) -> Error {
    broken(
        what,
        format!("的{kind}“{}”无效", String::from_utf8_lossy(r)),
    )
}

/// A cell reference such as `B12` → (11, 1) (0-based), as calamine's
/// `get_row_and_optional_column` reads it (letters either case, leading zeros), except that
/// a row or column past `u32` is refused rather than wrapped.
fn row_col(r: &[u8]) -> Option<(u32, Option<u32>)> {
    let (mut row, mut col) = (0u64, 0u64);
    let mut pow = 1u64;
    let mut in_row = true;
    for &b in r.iter().rev() {
        match b {
            b'0'..=b'9' if in_row => {
                row = row.checked_add(u64::from(b - b'0').checked_mul(pow)?)?;
                pow = pow.saturating_mul(10);
            }
            b'A'..=b'Z' | b'a'..=b'z' => {
                if in_row {
                    if row == 0 {
                        return None;
                    }
                    pow = 1;
                    in_row = false;
                }
                let digit = u64::from(b.to_ascii_uppercase() - b'A' + 1);
                col = col.checked_add(digit.checked_mul(pow)?)?;
                pow = pow.saturating_mul(26);
            }
            _ => return None,
        }
    }
    let row = u32::try_from(row.checked_sub(1)?).ok()?;
    let col = u32::try_from(col).ok()?;
    Some((row, col.checked_sub(1)))
}

/// A cell's `r`: row and column.
pub(super) fn cell_of(r: &[u8]) -> Option<(u32, u32)> {
    match row_col(r)? {
        (row, Some(col)) => Some((row, col)),
        _ => None,
    }
}

/// A row's `r` (a column there is ignored).
pub(super) fn row_of(r: &[u8]) -> Option<u32> {
    row_col(r).map(|(row, _)| row)
}

/// An index attribute or value as calamine reads it (`atoi_simd::parse::<usize>`, 0 when it
/// is not 1 to 20 digits that fit).
fn parse_index(s: &[u8]) -> usize {
    if s.is_empty() || s.len() > 20 || !s.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    s.iter()
        .try_fold(0u64, |n, b| {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        })
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_as_calamine_reads_them() {
        assert_eq!(cell_of(b"A1"), Some((0, 0)));
        assert_eq!(cell_of(b"XFD1048576"), Some((1048575, 16383)));
        assert_eq!(cell_of(b"ab0010"), Some((9, 27)));
        assert_eq!(cell_of(b"A0"), None);
        assert_eq!(cell_of(b"12"), None);
        assert_eq!(cell_of(b"A"), None);
        assert_eq!(cell_of(b"1A"), None);
        assert_eq!(cell_of(b"A$1"), None);
        assert_eq!(cell_of(b"A99999999999"), None);
        assert_eq!(cell_of(b"ZZZZZZZZZZZZZZZZ1"), None);
        assert_eq!(row_of(b"7"), Some(6));
        assert_eq!(row_of(b"C7"), Some(6));
        assert_eq!(parse_index(b"007"), 7);
        assert_eq!(parse_index(b"+7"), 0);
        assert_eq!(parse_index(b""), 0);
        assert_eq!(parse_index(b"99999999999999999999"), 0);
    }
}
