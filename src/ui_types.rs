//! The TypeScript the window's code sees of the types that cross to it, generated from the
//! Rust types (ts-rs) into `ui/src/api/generated/`. A test per crate renders its types and
//! fails when the committed file differs (`UPDATE_UI_TYPES=1` rewrites it), so the UI's
//! types cannot drift from what the core and the shell send.

use std::path::Path;
use ts_rs::{Config, TS};

/// One type's TypeScript: its name, declaration and the names it refers to.
pub struct Declared {
    pub name: String,
    text: String,
    uses: Vec<String>,
}

/// How the types are rendered: integers as `number` (serde writes them as JSON numbers, not
/// strings).
pub fn config() -> Config {
    Config::new().with_large_int("number")
}

impl Declared {
    /// A declaration written out rather than derived, and the names it uses.
    pub fn verbatim(name: &str, text: &str, uses: &[&str]) -> Declared {
        Declared {
            name: name.to_string(),
            text: text.to_string(),
            uses: uses.iter().map(|u| u.to_string()).collect(),
        }
    }
}

impl Declared {
    /// Also uses these names (written in a `#[ts(type = "…")]`, which ts-rs does not follow).
    pub fn using(mut self, names: &[&str]) -> Declared {
        self.uses.extend(names.iter().map(|n| n.to_string()));
        self
    }
}

pub fn declare<T: TS + 'static + ?Sized>() -> Declared {
    let cfg = config();
    let docs = T::docs()
        .map(|d| format!("{}\n", d.trim_end()))
        .unwrap_or_default();
    Declared {
        name: T::ident(&cfg),
        text: format!("{docs}export {}", T::decl(&cfg)),
        uses: T::dependencies(&cfg)
            .into_iter()
            .map(|d| d.ts_name)
            .collect(),
    }
}

/// `[declare::<A>(), declare::<B>() …]`
#[macro_export]
macro_rules! declare_all {
    ($($t:ty),+ $(,)?) => { vec![$($crate::ui_types::declare::<$t>()),+] };
}

/// The core's types that cross to the window, dependencies first.
pub fn core_types() -> Vec<Declared> {
    use crate::{api, demo, excel, exchange, model, report, rules, store};
    // Records cross as JSON (the window reads their fields through the field specs).
    let mut types = vec![Declared::verbatim(
        "Rec",
        "/** A record as the core serialises it: its fields by name, and its bookkeeping. */\n\
         export type Rec = Record<string, unknown> & Meta;",
        &["Meta"],
    )];
    types.extend(declare_all![
        serde_json::Value,
        model::Id,
        model::Entity,
        model::JsonList<ts_rs::Dummy>,
        model::Meta,
        model::FieldError,
        model::MemberEventKind,
        model::ApplicantStage,
        model::ApplicantStep,
        model::StepDue,
        model::NextStep,
        model::member::MemberEvent,
        model::inspection::ChecklistItem,
        model::inspection::Checklist,
        store::Op,
        store::ChangeEntry,
        store::BackedUp,
        store::Restored,
        store::Contents,
        store::BackupFile,
        rules::Rule,
        rules::Severity,
        rules::SubjectType,
        rules::Finding,
        rules::param_info::ParamKind,
        rules::param_info::ParamInfo,
        rules::param_info::RuleInfo,
        rules::param_info::ParamsView,
        report::stats::Coverage,
        report::stats::AreaStats,
        report::stats::Definition,
        report::annual::QuarterRate,
        report::AnnualSummary,
        demo::DemoSummary,
        excel::progress::Phase,
        excel::progress::Progress,
        excel::wizard::ProfileInfo,
        excel::error_log::OmittedErrors,
        excel::import::CellError,
        excel::coverage::CoveredUnit,
        excel::resolve::Created,
        excel::profile::ColumnKind,
        excel::mapping::ColumnMapping,
        excel::mapping::MissingColumn,
        excel::import::ImportSummary,
        excel::wizard::ImportReport,
        excel::export::ExportSummary,
        exchange::devices::Device,
        exchange::ExportSummary,
        exchange::MergeSummary,
        exchange::ImportSummary,
        exchange::conflicts::Conflict,
        exchange::duplicates::Candidate,
        api::records::FieldSpecOut,
        api::records::Page,
        api::records::RecordOut,
        api::records::UpdateOut,
        api::records::OrgNode,
        api::dashboard::Breakdown,
        api::dashboard::Dashboard,
        api::activities::RollEntry,
        api::backups::RestoreChoice,
        api::applicants::ApplicantPath,
        api::applicants::StepOut,
        api::applicants::StageCount,
    ]);
    types
}

/// The file for `types`, which may refer to the types of `imported` (name, module): every
/// type a declaration uses must be declared here or imported, else the error names it.
pub fn render(types: &[Declared], imported: &[(&str, &str)]) -> Result<String, String> {
    let here = |n: &str| types.iter().any(|t| t.name == n);
    let mut imports: Vec<(&str, &str)> = Vec::new();
    for t in types {
        for used in &t.uses {
            if here(used) {
                continue;
            }
            match imported.iter().find(|(n, _)| n == used) {
                Some(&(n, m)) if !imports.contains(&(n, m)) => imports.push((n, m)),
                Some(_) => {}
                None => return Err(format!("{} uses {used}, which is not declared", t.name)),
            }
        }
    }
    imports.sort();
    let mut out = String::from(
        "// Generated from the Rust types by ts-rs (src/ui_types.rs): do not edit by hand.\n\
         // After changing a type that crosses to the window: UPDATE_UI_TYPES=1 cargo test ui_types\n\n",
    );
    let mut modules: Vec<&str> = imports.iter().map(|(_, m)| *m).collect();
    modules.dedup();
    for m in modules {
        let names: Vec<&str> = imports
            .iter()
            .filter(|(_, mm)| *mm == m)
            .map(|(n, _)| *n)
            .collect();
        out.push_str(&format!(
            "import type {{ {} }} from '{m}'\n\n",
            names.join(", ")
        ));
    }
    for t in types {
        out.push_str(&t.text);
        out.push_str("\n\n");
    }
    Ok(out.trim_end().to_string() + "\n")
}

/// Compare `content` with the committed file, or write it when `UPDATE_UI_TYPES` is set.
pub fn check_or_write(path: &Path, content: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_UI_TYPES").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        return std::fs::write(path, content).map_err(|e| e.to_string());
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed == content {
        Ok(())
    } else {
        Err(format!(
            "{} is not what the Rust types give: run UPDATE_UI_TYPES=1 cargo test ui_types, then check the UI still type-checks (vue-tsc)",
            path.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_used_but_not_declared_is_named() {
        let types = declare_all![crate::model::Meta];
        let err = render(&types, &[]).err().unwrap();
        assert_eq!(err, "Meta uses Id, which is not declared");
        let imported = render(&types, &[("Id", "./core")]).unwrap();
        assert!(imported.contains("import type { Id } from './core'"));
        assert!(imported.contains("export type Meta = { id: Id,"));
    }

    #[test]
    fn a_stale_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("core.ts");
        std::fs::write(&path, "export type Old = string;\n").unwrap();
        let err = check_or_write(&path, "export type New = string;\n").unwrap_err();
        assert!(err.contains("UPDATE_UI_TYPES=1"), "{err}");
        assert!(check_or_write(&path, "export type Old = string;\n").is_ok());
    }
}
