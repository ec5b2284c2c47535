//! What a sheet's header means for the whole file, before any row: which column fills which
//! field (and which of them are guesses), which of two columns claiming one field is used, and
//! the problems that belong to the file rather than to a row — a required column that is
//! missing (said once, with the ignored column most likely to hold it), a column that would
//! change a record's status but is not understood. An import with such a problem imports
//! nothing; a person fixes the file or makes the file-level choice (the org of every row).

use super::import::field_kind;
use super::layout::{org_from_preamble, Layout};
use super::profile::{ColumnKind, Profile};
use super::read::{column_letter, Sheet};
use super::rows::cell_value;
use crate::model::field_spec;
use crate::model::fields::{parse_value, FieldKind};
use serde::Serialize;

/// One header of the sheet and what it becomes.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct ColumnMapping {
    /// Column letter(s) in the sheet, e.g. "D".
    pub column: String,
    /// The header as the sheet writes it.
    pub header: String,
    /// The template column it matched (its standard header), None when ignored.
    pub target: Option<String>,
    /// The record field filled, when the column fills one.
    pub field: Option<String>,
    pub kind: Option<ColumnKind>,
    /// Matched by the words of its meaning, not by a listed name: a guess to check.
    pub guessed: bool,
    /// Why an unmatched column is ignored, or what to know about a matched one.
    pub note: Option<String>,
}

/// A template column the sheet does not have.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct MissingColumn {
    pub header: String,
    /// Whether a new record needs this field (rows will be invalid without it).
    pub required: bool,
}

/// How many of a column's first values parse as its field: of two columns claiming one
/// field, the import takes the one whose values fit.
fn parsable(profile: &Profile, sheet: &Sheet, layout: &Layout, col: u32, idx: usize) -> usize {
    let column = &profile.columns[idx];
    let Some(kind) = column
        .field
        .as_deref()
        .and_then(|f| field_kind(&profile.entity, f))
    else {
        return 0;
    };
    data_cells(sheet, layout, col)
        .filter(|c| {
            cell_value(c, column, Some(kind))
                .is_ok_and(|t| !t.is_empty() && parse_value(kind, &t).is_ok())
        })
        .count()
}

/// The first cells under the header in a sheet column (the rows a choice is made from).
fn data_cells<'a>(
    sheet: &'a Sheet,
    layout: &Layout,
    col: u32,
) -> impl Iterator<Item = &'a super::read::Cell> {
    sheet
        .rows
        .get(layout.header_pos + 1..)
        .unwrap_or_default()
        .iter()
        .take(50)
        .filter_map(move |r| r.get(col))
}

fn has_values(sheet: &Sheet, layout: &Layout, col: u32) -> bool {
    data_cells(sheet, layout, col).any(|c| !super::layout::cell_text(c).trim().is_empty())
}

/// Settle what the header means for the file: of two columns claiming one field keep the
/// one whose values parse (and say so), fill `file_org` from the choice made for the file or
/// the register's title, and list the file's own problems.
///
/// `org`: the org a person chose for every row (CLI `--org`, the wizard's choice).
/// `completed`: required fields the import fills itself when the sheet lacks them.
pub(super) fn settle(
    profile: &Profile,
    sheet: &Sheet,
    layout: &mut Layout,
    org: Option<&str>,
    completed: &[&str],
) {
    for (dup, idx) in layout.duplicates.clone() {
        let Some(pos) = layout.columns.iter().position(|(_, i)| *i == idx) else {
            continue;
        };
        let current = layout.columns[pos].0;
        let (kept, dropped) = if parsable(profile, sheet, layout, dup, idx)
            > parsable(profile, sheet, layout, current, idx)
        {
            layout.columns[pos].0 = dup;
            (dup, current)
        } else {
            (current, dup)
        };
        layout.set_aside.push((dropped, idx));
        if has_values(sheet, layout, dropped) {
            layout.warnings.push(format!(
                "{}和{}都可能是“{}”：采用了{}（其中的值更多能识别），{}未导入",
                named(layout, dropped),
                named(layout, kept),
                profile.columns[idx].header,
                named(layout, kept),
                named(layout, dropped),
            ));
        }
    }
    layout.columns.sort_by_key(|(c, _)| *c);
    layout.set_aside.sort_by_key(|(c, _)| *c);
    for (c, header, candidates) in &layout.ambiguous {
        let names: Vec<String> = candidates
            .iter()
            .map(|i| format!("“{}”", profile.columns[*i].header))
            .collect();
        layout.warnings.push(format!(
            "{}列“{header}”可能是{}中的任何一个，未导入：请把表头改成其中之一",
            column_letter(*c),
            names.join("或")
        ));
    }
    let guesses: Vec<String> = layout
        .guessed
        .iter()
        .filter_map(|c| {
            let (_, i) = layout.columns.iter().find(|(col, _)| col == c)?;
            Some(format!(
                "{}→“{}”",
                named(layout, *c),
                profile.columns[*i].header
            ))
        })
        .collect();
    if !guesses.is_empty() {
        layout
            .warnings
            .push(format!("按含义认出的列（请核对）：{}", guesses.join("，")));
    }
    layout.file_org = org
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_string)
        .or_else(|| org_from_preamble(&layout.preamble));
    layout.problems = problems(profile, sheet, layout, completed);
}

/// 「L列“所属党组织”」
fn named(layout: &Layout, col: u32) -> String {
    format!("{}列“{}”", column_letter(col), layout.header_of(col))
}

/// Words in values that say a column names party orgs.
const ORG_WORDS: [&str; 6] = ["支部", "党委", "总支", "委员会", "党组织", "党小组"];

/// The file's problems: required columns missing, status columns not understood.
fn problems(
    profile: &Profile,
    sheet: &Sheet,
    layout: &mut Layout,
    completed: &[&str],
) -> Vec<String> {
    let mut out = Vec::new();
    let present = |layout: &Layout, field: &str| {
        layout.columns.iter().any(|(_, i)| {
            let c = &profile.columns[*i];
            c.field.as_deref() == Some(field) || c.text_field.as_deref() == Some(field)
        })
    };
    // Each field once, in the profile's order.
    let mut seen: Vec<&str> = Vec::new();
    for column in &profile.columns {
        let Some(field) = column.field.as_deref() else {
            continue;
        };
        if matches!(
            column.kind,
            ColumnKind::Computed | ColumnKind::Seq | ColumnKind::Id
        ) || seen.contains(&field)
        {
            continue;
        }
        seen.push(field);
        let required = field_spec(&profile.entity, field).is_some_and(|s| s.required);
        if !required || completed.contains(&field) || present(layout, field) {
            continue;
        }
        if column.kind == ColumnKind::OrgName {
            if layout.file_org.is_some() {
                continue;
            }
            layout.needs_org = true;
        }
        let hint = likely_column(profile, sheet, layout, column.kind, field)
            .map(|c| format!("{}未识别，是否就是“{}”？", named(layout, c), column.header))
            .unwrap_or_default();
        let todo = if column.kind == ColumnKind::OrgName {
            "请为全部行选择所在的党组织，或在表格中加上这一列"
        } else {
            "请在表格中加上这一列，或把表示它的列的表头改成这个名称"
        };
        out.push(format!(
            "文件中没有“{}”列（必须填写）：{hint}{todo}",
            column.header
        ));
    }
    for (c, header) in &layout.unknown {
        let core = super::headers::core(header);
        let word = profile
            .status_words
            .iter()
            .find(|w| core.contains(super::headers::core(w).as_str()));
        if let (Some(word), true) = (word, has_values(sheet, layout, *c)) {
            let fields: Vec<&str> = profile
                .columns
                .iter()
                .filter(|c| {
                    profile
                        .status_fields
                        .iter()
                        .any(|f| c.field.as_deref() == Some(f))
                })
                .map(|c| c.header.as_str())
                .collect();
            out.push(format!(
                "{}列“{}”说明记录的状态（{word}），但不能识别这一列：为免把记录存成别的状态，全部未导入。请把表头改成{}之一，或删去该列",
                column_letter(*c),
                header.trim(),
                fields.join("、")
            ));
        }
    }
    out
}

/// The ignored column most likely to hold a missing field: for an org, one whose values
/// name party orgs; otherwise one whose header shares the most characters with the field's
/// names (at least two).
fn likely_column(
    profile: &Profile,
    sheet: &Sheet,
    layout: &Layout,
    kind: ColumnKind,
    field: &str,
) -> Option<u32> {
    let candidates = layout.unknown.iter().map(|(c, h)| (*c, h.as_str()));
    if kind == ColumnKind::OrgName {
        return candidates
            .map(|(c, _)| {
                let n = data_cells(sheet, layout, c)
                    .filter(|v| {
                        let t = super::layout::cell_text(v);
                        ORG_WORDS.iter().any(|w| t.contains(w))
                    })
                    .count();
                (c, n)
            })
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(_, n)| *n)
            .map(|(c, _)| c);
    }
    let names: Vec<String> = profile
        .columns
        .iter()
        .filter(|c| c.field.as_deref() == Some(field))
        .flat_map(|c| std::iter::once(&c.header).chain(&c.aliases))
        .map(|h| super::headers::core(h))
        .collect();
    let fits = |c: u32| match field_kind(&profile.entity, field) {
        Some(kind @ (FieldKind::Date | FieldKind::Int | FieldKind::Money)) => {
            let col = profile
                .columns
                .iter()
                .find(|c| c.field.as_deref() == Some(field));
            col.is_some_and(|col| {
                data_cells(sheet, layout, c).any(|v| {
                    cell_value(v, col, Some(kind)).is_ok_and(|t| parse_value(kind, &t).is_ok())
                })
            })
        }
        _ => true,
    };
    candidates
        .map(|(c, h)| {
            let core = super::headers::core(h);
            // Characters of the longest run the header shares with one of the field's names.
            let shared = names
                .iter()
                .map(|n| longest_common_run(n, &core))
                .max()
                .unwrap_or(0);
            (c, shared)
        })
        .filter(|(c, n)| *n >= 2 && has_values(sheet, layout, *c) && fits(*c))
        .max_by_key(|(_, n)| *n)
        .map(|(c, _)| c)
}

/// The length in characters of the longest text both hold.
fn longest_common_run(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let n = a[i..]
                .iter()
                .zip(&b[j..])
                .take_while(|(x, y)| x == y)
                .count();
            best = best.max(n);
        }
    }
    best
}

/// How the import reads the sheet: each header → template column, and the template
/// columns the sheet lacks.
pub fn column_mapping(
    profile: &Profile,
    layout: &Layout,
) -> (Vec<ColumnMapping>, Vec<MissingColumn>) {
    let ignored = |c: u32, note: String| ColumnMapping {
        column: column_letter(c),
        header: layout.header_of(c),
        target: None,
        field: None,
        kind: None,
        guessed: false,
        note: Some(note),
    };
    let mut mapping: Vec<(u32, ColumnMapping)> = layout
        .columns
        .iter()
        .map(|&(c, idx)| {
            let col = &profile.columns[idx];
            let guessed = layout.guessed.contains(&c);
            let m = ColumnMapping {
                column: column_letter(c),
                header: layout.header_of(c),
                target: Some(col.header.clone()),
                field: col.field.clone(),
                kind: Some(col.kind),
                guessed,
                note: match col.kind {
                    ColumnKind::Seq => Some("序号，导入时不用".into()),
                    ColumnKind::Computed => Some("由台账计算，导入时不用".into()),
                    _ if guessed => Some("按含义认出，请核对".into()),
                    _ => None,
                },
            };
            (c, m)
        })
        .collect();
    mapping.extend(
        layout
            .unknown
            .iter()
            .map(|(c, _)| (*c, ignored(*c, "未识别，导入时忽略".into()))),
    );
    mapping.extend(layout.set_aside.iter().map(|&(c, idx)| {
        let note = format!("与另一列同为“{}”，导入时忽略", profile.columns[idx].header);
        (c, ignored(c, note))
    }));
    mapping.extend(layout.ambiguous.iter().map(|(c, _, is)| {
        let names: Vec<&str> = is
            .iter()
            .map(|i| profile.columns[*i].header.as_str())
            .collect();
        (
            *c,
            ignored(*c, format!("可能是{}，未导入", names.join("或"))),
        )
    }));
    mapping.sort_by_key(|(c, _)| *c);
    let used = |i: usize| layout.columns.iter().any(|(_, j)| *j == i);
    let missing = profile
        .columns
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !matches!(
                c.kind,
                ColumnKind::Seq | ColumnKind::Id | ColumnKind::Computed
            ) && !used(*i)
        })
        .map(|(_, c)| MissingColumn {
            header: c.header.clone(),
            required: c
                .field
                .as_deref()
                .and_then(|f| field_spec(&profile.entity, f))
                .is_some_and(|s| s.required),
        })
        .collect();
    (mapping.into_iter().map(|(_, m)| m).collect(), missing)
}
