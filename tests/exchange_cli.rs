//! The acceptance scenario through the command line: two ledgers made with
//! `taizhang demo`, edits on both, packages both ways, the same `stats`, and the conflicting
//! edit listed by `conflicts list` on both.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn run(db: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .args(&all)
        .env("TAIZHANG_DB", db)
        .env("TAIZHANG_TODAY", "2026-11-21")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn this_pc(db: &Path) -> String {
    let devices = run(db, &["exchange", "devices"]);
    devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["this_pc"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn two_demo_ledgers_exchange_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    for db in [&a, &b] {
        run(
            db,
            &[
                "demo",
                "--units",
                "20",
                "--seed",
                "4",
                "--as-of",
                "2026-11-21",
            ],
        );
    }
    let (ida, idb) = (this_pc(&a), this_pc(&b));
    let members = run(&a, &["member", "list", "--limit", "2"]);
    let (m1, m2) = (
        members[0]["id"].as_str().unwrap(),
        members[1]["id"].as_str().unwrap(),
    );
    // Both change one member's phone (a conflict); each changes something the other does not.
    run(&a, &["member", "update", m1, "--phone", "13911112222"]);
    run(&b, &["member", "update", m1, "--phone", "13933334444"]);
    run(&a, &["member", "update", m2, "--job", "质检员"]);
    let unit = run(&b, &["unit", "list", "--limit", "1"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    run(&b, &["unit", "update", &unit, "--employees", "321"]);

    let (pa, pb) = (dir.path().join("a.tzpkg"), dir.path().join("b.tzpkg"));
    run(
        &a,
        &[
            "exchange",
            "export",
            pa.to_str().unwrap(),
            "--to",
            &idb,
            "--all",
        ],
    );
    run(
        &b,
        &[
            "exchange",
            "export",
            pb.to_str().unwrap(),
            "--to",
            &ida,
            "--all",
        ],
    );
    assert_eq!(
        run(&a, &["exchange", "verify", pb.to_str().unwrap()])["source_device"],
        idb
    );
    let sb = run(&b, &["exchange", "import", pa.to_str().unwrap()]);
    let sa = run(&a, &["exchange", "import", pb.to_str().unwrap()]);
    for s in [&sa, &sb] {
        for key in ["inserted", "updated", "unchanged", "conflicts"] {
            assert!(s.get(key).is_some(), "summary lacks {key}: {s}");
        }
        assert_eq!(s["conflicts"], 1, "{s}");
    }
    let (stats_a, stats_b) = (run(&a, &["stats"]), run(&b, &["stats"]));
    assert_eq!(stats_a, stats_b);
    assert_eq!(
        run(&a, &["member", "show", m2])["job"],
        run(&b, &["member", "show", m2])["job"]
    );
    assert_eq!(run(&a, &["unit", "show", &unit])["employees"], 321);
    for (db, mine, theirs) in [
        (&a, "13911112222", "13933334444"),
        (&b, "13933334444", "13911112222"),
    ] {
        let c = run(db, &["conflicts", "list"]);
        assert_eq!(c.as_array().unwrap().len(), 1, "{c}");
        assert_eq!(
            (c[0]["record_id"].as_str(), c[0]["field"].as_str()),
            (Some(m1), Some("phone"))
        );
        assert_eq!(
            (
                c[0]["local_value"].as_str(),
                c[0]["incoming_value"].as_str()
            ),
            (Some(mine), Some(theirs))
        );
    }
}
