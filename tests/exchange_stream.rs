//! Exchange packages as streams: a package many read buffers long round-trips exactly, a
//! package damaged in the middle of its change log (behind a valid seal, so the damage is only
//! found while the entries are being applied) is refused with nothing written, and a package
//! written by the previous version (manifest first in the zip, deflate level 6) is still read.

mod common;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;
use taizhang::exchange::{export_package, import_package, package, verify, ExportOptions};
use taizhang::{Error, Store};

/// Tables whose rows are this PC's own bookkeeping, not the records a package carries.
const BOOKKEEPING: [&str; 8] = [
    "meta",
    "device",
    "change_log",
    "exchange_log",
    "exchange_sent",
    "conflict",
    "field_alias",
    "sqlite_sequence",
];

fn ledger(dir: &Path, name: &str) -> Store {
    let mut s = Store::open(dir.join(name)).unwrap();
    s.set_today(Some(common::today()));
    s
}

fn demo(s: &mut Store, units: usize, seed: u64) {
    taizhang::demo::generate(
        s,
        &taizhang::demo::DemoOptions {
            units,
            seed,
            as_of: common::today(),
        },
    )
    .unwrap();
}

fn tables(s: &Store) -> Vec<String> {
    let mut st = s
        .conn()
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap();
    let names = st.query_map([], |r| r.get::<_, String>(0)).unwrap();
    names.map(Result::unwrap).collect()
}

/// Every row of a table, as text, in a stable order.
fn rows(s: &Store, table: &str, except: &[&str]) -> Vec<String> {
    let mut st = s.conn().prepare(&format!("SELECT * FROM {table}")).unwrap();
    let cols: Vec<String> = st.column_names().map(|c| c.to_string()).collect();
    let mut out: Vec<String> = st
        .query_map([], |r| {
            let mut line = String::new();
            for (i, c) in cols.iter().enumerate() {
                if !except.contains(&c.as_str()) {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("{c}={v:?};"));
                }
            }
            Ok(line)
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    out.sort();
    out
}

/// The records of a ledger: every table that is not bookkeeping, all columns (but the
/// shipped checklist, which each ledger writes for itself when it is created).
fn records(s: &Store) -> Vec<(String, Vec<String>)> {
    tables(s)
        .into_iter()
        .filter(|t| !BOOKKEEPING.contains(&t.as_str()) && t != "checklist")
        .map(|t| {
            let r = rows(s, &t, &[]);
            (t, r)
        })
        .collect()
}

/// The whole ledger file's contents, bookkeeping included.
fn everything(s: &Store) -> Vec<(String, Vec<String>)> {
    tables(s)
        .into_iter()
        .map(|t| {
            let r = rows(s, &t, &[]);
            (t, r)
        })
        .collect()
}

/// The change log as it travels (without the local sequence and what was skipped here), the
/// JSON columns compared as values.
fn travelling_log(s: &Store) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let mut st = s
        .conn()
        .prepare(
            "SELECT id || device_id || device_seq || actor || at || entity || record_id
                    || coalesce(parent_id, '-') || op, changes, bases
             FROM change_log WHERE entity <> 'settings' ORDER BY device_id, device_seq",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            let json = |i| -> rusqlite::Result<serde_json::Value> {
                Ok(serde_json::from_str(&r.get::<_, String>(i)?).unwrap())
            };
            Ok((r.get(0)?, json(1)?, json(2)?))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// Two ledgers hold the same records; otherwise, the first difference (the full lists would
/// be thousands of lines).
fn assert_same(got: &[(String, Vec<String>)], want: &[(String, Vec<String>)]) {
    let names = |v: &[(String, Vec<String>)]| v.iter().map(|t| t.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(got), names(want));
    for ((table, g), (_, w)) in got.iter().zip(want) {
        if let Some(i) = (0..g.len().max(w.len())).find(|i| g.get(*i) != w.get(*i)) {
            panic!(
                "{table}: {} rows against {}; first difference:\n  got  {:?}\n  want {:?}",
                g.len(),
                w.len(),
                g.get(i),
                w.get(i)
            );
        }
    }
}

fn export_all(s: &mut Store, out: &Path) {
    export_package(
        s,
        out,
        &ExportOptions {
            all: true,
            ..Default::default()
        },
    )
    .unwrap();
}

/// The parts of a package, in the zip's order.
fn parts(pkg: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(pkg).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().to_string(), bytes)
        })
        .collect()
}

/// Write a zip of `parts` in their order and seal it as the program does (the last 64 bytes
/// the SHA-256 of all before them): whatever the parts hold, only the reader's own checks of
/// the parts can find it.
fn sealed(out: &Path, parts: &[(String, Vec<u8>)], level: Option<i64>) {
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
        for (name, bytes) in parts {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(level);
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.set_comment("0".repeat(64));
        zip.finish().unwrap();
    }
    let mut bytes = std::fs::read(out).unwrap();
    let body = bytes.len() - 64;
    let seal: String = Sha256::digest(&bytes[..body])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    bytes[body..].copy_from_slice(seal.as_bytes());
    std::fs::write(out, bytes).unwrap();
}

fn part<'a>(parts: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut parts.iter_mut().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn a_package_many_read_buffers_long_round_trips_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ledger(dir.path(), "a.db");
    demo(&mut a, 30, 3);
    let pkg = dir.path().join("all.tzpkg");
    export_all(&mut a, &pkg);
    let log = parts(&pkg)
        .into_iter()
        .find(|(n, _)| n == "changes.jsonl")
        .unwrap()
        .1;
    // The reader and writer move the change log in 256 KiB chunks: this one is many of them.
    assert!(log.len() > 8 * 256 * 1024, "{} bytes", log.len());
    let manifest = verify(&pkg).unwrap();

    let mut b = ledger(dir.path(), "b.db");
    let s = import_package(&mut b, &pkg, false).unwrap();
    assert_eq!(s.merge.entries, manifest.changes);
    assert_eq!(s.merge.inserted + s.merge.updated, manifest.changes);
    assert_same(&records(&b), &records(&a));
    assert_eq!(travelling_log(&b), travelling_log(&a));

    // Again: nothing changes, every entry is known.
    let before = everything(&b);
    let again = import_package(&mut b, &pkg, false).unwrap();
    assert_eq!(again.merge.unchanged, manifest.changes);
    let after = everything(&b);
    // Only the import itself is logged.
    let differs: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| x.0.as_str())
        .collect();
    assert!(
        differs
            .iter()
            .all(|t| ["exchange_log", "device"].contains(t)),
        "{differs:?}"
    );
    assert_same(&records(&b), &records(&a));

    // And back from B: the same entries, the same records on a third PC.
    let back = dir.path().join("back.tzpkg");
    export_all(&mut b, &back);
    let mut c = ledger(dir.path(), "c.db");
    import_package(&mut c, &back, false).unwrap();
    assert_same(&records(&c), &records(&a));
    assert_eq!(travelling_log(&c), travelling_log(&a));
}

#[test]
fn a_package_damaged_in_the_middle_of_its_change_log_is_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ledger(dir.path(), "a.db");
    demo(&mut a, 12, 5);
    let pkg = dir.path().join("all.tzpkg");
    export_all(&mut a, &pkg);
    let good = parts(&pkg);
    let log = String::from_utf8(part(&mut good.clone(), "changes.jsonl").clone()).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let middle = lines.len() / 2;
    assert!(middle > 500, "{} entries", lines.len());
    let with_line = |replacement: &str| {
        let mut l = lines.clone();
        l[middle] = replacement;
        format!("{}\n", l.join("\n")).into_bytes()
    };
    let manifest: serde_json::Value =
        serde_json::from_slice(part(&mut good.clone(), "manifest.json")).unwrap();
    let with_sha = |bytes: &[u8]| {
        let mut m = manifest.clone();
        m["sha256"]["changes.jsonl"] = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .into();
        serde_json::to_vec(&m).unwrap()
    };
    // An entry edited (still valid JSON: everything before and after it applies).
    let edited = with_line(&lines[middle].replacen("\"at\":\"", "\"at\":\"1", 1));
    // An entry that is not JSON.
    let garbage = with_line("{\"id\": ");
    // An entry, correctly checksummed, about a record the ledger does not have.
    let mut unknown: serde_json::Value = serde_json::from_str(lines[middle]).unwrap();
    unknown["op"] = "update".into();
    unknown["record_id"] = "01890000-0000-7000-8000-000000000000".into();
    unknown["device_seq"] = 999_999_999.into();
    unknown["id"] = "01890000-0000-7000-8000-000000000001".into();
    let unknown = with_line(&unknown.to_string());
    let mut one_more = manifest.clone();
    one_more["changes"] = (lines.len() + 1).into();
    // (what the refusal says, the change log, the manifest, whether the file is damaged —
    // the unknown record is a well-formed package this ledger cannot take)
    let cases: Vec<(&str, Vec<u8>, Vec<u8>, bool)> = vec![
        (
            "changes.jsonl 校验和不符",
            edited,
            serde_json::to_vec(&manifest).unwrap(),
            true,
        ),
        ("条变更：", garbage.clone(), with_sha(&garbage), true),
        ("本机没有的", unknown.clone(), with_sha(&unknown), false),
        (
            "变更条数",
            log.clone().into_bytes(),
            serde_json::to_vec(&one_more).unwrap(),
            true,
        ),
    ];

    // B has records of its own, and has imported before.
    let mut b = ledger(dir.path(), "b.db");
    demo(&mut b, 3, 9);
    let earlier = dir.path().join("earlier.tzpkg");
    let mut c = ledger(dir.path(), "c.db");
    common::bare_unit(&mut c, "清河县远航物流有限公司", 40);
    export_all(&mut c, &earlier);
    import_package(&mut b, &earlier, false).unwrap();
    let before = everything(&b);

    let bad = dir.path().join("bad.tzpkg");
    for (needle, log, manifest, damaged) in cases {
        let mut p = good.clone();
        *part(&mut p, "changes.jsonl") = log;
        *part(&mut p, "manifest.json") = manifest;
        sealed(&bad, &p, None);
        for dry_run in [true, false] {
            match import_package(&mut b, &bad, dry_run) {
                Err(Error::BadFile(msg)) => assert!(msg.contains(needle), "{needle}: {msg}"),
                other => panic!("{needle}: {:?}", other.map(|s| s.merge)),
            }
            assert!(everything(&b) == before, "{needle}: nothing written");
        }
        assert_eq!(verify(&bad).is_err(), damaged, "{needle}");
    }
    // The same parts, unchanged and resealed, import: the refusals were the damage's.
    sealed(&bad, &good, None);
    import_package(&mut b, &bad, false).unwrap();
}

#[test]
fn a_package_laid_out_as_the_previous_version_wrote_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = ledger(dir.path(), "a.db");
    demo(&mut a, 4, 2);
    let pkg = dir.path().join("new.tzpkg");
    export_all(&mut a, &pkg);
    let mut p = parts(&pkg);
    // This version writes the manifest last; the previous one wrote it first, and deflated
    // everything at the default level.
    assert_eq!(p.last().unwrap().0, "manifest.json");
    p.rotate_right(1);
    assert_eq!(p[0].0, "manifest.json");
    let old = dir.path().join("old.tzpkg");
    sealed(&old, &p, None);
    let read = package::read(&old, taizhang::store::SCHEMA_VERSION).unwrap();
    assert_eq!(read.entries.len(), read.manifest.changes);
    let mut b = ledger(dir.path(), "b.db");
    import_package(&mut b, &old, false).unwrap();
    assert_same(&records(&b), &records(&a));
}
