//! Schema migrations: an explicit `PRAGMA user_version` ladder of embedded SQL files, each
//! applied in one transaction with its seed data. A database newer than this binary is refused.

use crate::error::{Error, Result};
use crate::model::{Checklist, Id, JsonList};
use rusqlite::{params, Connection, Transaction};
use serde::Deserialize;

/// One step of the ladder: SQL plus Rust-side seeding.
struct Migration {
    sql: &'static str,
    seed: fn(&Transaction, &str) -> Result<()>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: include_str!("../../migrations/0001_init.sql"),
        seed: seed_v1,
    },
    Migration {
        sql: include_str!("../../migrations/0002_exchange.sql"),
        seed: seed_v2,
    },
    Migration {
        sql: include_str!("../../migrations/0003_applicant.sql"),
        seed: |_, _| Ok(()),
    },
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) const DEFAULT_DICTIONARIES: &str =
    include_str!("../../assets/dictionaries/default.json");
pub(crate) const DEFAULT_CHECKLIST: &str = include_str!("../../assets/checklists/shi_ge_you.json");

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuse a schema version this binary cannot open: newer than [`SCHEMA_VERSION`], negative,
/// or 0 in a database that is not new (`fresh`: it has no ledger tables yet).
pub(crate) fn check_version(found: i64, fresh: bool) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < 0 || (found == 0 && !fresh) {
        return Err(Error::SchemaInvalid {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Bring the database up to [`SCHEMA_VERSION`]. Returns the version found before.
pub fn migrate(conn: &mut Connection, now: &str) -> Result<i64> {
    let found = schema_version(conn)?;
    check_version(found, true)?;
    for (i, m) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        (m.seed)(&tx, now)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(found)
}

#[derive(Deserialize)]
struct DictFile {
    dictionaries: std::collections::BTreeMap<String, Vec<DictEntry>>,
}

#[derive(Deserialize)]
struct DictEntry {
    value: String,
    #[serde(default)]
    synonyms: Vec<String>,
}

#[derive(Deserialize)]
struct ChecklistFile {
    id: Id,
    code: String,
    name: String,
    version: i64,
    source: Option<String>,
    items: JsonList<crate::model::ChecklistItem>,
}

/// Version 2: this PC is the first known device (named after the host until someone renames it).
fn seed_v2(tx: &Transaction, now: &str) -> Result<()> {
    let name = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "本机".into());
    tx.execute(
        "INSERT INTO device(id, name, first_seen, last_seen)
         SELECT value, ?1, ?2, ?2 FROM meta WHERE key = 'device_id'",
        params![name, now],
    )?;
    Ok(())
}

/// Version 1 seeds: this PC's device id, the default dictionaries and the 十个有 checklist.
fn seed_v1(tx: &Transaction, now: &str) -> Result<()> {
    let device = Id::new().to_string();
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('device_id', ?1)",
        [&device],
    )?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('device_seq', '0')",
        [],
    )?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('created_at', ?1)",
        [now],
    )?;

    let dicts: DictFile = serde_json::from_str(DEFAULT_DICTIONARIES)?;
    let mut ins =
        tx.prepare("INSERT INTO dictionary(dict, value, synonyms, sort) VALUES (?1, ?2, ?3, ?4)")?;
    for (dict, entries) in &dicts.dictionaries {
        for (i, e) in entries.iter().enumerate() {
            ins.execute(params![
                dict,
                e.value,
                serde_json::to_string(&e.synonyms)?,
                i as i64
            ])?;
        }
    }

    let c: ChecklistFile = serde_json::from_str(DEFAULT_CHECKLIST)?;
    let checklist = Checklist {
        meta: crate::model::Meta {
            id: c.id,
            created_at: now.into(),
            updated_at: now.into(),
            device_id: "shipped".into(),
        },
        code: c.code,
        name: c.name,
        version: c.version,
        source: c.source,
        items: c.items,
    };
    tx.execute(
        "INSERT INTO checklist(id, created_at, updated_at, device_id, code, name, version, source, items)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            checklist.meta.id,
            checklist.meta.created_at,
            checklist.meta.updated_at,
            checklist.meta.device_id,
            checklist.code,
            checklist.name,
            checklist.version,
            checklist.source,
            checklist.items
        ],
    )?;
    Ok(())
}
