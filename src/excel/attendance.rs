//! 出席签到表 — the sign-in sheet of one meeting: members by 姓名 (the phone telling
//! namesakes apart) or 身份证号, 出席 or 缺席 and why, laid over that activity's attendance.
//!
//! The sheet is one record's detail, not a list of records, so it does not go through the
//! row pipeline: the activity is chosen for the file (or found from the org and date in the
//! title), every row is checked, and the activity is updated once — or not at all while any
//! row is invalid, unless invalid rows are skipped.

use super::import::{decide, summary_for, CellError, ImportOptions, ImportSummary};
use super::layout::{cell_text, classify_row, Layout, RowKind};
use super::profile::{ColumnKind, Profile};
use super::read::{Row, Sheet};
use super::resolve;
use super::rows::cell_value;
use crate::error::{Error, Result};
use crate::model::dates::parse_date;
use crate::model::{Activity, Attendance, Id, Org};
use crate::store::Tx;
use crate::Store;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The record type profiles give for a sign-in sheet.
pub const ENTITY: &str = "attendance";

/// The fields of a sign-in sheet's columns.
const PRESENT: &str = "present";
const REASON: &str = "reason";

/// Import (or preview) a sign-in sheet into one activity's attendance.
pub(super) fn import_sheet(
    store: &mut Store,
    sheet: &Sheet,
    profile: &Profile,
    layout: &Layout,
    opts: &ImportOptions,
) -> Result<ImportSummary> {
    store.write_or_rollback(|tx| {
        let mut s = summary_for(&sheet.name, profile, layout, opts.dry_run);
        let rows: Vec<&Row> = (layout.header_pos + 1..sheet.rows.len())
            .map(|i| &sheet.rows[i])
            .filter(|r| classify_row(r, layout, profile) == RowKind::Data)
            .collect();
        s.rows = rows.len();
        if !layout.columns.iter().any(|(_, i)| {
            matches!(
                profile.columns[*i].kind,
                ColumnKind::MemberName | ColumnKind::MemberIdNumber
            )
        }) {
            s.problems
                .push("文件中没有“姓名”或“公民身份号码”列：签到表要写明每一行是哪位党员".into());
        }
        let activity = match which_activity(tx, layout, opts, &mut s)? {
            Some(a) => a,
            None => return Ok((s, false)),
        };
        if !s.problems.is_empty() {
            return Ok((s, false));
        }
        let org: Org = tx.get(&activity.org_id)?;
        let mut seen: BTreeMap<Id, u32> = BTreeMap::new();
        let mut marked: Vec<Attendance> = Vec::new();
        for row in rows {
            match read_row(tx, sheet, profile, layout, row, &org.name) {
                Ok(a) => match seen.get(&a.member_id) {
                    Some(first) => {
                        s.invalid += 1;
                        s.errors.push(cell_error(
                            sheet,
                            row,
                            member_column(profile, layout),
                            format!("与第 {first} 行是同一名党员"),
                        ));
                    }
                    None => {
                        seen.insert(a.member_id, row.index + 1);
                        marked.push(a);
                    }
                },
                Err(errs) => {
                    s.invalid += 1;
                    s.errors.extend(errs);
                }
            }
        }
        let before = activity.clone();
        let mut updated = activity;
        let counts = (before.expected, before.present);
        let had_list = !before.attendance.is_empty();
        for a in marked {
            match updated
                .attendance
                .iter_mut()
                .find(|b| b.member_id == a.member_id)
            {
                Some(b) if *b == a => s.unchanged += 1,
                Some(b) => {
                    *b = a;
                    s.updated += 1;
                }
                None => {
                    updated.attendance.push(a);
                    s.inserted += 1;
                }
            }
        }
        let commit = decide(&mut s, opts);
        if s.inserted + s.updated == 0 {
            return Ok((s, false));
        }
        let saved = tx.update(updated)?.record;
        if !had_list && counts.0 > 0 && counts != (saved.expected, saved.present) {
            s.warnings.push(format!(
                "这次活动原来只登记了人数（应到 {} 人、实到 {} 人），导入后按签到表计为应到 {} 人、实到 {} 人",
                counts.0, counts.1, saved.expected, saved.present
            ));
        }
        Ok((s, commit))
    })
}

/// The activity the sheet is for: the one chosen, else the only one of the org in the title
/// held on the date in the title. `None` (with the problem said) when neither tells.
fn which_activity(
    tx: &Tx,
    layout: &Layout,
    opts: &ImportOptions,
    s: &mut ImportSummary,
) -> Result<Option<Activity>> {
    if let Some(id) = opts.activity {
        let found = match tx.get::<Activity>(&id) {
            Ok(a) => a,
            Err(Error::NotFound { .. }) => {
                return Err(Error::Rule(format!(
                    "台账中没有编号为 {id} 的组织生活记录：请先登记这次会议或活动，再导入签到表"
                )))
            }
            Err(e) => return Err(e),
        };
        s.activity = Some(describe(tx, &found)?);
        return Ok(Some(found));
    }
    let titled = match (&layout.file_org, date_in(&layout.preamble)) {
        (Some(org), Some(on)) => held_by(tx, org, on)?,
        _ => Vec::new(),
    };
    if let [one] = titled.as_slice() {
        let text = describe(tx, one)?;
        s.warnings
            .push(format!("按标题中的党组织和日期，签到表对应：{text}"));
        s.activity = Some(text);
        return Ok(titled.into_iter().next());
    }
    s.needs_activity = true;
    let why = if titled.len() > 1 {
        "标题中的党组织在这一天有多次活动，"
    } else {
        ""
    };
    s.problems.push(format!(
        "不知道这份签到表是哪一次会议或活动的：{why}请选择对应的组织生活记录（台账中还没有的，先在“组织生活”中登记）"
    ));
    Ok(None)
}

/// 「2026-11-05 主题党日“重温入党誓词”（中共××支部委员会）」
fn describe(tx: &Tx, a: &Activity) -> Result<String> {
    let org: Org = tx.get(&a.org_id)?;
    let types: Vec<&str> = a.types.0.iter().map(|t| t.label()).collect();
    Ok(format!(
        "{} {}“{}”（{}）",
        a.held_on,
        types.join("、"),
        a.topic,
        org.name
    ))
}

/// The activities of an org (by 全称) held on a day.
fn held_by(tx: &Tx, org: &str, on: NaiveDate) -> Result<Vec<Activity>> {
    let ids: Vec<Id> = tx
        .conn()
        .prepare_cached(
            "SELECT a.id FROM activity a JOIN org o ON o.id = a.org_id
             WHERE o.name = ?1 AND a.held_on = ?2 ORDER BY a.rowid",
        )?
        .query_map(rusqlite::params![org, on.to_string()], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    ids.iter().map(|id| tx.get(id)).collect()
}

/// The first full date written in the lines above the header (2026年11月5日, 2026-11-05 …).
fn date_in(preamble: &[String]) -> Option<NaiveDate> {
    let datey = |c: char| c.is_ascii_digit() || "年月日号.-/".contains(c);
    preamble.iter().find_map(|line| {
        line.split(|c: char| !datey(c))
            .filter(|run| run.chars().filter(char::is_ascii_digit).count() >= 6)
            .find_map(|run| {
                let run = run.trim_start_matches(|c: char| !c.is_ascii_digit());
                parse_date(run)
                    .or_else(|_| parse_date(run.trim_end_matches(|c: char| !c.is_ascii_digit())))
                    .ok()
            })
    })
}

/// The sheet column of the member (姓名, else 身份证号), for pointing at a row's member.
fn member_column(profile: &Profile, layout: &Layout) -> Option<u32> {
    let of = |kind: ColumnKind| {
        layout
            .columns
            .iter()
            .find(|(_, i)| profile.columns[*i].kind == kind)
            .map(|(c, _)| *c)
    };
    of(ColumnKind::MemberName).or_else(|| of(ColumnKind::MemberIdNumber))
}

fn cell_error(sheet: &Sheet, row: &Row, col: Option<u32>, message: String) -> CellError {
    CellError::at(&sheet.name, row, col, message)
}

/// One row: whose attendance, 出席 or not, and why not — or every problem of the row.
fn read_row(
    tx: &Tx,
    sheet: &Sheet,
    profile: &Profile,
    layout: &Layout,
    row: &Row,
    org: &str,
) -> std::result::Result<Attendance, Vec<CellError>> {
    let mut errors = Vec::new();
    let (mut name, mut id_number, mut reason) = (None, None, None);
    let present_col = layout
        .columns
        .iter()
        .find(|(_, i)| profile.columns[*i].field.as_deref() == Some(PRESENT))
        .map(|(c, _)| *c);
    // Without a 出席情况 column the sheet lists who signed in.
    let mut present = present_col.is_none().then_some((true, None));
    let mut refused_present = false;
    for (col, idx) in &layout.columns {
        let column = &profile.columns[*idx];
        let Some(cell) = row.get(*col) else { continue };
        let text = match cell_value(cell, column, None) {
            Ok(t) if t.is_empty() => continue,
            Ok(t) => t,
            Err(m) => {
                errors.push(cell_error(sheet, row, Some(*col), m));
                continue;
            }
        };
        match (column.kind, column.field.as_deref()) {
            (ColumnKind::MemberName, _) => name = Some((*col, text)),
            (ColumnKind::MemberIdNumber, _) => id_number = Some((*col, text)),
            (ColumnKind::Field, Some(PRESENT)) => match column.words.as_ref() {
                Some(words) => match words.read(&text) {
                    Some(said) => present = Some(said),
                    None => {
                        refused_present = true;
                        errors.push(cell_error(
                            sheet,
                            row,
                            Some(*col),
                            format!(
                                "看不懂“{text}”：请填“{}”或“{}”（也可写请假原因，如“{}”）",
                                words.yes.first().map_or("出席", String::as_str),
                                words.no.first().map_or("缺席", String::as_str),
                                words.reasons.first().map_or("病假", String::as_str),
                            ),
                        ))
                    }
                },
                None => present = Some((true, None)),
            },
            (ColumnKind::Field, Some(REASON)) => reason = Some(text),
            _ => {}
        }
    }
    let phone = layout
        .phone_col
        .and_then(|c| row.get(c))
        .map(|c| crate::excel::normalize::value(&cell_text(c)));
    let member = match (&id_number, &name) {
        (Some((col, n)), _) => Some((*col, resolve::member_by_id_number(tx, n))),
        (None, Some((col, n))) => Some((
            *col,
            resolve::member_by_name(tx, n, Some(org), phone.as_deref()),
        )),
        (None, None) => None,
    };
    let member_id = match member {
        Some((_, Ok(id))) => Some(id),
        Some((col, Err(Error::Rule(m)))) => {
            errors.push(cell_error(sheet, row, Some(col), m));
            None
        }
        Some((_, Err(e))) => {
            errors.push(cell_error(sheet, row, None, e.to_string()));
            None
        }
        None => {
            errors.push(cell_error(
                sheet,
                row,
                member_column(profile, layout),
                "没有写姓名".into(),
            ));
            None
        }
    };
    if present.is_none() && !refused_present {
        errors.push(cell_error(
            sheet,
            row,
            present_col,
            "没有填写出席情况：请填“出席”或“缺席”".into(),
        ));
    }
    match (member_id, present) {
        (Some(member_id), Some((here, word_reason))) if errors.is_empty() => Ok(Attendance {
            member_id,
            present: here,
            reason: if here { None } else { reason.or(word_reason) },
        }),
        _ => Err(errors),
    }
}
