//! Typed errors of the core. Every variant carries a Chinese message fit to show a user;
//! `code()` gives a stable machine code for the UI and the CLI's JSON output.

use crate::model::validate::FieldErrors;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// One or more fields of a record are invalid; all of them are listed.
    #[error("{0}")]
    Validation(FieldErrors),

    /// A record that should exist does not.
    #[error("找不到{entity}：{id}")]
    NotFound { entity: &'static str, id: String },

    /// The operation is not allowed in the record's current state (e.g. 转正 of a 正式党员).
    #[error("{0}")]
    Rule(String),

    /// The database was written by a newer version of the app.
    #[error("数据库版本为 {found}，高于本程序支持的版本 {supported}：请升级两新党建台账后再打开")]
    SchemaTooNew { found: i64, supported: i64 },

    /// No ledger at the path given (a command other than `taizhang init` never creates one).
    #[error("找不到台账数据库 {path}：如要在这里新建台账，请先运行 taizhang init；如已有台账，请检查数据库路径（--db 参数或 TAIZHANG_DB 环境变量）是否写错")]
    NoLedger { path: String },

    /// The file at the ledger's path is something else (empty, another program's database …):
    /// it is left as it is.
    #[error("{path} 不是两新党建台账的数据库：{why}。这个文件未做任何改动；请把它移走或改名后重新打开程序，或检查台账文件的位置是否写错（命令行用 --db 参数或 TAIZHANG_DB 环境变量指定）")]
    NotALedger { path: String, why: String },

    /// The ledger's schema version is one no version of the app writes (negative, or 0 in a
    /// ledger that has tables): the file was changed by something else.
    #[error("数据库的版本号 {found} 无效（本程序支持 1 至 {supported}）：文件可能被其他程序改动过或已损坏，请从备份恢复")]
    SchemaInvalid { found: i64, supported: i64 },

    /// A file would be replaced that the person did not agree to replace.
    #[error("文件“{path}”已存在：要替换它吗？（命令行加 --force 替换）")]
    Exists { path: String },

    /// An Excel or other input file that cannot be read as it is (corrupt, encrypted, too large …).
    #[error("{0}")]
    BadFile(String),

    #[error("{}", db_message(.0))]
    Db(#[from] rusqlite::Error),

    #[error("{}", io_message(.0))]
    Io(#[from] std::io::Error),

    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),
}

/// What a database error means to a person, and what to do. SQLite's own words (English)
/// follow in brackets only where no plain meaning is known.
fn db_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    let rusqlite::Error::SqliteFailure(failure, detail) = e else {
        return format!("数据库错误：{e}");
    };
    let detail = detail.as_deref().unwrap_or("");
    match failure.code {
        C::DatabaseBusy | C::DatabaseLocked => {
            "台账正被另一个程序写入（例如另一个窗口或命令正在导入），请稍后再试".into()
        }
        C::ReadOnly => "台账文件是只读的，或所在的文件夹不允许写入：请检查文件和文件夹的权限，或把台账复制到可以写入的位置后再打开".into(),
        C::NotADatabase | C::DatabaseCorrupt => {
            "台账数据库文件已损坏：请从“备份”文件夹中的备份恢复".into()
        }
        C::DiskFull => "磁盘已满，没有写入：请清理磁盘空间后再试".into(),
        C::CannotOpen => "无法打开台账数据库文件：请检查路径是否存在、是否有权限".into(),
        C::PermissionDenied => "没有权限读写台账数据库文件：请检查文件权限".into(),
        C::SystemIoFailure => {
            "读写台账文件时出错（磁盘或 U 盘可能已拔出）：请检查存储设备后再试".into()
        }
        C::ConstraintViolation if detail.contains("FOREIGN KEY") => {
            "数据引用了台账中不存在的记录，未写入".into()
        }
        C::ConstraintViolation if detail.contains("UNIQUE") => {
            "与台账中已有的记录重复，未写入".into()
        }
        _ => format!("数据库错误：{e}"),
    }
}

fn io_message(e: &std::io::Error) -> String {
    format!("文件读写错误：{}", io_meaning(e))
}

/// What a file error means to a person, for a message that names the file (the kinds people
/// meet; others keep the system's words).
pub(crate) fn io_meaning(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "找不到这个文件或文件夹",
        K::PermissionDenied => "没有权限读写这个文件或文件夹",
        K::AlreadyExists => "文件已存在",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中的某一段不是文件夹",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘或 U 盘是只读的",
        K::UnexpectedEof | K::InvalidData => "文件内容不完整或已损坏",
        _ => return e.to_string(),
    };
    what.to_string()
}

impl Error {
    /// Stable code for the UI (`{code, message}`) and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::NotFound { .. } => "not_found",
            Error::Rule(_) => "rule",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::NoLedger { .. } => "no_ledger",
            Error::NotALedger { .. } => "not_a_ledger",
            Error::SchemaInvalid { .. } => "schema_invalid",
            Error::Exists { .. } => "exists",
            Error::BadFile(_) => "bad_file",
            Error::Db(_) => "database",
            Error::Io(_) => "io",
            Error::Json(_) => "format",
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }
}

impl From<FieldErrors> for Error {
    fn from(e: FieldErrors) -> Self {
        Error::Validation(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: std::os::raw::c_int, detail: &str) -> Error {
        Error::Db(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            Some(detail.into()),
        ))
    }

    /// The errors a person meets speak Chinese and say what to do.
    #[test]
    fn database_and_file_errors_are_said_plainly() {
        let busy = sqlite(rusqlite::ffi::SQLITE_BUSY, "database is locked").to_string();
        assert!(
            busy.contains("正被另一个程序写入") && !busy.contains("locked"),
            "{busy}"
        );
        let ro = sqlite(
            rusqlite::ffi::SQLITE_READONLY,
            "attempt to write a readonly database",
        );
        assert!(ro.to_string().contains("只读"), "{ro}");
        assert!(!ro.to_string().contains("attempt"));
        let fk = sqlite(
            rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY,
            "FOREIGN KEY constraint failed",
        );
        assert!(fk.to_string().contains("不存在的记录"), "{fk}");
        let bad = sqlite(rusqlite::ffi::SQLITE_NOTADB, "file is not a database");
        assert!(bad.to_string().contains("已损坏"), "{bad}");
        let gone = Error::Io(std::io::Error::from(std::io::ErrorKind::NotFound)).to_string();
        assert_eq!(gone, "文件读写错误：找不到这个文件或文件夹");
        let dir = Error::Io(std::io::Error::from_raw_os_error(21)).to_string();
        assert!(!dir.contains("os error"), "{dir}");
    }
}
