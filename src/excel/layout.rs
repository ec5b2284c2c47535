//! Finding a table inside a sheet: which row(s) hold the header, which profile the headers
//! belong to, which columns map where, and which rows are data (not notes, blanks or 合计).

use super::headers::{self, HowMatched};
use super::normalize;
use super::profile::Profile;
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
    /// Sheet columns matched by meaning rather than a listed alias (guesses, shown as such).
    pub guessed: Vec<u32>,
    /// Headers that could be any of several template columns: left unmatched, and said so.
    pub ambiguous: Vec<(u32, String, Vec<usize>)>,
    /// Whether the header is two rows (a merged parent row over sub-headers).
    pub two_rows: bool,
    /// Every non-empty header text read, by sheet column.
    pub headers: Vec<(u32, String)>,
    /// Of two columns claiming one field, the one not used: (sheet column, profile column).
    pub set_aside: Vec<(u32, usize)>,
    /// What a person should know about the mapping (guesses, two columns for one field).
    pub warnings: Vec<String>,
    /// Problems of the file, not of a row: while there are any, no row is imported.
    pub problems: Vec<String>,
    /// The org of every row without one of its own: chosen for the file, or named in the
    /// register's title.
    pub file_org: Option<String>,
    /// The rows' org is required and neither a column nor a choice gives it.
    pub needs_org: bool,
    /// The phone column that tells apart members of the same name (`Profile::phone_headers`).
    pub phone_col: Option<u32>,
    /// Text above the header (title, 填报单位 lines): may name the org of a register.
    pub preamble: Vec<String>,
}

impl Layout {
    pub fn score(&self) -> usize {
        self.columns.len() + usize::from(self.phone_col.is_some())
    }

    /// The header text of a sheet column, as read (trimmed).
    pub fn header_of(&self, col: u32) -> String {
        self.headers
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, t)| t.trim().to_string())
            .unwrap_or_default()
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

/// What a header names in a profile.
enum Named {
    One(usize, HowMatched),
    /// Several columns fit by meaning, equally well.
    Several(Vec<usize>),
    Nothing,
}

fn match_column(profile: &Profile, header: &str) -> Named {
    let h = normalize::header(header);
    if h.is_empty() {
        return Named::Nothing;
    }
    let core = headers::core(header);
    // The best column: exact before core before meaning; among meanings, the most words.
    let mut best: Vec<(usize, HowMatched, usize)> = Vec::new();
    for (i, c) in profile.columns.iter().enumerate() {
        let Some((how, n)) = c.how_matched(&h, &core) else {
            continue;
        };
        let rank = |(_, how, n): &(usize, HowMatched, usize)| (*how, std::cmp::Reverse(*n));
        match best.first().map(rank) {
            Some(b) if (how, std::cmp::Reverse(n)) > b => {}
            Some(b) if (how, std::cmp::Reverse(n)) == b => best.push((i, how, n)),
            _ => best = vec![(i, how, n)],
        }
    }
    match best.as_slice() {
        [] => Named::Nothing,
        [(i, how, _)] => Named::One(*i, *how),
        // Two listed aliases claiming one header is the profile's choice: the first wins.
        [(i, how, _), ..] if *how != HowMatched::Meaning => Named::One(*i, *how),
        several => Named::Several(several.iter().map(|(i, _, _)| *i).collect()),
    }
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
    let mut guessed = Vec::new();
    let mut ambiguous = Vec::new();
    // Listed names claim their columns first; guesses by meaning take what is left, so a
    // header that says 「所在党支部」 is never pushed aside by one that only sounds like it.
    let mut by_meaning = Vec::new();
    let headers: Vec<(u32, String)> = texts
        .iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .cloned()
        .collect();
    for (c, t) in texts {
        match match_column(profile, &t) {
            Named::One(i, HowMatched::Meaning) => by_meaning.push((c, i)),
            Named::One(i, _) if !columns.iter().any(|(_, j)| *j == i) => columns.push((c, i)),
            Named::One(i, _) => duplicates.push((c, i)),
            Named::Several(is) => ambiguous.push((c, t.trim().to_string(), is)),
            Named::Nothing if !t.trim().is_empty() => unknown.push((c, t)),
            Named::Nothing => {}
        }
    }
    for (c, i) in by_meaning {
        if columns.iter().any(|(_, j)| *j == i) {
            duplicates.push((c, i));
        } else {
            columns.push((c, i));
        }
        guessed.push(c);
    }
    columns.sort_by_key(|(c, _)| *c);
    let phones: Vec<String> = profile
        .phone_headers
        .iter()
        .map(|h| headers::core(h))
        .collect();
    let phone_col = unknown
        .iter()
        .position(|(_, t)| phones.contains(&headers::core(t)))
        .map(|i| unknown.remove(i).0);
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
        guessed,
        ambiguous,
        two_rows,
        headers,
        preamble,
        set_aside: Vec::new(),
        warnings: Vec::new(),
        problems: Vec::new(),
        file_org: None,
        needs_org: false,
        phone_col,
    })
}

/// The best header of `profile` in the first rows of `sheet`, if it has enough columns.
pub fn find_layout(profile: &Profile, sheet: &Sheet) -> Option<Layout> {
    let mut best: Option<Layout> = None;
    for pos in 0..sheet.rows.len().min(HEADER_SCAN_ROWS) {
        for two in [false, true] {
            if let Some(l) = layout_at(profile, sheet, pos, two) {
                // A title row above the header reads as a two-row header with nothing added:
                // on a tie the one-row header wins, so the title stays the preamble (it may
                // name the register's org).
                let better = best.as_ref().is_none_or(|b| {
                    l.score() > b.score()
                        || (l.score() == b.score()
                            && b.two_rows
                            && !l.two_rows
                            && l.header_pos == b.header_pos)
                });
                if better {
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
