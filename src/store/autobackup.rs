//! Automatic backups: the desktop app copies the ledger into the `备份` folder beside it once
//! a day (when opened) and keeps the last few, so a secretary who never backs up still has
//! yesterday's ledger. The 恢复前 copies a restore makes live in the same folder.

use super::Store;
use crate::error::Result;
use chrono::{Duration, Local, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Settings key of [`AutoBackupParams`].
pub const AUTO_BACKUP_KEY: &str = "auto_backup";

const AUTO_PREFIX: &str = "自动备份-";
const BEFORE_RESTORE_PREFIX: &str = "恢复前-";
const STAMP: &str = "%Y%m%d-%H%M%S";

/// How often, and how many automatic backups are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoBackupParams {
    /// Take one when the newest is at least this many hours old. Default 24 (once a day);
    /// 0 switches automatic backups off.
    pub every_hours: i64,
    /// How many automatic backups to keep (the oldest go first). Default 7: a week of days.
    pub keep: usize,
}

impl Default for AutoBackupParams {
    fn default() -> Self {
        AutoBackupParams {
            every_hours: 24,
            keep: 7,
        }
    }
}

/// A backup file in the `备份` folder.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct BackupFile {
    pub path: String,
    /// When it was taken (from its name), e.g. 2026-11-22 08:30:00.
    pub taken_at: String,
    /// 自动备份 or 恢复前
    pub kind: &'static str,
    pub bytes: u64,
}

fn parse_name(name: &str) -> Option<(&'static str, NaiveDateTime)> {
    let stem = name.strip_suffix(".db")?;
    let (kind, rest) = if let Some(r) = stem.strip_prefix(AUTO_PREFIX) {
        ("自动备份", r)
    } else {
        ("恢复前", stem.strip_prefix(BEFORE_RESTORE_PREFIX)?)
    };
    Some((kind, NaiveDateTime::parse_from_str(rest, STAMP).ok()?))
}

/// The name of a backup taken at `at`.
pub(crate) fn backup_name(prefix_before_restore: bool, at: NaiveDateTime) -> String {
    let prefix = if prefix_before_restore {
        BEFORE_RESTORE_PREFIX
    } else {
        AUTO_PREFIX
    };
    format!("{prefix}{}.db", at.format(STAMP))
}

fn list_in(dir: &Path) -> Result<Vec<(BackupFile, NaiveDateTime)>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((kind, at)) = parse_name(&name) {
            out.push((
                BackupFile {
                    path: entry.path().display().to_string(),
                    taken_at: at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    kind,
                    bytes: entry.metadata()?.len(),
                },
                at,
            ));
        }
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.1));
    Ok(out)
}

/// A backup being written for longer than this was abandoned (its writer was killed).
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Remove what killed backups left in the 备份 folder (see `store::PARTIAL_MARK`); a backup
/// another process is writing right now is younger and stays.
fn remove_abandoned(dir: &Path, now: std::time::SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let partial = entry
            .file_name()
            .to_string_lossy()
            .contains(super::PARTIAL_MARK);
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > ABANDONED_AFTER);
        if partial && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Store {
    /// The `备份` folder beside the database (None for an in-memory ledger).
    pub fn backups_dir(&self) -> Option<PathBuf> {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.join("备份"))
    }

    /// The backups in the `备份` folder, newest first.
    pub fn list_backups(&self) -> Result<Vec<BackupFile>> {
        match self.backups_dir() {
            Some(dir) => Ok(list_in(&dir)?.into_iter().map(|(f, _)| f).collect()),
            None => Ok(Vec::new()),
        }
    }

    /// Take an automatic backup if the newest is older than the setting says (or there is
    /// none), then drop the oldest beyond the number kept. Returns the new backup's path.
    pub fn auto_backup_if_due(&self, now: NaiveDateTime) -> Result<Option<String>> {
        let params: AutoBackupParams = self.setting(AUTO_BACKUP_KEY)?.unwrap_or_default();
        let Some(dir) = self.backups_dir() else {
            return Ok(None);
        };
        if params.every_hours <= 0 {
            return Ok(None);
        }
        remove_abandoned(&dir, std::time::SystemTime::now());
        let autos: Vec<_> = list_in(&dir)?
            .into_iter()
            .filter(|(f, _)| f.kind == "自动备份")
            .collect();
        let due = autos
            .first()
            .is_none_or(|(_, at)| now - *at >= Duration::hours(params.every_hours));
        if !due {
            return Ok(None);
        }
        let dest = dir.join(backup_name(false, now));
        self.backup_to(&dest)?;
        // the one just taken is the newest: keep it and the next keep-1
        for (old, _) in autos.iter().skip(params.keep.max(1).saturating_sub(1)) {
            let _ = std::fs::remove_file(&old.path);
        }
        Ok(Some(dest.display().to_string()))
    }

    /// [`auto_backup_if_due`](Self::auto_backup_if_due) at the local time now.
    pub fn auto_backup_now_if_due(&self) -> Result<Option<String>> {
        self.auto_backup_if_due(Local::now().naive_local())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fields, Unit, UnitCategory};

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    #[test]
    fn what_a_killed_backup_left_is_cleared_away() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join("恢复前-20261121-080000.db.写入中-4242");
        let mine = dir.path().join("周五.db.写入中-17");
        let other = dir.path().join("周五.db");
        for f in [&left, &mine, &other] {
            std::fs::write(f, b"x").unwrap();
        }
        let later = std::time::SystemTime::now() + ABANDONED_AFTER * 2;
        remove_abandoned(dir.path(), std::time::SystemTime::now());
        assert!(
            left.exists() && mine.exists(),
            "a backup being written stays"
        );
        remove_abandoned(dir.path(), later);
        assert!(!left.exists() && !mine.exists());
        assert!(other.exists(), "only partial files go");
    }

    #[test]
    fn one_a_day_and_only_the_last_week_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
        s.insert(Unit {
            name: "恒达机械".into(),
            category: UnitCategory::Enterprise,
            ..Fields::blank()
        })
        .unwrap();
        assert!(s.auto_backup_if_due(at(1, 8)).unwrap().is_some());
        assert!(
            s.auto_backup_if_due(at(1, 20)).unwrap().is_none(),
            "12 hours later: not yet"
        );
        for day in 2..=10 {
            assert!(s.auto_backup_if_due(at(day, 8)).unwrap().is_some());
        }
        let kept = s.list_backups().unwrap();
        assert_eq!(kept.len(), 7);
        assert_eq!(kept[0].taken_at, "2026-11-10 08:00:00");
        assert_eq!(kept[6].taken_at, "2026-11-04 08:00:00");
        assert!(kept.iter().all(|b| b.kind == "自动备份" && b.bytes > 0));
        // a backup is a whole ledger
        let copy = Store::open(&kept[0].path).unwrap();
        assert_eq!(copy.count::<Unit>().unwrap(), 1);
    }

    #[test]
    fn the_setting_changes_the_rhythm_and_can_switch_it_off() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
        s.set_setting(
            AUTO_BACKUP_KEY,
            serde_json::json!({"every_hours": 1, "keep": 2}),
        )
        .unwrap();
        for hour in 1..=5 {
            assert!(s.auto_backup_if_due(at(1, hour)).unwrap().is_some());
        }
        assert_eq!(s.list_backups().unwrap().len(), 2);
        s.set_setting(AUTO_BACKUP_KEY, serde_json::json!({"every_hours": 0}))
            .unwrap();
        assert!(s.auto_backup_if_due(at(3, 1)).unwrap().is_none());
        assert!(Store::open_in_memory()
            .unwrap()
            .auto_backup_if_due(at(1, 1))
            .unwrap()
            .is_none());
    }

    #[test]
    fn restore_copies_are_listed_beside_automatic_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
        s.auto_backup_if_due(at(1, 8)).unwrap();
        let bak = dir.path().join("u.db");
        s.backup_to(&bak).unwrap();
        s.restore_from(&bak).unwrap();
        let kinds: Vec<&str> = s.list_backups().unwrap().iter().map(|b| b.kind).collect();
        assert!(
            kinds.contains(&"恢复前") && kinds.contains(&"自动备份"),
            "{kinds:?}"
        );
    }
}
