//! The rules of DESIGN.md §5 on coverage and structure: for each rule a ledger where it fires
//! and the nearest one where it must not. (换届, 预备期, scope and parameters:
//! tests/rules_time.rs; 组织生活, inspections and visits: tests/rules_life.rs; the demo county:
//! tests/rules_demo.rs.)

mod common;
use common::*;
use taizhang::model::*;
use taizhang::rules::{Rule, RuleParams, Severity, SubjectType};

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
