//! The rules of DESIGN.md §5 on time: 换届 and 预备期 due and overdue, and how rules are
//! scoped and parameterised. (Coverage and structure: tests/rules.rs.)

mod common;
use common::*;
use serde_json::json;
use taizhang::model::*;
use taizhang::rules::{self, Rule, RuleParams, Scope, SubjectType};

#[test]
fn term_due_soon_and_overdue_boundaries() {
    let mut s = store();
    let u = bare_unit(&mut s, "甲公司", 10);
    // Branch elected 2023-11-21, 3 years: ends 2026-11-21.
    let mut branch = org_over(
        &mut s,
        "中共甲公司支部委员会",
        OrgType::Branch,
        "单独组建",
        &[&u],
    );
    branch.elected_on = Some(d(2023, 11, 21));
    s.update(branch).unwrap();
    // 党委 elected 2021-11-22, 5 years: ends 2026-11-22.
    let mut committee = org_over(
        &mut s,
        "中共甲公司委员会",
        OrgType::Committee,
        "单独组建",
        &[&u],
    );
    committee.elected_on = Some(d(2021, 11, 22));
    s.update(committee).unwrap();
    // No 选举日期: 成立日期 counts. Founded 2023-06-01 → ends 2026-06-01.
    let mut founded = org_over(
        &mut s,
        "中共乙公司支部委员会",
        OrgType::Branch,
        "单独组建",
        &[],
    );
    founded.elected_on = None;
    founded.founded_on = Some(d(2023, 6, 1));
    s.update(founded).unwrap();
    // A 临时党支部 does not hold 换届 elections.
    let mut temp = org_over(
        &mut s,
        "中共某项目临时支部委员会",
        OrgType::TemporaryBranch,
        "临时组建",
        &[],
    );
    temp.elected_on = Some(d(2020, 1, 1));
    s.update(temp).unwrap();

    let soon = |on| subjects(&findings(&s, Rule::TermDueSoon, on));
    let late = |on| subjects(&findings(&s, Rule::TermOverdue, on));
    // On the last day of the term: due soon (today), not overdue.
    assert_eq!(
        soon(d(2026, 11, 21)),
        ["中共甲公司委员会", "中共甲公司支部委员会"]
    );
    assert_eq!(late(d(2026, 11, 21)), ["中共乙公司支部委员会"]);
    // The day after: overdue.
    assert_eq!(
        late(d(2026, 11, 22)),
        ["中共乙公司支部委员会", "中共甲公司支部委员会"]
    );
    assert_eq!(soon(d(2026, 11, 22)), ["中共甲公司委员会"]);
    // 90 days before the end: due soon; 91: not yet.
    assert_eq!(
        soon(d(2026, 8, 24)),
        ["中共甲公司委员会", "中共甲公司支部委员会"]
    );
    assert_eq!(soon(d(2026, 8, 23)), ["中共甲公司支部委员会"]);
    assert!(soon(d(2026, 8, 22)).is_empty());
    let f = findings(&s, Rule::TermOverdue, d(2026, 11, 22));
    let branch = f
        .iter()
        .find(|x| x.subject_name == "中共甲公司支部委员会")
        .unwrap();
    assert_eq!(branch.due, Some(d(2026, 11, 21)));
    assert!(branch.message.contains("任期 3 年") && branch.message.contains("逾期 1 天"));
    // More than a year late: the message says the delay limit is passed.
    let f = findings(&s, Rule::TermOverdue, d(2026, 11, 22));
    let old = f
        .iter()
        .find(|x| x.subject_name == "中共乙公司支部委员会")
        .unwrap();
    assert!(!old.message.contains("最长"), "{}", old.message);
    let f = findings(&s, Rule::TermOverdue, d(2027, 6, 2));
    let old = f
        .iter()
        .find(|x| x.subject_name == "中共乙公司支部委员会")
        .unwrap();
    assert!(old.message.contains("最长 12 个月"), "{}", old.message);
}

#[test]
fn term_unknown_without_dates() {
    let mut s = store();
    let mut o = Org::new("中共无日期支部委员会", OrgType::Branch, "单独组建");
    o.area = Some("城关镇".into());
    s.insert(o).unwrap();
    org_over(
        &mut s,
        "中共有日期支部委员会",
        OrgType::Branch,
        "单独组建",
        &[],
    );
    assert_eq!(
        subjects(&findings(&s, Rule::TermUnknown, today())),
        ["中共无日期支部委员会"]
    );
}

#[test]
fn probation_due_soon_overdue_and_extension() {
    let mut s = store();
    let (u, o) = unit_and_org(&mut s, "甲公司");
    // Joined 2025-11-21: probation ends 2026-11-21.
    probationary_member(&mut s, &o, Some(&u), 1, d(2025, 11, 21));
    // Joined 2025-06-01, extended to 2026-12-01: not overdue on 2026-11-21.
    let ext = probationary_member(&mut s, &o, Some(&u), 3, d(2025, 6, 1));
    let mut ev = MemberEvent::new(
        ext.meta.id,
        MemberEventKind::ProbationExtended,
        d(2026, 6, 1),
    );
    ev.until = Some(d(2026, 12, 1));
    s.write(|tx| tx.record_event(ev)).unwrap();
    // A 正式党员 and a 预备党员 who left are never due.
    full_member(&mut s, &o, Some(&u), 5);
    let gone = probationary_member(&mut s, &o, Some(&u), 7, d(2025, 10, 1));
    s.write(|tx| {
        tx.record_event(MemberEvent::new(
            gone.meta.id,
            MemberEventKind::TransferredOut,
            d(2026, 1, 5),
        ))
    })
    .unwrap();

    let soon = |on| subjects(&findings(&s, Rule::ProbationDueSoon, on));
    let late = |on| subjects(&findings(&s, Rule::ProbationOverdue, on));
    assert_eq!(soon(d(2026, 11, 21)), ["预备1", "预备3"]);
    assert!(
        late(d(2026, 11, 21)).is_empty(),
        "the extension moves the end"
    );
    assert_eq!(late(d(2026, 11, 22)), ["预备1"]);
    assert_eq!(soon(d(2026, 11, 22)), ["预备3"]);
    assert_eq!(late(d(2026, 12, 2)), ["预备1", "预备3"]);
    // 30 days before the end: due soon; 31: not yet.
    assert_eq!(soon(d(2026, 10, 22)), ["预备1"]);
    assert!(soon(d(2026, 10, 21)).is_empty());
    let f = findings(&s, Rule::ProbationOverdue, d(2026, 12, 2));
    let e = f.iter().find(|x| x.subject_name == "预备3").unwrap();
    assert_eq!(e.due, Some(d(2026, 12, 1)));
    assert!(e.message.contains("已延长至 2026-12-01"), "{}", e.message);
    assert!(e.message.contains("取消预备党员资格"), "{}", e.message);
    assert_eq!(e.subject_type, SubjectType::Member);
}

#[test]
fn every_rule_runs_on_an_empty_ledger() {
    let s = store();
    let p = RuleParams::default();
    let l = rules::Ledger::load(&s, today()).unwrap();
    assert!(rules::check(&l, &p).is_empty());
    assert_eq!(rules::count_by_rule(&[]).len(), Rule::ALL.len());
}

#[test]
fn scope_by_org_and_area() {
    let (mut s, top) = with_committee();
    // 甲 (城关镇) is 应建未建 with its members in the 综合党委; 乙 (高新区) too, members elsewhere.
    let a = bare_unit(&mut s, "甲公司", 30);
    for seq in 1..=3 {
        full_member(&mut s, &top, Some(&a), seq);
    }
    let mut b = bare_unit(&mut s, "乙公司", 30);
    b.area = Some("高新区".into());
    let b = s.update(b).unwrap().record;
    let mut other = org_over(
        &mut s,
        "中共高新区综合委员会",
        OrgType::Committee,
        "单独组建",
        &[],
    );
    other.area = Some("高新区".into());
    let other = s.update(other).unwrap().record;
    for seq in 11..=13 {
        full_member(&mut s, &other, Some(&b), seq);
    }
    let all = rules::check_store(&s, today(), &Scope::default()).unwrap();
    let mine = rules::check_store(
        &s,
        today(),
        &Scope {
            org: Some(top.meta.id),
            area: None,
        },
    )
    .unwrap();
    let gx = rules::check_store(
        &s,
        today(),
        &Scope {
            org: None,
            area: Some("高新区".into()),
        },
    )
    .unwrap();
    let names = |f: &[rules::Finding]| {
        subjects(
            &f.iter()
                .filter(|x| x.rule == Rule::OrgNotBuilt)
                .cloned()
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(names(&all), ["乙公司", "甲公司"]);
    assert_eq!(
        names(&mine),
        ["甲公司"],
        "units where the org's members work"
    );
    assert_eq!(names(&gx), ["乙公司"]);
    let err = rules::check_store(
        &s,
        today(),
        &Scope {
            org: Some(Id::new()),
            area: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("找不到党组织"), "{err}");
}

#[test]
fn parameters_are_a_partial_setting_with_defaults() {
    let mut s = store();
    assert_eq!(RuleParams::load(&s).unwrap(), RuleParams::default());
    rules::params::set_params(&mut s, json!({"joint_branch_max_units": 6})).unwrap();
    let p = RuleParams::load(&s).unwrap();
    assert_eq!(p.joint_branch_max_units, 6);
    assert_eq!(p.branch_max_members, 50, "defaults fill the rest");
    rules::params::set_param(&mut s, "meetings.party_lecture", json!("每月")).unwrap();
    rules::params::set_param(&mut s, "group_meeting_min_members", json!(15)).unwrap();
    let p = RuleParams::load(&s).unwrap();
    assert_eq!(p.meetings.party_lecture, rules::Frequency::Monthly);
    assert_eq!(p.meetings.theme_day, rules::Frequency::Monthly);
    assert_eq!(p.group_meeting_min_members, Some(15));
    assert_eq!(p.joint_branch_max_units, 6, "earlier settings kept");
    // Only what was set is stored.
    let stored: serde_json::Value = s.setting(rules::RULE_PARAMS_KEY).unwrap().unwrap();
    assert_eq!(
        stored,
        json!({"joint_branch_max_units": 6, "meetings": {"party_lecture": "每月"}, "group_meeting_min_members": 15})
    );
    assert_eq!(
        rules::params::get_param(&s, "meetings.party_lecture").unwrap(),
        json!("monthly")
    );
    // Typos and wrong kinds are refused, naming the parameter; nothing changes.
    for (path, v, says) in [
        ("joint_branch_max_unit", json!(6), "没有参数"),
        ("joint_branch_max_units", json!("六"), "整数"),
        ("meetings.theme_day", json!("每周"), "每季度"),
        ("lookback_months", json!(0), "1 至 120"),
        ("disabled_rules", json!(["no_such_rule"]), "不是规则代码"),
    ] {
        let err = rules::params::set_param(&mut s, path, v).unwrap_err();
        assert!(err.to_string().contains(says), "{path}: {err}");
    }
    assert_eq!(RuleParams::load(&s).unwrap().joint_branch_max_units, 6);
    // A switched-off rule finds nothing.
    rules::params::set_param(&mut s, "disabled_rules", json!(["term_unknown"])).unwrap();
    let mut o = Org::new("中共无日期支部委员会", OrgType::Branch, "单独组建");
    o.area = Some("城关镇".into());
    s.insert(o).unwrap();
    let l = rules::Ledger::load(&s, today()).unwrap();
    let p = RuleParams::load(&s).unwrap();
    assert!(rules::check(&l, &p)
        .iter()
        .all(|f| f.rule != Rule::TermUnknown));
    assert_eq!(rules::run_rule(Rule::TermUnknown, &l, &p).len(), 1);
}
