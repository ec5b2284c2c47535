//! The exchange package file: a zip holding `manifest.json`, `changes.jsonl` (one change-log
//! entry per line, in the order the source PC applied them) and `photos/…`. The manifest
//! lists the SHA-256 of every other entry, and the zip comment — the file's last 64 bytes —
//! holds the SHA-256 of every byte before it. Any corrupted byte, a cut-short file or a future
//! format is refused before anything is applied.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

pub const FORMAT: &str = "taizhang-exchange";
/// Version of the package layout this program writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest package accepted (a city's full ledger with photos fits easily).
const MAX_PACKAGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

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

/// A package read and verified.
pub struct Package {
    pub manifest: Manifest,
    pub entries: Vec<Entry>,
    /// relative path under photos/ → bytes
    pub photos: Vec<(String, Vec<u8>)>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn zerr(e: impl std::fmt::Display) -> Error {
    Error::BadFile(format!("写入交换包失败：{e}"))
}

/// Write a package atomically: to a temporary file beside `out`, then renamed.
pub fn write(
    out: &Path,
    mut manifest: Manifest,
    entries: &[Entry],
    photos: &[(String, Vec<u8>)],
) -> Result<()> {
    let mut lines = Vec::new();
    for e in entries {
        serde_json::to_writer(&mut lines, e)?;
        lines.push(b'\n');
    }
    manifest.sha256.insert("changes.jsonl".into(), sha(&lines));
    for (name, bytes) in photos {
        manifest.sha256.insert(format!("photos/{name}"), sha(bytes));
    }
    let tmp = out.with_extension("tmp-package");
    {
        let file = crate::private_files::create(&tmp)?;
        let mut zip = zip::ZipWriter::new(file);
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("manifest.json", deflate).map_err(zerr)?;
        zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
        zip.start_file("changes.jsonl", deflate).map_err(zerr)?;
        zip.write_all(&lines)?;
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in photos {
            zip.start_file(format!("photos/{name}"), stored)
                .map_err(zerr)?;
            zip.write_all(bytes)?;
        }
        zip.set_comment("0".repeat(TRAILER));
        zip.finish().map_err(zerr)?;
    }
    // Seal: the comment becomes the SHA-256 of everything before it.
    let mut bytes = std::fs::read(&tmp)?;
    let body = bytes.len() - TRAILER;
    let seal = sha(&bytes[..body]);
    bytes[body..].copy_from_slice(seal.as_bytes());
    {
        let mut f = crate::private_files::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, out)?;
    Ok(())
}

/// Length of the seal at the end of the file: a hex SHA-256 in the zip comment.
const TRAILER: usize = 64;

/// Check the seal: the last 64 bytes are the SHA-256 of all the bytes before them.
fn check_seal(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path)?;
    if bytes.len() < TRAILER + 22 {
        return Err(corrupt("文件太短"));
    }
    let body = bytes.len() - TRAILER;
    if sha(&bytes[..body]).as_bytes() != &bytes[body..] {
        return Err(corrupt("整体校验和不符"));
    }
    Ok(())
}

fn corrupt(detail: impl std::fmt::Display) -> Error {
    Error::BadFile(format!(
        "交换包已损坏或不完整（{detail}），未导入任何数据：请让对方重新导出，或重新复制该文件"
    ))
}

fn read_entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str, limit: u64) -> Result<Vec<u8>> {
    let mut f = zip
        .by_name(name)
        .map_err(|_| corrupt(format!("缺少 {name}")))?;
    if f.size() > limit {
        return Err(corrupt(format!("{name} 过大")));
    }
    let mut buf = Vec::with_capacity(f.size() as usize);
    // Reading to the end checks the entry's CRC.
    f.read_to_end(&mut buf)
        .map_err(|e| corrupt(format!("{name}：{e}")))?;
    Ok(buf)
}

/// Open a package and verify it completely: structure, format and schema versions, and the
/// checksum of every part. Nothing is returned unless all of it is intact.
pub fn read(path: &Path, our_schema: i64) -> Result<Package> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::BadFile(format!(
            "无法打开交换包 {}：{}",
            path.display(),
            crate::error::io_meaning(&e)
        ))
    })?;
    if meta.len() > MAX_PACKAGE_BYTES {
        return Err(Error::BadFile("交换包超过 2 GB，已拒绝".into()));
    }
    check_seal(path)?;
    let file = std::fs::File::open(path)?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|_| corrupt("文件结构不完整，可能只复制了一部分"))?;
    let manifest_bytes = read_entry(&mut zip, "manifest.json", 64 * 1024 * 1024)?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| corrupt(format!("清单无法解析：{e}")))?;
    if manifest.format != FORMAT {
        return Err(Error::BadFile("这不是两新党建台账的交换包".into()));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(Error::BadFile(format!(
            "交换包格式为第 {} 版，本程序只支持到第 {FORMAT_VERSION} 版：请先升级两新党建台账",
            manifest.format_version
        )));
    }
    if manifest.schema_version > our_schema {
        return Err(Error::SchemaTooNew {
            found: manifest.schema_version,
            supported: our_schema,
        });
    }
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    for name in &names {
        if name != "manifest.json" && !manifest.sha256.contains_key(name) {
            return Err(corrupt(format!("多出未登记的文件 {name}")));
        }
    }
    let mut entries = Vec::new();
    let mut photos = Vec::new();
    for (name, expected) in &manifest.sha256 {
        let bytes = read_entry(&mut zip, name, MAX_PACKAGE_BYTES)?;
        if &sha(&bytes) != expected {
            return Err(corrupt(format!("{name} 校验和不符")));
        }
        if name == "changes.jsonl" {
            for (i, line) in bytes
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .enumerate()
            {
                entries.push(
                    serde_json::from_slice(line)
                        .map_err(|e| corrupt(format!("第 {} 条变更：{e}", i + 1)))?,
                );
            }
        } else if let Some(rel) = name.strip_prefix("photos/") {
            if rel.split('/').any(|p| p == ".." || p.is_empty()) {
                return Err(corrupt(format!("不安全的文件名 {name}")));
            }
            photos.push((rel.to_string(), bytes));
        }
    }
    if entries.len() != manifest.changes {
        return Err(corrupt(format!(
            "变更条数 {} 与清单中的 {} 不符",
            entries.len(),
            manifest.changes
        )));
    }
    Ok(Package {
        manifest,
        entries,
        photos,
    })
}
