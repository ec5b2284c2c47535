//! `taizhang import` and `taizhang export`: Excel in and out through template profiles.

use crate::output;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::path::{Path, PathBuf};
use taizhang::excel::import::{import_file, ImportOptions, ImportSummary};
use taizhang::{Result, Store};

pub fn commands() -> Vec<Command> {
    vec![Command::new("import")
        .about("导入 Excel 台账（.xlsx/.xls）：自动识别表格，可先预览")
        .arg(Arg::new("file").required(true).value_name("文件"))
        .arg(Arg::new("as").long("as").value_name("模板").help("指定模板（如 members、党员花名册）；不指定则自动识别"))
        .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("只预览，不写入"))
        .arg(Arg::new("skip-invalid").long("skip-invalid").action(ArgAction::SetTrue).help("有错误行时仍导入其余正确的行"))
        .arg(Arg::new("errors").long("errors").value_name("错误标注文件.xlsx").help("把有错误的单元格标注在原表副本中"))]
}

pub fn handles(name: &str) -> bool {
    name == "import"
}

/// Profiles a county adds live in `profiles/` beside the database.
pub fn profiles_dir(store: &Store) -> Option<PathBuf> {
    store.path().and_then(Path::parent).map(|d| d.join("profiles"))
}

fn print_summary(s: &ImportSummary) {
    let mode = if s.dry_run { "预览（未写入）" } else if s.committed { "已导入" } else { "未导入" };
    println!("{mode}：{}，工作表“{}”，表头在第 {} 行", s.profile_name, s.sheet, s.header_row);
    println!(
        "数据 {} 行：新增 {}，更新 {}，无变化 {}，有错误 {}",
        s.rows, s.inserted, s.updated, s.unchanged, s.invalid
    );
    for (what, names) in [("党组织", &s.created.orgs), ("单位", &s.created.units), ("党建指导员", &s.created.instructors)] {
        if !names.is_empty() {
            println!("将新建{what} {} 个：{}", names.len(), names.iter().take(10).cloned().collect::<Vec<_>>().join("、"));
        }
    }
    if !s.unknown_columns.is_empty() {
        println!("未识别、已忽略的列：{}", s.unknown_columns.join("、"));
    }
    for e in s.errors.iter().take(50) {
        let at = if e.column.is_empty() { String::new() } else { format!(" {}列", e.column) };
        let value = if e.value.is_empty() { String::new() } else { format!("（值：{}）", e.value) };
        println!("  第 {} 行{at}：{}{value}", e.row, e.message);
    }
    if s.errors.len() > 50 {
        println!("  ……另有 {} 处错误", s.errors.len() - 50);
    }
    if s.invalid > 0 && !s.dry_run && !s.committed {
        println!("有错误行，全部未导入：改正后重新导入，或加 --skip-invalid 只导入正确的行。");
    }
}

pub fn run(store: &mut Store, name: &str, m: &ArgMatches, as_json: bool) -> Result<()> {
    debug_assert_eq!(name, "import");
    let file = PathBuf::from(m.get_one::<String>("file").cloned().unwrap_or_default());
    let opts = ImportOptions {
        profile: m.get_one::<String>("as").cloned(),
        dry_run: m.get_flag("dry-run"),
        skip_invalid: m.get_flag("skip-invalid"),
        profiles_dir: profiles_dir(store),
        ..Default::default()
    };
    let outcome = import_file(store, &file, &opts)?;
    if let Some(out) = m.get_one::<String>("errors") {
        if !outcome.summary.errors.is_empty() {
            taizhang::excel::errors_book::write_errors_book(&outcome.book, &outcome.summary, Path::new(out))?;
        }
    }
    if as_json {
        output::json(&outcome.summary);
    } else {
        print_summary(&outcome.summary);
    }
    Ok(())
}
