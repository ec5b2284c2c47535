//! Finding a table inside a sheet: which row(s) hold the header, which profile the headers
//! belong to, which columns map where, and which rows are data (not notes, blanks or 合计).

use super::normalize;
use super::profile::{Column, Profile};
use super::read::{Cell, Row, Sheet};

/// How many rows from the top are searched for the header.
const HEADER_SCAN_ROWS: usize = 30;
/// A table needs at least this many recognised columns.
const MIN_MATCHED: usize = 3;

/// The header found in a sheet for a profile.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Position in `sheet.rows` of the (last) header row.
    pub header_pos: usize,
    /// 0-based sheet row of the last header row.
    pub header_row: u32,
    /// Sheet column → index into `profile.columns`.
    pub columns: Vec<(u32, usize)>,
    /// Headers that match no column: (sheet column, text).
    pub unknown: Vec<(u32, String)>,
    /// Further sheet columns matching an already matched profile column: (sheet column, index).
    pub duplicates: Vec<(u32, usize)>,
    /// Text above the header (title, 填报单位 lines): may name the org of a register.
    pub preamble: Vec<String>,
}

impl Layout {
    pub fn score(&self) -> usize {
        self.columns.len()
    }

    /// The sheet column of a profile column, if present.
    pub fn column_of(&self, profile_col: usize) -> Option<u32> {
        self.columns
            .iter()
            .find(|(_, i)| *i == profile_col)
            .map(|(c, _)| *c)
    }
}

pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => format_number(*n),
        Cell::Bool(b) => if *b { "是" } else { "否" }.into(),
        Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        Cell::Error(e) => format!("#{e}"),
    }
}

/// A number as people read it: integers without ".0".
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn match_column(profile: &Profile, header: &str) -> Option<usize> {
    let h = normalize::header(header);
    if h.is_empty() {
        return None;
    }
    let exact = profile.columns.iter().position(|c: &Column| c.matches(&h));
    // 「党籍状态（正式党员或预备党员）」: try again without a trailing parenthesis.
    exact.or_else(|| {
        let cut = h.find('(').map(|i| &h[..i]).filter(|s| !s.is_empty())?;
        profile.columns.iter().position(|c| c.matches(cut))
    })
}

/// Header texts of a row, or of two rows read as one (a merged parent over sub-headers).
fn header_texts(rows: &[Row], pos: usize, two_rows: bool) -> Vec<(u32, String)> {
    let top = &rows[pos];
    if !two_rows {
        return top.cells.iter().map(|(c, v)| (*c, cell_text(v))).collect();
    }
    let Some(sub) = rows.get(pos + 1).filter(|r| r.index == top.index + 1) else {
        return Vec::new();
    };
    let mut cols: Vec<u32> = top
        .cells
        .iter()
        .chain(&sub.cells)
        .map(|(c, _)| *c)
        .collect();
    cols.sort();
    cols.dedup();
    cols.into_iter()
        .map(|c| {
            let child = sub.get(c).map(cell_text).filter(|s| !s.trim().is_empty());
            let parent = top.get(c).map(cell_text).unwrap_or_default();
            (c, child.unwrap_or(parent))
        })
        .collect()
}

fn layout_at(profile: &Profile, sheet: &Sheet, pos: usize, two_rows: bool) -> Option<Layout> {
    let last = if two_rows { pos + 1 } else { pos };
    if last >= sheet.rows.len() {
        return None;
    }
    let texts = header_texts(&sheet.rows, pos, two_rows);
    let mut columns: Vec<(u32, usize)> = Vec::new();
    let mut unknown = Vec::new();
    let mut duplicates = Vec::new();
    for (c, t) in texts {
        match match_column(profile, &t) {
            Some(i) if !columns.iter().any(|(_, j)| *j == i) => columns.push((c, i)),
            Some(i) => duplicates.push((c, i)),
            None if !t.trim().is_empty() => unknown.push((c, t)),
            None => {}
        }
    }
    let preamble = sheet.rows[..pos]
        .iter()
        .flat_map(|r| r.cells.iter().map(|(_, v)| cell_text(v)))
        .filter(|t| !t.trim().is_empty())
        .collect();
    Some(Layout {
        header_pos: last,
        header_row: sheet.rows[last].index,
        columns,
        unknown,
        duplicates,
        preamble,
    })
}

/// The best header of `profile` in the first rows of `sheet`, if it has enough columns.
pub fn find_layout(profile: &Profile, sheet: &Sheet) -> Option<Layout> {
    let mut best: Option<Layout> = None;
    for pos in 0..sheet.rows.len().min(HEADER_SCAN_ROWS) {
        for two in [false, true] {
            if let Some(l) = layout_at(profile, sheet, pos, two) {
                if best.as_ref().is_none_or(|b| l.score() > b.score()) {
                    best = Some(l);
                }
            }
        }
    }
    best.filter(|l| l.score() >= MIN_MATCHED)
}

/// What kind of non-header row this is.
#[derive(Debug, PartialEq, Eq)]
pub enum RowKind {
    Data,
    /// Blank in every mapped column.
    Blank,
    /// 合计 / 总计 / 小计 line.
    Total,
    /// 填表说明, 注, a "必填" hints row, a long note in one cell.
    Note,
}

pub fn classify_row(row: &Row, layout: &Layout, profile: &Profile) -> RowKind {
    // One pass over the cells (this runs for every row of a roster): the first with something
    // in it, how many have something, how many are hints (必填 / 选填 …) under the header.
    let (mut first, mut filled, mut hints) = (None, 0, 0);
    for (_, v) in &row.cells {
        let text = match v {
            Cell::Text(t) => Some(t.trim_start()),
            _ => None,
        };
        if text.is_some_and(str::is_empty) {
            continue;
        }
        filled += 1;
        first.get_or_insert(v);
        if text.is_some_and(|t| {
            t.starts_with("必填") || t.starts_with("选填") || t.starts_with("非必填")
        }) {
            hints += 1;
        }
    }
    let Some(first) = first else {
        return RowKind::Blank;
    };
    if let Cell::Text(t) = first {
        // The words below are Chinese: a row led by ASCII text (a 序号 typed as text) is none
        // of them, and normalising a header for every data row is not free.
        let head = if t.is_ascii() {
            String::new()
        } else {
            normalize::header(t)
        };
        if ["合计", "总计", "小计", "共计"]
            .iter()
            .any(|w| head.starts_with(w))
        {
            return RowKind::Total;
        }
        if [
            "填表说明",
            "说明",
            "注:",
            "备注:",
            "填写注意事项",
            "填报说明",
        ]
        .iter()
        .any(|w| head.starts_with(w))
            || (filled == 1 && t.chars().count() > 40)
        {
            return RowKind::Note;
        }
    }
    if hints > 0 && hints * 2 >= filled {
        return RowKind::Note;
    }
    // 序号 alone does not make a row: templates come with numbered empty lines.
    let has_something = |c: &Cell| match c {
        Cell::Text(t) => !t.trim_start().is_empty(),
        _ => true,
    };
    let mapped = layout
        .columns
        .iter()
        .filter(|(_, i)| profile.columns[*i].kind != super::profile::ColumnKind::Seq)
        .any(|(c, _)| row.get(*c).is_some_and(has_something));
    if mapped {
        RowKind::Data
    } else {
        RowKind::Blank
    }
}

/// The org a register is about, when its title or a 党组织/党支部 line above the header names
/// it: 「中共清河县恒达机械有限公司支部委员会三会一课登记表」, 「党支部：中共……委员会」.
pub fn org_from_preamble(preamble: &[String]) -> Option<String> {
    for line in preamble {
        let t = normalize::value(line);
        for label in [
            "党组织名称",
            "党支部名称",
            "党组织",
            "党支部",
            "所在党支部",
            "填报单位",
        ] {
            if let Some(rest) = t.strip_prefix(label) {
                let name = rest
                    .trim_start_matches([':', '：', ' '])
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                if name.starts_with("中共") {
                    return Some(name.to_string());
                }
            }
        }
        if t.starts_with("中共") {
            if let Some(end) = t.find("委员会") {
                return Some(t[..end + "委员会".len()].to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_in_title_or_line() {
        let p = |s: &str| org_from_preamble(&[s.to_string()]);
        assert_eq!(
            p("中共清河县恒达机械有限公司支部委员会三会一课登记表").as_deref(),
            Some("中共清河县恒达机械有限公司支部委员会")
        );
        assert_eq!(
            p("党支部：中共甲公司支部委员会   填报日期：2026-11-21").as_deref(),
            Some("中共甲公司支部委员会")
        );
        assert_eq!(p("三会一课登记表"), None);
    }
}
