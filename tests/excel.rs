//! Excel import and export: every quirk of DESIGN.md §6 on generated workbooks, the real
//! fixtures, hostile files, and lossless round trips.

mod common;
use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use taizhang::excel::errors_book::{write_book, write_errors_book};
use taizhang::excel::export::{export, ExportOptions};
use taizhang::excel::import::{import_file, ImportOptions};
use taizhang::excel::read::{read_book, Cell, Limits};
use taizhang::model::*;
use taizhang::{Error, Store};

/// A roster as counties hand them out: a merged title, a 填报单位 line, a blank line, headers
/// with odd spacing in a new order, two data rows, a 合计 row and a 填表说明 note.
fn county_roster(dir: &Path) -> PathBuf {
    let path = dir.join("roster.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        8,
        "清河县两新组织党员花名册",
        &Format::new().set_bold(),
    )
    .unwrap();
    ws.write(1, 0, "填报单位：清河县委社会工作部").unwrap();
    ws.write(1, 6, "填报日期：2026年11月21日").unwrap();
    let headers = [
        "序 号",
        "姓　名",
        "公民身份號碼",
        "性别",
        "所在\n党支部",
        "入党时间",
        "转正日期",
        "工作单位",
        "是否流动党员",
        "籍贯",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write(3, c as u16, *h).unwrap();
    }
    let rows: [[&str; 10]; 2] = [
        [
            "1",
            " 王建国 ",
            &id_number("19880512", 11),
            "男",
            "中共清河县恒达机械有限公司支部委员会",
            "2012.7.1",
            "2013年7月1日",
            "清河县恒达机械有限公司",
            "√",
            "浙江",
        ],
        [
            "2",
            "李芳",
            &id_number("19920303", 22),
            "女",
            "中共清河县恒达机械有限公司支部委员会",
            "",
            "",
            "清河县恒达机械有限公司",
            "否",
            "浙江",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(4 + r as u32, c as u16, *v).unwrap();
        }
    }
    // 入党日期 of 李芳 as a real Excel date, 转正 as text
    ws.write_datetime_with_format(
        5,
        5,
        ExcelDateTime::from_ymd(2015, 6, 30).unwrap(),
        &Format::new().set_num_format("yyyy/m/d"),
    )
    .unwrap();
    ws.write(5, 6, "2016-06-30").unwrap();
    ws.write(6, 0, "合计").unwrap();
    ws.write(6, 1, "2人").unwrap();
    ws.write(
        8,
        0,
        "填表说明：1. 本表由党支部填写；2. 身份证号请设置为文本格式。",
    )
    .unwrap();
    wb.save(&path).unwrap();
    path
}

#[test]
fn county_roster_with_every_layout_quirk_imports() {
    let dir = tempfile::tempdir().unwrap();
    let path = county_roster(dir.path());
    let mut s = store();
    let preview = import(&mut s, &path, true);
    assert_eq!(preview.profile, "members");
    assert_eq!(preview.header_row, 4);
    assert_eq!(
        (preview.rows, preview.inserted, preview.invalid),
        (2, 2, 0),
        "{:?}",
        preview.errors
    );
    assert_eq!(
        preview.created.orgs,
        vec!["中共清河县恒达机械有限公司支部委员会"]
    );
    assert_eq!(preview.created.units, vec!["清河县恒达机械有限公司"]);
    assert!(
        preview.unknown_columns.iter().any(|c| c.contains("籍贯")),
        "{:?}",
        preview.unknown_columns
    );
    assert_eq!(
        count(&s, "member") + count(&s, "org") + count(&s, "unit"),
        0,
        "a dry run writes nothing"
    );

    let real = import(&mut s, &path, false);
    assert!(real.committed);
    assert_eq!(real.inserted, 2);
    let members: Vec<Member> = s.list("1", &[], "name").unwrap();
    let wang = members.iter().find(|m| m.name == "王建国").unwrap();
    assert_eq!(wang.joined_on, d(2012, 7, 1));
    assert_eq!(wang.confirmed_on, Some(d(2013, 7, 1)));
    assert!(wang.is_mobile);
    assert_eq!(
        wang.work_unit_name.as_deref(),
        Some("清河县恒达机械有限公司")
    );
    let li = members.iter().find(|m| m.name == "李芳").unwrap();
    assert_eq!((li.joined_on, li.gender), (d(2015, 6, 30), Gender::Female));
    let org: Org = s.get(&wang.org_id.unwrap()).unwrap();
    assert_eq!(
        (org.org_type, org.formation.as_str()),
        (OrgType::Branch, "单独组建")
    );
    let unit: Unit = s.get(&wang.work_unit_id.unwrap()).unwrap();
    assert_eq!(unit.category, UnitCategory::Enterprise);

    // The same file again changes nothing.
    let log = count(&s, "change_log");
    let again = import(&mut s, &path, false);
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(count(&s, "change_log"), log);
}

fn write_rows(path: &Path, rows: &[Vec<String>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write(r as u32, c as u16, v.as_str()).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

#[test]
fn two_row_headers_and_values_as_people_write_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two-row.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 3, "基本信息", &Format::new())
        .unwrap();
    ws.merge_range(0, 4, 0, 6, "党籍信息", &Format::new())
        .unwrap();
    for (c, h) in [
        "姓名",
        "性别",
        "身份证号",
        "手机",
        "所在党组织",
        "党籍状态",
        "入党日期",
    ]
    .iter()
    .enumerate()
    {
        ws.write(1, c as u16, *h).unwrap();
    }
    ws.write(2, 0, "赵敏").unwrap();
    ws.write(2, 1, "女性").unwrap();
    ws.write(
        2,
        2,
        format!(" {} ", id_number("19900101", 2).to_lowercase()),
    )
    .unwrap();
    ws.write_number(2, 3, 13812345678.0).unwrap(); // phone stored as a number: fine
    ws.write(2, 4, "中共甲公司支部委员会").unwrap();
    ws.write(2, 5, "预备").unwrap();
    ws.write_number(2, 6, 46000.0).unwrap(); // an Excel serial without date format: 2025-12-09
    ws.write(3, 0, "钱七").unwrap();
    ws.write_number(3, 2, 330123199001010000.0).unwrap(); // precision lost in Excel
    ws.write(3, 4, "中共甲公司支部委员会").unwrap();
    ws.write(3, 6, "2010/7").unwrap();
    wb.save(&path).unwrap();

    let mut s = store();
    let sum = import(&mut s, &path, true);
    assert_eq!(sum.header_row, 2, "the sub-header row is the header");
    assert_eq!(sum.rows, 2);
    assert_eq!(sum.invalid, 1);
    let e = &sum.errors[0];
    assert_eq!((e.row, e.column.as_str()), (4, "C"));
    assert!(e.message.contains("15 位有效数字"), "{}", e.message);
    // The default policy: one invalid row and nothing is imported.
    let real = import(&mut s, &path, false);
    assert!(!real.committed);
    assert_eq!(count(&s, "member"), 0);
    // --skip-invalid imports the valid row.
    let opts = ImportOptions {
        skip_invalid: true,
        ..Default::default()
    };
    let sum = import_file(&mut s, &path, &opts).unwrap().summary;
    assert!(sum.committed);
    let m: Vec<Member> = s.list("1", &[], "name").unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].category, MemberCategory::Probationary);
    assert_eq!(m[0].joined_on, d(2025, 12, 9));
    assert_eq!(m[0].phone.as_deref(), Some("13812345678"));
    assert!(m[0].id_number.ends_with('X') || m[0].id_number.chars().all(|c| c.is_ascii_digit()));
}

#[test]
fn errors_workbook_marks_bad_cells_and_adds_an_error_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    write_rows(
        &path,
        &[
            strings(&["姓名", "公民身份号码", "所在党支部", "入党日期", "手机号码"]),
            strings(&[
                "孙八",
                &id_number("19850505", 1),
                "中共乙公司支部委员会",
                "2010-07-01",
                "123",
            ]),
            strings(&[
                "周九",
                "330123198505050000",
                "中共乙公司支部委员会",
                "明年",
                "13900001111",
            ]),
        ],
    );
    let mut s = store();
    let out = import_file(&mut s, &path, &ImportOptions::default()).unwrap();
    assert_eq!(out.summary.invalid, 2);
    let cols: Vec<(u32, &str)> = out
        .summary
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert!(
        cols.contains(&(2, "E")) && cols.contains(&(3, "B")) && cols.contains(&(3, "D")),
        "{cols:?}"
    );
    let errs = dir.path().join("errors.xlsx");
    write_errors_book(&out.book, &out.summary, &errs).unwrap();
    let back = read_book(&errs, &Limits::default()).unwrap();
    let sheet = &back.sheets[0];
    // The user's data is all there, and column F explains each row.
    assert_eq!(sheet.rows[1].get(0), Some(&Cell::Text("孙八".into())));
    assert_eq!(sheet.rows[0].get(5), Some(&Cell::Text("错误说明".into())));
    let Some(Cell::Text(msg)) = sheet.rows[2].get(5) else {
        panic!("no error text")
    };
    assert!(msg.contains("B列") && msg.contains("D列"), "{msg}");
    // The workbook carries a comment on each bad cell.
    let zip = zip::ZipArchive::new(std::fs::File::open(&errs).unwrap()).unwrap();
    assert!(
        zip.file_names().any(|n| n.contains("comments")),
        "notes written"
    );
}

#[test]
fn register_with_org_in_title_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("meetings.xlsx");
    write_rows(
        &path,
        &[
            strings(&["中共清河县恒达机械有限公司支部委员会三会一课登记表"]),
            strings(&[]),
            strings(&[
                "日期",
                "类型",
                "地点",
                "主持人",
                "记录人",
                "应到",
                "实到",
                "缺席名单及原因",
                "主要内容",
            ]),
            strings(&[
                "2026.10.10",
                "支部党员大会、党课",
                "活动室",
                "王建国",
                "李芳",
                "12",
                "11",
                "张三（出差）",
                "学习",
            ]),
            strings(&[
                "2026-11-05",
                "主题党日",
                "活动室",
                "王建国",
                "李芳",
                "12",
                "13",
                "",
                "重温入党誓词",
            ]),
        ],
    );
    let mut s = store();
    let sum = import(&mut s, &path, false);
    assert_eq!(
        sum.created.orgs,
        vec!["中共清河县恒达机械有限公司支部委员会"]
    );
    assert_eq!(sum.invalid, 1, "实到 more than 应到");
    assert!(sum.errors[0].message.contains("多于应到"));
    assert!(!sum.committed);
    let opts = ImportOptions {
        skip_invalid: true,
        ..Default::default()
    };
    let sum = import_file(&mut s, &path, &opts).unwrap().summary;
    assert_eq!(sum.inserted, 1);
    let acts: Vec<Activity> = s.list("1", &[], "held_on").unwrap();
    assert_eq!(
        acts[0].types.0,
        vec![ActivityType::BranchMeeting, ActivityType::PartyLecture]
    );
    assert_eq!((acts[0].expected, acts[0].present), (12, 11));
    assert_eq!(acts[0].absence_note.as_deref(), Some("张三（出差）"));
    assert_eq!(
        acts[0].topic, "支部党员大会、党课",
        "no 主题 column: the type is the title"
    );
}

/// An org list names its 上级党组织: one further down the list is that row; one the file
/// and the ledger lack is created (and listed), once, whatever the order of the rows.
#[test]
fn org_list_creates_missing_parents_once_every_row_is_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orgs.xlsx");
    write_rows(
        &path,
        &[
            strings(&["党组织名称", "党组织类型", "上级党组织", "成立日期"]),
            strings(&[
                "中共恒达机械有限公司第一支部委员会",
                "党支部",
                "中共恒达机械有限公司总支部委员会",
                "2019-05-01",
            ]),
            strings(&[
                "中共恒达机械有限公司总支部委员会",
                "党总支",
                "中共清河县非公有制经济组织委员会",
                "2018-03-01",
            ]),
            strings(&[
                "中共清河县宏远商贸有限公司支部委员会",
                "党支部",
                "中共清河县非公有制经济组织委员会",
                "2020-07-01",
            ]),
        ],
    );
    let mut s = store();
    let preview = import(&mut s, &path, true);
    assert_eq!(
        (preview.rows, preview.invalid),
        (3, 0),
        "{:?}",
        preview.errors
    );
    assert_eq!(
        preview.created.orgs,
        vec!["中共清河县非公有制经济组织委员会"],
        "only the parent no row defines is new"
    );
    assert_eq!(count(&s, "org"), 0, "a preview writes nothing");
    let sum = import(&mut s, &path, false);
    assert!(sum.committed);
    assert_eq!(sum.inserted, 3);
    let orgs: Vec<Org> = s.list("1", &[], "name").unwrap();
    assert_eq!(orgs.len(), 4);
    let by_name = |n: &str| orgs.iter().find(|o| o.name == n).unwrap();
    let county = by_name("中共清河县非公有制经济组织委员会");
    let general = by_name("中共恒达机械有限公司总支部委员会");
    assert_eq!(county.parent_id, None);
    assert_eq!(general.parent_id, Some(county.meta.id));
    assert_eq!(
        by_name("中共恒达机械有限公司第一支部委员会").parent_id,
        Some(general.meta.id),
        "the branch listed first hangs under the row below it, not a copy"
    );
    assert_eq!(general.org_type, OrgType::GeneralBranch);
}

fn demo_store() -> Store {
    let mut s = store();
    let opts = taizhang::demo::DemoOptions {
        units: 30,
        seed: 11,
        as_of: today(),
    };
    taizhang::demo::generate(&mut s, &opts).unwrap();
    s
}

const PROFILES: [&str; 6] = [
    "units",
    "orgs",
    "members",
    "activities",
    "inspections",
    "dues",
];

fn export_to(s: &Store, profile: &str, path: &Path) -> usize {
    let opts = ExportOptions {
        profile: profile.into(),
        report_unit: Some("清河县委社会工作部".into()),
        date: Some(today()),
        ..Default::default()
    };
    export(s, path, &opts).unwrap().rows
}

/// All cell texts of the first sheet, row by row.
fn cells(path: &Path) -> Vec<Vec<String>> {
    let book = read_book(path, &Limits::default()).unwrap();
    book.sheets[0]
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|(c, v)| format!("{c}:{}", taizhang::excel::layout::cell_text(v)))
                .collect()
        })
        .collect()
}

#[test]
fn export_then_reimport_changes_nothing() {
    let mut s = demo_store();
    let dir = tempfile::tempdir().unwrap();
    // Applicants too (not in the lossless round trip below: a 支部大会接收 is a step that creates
    // the member, and the 培养联系人 / 入党介绍人 are not columns of the list).
    for p in PROFILES.into_iter().chain(["applicants"]) {
        let path = dir.path().join(format!("{p}.xlsx"));
        let n = export_to(&s, p, &path);
        assert!(n > 0, "{p} exported nothing");
        let sum = import(&mut s, &path, false);
        assert_eq!(sum.profile, p);
        assert_eq!(
            (
                sum.rows,
                sum.unchanged,
                sum.inserted,
                sum.updated,
                sum.invalid
            ),
            (n, n, 0, 0, 0),
            "{p}: {:?}",
            sum.errors.first()
        );
    }
}

#[test]
fn round_trip_into_an_empty_ledger_is_lossless() {
    let a = demo_store();
    let mut b = store();
    let dir = tempfile::tempdir().unwrap();
    for p in PROFILES {
        let from_a = dir.path().join(format!("a-{p}.xlsx"));
        export_to(&a, p, &from_a);
        let sum = import(&mut b, &from_a, false);
        assert_eq!(sum.invalid, 0, "{p}: {:?}", sum.errors.first());
    }
    for p in PROFILES {
        let (from_a, from_b) = (
            dir.path().join(format!("a-{p}.xlsx")),
            dir.path().join(format!("b-{p}.xlsx")),
        );
        export_to(&b, p, &from_b);
        assert_eq!(
            cells(&from_a),
            cells(&from_b),
            "{p}: B's export differs from A's"
        );
    }
}

#[test]
fn editing_one_cell_of_an_export_updates_just_that_record() {
    let mut s = demo_store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.xlsx");
    let n = export_to(&s, "members", &path);
    let mut book = read_book(&path, &Limits::default()).unwrap();
    // Row 4 of the sheet is the first member; the 手机号码 column is J (index 9).
    let header = &book.sheets[0].rows[2];
    let phone_col = header
        .cells
        .iter()
        .find(|(_, v)| *v == Cell::Text("手机号码".into()))
        .unwrap()
        .0;
    let id_col = header
        .cells
        .iter()
        .find(|(_, v)| *v == Cell::Text("系统编号".into()))
        .unwrap()
        .0;
    let row = &mut book.sheets[0].rows[3];
    let Some(Cell::Text(id)) = row.get(id_col).cloned() else {
        panic!("no id")
    };
    match row.cells.iter_mut().find(|(c, _)| *c == phone_col) {
        Some(cell) => cell.1 = Cell::Text("13955556666".into()),
        None => {
            row.cells
                .push((phone_col, Cell::Text("13955556666".into())));
            row.cells.sort_by_key(|(c, _)| *c);
        }
    }
    let edited = dir.path().join("edited.xlsx");
    write_book(&book, &edited).unwrap();
    let sum = import(&mut s, &edited, false);
    assert_eq!(
        (sum.updated, sum.unchanged, sum.inserted),
        (1, n - 1, 0),
        "{:?}",
        sum.errors.first()
    );
    let m: Member = s.get(&id.parse().unwrap()).unwrap();
    assert_eq!(m.phone.as_deref(), Some("13955556666"));
    let last = s.history(&m.meta.id).unwrap().pop().unwrap();
    assert_eq!(last.changes.keys().collect::<Vec<_>>(), vec!["phone"]);
}

#[test]
fn hostile_and_broken_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    let refuse = |s: &mut Store, p: &Path, limits: Limits, needle: &str| {
        let opts = ImportOptions {
            limits,
            ..Default::default()
        };
        match import_file(s, p, &opts) {
            Err(Error::BadFile(m)) => assert!(m.contains(needle), "{}: {m}", p.display()),
            Err(e) => panic!("{}: wrong error {e}", p.display()),
            Ok(_) => panic!("{}: accepted", p.display()),
        }
    };
    // Not a zip at all.
    let p = dir.path().join("text.xlsx");
    std::fs::write(&p, "姓名,身份证号\n张三,1").unwrap();
    refuse(&mut s, &p, Limits::default(), "不是 Excel 文件");
    // A zip that is cut short.
    let good = county_roster(dir.path());
    let bytes = std::fs::read(&good).unwrap();
    let p = dir.path().join("cut.xlsx");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    refuse(&mut s, &p, Limits::default(), "损坏");
    // A zip bomb: one entry that inflates 1000:1.
    let p = dir.path().join("bomb.xlsx");
    {
        let f = std::fs::File::create(&p).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
        let zeros = vec![b'0'; 1 << 20];
        for _ in 0..24 {
            std::io::Write::write_all(&mut z, &zeros).unwrap();
        }
        z.finish().unwrap();
    }
    refuse(&mut s, &p, Limits::default(), "恶意");
    // A file over the size limit is refused before it is read (a sparse 200 MB file).
    let p = dir.path().join("huge.xlsx");
    std::fs::File::create(&p)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    refuse(&mut s, &p, Limits::default(), "超过导入上限");
    // An encrypted workbook (an OLE container with an EncryptedPackage stream).
    let p = dir.path().join("secret.xlsx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 504]);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&p, ole).unwrap();
    refuse(&mut s, &p, Limits::default(), "密码");
    // Too many cells for the limit.
    refuse(
        &mut s,
        &good,
        Limits {
            max_cells: 10,
            ..Default::default()
        },
        "单元格",
    );
}
