//! 照片: copy a picture the user chose into the photo folder beside the database, and hand a
//! stored photo's bytes to the window (shown from a blob, so no file access is granted).

use crate::error::{IpcError, IpcResult};
use crate::state::Ledger;
use tauri::ipc::Response;
use tauri::State;

/// Copy the picture at `path` into the ledger's photo folder; returns the name to store in
/// the record.
#[tauri::command]
pub async fn import_photo(state: State<'_, Ledger>, path: String) -> IpcResult<String> {
    if path.trim().is_empty() {
        return Err(IpcError::input("请选择照片"));
    }
    state
        .run(move |s| Ok(s.import_photo(std::path::Path::new(&path))?))
        .await
}

/// A stored photo's bytes (the window makes an image of them; its type is from the name).
#[tauri::command]
pub async fn photo(state: State<'_, Ledger>, name: String) -> IpcResult<Response> {
    state
        .run(move |s| Ok(Response::new(s.read_photo(&name)?)))
        .await
}
