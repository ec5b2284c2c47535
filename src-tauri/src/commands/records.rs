//! Generic record commands over every record type: field tables, list, get, add, update,
//! history and the org tree (`taizhang::api::records`, shared with the CLI).

use super::parse_id;
use crate::error::IpcResult;
use crate::state::Ledger;
use std::collections::BTreeMap;
use taizhang::api::records::{
    self, FieldSpecOut, ListOptions, OrgNode, Page, RecordOut, UpdateOut,
};
use taizhang::store::ChangeEntry;
use tauri::State;

#[tauri::command]
pub async fn field_specs(state: State<'_, Ledger>, entity: String) -> IpcResult<Vec<FieldSpecOut>> {
    state
        .run(move |s| Ok(records::field_specs(s, &entity)?))
        .await
}

// The window sends each option as its own argument (all but `entity` optional).
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn list_records(
    state: State<'_, Ledger>,
    entity: String,
    filters: Option<BTreeMap<String, String>>,
    search: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    sort: Option<String>,
    descending: Option<bool>,
) -> IpcResult<Page> {
    let opts = ListOptions {
        filters: filters.unwrap_or_default().into_iter().collect(),
        search,
        limit,
        offset: offset.unwrap_or(0),
        sort,
        descending: descending.unwrap_or(false),
    };
    state
        .run(move |s| Ok(records::list(s, &entity, &opts)?))
        .await
}

#[tauri::command]
pub async fn get_record(
    state: State<'_, Ledger>,
    entity: String,
    id: String,
) -> IpcResult<RecordOut> {
    state
        .run(move |s| Ok(records::get(s, &entity, &parse_id(&id)?)?))
        .await
}

#[tauri::command]
pub async fn add_record(
    state: State<'_, Ledger>,
    entity: String,
    fields: BTreeMap<String, String>,
) -> IpcResult<RecordOut> {
    let fields: Vec<(String, String)> = fields.into_iter().collect();
    state
        .run(move |s| Ok(records::add(s, &entity, &fields)?))
        .await
}

#[tauri::command]
pub async fn update_record(
    state: State<'_, Ledger>,
    entity: String,
    id: String,
    fields: BTreeMap<String, String>,
) -> IpcResult<UpdateOut> {
    let fields: Vec<(String, String)> = fields.into_iter().collect();
    state
        .run(move |s| Ok(records::update(s, &entity, &parse_id(&id)?, &fields)?))
        .await
}

/// A record's change log (its own entries and those of records it parents).
#[tauri::command]
pub async fn history(state: State<'_, Ledger>, id: String) -> IpcResult<Vec<ChangeEntry>> {
    state.run(move |s| Ok(s.history(&parse_id(&id)?)?)).await
}

/// Every org with its parent, for the 隶属关系 tree.
#[tauri::command]
pub async fn org_tree(state: State<'_, Ledger>) -> IpcResult<Vec<OrgNode>> {
    state.run(|s| Ok(records::org_tree(s)?)).await
}
