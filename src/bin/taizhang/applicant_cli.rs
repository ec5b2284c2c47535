//! `taizhang applicant …`: the record commands of every type, plus `step` (record one step of
//! the path, by its Chinese name) and `path` (the steps open now and what is due).

use crate::entity::{command as entity_command, parse_id, CliEntity};
use crate::output;
use clap::{Arg, ArgMatches, Command};
use taizhang::api::applicants;
use taizhang::model::fields::parse_date;
use taizhang::model::{Applicant, ApplicantStep, StepInput};
use taizhang::{Error, Result, Store};

impl CliEntity for Applicant {
    const NAME: &'static str = "applicant";
    const LIST_COLUMNS: &'static [&'static str] = &[
        "name",
        "stage",
        "org_id",
        "applied_on",
        "activist_on",
        "candidate_on",
    ];
}

pub fn command() -> Command {
    let steps = ApplicantStep::ALL
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join("、");
    entity_command::<Applicant>("发展党员：入党申请人、入党积极分子、发展对象")
        .subcommand(
            Command::new("step")
                .about("登记发展步骤（不合规定的顺序或时间会被拒绝并说明依据）")
                .arg(Arg::new("id").required(true).value_name("编号"))
                .arg(
                    Arg::new("step")
                        .required(true)
                        .value_name("步骤")
                        .help(format!("步骤：{steps}")),
                )
                .arg(
                    Arg::new("date")
                        .long("date")
                        .required(true)
                        .value_name("日期")
                        .help("步骤日期（集中培训、公示为开始日期）"),
                )
                .arg(
                    Arg::new("until")
                        .long("until")
                        .value_name("日期")
                        .help("集中培训、公示的结束日期"),
                )
                .arg(
                    Arg::new("people")
                        .long("people")
                        .value_name("党员编号")
                        .help("培养联系人或入党介绍人（党员编号，多个用逗号分隔）"),
                )
                .arg(
                    Arg::new("hours")
                        .long("hours")
                        .value_parser(clap::value_parser!(i64))
                        .value_name("学时")
                        .help("集中培训学时"),
                )
                .arg(
                    Arg::new("text")
                        .long("text")
                        .value_name("文字")
                        .help("政审结论、考察意见或不再列为培养对象的原因"),
                ),
        )
        .subcommand(
            Command::new("path")
                .about("查看发展进程：已登记的步骤、可办理的下一步和到期时间")
                .arg(Arg::new("id").required(true).value_name("编号")),
        )
}

fn arg<'a>(m: &'a ArgMatches, name: &str) -> Option<&'a str> {
    m.get_one::<String>(name).map(String::as_str)
}

pub fn run(store: &mut Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    match m.subcommand() {
        Some(("step", s)) => step(store, s, as_json),
        Some(("path", s)) => path(store, s, as_json),
        _ => crate::entity::run::<Applicant>(store, m, as_json),
    }
}

fn step(store: &mut Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    let id = parse_id(arg(m, "id").unwrap_or(""))?;
    let kind = applicants::parse_step(arg(m, "step").unwrap_or(""))?;
    let date = |name| {
        arg(m, name)
            .map(parse_date)
            .transpose()
            .map_err(Error::Rule)
    };
    let mut input = StepInput::new(kind, date("date")?.expect("required by clap"));
    input.until = date("until")?;
    input.people = arg(m, "people")
        .map(|p| {
            p.split([',', '，', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(parse_id)
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?
        .unwrap_or_default();
    input.hours = m.get_one::<i64>("hours").copied();
    input.text = arg(m, "text").map(String::from);
    let out = applicants::record_step(store, &id, &input)?;
    if as_json {
        output::json(&out);
    } else {
        let stage = out.applicant.record["stage"].as_str().unwrap_or("");
        let name = out.applicant.record["name"].as_str().unwrap_or("");
        println!("已登记{kind}：{name}，当前阶段 {stage}");
        if let Some(member) = out.member_id {
            println!("已建立预备党员记录：{member}（此后转正等在党员记录中登记）");
        }
    }
    Ok(())
}

fn path(store: &Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    let id = parse_id(arg(m, "id").unwrap_or(""))?;
    let p = applicants::path(store, &id)?;
    if as_json {
        output::json(&p);
        return Ok(());
    }
    let r = &p.applicant.record;
    println!(
        "{}（{}）",
        r["name"].as_str().unwrap_or(""),
        r["stage"].as_str().unwrap_or("")
    );
    let rows: Vec<Vec<String>> = p
        .next
        .iter()
        .map(|n| {
            let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            vec![
                n.step.to_string(),
                day(n.earliest),
                day(n.due),
                n.note.clone(),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!("没有可办理的步骤");
    } else {
        output::table(&["可办理的步骤", "最早", "最迟", "说明"], &rows);
    }
    Ok(())
}
