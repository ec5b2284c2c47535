//! 出席签到表: a sign-in sheet with members by 姓名 (and phone) laid over one activity's
//! attendance — the activity found from the title or chosen, names matched within its org,
//! unknown and ambiguous names reported on their cells, never guessed.

mod common;
use common::*;
use rust_xlsxwriter::Workbook;
use std::path::Path;
use taizhang::excel::import::{import_file, ImportOptions, ImportSummary};
use taizhang::model::*;
use taizhang::Store;

fn write_rows(path: &Path, rows: &[&[&str]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn run(s: &mut Store, path: &Path, opts: ImportOptions) -> ImportSummary {
    import_file(s, path, &opts).unwrap().summary
}

struct Branch {
    org: Org,
    activity: Activity,
    /// 张三, 李四, 王芳 (13900000001), 王芳 (13900000002)
    members: Vec<Member>,
}

fn branch(s: &mut Store) -> Branch {
    let (_, org) = unit_and_org(s, "清河县恒达机械有限公司");
    let mut members = Vec::new();
    for (i, (name, phone)) in [
        ("张三", "13900000000"),
        ("李四", "13900000003"),
        ("王芳", "13900000001"),
        ("王芳", "13900000002"),
    ]
    .iter()
    .enumerate()
    {
        let mut m = member(&org, name, i as u32 + 1);
        m.phone = Some(phone.to_string());
        members.push(s.write(|tx| tx.add_member(m)).unwrap());
    }
    // Another branch's 李四 is not this meeting's.
    let (_, other) = unit_and_org(s, "清河县宏远商贸有限公司");
    s.write(|tx| tx.add_member(member(&other, "赵六", 9)))
        .unwrap();
    let activity = meeting(s, &org, &[ActivityType::ThemeDay], d(2026, 11, 5));
    Branch {
        org,
        activity,
        members,
    }
}

fn attendance_of(s: &Store, a: &Activity) -> Activity {
    s.get::<Activity>(&a.meta.id).unwrap()
}

#[test]
fn a_sign_in_sheet_marks_who_came_and_why_others_did_not() {
    let mut s = store();
    let b = branch(&mut s);
    assert_eq!(b.activity.attendance.len(), 4, "pre-filled from the rolls");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("签到表.xlsx");
    let title = format!("{}2026年11月5日主题党日签到表", b.org.name);
    write_rows(
        &path,
        &[
            &[title.as_str()],
            &["序号", "姓名", "联系电话", "出席情况", "请假原因"],
            &["1", "张三", "", "√", ""],
            &["2", "李四", "", "病假", ""],
            &["3", "王芳", "13900000002", "缺席", "外出务工"],
            &["4", "赵六", "", "出席", ""],
            &["5", "钱七", "", "出席", ""],
            &["6", "张三", "", "到", ""],
            &["7", "王芳", "13900000001", "迟到", ""],
        ],
    );
    let preview = run(
        &mut s,
        &path,
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    assert_eq!(preview.profile, "attendance");
    assert_eq!(preview.rows, 7);
    let activity = preview.activity.as_deref().unwrap();
    assert!(activity.starts_with("2026-11-05 主题党日"), "{activity}");
    assert!(
        preview
            .warnings
            .iter()
            .any(|w| w.contains("按标题中的党组织和日期")),
        "{:?}",
        preview.warnings
    );
    let at = |row: u32| {
        preview
            .errors
            .iter()
            .filter(|e| e.row == row)
            .map(|e| format!("{} {}", e.column, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    // 赵六 is another branch's member; 钱七 nobody's; 张三 twice; 迟到 is not an answer.
    assert!(
        at(6).starts_with("B ") && at(6).contains("没有名为“赵六”"),
        "{}",
        at(6)
    );
    assert!(at(7).contains("没有名为“钱七”"), "{}", at(7));
    assert!(at(8).contains("与第 3 行是同一名党员"), "{}", at(8));
    assert!(
        at(9).starts_with("D ") && at(9).contains("看不懂“迟到”"),
        "{}",
        at(9)
    );
    assert_eq!(preview.invalid, 4);
    assert_eq!((preview.updated, preview.unchanged), (2, 1));
    assert_eq!(
        attendance_of(&s, &b.activity),
        b.activity,
        "a preview writes nothing"
    );

    // The default policy: nothing while rows are invalid.
    let refused = run(&mut s, &path, ImportOptions::default());
    assert!(!refused.committed);
    assert_eq!(attendance_of(&s, &b.activity), b.activity);

    let done = run(
        &mut s,
        &path,
        ImportOptions {
            skip_invalid: true,
            ..Default::default()
        },
    );
    assert!(done.committed);
    let a = attendance_of(&s, &b.activity);
    let of = |m: &Member| {
        a.attendance
            .iter()
            .find(|x| x.member_id == m.meta.id)
            .map(|x| (x.present, x.reason.clone()))
            .unwrap()
    };
    assert_eq!(of(&b.members[0]), (true, None));
    assert_eq!(of(&b.members[1]), (false, Some("病假".into())));
    assert_eq!(of(&b.members[2]), (true, None), "the other 王芳, by phone");
    assert_eq!(of(&b.members[3]), (false, Some("外出务工".into())));
    assert_eq!((a.expected, a.present), (4, 2));

    // The same sheet again changes nothing.
    let again = run(
        &mut s,
        &path,
        ImportOptions {
            skip_invalid: true,
            ..Default::default()
        },
    );
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 3));
    assert!(!again.committed);
}

#[test]
fn the_activity_is_chosen_when_the_title_does_not_tell() {
    let mut s = store();
    let b = branch(&mut s);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("签到.xlsx");
    write_rows(
        &path,
        &[
            &["姓名", "是否出席", "备注"],
            &["张三", "否", "出差"],
            &["王芳", "是", ""],
        ],
    );
    let asked = run(&mut s, &path, ImportOptions::default());
    assert!(asked.needs_activity);
    assert!(
        asked
            .problems
            .iter()
            .any(|p| p.contains("哪一次会议或活动")),
        "{:?}",
        asked.problems
    );
    assert!(asked.errors.is_empty() && !asked.committed);

    let opts = ImportOptions {
        activity: Some(b.activity.meta.id),
        ..Default::default()
    };
    let sum = run(&mut s, &path, opts.clone());
    // 王芳 without a phone: two members of the branch have the name.
    assert_eq!(sum.invalid, 1);
    let e = &sum.errors[0];
    assert_eq!((e.row, e.column.as_str()), (3, "A"));
    assert!(e.message.contains("有 2 名党员叫“王芳”"), "{}", e.message);
    assert!(!sum.committed);
    let sum = run(
        &mut s,
        &path,
        ImportOptions {
            skip_invalid: true,
            ..opts
        },
    );
    assert!(sum.committed);
    let a = attendance_of(&s, &b.activity);
    let zhang = a
        .attendance
        .iter()
        .find(|x| x.member_id == b.members[0].meta.id)
        .unwrap();
    assert_eq!(
        (zhang.present, zhang.reason.as_deref()),
        (false, Some("出差"))
    );

    // An activity that is not in the ledger is refused with what to do.
    let Err(err) = import_file(
        &mut s,
        &path,
        &ImportOptions {
            activity: Some(Id::new()),
            ..Default::default()
        },
    ) else {
        panic!("an unknown activity was accepted")
    };
    assert!(err.to_string().contains("请先登记这次会议或活动"), "{err}");
}

#[test]
fn a_sign_in_sheet_is_not_offered_for_export() {
    let s = store();
    let dir = tempfile::tempdir().unwrap();
    let err = taizhang::excel::export::export(
        &s,
        &dir.path().join("x.xlsx"),
        &taizhang::excel::export::ExportOptions {
            profile: "attendance".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("只用于导入"), "{err}");
}
