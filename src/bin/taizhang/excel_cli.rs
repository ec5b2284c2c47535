//! `taizhang import` and `taizhang export`: Excel in and out through template profiles.

use crate::output;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::path::{Path, PathBuf};
use taizhang::excel::export::{export, ExportOptions};
use taizhang::excel::import::{import_file, ImportOptions, ImportSummary};
use taizhang::excel::wizard::profiles_dir;
use taizhang::model::fields::parse_date;
use taizhang::{Error, Result, Store};

pub fn commands() -> Vec<Command> {
    vec![Command::new("import")
        .about("导入 Excel 台账（.xlsx/.xls）：自动识别表格，可先预览")
        .arg(Arg::new("file").required(true).value_name("文件"))
        .arg(Arg::new("as").long("as").value_name("模板").help("指定模板（如 members、党员花名册）；不指定则自动识别"))
        .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("只预览，不写入"))
        .arg(Arg::new("org").long("org").value_name("党组织全称").help("表中没有所在党支部一列时，全部行所在的党组织（台账中没有则新建）"))
        .arg(Arg::new("activity").long("activity").value_name("活动编号").help("出席签到表对应的组织生活记录（标题写明党组织和日期时可不填）"))
        .arg(Arg::new("skip-invalid").long("skip-invalid").action(ArgAction::SetTrue).help("有错误行时仍导入其余正确的行"))
        .arg(Arg::new("errors").long("errors").value_name("错误标注文件.xlsx").help("把有错误的单元格标注在原表副本中"))
        .after_help(IMPORT_EXIT_CODES),
        Command::new("export")
            .about("按县里的模板导出 Excel（党员花名册、两新组织台账、党组织名册、三会一课登记表、十个有检查表、党费收缴登记表）")
            .arg(Arg::new("profile").required(true).value_name("模板").help("模板，如 members 或 党员花名册"))
            .arg(Arg::new("out").required(true).value_name("输出文件.xlsx"))
            .arg(Arg::new("org").long("org").value_name("党组织编号").help("只导出该党组织及其下级"))
            .arg(Arg::new("area").long("area").value_name("乡镇街道").help("只导出该乡镇街道"))
            .arg(Arg::new("unit").long("report-unit").value_name("填报单位").help("填报单位（默认取设置 report_unit）"))
            .arg(Arg::new("date").long("date").value_name("填报日期")),
        Command::new("profiles").about("列出可用的 Excel 模板"),
    ]
}

/// The exit codes of `taizhang import`, for its --help.
const IMPORT_EXIT_CODES: &str =
    "退出码：0 表示已导入，或只是预览（--dry-run），或各行与台账相同、无需导入；\
1 表示因为有错误而没有导入任何数据：有错误行（未加 --skip-invalid，或加了但没有一行正确），\
或文件本身有问题（缺少必需的列等，预览时也是 1）。加 --json 时输出的摘要中 committed 为是否写入，\
invalid 为有错误的行数，problems 为文件的问题。";

/// Whether an import saved nothing because of errors (`taizhang import` then exits with 1):
/// the file has problems, or rows are invalid and nothing was written — refused whole
/// (the default), or with `--skip-invalid` no row left to import. A preview with invalid
/// rows, and a re-import whose rows are all unchanged, are not failures.
pub fn nothing_imported_for_errors(s: &ImportSummary, skip_invalid: bool) -> bool {
    // With --skip-invalid, valid rows all unchanged: nothing to do, as asked.
    let nothing_left = skip_invalid && s.unchanged > 0;
    let rows_refused = !s.dry_run && !s.committed && s.invalid > 0 && !nothing_left;
    !s.problems.is_empty() || rows_refused
}

pub fn handles(name: &str) -> bool {
    matches!(name, "import" | "export" | "profiles")
}

fn print_summary(s: &ImportSummary, skip_invalid: bool) {
    let mode = if s.dry_run {
        "预览（未写入）"
    } else if s.committed {
        "已导入"
    } else {
        "未导入"
    };
    println!(
        "{mode}：{}，工作表“{}”，表头在第 {} 行",
        s.profile_name, s.sheet, s.header_row
    );
    println!(
        "数据 {} 行：新增 {}，更新 {}，无变化 {}，有错误 {}",
        s.rows, s.inserted, s.updated, s.unchanged, s.invalid
    );
    for (what, names) in [
        ("党组织", &s.created.orgs),
        ("单位", &s.created.units),
        ("党建指导员", &s.created.instructors),
    ] {
        if !names.is_empty() {
            println!(
                "将新建{what} {} 个：{}",
                names.len(),
                names
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("、")
            );
        }
    }
    let covered = &s.created.covered;
    if !covered.is_empty() {
        // Inferred from the names (see `excel::coverage`): shown so the user can check them.
        let more = if covered.len() > 10 { " 等" } else { "" };
        println!(
            "新建党组织的覆盖关系 {} 条：{}{more}",
            covered.len(),
            covered
                .iter()
                .take(10)
                .map(|c| format!("{} → {}", c.org, c.unit))
                .collect::<Vec<_>>()
                .join("；")
        );
    }
    if let Some(a) = &s.activity {
        println!("签到表对应的组织生活：{a}");
    }
    if let Some(org) = &s.file_org {
        println!("没有写明党组织的行，党组织为：{org}");
    }
    if !s.unknown_columns.is_empty() {
        println!("未识别、已忽略的列：{}", s.unknown_columns.join("、"));
    }
    for w in &s.warnings {
        println!("提示：{w}");
    }
    for p in &s.problems {
        println!("文件有问题：{p}");
    }
    if s.needs_org {
        println!("为全部行指定党组织：加上 --org 党组织全称");
    }
    if s.needs_activity {
        println!("指定对应的组织生活：加上 --activity 活动编号（taizhang activity list 可查编号）");
    }
    if !s.problems.is_empty() {
        println!("因文件有上述问题，各行未逐一检查，全部未导入。");
    }
    for e in s.errors.iter().take(50) {
        let at = if e.column.is_empty() {
            String::new()
        } else {
            format!(" {}列", e.column)
        };
        let value = if e.value.is_empty() {
            String::new()
        } else {
            format!("（值：{}）", e.value)
        };
        println!("  第 {} 行{at}：{}{value}", e.row, e.message);
    }
    if s.errors.len() > 50 {
        println!(
            "  ……以上为前 50 处，另有 {} 处（加 --json 可看全部）",
            s.errors.len() - 50
        );
    }
    for o in &s.errors_omitted {
        println!("  {}", o.message);
    }
    if s.invalid > 0 && !s.dry_run && !s.committed && s.problems.is_empty() {
        if !skip_invalid {
            println!("有错误行，全部未导入：改正后重新导入，或加 --skip-invalid 只导入正确的行。");
        } else if s.unchanged > 0 {
            println!(
                "有错误的 {} 行已跳过；其余各行与台账相同，无需导入。",
                s.invalid
            );
        } else {
            println!("没有一行正确，未导入任何数据：改正后重新导入。");
        }
    }
}

/// Run an Excel command. `Ok(false)`: an import that saved nothing because of errors (see
/// [`nothing_imported_for_errors`]), for which the CLI exits with 1 once the ledger is closed.
pub fn run(store: &mut Store, name: &str, m: &ArgMatches, as_json: bool) -> Result<bool> {
    match name {
        "export" => return run_export(store, m, as_json).map(|()| true),
        "profiles" => {
            let profiles = taizhang::excel::profile::load_profiles(profiles_dir(store).as_deref())?;
            if as_json {
                output::json(&profiles);
            } else {
                for p in profiles {
                    println!("{:<12} {}（{} 列）", p.id, p.name, p.columns.len());
                }
            }
            return Ok(true);
        }
        _ => {}
    }
    let file = PathBuf::from(m.get_one::<String>("file").cloned().unwrap_or_default());
    let opts = ImportOptions {
        profile: m.get_one::<String>("as").cloned(),
        dry_run: m.get_flag("dry-run"),
        skip_invalid: m.get_flag("skip-invalid"),
        profiles_dir: profiles_dir(store),
        org: m.get_one::<String>("org").cloned(),
        no_errors_book: m.get_one::<String>("errors").is_none(),
        activity: m
            .get_one::<String>("activity")
            .map(|t| {
                t.parse()
                    .map_err(|e| Error::Rule(format!("--activity：{e}")))
            })
            .transpose()?,
        ..Default::default()
    };
    let outcome = import_file(store, &file, &opts)?;
    if let Some(out) = m.get_one::<String>("errors") {
        if outcome.summary.has_errors() {
            taizhang::excel::errors_book::write_errors_book(
                &outcome.book,
                &outcome.summary,
                Path::new(out),
            )?;
        }
    }
    if as_json {
        output::json(&outcome.summary);
    } else {
        print_summary(&outcome.summary, opts.skip_invalid);
    }
    // Nothing imported because of errors: a script must be able to tell (exit code 1, and
    // a line on stderr as for any error; the summary above says what to fix).
    let failed = nothing_imported_for_errors(&outcome.summary, opts.skip_invalid);
    if failed {
        let why = if outcome.summary.problems.is_empty() {
            "有错误行"
        } else {
            "文件有问题"
        };
        eprintln!("错误：{why}，没有导入任何数据");
    }
    Ok(!failed)
}

fn run_export(store: &mut Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    let get = |n: &str| m.get_one::<String>(n).cloned();
    let opts = ExportOptions {
        profile: get("profile").unwrap_or_default(),
        org: get("org")
            .map(|s| crate::entity::parse_id(&s))
            .transpose()?,
        area: get("area"),
        report_unit: get("unit"),
        date: get("date")
            .map(|d| parse_date(&d))
            .transpose()
            .map_err(taizhang::Error::Rule)?,
        profiles_dir: profiles_dir(store),
        ..Default::default()
    };
    let out = PathBuf::from(get("out").unwrap_or_default());
    let summary = export(store, &out, &opts)?;
    if as_json {
        output::json(&summary);
    } else {
        println!("已导出 {} 行到 {}", summary.rows, summary.path);
    }
    Ok(())
}
