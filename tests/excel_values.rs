//! Values as people write them in a roster: 出生年月 without the day, dates typed into cells
//! Excel kept as numbers, dictionary values exported with their codes; and every problem of
//! a row reported at once.

mod common;
use common::*;
use rust_xlsxwriter::Workbook;
use std::path::Path;
use taizhang::excel::import::CellError;

/// A cell as written: text, a number, or nothing.
#[derive(Clone, Copy)]
enum V<'a> {
    T(&'a str),
    N(f64),
    Blank,
}
use V::{Blank, N, T};

const HEADERS: [&str; 10] = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "出生年月",
    "人员类别",
    "所在党支部",
    "入党日期",
    "手机号码",
];
const BRANCH: &str = "中共清河县恒达机械有限公司支部委员会";

/// A roster with `HEADERS`; each row gives 姓名 … 手机号码 (序号 and 所在党支部 are filled in).
fn roster(path: &Path, rows: &[[V; 8]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, (i + 1) as f64).unwrap();
        let cells = [&row[..6], &[T(BRANCH)], &row[6..]].concat();
        for (c, v) in cells.iter().enumerate() {
            let c = c as u16 + 1;
            match v {
                T(s) => ws.write(r, c, *s).map(|_| ()),
                N(n) => ws.write(r, c, *n).map(|_| ()),
                Blank => Ok(()),
            }
            .unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// The stored (出生日期, 性别, 民族, 人员类别) of the member with this 身份证号.
fn stored(s: &taizhang::Store, id: &str) -> (String, String, Option<String>, String) {
    s.conn()
        .query_row(
            "SELECT birth_date, gender, ethnicity, category FROM member WHERE id_number = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

#[test]
fn birth_months_dates_typed_as_numbers_and_coded_values_import() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    // (出生年月 as written, the ID's birth date, what is stored)
    let births: [(V, &str, &str); 9] = [
        (N(1966.07), "19660715", "1966-07-15"),
        (N(198807.0), "19880703", "1988-07-03"),
        (N(19800301.0), "19800301", "1980-03-01"),
        (N(1986.7), "19860720", "1986-07-20"),
        // 1966.10 as Excel keeps it
        (N(1966.1), "19661005", "1966-10-05"),
        (T("1961-02"), "19610202", "1961-02-02"),
        (T("1961年2月"), "19610202", "1961-02-02"),
        (T("1962.03"), "19620311", "1962-03-11"),
        (T("1965-6"), "19650628", "1965-06-28"),
    ];
    let ids: Vec<String> = births
        .iter()
        .enumerate()
        .map(|(i, (_, b, _))| id_number(b, 100 + i as u32))
        .collect();
    let coded = id_number("19900101", 11);
    let mut rows: Vec<[V; 8]> = births
        .iter()
        .zip(&ids)
        .map(|((birth, _, _), id)| {
            [
                T("党员"),
                Blank,
                T("汉族"),
                T(id),
                *birth,
                T("正式党员"),
                // 入党日期 written 2016.07 as a number: the first of the month.
                N(2016.07),
                T("13812345678"),
            ]
        })
        .collect();
    rows.push([
        T("王编码"),
        T("95_男"),
        T("868_汉族"),
        T(&coded),
        Blank,
        T("224_预备党员"),
        T("2026-03-01"),
        Blank,
    ]);
    roster(&path, &rows);

    let mut s = store();
    let sum = import(&mut s, &path, false);
    assert_eq!(
        (sum.invalid, sum.inserted),
        (0, rows.len()),
        "{:?}",
        sum.errors
    );
    for ((_, _, want), id) in births.iter().zip(&ids) {
        assert_eq!(stored(&s, id).0, *want, "{id}");
    }
    let joined: Vec<String> = {
        let mut st = s
            .conn()
            .prepare("SELECT DISTINCT joined_on FROM member WHERE category = '正式党员'")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(joined, ["2016-07-01"]);
    assert_eq!(
        stored(&s, &coded),
        (
            "1990-01-01".into(),
            "男".into(),
            Some("汉族".into()),
            "预备党员".into()
        )
    );
}

/// The errors of one 1-based sheet row, as (column, message).
fn errors_of(errors: &[CellError], row: u32) -> Vec<(String, String)> {
    errors
        .iter()
        .filter(|e| e.row == row)
        .map(|e| (e.column.clone(), e.message.clone()))
        .collect()
}

#[test]
fn every_problem_of_a_row_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("花名册.xlsx");
    let good = id_number("19880512", 11);
    let bad_check = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let born_0305 = id_number("19610305", 13);
    let born_1980 = id_number("19800101", 15);
    let rows: Vec<[V; 8]> = vec![
        // row 2: 出生年月 in another month than the ID's
        [
            T("甲"),
            Blank,
            Blank,
            T(&born_0305),
            T("1961-02"),
            Blank,
            T("2010-07-01"),
            Blank,
        ],
        // row 3: no 入党日期 (required), a bad check digit and a bad phone
        [
            T("乙"),
            Blank,
            Blank,
            T(&bad_check),
            Blank,
            Blank,
            Blank,
            T("123"),
        ],
        // row 4: an ID number Excel cut to 15 digits, and a bad phone
        [
            T("丙"),
            Blank,
            Blank,
            N(6.22901200102042e17),
            Blank,
            Blank,
            T("2010-07-01"),
            T("1381234"),
        ],
        // row 5: only a year in 出生年月
        [
            T("丁"),
            Blank,
            Blank,
            T(&born_1980),
            N(1980.0),
            Blank,
            T("2010-07-01"),
            Blank,
        ],
    ];
    roster(&path, &rows);
    let mut s = store();
    let sum = import(&mut s, &path, true);
    assert_eq!(sum.invalid, 4, "{:?}", sum.errors);

    let e = errors_of(&sum.errors, 2);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "F");
    assert!(
        e[0].1.contains("不一致") && e[0].1.contains("1961-03-05"),
        "{e:?}"
    );

    let e = errors_of(&sum.errors, 3);
    let columns: Vec<&str> = e.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(columns, ["I", "E", "J"], "{e:?}");
    assert!(e[0].1.contains("必须填写"), "{e:?}");
    assert!(e[1].1.contains("校验码"), "{e:?}");
    assert!(e[2].1.contains("手机号码"), "{e:?}");

    let e = errors_of(&sum.errors, 4);
    let columns: Vec<&str> = e.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(columns, ["E", "J"], "{e:?}");
    assert!(e[0].1.contains("15 位有效数字"), "{e:?}");
    assert!(e[1].1.contains("手机号码"), "{e:?}");
    assert!(!e.iter().any(|(_, m)| m.contains("必须填写")), "{e:?}");

    let e = errors_of(&sum.errors, 5);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "F");
    assert!(e[0].1.contains("只写了年份"), "{e:?}");
}
