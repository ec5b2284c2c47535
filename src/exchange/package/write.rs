//! Writing a package as a stream: entries go into the zip one at a time as they are read from
//! the change log, photos are copied from their files, and the checksums are computed on the
//! bytes as they pass. Only the seal needs the finished file; it is read back in chunks.

use super::{hex, zerr, Entry, Manifest, TRAILER};
use crate::error::Result;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Deflate level of `changes.jsonl`. Level 1 compresses the JSON about as well as gzip -1
/// (the entries repeat field names and ids, which even the fastest level finds) and costs a
/// fraction of the default level 6's time, which was most of a big export (BENCHMARKS.md).
const CHANGES_LEVEL: i64 = 1;
/// Buffer between the zip writer and the file, and for reading photos and the seal.
const CHUNK: usize = 256 * 1024;

/// A package being written, to a temporary file beside its destination: [`finish`] seals it
/// and renames it into place, so a package is never seen half written. Dropped unfinished (an
/// error on the way), the temporary file is removed.
///
/// Order: every [`entry`] first, then the photos, then [`finish`] with the manifest.
///
/// [`finish`]: PackageWriter::finish
/// [`entry`]: PackageWriter::entry
pub struct PackageWriter {
    zip: Option<zip::ZipWriter<BufWriter<File>>>,
    tmp: PathBuf,
    out: PathBuf,
    /// SHA-256 of `changes.jsonl` so far; `None` until it is started.
    changes: Option<Sha256>,
    /// Parts written after `changes.jsonl` (photos), with their checksums.
    parts: BTreeMap<String, String>,
    line: Vec<u8>,
    entries: usize,
}

impl PackageWriter {
    pub fn create(out: &Path) -> Result<PackageWriter> {
        let tmp = out.with_extension("tmp-package");
        let file = crate::private_files::create(&tmp)?;
        Ok(PackageWriter {
            zip: Some(zip::ZipWriter::new(BufWriter::with_capacity(CHUNK, file))),
            tmp,
            out: out.to_path_buf(),
            changes: None,
            parts: BTreeMap::new(),
            line: Vec::new(),
            entries: 0,
        })
    }

    fn zip(&mut self) -> &mut zip::ZipWriter<BufWriter<File>> {
        self.zip
            .as_mut()
            .expect("the zip is only taken by finish, which consumes the writer")
    }

    /// Start `changes.jsonl` unless it is: every package has one, empty if nothing changed.
    fn start_changes(&mut self) -> Result<&mut Sha256> {
        if self.changes.is_none() {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(CHANGES_LEVEL))
                // A city's change log can pass 4 GiB as text: zip64 sizes from the start,
                // since the size is only known at the end.
                .large_file(true);
            self.zip()
                .start_file("changes.jsonl", options)
                .map_err(zerr)?;
            self.changes = Some(Sha256::new());
        }
        Ok(self.changes.as_mut().expect("just started"))
    }

    /// Append one change-log entry (a line of JSON).
    pub fn entry(&mut self, e: &Entry) -> Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        serde_json::to_writer(&mut line, e)?;
        let written = self.entry_line(&line);
        self.line = line;
        written
    }

    /// Append one change-log entry already written as JSON: one object, on one line, with the
    /// fields of an [`Entry`] (the export copies the log's JSON columns into it as they are).
    pub fn entry_line(&mut self, json: &[u8]) -> Result<()> {
        if !self.parts.is_empty() {
            return Err(zerr("变更记录须写在照片之前"));
        }
        if json.contains(&b'\n') {
            return Err(zerr("一条变更须写在一行之内"));
        }
        let sha = self.start_changes()?;
        sha.update(json);
        sha.update(b"\n");
        let zip = self.zip();
        zip.write_all(json)?;
        zip.write_all(b"\n")?;
        self.entries += 1;
        Ok(())
    }

    /// Entries written so far.
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// Add a photo under `photos/`, stored as it is (photos do not compress), copied from
    /// `data` in chunks.
    pub fn photo(&mut self, name: &str, data: &mut dyn Read) -> Result<()> {
        self.start_changes()?;
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(false);
        let part = format!("photos/{name}");
        self.zip().start_file(part.as_str(), stored).map_err(zerr)?;
        let mut sha = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = data.read(&mut buf)?;
            if n == 0 {
                break;
            }
            sha.update(&buf[..n]);
            self.zip().write_all(&buf[..n])?;
        }
        self.parts.insert(part, hex(&sha.finalize()));
        Ok(())
    }

    /// Write the manifest (its checksums filled in), seal the file and move it into place.
    pub fn finish(mut self, mut manifest: Manifest) -> Result<()> {
        let changes = std::mem::take(self.start_changes()?);
        manifest
            .sha256
            .insert("changes.jsonl".into(), hex(&changes.finalize()));
        manifest.sha256.extend(std::mem::take(&mut self.parts));
        let mut zip = self.zip.take().expect("finish runs once");
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("manifest.json", deflate).map_err(zerr)?;
        zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
        // A placeholder the seal replaces: the comment is the file's last bytes.
        zip.set_comment("0".repeat(TRAILER));
        let file = zip
            .finish()
            .map_err(zerr)?
            .into_inner()
            .map_err(|e| zerr(e.error()))?;
        seal(&self.tmp, file)?;
        std::fs::rename(&self.tmp, &self.out)?;
        // Renamed: nothing left for Drop to remove.
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for PackageWriter {
    fn drop(&mut self) {
        // Close the file first (Windows cannot remove an open file).
        self.zip = None;
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Replace the placeholder comment by the SHA-256 of every byte before it, read back in
/// chunks through a second handle (the file was just written: it comes from the page cache),
/// then sync the file.
fn seal(path: &Path, mut file: File) -> Result<()> {
    let len = file.seek(SeekFrom::End(0))?;
    let body = len - TRAILER as u64;
    let mut sha = Sha256::new();
    let copied = std::io::copy(
        &mut std::io::BufReader::with_capacity(CHUNK, File::open(path)?).take(body),
        &mut HashWriter(&mut sha),
    )?;
    if copied != body {
        return Err(zerr("文件比写入的短"));
    }
    file.seek(SeekFrom::Start(body))?;
    file.write_all(hex(&sha.finalize()).as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// A writer that only hashes what it is given.
pub(super) struct HashWriter<'a>(pub(super) &'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
