//! Photos kept beside the database (`photos/` next to the ledger file). Records refer to a
//! photo by its name relative to that folder, so a ledger and its photos move together and
//! an exchange package carries them by the same name.

use super::Store;
use crate::error::{Error, Result};
use crate::model::Id;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Largest photo accepted: a phone's full-size picture is 3–8 MB; more is likely not a photo,
/// and every photo travels in exchange packages.
pub const MAX_PHOTO_BYTES: u64 = 20 * 1024 * 1024;

/// The picture formats a webview shows, by their first bytes (the extension alone can lie).
fn image_kind(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("gif")
    } else if head.starts_with(b"BM") {
        Some("bmp")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Whether a photo name stays inside the photo folder (no absolute paths, no `..`): names
/// come from records, which come from other PCs' packages.
pub fn safe_photo_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['/', '\\'])
        && !name.contains(':')
        && name
            .split(['/', '\\'])
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// The photo folder kept beside a backup file: `周五备份.db` → `周五备份-照片/`.
pub fn photos_beside(db_file: &Path) -> PathBuf {
    let stem = db_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "台账".into());
    db_file.with_file_name(format!("{stem}-照片"))
}

/// Copy every photo in `from` that `to` lacks (photo names are unique, so a file of the same
/// name and size is the same photo). Returns how many were copied. Copies and the folders
/// made for them are private (photos are personal data, see [`crate::private_files`]).
pub(crate) fn copy_missing_photos(from: &Path, to: &Path) -> Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    let mut copied = 0;
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if !kind.is_file() || name.ends_with(".part") {
                continue;
            }
            let dest = to.join(path.strip_prefix(from).unwrap_or(&path));
            let same = std::fs::metadata(&dest)
                .is_ok_and(|m| m.len() == entry.metadata().map_or(0, |e| e.len()));
            if !same {
                if let Some(parent) = dest.parent() {
                    crate::private_files::create_dir_all(parent)?;
                }
                crate::private_files::copy(&path, &dest)?;
                copied += 1;
            }
        }
    }
    Ok(copied)
}

impl Store {
    fn photo_dir(&self) -> Result<PathBuf> {
        self.media_dir()
            .ok_or_else(|| Error::Rule("内存中的台账不能保存照片".into()))
    }

    /// Copy a picture into the photo folder under a new name and return that name, to be
    /// stored in the record. The copy is written to a temporary file and renamed, so a full
    /// disk never leaves half a photo behind. Photo and folder are private (Unix).
    pub fn import_photo(&self, src: &Path) -> Result<String> {
        let shown = src.display();
        let size = std::fs::metadata(src)
            .map_err(|e| {
                Error::Rule(format!(
                    "无法读取照片 {shown}：{}",
                    crate::error::io_meaning(&e)
                ))
            })?
            .len();
        if size > MAX_PHOTO_BYTES {
            return Err(Error::Rule(format!(
                "照片 {shown} 有 {:.1} MB，超过 {} MB：请先压缩或换一张",
                size as f64 / 1048576.0,
                MAX_PHOTO_BYTES / 1048576
            )));
        }
        let bytes = std::fs::read(src).map_err(|e| {
            Error::Rule(format!(
                "无法读取照片 {shown}：{}",
                crate::error::io_meaning(&e)
            ))
        })?;
        let ext = image_kind(&bytes).ok_or_else(|| {
            Error::Rule(format!(
                "{shown} 不是可识别的图片：请选择 JPG、PNG、GIF、BMP 或 WebP 格式的照片"
            ))
        })?;
        let dir = self.photo_dir()?;
        crate::private_files::create_dir_all(&dir)?;
        let name = format!("{}.{ext}", Id::new());
        let tmp = dir.join(format!(".{name}.part"));
        let written = (|| {
            let mut f = crate::private_files::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, dir.join(&name))
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
        Ok(name)
    }

    /// Where a stored photo is, if its name is safe; the file may be missing (a record
    /// received without its photo).
    pub fn photo_path(&self, name: &str) -> Result<PathBuf> {
        if !safe_photo_name(name) {
            return Err(Error::Rule(format!("照片名“{name}”不安全，已拒绝")));
        }
        Ok(self.photo_dir()?.join(name))
    }

    /// The bytes of a stored photo.
    pub fn read_photo(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.photo_path(name)?;
        std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::Rule(format!("照片 {name} 不在本机（可能是交换时未随包带来）"))
            }
            _ => e.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn photos_are_copied_under_a_new_name_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("ledger.db")).unwrap();
        let src = dir.path().join("现场照片.PNG");
        std::fs::write(&src, PNG).unwrap();
        let name = store.import_photo(&src).unwrap();
        assert!(name.ends_with(".png"), "{name}");
        assert!(dir.path().join("photos").join(&name).is_file());
        assert_eq!(store.read_photo(&name).unwrap(), PNG);
        let again = store.import_photo(&src).unwrap();
        assert_ne!(name, again, "each copy has its own name");
        let leftovers = std::fs::read_dir(dir.path().join("photos"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".part")
            })
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn non_pictures_unsafe_names_and_missing_photos_are_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("ledger.db")).unwrap();
        let fake = dir.path().join("照片.jpg");
        std::fs::write(&fake, "这不是图片").unwrap();
        let err = store.import_photo(&fake).unwrap_err().to_string();
        assert!(err.contains("不是可识别的图片"), "{err}");
        let err = store
            .import_photo(&dir.path().join("没有.jpg"))
            .unwrap_err();
        assert!(err.to_string().contains("无法读取照片"), "{err}");
        for bad in ["../ledger.db", "/etc/passwd", "a/../../x", "C:\\x.jpg", ""] {
            assert!(store.read_photo(bad).is_err(), "{bad}");
            assert!(!safe_photo_name(bad), "{bad}");
        }
        assert!(safe_photo_name("2026/abc.jpg"));
        let err = store.read_photo("abc.jpg").unwrap_err().to_string();
        assert!(err.contains("不在本机"), "{err}");
        let big = dir.path().join("大图.jpg");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_PHOTO_BYTES + 1).unwrap();
        let err = store.import_photo(&big).unwrap_err().to_string();
        assert!(err.contains("超过 20 MB"), "{err}");
        let mem = Store::open_in_memory().unwrap();
        std::fs::write(&fake, PNG).unwrap();
        assert!(mem.import_photo(&fake).is_err());
    }
}
