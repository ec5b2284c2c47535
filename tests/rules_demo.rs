//! The demo county (60 units, seed 7, as of 2026-11-21): `check` and `stats` agree with
//! counts written here independently, in plain SQL over the store.

use chrono::NaiveDate;
use rusqlite::params;
use std::collections::{BTreeMap, BTreeSet};
use taizhang::demo::{generate, DemoOptions};
use taizhang::report::{stats_store, StatsOptions};
use taizhang::rules::{self, Finding, Rule, Scope};
use taizhang::Store;

const AS_OF: &str = "2026-11-21";

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn demo() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    generate(
        &mut s,
        &DemoOptions {
            units: 60,
            seed: 7,
            as_of: as_of(),
        },
    )
    .unwrap();
    s
}

/// Ids returned by a query with `?1` = the check date.
fn ids(s: &Store, sql: &str) -> BTreeSet<String> {
    let mut st = s.conn().prepare(sql).unwrap();
    st.query_map([AS_OF], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn count(s: &Store, sql: &str) -> usize {
    s.conn()
        .query_row(sql, [AS_OF], |r| r.get::<_, i64>(0))
        .unwrap() as usize
}

fn found(all: &[Finding], rule: Rule) -> BTreeSet<String> {
    all.iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.subject_id.to_string())
        .collect()
}

/// Units whose 在册 正式党员 working there number in `lo..=hi`.
const FULL_IN_UNIT: &str = "(SELECT count(*) FROM member m WHERE m.work_unit_id = u.id
     AND m.status = '在册' AND m.category = '正式党员')";
const COVERED: &str = "EXISTS (SELECT 1 FROM org_unit ou JOIN org o ON o.id = ou.org_id
     WHERE ou.unit_id = u.id AND o.status = '正常')";
/// An org of the unit's own: 单独组建, or named after the unit (a host unit's branch that
/// others 挂靠 to).
const OWN_ORG: &str = "EXISTS (SELECT 1 FROM org_unit ou JOIN org o ON o.id = ou.org_id
     WHERE ou.unit_id = u.id AND o.status = '正常'
       AND (o.formation = '单独组建' OR instr(o.name, u.name) > 0))";
/// Orgs that keep 组织生活: active, with a 在册 member.
const GRASSROOTS: &str = "o.status = '正常' AND EXISTS (SELECT 1 FROM member m
     WHERE m.org_id = o.id AND m.status = '在册')";
const BRANCH_TYPES: &str = "o.org_type IN ('党支部', '联合党支部', '临时党支部')";

/// Orgs (id, 成立日期) that must hold a kind of meeting, with the periods (start, end) it
/// lacks one in: periods starting on or after 成立日期.
fn lacking(s: &Store, extra: &str, kind: &str, periods: &[(&str, &str)]) -> BTreeSet<String> {
    let sql = format!("SELECT o.id, o.founded_on FROM org o WHERE {GRASSROOTS} {extra}");
    let mut st = s.conn().prepare(&sql).unwrap();
    let orgs: Vec<(String, Option<String>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = BTreeSet::new();
    for (org, founded) in orgs {
        for (start, end) in periods {
            if founded.as_deref().is_some_and(|f| f > *start) {
                continue;
            }
            let held: i64 = s
                .conn()
                .query_row(
                    "SELECT count(*) FROM activity WHERE org_id = ?1 AND held_on BETWEEN ?2 AND ?3
                     AND EXISTS (SELECT 1 FROM json_each(types) WHERE value = ?4)",
                    params![org, start, end, kind],
                    |r| r.get(0),
                )
                .unwrap();
            if held == 0 {
                out.insert(org.clone());
                break;
            }
        }
    }
    out
}

const MONTHS: [(&str, &str); 12] = [
    ("2025-11-01", "2025-11-30"),
    ("2025-12-01", "2025-12-31"),
    ("2026-01-01", "2026-01-31"),
    ("2026-02-01", "2026-02-28"),
    ("2026-03-01", "2026-03-31"),
    ("2026-04-01", "2026-04-30"),
    ("2026-05-01", "2026-05-31"),
    ("2026-06-01", "2026-06-30"),
    ("2026-07-01", "2026-07-31"),
    ("2026-08-01", "2026-08-31"),
    ("2026-09-01", "2026-09-30"),
    ("2026-10-01", "2026-10-31"),
];
const QUARTERS: [(&str, &str); 4] = [
    ("2025-10-01", "2025-12-31"),
    ("2026-01-01", "2026-03-31"),
    ("2026-04-01", "2026-06-30"),
    ("2026-07-01", "2026-09-30"),
];

#[test]
fn check_agrees_with_sql_on_the_demo_county() {
    let s = demo();
    let all = rules::check_store(&s, as_of(), &Scope::default()).unwrap();
    let per_rule: BTreeMap<&str, usize> = rules::count_by_rule(&all)
        .iter()
        .map(|c| (c.rule.code(), c.count))
        .collect();
    eprintln!("findings per rule: {per_rule:#?}");

    let expect = |rule: Rule, sql: &str| {
        let want = ids(&s, sql);
        let got = found(&all, rule);
        assert_eq!(got, want, "{}", rule.name());
        want.len()
    };
    let n = expect(
        Rule::OrgNotBuilt,
        &format!("SELECT u.id FROM unit u WHERE u.status = '在营' AND ?1 = ?1 AND {FULL_IN_UNIT} >= 3 AND NOT {OWN_ORG}"),
    );
    assert!(n >= 1, "the demo county has 应建未建 units");
    expect(
        Rule::FewMembersUncovered,
        &format!("SELECT u.id FROM unit u WHERE u.status = '在营' AND ?1 = ?1 AND {FULL_IN_UNIT} BETWEEN 1 AND 2 AND NOT {COVERED}"),
    );
    expect(
        Rule::NoMembersLargeUnit,
        "SELECT u.id FROM unit u WHERE u.status = '在营' AND ?1 = ?1 AND u.employees > 50
         AND NOT EXISTS (SELECT 1 FROM member m WHERE m.work_unit_id = u.id AND m.status = '在册')",
    );
    expect(
        Rule::LargeUnitUncovered,
        &format!("SELECT u.id FROM unit u WHERE u.status = '在营' AND ?1 = ?1 AND u.employees > 100 AND NOT {COVERED}"),
    );
    let n = expect(
        Rule::JointBranchTooManyUnits,
        "SELECT o.id FROM org o WHERE o.status = '正常' AND ?1 = ?1
         AND (o.org_type = '联合党支部' OR o.formation = '联合组建')
         AND (SELECT count(*) FROM org_unit ou JOIN unit u ON u.id = ou.unit_id
              WHERE ou.org_id = o.id AND u.status = '在营') > 5",
    );
    assert!(n >= 1, "a 联合党支部 over the limit");
    expect(
        Rule::BranchTooManyMembers,
        &format!(
            "SELECT o.id FROM org o WHERE o.status = '正常' AND ?1 = ?1 AND {BRANCH_TYPES}
         AND (SELECT count(*) FROM member m WHERE m.org_id = o.id AND m.status = '在册') > 50"
        ),
    );
    expect(
        Rule::CommitteeMissing,
        &format!(
            "SELECT o.id FROM org o WHERE o.status = '正常' AND ?1 = ?1 AND {BRANCH_TYPES}
         AND json_array_length(o.committee) < 3
         AND (SELECT count(*) FROM member m WHERE m.org_id = o.id AND m.status = '在册'
              AND m.category = '正式党员') >= 7"
        ),
    );
    let term_end = "date(coalesce(o.elected_on, o.founded_on), '+' || o.term_years || ' years')";
    let electing = "o.status = '正常' AND o.org_type <> '临时党支部'";
    let n = expect(
        Rule::TermOverdue,
        &format!("SELECT o.id FROM org o WHERE {electing} AND {term_end} < ?1"),
    );
    assert!(n >= 1, "overdue 换届");
    expect(
        Rule::TermDueSoon,
        &format!("SELECT o.id FROM org o WHERE {electing} AND {term_end} BETWEEN ?1 AND date(?1, '+90 days')"),
    );
    expect(
        Rule::TermUnknown,
        &format!("SELECT o.id FROM org o WHERE {electing} AND ?1 = ?1 AND coalesce(o.elected_on, o.founded_on) IS NULL"),
    );
    let probation_end = "coalesce(m.probation_extended_to, date(m.joined_on, '+1 year'))";
    let probationary = "m.status = '在册' AND m.category = '预备党员'";
    let n = expect(
        Rule::ProbationOverdue,
        &format!("SELECT m.id FROM member m WHERE {probationary} AND {probation_end} < ?1"),
    );
    assert!(n >= 1, "预备期 overdue");
    let n = expect(
        Rule::ProbationDueSoon,
        &format!("SELECT m.id FROM member m WHERE {probationary} AND {probation_end} BETWEEN ?1 AND date(?1, '+30 days')"),
    );
    assert!(n >= 1, "预备期 due soon");

    // Missing meetings over the twelve months before 2026-11-21.
    let meet = |rule: Rule, extra: &str, kind: &str, periods: &[(&str, &str)]| {
        let want = lacking(&s, extra, kind, periods);
        assert_eq!(found(&all, rule), want, "{}", rule.name());
        want.len()
    };
    assert!(meet(Rule::MissingThemeDay, "", "主题党日", &MONTHS) >= 1);
    meet(Rule::MissingBranchMeeting, "", "支部党员大会", &QUARTERS);
    meet(Rule::MissingPartyLecture, "", "党课", &QUARTERS);
    meet(
        Rule::MissingCommitteeMeeting,
        "AND json_array_length(o.committee) >= 3",
        "支委会",
        &MONTHS,
    );
    meet(
        Rule::MissingLifeMeeting,
        "",
        "组织生活会",
        &[("2025-01-01", "2025-12-31")],
    );
    meet(
        Rule::MissingMemberReview,
        "",
        "民主评议党员",
        &[("2025-01-01", "2025-12-31")],
    );
    assert_eq!(per_rule["missing_group_meeting"], 0, "off by default");

    let n = expect(
        Rule::LateEntry,
        "SELECT a.id FROM activity a JOIN org o ON o.id = a.org_id
         WHERE o.status = '正常' AND a.held_on > date(?1, '-12 months') AND a.held_on <= ?1
         AND julianday(date(a.recorded_at, '+8 hours')) - julianday(a.held_on) > 30",
    );
    assert!(n >= 1, "补记");
    let n = expect(
        Rule::LapsedMember,
        "SELECT m.id FROM member m WHERE m.status = '在册' AND max(m.joined_on,
           coalesce((SELECT max(a.held_on) FROM attendance t JOIN activity a ON a.id = t.activity_id
                     WHERE t.member_id = m.id AND t.present = 1 AND a.held_on <= ?1), ''),
           coalesce((SELECT max(max(coalesce(d.paid_on, d.month || '-01'), d.month || '-01')) FROM dues d
                     WHERE d.member_id = m.id AND d.paid > 0
                     AND coalesce(d.paid_on, d.month || '-01') <= ?1), ''),
           coalesce((SELECT max(e.occurred_on) FROM member_event e
                     WHERE e.member_id = m.id AND e.kind = '转入' AND e.occurred_on <= ?1), '')
         ) <= date(?1, '-6 months')",
    );
    assert!(n >= 1, "a member out of touch");
    let latest = "(SELECT i.items FROM inspection i WHERE i.org_id = o.id AND i.inspected_on <= ?1
                   ORDER BY i.inspected_on DESC, i.rowid DESC LIMIT 1)";
    expect(
        Rule::InspectionGaps,
        &format!("SELECT o.id FROM org o WHERE {GRASSROOTS} AND EXISTS (SELECT 1 FROM json_each({latest})
                  WHERE json_extract(value, '$.result') <> '有')"),
    );
    let last = "(SELECT max(i.inspected_on) FROM inspection i WHERE i.org_id = o.id AND i.inspected_on <= ?1)";
    let n = expect(
        Rule::InspectionStale,
        &format!("SELECT o.id FROM org o WHERE {GRASSROOTS} AND (
                  ({last} IS NULL AND (o.founded_on IS NULL OR date(o.founded_on, '+12 months') < ?1))
                  OR {last} < date(?1, '-12 months'))"),
    );
    assert!(n >= 1, "stale inspections");
    let want = count(
        &s,
        "SELECT count(*) FROM visit v JOIN unit u ON u.id = v.unit_id, json_each(v.followups) j
         WHERE u.status = '在营' AND v.visited_on <= ?1
         AND json_extract(j.value, '$.due_on') < ?1
         AND (json_extract(j.value, '$.closed_on') IS NULL OR json_extract(j.value, '$.closed_on') > ?1)",
    );
    assert_eq!(per_rule["follow_up_overdue"], want, "走访整改逾期");

    // Every finding is well formed and cites its rule.
    for f in &all {
        assert!(
            f.message.starts_with(&format!("【{}】", f.rule.name())),
            "{}",
            f.message
        );
        assert_eq!(f.severity, f.rule.severity());
    }
    // Scoped to an area: exactly the findings whose subject is there.
    let area = rules::check_store(
        &s,
        as_of(),
        &Scope {
            org: None,
            area: Some("城关镇".into()),
        },
    )
    .unwrap();
    assert!(!area.is_empty());
    assert_eq!(
        area.len(),
        all.iter()
            .filter(|f| f.area.as_deref() == Some("城关镇"))
            .count()
    );
}

#[test]
fn stats_agree_with_sql_on_the_demo_county() {
    let s = demo();
    let st = stats_store(&s, as_of(), &StatsOptions::default()).unwrap();
    let units = count(
        &s,
        "SELECT count(*) FROM unit u WHERE u.status = '在营' AND ?1 = ?1",
    );
    let covered = count(
        &s,
        &format!("SELECT count(*) FROM unit u WHERE u.status = '在营' AND ?1 = ?1 AND {COVERED}"),
    );
    let standalone = count(
        &s,
        &format!("SELECT count(*) FROM unit u WHERE u.status = '在营' AND ?1 = ?1 AND {OWN_ORG}"),
    );
    let work = count(
        &s,
        &format!(
            "SELECT count(*) FROM unit u WHERE u.status = '在营' AND ?1 = ?1 AND ({COVERED}
             OR u.has_union = 1 OR u.has_youth_league = 1
             OR EXISTS (SELECT 1 FROM instructor i WHERE i.id = u.instructor_id AND i.active = 1))"
        ),
    );
    let r = |n: usize| (n as f64 / units as f64 * 10000.0).round() / 10000.0;
    assert_eq!(st.units.total, units);
    assert_eq!(
        (
            st.coverage.covered,
            st.coverage.standalone,
            st.coverage.work_covered
        ),
        (covered, standalone, work)
    );
    assert_eq!(st.org_coverage_rate, r(covered));
    assert_eq!(st.standalone_rate, r(standalone));
    assert_eq!(st.work_coverage_rate, r(work));
    assert!(st.org_coverage_rate < 1.0 && st.standalone_rate < st.org_coverage_rate);

    // Units, orgs and members.
    let by = |rows: &[taizhang::report::Count], name: &str| {
        rows.iter().find(|c| c.name == name).map_or(0, |c| c.count)
    };
    assert_eq!(
        by(&st.units.by_category, "非公企业"),
        count(
            &s,
            "SELECT count(*) FROM unit WHERE status = '在营' AND category = '非公企业' AND ?1 = ?1"
        )
    );
    assert_eq!(
        st.orgs.total,
        count(
            &s,
            "SELECT count(*) FROM org WHERE status = '正常' AND ?1 = ?1"
        )
    );
    assert_eq!(
        by(&st.orgs.by_type, "联合党支部"),
        count(&s, "SELECT count(*) FROM org WHERE status = '正常' AND org_type = '联合党支部' AND ?1 = ?1")
    );
    assert_eq!(
        by(&st.orgs.by_formation, "单独组建"),
        count(
            &s,
            "SELECT count(*) FROM org WHERE status = '正常' AND formation = '单独组建' AND ?1 = ?1"
        )
    );
    assert_eq!(
        st.members.total,
        count(
            &s,
            "SELECT count(*) FROM member WHERE status = '在册' AND ?1 = ?1"
        )
    );
    assert_eq!(
        by(&st.members.by_gender, "女"),
        count(
            &s,
            "SELECT count(*) FROM member WHERE status = '在册' AND gender = '女' AND ?1 = ?1"
        )
    );
    assert_eq!(
        st.members.probationary,
        count(&s, "SELECT count(*) FROM member WHERE status = '在册' AND category = '预备党员' AND ?1 = ?1")
    );
    assert_eq!(
        by(&st.members.by_education, "大学本科"),
        count(&s, "SELECT count(*) FROM member WHERE status = '在册' AND education = '大学本科' AND ?1 = ?1")
    );
    assert_eq!(
        by(&st.members.by_age_band, "30岁及以下"),
        count(&s, "SELECT count(*) FROM member WHERE status = '在册' AND birth_date > date(?1, '-31 years')")
    );
    let bands: usize = st.members.by_age_band.iter().map(|c| c.count).sum();
    assert_eq!(bands, st.members.total);

    // Per area, then 合计.
    let total = st.by_area.last().unwrap();
    assert_eq!(total.area, "合计");
    assert_eq!(total.coverage, st.coverage);
    let area_units: usize = st.by_area[..st.by_area.len() - 1]
        .iter()
        .map(|a| a.coverage.units)
        .sum();
    assert_eq!(area_units, units);
    let cg = st.by_area.iter().find(|a| a.area == "城关镇").unwrap();
    assert_eq!(
        cg.coverage.covered,
        count(
            &s,
            &format!("SELECT count(*) FROM unit u WHERE u.status = '在营' AND u.area = '城关镇' AND ?1 = ?1 AND {COVERED}")
        )
    );
    let only = stats_store(
        &s,
        as_of(),
        &StatsOptions {
            area: Some("城关镇".into()),
            quarters: None,
        },
    )
    .unwrap();
    assert_eq!(only.coverage, cg.coverage);

    // 三会一课 in 2026Q3: 支部党员大会 and 党课 once, 支委会 monthly where there is a committee.
    let q3 = st.meetings.iter().find(|q| q.quarter == "2026Q3").unwrap();
    assert_eq!(st.meetings.len(), 4);
    let mut required = 0;
    let mut held = 0;
    for (kind, extra, periods) in [
        ("支部党员大会", "", &QUARTERS[3..]),
        ("党课", "", &QUARTERS[3..]),
        (
            "支委会",
            "AND json_array_length(o.committee) >= 3",
            &MONTHS[8..11],
        ),
    ] {
        for (start, end) in periods {
            let sql = format!(
                "SELECT count(*), sum(EXISTS (SELECT 1 FROM activity a WHERE a.org_id = o.id
                    AND a.held_on BETWEEN '{start}' AND '{end}'
                    AND EXISTS (SELECT 1 FROM json_each(a.types) WHERE value = '{kind}')))
                 FROM org o WHERE {GRASSROOTS} {extra}
                 AND (o.founded_on IS NULL OR o.founded_on <= '{start}') AND ?1 = ?1"
            );
            let (n, h): (i64, Option<i64>) = s
                .conn()
                .query_row(&sql, [AS_OF], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap();
            required += n as usize;
            held += h.unwrap_or(0) as usize;
        }
    }
    assert_eq!((q3.required, q3.held), (required, held));
    assert!(q3.rate > 0.5 && q3.rate < 1.0, "{}", q3.rate);

    // 十个有 达标.
    let orgs = count(
        &s,
        &format!("SELECT count(*) FROM org o WHERE {GRASSROOTS} AND ?1 = ?1"),
    );
    let latest = "(SELECT i.items FROM inspection i WHERE i.org_id = o.id AND i.inspected_on <= ?1
                   ORDER BY i.inspected_on DESC, i.rowid DESC LIMIT 1)";
    let passed = count(
        &s,
        &format!(
            "SELECT count(*) FROM org o WHERE {GRASSROOTS}
             AND (SELECT max(i.inspected_on) FROM inspection i WHERE i.org_id = o.id AND i.inspected_on <= ?1)
                 >= date(?1, '-12 months')
             AND NOT EXISTS (SELECT 1 FROM json_each({latest}) WHERE json_extract(value, '$.result') <> '有')"
        ),
    );
    assert_eq!((st.inspections.orgs, st.inspections.passed), (orgs, passed));
    assert_eq!(
        st.inspections.rate,
        (passed as f64 / orgs as f64 * 10000.0).round() / 10000.0
    );
    // The definitions are stated.
    let keys: Vec<&str> = st.definitions.iter().map(|d| d.key).collect();
    for k in ["org_coverage_rate", "standalone_rate", "work_coverage_rate"] {
        assert!(keys.contains(&k), "{k}");
    }
}
