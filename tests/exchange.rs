//! Exchange packages between PCs: round trips, conflicts, idempotency, damaged packages,
//! duplicates, photos, and a property test on three PCs exchanging in random orders.

mod common;
use common::pc::Pc;
use common::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use taizhang::exchange::{
    conflicts, duplicates, export_package, import_package, package, ExportOptions, Scope,
};
use taizhang::model::*;
use taizhang::{Error, Store};

/// What the tests look at on a PC.
trait Look {
    fn snapshot(&self) -> BTreeMap<String, serde_json::Value>;
    fn open_conflicts(&self) -> Vec<conflicts::Conflict>;
}

impl Look for Pc {
    /// Every record of every kind, without bookkeeping fields, keyed by id.
    fn snapshot(&self) -> BTreeMap<String, serde_json::Value> {
        let mut out = BTreeMap::new();
        fn add<T: taizhang::store::Table>(
            s: &Store,
            out: &mut BTreeMap<String, serde_json::Value>,
        ) {
            for r in s.list::<T>("1", &[], "id").unwrap() {
                let mut v = serde_json::to_value(&r).unwrap();
                for k in ["created_at", "updated_at", "device_id"] {
                    v.as_object_mut().unwrap().remove(k);
                }
                out.insert(r.meta().id.to_string(), v);
            }
        }
        add::<Unit>(&self.store, &mut out);
        add::<Org>(&self.store, &mut out);
        add::<Member>(&self.store, &mut out);
        add::<MemberEvent>(&self.store, &mut out);
        add::<Activity>(&self.store, &mut out);
        add::<Inspection>(&self.store, &mut out);
        out
    }

    fn open_conflicts(&self) -> Vec<conflicts::Conflict> {
        conflicts::list(&self.store).unwrap()
    }
}

fn seed_county(pc: &mut Pc) -> (Unit, Org, Vec<Member>) {
    let (u, o) = unit_and_org(&mut pc.store, "清河县恒达机械有限公司");
    let members = (1..=3)
        .map(|i| {
            pc.store
                .write(|tx| tx.add_member(member(&o, &format!("党员{i}"), i * 2 + 1)))
                .unwrap()
        })
        .collect();
    (u, o, members)
}

#[test]
fn two_pcs_exchange_both_ways_and_settle_a_conflict() {
    let mut a = Pc::new("县委社会工作部");
    let mut b = Pc::new("指导员笔记本");
    let (unit, _, members) = seed_county(&mut a);
    let first = a.send(&b);
    let got = b.receive(&first);
    assert_eq!(
        (got.merge.inserted, got.merge.conflicts),
        (a.snapshot().len(), 0)
    );
    assert_eq!(a.snapshot(), b.snapshot());

    // Both edit: one field differently (a conflict), others on one side only.
    let m = members[0].meta.id;
    let mut on_a: Member = a.store.get(&m).unwrap();
    on_a.phone = Some("13911112222".into());
    on_a.job = Some("车间主任".into());
    a.store.update(on_a).unwrap();
    let mut on_b: Member = b.store.get(&m).unwrap();
    on_b.phone = Some("13933334444".into());
    b.store.update(on_b).unwrap();
    let mut u: Unit = b.store.get(&unit.meta.id).unwrap();
    u.employees = Some(99);
    b.store.update(u).unwrap();

    let a2b = a.send(&b);
    let b2a = b.send(&a);
    let sb = b.receive(&a2b);
    let sa = a.receive(&b2a);
    assert_eq!((sa.merge.conflicts, sb.merge.conflicts), (1, 1));
    // One-sided edits arrived; the conflicting field kept each PC's own value.
    for pc in [&a, &b] {
        let m: Member = pc.store.get(&m).unwrap();
        assert_eq!(m.job.as_deref(), Some("车间主任"));
        let u: Unit = pc.store.get(&unit.meta.id).unwrap();
        assert_eq!(u.employees, Some(99));
    }
    assert_eq!(
        a.store.get::<Member>(&m).unwrap().phone.as_deref(),
        Some("13911112222")
    );
    assert_eq!(
        b.store.get::<Member>(&m).unwrap().phone.as_deref(),
        Some("13933334444")
    );
    let ca = a.open_conflicts();
    assert_eq!(
        (ca[0].field.as_str(), ca[0].incoming_value.as_str()),
        ("phone", Some("13933334444"))
    );
    assert_eq!(ca[0].incoming_device, "指导员笔记本");

    // Someone at the county decides; the decision settles it on the laptop too.
    conflicts::resolve(&mut a.store, &ca[0].id, conflicts::Take::Incoming).unwrap();
    let decision = a.send(&b);
    let s = b.receive(&decision);
    assert_eq!(s.merge.conflicts_settled, 1);
    assert!(a.open_conflicts().is_empty() && b.open_conflicts().is_empty());
    let back = b.send(&a);
    a.receive(&back);
    assert_eq!(a.snapshot(), b.snapshot());
    assert_eq!(
        a.store.get::<Member>(&m).unwrap().phone.as_deref(),
        Some("13933334444")
    );
}

#[test]
fn importing_again_or_out_of_order_changes_nothing_or_is_refused() {
    let mut a = Pc::new("甲");
    let mut b = Pc::new("乙");
    seed_county(&mut a);
    let p1 = a.send(&b);
    let (_, o) = unit_and_org(&mut a.store, "清河县鑫源电子有限公司");
    a.store
        .write(|tx| tx.add_member(member(&o, "新党员", 91)))
        .unwrap();
    let p2 = a.send(&b);
    // p2 builds on p1: refused until p1 is in, and nothing is written.
    let before = b.snapshot();
    let err = import_package(&mut b.store, &p2, false).unwrap_err();
    assert!(err.to_string().contains("之前的交换包"), "{err}");
    assert_eq!(b.snapshot(), before);
    b.receive(&p1);
    b.receive(&p2);
    let log: i64 = b
        .store
        .conn()
        .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
        .unwrap();
    for p in [&p1, &p2] {
        let s = b.receive(p);
        assert_eq!(
            (s.merge.inserted, s.merge.updated, s.merge.unchanged),
            (0, 0, s.merge.entries)
        );
    }
    let again: i64 = b
        .store
        .conn()
        .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(log, again);
    assert_eq!(a.snapshot(), b.snapshot());
    // A dry run reports and writes nothing.
    let mut c = Pc::new("丙");
    let all = a.dir.path().join("all.tzpkg");
    export_package(
        &mut a.store,
        &all,
        &ExportOptions {
            all: true,
            ..Default::default()
        },
    )
    .unwrap();
    let s = import_package(&mut c.store, &all, true).unwrap();
    assert!(s.merge.inserted > 0 && s.dry_run);
    assert!(c.snapshot().is_empty());
}

#[test]
fn any_corrupted_byte_or_a_cut_short_package_is_refused() {
    let mut a = Pc::new("甲");
    seed_county(&mut a);
    let pkg = a.dir.path().join("all.tzpkg");
    export_package(
        &mut a.store,
        &pkg,
        &ExportOptions {
            all: true,
            ..Default::default()
        },
    )
    .unwrap();
    let bytes = std::fs::read(&pkg).unwrap();
    let mut b = Pc::new("乙");
    let bad = b.dir.path().join("bad.tzpkg");
    // Every byte position, flipped one at a time (a stride keeps the test quick).
    let stride = (bytes.len() / 400).max(1);
    for pos in (0..bytes.len()).step_by(stride).chain([bytes.len() - 1]) {
        let mut copy = bytes.clone();
        copy[pos] ^= 0x20;
        std::fs::write(&bad, &copy).unwrap();
        match import_package(&mut b.store, &bad, false) {
            Err(Error::BadFile(_)) => {}
            other => panic!(
                "byte {pos} of {}: {:?}",
                bytes.len(),
                other.map(|s| s.merge)
            ),
        }
    }
    for cut in [1, bytes.len() / 3, bytes.len() - 65, bytes.len() - 1] {
        std::fs::write(&bad, &bytes[..cut]).unwrap();
        let err = import_package(&mut b.store, &bad, false).unwrap_err();
        assert!(
            err.to_string().contains("损坏或不完整"),
            "cut at {cut}: {err}"
        );
    }
    assert!(b.snapshot().is_empty(), "nothing applied");
}

#[test]
fn packages_from_a_newer_version_are_refused() {
    let mut a = Pc::new("甲");
    seed_county(&mut a);
    let pkg = a.dir.path().join("all.tzpkg");
    export_package(
        &mut a.store,
        &pkg,
        &ExportOptions {
            all: true,
            ..Default::default()
        },
    )
    .unwrap();
    let good = package::read(&pkg, taizhang::store::SCHEMA_VERSION).unwrap();
    for (fv, sv, needle) in [
        (
            package::FORMAT_VERSION + 1,
            good.manifest.schema_version,
            "请先升级",
        ),
        (1, 99, "请升级"),
    ] {
        let mut m = good.manifest.clone();
        m.format_version = fv;
        m.schema_version = sv;
        m.sha256.clear();
        let future = a.dir.path().join("future.tzpkg");
        package::write(&future, m, &good.entries, &[]).unwrap();
        let mut b = Pc::new("乙");
        let err = import_package(&mut b.store, &future, false).unwrap_err();
        assert!(err.to_string().contains(needle), "{err}");
    }
}

#[test]
fn photos_travel_with_the_records_that_use_them() {
    let mut a = Pc::new("指导员");
    let (_, o, _) = seed_county(&mut a);
    let media = a.store.media_dir().unwrap();
    std::fs::create_dir_all(media.join("2026")).unwrap();
    std::fs::write(media.join("2026/flag.jpg"), b"\xFF\xD8 fake jpeg").unwrap();
    let codes = SHI_GE_YOU;
    let mut insp = Inspection::blank();
    insp.org_id = o.meta.id;
    insp.inspected_on = d(2026, 11, 20);
    insp.inspector_name = "周指导".into();
    insp.items = JsonList(
        codes
            .iter()
            .map(|c| InspectionItem {
                item_code: c.to_string(),
                result: CheckResult::Yes,
                note: None,
                photo: (*c == "flag").then(|| "2026/flag.jpg".to_string()),
            })
            .collect(),
    );
    a.store.insert(insp).unwrap();
    let mut b = Pc::new("县里");
    let pkg = a.send(&b);
    let s = b.receive(&pkg);
    assert_eq!(s.merge.photos, 1);
    assert_eq!(
        std::fs::read(b.store.media_dir().unwrap().join("2026/flag.jpg")).unwrap(),
        b"\xFF\xD8 fake jpeg"
    );
}

#[test]
fn the_same_member_entered_on_two_pcs_is_offered_as_a_merge() {
    let mut a = Pc::new("甲");
    let mut b = Pc::new("乙");
    let (_, o, _) = seed_county(&mut a);
    let p = a.send(&b);
    b.receive(&p);
    // The same person, entered on both PCs under different ids.
    let on_a = a
        .store
        .write(|tx| tx.add_member(member(&o, "王重复", 77)))
        .unwrap();
    let mut twin = member(&o, "王重复", 77);
    twin.job = Some("会计".into());
    let on_b = b.store.write(|tx| tx.add_member(twin)).unwrap();
    let act = b
        .store
        .write(|tx| {
            tx.add_activity(
                Activity::new(
                    o.meta.id,
                    vec![ActivityType::ThemeDay],
                    d(2026, 11, 10),
                    "主题党日",
                ),
                &[],
            )
        })
        .unwrap();
    assert!(act.attendance.iter().any(|x| x.member_id == on_b.meta.id));
    let (pa, pb) = (a.send(&b), b.send(&a));
    a.receive(&pb);
    b.receive(&pa);
    let cands = duplicates::list_candidates(&a.store).unwrap();
    assert_eq!(cands.len(), 1, "{cands:?}");
    assert_eq!(cands[0].key, on_a.id_number);
    // Never merged silently: both records are there until someone merges.
    assert_eq!(a.snapshot(), b.snapshot());
    duplicates::merge(&mut a.store, on_a.meta.id, on_b.meta.id).unwrap();
    let kept: Member = a.store.get(&on_a.meta.id).unwrap();
    assert_eq!(
        kept.job.as_deref(),
        Some("会计"),
        "empty fields filled from the twin"
    );
    let gone: Member = a.store.get(&on_b.meta.id).unwrap();
    assert_eq!(
        (gone.status, gone.merged_into),
        (MemberStatus::Merged, Some(on_a.meta.id))
    );
    let act: Activity = a.store.get(&act.meta.id).unwrap();
    assert!(act.attendance.iter().any(|x| x.member_id == on_a.meta.id));
    assert!(!act.attendance.iter().any(|x| x.member_id == on_b.meta.id));
    assert!(duplicates::list_candidates(&a.store).unwrap().is_empty());
    // Both histories are kept, and the merge reaches the other PC.
    assert!(a.store.history(&on_b.meta.id).unwrap().len() >= 2);
    let p = a.send(&b);
    b.receive(&p);
    assert_eq!(a.snapshot(), b.snapshot());
    assert!(duplicates::list_candidates(&b.store).unwrap().is_empty());
}

#[test]
fn a_scoped_package_carries_one_org_and_what_belongs_to_it() {
    let mut a = Pc::new("县里");
    let (_, o1, _) = seed_county(&mut a);
    let (_, o2) = unit_and_org(&mut a.store, "清河县鑫源电子有限公司");
    a.store
        .write(|tx| tx.add_member(member(&o2, "别处党员", 55)))
        .unwrap();
    let mut b = Pc::new("支部");
    let pkg = a.dir.path().join("scoped.tzpkg");
    let opts = ExportOptions {
        to: Some(b.id()),
        scope: Some(Scope::Org(o1.meta.id)),
        ..Default::default()
    };
    export_package(&mut a.store, &pkg, &opts).unwrap();
    b.receive(&pkg);
    let names: Vec<String> = b
        .store
        .list::<Member>("1", &[], "name")
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names, vec!["党员1", "党员2", "党员3"]);
    assert!(b.store.get::<Org>(&o2.meta.id).is_err());
}

/// Three PCs (county, branch, instructor) make random edits and exchange packages in random
/// orders, some twice, some before the ones they build on. Afterwards every difference is an
/// open conflict on both sides, nothing is duplicated, and once the conflicts are decided all
/// three ledgers are identical.
#[test]
fn three_pcs_converge_whatever_the_order() {
    let mut conflicts_seen = 0;
    let mut refused_seen = 0;
    for seed in 1..=6u64 {
        let (c, r) = converge_with_seed(seed);
        conflicts_seen += c;
        refused_seen += r;
    }
    // The runs must really exercise concurrent edits and out-of-order delivery.
    assert!(
        conflicts_seen >= 3,
        "only {conflicts_seen} conflicts across seeds"
    );
    assert!(
        refused_seen >= 1,
        "no package arrived before its predecessor"
    );
}

/// Returns (conflicts decided, packages refused for arriving early).
fn converge_with_seed(seed: u64) -> (usize, usize) {
    let mut refused = 0;
    let mut decided = 0;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut pcs = vec![Pc::new("县委"), Pc::new("支部"), Pc::new("指导员")];
    let (_, org, members) = seed_county(&mut pcs[0]);
    for i in 1..3 {
        let (first, rest) = pcs.split_at_mut(1);
        let p = first[0].send(&rest[i - 1]);
        rest[i - 1].receive(&p);
    }
    let mut member_ids: Vec<Id> = members.iter().map(|m| m.meta.id).collect();
    let mut in_flight: Vec<(usize, PathBuf)> = Vec::new();
    let mut next_seq = 100;
    for _ in 0..40 {
        let who = rng.usize(0..3);
        match rng.u8(0..10) {
            // Edit a member on one PC.
            0..=4 => {
                let id = member_ids[rng.usize(0..member_ids.len())];
                let Ok(mut m) = pcs[who].store.get::<Member>(&id) else {
                    continue;
                };
                match rng.u8(0..3) {
                    0 => m.phone = Some(format!("139{:08}", rng.u32(0..100_000_000))),
                    1 => {
                        m.job =
                            Some(["书记", "会计", "技术员", "销售"][rng.usize(0..4)].to_string())
                    }
                    _ => m.note = Some(format!("备注{}", rng.u16(..))),
                }
                pcs[who].store.update(m).unwrap();
            }
            // A new member on one PC.
            5 => {
                next_seq += 2;
                let m = member(&org, &format!("新{next_seq}"), next_seq + who as u32 * 200);
                let m = pcs[who].store.write(|tx| tx.add_member(m)).unwrap();
                member_ids.push(m.meta.id);
            }
            // Send a package; deliver it now, later, or twice.
            _ => {
                let to = (who + 1 + rng.usize(0..2)) % 3;
                let (from_pc, to_pc) = if who < to {
                    let (l, r) = pcs.split_at_mut(to);
                    (&mut l[who], &r[0])
                } else {
                    let (l, r) = pcs.split_at_mut(who);
                    (&mut r[0], &l[to])
                };
                let p = from_pc.send(to_pc);
                in_flight.push((to, p));
            }
        }
        // Deliver some packages in a random order; a refused one waits for its predecessor.
        if !in_flight.is_empty() && rng.bool() {
            let k = rng.usize(0..in_flight.len());
            let (to, p) = in_flight[k].clone();
            match import_package(&mut pcs[to].store, &p, false) {
                Ok(_) => {
                    if rng.u8(0..4) > 0 {
                        in_flight.remove(k);
                    }
                }
                Err(Error::Rule(m)) => {
                    assert!(m.contains("之前的交换包"), "{m}");
                    refused += 1;
                }
                Err(e) => panic!("seed {seed}: {e}"),
            }
        }
    }
    // Deliver what is left, oldest first, then sync every pair until nothing moves.
    for (to, p) in in_flight.drain(..) {
        let _ = import_package(&mut pcs[to].store, &p, false);
    }
    let sync = |pcs: &mut Vec<Pc>| {
        for _ in 0..3 {
            for from in 0..3 {
                for to in 0..3 {
                    if from != to {
                        let (f, t) = if from < to {
                            let (l, r) = pcs.split_at_mut(to);
                            (&mut l[from], &mut r[0])
                        } else {
                            let (l, r) = pcs.split_at_mut(from);
                            (&mut r[0], &mut l[to])
                        };
                        let p = f.send(t);
                        t.receive(&p);
                    }
                }
            }
        }
    };
    sync(&mut pcs);
    // Same records everywhere, none duplicated; every difference is an open conflict.
    let snaps: Vec<_> = pcs.iter().map(Pc::snapshot).collect();
    assert!(
        snaps.iter().all(|s| s.keys().eq(snaps[0].keys())),
        "seed {seed}: different records"
    );
    for (id, v0) in &snaps[0] {
        for (i, s) in snaps.iter().enumerate().skip(1) {
            let v = &s[id];
            for (field, x) in v0.as_object().unwrap() {
                if v[field] != *x {
                    for pc in [0, i] {
                        let open = pcs[pc].open_conflicts();
                        assert!(
                            open.iter().any(|c| c.record_id == *id && c.field == *field),
                            "seed {seed}: {field} of {id} differs on PCs 0 and {i} without a conflict on PC {pc}"
                        );
                    }
                }
            }
        }
    }
    // Decide every conflict on the county PC, then sync: all three are the same.
    for _ in 0..3 {
        for c in pcs[0].open_conflicts() {
            decided += 1;
            let take = if rng.bool() {
                conflicts::Take::Local
            } else {
                conflicts::Take::Incoming
            };
            conflicts::resolve(&mut pcs[0].store, &c.id, take).unwrap();
        }
        sync(&mut pcs);
        for pc in pcs.iter_mut().skip(1) {
            for c in pc.open_conflicts() {
                conflicts::resolve(&mut pc.store, &c.id, conflicts::Take::Incoming).unwrap();
            }
        }
        sync(&mut pcs);
    }
    let snaps: Vec<_> = pcs.iter().map(Pc::snapshot).collect();
    assert_eq!(snaps[0], snaps[1], "seed {seed}");
    assert_eq!(snaps[0], snaps[2], "seed {seed}");
    assert!(
        pcs.iter().all(|p| p.open_conflicts().is_empty()),
        "seed {seed}"
    );
    (decided, refused)
}
