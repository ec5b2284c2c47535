//! The rules on 组织生活 (missing periods, 补记, 6 months without attendance or 党费),
//! 十个有 inspections and visits' 整改事项: each where it fires and the nearest case where it
//! must not.

mod common;
use chrono::{Datelike, Months, NaiveDate};
use common::*;
use taizhang::model::*;
use taizhang::rules::{Frequency, Rule, RuleParams, SubjectType};
use taizhang::Store;

/// Every month from `from` to `to` (inclusive), as the 10th of the month.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = from.with_day(10).unwrap();
    while m <= to {
        out.push(m);
        m = m + Months::new(1);
    }
    out
}

/// An org with two members (公民身份号码 sequence numbers `seq` and `seq + 2`).
fn org_with_members(s: &mut Store, name: &str, seq: u32) -> Org {
    let (u, o) = unit_and_org(s, name);
    full_member(s, &o, Some(&u), seq);
    full_member(s, &o, Some(&u), seq + 2);
    o
}

#[test]
fn missing_monthly_theme_days() {
    let mut s = store();
    let o = org_with_members(&mut s, "甲公司", 110);
    // 2025-11 … 2026-10 are checked on 2026-11-21; March is missing.
    for m in months(d(2025, 11, 1), d(2026, 10, 31)) {
        if m.month() != 3 {
            meeting(&mut s, &o, &[ActivityType::ThemeDay], m);
        }
    }
    let f = findings(&s, Rule::MissingThemeDay, today());
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].due,
        Some(d(2026, 3, 31)),
        "due at the end of the missing month"
    );
    assert!(
        f[0].message.contains("缺少 1 期：2026年3月"),
        "{}",
        f[0].message
    );
    assert!(f[0].message.contains("共 12 期"), "{}", f[0].message);
    // The current month (November, not yet over) is not required.
    // A meeting on 1 April does not fill March; one on 31 March does.
    meeting(&mut s, &o, &[ActivityType::ThemeDay], d(2026, 4, 1));
    assert_eq!(findings(&s, Rule::MissingThemeDay, today()).len(), 1);
    meeting(&mut s, &o, &[ActivityType::ThemeDay], d(2026, 3, 31));
    assert!(findings(&s, Rule::MissingThemeDay, today()).is_empty());
    // Periods before the org was founded are not required.
    let o2 = org_with_members(&mut s, "乙公司", 120);
    let mut o2b: Org = s.get(&o2.meta.id).unwrap();
    o2b.founded_on = Some(d(2026, 3, 2));
    o2b.elected_on = Some(d(2026, 3, 2));
    s.update(o2b.clone()).unwrap();
    for m in months(d(2026, 4, 1), d(2026, 10, 31)) {
        meeting(&mut s, &o2, &[ActivityType::ThemeDay], m);
    }
    assert!(
        findings(&s, Rule::MissingThemeDay, today()).is_empty(),
        "March started before 3-02"
    );
    o2b.founded_on = Some(d(2026, 3, 1));
    o2b.elected_on = Some(d(2026, 3, 1));
    s.update(o2b).unwrap();
    let f = findings(&s, Rule::MissingThemeDay, today());
    assert_eq!(subjects(&f), ["中共乙公司支部委员会"]);
    assert!(f[0].message.contains("共 8 期") && f[0].message.contains("2026年3月"));
}

#[test]
fn quarterly_and_yearly_meetings() {
    let mut s = store();
    let o = org_with_members(&mut s, "甲公司", 130);
    // One meeting that is both 支部党员大会 and 党课 in each of the last four quarters.
    for m in [d(2025, 11, 5), d(2026, 2, 5), d(2026, 5, 5), d(2026, 8, 5)] {
        meeting(
            &mut s,
            &o,
            &[ActivityType::BranchMeeting, ActivityType::PartyLecture],
            m,
        );
    }
    assert!(findings(&s, Rule::MissingBranchMeeting, today()).is_empty());
    assert!(findings(&s, Rule::MissingPartyLecture, today()).is_empty());
    // The 2025 组织生活会 was held in January 2026: 2025 is missing, 2026 is not over.
    meeting(&mut s, &o, &[ActivityType::LifeMeeting], d(2026, 1, 5));
    let f = findings(&s, Rule::MissingLifeMeeting, today());
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("缺少 1 期：2025年"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].due, Some(d(2025, 12, 31)));
    meeting(&mut s, &o, &[ActivityType::LifeMeeting], d(2025, 12, 20));
    assert!(findings(&s, Rule::MissingLifeMeeting, today()).is_empty());
    // 民主评议党员: none at all.
    assert_eq!(findings(&s, Rule::MissingMemberReview, today()).len(), 1);
    // Frequencies are parameters: 党课 monthly now misses 8 months; "never" checks nothing.
    let mut p = RuleParams::default();
    p.meetings.party_lecture = Frequency::Monthly;
    let f = findings_with(&s, Rule::MissingPartyLecture, today(), &p);
    assert!(f[0].message.contains("缺少 8 期"), "{}", f[0].message);
    p.meetings.member_review = Frequency::Never;
    assert!(findings_with(&s, Rule::MissingMemberReview, today(), &p).is_empty());
    // An org without members keeps no 组织生活.
    let u = bare_unit(&mut s, "空壳公司", 5);
    org_over(
        &mut s,
        "中共空壳公司支部委员会",
        OrgType::Branch,
        "单独组建",
        &[&u],
    );
    assert_eq!(findings(&s, Rule::MissingMemberReview, today()).len(), 1);
}

#[test]
fn committee_and_group_meetings_only_where_they_apply() {
    let mut s = store();
    let mut two = org_with_members(&mut s, "两委员公司", 140);
    let mut three = org_with_members(&mut s, "三委员公司", 150);
    let seat = |r: &str| CommitteeSeat {
        role: r.into(),
        name: format!("{r}某"),
        member_id: None,
    };
    two.committee = JsonList(vec![seat("书记"), seat("组织委员")]);
    three.committee = JsonList(vec![seat("书记"), seat("组织委员"), seat("宣传委员")]);
    let two = s.update(two).unwrap().record;
    s.update(three).unwrap();
    let f = findings(&s, Rule::MissingCommitteeMeeting, today());
    assert_eq!(
        subjects(&f),
        ["中共三委员公司支部委员会"],
        "no 支委会 without a committee"
    );
    assert!(f[0].message.contains("缺少 12 期"), "{}", f[0].message);

    // 党小组会: off by default; with a threshold, orgs at or above it.
    assert!(findings(&s, Rule::MissingGroupMeeting, today()).is_empty());
    full_member(&mut s, &two, None, 5);
    let p = RuleParams {
        group_meeting_min_members: Some(3),
        ..RuleParams::default()
    };
    let f = findings_with(&s, Rule::MissingGroupMeeting, today(), &p);
    assert_eq!(subjects(&f), ["中共两委员公司支部委员会"]);
    assert!(f[0].message.contains("党员 3 名以上"), "{}", f[0].message);
}

#[test]
fn late_entries_by_local_date() {
    let mut s = store();
    let o = org_with_members(&mut s, "甲公司", 160);
    let add = |s: &mut Store, held: NaiveDate, recorded: &str, topic: &str| {
        let mut a = Activity::new(o.meta.id, vec![ActivityType::ThemeDay], held, topic);
        a.recorded_at = recorded.into();
        s.write(|tx| tx.add_activity(a, &[])).unwrap();
    };
    // Held 30 January. 1 March 10:00 in China is 30 days later: not 补记.
    add(&mut s, d(2026, 1, 30), "2026-03-01T02:00:00.000Z", "三十天");
    // 1 March 16:30 UTC is 2 March 00:30 in China: 31 days, 补记.
    add(
        &mut s,
        d(2026, 1, 30),
        "2026-03-01T16:30:00.000Z",
        "三十一天",
    );
    // 补记 long ago, outside the 12 months looked at.
    add(&mut s, d(2025, 10, 1), "2026-01-01T02:00:00.000Z", "去年");
    let f = findings(&s, Rule::LateEntry, today());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].subject_type, SubjectType::Activity);
    assert!(f[0].subject_name.contains("三十一天"));
    assert!(f[0].message.contains("2026-03-02") && f[0].message.contains("31 天"));
    assert_eq!(f[0].due, Some(d(2026, 3, 1)));
    let p = RuleParams {
        late_entry_days: 31,
        ..RuleParams::default()
    };
    assert!(findings_with(&s, Rule::LateEntry, today(), &p).is_empty());
}

#[test]
fn six_months_without_attendance_or_dues() {
    let mut s = store();
    let (u, o) = unit_and_org(&mut s, "甲公司");
    let absent = full_member(&mut s, &o, Some(&u), 1);
    full_member(&mut s, &o, Some(&u), 3);
    let payer = full_member(&mut s, &o, Some(&u), 5);
    let mut mobile = member(&o, "流动", 7);
    mobile.is_mobile = true;
    mobile.mobile_to = Some("浙江杭州".into());
    let mobile = s.write(|tx| tx.add_member(mobile)).unwrap();
    probationary_member(&mut s, &o, Some(&u), 9, d(2026, 5, 22));
    // 2026-05-21: everybody present but 缺席者 (absent, which is no sign of life).
    let a = Activity::new(
        o.meta.id,
        vec![ActivityType::ThemeDay],
        d(2026, 5, 21),
        "五月",
    );
    s.write(|tx| tx.add_activity(a, &[(absent.meta.id, Some("出差".into()))]))
        .unwrap();
    // 出席者 was also at a meeting on 5-22 (exactly six months before 11-22).
    let a = Activity::new(
        o.meta.id,
        vec![ActivityType::ThemeDay],
        d(2026, 5, 22),
        "五月二",
    );
    let skip: Vec<(Id, Option<String>)> = [absent.meta.id, payer.meta.id, mobile.meta.id]
        .into_iter()
        .map(|m| (m, None))
        .collect();
    s.write(|tx| tx.add_activity(a, &skip)).unwrap();
    // 交费者 paid June; 缺席者 has an unpaid June row, which does not count.
    for (m, paid) in [(payer.meta.id, true), (absent.meta.id, false)] {
        let mut du = Dues::blank();
        du.member_id = m;
        du.month = "2026-06".into();
        du.base = Money::from_yuan(3000);
        if paid {
            du.paid = Some(Money::from_yuan(15));
            du.paid_on = Some(d(2026, 6, 10));
        }
        s.insert(du).unwrap();
    }

    let names = |on| subjects(&findings(&s, Rule::LapsedMember, on));
    // 缺席者 has no sign of life since 入党 in 2012; 流动 was last there on 5-21; 出席者 on 5-22;
    // 交费者 was last there on 5-21 but paid for June.
    assert_eq!(names(d(2026, 11, 20)), ["党员1"]);
    assert_eq!(names(d(2026, 11, 21)), ["党员1", "流动"]);
    assert_eq!(names(d(2026, 11, 22)), ["党员1", "党员3", "流动", "预备9"]);
    let f = findings(&s, Rule::LapsedMember, today());
    let m = f.iter().find(|x| x.subject_name == "流动").unwrap();
    assert_eq!(m.due, Some(d(2026, 11, 21)));
    assert!(m.message.contains("流动党员") && m.message.contains("2026-05-21"));
    assert!(m.message.contains("党章第九条") && m.message.contains("6 个月"));
    let p = RuleParams {
        lapse_months: 7,
        ..RuleParams::default()
    };
    assert_eq!(
        subjects(&findings_with(&s, Rule::LapsedMember, today(), &p)),
        ["党员1"]
    );
}

#[test]
fn inspection_gaps_and_stale_inspections() {
    let mut s = store();
    let fixed = org_with_members(&mut s, "已整改公司", 170);
    inspect(&mut s, &fixed, d(2025, 12, 1), &["flag"]);
    inspect(&mut s, &fixed, d(2026, 6, 1), &[]);
    let open = org_with_members(&mut s, "未整改公司", 180);
    inspect(&mut s, &open, d(2026, 6, 1), &["flag", "seal"]);
    // An inspection after the check date is not seen.
    inspect(&mut s, &open, d(2026, 11, 21), &[]);
    let f = findings(&s, Rule::InspectionGaps, d(2026, 11, 20));
    assert_eq!(subjects(&f), ["中共未整改公司支部委员会"]);
    assert!(
        f[0].message
            .contains("2 项未达标：有党旗（无）、有公章（无）"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].due, Some(d(2026, 6, 1)));
    assert!(findings(&s, Rule::InspectionGaps, d(2026, 11, 21)).is_empty());

    let mut s = store();
    let year = org_with_members(&mut s, "整一年公司", 190);
    inspect(&mut s, &year, d(2025, 11, 21), &[]);
    let over = org_with_members(&mut s, "超一天公司", 200);
    inspect(&mut s, &over, d(2025, 11, 20), &[]);
    // Never inspected: counted from 成立日期.
    let new = org_with_members(&mut s, "新成立公司", 210);
    let mut o: Org = s.get(&new.meta.id).unwrap();
    o.founded_on = Some(d(2026, 1, 1));
    o.elected_on = Some(d(2026, 1, 1));
    s.update(o).unwrap();
    let old = org_with_members(&mut s, "从未检查公司", 220);
    // No members: not inspected, not flagged.
    org_over(&mut s, "中共空支部委员会", OrgType::Branch, "单独组建", &[]);
    let f = findings(&s, Rule::InspectionStale, today());
    assert_eq!(
        subjects(&f),
        ["中共从未检查公司支部委员会", "中共超一天公司支部委员会"]
    );
    let never = f.iter().find(|x| x.subject_id == old.meta.id).unwrap();
    assert_eq!(never.due, Some(d(2019, 7, 1)));
    assert!(never.message.contains("从未"), "{}", never.message);
    let p = RuleParams {
        inspection_max_age_months: 13,
        ..RuleParams::default()
    };
    assert_eq!(
        subjects(&findings_with(&s, Rule::InspectionStale, today(), &p)),
        ["中共从未检查公司支部委员会"]
    );
}

#[test]
fn overdue_follow_ups_of_visits() {
    let mut s = store();
    let ins = s
        .insert(Instructor {
            meta: Meta::default(),
            name: "周指导".into(),
            employer: None,
            phone: None,
            active: true,
        })
        .unwrap();
    let u = bare_unit(&mut s, "甲公司", 30);
    let mut gone = bare_unit(&mut s, "已注销公司", 30);
    let item = |c: &str, due: NaiveDate, closed: Option<NaiveDate>| FollowUp {
        content: c.into(),
        due_on: Some(due),
        closed_on: closed,
    };
    let mut v = Visit::blank();
    v.instructor_id = ins.meta.id;
    v.unit_id = u.meta.id;
    v.visited_on = d(2026, 10, 1);
    v.findings = "党旗破损，制度未上墙".into();
    v.followups = JsonList(vec![
        item("更换党旗", d(2026, 11, 20), None),
        item("制度上墙", d(2026, 11, 21), None),
        item("完善台账", d(2026, 10, 20), Some(d(2026, 11, 15))),
    ]);
    let v = s.insert(v).unwrap();
    let mut v2 = Visit::blank();
    v2.instructor_id = ins.meta.id;
    v2.unit_id = gone.meta.id;
    v2.visited_on = d(2026, 9, 1);
    v2.findings = "已停产".into();
    v2.followups = JsonList(vec![item("补建党组织", d(2026, 10, 1), None)]);
    s.insert(v2).unwrap();
    gone.status = UnitStatus::Deregistered;
    s.update(gone).unwrap();

    let f = findings(&s, Rule::FollowUpOverdue, today());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].subject_type, SubjectType::Visit);
    assert_eq!(f[0].subject_id, v.meta.id);
    assert_eq!(f[0].due, Some(d(2026, 11, 20)));
    assert!(f[0].message.contains("更换党旗") && f[0].message.contains("逾期 1 天"));
    // Closed on the 15th: before that date it was still open and overdue.
    let f = findings(&s, Rule::FollowUpOverdue, d(2026, 11, 14));
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("完善台账"), "{}", f[0].message);
    // Open but not yet overdue: 制度上墙 (due today) stays on the 工作台 until closed.
    let open = findings(&s, Rule::FollowUpOpen, today());
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(open[0].message.contains("制度上墙") && open[0].message.contains("尚未办结"));
    // Before either fell due, both open items were listed; the closed one never after closing.
    let open = findings(&s, Rule::FollowUpOpen, d(2026, 11, 16));
    let listed: Vec<bool> = ["更换党旗", "制度上墙", "完善台账"]
        .iter()
        .map(|w| open.iter().any(|f| f.message.contains(w)))
        .collect();
    assert_eq!(listed, vec![true, true, false]);
}
