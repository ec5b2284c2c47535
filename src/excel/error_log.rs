//! The invalid cells of an import, collected within bounds: the first
//! [`ERRORS_LISTED_PER_COLUMN`] errors of each column are listed in full (sheet, row, value,
//! message); the rest are counted per column and kept only as their position (8 bytes each),
//! so the errors workbook still marks every bad cell while a file of a million invalid rows
//! does not hold millions of messages.

use super::import::{CellError, ImportSummary};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How many errors of one column (or of whole rows) are listed with their message and value.
/// A person fixes a column's first hundreds of errors and sees the pattern; a list of a
/// million (a file of the wrong kind, a shifted column) only exhausts memory and the screen.
/// Every bad cell is still marked in the errors workbook.
pub const ERRORS_LISTED_PER_COLUMN: usize = 1000;

/// Column marker of a problem of the whole row (no column) in an [`ErrorMark`].
pub const WHOLE_ROW: u32 = u32::MAX;

/// One bad cell, as the errors workbook needs it: the 1-based row and the 0-based column
/// (`WHOLE_ROW` for a row's own problem).
pub type ErrorMark = (u32, u32);

/// Errors of one column beyond the first `ERRORS_LISTED_PER_COLUMN`, counted, not listed.
#[derive(Debug, Clone, Serialize, PartialEq, Default, ts_rs::TS)]
pub struct OmittedErrors {
    /// Column letter(s); empty for problems of whole rows.
    pub column: String,
    pub count: usize,
    /// What to tell the user, e.g. 「D列另有 5,000 处同类错误未列出（错误标注文件中均已标出）」.
    pub message: String,
}

/// The errors of the rows that failed, bounded per column (see the module's comment).
#[derive(Default)]
pub(super) struct ErrorLog {
    listed: Vec<CellError>,
    /// Errors seen per column letter (listed or not).
    seen: HashMap<String, usize>,
    marks: Vec<ErrorMark>,
}

impl ErrorLog {
    /// Forget everything (a retry pass records the rows still failing afresh).
    pub(super) fn clear(&mut self) {
        self.listed.clear();
        self.seen.clear();
        self.marks.clear();
    }

    pub(super) fn add(&mut self, errs: Vec<CellError>) {
        for e in errs {
            let col = column_number(&e.column).unwrap_or(WHOLE_ROW);
            self.marks.push((e.row, col));
            let seen = self.seen.entry(e.column.clone()).or_default();
            *seen += 1;
            if *seen <= ERRORS_LISTED_PER_COLUMN {
                self.listed.push(e);
            }
        }
    }

    /// Into the summary: the listed errors by row, what was left out per column, every mark.
    pub(super) fn into_summary(mut self, s: &mut ImportSummary) {
        s.errors.append(&mut self.listed);
        s.errors.sort_by_key(|e| e.row);
        let omitted: BTreeMap<String, usize> = self
            .seen
            .into_iter()
            .filter(|(_, n)| *n > ERRORS_LISTED_PER_COLUMN)
            .map(|(c, n)| (c, n - ERRORS_LISTED_PER_COLUMN))
            .collect();
        s.errors_omitted = omitted
            .into_iter()
            .map(|(column, count)| OmittedErrors {
                message: omitted_message(&column, count),
                column,
                count,
            })
            .collect();
        self.marks.sort_unstable();
        s.error_marks = self.marks;
    }
}

fn omitted_message(column: &str, count: usize) -> String {
    let at = if column.is_empty() {
        "整行问题".to_string()
    } else {
        format!("{column}列")
    };
    format!(
        "{at}另有 {} 处同类错误未列出（错误标注文件中均已标出）",
        thousands(count)
    )
}

/// 1234567 → "1,234,567".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 0-based column of a letter reference (A → 0, AB → 27); `None` for no or bad letters.
pub(super) fn column_number(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + (b - b'A' + 1) as u32;
    }
    n.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(row: u32, column: &str) -> CellError {
        CellError {
            sheet: "花名册".into(),
            row,
            column: column.into(),
            value: "x".into(),
            message: "不是有效日期".into(),
        }
    }

    #[test]
    fn lists_the_first_of_each_column_and_counts_the_rest() {
        let mut log = ErrorLog::default();
        for row in 2..(ERRORS_LISTED_PER_COLUMN as u32 + 7) {
            log.add(vec![err(row, "D"), err(row, "")]);
        }
        log.add(vec![err(5000, "AB")]);
        let mut s = ImportSummary::default();
        log.into_summary(&mut s);
        assert_eq!(s.errors.len(), 2 * ERRORS_LISTED_PER_COLUMN + 1);
        assert!(s.errors.windows(2).all(|w| w[0].row <= w[1].row));
        assert_eq!(s.errors_omitted.len(), 2);
        assert_eq!(s.errors_omitted[0].column, "");
        assert_eq!(s.errors_omitted[1].column, "D");
        assert_eq!(s.errors_omitted[1].count, 5);
        assert_eq!(
            s.errors_omitted[1].message,
            "D列另有 5 处同类错误未列出（错误标注文件中均已标出）"
        );
        assert_eq!(s.error_marks.len(), 2 * (ERRORS_LISTED_PER_COLUMN + 5) + 1);
        assert_eq!(s.error_marks.last(), Some(&(5000, 27)));
        assert_eq!(s.error_count(), 2 * (ERRORS_LISTED_PER_COLUMN + 5) + 1);
    }

    #[test]
    fn counts_read_as_people_write_them() {
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(2_097_091), "2,097,091");
        assert_eq!(column_number("A"), Some(0));
        assert_eq!(column_number("AB"), Some(27));
        assert_eq!(column_number(""), None);
        assert_eq!(column_number("a"), None);
    }
}
