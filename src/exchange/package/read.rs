//! Reading a package as a stream. Opening it checks everything that can be checked without
//! reading the change log: the seal over the whole file (so any damaged byte is found before
//! anything is applied), the manifest, the versions, and every photo's checksum. The entries
//! are then parsed one line at a time; the change log's own checksum and count are checked
//! when its last line has been read, and a mismatch is an error the importer sees before it
//! commits (the merge is one transaction: nothing is written).

use super::write::HashWriter;
use super::{corrupt, hex, Entry, Manifest, FORMAT, FORMAT_VERSION, MAX_PACKAGE_BYTES, TRAILER};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Largest manifest accepted (it lists a checksum per photo; a few KiB in practice).
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
/// Largest `changes.jsonl`, uncompressed. It is streamed, so this bounds time, not memory:
/// ~30 times the largest package file, more than the change log of any ledger that fits in one.
const MAX_CHANGES_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// Longest line of `changes.jsonl`, the one entry held in memory at a time. A record's
/// structured fields are bounded at 1,000,000 characters each (model/specs), and an entry
/// carries a handful of them (old and new values); real entries are a few hundred bytes.
const MAX_LINE: u64 = 64 * 1024 * 1024;
/// Read buffer for the file and the change log.
const CHUNK: usize = 256 * 1024;

/// A package opened and verified up to its change log (see the module's comment).
pub struct PackageReader {
    pub manifest: Manifest,
    zip: zip::ZipArchive<File>,
}

impl PackageReader {
    pub fn open(path: &Path, our_schema: i64) -> Result<PackageReader> {
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
        check_seal(path, meta.len())?;
        let file = File::open(path)?;
        let mut zip = zip::ZipArchive::new(file)
            .map_err(|_| corrupt("文件结构不完整，可能只复制了一部分"))?;
        let manifest_bytes = read_small(&mut zip, "manifest.json")?;
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
        // Every part but the change log is checked now; the change log as it is read.
        for (name, expected) in &manifest.sha256 {
            let mut f = zip
                .by_name(name)
                .map_err(|_| corrupt(format!("缺少 {name}")))?;
            let limit = if name == "changes.jsonl" {
                MAX_CHANGES_BYTES
            } else {
                MAX_PACKAGE_BYTES
            };
            if f.size() > limit {
                return Err(corrupt(format!("{name} 过大")));
            }
            if name == "changes.jsonl" {
                continue;
            }
            let mut sha = Sha256::new();
            // Reading to the end checks the part's CRC too.
            std::io::copy(&mut f, &mut HashWriter(&mut sha))
                .map_err(|e| corrupt(format!("{name}：{e}")))?;
            if &hex(&sha.finalize()) != expected {
                return Err(corrupt(format!("{name} 校验和不符")));
            }
            if let Some(rel) = name.strip_prefix("photos/") {
                if !safe_name(rel) {
                    return Err(corrupt(format!("不安全的文件名 {name}")));
                }
            }
        }
        Ok(PackageReader { manifest, zip })
    }

    /// The change-log entries, in order, parsed one at a time. The last item is an error if
    /// the change log's checksum or count disagrees with the manifest: read to the end before
    /// relying on what was read.
    pub fn entries(&mut self) -> Result<Entries<'_>> {
        let expected = self.manifest.sha256.get("changes.jsonl").cloned();
        let file = match expected {
            Some(_) => Some(BufReader::with_capacity(
                CHUNK,
                self.zip
                    .by_name("changes.jsonl")
                    .map_err(|_| corrupt("缺少 changes.jsonl"))?,
            )),
            None => None,
        };
        Ok(Entries {
            file,
            expected,
            count: self.manifest.changes,
            sha: Sha256::new(),
            bytes: 0,
            n: 0,
            line: Vec::new(),
            done: false,
        })
    }

    /// Each photo (its path under photos/ and its bytes as a stream), in the manifest's order.
    /// Their checksums were verified when the package was opened.
    pub fn each_photo(
        &mut self,
        mut f: impl FnMut(&str, &mut dyn Read) -> Result<()>,
    ) -> Result<()> {
        let names: Vec<String> = self
            .manifest
            .sha256
            .keys()
            .filter(|n| n.starts_with("photos/"))
            .cloned()
            .collect();
        for name in names {
            let mut part = self
                .zip
                .by_name(&name)
                .map_err(|_| corrupt(format!("缺少 {name}")))?;
            f(&name["photos/".len()..], &mut part)?;
        }
        Ok(())
    }
}

fn safe_name(rel: &str) -> bool {
    !rel.split('/').any(|p| p == ".." || p.is_empty())
}

/// Check the seal: the last 64 bytes are the SHA-256 of all the bytes before them (read in
/// chunks: a city's package is hundreds of MB).
fn check_seal(path: &Path, len: u64) -> Result<()> {
    if len < (TRAILER + 22) as u64 {
        return Err(corrupt("文件太短"));
    }
    let body = len - TRAILER as u64;
    let mut file = BufReader::with_capacity(CHUNK, File::open(path)?);
    let mut sha = Sha256::new();
    let copied = std::io::copy(&mut (&mut file).take(body), &mut HashWriter(&mut sha))?;
    let mut seal = [0u8; TRAILER];
    if copied != body || file.read_exact(&mut seal).is_err() {
        return Err(corrupt("文件在读取时变短了"));
    }
    if hex(&sha.finalize()).as_bytes() != seal {
        return Err(corrupt("整体校验和不符"));
    }
    Ok(())
}

fn read_small(zip: &mut zip::ZipArchive<File>, name: &str) -> Result<Vec<u8>> {
    let mut f = zip
        .by_name(name)
        .map_err(|_| corrupt(format!("缺少 {name}")))?;
    if f.size() > MAX_MANIFEST_BYTES {
        return Err(corrupt(format!("{name} 过大")));
    }
    let mut buf = Vec::with_capacity(f.size() as usize);
    // Reading to the end checks the entry's CRC.
    f.read_to_end(&mut buf)
        .map_err(|e| corrupt(format!("{name}：{e}")))?;
    Ok(buf)
}

/// The entries of `changes.jsonl` as they are read (see [`PackageReader::entries`]).
pub struct Entries<'a> {
    file: Option<BufReader<zip::read::ZipFile<'a, File>>>,
    expected: Option<String>,
    count: usize,
    sha: Sha256,
    bytes: u64,
    n: usize,
    line: Vec<u8>,
    done: bool,
}

impl Entries<'_> {
    fn next_entry(&mut self) -> Result<Option<Entry>> {
        let Some(file) = self.file.as_mut() else {
            return self.end().map(|_| None);
        };
        loop {
            self.line.clear();
            let read = Read::by_ref(file)
                .take(MAX_LINE)
                .read_until(b'\n', &mut self.line)
                .map_err(|e| corrupt(format!("changes.jsonl：{e}")))?;
            if read == 0 {
                return self.end().map(|_| None);
            }
            if read as u64 == MAX_LINE && self.line.last() != Some(&b'\n') {
                return Err(corrupt(format!("第 {} 条变更过长", self.n + 1)));
            }
            self.bytes += read as u64;
            if self.bytes > MAX_CHANGES_BYTES {
                return Err(corrupt("changes.jsonl 过大"));
            }
            self.sha.update(&self.line);
            let body = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
            // Blank lines carry nothing (as the whole-file reader always skipped them).
            if body.is_empty() {
                continue;
            }
            self.n += 1;
            return serde_json::from_slice(body)
                .map(Some)
                .map_err(|e| corrupt(format!("第 {} 条变更：{e}", self.n)));
        }
    }

    /// At the end of the change log: its checksum and count against the manifest.
    fn end(&mut self) -> Result<()> {
        if let Some(expected) = &self.expected {
            if &hex(&std::mem::take(&mut self.sha).finalize()) != expected {
                return Err(corrupt("changes.jsonl 校验和不符"));
            }
        }
        if self.n != self.count {
            return Err(corrupt(format!(
                "变更条数 {} 与清单中的 {} 不符",
                self.n, self.count
            )));
        }
        Ok(())
    }
}

impl Iterator for Entries<'_> {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        if self.done {
            return None;
        }
        let next = self.next_entry();
        // After the end or an error, nothing more: the error is reported once.
        if !matches!(next, Ok(Some(_))) {
            self.done = true;
        }
        next.transpose()
    }
}
