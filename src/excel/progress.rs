//! Progress of a long import or export, for a progress bar.

use serde::Serialize;
use std::sync::Arc;

/// What a long import or export is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// 读取: opening the file and finding the table (import); loading records (export).
    Read,
    /// 校验: checking rows without writing them (a dry run).
    Check,
    /// 写入: checking and writing rows (import); writing the workbook (export).
    Write,
}

impl Phase {
    /// The phase as the window shows it.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Read => "读取",
            Phase::Check => "校验",
            Phase::Write => "写入",
        }
    }
}

/// One report: `done` of `total` rows. While an .xlsx is still being read, `total` is what the
/// sheet declares (its used range), so it can shrink; the last report of a phase has
/// `done == total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

/// Called with each report (at most about every 1,000 rows), possibly from another thread.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// How often, in rows, progress is reported.
pub(super) const EVERY: usize = 1000;

/// Report through an optional callback.
pub(super) fn report(f: &Option<ProgressFn>, phase: Phase, done: usize, total: usize) {
    if let Some(f) = f {
        f(Progress {
            phase,
            done,
            total: total.max(done),
        });
    }
}

/// Formats an optional callback in a `Debug` of the options that hold it.
pub(super) fn debug_fn(f: &Option<ProgressFn>) -> &'static str {
    if f.is_some() {
        "Some(<progress>)"
    } else {
        "None"
    }
}
