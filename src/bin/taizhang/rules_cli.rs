//! `taizhang check`, `taizhang stats` and `taizhang report annual`: the rules engine, the
//! statistics and the annual workbook. Thin: parse the arguments, call `taizhang::rules` /
//! `taizhang::report`, print.

use crate::output;
use clap::{Arg, ArgMatches, Command};
use std::path::PathBuf;
use taizhang::model::fields::parse_date;
use taizhang::report::{annual_report, AnnualOptions, AnnualSummary, Count, Stats, StatsOptions};
use taizhang::rules::{self, count_by_rule, Finding, Scope, Severity};
use taizhang::{Error, Result, Store};

fn as_of_arg() -> Arg {
    Arg::new("as-of")
        .long("as-of")
        .value_name("日期")
        .help("检查/统计日期（默认今天）")
}

fn area_arg() -> Arg {
    Arg::new("area")
        .long("area")
        .value_name("乡镇街道")
        .help("只看一个乡镇街道")
}

pub fn commands() -> Vec<Command> {
    vec![
        Command::new("check")
            .about("按规则检查台账：应建未建、覆盖、换届、预备期、三会一课、补记、十个有等")
            .arg(
                Arg::new("org")
                    .long("org")
                    .value_name("党组织编号")
                    .help("只看该党组织及其下级党组织、党员和覆盖单位"),
            )
            .arg(area_arg())
            .arg(as_of_arg()),
        Command::new("stats")
            .about("统计：单位、党组织、党员，党的组织覆盖率、单独组建率、党的工作覆盖率，三会一课完成率，十个有达标率")
            .arg(area_arg())
            .arg(as_of_arg()),
        Command::new("report")
            .about("报表：年度两新组织党建工作统计年报（Excel）")
            .subcommand_required(true)
            .subcommand(
                Command::new("annual")
                    .about("生成年度统计年报：汇总（按乡镇街道，含合计）、应建未建、未建党组织单位、党组织换届和十个有、三会一课、图表；数字与 stats --as-of 当年12月31日一致")
                    .arg(
                        Arg::new("year")
                            .long("year")
                            .required(true)
                            .value_name("年度")
                            .value_parser(clap::value_parser!(i32))
                            .help("统计年度（按当年12月31日统计）"),
                    )
                    .arg(Arg::new("out").required(true).value_name("输出文件.xlsx"))
                    .arg(area_arg())
                    .arg(
                        Arg::new("report-unit")
                            .long("report-unit")
                            .value_name("填报单位")
                            .help("填报单位（默认取设置 report_unit）"),
                    )
                    .arg(
                        Arg::new("preparer")
                            .long("preparer")
                            .value_name("制表人")
                            .help("制表人（默认为操作人 --operator）"),
                    )
                    .arg(
                        Arg::new("date")
                            .long("date")
                            .value_name("填报日期")
                            .help("填报日期（默认今天）"),
                    ),
            ),
    ]
}

pub fn handles(name: &str) -> bool {
    matches!(name, "check" | "stats" | "report")
}

fn text<'a>(m: &'a ArgMatches, name: &str) -> Option<&'a str> {
    m.get_one::<String>(name).map(String::as_str)
}

pub fn run(store: &mut Store, name: &str, m: &ArgMatches, as_json: bool) -> Result<()> {
    if name == "report" {
        return match m.subcommand() {
            Some(("annual", sub)) => annual(store, sub, as_json),
            _ => Err(Error::Rule("请指定报表，如 taizhang report annual".into())),
        };
    }
    let as_of = match text(m, "as-of") {
        Some(d) => parse_date(d).map_err(Error::Rule)?,
        None => store.today(),
    };
    let area = text(m, "area").map(str::to_string);
    match name {
        "check" => {
            let scope = Scope {
                org: text(m, "org").map(crate::entity::parse_id).transpose()?,
                area,
            };
            let findings = rules::check_store(store, as_of, &scope)?;
            if as_json {
                output::json(&CheckOutput {
                    as_of,
                    findings: &findings,
                });
            } else {
                print_findings(as_of, &findings);
            }
        }
        "stats" => {
            let opts = StatsOptions {
                area,
                quarters: None,
            };
            let stats = taizhang::report::stats_store(store, as_of, &opts)?;
            if as_json {
                output::json(&stats);
            } else {
                print_stats(&stats);
            }
        }
        other => unreachable!("not a rules command: {other}"),
    }
    Ok(())
}

fn annual(store: &Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    let opts = AnnualOptions {
        year: m
            .get_one::<i32>("year")
            .copied()
            .ok_or_else(|| Error::Rule("请用 --year 指定统计年度".into()))?,
        area: text(m, "area").map(str::to_string),
        report_unit: text(m, "report-unit").map(str::to_string),
        // 制表人: as given, else the operator named for this session (--operator).
        preparer: text(m, "preparer")
            .or_else(|| {
                m.try_get_one::<String>("operator")
                    .ok()
                    .flatten()
                    .map(String::as_str)
            })
            .map(str::to_string),
        date: text(m, "date")
            .map(parse_date)
            .transpose()
            .map_err(Error::Rule)?,
        // A county's own layout: reports/annual.json beside the database (the library's default).
        layout_dir: None,
    };
    let out = PathBuf::from(text(m, "out").unwrap_or_default());
    let summary = annual_report(store, &out, &opts)?;
    if as_json {
        output::json(&summary);
    } else {
        print_annual(&summary);
    }
    Ok(())
}

fn print_annual(s: &AnnualSummary) {
    println!(
        "已生成 {} 年度统计年报：{}（统计截止 {}，范围：{}）",
        s.year,
        s.path,
        s.as_of,
        s.area.as_deref().unwrap_or("全部乡镇街道")
    );
    println!("  工作表：{}；图表 {} 个", s.sheets.join("、"), s.charts);
    println!(
        "  在营两新组织 {} 个，党组织 {} 个，在册党员 {} 名",
        s.units, s.orgs, s.members
    );
    println!(
        "  党的组织覆盖率 {}，单独组建率 {}，党的工作覆盖率 {}，十个有达标率 {}",
        pct(s.org_coverage_rate),
        pct(s.standalone_rate),
        pct(s.work_coverage_rate),
        pct(s.inspection_pass_rate)
    );
    let quarters: Vec<String> = s
        .meeting_completion
        .iter()
        .map(|q| format!("{} {}", q.label, pct(q.rate)))
        .collect();
    println!("  三会一课完成率：{}", quarters.join("，"));
    println!(
        "  应建未建 {} 个，未建党组织单位 {} 个",
        s.org_not_built, s.units_without_org
    );
    if !s.year_complete {
        println!(
            "注意：{} 年度尚未结束，报表按今天以前已录入的记录统计（尚未到来的月份计为未开展）",
            s.year
        );
    }
}

/// `check --json`: fields in the order of [`Finding`], not sorted by name.
#[derive(serde::Serialize)]
struct CheckOutput<'a> {
    as_of: chrono::NaiveDate,
    findings: &'a [Finding],
}

fn print_findings(as_of: chrono::NaiveDate, findings: &[Finding]) {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    println!(
        "检查日期：{as_of}　共发现 {} 条（严重 {}，警告 {}，提示 {}）",
        findings.len(),
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Info)
    );
    if findings.is_empty() {
        println!("未发现问题。");
        return;
    }
    for c in count_by_rule(findings).iter().filter(|c| c.count > 0) {
        println!();
        println!("【{}】{} · {} 条", c.rule_name, c.severity.label(), c.count);
        let prefix = format!("【{}】", c.rule_name);
        for f in findings.iter().filter(|f| f.rule == c.rule) {
            let msg = f.message.strip_prefix(&prefix).unwrap_or(&f.message);
            println!("  - {msg}");
        }
    }
}

fn pct(r: f64) -> String {
    format!("{:.2}%", r * 100.0)
}

fn counts(rows: &[Count]) -> String {
    let parts: Vec<String> = rows
        .iter()
        .map(|c| format!("{} {}", c.name, c.count))
        .collect();
    parts.join("，")
}

fn print_stats(s: &Stats) {
    println!(
        "统计日期：{}　范围：{}",
        s.as_of,
        s.area.as_deref().unwrap_or("全部乡镇街道")
    );
    let u = &s.units;
    println!(
        "\n一、两新组织：在营 {} 个（登记 {} 个）",
        u.total, u.on_record
    );
    println!("  按类别：{}", counts(&u.by_category));
    println!("  按经营状态：{}", counts(&u.by_status));
    println!("  按乡镇街道：{}", counts(&u.by_area));
    let o = &s.orgs;
    println!(
        "\n二、党组织：正常 {} 个（已撤销 {} 个）",
        o.total, o.dissolved
    );
    println!("  按类型：{}", counts(&o.by_type));
    println!("  按组建方式：{}", counts(&o.by_formation));
    let m = &s.members;
    println!(
        "\n三、党员：在册 {} 名（正式 {}，预备 {}；流动党员 {}，失联党员 {}）",
        m.total, m.full, m.probationary, m.mobile, m.lost_contact
    );
    println!("  按状态（全部登记）：{}", counts(&m.by_status));
    println!("  按性别：{}", counts(&m.by_gender));
    println!("  按年龄：{}", counts(&m.by_age_band));
    println!("  按学历：{}", counts(&m.by_education));
    let c = &s.coverage;
    println!("\n四、覆盖情况（分母：在营两新组织 {} 个）", c.units);
    println!(
        "  党的组织覆盖率 {}（{}/{}）",
        pct(c.org_coverage_rate),
        c.covered,
        c.units
    );
    println!(
        "  单独组建率 {}（{}/{}）",
        pct(c.standalone_rate),
        c.standalone,
        c.units
    );
    println!(
        "  党的工作覆盖率 {}（{}/{}）",
        pct(c.work_coverage_rate),
        c.work_covered,
        c.units
    );
    let rows: Vec<Vec<String>> = s
        .by_area
        .iter()
        .map(|a| {
            vec![
                a.area.clone(),
                a.coverage.units.to_string(),
                a.coverage.covered.to_string(),
                a.coverage.standalone.to_string(),
                a.coverage.work_covered.to_string(),
                pct(a.coverage.org_coverage_rate),
                pct(a.coverage.standalone_rate),
                pct(a.coverage.work_coverage_rate),
                a.orgs.to_string(),
                a.members.to_string(),
            ]
        })
        .collect();
    output::table(
        &[
            "乡镇街道",
            "在营单位",
            "组织覆盖",
            "单独组建",
            "工作覆盖",
            "组织覆盖率",
            "单独组建率",
            "工作覆盖率",
            "党组织",
            "党员",
        ],
        &rows,
    );
    println!("\n五、三会一课完成率");
    for q in &s.meetings {
        let kinds: Vec<String> = q
            .by_type
            .iter()
            .filter(|t| t.required > 0)
            .map(|t| format!("{} {}", t.activity_type, pct(t.rate)))
            .collect();
        println!(
            "  {}：{}（应开展 {} 期，实际 {} 期；全部完成的党组织 {}/{}）{}",
            q.label,
            pct(q.rate),
            q.required,
            q.held,
            q.orgs_complete,
            q.orgs,
            if kinds.is_empty() {
                String::new()
            } else {
                format!("　{}", kinds.join("，"))
            }
        );
    }
    let i = &s.inspections;
    println!(
        "\n六、十个有达标率 {}（达标 {} 个 / 有在册党员的党组织 {} 个；期内检查 {} 个）",
        pct(i.rate),
        i.passed,
        i.orgs,
        i.inspected
    );
    let d = &s.development;
    if let Some(t) = d.total() {
        println!(
            "\n七、发展党员：入党申请人 {} 名（其中入党积极分子 {} 名、发展对象 {} 名），本年发展党员 {} 名",
            t.applicants, t.activists, t.candidates, t.developed
        );
        for (title, rows) in [("按乡镇街道", &d.by_area), ("按单位类别", &d.by_category)]
        {
            let items: Vec<String> = rows[..rows.len().saturating_sub(1)]
                .iter()
                .filter(|r| r.applicants + r.developed > 0)
                .map(|r| format!("{} {}/{}", r.name, r.applicants, r.developed))
                .collect();
            println!("  {title}（申请人/本年发展）：{}", items.join("，"));
        }
    }
    println!("\n口径说明：");
    for d in &s.definitions {
        println!("  {}", d.text);
    }
}
