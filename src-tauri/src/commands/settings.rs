//! 设置: operator (操作人, recorded in the change log), 填报单位, dictionaries, rule
//! parameters, checklist definitions, backup and restore.

use crate::error::{IpcError, IpcResult};
use crate::state::Ledger;
use serde::Serialize;
use serde_json::{json, Map, Value};
use taizhang::api::backups::{restore_choice, RestoreChoice};
use taizhang::model::{Checklist, ChecklistItem};
use taizhang::rules::param_info::{params_view, ParamsView};
use taizhang::rules::params::set_params;
use taizhang::store::{BackedUp, BackupFile, Restored, REPORT_UNIT_KEY, SCHEMA_VERSION};
use tauri::State;

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(rename = "Settings")]
pub struct SettingsOut {
    pub operator: String,
    pub reporting_unit: Option<String>,
    pub db_path: String,
    pub device_id: String,
    pub schema_version: i64,
    pub today: String,
}

#[tauri::command]
pub async fn get_settings(state: State<'_, Ledger>) -> IpcResult<SettingsOut> {
    let path = state.path.display().to_string();
    state
        .run(move |s| {
            Ok(SettingsOut {
                operator: s.session().operator.clone(),
                reporting_unit: s.setting(REPORT_UNIT_KEY)?,
                db_path: path,
                device_id: s.session().device_id.clone(),
                schema_version: SCHEMA_VERSION,
                today: s.today().to_string(),
            })
        })
        .await
}

#[tauri::command]
pub async fn set_setting(state: State<'_, Ledger>, key: String, value: String) -> IpcResult<()> {
    state
        .run(move |s| Ok(taizhang::api::settings::set(s, &key, Value::String(value))?))
        .await
}

/// The open dictionaries (民族, 学历, 组建方式 …): name → [{value, synonyms}].
#[tauri::command]
pub async fn dictionary(state: State<'_, Ledger>, name: Option<String>) -> IpcResult<Value> {
    state
        .run(move |s| {
            let names = match name {
                Some(n) => vec![n],
                None => s.dictionaries()?,
            };
            let mut all = Map::new();
            for n in names {
                let values = s.dictionary(&n)?;
                all.insert(
                    n,
                    json!(values
                        .iter()
                        .map(|(v, syn)| json!({"value": v, "synonyms": syn}))
                        .collect::<Vec<_>>()),
                );
            }
            Ok(Value::Object(all))
        })
        .await
}

/// Copy the database to `dest` (chosen by the user in a save dialog, which has already asked
/// before replacing a file) with SQLite's backup API, and the photos to the folder beside it.
#[tauri::command]
pub async fn backup(state: State<'_, Ledger>, dest: String) -> IpcResult<BackedUp> {
    if dest.trim().is_empty() {
        return Err(IpcError::input("请选择备份文件的位置"));
    }
    state
        .run(move |s| Ok(s.backup(std::path::Path::new(&dest), true)?))
        .await
}

/// What a backup holds beside what the open ledger holds, to show before restoring it.
#[tauri::command]
pub async fn backup_contents(state: State<'_, Ledger>, src: String) -> IpcResult<RestoreChoice> {
    state
        .run(move |s| Ok(restore_choice(s, std::path::Path::new(&src))?))
        .await
}

/// The rule parameters: what each means, the values in force and the defaults.
#[tauri::command]
pub async fn rule_params(state: State<'_, Ledger>) -> IpcResult<ParamsView> {
    state.run(|s| Ok(params_view(s)?)).await
}

/// Replace the rule parameters (only those that differ from the defaults need be sent);
/// refused whole, naming the parameter, when a value makes no sense.
#[tauri::command]
pub async fn set_rule_params(state: State<'_, Ledger>, values: Value) -> IpcResult<ParamsView> {
    state
        .run(move |s| {
            set_params(s, values)?;
            Ok(params_view(s)?)
        })
        .await
}

/// Every checklist definition, each code's versions newest first.
#[tauri::command]
pub async fn checklists(state: State<'_, Ledger>) -> IpcResult<Vec<Checklist>> {
    state.run(|s| Ok(s.checklists()?)).await
}

/// Save a checklist definition as its next version.
#[tauri::command]
pub async fn save_checklist(
    state: State<'_, Ledger>,
    code: String,
    name: String,
    source: Option<String>,
    items: Vec<ChecklistItem>,
) -> IpcResult<Checklist> {
    if code.trim().is_empty() || name.trim().is_empty() {
        return Err(IpcError::input("请填写检查表的代码和名称"));
    }
    state
        .run(move |s| Ok(s.save_checklist_version(&code, &name, source, items)?))
        .await
}

/// The backups in the 备份 folder beside the database (automatic ones and the copies kept
/// before each restore), newest first.
#[tauri::command]
pub async fn list_backups(state: State<'_, Ledger>) -> IpcResult<Vec<BackupFile>> {
    state.run(|s| Ok(s.list_backups()?)).await
}

/// Replace the ledger with a backup file (the current one is saved beside the database first).
#[tauri::command]
pub async fn restore(state: State<'_, Ledger>, src: String) -> IpcResult<Restored> {
    if src.trim().is_empty() {
        return Err(IpcError::input("请选择要恢复的备份文件"));
    }
    state
        .run(move |s| Ok(s.restore_from(std::path::Path::new(&src))?))
        .await
}
