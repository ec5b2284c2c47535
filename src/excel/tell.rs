//! Telling tables apart, and saying what a refused file is. A list of people with 姓名, 性别
//! and 出生日期 is not a 党员花名册 unless it has a column only party rosters have (a
//! profile's `requires_any`); a file the ledger does not take is named for what it looks like
//! (an applicant list, a score sheet, a training record …: `assets/tables/other_kinds.json`)
//! with the columns that were recognised and those that would make it importable.

use super::headers;
use super::layout::Layout;
use super::profile::Profile;
use super::read::Book;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

/// A kind of table the ledger does not import, known by the words of its headers.
#[derive(Debug, Clone, Deserialize)]
pub struct OtherKind {
    pub name: String,
    /// A header holding any of these words counts towards the kind.
    pub words: Vec<String>,
    /// How many headers must count.
    pub min: usize,
    /// What to tell the person.
    pub say: String,
}

#[derive(Deserialize)]
struct OtherKinds {
    kinds: Vec<OtherKind>,
}

const FILE: &str = "other_kinds.json";
const BUILT_IN: &str = include_str!("../../assets/tables/other_kinds.json");

/// The shipped list, or the county's own (`profiles/other_kinds.json`) in its place.
pub fn other_kinds(profiles_dir: Option<&Path>) -> Result<Vec<OtherKind>> {
    let own = profiles_dir.map(|d| d.join(FILE)).filter(|p| p.is_file());
    let text = match &own {
        Some(p) => std::fs::read_to_string(p)?,
        None => BUILT_IN.to_string(),
    };
    let parsed: OtherKinds = serde_json::from_str(&text)
        .map_err(|e| Error::BadFile(format!("表格种类配置 {FILE} 格式错误：{e}")))?;
    Ok(parsed.kinds)
}

/// Whether a layout has a column for one of the fields that make the profile's table.
pub fn is_this_table(profile: &Profile, layout: &Layout) -> bool {
    profile.requires_any.is_empty()
        || layout.columns.iter().any(|(_, i)| {
            profile.columns[*i]
                .field
                .as_ref()
                .is_some_and(|f| profile.requires_any.contains(f))
        })
}

/// The headers of a profile's columns that fill the given fields, for messages.
fn headers_of(profile: &Profile, fields: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in fields {
        if let Some(c) = profile.columns.iter().find(|c| c.field.as_ref() == Some(f)) {
            if !out.contains(&c.header) {
                out.push(c.header.clone());
            }
        }
    }
    out
}

/// A layout found for a profile that was not taken (too few columns, or not its table).
pub struct NearMiss<'a> {
    pub profile: &'a Profile,
    pub layout: Layout,
}

/// Why a file has no importable table, said for what it looks like.
///
/// `wanted`: the profile the person asked for, if any (then the message is about it alone).
pub fn refusal(
    book: &Book,
    kinds: &[OtherKind],
    near: Option<NearMiss>,
    wanted: Option<&Profile>,
    all: &[&Profile],
) -> Error {
    // Every header of the first rows, to say what the file looks like.
    let texts: Vec<String> = book
        .sheets
        .iter()
        .flat_map(|s| s.rows.iter().take(30))
        .flat_map(|r| r.cells.iter().map(|(_, v)| super::layout::cell_text(v)))
        .filter(|t| !t.trim().is_empty() && t.chars().count() <= 30)
        .collect();
    let kind = kinds.iter().find_map(|k| {
        let hits: Vec<&String> = texts
            .iter()
            .filter(|t| {
                let core = headers::core(t);
                k.words.iter().any(|w| core.contains(&headers::core(w)))
            })
            .collect();
        (hits.len() >= k.min.max(1)).then_some((k, hits))
    });
    let mut msg = String::new();
    if let Some((k, hits)) = &kind {
        let shown: Vec<String> = hits
            .iter()
            .take(3)
            .map(|h| format!("“{}”", h.trim()))
            .collect();
        msg.push_str(&format!(
            "这份文件看来是{}（有{}等列），不是台账能导入的表。{}",
            k.name,
            shown.join("、"),
            k.say
        ));
    }
    match (near, wanted) {
        (Some(n), _) => {
            let found: Vec<String> = n
                .layout
                .columns
                .iter()
                .map(|(_, i)| n.profile.columns[*i].header.clone())
                .collect();
            let needed = if n.profile.requires_any.is_empty() {
                "至少 3 列".to_string()
            } else {
                format!(
                    "{}中的至少一列",
                    headers_of(n.profile, &n.profile.requires_any).join("、")
                )
            };
            if kind.is_none() {
                msg.push_str("这份文件不像台账能导入的表。");
            }
            msg.push_str(&format!(
                "认出的列：{}；要作为{}导入，还需要{}",
                found.join("、"),
                n.profile.name,
                needed
            ));
            if wanted.is_none() {
                msg.push_str("（如果某一列就是其中之一，请把表头改成这个名称）");
            }
        }
        (None, Some(p)) => {
            if kind.is_none() {
                msg.push_str(&format!("没有在文件中找到{}的表头：", p.name));
            }
            msg.push_str(&format!(
                "前 30 行里认不出{}的列（至少要认出 3 列，如 {}）",
                p.name,
                p.columns
                    .iter()
                    .filter(|c| c.field.is_some())
                    .take(3)
                    .map(|c| c.header.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        (None, None) if kind.is_none() => {
            let names: Vec<String> = all.iter().map(|p| p.name.clone()).collect();
            msg.push_str(&format!(
                "没有在文件中找到可导入的台账表：前 30 行里没有与{}相符的表头（至少要认出 3 列，如 姓名、公民身份号码、所在党支部）。如果这是统计报表或一人一表的采集表，请改用花名册式的明细表；如果表头写法不同，可用 --as 指定模板或增加模板配置",
                names.join("、")
            ));
        }
        (None, None) => {}
    }
    Error::BadFile(msg)
}
