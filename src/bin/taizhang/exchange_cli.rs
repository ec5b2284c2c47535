//! `taizhang exchange …`, `taizhang conflicts …`, `taizhang duplicates …`: moving data between
//! PCs as files.

use crate::entity::parse_id;
use crate::output;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::path::PathBuf;
use taizhang::exchange::{self, conflicts, devices, duplicates, ExportOptions, Scope};
use taizhang::{Result, Store};

pub fn commands() -> Vec<Command> {
    vec![
        Command::new("exchange")
            .about("交换包：在没有网络的电脑之间传递数据")
            .subcommand_required(true)
            .subcommand(
                Command::new("export")
                    .about("导出交换包（默认只含上次发给对方之后的变化）")
                    .arg(Arg::new("out").required(true).value_name("交换包文件"))
                    .arg(Arg::new("to").long("to").value_name("对方设备编号"))
                    .arg(
                        Arg::new("all")
                            .long("all")
                            .action(ArgAction::SetTrue)
                            .help("导出全部数据"),
                    )
                    .arg(
                        Arg::new("scope")
                            .long("scope")
                            .value_name("范围")
                            .help("all、org:党组织编号 或 area:乡镇街道"),
                    ),
            )
            .subcommand(
                Command::new("import")
                    .about("导入交换包（先校验，再在一个事务中合并）")
                    .arg(Arg::new("file").required(true).value_name("交换包文件"))
                    .arg(
                        Arg::new("dry-run")
                            .long("dry-run")
                            .action(ArgAction::SetTrue)
                            .help("只预览，不写入"),
                    ),
            )
            .subcommand(
                Command::new("verify")
                    .about("只校验交换包")
                    .arg(Arg::new("file").required(true)),
            )
            .subcommand(Command::new("devices").about("本机和已知的其他电脑"))
            .subcommand(
                Command::new("name")
                    .about("设置本机名称（显示给对方）")
                    .arg(Arg::new("name").required(true)),
            ),
        Command::new("conflicts")
            .about("两台电脑改了同一字段、值不同：查看并决定")
            .subcommand_required(true)
            .subcommand(Command::new("list").about("列出待处理的冲突"))
            .subcommand(
                Command::new("resolve")
                    .about("处理冲突")
                    .arg(Arg::new("id").required(true).value_name("冲突编号"))
                    .arg(
                        Arg::new("take")
                            .long("take")
                            .required(true)
                            .value_name("local|incoming|值")
                            .help("local 保留本机，incoming 采用对方，或直接给出新值"),
                    ),
            ),
        Command::new("duplicates")
            .about("两台电脑分别录入的同一党员（身份证号）或单位（信用代码）")
            .subcommand_required(true)
            .subcommand(Command::new("list").about("列出可能重复的记录"))
            .subcommand(
                Command::new("merge")
                    .about("把第二条记录合并到第一条（保留两者的全部事件和历史）")
                    .arg(Arg::new("keep").required(true).value_name("保留的编号"))
                    .arg(Arg::new("drop").required(true).value_name("并入的编号")),
            ),
    ]
}

pub fn handles(name: &str) -> bool {
    matches!(name, "exchange" | "conflicts" | "duplicates")
}

fn arg(m: &ArgMatches, n: &str) -> String {
    m.get_one::<String>(n).cloned().unwrap_or_default()
}

pub fn run(store: &mut Store, name: &str, m: &ArgMatches, as_json: bool) -> Result<()> {
    let (sub, s) = m.subcommand().expect("clap requires a subcommand");
    match (name, sub) {
        ("exchange", "export") => {
            let opts = ExportOptions {
                to: s.get_one::<String>("to").cloned(),
                all: s.get_flag("all"),
                scope: s
                    .get_one::<String>("scope")
                    .map(|v| Scope::parse(v))
                    .transpose()?,
            };
            let sum = exchange::export_package(store, &PathBuf::from(arg(s, "out")), &opts)?;
            if as_json {
                output::json(&sum);
            } else {
                println!(
                    "已导出交换包 {}：{} 条变更，涉及 {} 条记录，{} 张照片",
                    sum.path, sum.changes, sum.records, sum.photos
                );
            }
        }
        ("exchange", "import") => {
            let sum = exchange::import_package(
                store,
                &PathBuf::from(arg(s, "file")),
                s.get_flag("dry-run"),
            )?;
            if as_json {
                output::json(&sum);
            } else {
                let g = &sum.merge;
                println!(
                    "{}来自“{}”的交换包：{} 条变更，新增 {}，更新 {}，无变化 {}，新冲突 {}，已解决的冲突 {}",
                    if sum.dry_run { "预览" } else { "已导入" },
                    sum.source_name,
                    g.entries,
                    g.inserted,
                    g.updated,
                    g.unchanged,
                    g.conflicts,
                    g.conflicts_settled
                );
                if g.conflicts > 0 {
                    println!("有冲突待处理：taizhang conflicts list");
                }
            }
        }
        ("exchange", "verify") => {
            let man = exchange::verify(&PathBuf::from(arg(s, "file")))?;
            if as_json {
                output::json(&man);
            } else {
                println!(
                    "交换包完好：来自“{}”，{} 条变更，{} 条记录，{} 张照片，导出于 {}",
                    man.source_name, man.changes, man.records, man.photos, man.created_at
                );
            }
        }
        ("exchange", "devices") => {
            let all = devices::list(store)?;
            if as_json {
                output::json(&all);
            } else {
                let rows: Vec<Vec<String>> = all
                    .into_iter()
                    .map(|d| {
                        let mark = if d.this_pc { "本机" } else { "" };
                        vec![d.id, d.name, d.last_seen, mark.into()]
                    })
                    .collect();
                output::table(&["设备编号", "名称", "最近", ""], &rows);
            }
        }
        ("exchange", "name") => {
            devices::rename_this_pc(store, &arg(s, "name"))?;
            println!("本机名称已设为“{}”", arg(s, "name").trim());
        }
        ("conflicts", "list") => {
            let list = conflicts::list(store)?;
            if as_json {
                output::json(&list);
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|c| {
                        vec![
                            c.id[..8].to_string(),
                            c.record_name.clone().unwrap_or_else(|| c.record_id.clone()),
                            c.field_label.clone(),
                            c.local_text.clone(),
                            format!("{}（{}）", c.incoming_text, c.incoming_device),
                        ]
                    })
                    .collect();
                output::table(&["冲突编号", "记录", "字段", "本机的值", "对方的值"], &rows);
            }
        }
        ("conflicts", "resolve") => {
            conflicts::resolve(
                store,
                &arg(s, "id"),
                conflicts::Take::parse(&arg(s, "take")),
            )?;
            println!("已处理冲突 {}", arg(s, "id"));
        }
        ("duplicates", "list") => {
            let list = duplicates::list_candidates(store)?;
            if as_json {
                output::json(&list);
            } else {
                for c in &list {
                    let what =
                        taizhang::with_entity!(c.entity, T => <T as taizhang::store::Table>::LABEL);
                    println!(
                        "{what} {}：{}",
                        c.key,
                        c.ids
                            .iter()
                            .zip(&c.names)
                            .map(|(i, n)| format!("{n}（{i}）"))
                            .collect::<Vec<_>>()
                            .join("、")
                    );
                }
                println!("共 {} 组", list.len());
            }
        }
        ("duplicates", "merge") => {
            let (keep, drop) = (parse_id(&arg(s, "keep"))?, parse_id(&arg(s, "drop"))?);
            duplicates::merge(store, keep, drop)?;
            println!("已把 {drop} 合并到 {keep}");
        }
        _ => unreachable!("clap checks subcommands"),
    }
    Ok(())
}
