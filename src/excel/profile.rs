//! Template profiles: which columns a table has, their aliases and kinds. Profiles are data
//! (assets/profiles/*.json, plus any `*.json` in the `profiles` folder beside the database),
//! used for reading and writing alike; a county with its own layout adds a file.

use super::headers::{self, HowMatched, Pattern};
use super::normalize;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How a column maps to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// A plain field of the record (`field`).
    Field,
    /// 序号: written on export, ignored on import.
    Seq,
    /// The hidden record id of our own exports: an edited export re-imports as updates.
    Id,
    /// A party org by full name (created when missing, unless `create` is false).
    OrgName,
    /// A unit by name (created when missing); `text_field` also receives the name.
    UnitName,
    /// A 党建指导员 by name (created when missing).
    InstructorName,
    /// Several units by name, separated by 、 or commas.
    UnitNames,
    /// The 书记's name, a seat on the org's committee.
    Secretary,
    /// One checklist item (`item`): 有 / 无 / 部分.
    CheckItem,
    /// A member by 公民身份号码.
    MemberIdNumber,
    /// A member by 姓名, when the sheet has no 公民身份号码: within the row's or the file's
    /// org, the phone (a column named as in the profile's `phone_headers`) breaking ties.
    /// Ambiguous and unknown names are errors on their cells, never guesses.
    MemberName,
    /// 缺席名单及原因: written from per-member attendance when there is one; imported into the
    /// text field only for meetings without per-member attendance.
    Absence,
    /// Written on export from other records; recognised and ignored on import.
    Computed,
}

/// One column of a template.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Column {
    /// The header as the template writes it.
    pub header: String,
    pub kind: ColumnKind,
    /// The record field this column fills (for computed columns: what is computed).
    #[serde(default)]
    pub field: Option<String>,
    /// Other headers meaning the same column.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Column width in characters on export.
    #[serde(default)]
    pub width: Option<f64>,
    /// Write as text (ID numbers, phone numbers keep their digits).
    #[serde(default)]
    pub text: bool,
    /// For `unit_name`: a text field that also receives the name as written.
    #[serde(default)]
    pub text_field: Option<String>,
    /// For name references: create the record when the ledger lacks it (default true).
    #[serde(default)]
    pub create: Option<bool>,
    /// With `create` false: create the missing record only once every row of the file is in
    /// (so a 上级党组织 listed further down is that row, not a bare new org).
    #[serde(default)]
    pub create_last: bool,
    /// For a yes/no field (出席情况): the words for each answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<YesNoWords>,
    /// For `check_item`: the checklist item code.
    #[serde(default)]
    pub item: Option<String>,
    /// The words that carry the column's meaning, for headers no alias lists (see
    /// `excel::headers`): 「所在|所属+支部|党组织」 — every `+` group must occur.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meaning: Vec<String>,
    /// Words that rule a meaning match out (「编码」, 「书记」 for a branch column).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// The header and aliases, normalised once when the profile is loaded.
    #[serde(skip)]
    normalised: Vec<String>,
    /// The same without bracketed hints and punctuation.
    #[serde(skip)]
    cores: Vec<String>,
    #[serde(skip)]
    patterns: Vec<Pattern>,
    #[serde(skip)]
    excluded: Vec<String>,
}

impl Column {
    /// Whether a normalised header names this column.
    pub fn matches(&self, normalised: &str) -> bool {
        if self.normalised.is_empty() {
            return std::iter::once(&self.header)
                .chain(&self.aliases)
                .any(|h| normalize::header(h) == normalised);
        }
        self.normalised.iter().any(|h| h == normalised)
    }

    /// How a header (normalised, and its core) names this column, if it does; for a meaning
    /// match, how many characters of meaning words it holds.
    pub fn how_matched(&self, normalised: &str, core: &str) -> Option<(HowMatched, usize)> {
        if self.matches(normalised) {
            return Some((HowMatched::Exact, usize::MAX));
        }
        if !core.is_empty() && self.cores.iter().any(|c| c == core) {
            return Some((HowMatched::Core, usize::MAX));
        }
        headers::meaning_score(core, &self.patterns, &self.excluded)
            .map(|n| (HowMatched::Meaning, n))
    }

    fn prepare(&mut self) {
        self.normalised = std::iter::once(&self.header)
            .chain(&self.aliases)
            .map(|h| normalize::header(h))
            .collect();
        self.cores = std::iter::once(&self.header)
            .chain(&self.aliases)
            .map(|h| headers::core(h))
            .filter(|c| !c.is_empty())
            .collect();
        self.patterns = self.meaning.iter().map(|m| headers::pattern(m)).collect();
        self.excluded = self.exclude.iter().map(|w| headers::core(w)).collect();
    }
}

/// The words of a yes/no column, as people fill it in (出席 / 缺席 / 病假 …).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct YesNoWords {
    /// 出席, 签到, 是, √ …
    pub yes: Vec<String>,
    /// 缺席, 未到, 否, × …
    pub no: Vec<String>,
    /// A no that says why (请假, 病假, 出差 …): the cell is then the reason.
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl YesNoWords {
    /// `(yes, reason)` for a cell's text, or `None` when it is neither.
    pub fn read(&self, text: &str) -> Option<(bool, Option<String>)> {
        let t = text.trim();
        let is = |ws: &[String]| ws.iter().any(|w| w.eq_ignore_ascii_case(t));
        if is(&self.yes) {
            Some((true, None))
        } else if is(&self.no) {
            Some((false, None))
        } else if self.reasons.iter().any(|w| t.contains(w.as_str())) {
            Some((false, Some(t.to_string())))
        } else {
            None
        }
    }
}

/// A table layout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    /// 表名, e.g. 党员花名册
    pub name: String,
    /// Record type: member, unit, org, activity, inspection, dues; `attendance` for a
    /// sign-in sheet (one activity's attendance, see `excel::attendance`).
    pub entity: String,
    /// Read on import only: not offered for export.
    #[serde(default)]
    pub import_only: bool,
    /// Title row written on export.
    pub title: String,
    /// Fields that identify an existing record when there is no id column.
    #[serde(default)]
    pub match_key: Vec<String>,
    /// Fields of which a sheet must have at least one column to be this table: what sets it
    /// apart from other lists with the same 姓名/性别/出生日期 (入党日期, 所在党支部 … for a
    /// 党员花名册). Empty: any three columns do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_any: Vec<String>,
    /// Words of a header that say the column sets a record's status (预/正, 党籍 …): such a
    /// column must be understood, or the file is refused — never ignored while records are
    /// saved with another status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_words: Vec<String>,
    /// The fields that hold a record's status (named in the refusal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_fields: Vec<String>,
    /// Headers of a phone column that tells apart members of the same name (for a
    /// `member_name` column); read on import only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phone_headers: Vec<String>,
    pub columns: Vec<Column>,
}

/// A county's extra header words for shipped or own profiles (`profiles/aliases.json`):
/// `{"members": {"所在党支部": ["支部全称"]}}` — profile id → column header → aliases.
pub type ExtraAliases =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>;

/// The file beside a county's profiles that adds aliases without replacing a profile.
pub const ALIASES_FILE: &str = "aliases.json";

const BUILT_IN: [&str; 8] = [
    include_str!("../../assets/profiles/members.json"),
    include_str!("../../assets/profiles/applicants.json"),
    include_str!("../../assets/profiles/units.json"),
    include_str!("../../assets/profiles/orgs.json"),
    include_str!("../../assets/profiles/activities.json"),
    include_str!("../../assets/profiles/inspections.json"),
    include_str!("../../assets/profiles/dues.json"),
    include_str!("../../assets/profiles/attendance.json"),
];

/// The shipped profiles, then any in `extra_dir` (a county's own; same id replaces).
pub fn load_profiles(extra_dir: Option<&Path>) -> Result<Vec<Profile>> {
    let mut out: Vec<Profile> = Vec::new();
    let add = |mut p: Profile, out: &mut Vec<Profile>| {
        p.columns.iter_mut().for_each(Column::prepare);
        match out.iter_mut().find(|q| q.id == p.id) {
            Some(q) => *q = p,
            None => out.push(p),
        }
    };
    for text in BUILT_IN {
        add(serde_json::from_str(text)?, &mut out);
    }
    if let Some(dir) = extra_dir.filter(|d| d.is_dir()) {
        let mut files: Vec<_> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut extra: Option<ExtraAliases> = None;
        for f in files {
            if f.file_name().is_some_and(|n| n == ALIASES_FILE) {
                let text = std::fs::read_to_string(&f)?;
                extra = Some(serde_json::from_str(&text).map_err(|e| {
                    Error::BadFile(format!("别名配置 {} 格式错误：{e}", f.display()))
                })?);
                continue;
            }
            let text = std::fs::read_to_string(&f)?;
            let p: Profile = serde_json::from_str(&text)
                .map_err(|e| Error::BadFile(format!("模板配置 {} 格式错误：{e}", f.display())))?;
            add(p, &mut out);
        }
        if let Some(extra) = extra {
            add_aliases(&mut out, &extra)?;
        }
    }
    Ok(out)
}

/// Lay a county's extra aliases over the profiles; a profile or header it names that does
/// not exist is an error (a typo would otherwise be silently ignored).
fn add_aliases(profiles: &mut [Profile], extra: &ExtraAliases) -> Result<()> {
    for (id, columns) in extra {
        let profile = profiles
            .iter_mut()
            .find(|p| &p.id == id || &p.name == id)
            .ok_or_else(|| {
                Error::BadFile(format!("别名配置 {ALIASES_FILE} 中的模板“{id}”不存在"))
            })?;
        for (header, aliases) in columns {
            let column = profile
                .columns
                .iter_mut()
                .find(|c| &c.header == header)
                .ok_or_else(|| {
                    Error::BadFile(format!(
                        "别名配置 {ALIASES_FILE} 中，模板“{id}”没有名为“{header}”的列"
                    ))
                })?;
            column.aliases.extend(aliases.iter().cloned());
            column.prepare();
        }
    }
    Ok(())
}

/// Find a profile by id or by its Chinese name.
pub fn find<'a>(profiles: &'a [Profile], key: &str) -> Result<&'a Profile> {
    profiles
        .iter()
        .find(|p| p.id == key || p.name == key)
        .ok_or_else(|| {
            let names: Vec<String> = profiles
                .iter()
                .map(|p| format!("{}（{}）", p.name, p.id))
                .collect();
            Error::Rule(format!("没有名为“{key}”的模板，可用：{}", names.join("、")))
        })
}
