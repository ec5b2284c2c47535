//! 发展党员 from the command line: the demo county's pipeline, `check` naming the overdue
//! steps with their rule, and a person taken along the path by `applicant step`.

mod common;
use common::cli::Cli;
use serde_json::Value;

#[test]
fn demo_pipeline_and_overdue_steps_in_check() {
    let cli = Cli::demo("2026-11-21", "2026-11-21");
    let list: Value =
        serde_json::from_str(&cli.ok(&["--json", "applicant", "list", "--limit", "1000"])).unwrap();
    let items = list.as_array().expect("a list");
    let stages: std::collections::BTreeSet<&str> =
        items.iter().filter_map(|a| a["stage"].as_str()).collect();
    for s in ["入党申请人", "入党积极分子", "发展对象", "预备党员"] {
        assert!(stages.contains(s), "no {s} in the demo: {stages:?}");
    }
    // Every accepted applicant is the 预备党员 the 支部大会 made, 入党日期 its date.
    for a in items.iter().filter(|a| a["stage"] == "预备党员") {
        let m: Value = serde_json::from_str(&cli.ok(&[
            "--json",
            "member",
            "show",
            a["member_id"].as_str().expect("linked member"),
        ]))
        .unwrap();
        assert_eq!(m["joined_on"], a["admitted_on"], "{}", a["name"]);
        assert_eq!(m["id_number"], a["id_number"]);
    }
    let check = cli.ok(&["check"]);
    for rule in ["入党申请人谈话逾期", "接收预备党员审批逾期"] {
        assert!(check.contains(rule), "check does not list {rule}");
    }
    assert!(check.contains("《中国共产党发展党员工作细则》第二章"));
}

#[test]
fn a_person_along_the_path_from_the_cli() {
    let cli = Cli::new();
    let id = |out: String| -> String {
        let v: Value = serde_json::from_str(&out).unwrap();
        v["id"].as_str().unwrap().to_string()
    };
    let org = id(cli.ok(&[
        "--json",
        "org",
        "add",
        "--name",
        "中共明远科技支部委员会",
        "--org-type",
        "党支部",
        "--formation",
        "单独组建",
    ]));
    let a = id(cli.ok(&[
        "--json",
        "applicant",
        "add",
        "--name",
        "林晓",
        "--id-number",
        "330123199803150422",
        "--org",
        &org,
        "--applied-on",
        "2025-03-01",
    ]));
    // Out of order: refused with the rule, exit code 1, nothing written.
    let out = cli.run(&[
        "applicant",
        "step",
        &a,
        "确定为发展对象",
        "--date",
        "2025-05-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("须先确定为入党积极分子"));
    let out = cli.ok(&["applicant", "step", &a, "谈话", "--date", "2025-03-10"]);
    assert!(out.contains("已登记谈话"), "{out}");
    let out = cli.ok(&[
        "applicant",
        "step",
        &a,
        "确定入党积极分子",
        "--date",
        "2025-04-01",
    ]);
    assert!(out.contains("当前阶段 入党积极分子"), "{out}");
    let path: Value = serde_json::from_str(&cli.ok(&["--json", "applicant", "path", &a])).unwrap();
    let next: Vec<&str> = path["next"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["step"].as_str())
        .collect();
    assert_eq!(next, ["培养考察", "确定为发展对象", "不再列为培养对象"]);
    assert_eq!(path["next"][1]["earliest"], "2026-04-01");
    assert_eq!(path["dues"][0]["due"], "2025-10-01");
    let out = cli.run(&["applicant", "step", &a, "不知道", "--date", "2025-05-01"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是有效的发展步骤"));
}
