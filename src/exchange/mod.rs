//! Moving data between PCs as files (DESIGN.md §7): exchange packages, a lossless field-level
//! merge that never depends on clocks, conflicts left for a person, duplicate records found
//! across PCs and merged on request.

mod apply;
pub mod conflicts;
pub mod devices;
pub mod duplicates;
mod export;
pub mod package;

pub use apply::MergeSummary;
pub use export::{export_package, ExportOptions, ExportSummary, Scope};

use crate::error::{Error, Result};
use crate::store::SCHEMA_VERSION;
use crate::Store;
use rusqlite::params;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(rename = "PackageIn")]
pub struct ImportSummary {
    pub package_id: String,
    pub source_device: String,
    pub source_name: String,
    #[serde(flatten)]
    pub merge: MergeSummary,
    pub dry_run: bool,
}

/// Highest device_seq this PC holds of each device.
pub fn known_versions(store: &Store) -> Result<BTreeMap<String, i64>> {
    let mut st = store
        .conn()
        .prepare("SELECT device_id, max(device_seq) FROM change_log GROUP BY device_id")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Verify a package without importing it: the whole file, every part and every entry (one at
/// a time: a city's package is verified in bounded memory).
pub fn verify(path: &Path) -> Result<package::Manifest> {
    let mut reader = package::PackageReader::open(path, SCHEMA_VERSION)?;
    for e in reader.entries()? {
        e?;
    }
    Ok(reader.manifest)
}

/// Import a package: verify it (the seal over the whole file, then each part), check that the
/// earlier packages it builds on were imported, then merge it in one transaction (or, with
/// `dry_run`, report what would happen). Importing the same package again changes nothing.
///
/// The change log is read and applied one entry at a time, so memory stays bounded whatever
/// the package's size; its own checksum and count are checked after its last entry, before
/// the commit: a package that fails them leaves the ledger as it was.
pub fn import_package(store: &mut Store, path: &Path, dry_run: bool) -> Result<ImportSummary> {
    let mut reader = package::PackageReader::open(path, SCHEMA_VERSION)?;
    let m = reader.manifest.clone();
    let known = known_versions(store)?;
    let missing: Vec<String> = m
        .requires
        .iter()
        .filter(|(d, seq)| known.get(*d).copied().unwrap_or(0) < **seq)
        .map(|(d, seq)| format!("设备 {} 的前 {seq} 条变更", &d[..8.min(d.len())]))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Rule(format!(
            "这个交换包接着“{}”之前发来的包，本机还缺少：{}。请先导入之前的交换包，或请对方用 --all 重新导出全部数据",
            m.source_name,
            missing.join("、")
        )));
    }
    let mut merge = MergeSummary {
        entries: m.changes,
        ..Default::default()
    };
    let merge = store.write_bulk_or_rollback(|tx| {
        // Entries come in the order the source applied them; references may point forward
        // within the package until the end of the transaction.
        tx.conn().execute_batch("PRAGMA defer_foreign_keys = ON")?;
        merge.any_open = tx.conn().query_row("SELECT EXISTS (SELECT 1 FROM conflict WHERE resolved_at IS NULL)", [], |r| r.get(0))?;
        // Origin devices of the entries: a handful, however many entries.
        let mut devices: BTreeSet<String> = BTreeSet::new();
        // One entry at a time, straight from the package. (Parsing on a second thread was
        // tried: no faster on two cores, the merge's SQLite work being the critical path, and
        // three times the memory — BENCHMARKS.md.)
        for e in reader.entries()? {
            let inc = apply::Incoming::new(e?)?;
            apply::apply_entry(tx, &inc, &mut merge)?;
            if !devices.contains(&inc.entry.device_id) {
                devices.insert(inc.entry.device_id);
            }
        }
        apply::count_open(tx, &mut merge)?;
        let now = tx.now().to_string();
        tx.conn().execute(
            "INSERT INTO device(id, name, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen",
            params![m.source_device, m.source_name, now],
        )?;
        for d in &devices {
            tx.conn().execute(
                "INSERT OR IGNORE INTO device(id, name, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)",
                params![d, format!("设备 {}", &d[..8.min(d.len())]), now],
            )?;
        }
        tx.conn().execute(
            "INSERT OR IGNORE INTO exchange_log(id, direction, peer_device, at, summary) VALUES (?1, 'import', ?2, ?3, ?4)",
            params![m.package_id, m.source_device, now, serde_json::to_string(&merge)?],
        )?;
        Ok((merge.clone(), !dry_run))
    })?;
    let mut merge = merge;
    if !dry_run {
        if let Some(dir) = store.media_dir() {
            merge.photos = copy_photos(&mut reader, &dir)?;
        }
    }
    Ok(ImportSummary {
        package_id: m.package_id,
        source_device: m.source_device,
        source_name: m.source_name,
        merge,
        dry_run,
    })
}

/// Copy the package's photos this PC does not have into the photo folder, each through a
/// temporary file renamed into place, so a copy cut short is not taken for the photo later.
fn copy_photos(reader: &mut package::PackageReader, dir: &Path) -> Result<usize> {
    let mut copied = 0;
    reader.each_photo(|rel, data| {
        let dest = dir.join(rel);
        if dest.exists() {
            return Ok(());
        }
        if let Some(parent) = dest.parent() {
            crate::private_files::create_dir_all(parent)?;
        }
        let mut tmp_name = dest.clone().into_os_string();
        tmp_name.push(".tmp-photo");
        let tmp = std::path::PathBuf::from(tmp_name);
        let written = std::io::copy(data, &mut crate::private_files::create(&tmp)?)
            .and_then(|_| std::fs::rename(&tmp, &dest));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
        copied += 1;
        Ok(())
    })?;
    Ok(copied)
}
