//! The exchange package file: a zip holding `manifest.json`, `changes.jsonl` (one change-log
//! entry per line, in the order the source PC applied them) and `photos/…`. The manifest
//! lists the SHA-256 of every other entry, and the zip comment — the file's last 64 bytes —
//! holds the SHA-256 of every byte before it. Any corrupted byte, a cut-short file or a future
//! format is refused before anything is applied.
//!
//! Packages are written and read as streams ([`PackageWriter`], [`PackageReader`]): a city's
//! ledger is hundreds of thousands of entries, and neither side ever holds more than one entry
//! (and one photo's buffer) in memory. The zip entries may come in any order (readers look
//! them up by name): a streamed package writes `changes.jsonl` first and the manifest, which
//! needs its counts and checksums, last.

mod read;
mod write;

pub use read::{Entries, PackageReader};
pub use write::PackageWriter;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

pub const FORMAT: &str = "taizhang-exchange";
/// Version of the package layout this program writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest package accepted (a city's full ledger with photos fits easily).
const MAX_PACKAGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Length of the seal at the end of the file: a hex SHA-256 in the zip comment.
const TRAILER: usize = 64;

/// One change-log entry as it travels.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub id: String,
    pub device_id: String,
    pub device_seq: i64,
    pub actor: String,
    pub at: String,
    pub entity: String,
    pub record_id: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    pub op: crate::store::Op,
    pub changes: Map<String, Value>,
    /// field → versions ("device:seq") the change was based on
    #[serde(default)]
    pub bases: BTreeMap<String, Vec<String>>,
}

impl Entry {
    /// This entry's version string.
    pub fn version(&self) -> String {
        format!("{}:{}", self.device_id, self.device_seq)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub package_id: String,
    pub schema_version: i64,
    pub source_device: String,
    pub source_name: String,
    /// Device id of the destination, or "all".
    pub destination: String,
    /// e.g. "all", "org:<id>", "area:城关镇"
    pub scope: String,
    pub created_at: String,
    /// Entries of each origin device this package assumes the destination already has
    /// (from earlier packages of this source): device → highest device_seq.
    pub requires: BTreeMap<String, i64>,
    /// Entries carried, per origin device: [lowest, highest] device_seq.
    pub range: BTreeMap<String, (i64, i64)>,
    pub changes: usize,
    pub records: usize,
    pub photos: usize,
    /// SHA-256 (hex) of every other file in the package.
    pub sha256: BTreeMap<String, String>,
}

/// A package read and verified, held in memory (tests and small tools; the import streams).
pub struct Package {
    pub manifest: Manifest,
    pub entries: Vec<Entry>,
    /// relative path under photos/ → bytes
    pub photos: Vec<(String, Vec<u8>)>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn zerr(e: impl std::fmt::Display) -> Error {
    Error::BadFile(format!("写入交换包失败：{e}"))
}

fn corrupt(detail: impl std::fmt::Display) -> Error {
    Error::BadFile(format!(
        "交换包已损坏或不完整（{detail}），未导入任何数据：请让对方重新导出，或重新复制该文件"
    ))
}

/// Write a package of entries and photos held in memory, atomically (see [`PackageWriter`]).
pub fn write(
    out: &Path,
    manifest: Manifest,
    entries: &[Entry],
    photos: &[(String, Vec<u8>)],
) -> Result<()> {
    let mut w = PackageWriter::create(out)?;
    for e in entries {
        w.entry(e)?;
    }
    for (name, bytes) in photos {
        w.photo(name, &mut &bytes[..])?;
    }
    w.finish(manifest)
}

/// Open a package, verify it completely (structure, format and schema versions, the checksum
/// of every part) and read it into memory. Nothing is returned unless all of it is intact.
pub fn read(path: &Path, our_schema: i64) -> Result<Package> {
    let mut reader = PackageReader::open(path, our_schema)?;
    let entries = reader.entries()?.collect::<Result<Vec<_>>>()?;
    let mut photos = Vec::new();
    reader.each_photo(|rel, data| {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(data, &mut bytes)?;
        photos.push((rel.to_string(), bytes));
        Ok(())
    })?;
    Ok(Package {
        manifest: reader.manifest,
        entries,
        photos,
    })
}
