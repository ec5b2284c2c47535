//! Build script: only our own commands get permissions (see capabilities/default.json).

const COMMANDS: &[&str] = &[
    "field_specs",
    "list_records",
    "get_record",
    "add_record",
    "update_record",
    "history",
    "org_tree",
    "checklists",
    "record_member_event",
    "member_events",
    "member_event_kinds",
    "applicant_path",
    "record_applicant_step",
    "applicant_stage_counts",
    "attendance_roster",
    "add_activity",
    "get_settings",
    "set_setting",
    "dictionary",
    "backup",
    "backup_contents",
    "excel_profiles",
    "import_excel",
    "save_errors_book",
    "export_excel",
    "annual_report",
    "excel_defaults",
    "open_folder",
    "load_demo",
    "dashboard",
    "app_status",
    "list_backups",
    "exchange_devices",
    "rename_this_pc",
    "export_package",
    "import_package",
    "list_conflicts",
    "resolve_conflict",
    "list_duplicates",
    "merge_duplicates",
    "rule_params",
    "set_rule_params",
    "save_checklist",
    "restore",
    "import_photo",
    "photo",
];

fn main() {
    let attrs = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        panic!("tauri-build failed: {e:#}");
    }
}
