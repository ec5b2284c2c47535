//! The rules of DESIGN.md §5 on coverage, structure, 换届 and 预备期: for each rule a ledger
//! where it fires and the nearest one where it must not. (组织生活, inspections and visits:
//! tests/rules_life.rs; the demo county: tests/rules_demo.rs.)

mod common;
use common::*;
use serde_json::json;
use taizhang::model::*;
use taizhang::rules::{self, Rule, RuleParams, Scope, Severity, SubjectType};
use taizhang::Store;

/// A store with a 综合党委 that covers no unit: members of uncovered units belong to it.
fn with_committee() -> (Store, Org) {
    let mut s = store();
    let top = org_over(
        &mut s,
        "中共城关镇非公有制经济组织综合委员会",
        OrgType::Committee,
        "单独组建",
        &[],
    );
    (s, top)
}

#[test]
fn org_not_built_counts_full_members_and_own_orgs_only() {
    let (mut s, top) = with_committee();
    // 甲: 3 正式 working there, covered only by a 联合党支部 → fires.
    let a = bare_unit(&mut s, "甲公司", 30);
    let joint = org_over(
        &mut s,
        "中共城关镇第一联合支部委员会",
        OrgType::JointBranch,
        "联合组建",
        &[&a],
    );
    for seq in 1..=3 {
        full_member(&mut s, &joint, Some(&a), seq);
    }
    // 乙: exactly 3 members of whom one is 预备 → must not fire.
    let b = bare_unit(&mut s, "乙公司", 30);
    full_member(&mut s, &top, Some(&b), 11);
    full_member(&mut s, &top, Some(&b), 13);
    probationary_member(&mut s, &top, Some(&b), 15, d(2026, 3, 1));
    // 丙: 3 正式 and its own 单独组建 branch → must not fire.
    let c = bare_unit(&mut s, "丙公司", 30);
    let own = org_over(
        &mut s,
        "中共丙公司支部委员会",
        OrgType::Branch,
        "单独组建",
        &[&c],
    );
    for seq in 21..=23 {
        full_member(&mut s, &own, Some(&c), seq);
    }
    // 丁: 3 正式 but its own branch was 撤销 → fires.
    let dd = bare_unit(&mut s, "丁公司", 30);
    let mut gone = org_over(
        &mut s,
        "中共丁公司支部委员会",
        OrgType::Branch,
        "单独组建",
        &[&dd],
    );
    for seq in 31..=33 {
        full_member(&mut s, &top, Some(&dd), seq);
    }
    gone.status = OrgStatus::Dissolved;
    s.update(gone).unwrap();
    // 戊: 3 正式, one of whom has left (转出) → must not fire.
    let e = bare_unit(&mut s, "戊公司", 30);
    for seq in 41..=42 {
        full_member(&mut s, &top, Some(&e), seq);
    }
    let leaver = full_member(&mut s, &top, Some(&e), 43);
    s.write(|tx| {
        tx.record_event(MemberEvent::new(
            leaver.meta.id,
            MemberEventKind::TransferredOut,
            d(2026, 10, 1),
        ))
    })
    .unwrap();
    // 己: 3 正式 but the unit is 注销 → must not fire.
    let mut f = bare_unit(&mut s, "己公司", 30);
    for seq in 51..=53 {
        full_member(&mut s, &top, Some(&f), seq);
    }
    f.status = UnitStatus::Deregistered;
    s.update(f).unwrap();

    let found = findings(&s, Rule::OrgNotBuilt, today());
    assert_eq!(subjects(&found), ["丁公司", "甲公司"]);
    let jia = found.iter().find(|x| x.subject_name == "甲公司").unwrap();
    assert_eq!(jia.severity, Severity::Error);
    assert_eq!(jia.subject_type, SubjectType::Unit);
    assert_eq!(jia.subject_id, a.meta.id);
    assert_eq!(jia.area.as_deref(), Some("城关镇"));
    assert!(
        jia.message.starts_with("【应建未建】甲公司"),
        "{}",
        jia.message
    );
    assert!(jia.message.contains("正式党员 3 名") && jia.message.contains("联合组建"));
    assert!(jia.message.contains("3 名以上"), "names its parameter");

    // With the threshold raised to 4 nobody qualifies.
    let p = RuleParams {
        own_org_min_full_members: 4,
        ..RuleParams::default()
    };
    assert!(findings_with(&s, Rule::OrgNotBuilt, today(), &p).is_empty());
    // Counting 挂靠组建 as an own org changes nothing here; counting 联合组建 clears 甲.
    let p = RuleParams {
        own_org_formations: vec!["单独组建".into(), "联合组建".into()],
        ..RuleParams::default()
    };
    assert_eq!(
        subjects(&findings_with(&s, Rule::OrgNotBuilt, today(), &p)),
        ["丁公司"]
    );
}

#[test]
fn units_with_one_or_two_full_members_must_be_covered() {
    let (mut s, top) = with_committee();
    let a = bare_unit(&mut s, "甲公司", 10);
    full_member(&mut s, &top, Some(&a), 1);
    full_member(&mut s, &top, Some(&a), 3);
    // Covered by a 挂靠 branch: fine.
    let b = bare_unit(&mut s, "乙公司", 10);
    let host_unit = bare_unit(&mut s, "东家公司", 10);
    let host = org_over(
        &mut s,
        "中共东家公司支部委员会",
        OrgType::Branch,
        "挂靠组建",
        &[&host_unit, &b],
    );
    full_member(&mut s, &host, Some(&b), 5);
    // Only a 预备党员: not 1–2 正式.
    let c = bare_unit(&mut s, "丙公司", 10);
    probationary_member(&mut s, &top, Some(&c), 7, d(2026, 2, 1));
    // Three 正式: that is 应建未建, not this rule.
    let dd = bare_unit(&mut s, "丁公司", 10);
    for seq in 11..=13 {
        full_member(&mut s, &top, Some(&dd), seq);
    }
    let found = findings(&s, Rule::FewMembersUncovered, today());
    assert_eq!(subjects(&found), ["甲公司"]);
    assert!(
        found[0].message.contains("正式党员 2 名"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].severity, Severity::Warning);
}

#[test]
fn large_units_without_members_or_cover() {
    let (mut s, top) = with_committee();
    bare_unit(&mut s, "五十一人公司", 51);
    bare_unit(&mut s, "五十人公司", 50);
    let with_member = bare_unit(&mut s, "有预备党员公司", 51);
    probationary_member(&mut s, &top, Some(&with_member), 1, d(2026, 5, 1));
    let found = findings(&s, Rule::NoMembersLargeUnit, today());
    assert_eq!(subjects(&found), ["五十一人公司"]);
    assert!(
        found[0].message.contains("超过 50 人"),
        "{}",
        found[0].message
    );

    bare_unit(&mut s, "一百零一人公司", 101);
    bare_unit(&mut s, "一百人公司", 100);
    let covered = bare_unit(&mut s, "已覆盖百人公司", 101);
    org_over(
        &mut s,
        "中共城关镇第一联合支部委员会",
        OrgType::JointBranch,
        "联合组建",
        &[&covered],
    );
    let found = findings(&s, Rule::LargeUnitUncovered, today());
    assert_eq!(subjects(&found), ["一百零一人公司"]);
    assert!(found[0].message.contains("超过 100 人"));
    let p = RuleParams {
        must_cover_employees_over: 101,
        ..RuleParams::default()
    };
    assert!(findings_with(&s, Rule::LargeUnitUncovered, today(), &p).is_empty());
}

#[test]
fn joint_branch_unit_limit() {
    let mut s = store();
    let units: Vec<Unit> = (0..7)
        .map(|i| bare_unit(&mut s, &format!("联合{i}号公司"), 10))
        .collect();
    let five: Vec<&Unit> = units[..5].iter().collect();
    org_over(
        &mut s,
        "中共五家联合支部委员会",
        OrgType::JointBranch,
        "联合组建",
        &five,
    );
    let six: Vec<&Unit> = units[..6].iter().collect();
    org_over(
        &mut s,
        "中共六家联合支部委员会",
        OrgType::JointBranch,
        "联合组建",
        &six,
    );
    let found = findings(&s, Rule::JointBranchTooManyUnits, today());
    assert_eq!(subjects(&found), ["中共六家联合支部委员会"]);
    assert!(
        found[0].message.contains("6 个，超过 5 个"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].subject_type, SubjectType::Org);
    // One of the six is 注销: five operating units left.
    let mut gone = units[0].clone();
    gone.status = UnitStatus::Deregistered;
    s.update(gone).unwrap();
    assert!(findings(&s, Rule::JointBranchTooManyUnits, today()).is_empty());
    // The limit is a parameter.
    let p = RuleParams {
        joint_branch_max_units: 3,
        ..RuleParams::default()
    };
    assert_eq!(
        findings_with(&s, Rule::JointBranchTooManyUnits, today(), &p).len(),
        2
    );
}

#[test]
fn branch_member_limit() {
    let mut s = store();
    let (_, fifty) = unit_and_org(&mut s, "五十人公司");
    let (_, many) = unit_and_org(&mut s, "五十一人公司");
    let u = bare_unit(&mut s, "总支公司", 10);
    let general = org_over(
        &mut s,
        "中共总支公司总支部委员会",
        OrgType::GeneralBranch,
        "单独组建",
        &[&u],
    );
    for i in 0..50 {
        full_member(&mut s, &fifty, None, 100 + i);
        full_member(&mut s, &many, None, 200 + i);
        full_member(&mut s, &general, None, 300 + i);
    }
    full_member(&mut s, &many, None, 299);
    full_member(&mut s, &general, None, 399);
    let found = findings(&s, Rule::BranchTooManyMembers, today());
    assert_eq!(
        subjects(&found),
        ["中共五十一人公司支部委员会"],
        "a 党总支 is not a 党支部"
    );
    assert!(found[0].message.contains("党员 51 名，超过 50 名"));
}

#[test]
fn committee_required_from_seven_full_members() {
    let mut s = store();
    let seats = |n: usize| {
        JsonList(
            ["书记", "组织委员", "宣传委员"][..n]
                .iter()
                .map(|r| CommitteeSeat {
                    role: r.to_string(),
                    name: format!("{r}某"),
                    member_id: None,
                })
                .collect(),
        )
    };
    let (_, mut seven) = unit_and_org(&mut s, "七人公司");
    let (_, mut six_plus) = unit_and_org(&mut s, "六正一预公司");
    let (_, mut seated) = unit_and_org(&mut s, "有支委会公司");
    for i in 0..7 {
        full_member(&mut s, &seven, None, 10 + i);
        full_member(&mut s, &seated, None, 30 + i);
        if i < 6 {
            full_member(&mut s, &six_plus, None, 20 + i);
        }
    }
    probationary_member(&mut s, &six_plus, None, 29, d(2026, 6, 1));
    seven.committee = seats(2);
    six_plus.committee = seats(2);
    seated.committee = seats(3);
    for o in [seven, six_plus, seated] {
        s.update(o).unwrap();
    }
    let found = findings(&s, Rule::CommitteeMissing, today());
    assert_eq!(subjects(&found), ["中共七人公司支部委员会"]);
    assert!(found[0].message.contains("正式党员 7 名，班子成员仅 2 人"));
}

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

#[test]
fn host_unit_branch_with_attached_units_is_still_its_own() {
    let mut s = store();
    // 戊's branch, named after it, is marked 挂靠组建 because 己 is attached to it.
    let host = bare_unit(&mut s, "戊公司", 80);
    let attached = bare_unit(&mut s, "己公司", 20);
    let branch = org_over(
        &mut s,
        "中共戊公司支部委员会",
        OrgType::Branch,
        "挂靠组建",
        &[&host, &attached],
    );
    for seq in 31..=33 {
        full_member(&mut s, &branch, Some(&host), seq);
    }
    // 己 has 3 正式 of its own and only the host's branch: it still should build one.
    for seq in 41..=43 {
        full_member(&mut s, &branch, Some(&attached), seq);
    }
    let f = findings(&s, taizhang::rules::Rule::OrgNotBuilt, today());
    assert_eq!(subjects(&f), vec!["己公司"]);
}

#[test]
fn a_branch_named_after_its_unit_is_its_own_whatever_the_brackets() {
    let mut s = store();
    // The unit typed with full-width brackets, its branch's 全称 with half-width ones.
    let host = bare_unit(&mut s, "庚（集团）有限公司", 80);
    let attached = bare_unit(&mut s, "辛有限公司", 20);
    let branch = org_over(
        &mut s,
        "中共庚(集团)有限公司支部委员会",
        OrgType::Branch,
        "挂靠组建",
        &[&host, &attached],
    );
    for seq in 51..=53 {
        full_member(&mut s, &branch, Some(&host), seq);
    }
    for seq in 61..=63 {
        full_member(&mut s, &branch, Some(&attached), seq);
    }
    let f = findings(&s, taizhang::rules::Rule::OrgNotBuilt, today());
    assert_eq!(subjects(&f), vec!["辛有限公司"]);
}
