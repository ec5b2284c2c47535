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
    #[error("{path} 不是两新党建台账的数据库：{why}。这个文件未做任何改动；请检查数据库路径（--db 参数或 TAIZHANG_DB 环境变量）是否写错")]
    NotALedger { path: String, why: String },

    /// The ledger's schema version is one no version of the app writes (negative, or 0 in a
    /// ledger that has tables): the file was changed by something else.
    #[error("数据库的版本号 {found} 无效（本程序支持 1 至 {supported}）：文件可能被其他程序改动过或已损坏，请从备份恢复")]
    SchemaInvalid { found: i64, supported: i64 },

    /// An Excel or other input file that cannot be read as it is (corrupt, encrypted, too large …).
    #[error("{0}")]
    BadFile(String),

    #[error("数据库错误：{0}")]
    Db(#[from] rusqlite::Error),

    #[error("文件读写错误：{0}")]
    Io(#[from] std::io::Error),

    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),
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
