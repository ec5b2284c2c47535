//! Integration tests of the store: round trips, events, migrations, durability, change log.

mod common;
use common::*;
use taizhang::model::*;
use taizhang::store::{schema_version, SCHEMA_VERSION};
use taizhang::{Error, Store};

fn count(s: &Store, table: &str) -> i64 {
    s.conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn every_entity_round_trips() {
    let mut s = store();
    let mut ins = Instructor {
        meta: Meta::default(),
        name: "周指导".into(),
        employer: Some("县委社会工作部".into()),
        phone: Some("0571-88886666".into()),
        active: true,
    };
    ins = s.insert(ins).unwrap();
    let mut u = Unit::new("清河县恒达机械制造有限公司", UnitCategory::Enterprise);
    u.credit_code = Some(credit_code("MA2H7K3L0"));
    u.industry = Some("工业".into()); // a synonym, stored as the dictionary value
    u.instructor_id = Some(ins.meta.id);
    u.has_union = true;
    let u = s.insert(u).unwrap();
    assert_eq!(u.industry.as_deref(), Some("制造业"));
    assert_eq!(s.get::<Unit>(&u.meta.id).unwrap(), u);

    let mut parent = Org::new(
        "中共清河县城关镇非公有制经济组织综合委员会",
        OrgType::Committee,
        "单独组建",
    );
    parent.area = Some("城关镇".into());
    let parent = s.insert(parent).unwrap();
    let mut o = Org::new(
        "中共清河县恒达机械制造有限公司支部委员会",
        OrgType::Branch,
        "单独",
    );
    o.parent_id = Some(parent.meta.id);
    o.unit_ids = vec![u.meta.id];
    o.committee = JsonList(vec![CommitteeSeat {
        role: "党支部书记".into(),
        name: "王建国".into(),
        member_id: None,
    }]);
    let o = s.insert(o).unwrap();
    let back: Org = s.get(&o.meta.id).unwrap();
    assert_eq!(back, o);
    assert_eq!(back.formation, "单独组建");
    assert_eq!(back.secretary(), Some("王建国"));
    assert_eq!(back.unit_ids, vec![u.meta.id]);

    let mut m = member(&o, "王建国", 11);
    m.ethnicity = Some("汉".into());
    m.education = Some("本科".into());
    m.dues_base = Some(Money::from_yuan(6000));
    m.work_unit_id = Some(u.meta.id);
    let m = s.write(|tx| tx.add_member(m)).unwrap();
    assert_eq!(
        (m.ethnicity.as_deref(), m.education.as_deref()),
        (Some("汉族"), Some("大学本科"))
    );
    assert_eq!(s.get::<Member>(&m.meta.id).unwrap(), m);

    let mut a = Activity::new(
        o.meta.id,
        vec![ActivityType::BranchMeeting, ActivityType::PartyLecture],
        d(2026, 10, 15),
        "学习贯彻党的二十届四中全会精神",
    );
    a.location = Some("党员活动室".into());
    let a = s.write(|tx| tx.add_activity(a, &[])).unwrap();
    assert_eq!(a.attendance.len(), 1);
    assert!(!a.recorded_at.is_empty());
    assert_eq!(s.get::<Activity>(&a.meta.id).unwrap(), a);

    let items = SHI_GE_YOU
        .iter()
        .map(|c| InspectionItem {
            item_code: c.to_string(),
            result: if *c == "flag" {
                CheckResult::No
            } else {
                CheckResult::Yes
            },
            note: None,
            photo: None,
        })
        .collect();
    let mut insp = Inspection::blank();
    insp.org_id = o.meta.id;
    insp.inspected_on = d(2026, 9, 1);
    insp.inspector_kind = InspectorKind::Instructor;
    insp.inspector_name = "周指导".into();
    insp.instructor_id = Some(ins.meta.id);
    insp.items = JsonList(items);
    let insp = s.insert(insp).unwrap();
    assert_eq!(s.get::<Inspection>(&insp.meta.id).unwrap(), insp);
    assert_eq!(insp.gaps().count(), 1);

    let mut v = Visit::blank();
    v.instructor_id = ins.meta.id;
    v.unit_id = u.meta.id;
    v.visited_on = d(2026, 9, 1);
    v.findings = "党旗破损".into();
    v.followups = JsonList(vec![FollowUp {
        content: "更换党旗".into(),
        due_on: Some(d(2026, 12, 1)),
        closed_on: None,
    }]);
    let v = s.insert(v).unwrap();
    assert_eq!(s.get::<Visit>(&v.meta.id).unwrap(), v);

    let mut al = Alliance::blank();
    al.name = "清河县机械产业链红色联盟".into();
    al.kind = AllianceKind::IndustryChain;
    al.lead_org_id = parent.meta.id;
    al.org_ids = JsonList(vec![o.meta.id, o.meta.id]);
    let al = s.insert(al).unwrap();
    assert_eq!(al.org_ids.0.len(), 1, "duplicates removed");
    assert_eq!(s.get::<Alliance>(&al.meta.id).unwrap(), al);

    let mut du = Dues::blank();
    du.member_id = m.meta.id;
    du.month = "2026年10月".into();
    du.base = Money::from_yuan(6000);
    let du = s.insert(du).unwrap();
    assert_eq!(du.month, "2026-10");
    assert_eq!(du.due, Money::from_yuan(90), "6000 × 1.5%");
    assert_eq!(s.get::<Dues>(&du.meta.id).unwrap(), du);
}

#[test]
fn validation_lists_every_bad_field_and_writes_nothing() {
    let mut s = store();
    let (_, o) = unit_and_org(&mut s, "甲公司");
    let before = count(&s, "change_log");
    let mut m = member(&o, "", 1);
    let good = id_number("19880512", 1);
    m.id_number = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    ); // bad check digit
    m.phone = Some("123".into());
    m.education = Some("幼儿园".into());
    let err = s.write(|tx| tx.add_member(m)).unwrap_err();
    let Error::Validation(fields) = &err else {
        panic!("expected validation error, got {err}")
    };
    for f in ["name", "id_number", "phone", "education"] {
        assert!(fields.has(f), "{f} missing: {err}");
    }
    assert!(err.to_string().contains("公民身份号码"));
    assert_eq!(count(&s, "member"), 0);
    assert_eq!(count(&s, "change_log"), before);
}

#[test]
fn duplicate_natural_keys_refused() {
    let mut s = store();
    let (_, o) = unit_and_org(&mut s, "甲公司");
    s.write(|tx| tx.add_member(member(&o, "张三", 1))).unwrap();
    let err = s
        .write(|tx| tx.add_member(member(&o, "张三二", 1)))
        .unwrap_err();
    assert!(err.to_string().contains("已登记"), "{err}");
    let err = s
        .insert(Org::new(o.name.clone(), OrgType::Branch, "单独组建"))
        .unwrap_err();
    assert!(err.to_string().contains("已存在"), "{err}");
}

#[test]
fn events_drive_status_and_category() {
    let mut s = store();
    let (_, o) = unit_and_org(&mut s, "甲公司");
    let mut m = member(&o, "李预备", 21);
    m.category = MemberCategory::Probationary;
    m.confirmed_on = None;
    m.joined_on = d(2025, 12, 1);
    let m = s.write(|tx| tx.add_member(m)).unwrap();
    let events = s.write(|tx| tx.member_events(&m.meta.id)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, MemberEventKind::Admitted);

    // 转正 before the year is up: refused, nothing written.
    let log_before = count(&s, "change_log");
    let early = MemberEvent::new(m.meta.id, MemberEventKind::Confirmed, d(2026, 11, 1));
    let err = s.write(|tx| tx.record_event(early)).unwrap_err();
    assert!(matches!(err, Error::Rule(_)), "{err}");
    assert_eq!(count(&s, "member_event"), 1);
    assert_eq!(count(&s, "change_log"), log_before);
    assert_eq!(
        s.get::<Member>(&m.meta.id).unwrap().category,
        MemberCategory::Probationary
    );

    // Extension, then 转出 and 转入 elsewhere.
    let mut ext = MemberEvent::new(
        m.meta.id,
        MemberEventKind::ProbationExtended,
        d(2026, 11, 20),
    );
    ext.until = Some(d(2027, 6, 1));
    let (_, after) = s.write(|tx| tx.record_event(ext)).unwrap();
    assert_eq!(after.probation_end(), d(2027, 6, 1));
    let (_, after) = s
        .write(|tx| {
            tx.record_event(MemberEvent::new(
                m.meta.id,
                MemberEventKind::TransferredOut,
                d(2026, 11, 21),
            ))
        })
        .unwrap();
    assert_eq!(after.status, MemberStatus::TransferredOut);
    let (_, o2) = unit_and_org(&mut s, "乙公司");
    let mut back = MemberEvent::new(m.meta.id, MemberEventKind::TransferredIn, d(2026, 11, 21));
    back.org_id = Some(o2.meta.id);
    let (_, after) = s.write(|tx| tx.record_event(back)).unwrap();
    assert_eq!(
        (after.status, after.org_id),
        (MemberStatus::Active, Some(o2.meta.id))
    );

    // Status is not editable directly.
    let mut edited = after.clone();
    edited.status = MemberStatus::Deceased;
    assert!(matches!(s.update(edited).unwrap_err(), Error::Rule(_)));
    // A plain edit works, and an edit that changes nothing writes nothing.
    let mut edited = after.clone();
    edited.phone = Some("13900001111".into());
    assert!(s.update(edited.clone()).unwrap().changed);
    let n = count(&s, "change_log");
    assert!(!s.update(edited).unwrap().changed);
    assert_eq!(count(&s, "change_log"), n);

    // The member's history holds the events and the edits, in order.
    let h = s.history(&m.meta.id).unwrap();
    let entities: Vec<&str> = h.iter().map(|e| e.entity.as_str()).collect();
    assert_eq!(entities.iter().filter(|e| **e == "member_event").count(), 4);
    let last = h.last().unwrap();
    assert_eq!(last.op, taizhang::store::Op::Update);
    assert_eq!(last.actor, "测试员");
    assert_eq!(
        last.changes["phone"],
        serde_json::json!(["13812345678", "13900001111"])
    );
    let seqs: Vec<i64> = h.iter().map(|e| e.device_seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "per-device counter increases: {seqs:?}"
    );
}

#[test]
fn failed_multi_row_change_leaves_nothing() {
    let mut s = store();
    let before = count(&s, "change_log");
    let res = s.write(|tx| {
        tx.insert(Unit::new("甲公司", UnitCategory::Enterprise))?;
        tx.insert(Unit::new("乙公司", UnitCategory::Enterprise))?;
        let mut bad = Unit::new("丙公司", UnitCategory::Enterprise);
        bad.credit_code = Some("bad".into());
        tx.insert(bad)
    });
    assert!(res.is_err());
    assert_eq!(count(&s, "unit"), 0);
    assert_eq!(count(&s, "change_log"), before);
}

#[test]
fn fresh_database_is_migrated_durable_and_seeded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("ledger.db");
    let s = Store::open(&path).unwrap();
    let c = s.conn();
    assert_eq!(schema_version(c).unwrap(), SCHEMA_VERSION);
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    // A new ledger has 16 KiB pages (faster bulk writes, BENCHMARKS.md).
    let page: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    assert_eq!(page, 16384);
    let checklist: Checklist = s.get(&inspection::DEFAULT_CHECKLIST_ID).unwrap();
    assert_eq!(checklist.name, "十个有");
    assert_eq!(checklist.items.0.len(), 10);
    assert!(s
        .dictionary("组建方式")
        .unwrap()
        .iter()
        .any(|(v, _)| v == "联合组建"));
    let device = s.session().device_id.clone();
    drop(s);
    // Reopening keeps the device id and does not migrate again.
    let s = Store::open(&path).unwrap();
    assert_eq!(s.session().device_id, device);
}

#[test]
fn newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let s = Store::open(&path).unwrap();
    s.conn()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(s);
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, Error::SchemaTooNew { .. }));
    assert!(err.to_string().contains("请升级"), "{err}");
}

#[test]
fn not_a_database_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "这不是数据库".repeat(200)).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(
        err.to_string().contains("不是两新党建台账的数据库"),
        "{err}"
    );
}

#[test]
fn change_log_is_append_only_and_records_are_never_deleted() {
    let mut s = store();
    let (u, _) = unit_and_org(&mut s, "甲公司");
    let c = s.conn();
    assert!(c.execute("UPDATE change_log SET actor = 'x'", []).is_err());
    assert!(c.execute("DELETE FROM change_log", []).is_err());
    let err = c
        .execute("DELETE FROM unit WHERE id = ?1", [u.meta.id])
        .unwrap_err();
    assert!(err.to_string().contains("注销"), "{err}");
}

#[test]
fn backup_copies_everything() {
    let mut s = store();
    unit_and_org(&mut s, "甲公司");
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("backup.db");
    s.backup_to(&dest).unwrap();
    let b = Store::open(&dest).unwrap();
    assert_eq!(b.count::<Unit>().unwrap(), 1);
    assert_eq!(b.count::<Org>().unwrap(), 1);
}

#[test]
fn attendance_prefill_and_absences() {
    let mut s = store();
    let (_, o) = unit_and_org(&mut s, "甲公司");
    let a = s.write(|tx| tx.add_member(member(&o, "甲", 1))).unwrap();
    let b = s.write(|tx| tx.add_member(member(&o, "乙", 3))).unwrap();
    let act = Activity::new(
        o.meta.id,
        vec![ActivityType::ThemeDay],
        d(2026, 11, 1),
        "主题党日",
    );
    let saved = s
        .write(|tx| tx.add_activity(act.clone(), &[(b.meta.id, Some("出差".into()))]))
        .unwrap();
    assert_eq!((saved.expected, saved.present), (2, 1));
    let absent = saved
        .attendance
        .iter()
        .find(|x| x.member_id == b.meta.id)
        .unwrap();
    assert_eq!(
        (absent.present, absent.reason.as_deref()),
        (false, Some("出差"))
    );
    assert!(saved
        .attendance
        .iter()
        .any(|x| x.member_id == a.meta.id && x.present));
    // Someone not on the org's rolls cannot be marked absent.
    let err = s
        .write(|tx| tx.add_activity(act, &[(o.meta.id, None)]))
        .unwrap_err();
    assert!(err.to_string().contains("不在"), "{err}");
    // A meeting in the future is refused.
    let future = Activity::new(
        o.meta.id,
        vec![ActivityType::ThemeDay],
        d(2026, 11, 22),
        "明天",
    );
    assert!(s.write(|tx| tx.add_activity(future, &[])).is_err());
}

#[test]
fn dues_rates_are_a_setting() {
    let mut s = store();
    let (_, o) = unit_and_org(&mut s, "甲公司");
    let m = s.write(|tx| tx.add_member(member(&o, "甲", 1))).unwrap();
    let mut rates = DuesRates::default();
    rates.employed[0].permille = 10; // a county that charges 1% up to 3000
    s.set_setting(
        taizhang::store::DUES_RATES_KEY,
        serde_json::to_value(&rates).unwrap(),
    )
    .unwrap();
    let mut du = Dues::blank();
    du.member_id = m.meta.id;
    du.month = "2026-10".into();
    du.base = Money::from_yuan(3000);
    assert_eq!(s.insert(du).unwrap().due, Money::from_yuan(30));
    assert_eq!(s.history(&taizhang::model::Id::default()).unwrap().len(), 0);
}

/// A ledger written by schema version 1 (tests/fixtures/db/ledger-v1.db, a 12-unit demo
/// county) opens in this version with nothing lost, after keeping a copy of the old file.
#[test]
fn version_1_database_upgrades_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db/ledger-v1.db"),
        &path,
    )
    .unwrap();
    let before: Vec<(String, i64)> = {
        let c = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(schema_version(&c).unwrap(), 1);
        [
            "unit",
            "org",
            "member",
            "activity",
            "attendance",
            "inspection",
            "dues",
            "change_log",
        ]
        .iter()
        .map(|t| {
            (
                t.to_string(),
                c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                    .unwrap(),
            )
        })
        .collect()
    };
    let s = Store::open(&path).unwrap();
    assert_eq!(schema_version(s.conn()).unwrap(), SCHEMA_VERSION);
    // An existing file keeps its page size (4 KiB then); only new ledgers get 16 KiB.
    let page: i64 = s
        .conn()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page, 4096);
    for (table, n) in &before {
        assert_eq!(count(&s, table), *n, "{table}");
    }
    assert!(path
        .with_file_name(format!("ledger.db.before-v{SCHEMA_VERSION}.bak"))
        .exists());
    // Records read back through the current model, and the PC knows itself as a device.
    let members: Vec<Member> = s.list("1", &[], "rowid").unwrap();
    assert_eq!(
        members.len() as i64,
        before.iter().find(|(t, _)| t == "member").unwrap().1
    );
    let me: String = s
        .conn()
        .query_row("SELECT id FROM device", [], |r| r.get(0))
        .unwrap();
    assert_eq!(me, s.session().device_id);
}

fn journal_mode(c: &rusqlite::Connection) -> String {
    c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// A bulk load runs in the WAL (readers elsewhere keep reading) and leaves it so, whether
/// it commits, rolls back or fails; nothing of a failed load remains.
#[test]
fn bulk_write_stays_in_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let mut s = Store::open(&path).unwrap();
    let during = s
        .write_bulk_or_rollback(|tx| {
            tx.insert(Unit::new("甲公司", UnitCategory::Enterprise))?;
            Ok((journal_mode(tx.conn()), true))
        })
        .unwrap();
    assert_eq!(during, "wal");
    assert_eq!(journal_mode(s.conn()), "wal");
    assert_eq!(s.count::<Unit>().unwrap(), 1);
    // Rolled back (a dry run) and failed: nothing written, WAL again.
    s.write_bulk_or_rollback(|tx| {
        tx.insert(Unit::new("乙公司", UnitCategory::Enterprise))?;
        Ok(((), false))
    })
    .unwrap();
    let err = s
        .write_bulk_or_rollback(|tx| -> taizhang::Result<((), bool)> {
            tx.insert(Unit::new("丙公司", UnitCategory::Enterprise))?;
            Err(Error::Rule("中途失败".into()))
        })
        .unwrap_err();
    assert!(err.to_string().contains("中途失败"));
    assert_eq!(journal_mode(s.conn()), "wal");
    assert_eq!(s.count::<Unit>().unwrap(), 1);
    drop(s);
    assert!(!path.with_file_name("ledger.db-journal").exists());
    assert_eq!(Store::open(&path).unwrap().count::<Unit>().unwrap(), 1);
}

/// While a bulk load runs — one big enough to spill its pages to disk before the commit —
/// another connection to the file (the desktop open while the CLI imports) still reads the
/// last committed state at once, not 「database is locked」.
#[test]
fn readers_keep_reading_while_a_bulk_load_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let mut s = Store::open(&path).unwrap();
    s.insert(Unit::new("甲公司", UnitCategory::Enterprise))
        .unwrap();
    let read_during = s
        .write_bulk_or_rollback(|tx| {
            tx.insert(Unit::new("乙公司", UnitCategory::Enterprise))?;
            // More than the load's page cache: pages go to disk before the commit.
            tx.conn().execute_batch(
                "CREATE TABLE bulk_filler(x); INSERT INTO bulk_filler VALUES (randomblob(24000000));",
            )?;
            // A reader that opens now, without waiting.
            let other = rusqlite::Connection::open(&path).unwrap();
            other.busy_timeout(std::time::Duration::ZERO).unwrap();
            let n = other.query_row("SELECT count(*) FROM unit", [], |r| r.get::<_, i64>(0));
            Ok((n.map_err(|e| e.to_string()), false))
        })
        .unwrap();
    assert_eq!(read_during, Ok(1));
    assert_eq!(s.count::<Unit>().unwrap(), 1);
}

/// With the file open elsewhere (another window, a backup tool) the load stays in the WAL
/// and still succeeds, without waiting.
#[test]
fn bulk_write_with_the_file_open_elsewhere_keeps_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let mut s = Store::open(&path).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = other
        .query_row("SELECT count(*) FROM unit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let started = std::time::Instant::now();
    let during = s
        .write_bulk_or_rollback(|tx| {
            tx.insert(Unit::new("甲公司", UnitCategory::Enterprise))?;
            Ok((journal_mode(tx.conn()), true))
        })
        .unwrap();
    assert_eq!(during, "wal");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let n: i64 = other
        .query_row("SELECT count(*) FROM unit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

/// A ledger written by schema version 2 (tests/fixtures/db/ledger-v2.db, a 12-unit demo county
/// made by the version before 发展党员) upgrades with nothing lost and takes applicants: one
/// added, taken to 积极分子, with a 正式党员 of the old ledger as 培养联系人.
#[test]
fn version_2_database_upgrades_and_takes_applicants() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db/ledger-v2.db"),
        &path,
    )
    .unwrap();
    let tables = [
        "unit",
        "org",
        "member",
        "activity",
        "attendance",
        "dues",
        "change_log",
    ];
    let before: Vec<i64> = {
        let c = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(schema_version(&c).unwrap(), 2);
        tables
            .iter()
            .map(|t| {
                c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                    .unwrap()
            })
            .collect()
    };
    let mut s = Store::open(&path).unwrap();
    s.set_today(Some(today()));
    assert_eq!(schema_version(s.conn()).unwrap(), SCHEMA_VERSION);
    for (t, n) in tables.iter().zip(&before) {
        assert_eq!(count(&s, t), *n, "{t}");
    }
    assert_eq!(count(&s, "applicant"), 0);
    let members: Vec<Member> = s
        .list("category = '正式党员' AND status = '在册'", &[], "rowid")
        .unwrap();
    let contact = &members[0];
    let a = Applicant::new(
        "林晓",
        id_number("19980315", 42),
        contact.org_id.unwrap(),
        d(2025, 3, 1),
    );
    let a = s.insert(a).unwrap();
    let mut st = StepInput::new(ApplicantStep::Activist, d(2025, 4, 1));
    st.people = vec![contact.meta.id];
    let (a, _) = s.write(|tx| tx.record_step(&a.meta.id, &st)).unwrap();
    assert_eq!(a.stage, ApplicantStage::Activist);
}
