//! What every front end calls: the desktop's commands and the CLI's subcommands are a few
//! lines each over these functions (parse the arguments, call, print or send). SQL, rules and
//! policy stay below this line; the connection never crosses it.

pub mod activities;
pub mod applicants;
pub mod backups;
pub mod dashboard;
pub mod records;
pub mod settings;

use crate::error::{Error, Result};
use crate::model::fields::parse_date;
use crate::model::Entity;
use crate::Store;
use std::path::{Path, PathBuf};

/// The ledger file a front end uses unless told otherwise: `TAIZHANG_DB` when set, else the
/// default beside the user's documents (`store::default_db_path`).
pub fn db_path_from_env() -> PathBuf {
    std::env::var_os("TAIZHANG_DB")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(crate::store::default_db_path)
}

/// Open the ledger for a front end. Only `create` (for `init`, the demo and the desktop's
/// first start) makes a new one: otherwise a missing file is refused, so a mistyped path never
/// shows an empty ledger as if the data were gone. The operator is the one given (a blank name
/// is ignored); "today" is `TAIZHANG_TODAY` when set (tests, back-dated checks).
pub fn open(path: &Path, create: bool, operator: Option<&str>) -> Result<Store> {
    let mut store = if create {
        Store::open(path)?
    } else {
        Store::open_existing(path)?
    };
    if let Some(op) = operator.map(str::trim).filter(|o| !o.is_empty()) {
        store.set_operator(op.to_string());
    }
    if let Ok(t) = std::env::var("TAIZHANG_TODAY") {
        let today = parse_date(&t).map_err(|m| Error::Rule(format!("TAIZHANG_TODAY：{m}")))?;
        store.set_today(Some(today));
    }
    Ok(store)
}

/// The record type a front end names (`member`, `unit` …).
pub fn entity(name: &str) -> Result<Entity> {
    Entity::parse(name).ok_or_else(|| Error::Rule(format!("没有名为“{name}”的记录类型")))
}
