//! Files that hold personal information — the ledger, its backups, exchange packages, Excel
//! exports and errors workbooks — are created readable by their owner only on Unix (files
//! 0600, folders 0700), whatever the process umask. A library must not change the umask, so
//! the mode is given to each file and folder as it is created. Other platforms keep their
//! defaults (a Windows user's profile folders are private already).
//!
//! SQLite creates a ledger's `-wal` and `-shm` files itself, with the mode of the database
//! file: a ledger created here gets private ones too (tests/private_files.rs checks it).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Mode of a file created here (Unix).
pub const FILE_MODE: u32 = 0o600;
/// Mode of a folder created here (Unix).
pub const DIR_MODE: u32 = 0o700;

/// Create `dir` and any missing parents, each new one private. Folders that exist keep their
/// mode (a user's Documents folder is not ours to change).
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)
}

/// Create the parent folder of `path` if it is missing (private, see [`create_dir_all`]).
pub fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) => create_dir_all(dir),
        None => Ok(()),
    }
}

fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(FILE_MODE);
    }
    o
}

/// Make an existing file private (a file written over keeps its old mode otherwise).
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Open `path` for writing, emptied, as [`File::create`] does — but a new file is private,
/// and a file written over is made private.
pub fn create(path: &Path) -> io::Result<File> {
    let f = options().create(true).truncate(true).open(path)?;
    restrict(path)?;
    Ok(f)
}

/// Create `path`, which must not exist yet, empty and private.
pub fn create_new(path: &Path) -> io::Result<File> {
    options().create_new(true).open(path)
}

/// Make sure `path` exists and is private without changing what it holds: for files another
/// writer then fills in place (SQLite's backup, a workbook saved over its path), so they are
/// never readable by others, not even while being written.
pub fn prepare(path: &Path) -> io::Result<()> {
    options().create(true).truncate(false).open(path)?;
    restrict(path)
}

/// Copy a file as [`std::fs::copy`] does, the copy private.
pub fn copy(from: &Path, to: &Path) -> io::Result<u64> {
    let mut src = File::open(from)?;
    let mut dest = create(to)?;
    io::copy(&mut src, &mut dest)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_and_folders_are_private_and_existing_folders_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        let deep = open.join("a").join("b");
        create_dir_all(&deep).unwrap();
        assert_eq!(mode(&open), 0o755);
        assert_eq!(mode(&open.join("a")), DIR_MODE);
        assert_eq!(mode(&deep), DIR_MODE);

        let f = deep.join("f");
        std::fs::write(&f, "old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        prepare(&f).unwrap();
        assert_eq!(
            (mode(&f), std::fs::read(&f).unwrap()),
            (FILE_MODE, b"old".to_vec())
        );
        create(&f).unwrap();
        assert_eq!((mode(&f), std::fs::read(&f).unwrap().len()), (FILE_MODE, 0));
        let g = deep.join("g");
        create_new(&g).unwrap();
        assert_eq!(mode(&g), FILE_MODE);
        assert!(create_new(&g).is_err());
        let h = deep.join("h");
        std::fs::write(&f, "data").unwrap();
        copy(&f, &h).unwrap();
        assert_eq!(
            (mode(&h), std::fs::read(&h).unwrap()),
            (FILE_MODE, b"data".to_vec())
        );
    }
}
