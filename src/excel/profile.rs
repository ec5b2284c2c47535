//! Template profiles: which columns a table has, their aliases and kinds. Profiles are data
//! (assets/profiles/*.json, plus any `*.json` in the `profiles` folder beside the database),
//! used for reading and writing alike; a county with its own layout adds a file.

use super::normalize;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How a column maps to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// For `check_item`: the checklist item code.
    #[serde(default)]
    pub item: Option<String>,
    /// The header and aliases, normalised once when the profile is loaded.
    #[serde(skip)]
    normalised: Vec<String>,
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

    fn prepare(&mut self) {
        self.normalised = std::iter::once(&self.header)
            .chain(&self.aliases)
            .map(|h| normalize::header(h))
            .collect();
    }
}

/// A table layout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    /// 表名, e.g. 党员花名册
    pub name: String,
    /// Record type: member, unit, org, activity, inspection, dues.
    pub entity: String,
    /// Title row written on export.
    pub title: String,
    /// Fields that identify an existing record when there is no id column.
    #[serde(default)]
    pub match_key: Vec<String>,
    pub columns: Vec<Column>,
}

const BUILT_IN: [&str; 6] = [
    include_str!("../../assets/profiles/members.json"),
    include_str!("../../assets/profiles/units.json"),
    include_str!("../../assets/profiles/orgs.json"),
    include_str!("../../assets/profiles/activities.json"),
    include_str!("../../assets/profiles/inspections.json"),
    include_str!("../../assets/profiles/dues.json"),
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
        for f in files {
            let text = std::fs::read_to_string(&f)?;
            let p: Profile = serde_json::from_str(&text)
                .map_err(|e| Error::BadFile(format!("模板配置 {} 格式错误：{e}", f.display())))?;
            add(p, &mut out);
        }
    }
    Ok(out)
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
