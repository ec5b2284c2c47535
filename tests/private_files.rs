//! Files that hold personal information are private to their owner on Unix (issue 20): the
//! ledger and SQLite's -wal/-shm beside it, backups and the 备份 folder, photos, Excel
//! exports, the annual report, errors workbooks and exchange packages are 0600, the folders made for them 0700,
//! under the usual umask 022 (which would give 0644 and 0755).
#![cfg(unix)]

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use taizhang::exchange::{export_package, import_package, ExportOptions};
use taizhang::model::*;
use taizhang::Store;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file and folder under `root` (not `root` itself), with its mode.
fn modes(root: &Path) -> Vec<(PathBuf, bool, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let is_dir = p.is_dir();
            if is_dir {
                stack.push(p.clone());
            }
            out.push((p.clone(), is_dir, mode(&p)));
        }
    }
    out
}

fn assert_private(root: &Path, at_least: &[&str]) {
    let all = modes(root);
    for (p, is_dir, m) in &all {
        let want = if *is_dir { 0o700 } else { 0o600 };
        assert_eq!(*m, want, "{} is {m:o}", p.display());
    }
    for name in at_least {
        assert!(
            all.iter()
                .any(|(p, _, _)| p.to_string_lossy().ends_with(name)),
            "{name} was not made: {:?}",
            all.iter().map(|a| &a.0).collect::<Vec<_>>()
        );
    }
}

#[test]
fn everything_written_with_personal_data_is_owner_only() {
    // The usual umask: without the fix every file below would be 0644, every folder 0755.
    // (This test binary runs this one test, so the umask is changed for it alone.)
    unsafe {
        libc::umask(0o022);
    }
    let inputs = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let root = out.path();

    // The ledger, in a folder made for it, with a write outstanding: -wal and -shm exist.
    let mut s = Store::open(root.join("台账").join("ledger.db")).unwrap();
    s.set_today(Some(today()));
    let (_, org) = unit_and_org(&mut s, "甲公司");
    s.insert(member(&org, "王建国", 11)).unwrap();
    let pic = inputs.path().join("flag.jpg");
    std::fs::write(&pic, b"\xFF\xD8\xFF fake jpeg").unwrap();
    let photo = s.import_photo(&pic).unwrap();
    let mut insp = Inspection::blank();
    insp.org_id = org.meta.id;
    insp.inspected_on = d(2026, 11, 20);
    insp.inspector_name = "周指导".into();
    insp.items = JsonList(
        SHI_GE_YOU
            .iter()
            .map(|c| InspectionItem {
                item_code: c.to_string(),
                result: CheckResult::Yes,
                note: None,
                photo: (*c == "flag").then(|| photo.clone()),
            })
            .collect(),
    );
    s.insert(insp).unwrap();
    let ledger = root.join("台账");
    assert!(ledger.join("ledger.db-wal").exists() && ledger.join("ledger.db-shm").exists());

    // Backups: one chosen by the user (a new folder, photos beside it), the automatic one
    // in 备份, and the 恢复前 copy a restore makes.
    let chosen = root.join("备份盘").join("周五.db");
    s.backup(&chosen, false).unwrap();
    s.auto_backup_if_due(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    )
    .unwrap()
    .expect("due");
    s.restore_from(&chosen).unwrap();

    // Excel: an export, an export written over a world-readable file, an errors workbook.
    let opts = taizhang::excel::export::ExportOptions {
        profile: "members".into(),
        ..Default::default()
    };
    // (a folder the user chose: made here as a user would, private)
    std::fs::create_dir(root.join("导出")).unwrap();
    std::fs::set_permissions(root.join("导出"), std::fs::Permissions::from_mode(0o700)).unwrap();
    taizhang::excel::export::export(&s, &root.join("导出").join("花名册.xlsx"), &opts).unwrap();
    let over = root.join("导出").join("旧的.xlsx");
    std::fs::write(&over, b"old").unwrap();
    std::fs::set_permissions(&over, std::fs::Permissions::from_mode(0o644)).unwrap();
    taizhang::excel::export::export(&s, &over, &opts).unwrap();
    let roster = inputs.path().join("花名册.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let head = ["姓名", "公民身份号码", "所在党支部", "入党日期", "手机号码"];
        let id = id_number("19920303", 22);
        let row = ["李芳", &id, "中共甲公司支部委员会", "2015-06-30", "138"];
        for (c, (h, v)) in head.iter().zip(row).enumerate() {
            ws.write(0, c as u16, *h).unwrap();
            ws.write(1, c as u16, v).unwrap();
        }
        wb.save(&roster).unwrap();
    }
    let outcome = taizhang::excel::import::import_file(
        &mut s,
        &roster,
        &taizhang::excel::import::ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!outcome.summary.errors.is_empty(), "{:?}", outcome.summary);
    let errors = root.join("导出").join("错误.xlsx");
    taizhang::excel::errors_book::write_errors_book(&outcome.book, &outcome.summary, &errors)
        .unwrap();

    // The annual report (lists name 党建指导员).
    taizhang::report::annual::annual_report(
        &s,
        &root.join("导出").join("年报.xlsx"),
        &taizhang::report::annual::AnnualOptions {
            year: 2026,
            ..Default::default()
        },
    )
    .unwrap();

    // An exchange package, and another PC receiving it with its photo.
    let pkg = root.join("交换").join("给县里.tzpkg");
    std::fs::create_dir(root.join("交换")).unwrap();
    std::fs::set_permissions(root.join("交换"), std::fs::Permissions::from_mode(0o700)).unwrap();
    export_package(
        &mut s,
        &pkg,
        &ExportOptions {
            all: true,
            ..Default::default()
        },
    )
    .unwrap();
    let mut county = Store::open(root.join("县里").join("ledger.db")).unwrap();
    let got = import_package(&mut county, &pkg, false).unwrap();
    assert_eq!(got.merge.photos, 1);

    assert_private(
        root,
        &[
            "台账/ledger.db",
            "台账/ledger.db-wal",
            "台账/ledger.db-shm",
            "台账/photos",
            &format!("台账/photos/{photo}"),
            "备份盘/周五.db",
            &format!("备份盘/周五-照片/{photo}"),
            "台账/备份",
            ".db", // 自动备份-… and 恢复前-…
            "导出/花名册.xlsx",
            "导出/旧的.xlsx",
            "导出/错误.xlsx",
            "导出/年报.xlsx",
            "交换/给县里.tzpkg",
            &format!("县里/photos/{photo}"),
        ],
    );
    let kept: Vec<String> = std::fs::read_dir(ledger.join("备份"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        kept.iter().any(|n| n.starts_with("自动备份-"))
            && kept.iter().any(|n| n.starts_with("恢复前-")),
        "{kept:?}"
    );
    drop((s, county));
}
