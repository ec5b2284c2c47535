//! The window's TypeScript types for what the shell itself sends
//! (ui/src/api/generated/shell.ts), generated from these Rust types like the core's
//! (`taizhang::ui_types`); the test fails when the file is stale.

#[cfg(test)]
mod tests {
    use crate::commands::{activities, dashboard, excel, exchange, members, records, settings};
    use std::path::Path;
    use taizhang::declare_all;
    use taizhang::ui_types::{check_or_write, core_types, render, Declared};

    #[test]
    fn ui_types_of_the_shell_are_current() {
        // Records cross as JSON (the UI reads their fields through the field specs).
        let mut types = vec![Declared::verbatim(
            "Rec",
            "/** A record as the core serialises it: its fields by name, and its bookkeeping. */\n\
             export type Rec = Record<string, unknown> & Meta;",
            &["Meta"],
        )];
        types.extend(declare_all![
            records::FieldSpecOut,
            records::Page,
            records::RecordOut,
            records::UpdateOut,
            records::OrgNode,
            dashboard::Breakdown,
            dashboard::Dashboard,
            settings::SettingsOut,
            excel::ExcelDefaults,
            exchange::Decision,
            activities::RollEntry,
            members::EventOut,
            crate::AppStatus,
        ]);
        let core = core_types();
        let imported: Vec<(&str, &str)> =
            core.iter().map(|t| (t.name.as_str(), "./core")).collect();
        let text = render(&types, &imported).unwrap();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/generated/shell.ts");
        check_or_write(&path, &text).unwrap();
    }
}
