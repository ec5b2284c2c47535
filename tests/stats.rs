//! Statistics on small ledgers: the coverage definitions of DESIGN.md §5, 三会一课 completion
//! per quarter, 十个有 达标, and the member breakdowns.

mod common;
use common::*;
use taizhang::model::*;
use taizhang::report::{compute, stats_store, StatsOptions};
use taizhang::rules::periods::quarters_of;
use taizhang::rules::{Ledger, RuleParams};

#[test]
fn coverage_rates_follow_the_definitions() {
    let mut s = store();
    let active = s
        .insert(Instructor {
            meta: Meta::default(),
            name: "在岗指导员".into(),
            employer: None,
            phone: None,
            active: true,
        })
        .unwrap();
    let retired = s
        .insert(Instructor {
            meta: Meta::default(),
            name: "离岗指导员".into(),
            employer: None,
            phone: None,
            active: false,
        })
        .unwrap();
    let own = bare_unit(&mut s, "单独公司", 10);
    org_over(
        &mut s,
        "中共单独公司支部委员会",
        OrgType::Branch,
        "单独组建",
        &[&own],
    );
    let joined = bare_unit(&mut s, "联合公司", 10);
    let other = bare_unit(&mut s, "联合伙伴公司", 10);
    org_over(
        &mut s,
        "中共第一联合支部委员会",
        OrgType::JointBranch,
        "联合组建",
        &[&joined, &other],
    );
    let mut guided = bare_unit(&mut s, "有指导员公司", 10);
    guided.instructor_id = Some(active.meta.id);
    s.update(guided).unwrap();
    let mut union = bare_unit(&mut s, "有工会公司", 10);
    union.has_union = true;
    s.update(union).unwrap();
    let mut left = bare_unit(&mut s, "指导员离岗公司", 10);
    left.instructor_id = Some(retired.meta.id);
    s.update(left).unwrap();
    bare_unit(&mut s, "空白公司", 10);
    let gone = bare_unit(&mut s, "注销公司", 10);
    let mut dissolved = org_over(
        &mut s,
        "中共注销公司支部委员会",
        OrgType::Branch,
        "单独组建",
        &[&gone],
    );
    let mut g: Unit = s.get(&gone.meta.id).unwrap();
    g.status = UnitStatus::Deregistered;
    s.update(g).unwrap();
    // A unit whose only org was 撤销 is not covered.
    let lapsed = bare_unit(&mut s, "撤销公司", 10);
    dissolved.unit_ids.push(lapsed.meta.id);
    dissolved.status = OrgStatus::Dissolved;
    s.update(dissolved).unwrap();

    let st = stats_store(&s, today(), &StatsOptions::default()).unwrap();
    let c = &st.coverage;
    // 在营: 单独, 联合, 联合伙伴, 指导员, 工会, 离岗, 空白, 撤销 = 8.
    assert_eq!(
        (c.units, c.covered, c.standalone, c.work_covered),
        (8, 3, 1, 5)
    );
    assert_eq!(st.org_coverage_rate, 0.375);
    assert_eq!(st.standalone_rate, 0.125);
    assert_eq!(st.work_coverage_rate, 0.625);
    assert_eq!(st.units.on_record, 9);
    assert_eq!(st.orgs.total, 2);
    assert_eq!(st.orgs.dissolved, 1);
    // Counting 联合组建 as "own" is a parameter of the rules, and the rate follows it.
    let p = RuleParams {
        own_org_formations: vec!["单独组建".into(), "联合组建".into()],
        ..RuleParams::default()
    };
    let l = Ledger::load(&s, today()).unwrap();
    let st = compute(&l, &p, &StatsOptions::default());
    assert_eq!(st.coverage.standalone, 3);
    assert!(st.definitions[1].text.contains("单独组建、联合组建"));
}

#[test]
fn meeting_completion_per_quarter() {
    let mut s = store();
    // 新支部: founded 2026-08-15 with a committee; only September's 支委会 is required in Q3.
    let (u, mut young) = unit_and_org(&mut s, "新公司");
    young.founded_on = Some(d(2026, 8, 15));
    young.elected_on = Some(d(2026, 8, 15));
    young.committee = JsonList(
        ["书记", "组织委员", "宣传委员"]
            .iter()
            .map(|r| CommitteeSeat {
                role: r.to_string(),
                name: format!("{r}某"),
                member_id: None,
            })
            .collect(),
    );
    let young = s.update(young).unwrap().record;
    full_member(&mut s, &young, Some(&u), 1);
    meeting(
        &mut s,
        &young,
        &[ActivityType::CommitteeMeeting],
        d(2026, 9, 3),
    );
    // 老支部: 支部党员大会 and 党课 due once in Q3, nothing held.
    let (u2, old) = unit_and_org(&mut s, "老公司");
    full_member(&mut s, &old, Some(&u2), 3);

    let st = stats_store(
        &s,
        today(),
        &StatsOptions {
            area: None,
            quarters: Some(quarters_of(2026)),
        },
    )
    .unwrap();
    let q3 = st.meetings.iter().find(|q| q.quarter == "2026Q3").unwrap();
    assert_eq!(q3.label, "2026年第三季度");
    assert_eq!((q3.required, q3.held), (3, 1));
    assert_eq!(q3.rate, 0.3333);
    assert_eq!((q3.orgs, q3.orgs_complete), (2, 1));
    let committee = q3
        .by_type
        .iter()
        .find(|t| t.activity_type == "支委会")
        .unwrap();
    assert_eq!((committee.required, committee.held), (1, 1));
    // Q4 is not over on 2026-11-21: only October's 支委会 is required so far.
    let q4 = st.meetings.iter().find(|q| q.quarter == "2026Q4").unwrap();
    assert_eq!((q4.required, q4.held, q4.rate), (1, 0, 0.0));
    // Q1 and Q2: before the young branch was founded, so only the old one counts.
    let q1 = &st.meetings[0];
    assert_eq!(
        (q1.quarter.as_str(), q1.orgs, q1.required),
        ("2026Q1", 1, 2)
    );
}

#[test]
fn inspections_and_members() {
    let mut s = store();
    let (u, good) = unit_and_org(&mut s, "达标公司");
    full_member(&mut s, &good, Some(&u), 1);
    inspect(&mut s, &good, d(2026, 5, 1), &[]);
    let (u2, gaps) = unit_and_org(&mut s, "未达标公司");
    full_member(&mut s, &gaps, Some(&u2), 3);
    inspect(&mut s, &gaps, d(2026, 5, 1), &["flag"]);
    let (u3, stale) = unit_and_org(&mut s, "超期公司");
    let mut m = member(&stale, "无学历", 5);
    m.work_unit_id = Some(u3.meta.id);
    m.id_number = id_number("19960101", 5);
    m.birth_date = None;
    m.joined_on = d(2018, 7, 1);
    m.confirmed_on = Some(d(2019, 7, 1));
    s.write(|tx| tx.add_member(m)).unwrap();
    inspect(&mut s, &stale, d(2025, 11, 1), &[]);

    let st = stats_store(&s, today(), &StatsOptions::default()).unwrap();
    let i = &st.inspections;
    assert_eq!((i.orgs, i.inspected, i.passed), (3, 2, 1));
    assert_eq!(i.rate, 0.3333);

    let m = &st.members;
    assert_eq!((m.total, m.full, m.probationary), (3, 3, 0));
    let band = |n: &str| m.by_age_band.iter().find(|c| c.name == n).unwrap().count;
    assert_eq!(band("30岁及以下"), 1, "born 1996-01-01, 30 on 2026-11-21");
    assert_eq!(band("36至40岁"), 2, "born 1988-05-12");
    let unknown = m.by_education.iter().find(|c| c.name == "未填写").unwrap();
    assert_eq!(unknown.count, 3);
    assert_eq!(m.by_education[0].name, "研究生", "dictionary order");
}

/// 乡镇街道 are listed in 拼音 order (as everywhere else), 未填写 last — not in the order the
/// ledger happened to meet them.
#[test]
fn areas_in_pinyin_order() {
    let mut s = store();
    for (name, area) in [
        ("甲公司", Some("城关镇")),
        ("乙公司", None),
        ("丙公司", Some("安乐镇")),
        ("丁公司", Some("北关街道")),
        ("戊公司", Some("城关镇")),
    ] {
        let mut u = Unit::new(name, UnitCategory::Enterprise);
        u.area = area.map(str::to_string);
        u.employees = Some(5);
        s.insert(u).unwrap();
    }
    let st = stats_store(&s, today(), &StatsOptions::default()).unwrap();
    let areas: Vec<(&str, usize)> = st
        .units
        .by_area
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(
        areas,
        [("安乐镇", 1), ("北关街道", 1), ("城关镇", 2), ("未填写", 1)]
    );
    let rows: Vec<&str> = st.by_area.iter().map(|a| a.area.as_str()).collect();
    assert_eq!(rows, ["安乐镇", "北关街道", "城关镇", "未填写", "合计"]);
}
