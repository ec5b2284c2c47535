//! `taizhang` — the command-line interface of 两新党建台账. Thin: parse arguments, call the
//! core library, print. Exit code 0 on success, 1 with a Chinese message on stderr otherwise
//! (an import that saved nothing because of errors included). Only `init` and `demo` create a
//! ledger; every other command refuses a path with no ledger.

mod applicant_cli;
mod entity;
mod excel_cli;
mod exchange_cli;
mod output;
mod rules_cli;
mod settings_cli;
mod usage;

use clap::{Arg, ArgAction, ArgMatches, Command};
use entity::{command as entity_command, parse_id, run as run_entity};
use std::path::PathBuf;
use std::process::ExitCode;
use taizhang::model::fields::parse_date;
use taizhang::model::*;
use taizhang::store::{default_db_path, SCHEMA_VERSION};
use taizhang::{Error, Result, Store};

/// mimalloc: big imports and exports allocate per cell, and glibc's allocator cost a fifth
/// of their CPU (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cli() -> Command {
    Command::new("taizhang")
        .about("两新党建台账 — 两新组织党建工作台账（离线、单机）")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg(
            Arg::new("db")
                .long("db")
                .global(true)
                .env("TAIZHANG_DB")
                .value_name("文件")
                .help("数据库文件（默认：系统数据目录下的 taizhang/ledger.db）；须已用 taizhang init 创建"),
        )
        .after_help("退出码：0 成功；1 出错（错误说明在标准错误输出），包括导入时因有错误行或文件有问题而没有导入任何数据。\n只有 init 和 demo 会新建数据库；其他命令找不到数据库文件时报错，不会新建。")
        .arg(Arg::new("json").long("json").global(true).action(ArgAction::SetTrue).help("以 JSON 输出"))
        .arg(
            Arg::new("operator")
                .long("operator")
                .global(true)
                .env("TAIZHANG_OPERATOR")
                .value_name("姓名")
                .help("操作人（记入变更日志）"),
        )
        .subcommand(Command::new("init").about("创建或升级数据库（其他命令不会新建数据库：找不到文件时报错）"))
        .subcommand(
            Command::new("demo")
                .about("生成一个县的演示数据（确定性：相同参数得到相同数据）")
                .arg(Arg::new("units").long("units").default_value("250").value_parser(clap::value_parser!(usize)).help("单位数"))
                .arg(Arg::new("seed").long("seed").default_value("1").value_parser(clap::value_parser!(u64)).help("随机种子"))
                .arg(Arg::new("as-of").long("as-of").value_name("日期").help("数据截止日期（默认今天）")),
        )
        .subcommand(entity_command::<Unit>("两新组织（单位）"))
        .subcommand(entity_command::<Org>("党组织"))
        .subcommand(
            entity_command::<Member>("党员")
                .subcommand(
                    Command::new("event")
                        .about("登记党员事件：发展、转正、延长预备期、转入、转出、停止党籍、出党、死亡")
                        .arg(Arg::new("id").required(true).value_name("党员编号"))
                        .arg(Arg::new("kind").required(true).value_name("事件"))
                        .arg(Arg::new("date").long("date").required(true).value_name("日期"))
                        .arg(Arg::new("until").long("until").value_name("日期").help("延长预备期至"))
                        .arg(Arg::new("org").long("org").value_name("党组织编号").help("转入的党组织"))
                        .arg(Arg::new("place").long("place").value_name("去向/来源"))
                        .arg(Arg::new("note").long("note").value_name("备注")),
                )
                .subcommand(Command::new("events").about("列出党员的事件").arg(Arg::new("id").required(true).value_name("党员编号"))),
        )
        .subcommand(applicant_cli::command())
        .subcommand(entity_command::<Activity>("组织生活（三会一课、主题党日等）"))
        .subcommand(entity_command::<Inspection>("十个有等检查"))
        .subcommand(entity_command::<Instructor>("党建指导员"))
        .subcommand(entity_command::<Visit>("走访记录"))
        .subcommand(entity_command::<Alliance>("红色联盟"))
        .subcommand(entity_command::<Dues>("党费"))
        .subcommand(
            Command::new("checklist")
                .about("检查表定义（十个有等）")
                .subcommand_required(true)
                .subcommand(Command::new("list").about("列出检查表"))
                .subcommand(Command::new("show").about("查看检查表").arg(Arg::new("id").required(true))),
        )
        .subcommand(Command::new("history").about("查看记录的变更历史").arg(Arg::new("id").required(true).value_name("编号")))
        .subcommand(Command::new("dict").about("查看字典（民族、学历、组建方式等）").arg(Arg::new("name").value_name("字典名")))
        .subcommand(settings_cli::command())
        .subcommands(rules_cli::commands())
        .subcommands(excel_cli::commands())
        .subcommands(exchange_cli::commands())
        .subcommand(Command::new("backup").about("备份数据库到文件（文件已存在时加 --force 才替换）").arg(Arg::new("dest").required(true).value_name("备份文件")).arg(Arg::new("force").long("force").action(ArgAction::SetTrue).help("替换已有的同名文件")))
        .subcommand(Command::new("restore").about("从备份恢复：先列出备份和当前台账各有什么，加 --yes 才替换（当前台账先另存到数据库旁的“备份”文件夹）").arg(Arg::new("src").required(true).value_name("备份文件")).arg(Arg::new("yes").long("yes").action(ArgAction::SetTrue).help("确认用备份替换当前台账")))
}

fn db_path(m: &ArgMatches) -> PathBuf {
    m.get_one::<String>("db")
        .map(PathBuf::from)
        .unwrap_or_else(default_db_path)
}

/// Open the ledger. Only `init` and `demo` create one (`create`): any other command refuses
/// a missing file, so a mistyped --db never shows an empty ledger as if the data were gone.
fn open(m: &ArgMatches, create: bool) -> Result<Store> {
    let operator = m.get_one::<String>("operator").map(String::as_str);
    taizhang::api::open(&db_path(m), create, operator)
}

fn arg<'a>(m: &'a ArgMatches, name: &str) -> Option<&'a str> {
    m.get_one::<String>(name).map(String::as_str)
}

/// Run the command: its exit code, or the error to report (exit code 1).
fn run(m: &ArgMatches) -> Result<ExitCode> {
    let as_json = m.get_flag("json");
    let (name, sub) = m.subcommand().expect("subcommand required");
    if name == "init" {
        let path = db_path(m);
        let existed = path.exists();
        let store = open(m, true)?;
        let info = serde_json::json!({
            "path": path.display().to_string(),
            "created": !existed,
            "schema_version": SCHEMA_VERSION,
            "device_id": store.session().device_id,
        });
        if as_json {
            output::json(&info);
        } else {
            println!(
                "{}数据库：{}（版本 {SCHEMA_VERSION}）",
                if existed { "已打开" } else { "已创建" },
                path.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut store = open(m, name == "demo")?;
    let mut code = ExitCode::SUCCESS;
    match name {
        "demo" => {
            if store.count::<Unit>()? > 0 {
                return Err(Error::Rule(
                    "数据库中已有数据，演示数据只能生成到空数据库：请用 --db 指定一个新文件".into(),
                ));
            }
            let as_of = match arg(sub, "as-of") {
                Some(d) => parse_date(d).map_err(Error::Rule)?,
                None => store.today(),
            };
            let opts = taizhang::demo::DemoOptions {
                units: *sub.get_one::<usize>("units").unwrap_or(&250),
                seed: *sub.get_one::<u64>("seed").unwrap_or(&1),
                as_of,
            };
            let summary = taizhang::demo::generate(&mut store, &opts)?;
            if as_json {
                output::json(&summary);
            } else {
                println!(
                    "已生成演示数据：单位 {} 个，党组织 {} 个，党员 {} 名，组织生活 {} 次，检查 {} 次，指导员 {} 名，走访 {} 次，红色联盟 {} 个，党费 {} 条，发展党员对象 {} 名",
                    summary.units, summary.orgs, summary.members, summary.activities, summary.inspections,
                    summary.instructors, summary.visits, summary.alliances, summary.dues, summary.applicants
                );
            }
        }
        "unit" => run_entity::<Unit>(&mut store, sub, as_json)?,
        "org" => run_entity::<Org>(&mut store, sub, as_json)?,
        "member" => match sub.subcommand() {
            Some(("event", e)) => member_event(&mut store, e, as_json)?,
            Some(("events", e)) => {
                let id = parse_id(arg(e, "id").unwrap_or(""))?;
                store.get::<Member>(&id)?;
                let events = store.write(|tx| tx.member_events(&id))?;
                if as_json {
                    output::json(&events);
                } else {
                    let rows: Vec<Vec<String>> = events
                        .iter()
                        .map(|e| {
                            vec![
                                e.occurred_on.to_string(),
                                e.kind.to_string(),
                                e.until.map(|d| d.to_string()).unwrap_or_default(),
                                e.place.clone().unwrap_or_default(),
                                e.note.clone().unwrap_or_default(),
                            ]
                        })
                        .collect();
                    output::table(&["日期", "事件", "延长至", "去向/来源", "备注"], &rows);
                }
            }
            _ => run_entity::<Member>(&mut store, sub, as_json)?,
        },
        "applicant" => applicant_cli::run(&mut store, sub, as_json)?,
        "activity" => run_entity::<Activity>(&mut store, sub, as_json)?,
        "inspection" => run_entity::<Inspection>(&mut store, sub, as_json)?,
        "instructor" => run_entity::<Instructor>(&mut store, sub, as_json)?,
        "visit" => run_entity::<Visit>(&mut store, sub, as_json)?,
        "alliance" => run_entity::<Alliance>(&mut store, sub, as_json)?,
        "dues" => run_entity::<Dues>(&mut store, sub, as_json)?,
        "checklist" => match sub.subcommand() {
            Some(("show", s)) => {
                let c: Checklist = store.get(&parse_id(arg(s, "id").unwrap_or(""))?)?;
                if as_json {
                    output::json(&c);
                } else {
                    println!(
                        "{}（第 {} 版）{}",
                        c.name,
                        c.version,
                        c.source.as_deref().unwrap_or("")
                    );
                    for (i, it) in c.items.0.iter().enumerate() {
                        println!(
                            "{:>2}. {} [{}] {}",
                            i + 1,
                            it.label,
                            it.code,
                            it.hint.as_deref().unwrap_or("")
                        );
                    }
                }
            }
            _ => {
                let list: Vec<Checklist> = store.list("1", &[], "code, version")?;
                if as_json {
                    output::json(&list);
                } else {
                    let rows: Vec<Vec<String>> = list
                        .iter()
                        .map(|c| {
                            vec![
                                c.meta.id.to_string(),
                                c.name.clone(),
                                c.version.to_string(),
                                c.items.0.len().to_string(),
                            ]
                        })
                        .collect();
                    output::table(&["编号", "名称", "版本", "项目数"], &rows);
                }
            }
        },
        "history" => {
            let id = parse_id(arg(sub, "id").unwrap_or(""))?;
            let entries = store.history(&id)?;
            if entries.is_empty() {
                return Err(Error::not_found("记录", id));
            }
            if as_json {
                output::json(&entries);
            } else {
                for e in &entries {
                    let op = if e.op == taizhang::store::Op::Insert {
                        "新增"
                    } else {
                        "修改"
                    };
                    println!(
                        "{}  {}  {} {}（设备 {} #{}）",
                        e.at,
                        e.actor,
                        op,
                        e.entity,
                        &e.device_id[..8.min(e.device_id.len())],
                        e.device_seq
                    );
                    for (field, change) in &e.changes {
                        println!("    {field}: {} → {}", change[0], change[1]);
                    }
                }
            }
        }
        "dict" => {
            let names = match arg(sub, "name") {
                Some(n) => vec![n.to_string()],
                None => store.dictionaries()?,
            };
            let mut all = serde_json::Map::new();
            for n in names {
                let values = store.dictionary(&n)?;
                if values.is_empty() {
                    return Err(Error::not_found("字典", n));
                }
                if !as_json {
                    println!(
                        "{n}：{}",
                        values
                            .iter()
                            .map(|(v, _)| v.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    );
                }
                all.insert(
                    n,
                    serde_json::json!(values
                        .iter()
                        .map(|(v, s)| serde_json::json!({"value": v, "synonyms": s}))
                        .collect::<Vec<_>>()),
                );
            }
            if as_json {
                output::json(&all);
            }
        }
        "settings" => settings_cli::run(&mut store, sub, as_json)?,
        name if rules_cli::handles(name) => rules_cli::run(&mut store, name, sub, as_json)?,
        name if excel_cli::handles(name) => {
            if !excel_cli::run(&mut store, name, sub, as_json)? {
                code = ExitCode::FAILURE;
            }
        }
        name if exchange_cli::handles(name) => exchange_cli::run(&mut store, name, sub, as_json)?,
        "backup" => {
            let dest = arg(sub, "dest").unwrap_or("");
            let b = store.backup(std::path::Path::new(dest), sub.get_flag("force"))?;
            if as_json {
                output::json(&b);
            } else {
                println!("已备份到 {dest}");
                if let Some(dir) = &b.photos_dir {
                    println!("照片在 {dir}（本次复制 {} 张）", b.photos);
                }
            }
        }
        "restore" => {
            let src = arg(sub, "src").unwrap_or("");
            let choice = taizhang::api::backups::restore_choice(&store, std::path::Path::new(src))?;
            if !sub.get_flag("yes") {
                eprintln!("备份 {src} 中有：{}", choice.backup_text);
                eprintln!("当前台账中有：{}", choice.current_text);
                if choice.fewer {
                    eprintln!("备份中的党员或单位比当前台账少，恢复后这些记录将不在台账中。");
                }
                eprintln!(
                    "确认要用这份备份替换当前台账，请加 --yes 再运行（当前台账会先另存一份）"
                );
                return Ok(ExitCode::FAILURE);
            }
            let r = store.restore_from(std::path::Path::new(src))?;
            if as_json {
                output::json(&r);
            } else {
                println!("已从 {src} 恢复（照片补回 {} 张）", r.photos);
                if let Some(prev) = &r.previous_saved_to {
                    println!("恢复前的台账另存在 {prev}");
                }
            }
        }
        other => unreachable!("unknown command {other}"),
    }
    Ok(code)
}

fn member_event(store: &mut Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    let id = parse_id(arg(m, "id").unwrap_or(""))?;
    let kind = MemberEventKind::parse(arg(m, "kind").unwrap_or("")).map_err(Error::Rule)?;
    let date = |name| {
        arg(m, name)
            .map(parse_date)
            .transpose()
            .map_err(Error::Rule)
    };
    let mut ev = MemberEvent::new(id, kind, date("date")?.expect("required by clap"));
    ev.until = date("until")?;
    ev.org_id = arg(m, "org").map(parse_id).transpose()?;
    ev.place = arg(m, "place").map(String::from);
    ev.note = arg(m, "note").map(String::from);
    let (ev, member) = store.write(|tx| tx.record_event(ev))?;
    if as_json {
        output::json(&serde_json::json!({"event": ev, "member": member}));
    } else {
        println!(
            "已登记{}：{}，当前状态 {}（{}）",
            ev.kind, member.name, member.status, member.category
        );
    }
    Ok(())
}

/// A command line clap refused: help and version as clap prints them, anything else said in
/// Chinese (see `usage`), with the usage exit code.
fn refused(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(usage::USAGE_EXIT);
        }
        _ => {}
    }
    let message = usage::chinese(e);
    eprintln!("错误：{message}\n查看用法：taizhang --help，或 taizhang 命令 --help");
    if std::env::args().any(|a| a == "--json") {
        output::json(
            &serde_json::json!({"error": {"code": "usage", "message": message, "fields": []}}),
        );
    }
    ExitCode::from(usage::USAGE_EXIT)
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, which turns `taizhang member list | head` into a panic; a
    // command-line tool should simply stop when its reader goes away.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let m = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => return refused(&e),
    };
    match run(&m) {
        Ok(code) => code,
        Err(e) => {
            output::error(&e, m.get_flag("json"));
            ExitCode::FAILURE
        }
    }
}
