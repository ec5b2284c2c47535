//! The demo generator: plausible, valid and deterministic.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use taizhang::demo::{generate, DemoOptions};
use taizhang::model::{Activity, Member, MemberCategory, Org, OrgType, Unit};
use taizhang::Store;

fn opts() -> DemoOptions {
    DemoOptions {
        units: 60,
        seed: 7,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    }
}

fn members(store: &Store) -> Vec<Member> {
    store.list::<Member>("1", &[], "id").unwrap()
}

#[test]
fn demo_data_is_plausible_and_deterministic() {
    let o = opts();
    let mut a = Store::open_in_memory().unwrap();
    let sum = generate(&mut a, &o).unwrap();

    assert_eq!(sum.units, 60);
    assert_eq!(a.count::<Unit>().unwrap(), 60);
    assert!((200..=600).contains(&sum.members), "{sum:?}");
    assert_eq!(a.count::<Member>().unwrap() as usize, sum.members);
    assert!(
        sum.activities > 0 && sum.inspections > 0 && sum.visits > 0 && sum.dues > 0,
        "{sum:?}"
    );
    assert_eq!(sum.alliances, 2);
    assert!(sum.instructors >= 3);

    let orgs: Vec<Org> = a.list("1", &[], "id").unwrap();
    assert_eq!(orgs.len(), sum.orgs);
    for t in OrgType::ALL {
        assert!(orgs.iter().any(|org| org.org_type == *t), "no {t}");
    }
    for f in ["单独组建", "联合组建", "挂靠组建", "临时组建", "派驻组建"] {
        assert!(orgs.iter().any(|org| org.formation == f), "no {f}");
    }

    // 应建未建: a unit with ≥3 正式党员 that no org covers.
    let ms = members(&a);
    let mut full: BTreeMap<_, usize> = BTreeMap::new();
    for m in ms.iter().filter(|m| m.category == MemberCategory::Full) {
        *full.entry(m.work_unit_id.unwrap()).or_default() += 1;
    }
    let uncovered = full
        .iter()
        .filter(|(u, n)| **n >= 3 && !orgs.iter().any(|org| org.unit_ids.contains(u)))
        .count();
    assert!(uncovered >= 1, "no 应建未建 unit");
    assert!(ms
        .iter()
        .any(|m| m.category == MemberCategory::Probationary));

    let late: i64 = a
        .conn()
        .query_row(
            "SELECT count(*) FROM activity WHERE held_on > '2026-11-21'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(late, 0);
    assert_eq!(a.count::<Activity>().unwrap() as usize, sum.activities);

    // Same seed, same ledger.
    let mut b = Store::open_in_memory().unwrap();
    let sum_b = generate(&mut b, &o).unwrap();
    assert_eq!(
        serde_json::to_value(&sum).unwrap(),
        serde_json::to_value(&sum_b).unwrap()
    );
    let key = |ms: &[Member]| -> Vec<_> {
        ms.iter()
            .map(|m| (m.meta.id, m.name.clone(), m.id_number.clone()))
            .collect()
    };
    assert_eq!(key(&ms), key(&members(&b)));

    // Only into an empty ledger.
    assert!(generate(&mut a, &o).is_err());
}
