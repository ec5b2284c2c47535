//! The window's TypeScript types for what the shell itself sends
//! (ui/src/api/generated/shell.ts), generated from these Rust types like the core's
//! (`taizhang::ui_types`); the test fails when the file is stale.

#[cfg(test)]
mod tests {
    use crate::commands::{excel, exchange, members, settings};
    use std::path::Path;
    use taizhang::declare_all;
    use taizhang::ui_types::{check_or_write, core_types, declare, render};

    #[test]
    fn ui_types_of_the_shell_are_current() {
        let mut types = declare_all![
            settings::SettingsOut,
            excel::ExcelDefaults,
            exchange::Decision,
            crate::AppStatus,
        ];
        types.push(declare::<members::EventOut>().using(&["Rec"]));
        let core = core_types();
        let imported: Vec<(&str, &str)> =
            core.iter().map(|t| (t.name.as_str(), "./core")).collect();
        let text = render(&types, &imported).unwrap();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/generated/shell.ts");
        check_or_write(&path, &text).unwrap();
    }
}
