//! `taizhang check`, `taizhang stats` and the rule parameters in `taizhang settings`: JSON
//! shapes, human output, errors.

mod common;
use common::cli::Cli;
use serde_json::Value;

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().expect("findings is an array")
}

fn count(v: &Value, rule: &str) -> usize {
    findings(v).iter().filter(|f| f["rule"] == rule).count()
}

#[test]
fn check_json_shape_and_scopes() {
    let cli = Cli::demo("2026-11-21", "2026-11-21");
    let v = cli.json(&["check"]);
    assert_eq!(v["as_of"], "2026-11-21");
    let all = findings(&v);
    assert!(all.len() > 50, "{}", all.len());
    for f in all {
        for key in [
            "rule",
            "severity",
            "subject_type",
            "subject_id",
            "subject_name",
            "due",
            "message",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        assert!(["unit", "org", "member", "activity", "visit", "applicant"]
            .contains(&f["subject_type"].as_str().unwrap()));
        assert_eq!(f["subject_id"].as_str().unwrap().len(), 36);
        assert!(!f["subject_name"].as_str().unwrap().is_empty());
        let due = &f["due"];
        assert!(
            due.is_null()
                || chrono::NaiveDate::parse_from_str(due.as_str().unwrap(), "%Y-%m-%d").is_ok(),
            "{due}"
        );
        let msg = f["message"].as_str().unwrap();
        let name = f["rule_name"].as_str().unwrap();
        assert!(msg.starts_with(&format!("【{name}】")), "{msg}");
    }
    // 4 units with ≥3 正式党员 lack a 单独组建 org; one of them has a branch named after it
    // (others 挂靠 to it), which is its own.
    assert_eq!(count(&v, "org_not_built"), 3);
    assert_eq!(count(&v, "joint_branch_too_many_units"), 1);

    // --area keeps that area's findings only.
    let area = cli.json(&["check", "--area", "城关镇"]);
    assert!(!findings(&area).is_empty());
    assert!(findings(&area).iter().all(|f| f["area"] == "城关镇"));
    // --org: the org's own findings are among them, and nothing from elsewhere.
    let joint = &findings(&v)
        .iter()
        .find(|f| f["rule"] == "joint_branch_too_many_units")
        .unwrap()["subject_id"];
    let mine = cli.json(&["check", "--org", joint.as_str().unwrap()]);
    assert!(findings(&mine).iter().any(|f| &f["subject_id"] == joint));
    assert!(findings(&mine).len() < all.len());
    // An earlier date finds a different picture.
    let before = cli.json(&["check", "--as-of", "2026-06-30"]);
    assert_eq!(before["as_of"], "2026-06-30");

    // Human output: grouped by rule, with counts.
    let text = cli.ok(&["check"]);
    assert!(text.contains("共发现"), "{text}");
    assert!(text.contains("【应建未建】严重 · 3 条"), "{text}");
    assert!(text.contains("【联合党支部覆盖单位过多】"), "{text}");
}

#[test]
fn stats_json_shape_and_text() {
    let cli = Cli::demo("2026-11-21", "2026-11-21");
    let v = cli.json(&["stats"]);
    for key in ["units", "orgs", "members"] {
        assert!(v[key].is_object(), "{key}: {v}");
        assert!(v[key]["total"].as_u64().unwrap() > 0, "{key}");
    }
    for key in ["org_coverage_rate", "standalone_rate", "work_coverage_rate"] {
        let r = v[key].as_f64().unwrap_or_else(|| panic!("{key}"));
        assert!((0.0..=1.0).contains(&r), "{key} = {r}");
    }
    assert_eq!(v["units"]["total"], 58);
    assert!(v["meetings"].as_array().unwrap().len() == 4);
    assert!(v["inspections"]["rate"].is_number());
    let defs = v["definitions"].as_array().unwrap();
    assert!(defs
        .iter()
        .any(|d| d["text"].as_str().unwrap().starts_with("党的组织覆盖率 =")));
    let by_area = v["by_area"].as_array().unwrap();
    assert_eq!(by_area.last().unwrap()["area"], "合计");
    assert_eq!(
        by_area.last().unwrap()["org_coverage_rate"],
        v["org_coverage_rate"]
    );
    let area = cli.json(&["stats", "--area", "城关镇"]);
    assert_eq!(area["area"], "城关镇");
    assert!(area["units"]["total"].as_u64() < v["units"]["total"].as_u64());

    let text = cli.ok(&["stats"]);
    for s in [
        "党的组织覆盖率",
        "单独组建率",
        "党的工作覆盖率",
        "三会一课完成率",
        "十个有达标率",
        "口径说明",
    ] {
        assert!(text.contains(s), "{s} missing:\n{text}");
    }
}

#[test]
fn rule_parameters_in_settings() {
    let cli = Cli::demo("2026-11-21", "2026-11-21");
    let p = cli.json(&["settings", "get", "rule_params"]);
    assert_eq!(p["joint_branch_max_units"], 5);
    assert_eq!(p["meetings"]["party_lecture"], "quarterly");
    assert!(p["group_meeting_min_members"].is_null());

    cli.ok(&["settings", "set", "rule_params.joint_branch_max_units", "6"]);
    assert_eq!(
        cli.json(&["settings", "get", "rule_params.joint_branch_max_units"]),
        6
    );
    let p = cli.json(&["settings", "get", "rule_params"]);
    assert_eq!(p["branch_max_members"], 50, "defaults filled in");
    assert_eq!(
        count(&cli.json(&["check"]), "joint_branch_too_many_units"),
        0
    );

    cli.ok(&[
        "settings",
        "set",
        "rule_params.meetings.party_lecture",
        "每月",
    ]);
    let many = count(&cli.json(&["check"]), "missing_party_lecture");
    cli.ok(&[
        "settings",
        "set",
        "rule_params",
        r#"{"joint_branch_max_units": 5}"#,
    ]);
    assert_eq!(
        count(&cli.json(&["check"]), "joint_branch_too_many_units"),
        1
    );
    assert!(count(&cli.json(&["check"]), "missing_party_lecture") < many);

    let err = cli.fails(&["settings", "set", "rule_params.joint_branch_max_unit", "6"]);
    assert!(err.contains("没有参数"), "{err}");
    let err = cli.fails(&["settings", "set", "rule_params.lookback_months", "-1"]);
    assert!(err.contains("整数"), "{err}");
    let err = cli.fails(&["settings", "set", "rule_params", "[1]"]);
    assert!(err.contains("规则参数"), "{err}");
    // Other settings still work as before.
    cli.ok(&["settings", "set", "operator", "张三"]);
    assert_eq!(cli.json(&["settings", "get", "operator"]), "张三");
}

#[test]
fn check_errors_are_clear() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let v = cli.json(&["check"]);
    assert_eq!(findings(&v).len(), 0);
    assert!(cli.ok(&["check"]).contains("未发现问题"));
    assert!(cli
        .fails(&["check", "--as-of", "2026-13-01"])
        .contains("错误"));
    assert!(cli.fails(&["check", "--org", "x"]).contains("UUID"));
    let err = cli.fails(&["check", "--org", "0190a6f0-0000-7000-8000-000000000001"]);
    assert!(err.contains("找不到党组织"), "{err}");
    // An empty ledger has no rates to speak of, and says so with zeros.
    let s = cli.json(&["stats"]);
    assert_eq!(s["org_coverage_rate"], 0.0);
}
