//! Opening a ledger file (issue 20): `Store::open` creates a missing ledger,
//! `Store::open_existing` refuses one; both refuse — and leave as they are — an empty file,
//! another program's SQLite database and a schema version no version of the app writes.

mod common;
use common::*;
use rusqlite::Connection;
use taizhang::model::*;
use taizhang::store::{APPLICATION_ID, SCHEMA_VERSION};
use taizhang::{Error, Store};

#[test]
fn open_existing_refuses_a_missing_ledger_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo").join("ledger.db");
    let err = Store::open_existing(&path).err().expect("must refuse");
    assert!(matches!(err, Error::NoLedger { .. }), "{err:?}");
    assert_eq!(err.code(), "no_ledger");
    let text = err.to_string();
    assert!(
        text.contains(&path.display().to_string()) && text.contains("taizhang init"),
        "{text}"
    );
    assert!(!dir.path().join("typo").exists());
    let here = dir.path().join("ledger.db");
    assert!(Store::open_existing(&here).is_err());
    assert!(!here.exists());
    // `open` creates it (folder and all), marked as a ledger; then open_existing opens it.
    let s = Store::open(&path).unwrap();
    let id: i32 = s
        .conn()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, APPLICATION_ID);
    let device = s.session().device_id.clone();
    drop(s);
    let s = Store::open_existing(&path).unwrap();
    assert_eq!(s.session().device_id, device);
}

#[test]
fn an_empty_file_is_refused_and_left_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    std::fs::write(&path, b"").unwrap();
    for err in [
        Store::open(&path).err().expect("open must refuse"),
        Store::open_existing(&path)
            .err()
            .expect("open_existing must refuse"),
    ] {
        assert!(matches!(err, Error::NotALedger { .. }), "{err:?}");
        assert!(err.to_string().contains("0 字节"), "{err}");
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    // A folder is not a ledger either.
    let err = Store::open(dir.path()).err().expect("a folder");
    assert!(matches!(err, Error::NotALedger { .. }), "{err:?}");
}

/// Another program's database: refused by both, byte for byte unchanged — even one that
/// uses `user_version` itself, or has a `meta` table of its own.
#[test]
fn another_programs_database_is_refused_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sql) in [
        ("plain.db", "CREATE TABLE t(x); INSERT INTO t VALUES (1);"),
        (
            "versioned.db",
            "CREATE TABLE t(x); PRAGMA user_version = 1;",
        ),
        ("newer.db", "CREATE TABLE t(x); PRAGMA user_version = 99;"),
        (
            "meta.db",
            "CREATE TABLE meta(key, value); INSERT INTO meta VALUES ('k', 'v');",
        ),
        ("wal.db", "PRAGMA journal_mode = WAL; CREATE TABLE t(x);"),
        // an empty SQLite database some other tool made (a header, no tables)
        ("blank.db", "PRAGMA user_version = 0; VACUUM;"),
    ] {
        let path = dir.path().join(name);
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(sql).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        assert!(!before.is_empty(), "{name}");
        for err in [
            Store::open(&path).err().expect("open must refuse"),
            Store::open_existing(&path)
                .err()
                .expect("open_existing must refuse"),
        ] {
            assert!(matches!(err, Error::NotALedger { .. }), "{name}: {err:?}");
            assert!(
                err.to_string().contains("其他程序的数据库"),
                "{name}: {err}"
            );
        }
        assert_eq!(std::fs::read(&path).unwrap(), before, "{name} changed");
    }
}

#[test]
fn a_bogus_schema_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.insert(Unit::new("甲公司", UnitCategory::Enterprise))
            .unwrap();
    }
    for bogus in [-1_i64, -7, 0] {
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", bogus)
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        for err in [
            Store::open(&path).err().expect("open must refuse"),
            Store::open_existing(&path)
                .err()
                .expect("open_existing must refuse"),
        ] {
            assert!(
                matches!(err, Error::SchemaInvalid { found, .. } if found == bogus),
                "{bogus}: {err:?}"
            );
            assert!(
                err.to_string().contains(&format!("版本号 {bogus} 无效")),
                "{err}"
            );
        }
        assert_eq!(std::fs::read(&path).unwrap(), before, "{bogus}: changed");
    }
    // Newer than this binary: refused as too new (as before).
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Store::open_existing(&path).err().expect("too new");
    assert!(matches!(err, Error::SchemaTooNew { .. }), "{err:?}");
    // The right version again: the ledger and its unit are there.
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION)
        .unwrap();
    assert_eq!(
        Store::open_existing(&path)
            .unwrap()
            .count::<Unit>()
            .unwrap(),
        1
    );
}

/// A ledger whose creation stopped before its first migration (marked as ours, nothing
/// else in it) is finished on the next opening rather than refused.
#[test]
fn a_ledger_whose_creation_was_cut_short_is_finished() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    let s = Store::open_existing(&path).unwrap();
    assert_eq!(
        taizhang::store::schema_version(s.conn()).unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn a_backup_with_a_bogus_version_is_not_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
    s.set_today(Some(today()));
    s.insert(Unit::new("甲公司", UnitCategory::Enterprise))
        .unwrap();
    let bak = dir.path().join("b.db");
    s.backup(&bak, false).unwrap();
    Connection::open(&bak)
        .unwrap()
        .pragma_update(None, "user_version", -1)
        .unwrap();
    s.insert(Unit::new("乙公司", UnitCategory::Enterprise))
        .unwrap();
    let err = s.restore_from(&bak).expect_err("must refuse");
    assert!(matches!(err, Error::SchemaInvalid { .. }), "{err:?}");
    assert_eq!(s.count::<Unit>().unwrap(), 2, "the ledger is as it was");
}
