//! Calendar periods (months, quarters, half years, years) and date arithmetic of the rules.

use super::params::Frequency;
use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};
use serde::Serialize;

/// One calendar period, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

const CN_QUARTER: [&str; 4] = ["一", "二", "三", "四"];

impl Period {
    /// The period of `months` length (1, 3, 6, 12; calendar-aligned) containing `d`.
    pub fn containing(d: NaiveDate, months: u32) -> Period {
        let months = months.clamp(1, 12);
        let m0 = (d.month0() / months) * months;
        let start = NaiveDate::from_ymd_opt(d.year(), m0 + 1, 1).unwrap_or(d);
        let end = add_months(start, months).pred_opt().unwrap_or(start);
        Period { start, end }
    }

    /// The calendar quarter containing `d`.
    pub fn quarter(d: NaiveDate) -> Period {
        Period::containing(d, 3)
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// Length in whole months (1, 3, 6 or 12).
    pub fn months(&self) -> u32 {
        let (a, b) = (self.start, self.end);
        ((b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32 + 1).max(1) as u32
    }

    /// Chinese name: 2026年1月, 2026年第一季度, 2026年上半年, 2026年.
    pub fn label(&self) -> String {
        let (y, m) = (self.start.year(), self.start.month());
        match self.months() {
            1 => format!("{y}年{m}月"),
            3 => format!("{y}年第{}季度", CN_QUARTER[((m - 1) / 3) as usize]),
            6 if m == 1 => format!("{y}年上半年"),
            6 => format!("{y}年下半年"),
            12 => format!("{y}年"),
            _ => format!("{}至{}", self.start, self.end),
        }
    }

    /// Short code: 2026-01, 2026Q1, 2026H1, 2026.
    pub fn code(&self) -> String {
        let (y, m) = (self.start.year(), self.start.month());
        match self.months() {
            1 => format!("{y}-{m:02}"),
            3 => format!("{y}Q{}", (m - 1) / 3 + 1),
            6 => format!("{y}H{}", (m - 1) / 6 + 1),
            _ => format!("{y}"),
        }
    }

    /// The period right after this one, of the same length.
    pub fn next(&self) -> Period {
        let start = self.end.succ_opt().unwrap_or(self.end);
        Period::containing(start, self.months())
    }
}

/// `d` plus `months` months (the 31st becomes the month's last day).
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// `d` minus `months` months.
pub fn sub_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

/// The full periods of a frequency that are checked on `as_of`: those that ended on or before
/// `as_of` and after `as_of - lookback_months`, and that started on or after `not_before`
/// (the org's 成立日期).
pub fn checked_periods(
    f: Frequency,
    as_of: NaiveDate,
    lookback_months: u32,
    not_before: Option<NaiveDate>,
) -> Vec<Period> {
    let Some(len) = f.months() else {
        return Vec::new();
    };
    let from = sub_months(as_of, lookback_months);
    let mut p = Period::containing(from, len);
    let mut out = Vec::new();
    while p.end <= as_of {
        if p.end > from && not_before.is_none_or(|nb| p.start >= nb) {
            out.push(p);
        }
        let next = p.next();
        if next == p {
            break;
        }
        p = next;
    }
    out
}

/// The last `n` full calendar quarters that ended on or before `as_of`, oldest first.
pub fn last_quarters(as_of: NaiveDate, n: usize) -> Vec<Period> {
    let current = Period::quarter(as_of);
    let mut last = if current.end <= as_of {
        current
    } else {
        Period::quarter(current.start.pred_opt().unwrap_or(current.start))
    };
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(last);
        last = Period::quarter(last.start.pred_opt().unwrap_or(last.start));
    }
    out.reverse();
    out
}

/// The quarters of a year, oldest first.
pub fn quarters_of(year: i32) -> Vec<Period> {
    (0..4)
        .filter_map(|q| NaiveDate::from_ymd_opt(year, q * 3 + 1, 1))
        .map(Period::quarter)
        .collect()
}

/// The local (China, UTC+8) date of a stored RFC 3339 timestamp; a bare date is read as is.
pub fn local_date(stamp: &str) -> Option<NaiveDate> {
    let china = FixedOffset::east_opt(8 * 3600)?;
    match DateTime::parse_from_rfc3339(stamp) {
        Ok(t) => Some(t.with_timezone(&china).date_naive()),
        Err(_) => stamp
            .get(..10)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_align_to_the_calendar() {
        let q = Period::quarter(d(2026, 8, 15));
        assert_eq!((q.start, q.end), (d(2026, 7, 1), d(2026, 9, 30)));
        assert_eq!(q.label(), "2026年第三季度");
        assert_eq!(q.code(), "2026Q3");
        assert_eq!(q.next().code(), "2026Q4");
        assert_eq!(
            Period::containing(d(2026, 12, 31), 12).next().code(),
            "2027"
        );
        assert_eq!(Period::containing(d(2026, 2, 3), 1).end, d(2026, 2, 28));
        assert_eq!(Period::containing(d(2026, 9, 3), 6).label(), "2026年下半年");
    }

    #[test]
    fn checked_periods_are_full_and_recent() {
        let as_of = d(2026, 11, 21);
        let months = checked_periods(Frequency::Monthly, as_of, 12, None);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].code(), "2025-11");
        assert_eq!(months[11].code(), "2026-10");
        let q = checked_periods(Frequency::Quarterly, as_of, 12, None);
        let codes: Vec<String> = q.iter().map(Period::code).collect();
        assert_eq!(codes, ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]);
        let y = checked_periods(Frequency::Yearly, as_of, 12, None);
        assert_eq!(y.len(), 1);
        assert_eq!(y[0].code(), "2025");
        // Founded on 1 March: February is not required, March is.
        let m = checked_periods(Frequency::Monthly, as_of, 12, Some(d(2026, 3, 1)));
        assert_eq!(m[0].code(), "2026-03");
        let m = checked_periods(Frequency::Monthly, as_of, 12, Some(d(2026, 3, 2)));
        assert_eq!(m[0].code(), "2026-04");
        // The last day of a period is checked on that day.
        let m = checked_periods(Frequency::Monthly, d(2026, 10, 31), 12, None);
        assert_eq!(m.last().unwrap().code(), "2026-10");
        assert!(checked_periods(Frequency::Never, as_of, 12, None).is_empty());
    }

    #[test]
    fn quarters_and_local_dates() {
        let q: Vec<String> = last_quarters(d(2026, 11, 21), 4)
            .iter()
            .map(Period::code)
            .collect();
        assert_eq!(q, ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]);
        let q: Vec<String> = last_quarters(d(2026, 12, 31), 2)
            .iter()
            .map(Period::code)
            .collect();
        assert_eq!(q, ["2026Q3", "2026Q4"]);
        assert_eq!(quarters_of(2025)[3].code(), "2025Q4");
        assert_eq!(
            local_date("2026-03-01T17:30:00.000Z"),
            Some(d(2026, 3, 2)),
            "UTC evening is the next morning in China"
        );
        assert_eq!(local_date("2026-03-01"), Some(d(2026, 3, 1)));
        assert_eq!(local_date("garbage"), None);
    }
}
