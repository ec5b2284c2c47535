//! 两新党建台账 — the desktop shell. Commands are thin wrappers over the `taizhang` core;
//! no business logic lives here (DESIGN.md §3).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod state;
mod ui_types;

/// The same allocator as the CLI: per-cell allocations of big imports and exports (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use commands::{
    activities, applicants, dashboard, demo, exchange, members, photos, records, settings,
};

fn main() {
    let result = tauri::Builder::default()
        // First: a second start of the program (a double click on the icon again, a
        // shortcut) hands over to the running one, which brings its window forward, and
        // exits before it opens the ledger — two windows on one ledger would each write.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            bring_forward(app)
        }))
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            use tauri::Manager;
            let ledger = state::Ledger::open(state::db_path());
            ledger.auto_backup_in_background();
            app.manage(ledger);
            Ok(())
        })
        .manage(commands::excel::ExcelState::default())
        .invoke_handler(tauri::generate_handler![
            records::field_specs,
            records::list_records,
            records::get_record,
            records::add_record,
            records::update_record,
            records::history,
            records::org_tree,
            members::record_member_event,
            members::member_events,
            members::member_event_kinds,
            applicants::applicant_path,
            applicants::record_applicant_step,
            applicants::applicant_stage_counts,
            activities::attendance_roster,
            activities::add_activity,
            settings::get_settings,
            settings::set_setting,
            settings::dictionary,
            settings::backup,
            settings::backup_contents,
            settings::checklists,
            settings::save_checklist,
            settings::rule_params,
            settings::set_rule_params,
            settings::restore,
            settings::list_backups,
            commands::excel::excel_profiles,
            commands::excel::import_excel,
            commands::excel::save_errors_book,
            commands::excel::export_excel,
            commands::excel::annual_report,
            commands::excel::excel_defaults,
            commands::excel::open_folder,
            demo::load_demo,
            dashboard::dashboard,
            photos::import_photo,
            photos::photo,
            exchange::exchange_devices,
            exchange::rename_this_pc,
            exchange::export_package,
            exchange::import_package,
            exchange::list_conflicts,
            exchange::resolve_conflict,
            exchange::list_duplicates,
            exchange::merge_duplicates,
            app_status,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("两新党建台账无法启动：{e}");
        std::process::exit(1);
    }
}

/// What the window learns at start: the ledger's path, whether it is empty, who works.
#[derive(Debug, serde::Serialize, ts_rs::TS)]
pub struct AppStatus {
    pub db_path: String,
    pub empty: bool,
    pub operator: String,
}

/// Show the main window, restored and focused (another start of the program asked for it).
fn bring_forward(app: &tauri::AppHandle) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Whether the ledger opened; if not, why (shown by the window instead of a blank screen).
#[tauri::command]
async fn app_status(state: tauri::State<'_, state::Ledger>) -> error::IpcResult<AppStatus> {
    let path = state.path.display().to_string();
    state
        .run(move |s| {
            Ok(AppStatus {
                db_path: path,
                empty: s.count::<taizhang::model::Unit>()? == 0
                    && s.count::<taizhang::model::Member>()? == 0,
                operator: s.session().operator.clone(),
            })
        })
        .await
}
