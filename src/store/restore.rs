//! Restoring a backup: the ledger is replaced by a backup file, after the current one has
//! been saved beside it, so a wrong choice can be undone by restoring that copy.

use super::autobackup::backup_name;
use super::media::{copy_missing_photos, photos_beside};
use super::{migrate, now_string, schema_version, Store, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::model::Id;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::path::Path;

/// What a restore did.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Restored {
    /// Where the ledger as it was before the restore was saved (None for an in-memory ledger).
    pub previous_saved_to: Option<String>,
    /// The backup's database version (older backups are upgraded).
    pub backup_version: i64,
    /// This PC's new device id: changes made after a restore must not reuse the numbers
    /// of changes made (and perhaps sent) after the backup was taken.
    pub device_id: String,
    /// Photos brought back from the backup's photo folder (those this PC lacked).
    pub photos: usize,
}

/// What a backup wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BackedUp {
    pub path: String,
    /// The photo folder beside the backup file, when the ledger has photos.
    pub photos_dir: Option<String>,
    /// Photos copied this time (a repeated backup to the same place copies only new ones).
    pub photos: usize,
}

/// What a ledger file holds, for a person to see before a backup replaces the open ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Contents {
    pub units: i64,
    pub orgs: i64,
    pub members: i64,
    pub activities: i64,
    /// When its last change was made (the change log's time), if it has any.
    pub last_change: Option<String>,
}

impl Contents {
    fn of(conn: &Connection) -> Result<Contents> {
        let count = |table: &str| -> Result<i64> {
            Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(Contents {
            units: count("unit")?,
            orgs: count("org")?,
            members: count("member")?,
            activities: count("activity")?,
            last_change: conn.query_row("SELECT max(at) FROM change_log", [], |r| r.get(0))?,
        })
    }

    /// 「3 个单位、2 个党组织、15 名党员、40 次组织生活，最后修改于 …」
    pub fn describe(&self) -> String {
        let last = self
            .last_change
            .as_deref()
            .map(|t| {
                format!(
                    "，最后修改于 {}",
                    t.get(..16).unwrap_or(t).replace('T', " ")
                )
            })
            .unwrap_or_default();
        format!(
            "{} 个单位、{} 个党组织、{} 名党员、{} 次组织生活{last}",
            self.units, self.orgs, self.members, self.activities
        )
    }
}

/// What the backup at `src` holds (checked as for a restore, nothing changed).
pub fn backup_contents(src: &Path) -> Result<Contents> {
    check_backup(src)?;
    let conn = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_backup(src, e))?;
    Contents::of(&conn).map_err(|_| not_a_backup(src, "数据表不完整"))
}

fn not_a_backup(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::Rule(format!(
        "{} 不是可用的两新党建台账备份：{why}",
        path.display()
    ))
}

/// Check a backup file before anything is replaced: a readable, intact ledger database of a
/// version this program knows.
fn check_backup(src: &Path) -> Result<i64> {
    let conn = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_backup(src, e))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|_| not_a_backup(src, "文件不是数据库或已损坏"))?;
    if check != "ok" {
        return Err(not_a_backup(src, format!("数据库已损坏（{check}）")));
    }
    let device: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|_| not_a_backup(src, "不是本程序的数据库"))?;
    if device.is_none() {
        return Err(not_a_backup(src, "不是本程序的数据库"));
    }
    let version = schema_version(&conn)?;
    super::check_version(version, false)?; // negative or 0: not restorable
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

impl Store {
    /// Back up the database to `dest` (SQLite's online backup: consistent while the app
    /// writes) and the photos to the folder beside it (`备份-照片/`).
    ///
    /// An existing file at `dest` is replaced only with `replace` (the person agreed).
    pub fn backup(&self, dest: &Path, replace: bool) -> Result<BackedUp> {
        if !replace && dest.exists() {
            return Err(Error::Exists {
                path: dest.display().to_string(),
            });
        }
        self.backup_to(dest)?;
        let photos_dir = photos_beside(dest);
        let (photos, has_photos) = match self.media_dir().filter(|d| d.is_dir()) {
            Some(media) => (copy_missing_photos(&media, &photos_dir)?, true),
            None => (0, false),
        };
        Ok(BackedUp {
            path: dest.display().to_string(),
            photos_dir: has_photos.then(|| photos_dir.display().to_string()),
            photos,
        })
    }

    /// Replace this ledger with the backup at `src`. The current ledger is first saved as
    /// `恢复前-<time>.db` in a `备份` folder beside the database; an older backup is upgraded;
    /// this PC then writes under a new device id.
    /// What this ledger holds (to compare with a backup before restoring it).
    pub fn contents(&self) -> Result<Contents> {
        Contents::of(&self.conn)
    }

    pub fn restore_from(&mut self, src: &Path) -> Result<Restored> {
        let backup_version = check_backup(src)?;
        let previous = match self.backups_dir() {
            Some(dir) => {
                let dest = dir.join(backup_name(true, chrono::Local::now().naive_local()));
                self.backup_to(&dest)?;
                Some(dest.display().to_string())
            }
            None => None,
        };
        self.conn.restore(
            rusqlite::MAIN_DB,
            src,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        migrate(&mut self.conn, &now_string())?;
        let device_id = Id::new().to_string();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'device_id'",
            [&device_id],
        )?;
        tx.execute("UPDATE meta SET value = '0' WHERE key = 'device_seq'", [])?;
        let name = tx
            .query_row(
                "SELECT name FROM device WHERE id = ?1",
                [&self.session.device_id],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .unwrap_or_else(|| "本机".into());
        let now = now_string();
        tx.execute(
            "INSERT INTO device(id, name, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)",
            rusqlite::params![device_id, name, now],
        )?;
        tx.commit()?;
        self.session.device_id = device_id.clone();
        // Photos are never deleted: the restored records find theirs, old or new.
        let photos = match self.media_dir() {
            Some(media) => copy_missing_photos(&photos_beside(src), &media)?,
            None => 0,
        };
        Ok(Restored {
            previous_saved_to: previous,
            backup_version,
            device_id,
            photos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Unit, UnitCategory};

    fn unit(name: &str) -> Unit {
        Unit {
            name: name.into(),
            category: UnitCategory::Enterprise,
            ..crate::model::Fields::blank()
        }
    }

    /// A backup never silently replaces a file, is written whole under its name or not at
    /// all (no partial file is left beside it), and says what it holds.
    #[test]
    fn backups_replace_only_when_asked_and_say_what_they_hold() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
        s.insert(unit("甲公司")).unwrap();
        let bak = dir.path().join("周五.db");
        std::fs::write(&bak, b"someone else's file").unwrap();
        let err = s.backup(&bak, false).unwrap_err();
        assert_eq!(err.code(), "exists");
        assert_eq!(std::fs::read(&bak).unwrap(), b"someone else's file");
        s.backup(&bak, true).unwrap();
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("写入中"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        s.insert(unit("乙公司")).unwrap();
        let held = backup_contents(&bak).unwrap();
        assert_eq!((held.units, held.members), (1, 0));
        assert_eq!(s.contents().unwrap().units, 2);
        assert!(
            held.describe().starts_with("1 个单位、0 个党组织"),
            "{}",
            held.describe()
        );
        assert!(backup_contents(&dir.path().join("没有.db")).is_err());
    }

    #[test]
    fn restore_replaces_the_ledger_keeps_the_old_one_and_takes_a_new_device_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
        s.insert(unit("恒达机械")).unwrap();
        let bak = dir.path().join("周五备份.db");
        s.backup_to(&bak).unwrap();
        s.insert(unit("备份后新增的单位")).unwrap();
        let old_device = s.session().device_id.clone();

        let r = s.restore_from(&bak).unwrap();
        let names: Vec<String> = s
            .list::<Unit>("1", &[], "name")
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["恒达机械"]);
        assert_ne!(r.device_id, old_device);
        assert_eq!(s.session().device_id, r.device_id);
        // the ledger as it was is kept, with the unit added after the backup
        let saved = Store::open(r.previous_saved_to.as_deref().unwrap()).unwrap();
        assert_eq!(saved.count::<Unit>().unwrap(), 2);
        // new changes are numbered from 1 under the new device id
        let u = s.insert(unit("恢复后新增")).unwrap();
        let (dev, seq): (String, i64) = s
            .conn()
            .query_row(
                "SELECT device_id, device_seq FROM change_log WHERE record_id = ?1",
                [u.meta.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((dev, seq), (r.device_id.clone(), 1));
        // and the restore survives reopening
        drop(s);
        let s = Store::open(dir.path().join("ledger.db")).unwrap();
        assert_eq!(s.session().device_id, r.device_id);
        assert_eq!(s.count::<Unit>().unwrap(), 2);
    }

    #[test]
    fn photos_go_into_the_backup_and_come_back_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("pc").join("ledger.db")).unwrap();
        let pic = dir.path().join("现场.png");
        std::fs::write(&pic, b"\x89PNG\r\n\x1a\n....").unwrap();
        let name = s.import_photo(&pic).unwrap();
        let bak = dir.path().join("u盘").join("周五备份.db");
        let b = s.backup(&bak, true).unwrap();
        assert_eq!(b.photos, 1);
        let copied = dir.path().join("u盘").join("周五备份-照片").join(&name);
        assert!(copied.is_file());
        assert_eq!(
            s.backup(&bak, true).unwrap().photos,
            0,
            "only new photos are copied again"
        );

        // the PC loses its photos; restoring the backup brings them back
        std::fs::remove_dir_all(s.media_dir().unwrap()).unwrap();
        let r = s.restore_from(&bak).unwrap();
        assert_eq!(r.photos, 1);
        assert!(s.read_photo(&name).is_ok());
    }

    #[test]
    fn a_file_that_is_not_a_backup_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
        s.insert(unit("恒达机械")).unwrap();
        let text = dir.path().join("名单.xlsx");
        std::fs::write(&text, "PK not a database at all").unwrap();
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        for bad in [text, other, dir.path().join("missing.db")] {
            let err = s.restore_from(&bad).unwrap_err().to_string();
            assert!(err.contains("不是可用的两新党建台账备份"), "{err}");
        }
        assert_eq!(s.count::<Unit>().unwrap(), 1);
        assert!(
            !dir.path().join("备份").exists(),
            "nothing saved, nothing replaced"
        );
    }
}
