//! Exchange at city scale (see BENCHMARKS.md): `cargo bench --bench exchange [-- MEMBERS]`.
//!
//! PC A holds a city: 100,000 members in 2,000 branches. PC B receives all of it in a first
//! package. Then A changes every member (a new phone number) and sends the 100,000 changes;
//! B imports that package, and imports it a second time.
//!
//! Before that, the desktop's list screen is timed on A's 100,000 members: a page as the
//! 党员 screen asks for it (20 rows, the total, the names they refer to), first and last page,
//! a name search, sorted by a column, filtered by org.

/// The allocator the app's binaries use (src/bin/taizhang/main.rs, src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;
use taizhang::exchange::{export_package, import_package, ExportOptions};
use taizhang::model::validate::id_number_check_char;
use taizhang::model::*;
use taizhang::store::records::referenced_names;
use taizhang::store::{count_records, list_records, ListQuery};
use taizhang::Store;

/// One page of the 党员 list as the desktop fetches it; returns milliseconds.
fn page_ms(store: &Store, q: &ListQuery) -> f64 {
    let t = Instant::now();
    let rows: Vec<Member> = list_records(store.conn(), q).unwrap();
    let total = count_records::<Member>(store.conn(), q).unwrap();
    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    let names = referenced_names::<Member>(store.conn(), &json);
    assert!(total > 0 && !rows.is_empty() && !names.is_empty());
    t.elapsed().as_secs_f64() * 1000.0
}

/// The bench's members are all called 党员NNNNNN, which the pinyin collation compares cheaply
/// (the same first character); a page sorted by realistic names (百家姓 surnames, varied given
/// names) makes it look up every character.
fn pinyin_sort_ms(n: usize) -> f64 {
    const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志宏文斌辉丹凤琴云波宁欣怡晨浩宇轩泽然俊豪";
    let (s, g): (Vec<char>, Vec<char>) = (SURNAMES.chars().collect(), GIVEN.chars().collect());
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.create_collation("pinyin", taizhang::store::collate::pinyin_cmp)
        .unwrap();
    conn.execute_batch("CREATE TABLE t(name TEXT)").unwrap();
    {
        let mut ins = conn.prepare("INSERT INTO t VALUES (?1)").unwrap();
        for i in 0..n {
            let mut name = String::new();
            name.push(s[i * 7 % s.len()]);
            name.push(g[i * 13 % g.len()]);
            if i % 3 != 0 {
                name.push(g[i * 31 / 7 % g.len()]);
            }
            ins.execute([name]).unwrap();
        }
    }
    let run = || {
        let t = Instant::now();
        let v: Vec<String> = conn
            .prepare("SELECT name FROM t ORDER BY name IS NULL, name COLLATE pinyin, rowid LIMIT 20 OFFSET 1980")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(v.len(), 20);
        t.elapsed().as_secs_f64() * 1000.0
    };
    run();
    (0..3).map(|_| run()).fold(f64::MAX, f64::min)
}

fn list_timings(store: &Store, n: usize, some_org: Id) {
    let page = |offset: usize| ListQuery {
        limit: Some(20),
        offset,
        ..Default::default()
    };
    let cases: Vec<(&str, ListQuery)> = vec![
        ("first page", page(0)),
        ("last page", page(n - 20)),
        (
            "search by name",
            ListQuery {
                search: Some(format!("党员{:06}", n / 2)),
                ..page(0)
            },
        ),
        (
            // Latin letters also match names' 拼音首字母: the function runs on every row.
            "search by 拼音首字母 (dy: every member)",
            ListQuery {
                search: Some("dy".into()),
                ..page(0)
            },
        ),
        (
            "sorted by 入党日期, newest first",
            ListQuery {
                order_by: Some("joined_on".into()),
                descending: true,
                ..page(0)
            },
        ),
        (
            "sorted by 姓名, page 100",
            ListQuery {
                order_by: Some("name".into()),
                ..page(2000)
            },
        ),
        (
            "filtered by 党组织",
            ListQuery {
                filters: vec![("org_id".into(), some_org.to_string())],
                ..page(0)
            },
        ),
    ];
    for (what, q) in cases {
        // the first run warms the page cache, as the screen's first visit does
        page_ms(store, &q);
        let best = (0..3).map(|_| page_ms(store, &q)).fold(f64::MAX, f64::min);
        println!("list {n} members, {what}: {best:.1} ms");
    }
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21);
    let mut a = Store::open(dir.path().join("a.db")).unwrap();
    let mut b = Store::open(dir.path().join("b.db")).unwrap();
    a.set_today(today);
    b.set_today(today);

    let t = Instant::now();
    let members: Vec<Id> = a
        .write(|tx| {
            let mut orgs = Vec::new();
            for i in 0..(n / 50).max(1) {
                orgs.push(
                    tx.insert(Org::new(
                        format!("中共某市第{i:04}非公企业支部委员会"),
                        OrgType::Branch,
                        "单独组建",
                    ))?
                    .meta
                    .id,
                );
            }
            let mut ids = Vec::with_capacity(n);
            for i in 0..n {
                let birth = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap()
                    + chrono::Days::new((i / 1000) as u64 * 37);
                let first = format!("330123{}{:03}", birth.format("%Y%m%d"), i % 1000);
                let idn = format!("{first}{}", id_number_check_char(&first).unwrap());
                let mut m = Member::new(
                    format!("党员{i:06}"),
                    idn,
                    chrono::NaiveDate::from_ymd_opt(2000, 7, 1).unwrap(),
                );
                m.org_id = Some(orgs[i / 50 % orgs.len()]);
                ids.push(tx.add_member(m)?.meta.id);
            }
            Ok(ids)
        })
        .unwrap();
    println!(
        "setup: {n} members on A in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let some_org: Member = a.get(&members[0]).unwrap();
    list_timings(&a, n, some_org.org_id.unwrap());
    println!(
        "sort {n} realistic names by pinyin, page 100 (bare SQLite, the collation): {:.1} ms",
        pinyin_sort_ms(n)
    );

    let to_b = ExportOptions {
        to: Some(b.session().device_id.clone()),
        ..Default::default()
    };
    let first = dir.path().join("first.tzpkg");
    let t = Instant::now();
    export_package(&mut a, &first, &to_b).unwrap();
    let export_all = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let s = import_package(&mut b, &first, false).unwrap();
    println!(
        "first sync: export {export_all:.2} s, import {:.2} s ({} records new to B)",
        t.elapsed().as_secs_f64(),
        s.merge.inserted
    );

    let t = Instant::now();
    a.write(|tx| {
        for (i, id) in members.iter().enumerate() {
            let mut m: Member = tx.get(id)?;
            m.phone = Some(format!("139{i:08}"));
            tx.update(m)?;
        }
        Ok(())
    })
    .unwrap();
    let changes = dir.path().join("changes.tzpkg");
    export_package(&mut a, &changes, &to_b).unwrap();
    println!(
        "A changes {n} members and exports them in {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let s = import_package(&mut b, &changes, false).unwrap();
    let first_import = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let again = import_package(&mut b, &changes, false).unwrap();
    let repeat = t.elapsed().as_secs_f64();
    assert_eq!(s.merge.updated, n);
    assert_eq!(again.merge.unchanged, n);
    println!("merge {n} changed records: {first_import:.2} s (target < 5 s); same package again: {repeat:.2} s (target < 2 s)");
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .unwrap_or_default();
    println!("peak memory of the whole run: {peak}");
}
