//! Excel files from outside: the real fixtures (each imports, or is refused with errors a
//! person can act on) and hostile or broken files (refused within bounded time and memory).

mod common;
use common::*;
use rust_xlsxwriter::Workbook;
use std::path::Path;
use taizhang::excel::import::{import_file, ImportOptions};
use taizhang::excel::read::{read_book, Limits};
use taizhang::model::*;
use taizhang::Error;

/// Every real fixture either imports or is refused with a message a person can act on.
#[test]
fn real_fixtures_import_or_are_refused_clearly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    // file → expected profile, or None for "refused"
    let expect: &[(&str, Option<&str>)] = &[
        ("[sample_branch]党支部录入样表.xlsx", Some("orgs")),
        (
            "[sample_memberIn]组织关系转入录入样表.xlsx",
            Some("members"),
        ),
        (
            "[sample_member_all_update]党员信息一张表导入样表.xlsx",
            Some("members"),
        ),
        (
            "[sample_member_inSchool]党员信息（校内人员）录入样表.xlsx",
            Some("members"),
        ),
        (
            "[sample_member_outSchool]党员信息（校外人员）录入样表.xlsx",
            Some("members"),
        ),
        ("[sample_party]基层党组织录入样表.xlsx", Some("orgs")),
        (
            "[sample_pm_Activity]主题党日活动录入样表.xlsx",
            Some("activities"),
        ),
        (
            "[sample_pm_Meeting2]三会一课录入样表.xlsx",
            Some("activities"),
        ),
        (
            "[sample_pm_Meeting]三会一课录入样表.xlsx",
            Some("activities"),
        ),
        ("[sample_pmdFee]党费补缴录入样表.xlsx", Some("dues")),
        ("annual_stat.xlsx", None),
        ("partyMemberTemplate.xls", Some("members")),
        ("party_member_template.xlsx", Some("members")),
        ("stat_party_branch_detail.xls", Some("members")),
        ("与党组织相关的报表.xls", None),
        ("党员基本信息采集表.xlsx", None),
    ];
    let mut seen = 0;
    for (file, profile) in expect {
        let path = dir.join(file);
        let mut s = store();
        let result = import_file(
            &mut s,
            &path,
            &ImportOptions {
                dry_run: true,
                ..Default::default()
            },
        );
        match (result, profile) {
            (Ok(out), Some(p)) => {
                assert_eq!(&out.summary.profile, p, "{file}");
                for e in &out.summary.errors {
                    assert!(e.row > 0 && !e.message.is_empty(), "{file}: {e:?}");
                }
            }
            (Err(Error::BadFile(m)), None) => {
                assert!(m.contains("台账表") && m.contains("模板"), "{file}: {m}")
            }
            (other, _) => panic!("{file}: unexpected {:?}", other.map(|o| o.summary)),
        }
        seen += 1;
    }
    assert_eq!(
        seen,
        std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x != "md"))
            .count()
    );
}

#[test]
fn real_fixture_details() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let mut s = store();
    // 三会一课 with date-times, the org named in a column: imports, creating the branch.
    let sum = import(
        &mut s,
        &dir.join("[sample_pm_Meeting]三会一课录入样表.xlsx"),
        false,
    );
    assert_eq!((sum.inserted, sum.invalid), (1, 0), "{:?}", sum.errors);
    let a: Vec<Activity> = s.list("1", &[], "rowid").unwrap();
    assert_eq!(a[0].held_on, d(2019, 2, 3));
    assert_eq!((a[0].expected, a[0].present), (20, 20));
    assert_eq!(a[0].topic, "会议议题");
    // 成立时间 1969.01 (year and month).
    let sum = import(
        &mut s,
        &dir.join("[sample_party]基层党组织录入样表.xlsx"),
        false,
    );
    assert_eq!(sum.inserted, 1, "{:?}", sum.errors);
    let o: Vec<Org> = s
        .list("name = '中共xxxx大学教育学部委员会'", &[], "rowid")
        .unwrap();
    assert_eq!(
        (o[0].founded_on, o[0].org_type),
        (Some(d(1969, 1, 1)), OrgType::Committee)
    );
    // The 必填 hints row under the header is not data.
    let sum = import(
        &mut s,
        &dir.join("[sample_memberIn]组织关系转入录入样表.xlsx"),
        true,
    );
    assert_eq!(sum.rows, 0);
    // Placeholder ID and phone numbers are reported, both at once.
    let sum = import(
        &mut s,
        &dir.join("[sample_member_outSchool]党员信息（校外人员）录入样表.xlsx"),
        true,
    );
    let cols: Vec<&str> = sum.errors.iter().map(|e| e.column.as_str()).collect();
    assert!(
        cols.contains(&"G") && cols.contains(&"H"),
        "{:?}",
        sum.errors
    );
}

#[test]
fn sheet_claiming_the_whole_grid_is_read_sparsely() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("far.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "姓名").unwrap();
    ws.write(1_048_575, 16_383, "XFD1048576").unwrap();
    wb.save(&p).unwrap();
    let book = read_book(&p, &Limits::default()).unwrap();
    let cells: usize = book.sheets[0].rows.iter().map(|r| r.cells.len()).sum();
    assert_eq!(cells, 2);
    let mut s = store();
    let err = import_file(&mut s, &p, &ImportOptions::default())
        .err()
        .expect("no table");
    assert!(matches!(err, Error::BadFile(_)));
}
