//! Dates as people write them: texts (2019-07-01, 2019.7.1, 2019年7月, 20190701 …) and the
//! numbers a date column of a spreadsheet holds (Excel serials, but also 1966.07 or 198807
//! typed into a cell Excel took for a number).

use chrono::NaiveDate;

/// How much of a date the text gave: rosters often give 出生年月 without the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Year and month only; the date is the first of the month.
    Month,
    Day,
}

/// Years a written year.month / yyyymm / yyyymmdd number may start with. Outside it a number
/// is not read as a written date (and a bare year in it is refused as only a year).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The largest Excel serial read as a date: 2099-12-31. Beyond it a number in a date column
/// is far more likely a typing slip than a date.
const MAX_SERIAL: f64 = 73_050.0;

/// Parse a date as written in ledgers: 2019-07-01, 2019.7.1, 2019/7/1, 2019年7月1日, 20190701.
/// A date with a time (2019/2/3 14:30) keeps its date; a year and month (2019.07, 2019/7,
/// 2019年7月, 201907) means the first of that month.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    parse_date_precision(raw).map(|(d, _)| d)
}

/// `parse_date`, telling whether the text gave the day: a month-only 出生年月 is compared with
/// the 公民身份号码 by month (see `Member::derive`).
pub fn parse_date_precision(raw: &str) -> Result<(NaiveDate, Precision), String> {
    let t = raw.split_whitespace().next().unwrap_or("");
    let bad = || format!("“{t}”不是有效的日期（如 2019-07-01）");
    let day = |d: Option<NaiveDate>| d.map(|d| (d, Precision::Day)).ok_or_else(bad);
    let month = |y: i32, m: u32| {
        NaiveDate::from_ymd_opt(y, m, 1)
            .map(|d| (d, Precision::Month))
            .ok_or_else(bad)
    };
    // 20190701, and 2019-07-01 (what our exports and most systems write), read directly.
    let b = t.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    let n = super::validate::digits_value;
    let ymd = if b.len() == 8 && digits(b) {
        Some((&b[..4], &b[4..6], &b[6..]))
    } else if b.len() == 10
        && (b[4], b[7]) == (b'-', b'-')
        && digits(&b[..4])
        && digits(&b[5..7])
        && digits(&b[8..])
    {
        Some((&b[..4], &b[5..7], &b[8..]))
    } else {
        None
    };
    if let Some((y, m, d)) = ymd {
        return day(NaiveDate::from_ymd_opt(n(y) as i32, n(m), n(d)));
    }
    // 201907: year and month run together.
    if b.len() == 6 && digits(b) {
        return month(n(&b[..4]) as i32, n(&b[4..]));
    }
    let parts: Vec<&str> = t
        .trim_end_matches('日')
        .split(['-', '.', '/', '年', '月'])
        .map(str::trim)
        .collect();
    match parts.as_slice() {
        [y, m] | [y, m, ""] if y.len() == 4 => {
            month(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?)
        }
        [y, m, d] => {
            let (y, m, d) = (
                y.parse().map_err(|_| bad())?,
                m.parse().map_err(|_| bad())?,
                d.parse().map_err(|_| bad())?,
            );
            day(NaiveDate::from_ymd_opt(y, m, d))
        }
        _ => Err(bad()),
    }
}

/// The text a number in a date column stands for, for `parse_date`: what a person typed into
/// a cell Excel then kept as a number, else an Excel date serial.
///
/// - yyyy.mm — 1966.07 → 1966-07, 1986.7 → 1986-07. Excel drops a trailing zero, so the
///   number 1966.1 is what both 1966.10 and 1966.1 leave behind; it is read as **October**:
///   whoever writes two-digit months (the 1966.01 style of 干部任免审批表) meant October, and
///   of those writing one-digit months half meant January, half October (who wrote 1966.10).
///   A wrong reading of a 出生年月 still meets the check against the 公民身份号码.
/// - yyyymm (198807 → 1988-07) and yyyymmdd (19800301 → 1980-03-01).
/// - A whole number that is a year alone (2019) is refused: it is not a date.
/// - Any other positive number up to 73050 (2099-12-31) is a serial: days since 1899-12-30,
///   any fraction being the time of day.
pub fn date_text_from_number(x: f64) -> Result<String, String> {
    let bad = || format!("单元格是数字 {x}，不是有效的日期（如 2019-07-01）");
    if !x.is_finite() || x <= 0.0 {
        return Err(bad());
    }
    let whole = x.trunc();
    let year = whole as i64;
    let in_years = |y: i64| YEARS.contains(&(y as i32));
    if x != whole {
        if in_years(year) {
            let hundredths = (x - whole) * 100.0;
            let h = hundredths.round();
            if (hundredths - h).abs() > 1e-6 {
                return Err(bad());
            }
            let h = h as u32;
            // .01–.12 as written; .2–.9 are one-digit months (.1 is .10: October).
            let m = if (1..=12).contains(&h) {
                h
            } else if h.is_multiple_of(10) {
                h / 10
            } else {
                0
            };
            return if (1..=12).contains(&m) {
                Ok(format!("{year}-{m:02}"))
            } else {
                Err(bad())
            };
        }
    } else {
        if in_years(year) {
            return Err(format!(
                "单元格只写了年份 {year}，请写完整的日期（如 {year}-07-01）或年月（如 {year}-07）"
            ));
        }
        let (y, rest) = (year / 100, year % 100);
        if (100_000..1_000_000).contains(&year) && in_years(y) {
            return if (1..=12).contains(&rest) {
                Ok(format!("{y}-{rest:02}"))
            } else {
                Err(bad())
            };
        }
        if (10_000_000..100_000_000).contains(&year) && in_years(year / 10_000) {
            let (y, m, d) = (
                year / 10_000,
                (year / 100 % 100) as u32,
                (year % 100) as u32,
            );
            return NaiveDate::from_ymd_opt(y as i32, m, d)
                .map(|d| d.to_string())
                .ok_or_else(bad);
        }
    }
    if !(1.0..=MAX_SERIAL).contains(&x) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|base| base.checked_add_days(chrono::Days::new(whole as u64)))
        .map(|d| d.to_string())
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn precision_of_texts() {
        for s in [
            "1961-02",
            "1961年2月",
            "1961.2",
            "1961.02",
            "1961/2",
            "196102",
            " 1961-2 ",
        ] {
            assert_eq!(
                parse_date_precision(s),
                Ok((d(1961, 2, 1), Precision::Month)),
                "{s}"
            );
        }
        assert_eq!(
            parse_date_precision("1965-6"),
            Ok((d(1965, 6, 1), Precision::Month))
        );
        for (s, want) in [
            ("1980.3.1", d(1980, 3, 1)),
            ("2019.08.20", d(2019, 8, 20)),
            ("20190820", d(2019, 8, 20)),
            ("1961年2月2日", d(1961, 2, 2)),
        ] {
            assert_eq!(parse_date_precision(s), Ok((want, Precision::Day)), "{s}");
        }
        assert_eq!(parse_date("1980.3"), Ok(d(1980, 3, 1)));
        for s in ["196113", "19610", "2019", "1961年13月"] {
            assert!(parse_date(s).is_err(), "{s}");
        }
    }

    #[test]
    fn numbers_in_date_columns() {
        let t = date_text_from_number;
        for (x, want) in [
            (1966.07, "1966-07"),
            (1986.7, "1986-07"),
            (1966.12, "1966-12"),
            (1966.11, "1966-11"),
            (1966.01, "1966-01"),
            // 1966.10 as Excel keeps it: October, not January.
            (1966.1, "1966-10"),
            (198807.0, "1988-07"),
            (19800301.0, "1980-03-01"),
            // serials
            (43647.0, "2019-07-01"),
            (43647.75, "2019-07-01"),
            (1.0, "1899-12-31"),
            (73050.0, "2099-12-31"),
        ] {
            assert_eq!(t(x).as_deref(), Ok(want), "{x}");
        }
        assert!(t(2019.0).unwrap_err().contains("只写了年份"));
        for x in [
            0.0,
            -5.0,
            1966.13,
            1966.075,
            1966.0 + 0.135,
            198813.0,
            19800230.0,
            73051.0,
            2.0e7,
            f64::NAN,
        ] {
            assert!(t(x).is_err(), "{x}");
        }
        // Every text it gives, parse_date reads.
        for x in [1966.07, 198807.0, 19800301.0, 43647.0] {
            assert!(parse_date(&t(x).unwrap()).is_ok());
        }
    }
}
