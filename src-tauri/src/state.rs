//! The open ledger, kept behind a mutex in Tauri's state. Database work runs on a blocking
//! thread so the window never freezes.

use crate::error::{IpcError, IpcResult};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use taizhang::Store;

/// The ledger: the open store, or why it could not be opened (shown by the window).
pub struct Ledger {
    slot: Arc<Mutex<Result<Store, IpcError>>>,
    pub path: PathBuf,
}

/// The database file: `TAIZHANG_DB` if set (tests), else the CLI's default.
pub fn db_path() -> PathBuf {
    taizhang::api::db_path_from_env()
}

/// Open the store as the CLI does (created on the first start), the operator from
/// `TAIZHANG_OPERATOR`.
pub fn open_store(path: &std::path::Path) -> IpcResult<Store> {
    let operator = std::env::var("TAIZHANG_OPERATOR").ok();
    Ok(taizhang::api::open(path, true, operator.as_deref())?)
}

impl Ledger {
    pub fn open(path: PathBuf) -> Self {
        Ledger {
            slot: Arc::new(Mutex::new(open_store(&path))),
            path,
        }
    }

    /// Take the day's automatic backup (DESIGN.md §8) on a thread of its own, so the window
    /// opens at once; a failure is reported on stderr and never stops the app.
    pub fn auto_backup_in_background(&self) {
        let slot = self.slot.clone();
        std::thread::spawn(move || {
            let guard = slot.lock().unwrap_or_else(|p| p.into_inner());
            if let Ok(store) = guard.as_ref() {
                if let Err(e) = store.auto_backup_now_if_due() {
                    eprintln!("自动备份失败：{e}");
                }
            }
        });
    }

    /// Run `f` with the store on a blocking thread.
    pub async fn run<R, F>(&self, f: F) -> IpcResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Store) -> IpcResult<R> + Send + 'static,
    {
        let slot = self.slot.clone();
        tauri::async_runtime::spawn_blocking(move || {
            // A panic mid-write rolled its transaction back; the store is still usable.
            let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
            match guard.as_mut() {
                Ok(store) => f(store),
                Err(e) => Err(e.clone()),
            }
        })
        .await
        .map_err(|e| IpcError::internal(format!("后台任务异常：{e}")))?
    }
}
