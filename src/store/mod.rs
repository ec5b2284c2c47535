//! The SQLite store: opening with durable pragmas, migrations, records, the change log,
//! member events and backups.

mod activities;
mod applicants;
mod autobackup;
mod changelog;
mod checklists;
pub mod collate;
mod insert_log;
mod lookup;
mod media;
mod members;
mod query;
pub mod records;
mod restore;
mod schema;
mod table;
mod tx;

pub use autobackup::{AutoBackupParams, BackupFile, AUTO_BACKUP_KEY};
pub use changelog::{diff, field_version, field_versions, history, ChangeEntry, Op};
pub(crate) use changelog::{visit_fields, FieldSink, NotARecord};
pub use checklists::checklist_title;
pub(crate) use insert_log::insert_changes;
pub(crate) use lookup::dict_match;
pub use media::{photos_beside, safe_photo_name, MAX_PHOTO_BYTES};
pub use query::{
    count_records, display_name, list_records, mark_absent, org_attendance, ListQuery,
};
pub use restore::{backup_contents, BackedUp, Contents, Restored};
pub(crate) use schema::check_version;
pub use schema::{migrate, schema_version, SCHEMA_VERSION};
pub use table::Table;
pub(crate) use tx::DictCache;
pub use tx::{Saved, Tx};

use crate::error::{Error, Result};
use crate::model::Id;
use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, ToSql, TransactionBehavior};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// Page size of a new ledger file, in bytes.
const PAGE_SIZE: i64 = 16384;
/// Page cache of a ledger's connection, KiB.
const CACHE_KIB: i64 = 65536;
/// Page cache while a bulk load runs, KiB (see
/// `Store::write_bulk_or_rollback`).
const BULK_CACHE_KIB: i64 = 16384;
/// How often the WAL is synced while a bulk load runs.
const BULK_SYNC_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

#[cfg(test)]
/// Syncs made by bulk loads' helper threads (tests check it runs).
static BULK_SYNCS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Settings key of the 党费 rate table.
pub const DUES_RATES_KEY: &str = "dues_rates";
/// Settings key of 填报单位, written on every exported table and report.
pub const REPORT_UNIT_KEY: &str = "report_unit";
/// Settings key of the operator's name shown in the change log.
pub const OPERATOR_KEY: &str = "operator";

/// Who is writing: this PC's device id and the operator's name (for the change log).
#[derive(Debug, Clone)]
pub struct Session {
    pub device_id: String,
    pub operator: String,
}

/// An open ledger database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    session: Session,
    today: Option<NaiveDate>,
}

/// The default database file: the platform data directory (e.g. `~/.local/share/taizhang/ledger.db`).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("taizhang")
        .join("ledger.db")
}

fn now_string() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Store {
    /// Open the ledger at `path`, creating it (and its folder) when there is no file there:
    /// for `taizhang init`, the demo and the desktop's first start. Before an upgrade of an
    /// existing database a copy is kept beside it (`ledger.db.before-v2.bak`). A file that
    /// is not a ledger — empty, another program's SQLite database, a schema version no
    /// version of the app writes — is refused and left as it is (see [`Store::open_existing`]).
    /// A new ledger is private to its owner on Unix (see [`crate::private_files`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Self::open_at(path.as_ref(), true)
    }

    /// Open (upgrading if need be) the ledger at `path`, which must exist: a mistyped path
    /// is refused ([`Error::NoLedger`]) rather than becoming a new, empty ledger.
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Store> {
        Self::open_at(path.as_ref(), false)
    }

    fn open_at(path: &Path, create: bool) -> Result<Store> {
        let shown = || path.display().to_string();
        let created = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(not_a_ledger(Some(path), "这是一个文件夹")),
            // SQLite would take an empty file for a new database: it may be anything (a
            // mistyped name `touch`ed, a file another program is about to write).
            Ok(m) if m.len() == 0 && !wal_beside(path) => {
                return Err(not_a_ledger(
                    Some(path),
                    "文件是空的（0 字节）。如确实要在这里新建台账，请先删除这个空文件，再运行 taizhang init",
                ))
            }
            Ok(_) => false,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !create {
                    return Err(Error::NoLedger { path: shown() });
                }
                crate::private_files::create_parent(path)
                    .map_err(|e| Error::Rule(format!("无法创建数据库 {}：{}", shown(), crate::error::io_meaning(&e))))?;
                match crate::private_files::create_new(path) {
                    Ok(_) => true,
                    // Created meanwhile by another process: opened as any existing file.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
                    Err(e) => {
                        return Err(Error::Rule(format!("无法创建数据库 {}：{}", shown(), crate::error::io_meaning(&e))))
                    }
                }
            }
            Err(e) => return Err(Error::Rule(format!("无法打开数据库 {}：{}", shown(), crate::error::io_meaning(&e)))),
        };
        // Never SQLITE_OPEN_CREATE: the file exists (created just above, private).
        let opened = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(_, _) => {
                Error::Rule(format!("无法打开数据库 {}：{}", shown(), Error::Db(e)))
            }
            other => Error::Db(other),
        })
        .and_then(|conn| Self::setup(conn, Some(path.to_path_buf()), created));
        if opened.is_err() && created {
            // Leave no empty file behind, which the next opening would refuse.
            let _ = std::fs::remove_file(path);
        }
        opened
    }

    /// A private in-memory ledger (tests, previews).
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, None, true)
    }

    /// Check that `conn` holds a ledger (or, `new`, an empty database just created), then set
    /// it up and migrate it.
    fn setup(mut conn: Connection, path: Option<PathBuf>, new: bool) -> Result<Store> {
        let refuse = |why: &str| not_a_ledger(path.as_deref(), why);
        // Fail fast on a file that is not a database at all.
        // Busy, read-only or unreadable is not "not a ledger": say which.
        conn.query_row("PRAGMA schema_version", [], |_| Ok(()))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                    refuse("文件不是数据库，或已损坏")
                }
                _ => Error::Db(e),
            })?;
        let found = schema_version(&conn)?;
        // Nothing may be written before the file is known to be a ledger (or new).
        let fresh = new || unfinished_ledger(&conn, found);
        if !fresh && !is_ledger(&conn) {
            return Err(refuse(
                "这是其他程序的数据库（没有台账的数据表），本程序不会把它改作台账",
            ));
        }
        check_version(found, fresh)?;
        // A new ledger gets 16 KiB pages (SQLite ignores this for an existing file): fewer
        // pages per record and index, ~15 % less time writing a county roster than 4 KiB
        // (BENCHMARKS.md, raw-sqlite).
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        if fresh && found == 0 {
            // Marks the file as a ledger before anything else is written, so one whose first
            // migration was cut short is known as ours (`unfinished_ledger`).
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MiB of page cache: a county-sized import is one transaction, and the default
        // 2 MiB cache spills its pages to the WAL long before the commit.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        // Stable query plans: without this the bundled SQLite (built with STAT4) re-compiles
        // a lookup statement every time a new value is bound to it — most of an import's time.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        collate::register(&conn)?;
        if found > 0 && found < SCHEMA_VERSION {
            if let Some(p) = &path {
                let mut bak = p.clone().into_os_string();
                bak.push(format!(".before-v{SCHEMA_VERSION}.bak"));
                backup_private(&conn, Path::new(&bak))?;
            }
        }
        migrate(&mut conn, &now_string())?;
        let device_id: String =
            conn.query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
                r.get(0)
            })?;
        let operator = setting::<String>(&conn, OPERATOR_KEY)?
            .or_else(|| {
                std::env::var("USER")
                    .ok()
                    .or_else(|| std::env::var("USERNAME").ok())
            })
            .unwrap_or_else(|| "本机用户".into());
        Ok(Store {
            conn,
            path,
            session: Session {
                device_id,
                operator,
            },
            today: None,
        })
    }

    /// Folder of photos and attachments beside the database; records hold paths relative to it.
    pub fn media_dir(&self) -> Option<PathBuf> {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.join("photos"))
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Name the operator recorded in the change log for this session.
    pub fn set_operator(&mut self, name: impl Into<String>) {
        self.session.operator = name.into();
    }

    /// Fix "today" (tests and `TAIZHANG_TODAY`); by default the system date.
    pub fn set_today(&mut self, today: Option<NaiveDate>) {
        self.today = today;
    }

    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Run `f` in one write transaction: everything it writes is committed, or on error nothing.
    pub fn write<R>(&mut self, f: impl FnOnce(&mut Tx) -> Result<R>) -> Result<R> {
        self.write_or_rollback(|tx| f(tx).map(|r| (r, true)))
    }

    /// Run `f` in one write transaction and commit only if it says so (`(result, true)`):
    /// a dry run, or an import refused because of invalid rows, leaves nothing behind.
    pub fn write_or_rollback<R>(
        &mut self,
        f: impl FnOnce(&mut Tx) -> Result<(R, bool)>,
    ) -> Result<R> {
        let today = self.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut tx = Tx::new(tx, &self.session, today, now_string())?;
        let (out, commit) = f(&mut tx)?;
        if commit {
            tx.commit()?;
        }
        Ok(out)
    }

    /// [`Store::write_or_rollback`] for a bulk load (an Excel import, an exchange package),
    /// in the WAL like every write, so that other connections to the ledger (the desktop
    /// open while the CLI imports, a second window) keep reading the last committed state
    /// throughout the load. (A rollback journal would write the pages once rather than to
    /// the WAL and again at the checkpoint, but it locks every reader out from the first
    /// spilled page to the commit, and no check made before the load can prove that no one
    /// will open the file during it; what WAL costs a 100,000-row import is in BENCHMARKS.md.)
    ///
    /// While the load runs, a smaller page cache sends pages to the WAL as they fill rather
    /// than all at the commit, and a helper syncs the WAL meanwhile: the commit's fsync then
    /// has only the last moments' pages to write. Syncing more often than SQLite does is
    /// harmless: uncommitted frames in the WAL are ignored by readers and by recovery.
    pub fn write_bulk_or_rollback<R>(
        &mut self,
        f: impl FnOnce(&mut Tx) -> Result<(R, bool)>,
    ) -> Result<R> {
        let Some(path) = self.path.clone() else {
            return self.write_or_rollback(f);
        };
        let _ = self.conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB);
        let mut wal_name = path.into_os_string();
        wal_name.push("-wal");
        let wal = std::path::PathBuf::from(wal_name);
        let out = std::thread::scope(|scope| {
            let (done, finished) = std::sync::mpsc::channel::<()>();
            // Without the helper the load is only slower at its commit.
            let _ = std::thread::Builder::new()
                .name("bulk-sync".into())
                .spawn_scoped(scope, move || {
                    use std::sync::mpsc::RecvTimeoutError::Timeout;
                    let mut file = None;
                    while let Err(Timeout) = finished.recv_timeout(BULK_SYNC_EVERY) {
                        if file.is_none() {
                            file = std::fs::OpenOptions::new().write(true).open(&wal).ok();
                        }
                        if let Some(f) = &file {
                            let _ = f.sync_data();
                            #[cfg(test)]
                            BULK_SYNCS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                });
            let out = self.write_or_rollback(f);
            drop(done);
            out
        });
        let _ = self.conn.pragma_update(None, "cache_size", -CACHE_KIB);
        out
    }

    pub fn insert<T: Table>(&mut self, rec: T) -> Result<T> {
        self.write(|tx| tx.insert(rec))
    }

    pub fn update<T: Table>(&mut self, rec: T) -> Result<Saved<T>> {
        self.write(|tx| tx.update(rec))
    }

    pub fn get<T: Table>(&self, id: &Id) -> Result<T> {
        get(&self.conn, id)
    }

    /// Records of a type matching an SQL condition on its columns (`"1"` for all).
    pub fn list<T: Table>(
        &self,
        condition: &str,
        params: &[&dyn ToSql],
        order_by: &str,
    ) -> Result<Vec<T>> {
        list(&self.conn, condition, params, order_by)
    }

    /// Records matching a list's filters, search and page (as people write the values).
    pub fn query<T: Table + crate::model::Fields>(&self, q: &ListQuery) -> Result<Vec<T>> {
        list_records(&self.conn, q)
    }

    /// The name a record is shown by (its 名称, 姓名 or 主题), if it has one.
    pub fn display_name(&self, table: &str, id: &Id) -> Option<String> {
        display_name(&self.conn, table, id)
    }

    pub fn history(&self, id: &Id) -> Result<Vec<ChangeEntry>> {
        history(&self.conn, id)
    }

    /// Which table holds a record with this id (for `history` and `show` by bare id).
    pub fn entity_of(&self, id: &Id) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT entity FROM change_log WHERE record_id = ?1 ORDER BY seq LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        setting(&self.conn, key)
    }

    pub fn set_setting(&mut self, key: &str, value: serde_json::Value) -> Result<()> {
        self.write(|tx| tx.set_setting(key, &value))
    }

    /// Copy the whole database to `dest` with SQLite's online backup API (consistent even
    /// while the app is writing).
    /// The copy (and a folder made for it) is private to its owner on Unix.
    pub fn backup_to(&self, dest: impl AsRef<Path>) -> Result<()> {
        backup_private(&self.conn, dest.as_ref())
    }

    /// The values of an open dictionary (民族, 学历, 组建方式 …) with their synonyms.
    pub fn dictionary(&self, dict: &str) -> Result<Vec<(String, Vec<String>)>> {
        let mut st = self
            .conn
            .prepare("SELECT value, synonyms FROM dictionary WHERE dict = ?1 ORDER BY sort")?;
        let rows = st.query_map([dict], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (v, syn) = row?;
            out.push((v, serde_json::from_str(&syn)?));
        }
        Ok(out)
    }

    /// Names of the open dictionaries.
    pub fn dictionaries(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT dict FROM dictionary ORDER BY dict")?;
        let names = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// Number of records of a type.
    pub fn count<T: Table>(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row(&format!("SELECT count(*) FROM {}", T::TABLE), [], |r| {
                r.get(0)
            })?)
    }
}

/// `PRAGMA application_id` of a ledger created by this version or later ("TZLD"). Older
/// ledgers have 0 and are known by their `meta` table.
pub const APPLICATION_ID: i32 = 0x545A_4C44;

fn not_a_ledger(path: Option<&Path>, why: &str) -> Error {
    Error::NotALedger {
        path: path.map_or_else(|| "内存数据库".into(), |p| p.display().to_string()),
        why: why.into(),
    }
}

/// Whether a `-wal` file lies beside `path` (an empty main file may have its pages there).
fn wal_beside(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// A ledger: its `meta` table names this PC's device.
fn is_ledger(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'device_id')",
        [],
        |r| r.get::<_, bool>(0),
    )
    .unwrap_or(false)
}

/// A ledger whose creation stopped before its first migration was committed: marked as ours,
/// nothing else in it.
fn unfinished_ledger(conn: &Connection, version: i64) -> bool {
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap_or(0);
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap_or(1);
    version == 0 && id == APPLICATION_ID && objects == 0
}

/// SQLite's online backup of `conn` to `dest`, the file (and a folder made for it) private.
/// A file made for a backup that then fails is removed.
/// What a backup being written is named after (`周五.db.写入中-1234`): a kill leaves such a
/// file, never a half-written one under the backup's name (see `autobackup` for the clean-up).
pub(crate) const PARTIAL_MARK: &str = ".写入中-";

/// Write the backup under a temporary name beside `dest`, then rename it into place: a kill
/// or a full disk leaves the old file (or none), never a half-written backup under its name.
fn backup_private(conn: &Connection, dest: &Path) -> Result<()> {
    crate::private_files::create_parent(dest)?;
    let mut partial = dest.as_os_str().to_owned();
    partial.push(format!("{PARTIAL_MARK}{}", std::process::id()));
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    crate::private_files::create_new(&partial)?;
    let written = conn
        .backup(
            rusqlite::MAIN_DB,
            &partial,
            None::<fn(rusqlite::backup::Progress)>,
        )
        .map_err(Error::from)
        .and_then(|()| {
            // The copy is complete on disk before it takes the backup's name.
            std::fs::File::open(&partial)?.sync_all()?;
            std::fs::rename(&partial, dest)?;
            Ok(())
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

fn select_sql<T: Table>() -> String {
    format!(
        "SELECT id, created_at, updated_at, device_id, {} FROM {}",
        T::COLUMNS.join(", "),
        T::TABLE
    )
}

pub(crate) fn get<T: Table>(conn: &Connection, id: &Id) -> Result<T> {
    let sql = format!("{} WHERE id = ?1", select_sql::<T>());
    let rec = conn
        .prepare_cached(&sql)?
        .query_row([id], T::from_row)
        .optional()?;
    let mut rec = rec.ok_or_else(|| Error::not_found(T::LABEL, id))?;
    rec.load_children(conn)?;
    Ok(rec)
}

pub(crate) fn list<T: Table>(
    conn: &Connection,
    condition: &str,
    params: &[&dyn ToSql],
    order_by: &str,
) -> Result<Vec<T>> {
    let sql = format!(
        "{} WHERE {condition} ORDER BY {order_by}",
        select_sql::<T>()
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut out: Vec<T> = st
        .query_map(params, T::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    for r in &mut out {
        r.load_children(conn)?;
    }
    Ok(out)
}

pub(crate) fn setting<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let raw: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(raw.map(|s| serde_json::from_str(&s)).transpose()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Unit, UnitCategory};

    /// A bulk load long enough for the helper to sync the file still commits whole, and the
    /// connection gets its page cache back.
    #[test]
    fn a_long_bulk_load_is_synced_as_it_goes_and_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let mut s = Store::open(&path).unwrap();
        let cache =
            |c: &Connection| -> i64 { c.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap() };
        let before = BULK_SYNCS.load(std::sync::atomic::Ordering::Relaxed);
        let during = s
            .write_bulk_or_rollback(|tx| {
                for i in 0..3 {
                    tx.insert(Unit::new(format!("第{i}公司"), UnitCategory::Enterprise))?;
                    std::thread::sleep(BULK_SYNC_EVERY * 2);
                }
                Ok((cache(tx.conn()), true))
            })
            .unwrap();
        assert_eq!(during, -BULK_CACHE_KIB);
        assert!(BULK_SYNCS.load(std::sync::atomic::Ordering::Relaxed) > before);
        assert_eq!(cache(s.conn()), -CACHE_KIB);
        drop(s);
        assert_eq!(Store::open(&path).unwrap().count::<Unit>().unwrap(), 3);
    }
}
