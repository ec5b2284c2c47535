//! The annual workbook (`taizhang report annual`) on the demo county (60 units, seed 7, records
//! up to 2026-11-21): read back with calamine, its figures equal `stats` on 2026-12-31, its lists
//! equal the rules' findings and independent SQL, its layout is data; and the CLI writes it.
//!
//! Dates: the report of year 2026 is always as of 2026-12-31 (that is what `stats --as-of
//! 2026-12-31` shows). The library tests keep the demo's "today" (2026-11-21), the case of a
//! county preparing its report before the year is over: the workbook says so. The CLI test
//! generates the county up to 2026-12-31 and reports on 2027-01-15, the usual case.

mod common;
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use common::cli::Cli;
use std::collections::BTreeSet;
use std::path::Path;
use taizhang::demo::{generate, DemoOptions};
use taizhang::excel::read::{read_book, Book, Cell, Limits, Row, Sheet};
use taizhang::report::{annual_report, stats_store, AnnualOptions, Stats, StatsOptions};
use taizhang::rules::{self, Rule, Scope};
use taizhang::{Error, Store};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn year_end() -> NaiveDate {
    d(2026, 12, 31)
}

fn demo() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    generate(
        &mut s,
        &DemoOptions {
            units: 60,
            seed: 7,
            as_of: d(2026, 11, 21),
        },
    )
    .unwrap();
    s
}

fn opts(area: Option<&str>) -> AnnualOptions {
    AnnualOptions {
        year: 2026,
        area: area.map(String::from),
        report_unit: Some("清河县委社会工作部".into()),
        preparer: Some("李明".into()),
        ..AnnualOptions::default()
    }
}

fn stats(s: &Store, area: Option<&str>) -> Stats {
    let opts = StatsOptions {
        area: area.map(String::from),
        quarters: None,
    };
    stats_store(s, year_end(), &opts).unwrap()
}

fn read(path: &Path) -> Book {
    read_book(path, &Limits::default()).unwrap()
}

fn sheet<'a>(b: &'a Book, name: &str) -> &'a Sheet {
    b.sheets
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

fn text_of(c: Option<&Cell>) -> String {
    match c {
        Some(Cell::Text(s)) => s.clone(),
        Some(Cell::Number(n)) => n.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

fn num(r: &Row, col: u32) -> f64 {
    match r.get(col) {
        Some(Cell::Number(n)) => *n,
        other => panic!("row {}: column {col} is {other:?}, not a number", r.index),
    }
}

/// The first row whose column 0 reads `label`.
fn row_labelled<'a>(s: &'a Sheet, label: &str) -> &'a Row {
    s.rows
        .iter()
        .find(|r| text_of(r.get(0)) == label)
        .unwrap_or_else(|| panic!("{}: no row {label}", s.name))
}

/// The column whose header (any row above the data) reads `header`.
fn col_of(s: &Sheet, header: &str) -> u32 {
    s.rows
        .iter()
        .take(5)
        .flat_map(|r| r.cells.iter())
        .find(|(_, c)| *c == Cell::Text(header.into()))
        .map(|(c, _)| *c)
        .unwrap_or_else(|| panic!("{}: no header {header}", s.name))
}

/// Rows of a list sheet: those with a 序号 in column 0.
fn list_rows(s: &Sheet) -> Vec<&Row> {
    s.rows
        .iter()
        .filter(|r| matches!(r.get(0), Some(Cell::Number(_))))
        .collect()
}

fn all_text(s: &Sheet) -> String {
    s.rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|(_, c)| text_of(Some(c)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ids(s: &Store, sql: &str) -> BTreeSet<String> {
    let mut st = s.conn().prepare(sql).unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_summary_equals_stats_on_31_december() {
    let s = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("年报.xlsx");
    let summary = annual_report(&s, &out, &opts(None)).unwrap();
    let st = stats(&s, None);

    assert_eq!(summary.as_of, year_end());
    assert!(!summary.year_complete, "today is 2026-11-21");
    assert_eq!(
        (summary.units, summary.orgs, summary.members),
        (st.units.total, st.orgs.total, st.members.total)
    );
    assert_eq!(summary.org_coverage_rate, st.org_coverage_rate);
    assert_eq!(summary.charts, 2);

    let book = read(&out);
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "汇总",
            "应建未建",
            "未建党组织单位",
            "党组织",
            "三会一课",
            "发展党员",
            "图表"
        ]
    );
    let sum = sheet(&book, "汇总");
    // Every area row and the 合计 row, column by column (the default layout's order).
    assert_eq!(st.by_area.last().unwrap().area, "合计");
    for a in &st.by_area {
        let r = row_labelled(sum, &a.area);
        let c = &a.coverage;
        let counts = [
            c.units,
            a.orgs,
            a.members,
            c.covered,
            c.standalone,
            c.work_covered,
        ];
        for (i, want) in counts.iter().enumerate() {
            assert_eq!(
                num(r, 1 + i as u32),
                *want as f64,
                "{} column {}",
                a.area,
                i + 1
            );
        }
        assert_eq!(num(r, 7), c.org_coverage_rate, "{}", a.area);
        assert_eq!(num(r, 8), c.standalone_rate, "{}", a.area);
        assert_eq!(num(r, 9), c.work_coverage_rate, "{}", a.area);
    }
    let total = row_labelled(sum, "合计");
    assert_eq!(num(total, 1), st.units.total as f64);
    assert_eq!(num(total, 2), st.orgs.total as f64);
    assert_eq!(num(total, 3), st.members.total as f64);
    assert_eq!(num(total, 7), st.org_coverage_rate);
    assert_eq!(num(total, 8), st.standalone_rate);
    assert_eq!(num(total, 9), st.work_coverage_rate);
    assert_eq!(col_of(sum, "党的组织覆盖率"), 7);

    // Breakdowns: the row under each block's names.
    let block = |first: &str| {
        let head = sum
            .rows
            .iter()
            .find(|r| r.get(1) == Some(&Cell::Text(first.into())))
            .unwrap_or_else(|| panic!("no block starting {first}"));
        let counts = sum.rows.iter().find(|r| r.index == head.index + 1).unwrap();
        assert_eq!(text_of(counts.get(0)), "数量");
        let names: Vec<String> = (1..)
            .map_while(|c| head.get(c))
            .map(|c| text_of(Some(c)))
            .collect();
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), num(counts, 1 + i as u32) as usize))
            .collect::<Vec<_>>()
    };
    let check = |first: &str, rows: &[taizhang::report::Count], total: usize| {
        let mut want: Vec<(String, usize)> =
            rows.iter().map(|c| (c.name.clone(), c.count)).collect();
        want.push(("合计".into(), total));
        assert_eq!(block(first), want, "block {first}");
    };
    check("非公企业", &st.units.by_category, st.units.total);
    check("党委", &st.orgs.by_type, st.orgs.total);
    check("单独组建", &st.orgs.by_formation, st.orgs.total);
    check("男", &st.members.by_gender, st.members.total);
    check("研究生", &st.members.by_education, st.members.total);
    check("30岁及以下", &st.members.by_age_band, st.members.total);
    let (r, rate_col) = sum
        .rows
        .iter()
        .find_map(|r| {
            r.cells
                .iter()
                .find(|(_, c)| *c == Cell::Text("十个有达标率".into()))
                .map(|(c, _)| (r, *c))
        })
        .expect("the 十个有 block");
    let values = sum.rows.iter().find(|x| x.index == r.index + 1).unwrap();
    assert_eq!(num(values, rate_col), st.inspections.rate);

    // Definitions as the statistics word them, and who reports when.
    let text = all_text(sum);
    for def in &st.definitions {
        assert!(text.contains(&def.text), "missing definition {}", def.key);
    }
    for line in [
        "填报单位：清河县委社会工作部",
        "统计截止日期：2026年12月31日",
        "填报日期：2026年11月21日",
        "制表人：李明",
        "本年度尚未结束",
    ] {
        assert!(text.contains(line), "summary lacks {line}");
    }
    assert!(text.contains("2026年度两新组织党建工作统计汇总表"));

    // 三会一课 by quarter: the four quarters of 2026, as stats on 31 December has them.
    let m = sheet(&book, "三会一课");
    assert_eq!(st.meetings.len(), 4);
    for q in &st.meetings {
        let r = row_labelled(m, &q.label);
        assert_eq!(num(r, 1), q.orgs as f64);
        assert_eq!(num(r, 2), q.orgs_complete as f64);
        assert_eq!((num(r, 3), num(r, 4)), (q.required as f64, q.held as f64));
        assert_eq!(num(r, 5), q.rate, "{}", q.label);
    }
    assert!(all_text(m).contains(&st.definitions[3].text));
}

/// The 发展党员 sheet is `stats`'s figures, table by table; and `stats` counts what the
/// ledger holds (independent SQL): people on the path on 31 December, members whose 入党日期
/// is in 2026.
#[test]
fn the_development_sheet_equals_stats() {
    let s = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("年报.xlsx");
    annual_report(&s, &out, &opts(None)).unwrap();
    let st = stats(&s, None);
    let book = read(&out);
    let sh = sheet(&book, "发展党员");
    let d = &st.development;
    // The rows in order: the area table, then the category table.
    let mut rows = sh
        .rows
        .iter()
        .filter(|r| matches!(r.get(1), Some(Cell::Number(_))));
    for r in d.by_area.iter().chain(&d.by_category) {
        let row = rows
            .next()
            .unwrap_or_else(|| panic!("no row for {}", r.name));
        assert_eq!(text_of(row.get(0)), r.name);
        let want = [r.applicants, r.activists, r.candidates, r.developed];
        for (i, n) in want.iter().enumerate() {
            assert_eq!(
                num(row, 1 + i as u32),
                *n as f64,
                "{} column {}",
                r.name,
                i + 1
            );
        }
    }
    assert!(rows.next().is_none());
    let total = d.total().unwrap();
    assert_eq!(
        d.by_category.last().unwrap(),
        &taizhang::report::DevelopmentRow {
            name: "合计".into(),
            ..total.clone()
        }
    );
    let sql =
        |q: &str| -> usize { s.conn().query_row(q, [], |r| r.get::<_, i64>(0)).unwrap() as usize };
    let on_path = "merged_into IS NULL AND applied_on <= '2026-12-31' AND admitted_on IS NULL AND left_on IS NULL";
    assert_eq!(
        total.applicants,
        sql(&format!("SELECT count(*) FROM applicant WHERE {on_path}"))
    );
    assert_eq!(
        total.activists,
        sql(&format!("SELECT count(*) FROM applicant WHERE {on_path} AND activist_on IS NOT NULL AND candidate_on IS NULL"))
    );
    assert_eq!(
        total.candidates,
        sql(&format!(
            "SELECT count(*) FROM applicant WHERE {on_path} AND candidate_on IS NOT NULL"
        ))
    );
    assert_eq!(
        total.developed,
        sql("SELECT count(*) FROM member WHERE joined_on BETWEEN '2026-01-01' AND '2026-12-31'")
    );
    assert!(total.applicants > 0 && total.developed > 0);
    assert!(all_text(sh).contains("入党申请人 = 截至 2026-12-31"));
}

#[test]
fn the_lists_are_the_findings_and_the_ledger() {
    let s = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("年报.xlsx");
    let summary = annual_report(&s, &out, &opts(None)).unwrap();
    let st = stats(&s, None);
    let book = read(&out);

    // 应建未建: exactly the findings of `check` on 31 December.
    let findings = rules::check_store(&s, year_end(), &Scope::default()).unwrap();
    let want: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.rule == Rule::OrgNotBuilt)
        .map(|f| f.subject_name.clone())
        .collect();
    let sh = sheet(&book, "应建未建");
    let rows = list_rows(sh);
    let got: BTreeSet<String> = rows.iter().map(|r| text_of(r.get(1))).collect();
    assert!(!want.is_empty(), "the demo county has 应建未建 units");
    assert_eq!(rows.len(), want.len());
    assert_eq!(got, want);
    assert_eq!(summary.org_not_built, want.len());
    let seq: Vec<f64> = rows.iter().map(|r| num(r, 0)).collect();
    assert_eq!(seq, (1..=rows.len()).map(|n| n as f64).collect::<Vec<_>>());

    // Units without an org: operating, no active org covering them (independent SQL), and as
    // many as the summary's 在营 minus 组织覆盖.
    let want = ids(
        &s,
        "SELECT u.name FROM unit u WHERE u.status = '在营' AND NOT EXISTS (
             SELECT 1 FROM org_unit ou JOIN org o ON o.id = ou.org_id
             WHERE ou.unit_id = u.id AND o.status = '正常')",
    );
    let sh = sheet(&book, "未建党组织单位");
    let rows = list_rows(sh);
    let got: BTreeSet<String> = rows.iter().map(|r| text_of(r.get(1))).collect();
    assert_eq!(got, want);
    assert_eq!(rows.len(), st.coverage.units - st.coverage.covered);
    let (reason, instructor) = (col_of(sh, "未建立原因"), col_of(sh, "党建指导员"));
    let with = |col: u32| rows.iter().filter(|r| r.get(col).is_some()).count();
    let reasons = ids(
        &s,
        "SELECT u.name FROM unit u WHERE u.status = '在营' AND u.no_org_reason IS NOT NULL
           AND u.no_org_reason <> '' AND NOT EXISTS (
             SELECT 1 FROM org_unit ou JOIN org o ON o.id = ou.org_id
             WHERE ou.unit_id = u.id AND o.status = '正常')",
    );
    assert_eq!(with(reason), reasons.len());
    let instructed = ids(
        &s,
        "SELECT u.name FROM unit u JOIN instructor i ON i.id = u.instructor_id AND i.active = 1
         WHERE u.status = '在营' AND NOT EXISTS (
             SELECT 1 FROM org_unit ou JOIN org o ON o.id = ou.org_id
             WHERE ou.unit_id = u.id AND o.status = '正常')",
    );
    assert_eq!(with(instructor), instructed.len());
    assert!(with(instructor) > 0, "the demo assigns instructors");

    // Orgs: every active org; 换届 as `check` finds it, 十个有 达标 as `stats` counts it.
    let sh = sheet(&book, "党组织");
    let rows = list_rows(sh);
    assert_eq!(rows.len(), st.orgs.total);
    let term = col_of(sh, "换届情况");
    let overdue = rows
        .iter()
        .filter(|r| text_of(r.get(term)).starts_with("已逾期"))
        .count();
    let due_soon = rows
        .iter()
        .filter(|r| text_of(r.get(term)).starts_with("即将到期"))
        .count();
    let count = |rule: Rule| findings.iter().filter(|f| f.rule == rule).count();
    assert_eq!(overdue, count(Rule::TermOverdue));
    assert_eq!(due_soon, count(Rule::TermDueSoon));
    let insp = col_of(sh, "十个有情况");
    let passed = rows
        .iter()
        .filter(|r| text_of(r.get(insp)) == "达标")
        .count();
    assert_eq!(passed, st.inspections.passed);
    let gaps = rows
        .iter()
        .filter(|r| text_of(r.get(insp)).starts_with("未达标"))
        .count();
    assert!(gaps > 0, "the demo county has 十个有 gaps");
    let dated = rows
        .iter()
        .filter(|r| matches!(r.get(col_of(sh, "届满日期")), Some(Cell::Date(..))));
    assert!(dated.count() > 0, "届满日期 written as dates");
}

#[test]
fn one_area_equals_stats_of_that_area() {
    let s = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("城关镇.xlsx");
    let summary = annual_report(&s, &out, &opts(Some("城关镇"))).unwrap();
    let st = stats(&s, Some("城关镇"));
    assert_eq!(summary.units, st.units.total);
    let book = read(&out);
    let sum = sheet(&book, "汇总");
    assert!(all_text(sum).contains("2026年度城关镇两新组织党建工作统计汇总表"));
    let total = row_labelled(sum, "合计");
    assert_eq!(num(total, 1), st.units.total as f64);
    assert_eq!(num(total, 2), st.orgs.total as f64);
    assert_eq!(num(total, 3), st.members.total as f64);
    assert_eq!(num(total, 7), st.org_coverage_rate);
    let areas: Vec<String> = st.by_area.iter().map(|a| a.area.clone()).collect();
    assert_eq!(areas, ["城关镇", "合计"]);

    let scope = Scope {
        org: None,
        area: Some("城关镇".into()),
    };
    let want: BTreeSet<String> = rules::check_store(&s, year_end(), &scope)
        .unwrap()
        .into_iter()
        .filter(|f| f.rule == Rule::OrgNotBuilt)
        .map(|f| f.subject_name)
        .collect();
    let got: BTreeSet<String> = list_rows(sheet(&book, "应建未建"))
        .iter()
        .map(|r| text_of(r.get(1)))
        .collect();
    assert_eq!(got, want);
    assert_eq!(list_rows(sheet(&book, "党组织")).len(), st.orgs.total);
}

#[test]
fn the_workbook_has_native_charts() {
    let s = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("年报.xlsx");
    annual_report(&s, &out, &opts(None)).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut xml = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let coverage = xml("xl/charts/chart1.xml");
    assert!(coverage.contains("<c:barChart>"), "a column chart");
    assert!(coverage.contains("<c:barDir val=\"col\"/>"));
    assert!(
        coverage.contains("图表!$B$"),
        "plots the chart sheet's table"
    );
    assert!(coverage.contains("各乡镇街道党的组织覆盖率"));
    let meetings = xml("xl/charts/chart2.xml");
    assert!(meetings.contains("<c:lineChart>"), "a line chart");
    assert!(xml("xl/drawings/drawing1.xml").contains("chart"));

    // The chart tables hold the statistics: the quarters' rates, read back.
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = wb.worksheet_range("图表").unwrap();
    let st = stats(&s, None);
    let rates: Vec<f64> = range
        .rows()
        .filter(|r| matches!(&r[0], Data::String(t) if st.meetings.iter().any(|q| &q.label == t)))
        .map(|r| match &r[1] {
            Data::Float(f) => *f,
            other => panic!("{other:?}"),
        })
        .collect();
    let want: Vec<f64> = st.meetings.iter().map(|q| q.rate).collect();
    assert_eq!(rates, want);
}

#[test]
fn a_county_rearranges_the_layout_without_code() {
    let s = demo();
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    std::fs::write(
        reports.join("annual.json"),
        r#"{"id": "annual", "name": "本县年报", "sheets": [
            {"kind": "orgs", "name": "换届", "title": "{report_unit}{year}年党组织换届表",
             "columns": [{"key": "seq", "header": "序号"}, {"key": "name", "header": "支部名称"},
                         {"key": "term_status", "header": "换届"}]},
            {"kind": "summary", "name": "覆盖率", "title": "覆盖",
             "columns": [{"key": "area", "header": "镇街"},
                         {"key": "org_coverage_rate", "header": "组织覆盖率"},
                         {"key": "units", "header": "单位数"}],
             "definitions": ["org_coverage_rate"], "notes": ["本县口径"]}
        ]}"#,
    )
    .unwrap();
    let out = dir.path().join("年报.xlsx");
    let o = AnnualOptions {
        layout_dir: Some(reports.clone()),
        ..opts(None)
    };
    let summary = annual_report(&s, &out, &o).unwrap();
    assert_eq!(summary.sheets, ["换届", "覆盖率"]);
    assert_eq!(summary.charts, 0);
    let st = stats(&s, None);
    let book = read(&out);
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["换届", "覆盖率"]);
    let sum = sheet(&book, "覆盖率");
    let total = row_labelled(sum, "合计");
    assert_eq!(num(total, 1), st.org_coverage_rate);
    assert_eq!(num(total, 2), st.units.total as f64);
    let text = all_text(sum);
    assert!(text.contains("本县口径") && text.contains(&st.definitions[0].text));
    assert!(
        !text.contains(&st.definitions[1].text),
        "only the chosen definitions"
    );
    let orgs = sheet(&book, "换届");
    assert!(all_text(orgs).contains("清河县委社会工作部2026年党组织换届表"));
    assert_eq!(col_of(orgs, "换届"), 2);

    // A mistake in the file is named, with the file.
    std::fs::write(
        reports.join("annual.json"),
        r#"{"id": "annual", "name": "x", "sheets": [{"kind": "orgs", "name": "换届", "title": "t",
            "columns": [{"key": "secretary_phone", "header": "电话"}]}]}"#,
    )
    .unwrap();
    let e = annual_report(&s, &out, &o).unwrap_err().to_string();
    assert!(
        e.contains("annual.json") && e.contains("secretary_phone") && e.contains("可用"),
        "{e}"
    );
}

#[test]
fn bad_requests_are_refused_in_chinese() {
    let s = demo();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("年报.xlsx");
    let e = annual_report(
        &s,
        &out,
        &AnnualOptions {
            year: 2027,
            ..opts(None)
        },
    )
    .unwrap_err();
    assert!(matches!(e, Error::Rule(_)));
    assert!(e.to_string().contains("尚未开始"), "{e}");
    let e = annual_report(&s, &out, &opts(Some("不存在镇"))).unwrap_err();
    assert!(
        e.to_string().contains("不存在镇") && e.to_string().contains("城关镇"),
        "{e}"
    );
    let e = annual_report(&s, &dir.path().join("年报.xls"), &opts(None)).unwrap_err();
    assert!(e.to_string().contains(".xlsx"), "{e}");
    assert!(!out.exists(), "nothing written on refusal");
    let e = annual_report(&s, &dir.path().join("没有的目录/年报.xlsx"), &opts(None)).unwrap_err();
    assert!(e.to_string().contains("文件夹不存在"), "{e}");
}

// ---- The CLI ------------------------------------------------------------------------------

#[test]
fn cli_writes_the_annual_workbook() {
    let cli = Cli::demo("2026-12-31", "2027-01-15");
    let out = cli.dir.path().join("2026年报.xlsx");
    let path = out.to_str().unwrap();
    let j = cli.json(&["report", "annual", "--year", "2026", path]);
    assert_eq!(j["year"], 2026);
    assert_eq!(j["as_of"], "2026-12-31");
    assert_eq!(j["year_complete"], true);
    assert_eq!(j["date"], "2027-01-15");
    assert_eq!(j["preparer"], "测试员", "the operator by default");
    assert_eq!(j["sheets"].as_array().unwrap().len(), 7);
    assert_eq!(j["charts"], 2);
    assert_eq!(j["meeting_completion"].as_array().unwrap().len(), 4);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx file");

    // The headline figures are those of `stats` on 31 December.
    let st = cli.json(&["stats", "--as-of", "2026-12-31"]);
    assert_eq!(j["units"], st["units"]["total"]);
    assert_eq!(j["orgs"], st["orgs"]["total"]);
    assert_eq!(j["members"], st["members"]["total"]);
    for k in ["org_coverage_rate", "standalone_rate", "work_coverage_rate"] {
        assert_eq!(j[k], st[k], "{k}");
    }
    assert_eq!(j["inspection_pass_rate"], st["inspections"]["rate"]);
    let check = cli.json(&["check", "--as-of", "2026-12-31"]);
    let not_built = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "org_not_built")
        .count();
    assert_eq!(j["org_not_built"], not_built);

    // People read a short account; the sheet says who made it.
    let text = cli.ok(&[
        "report",
        "annual",
        "--year",
        "2026",
        path,
        "--area",
        "城关镇",
        "--report-unit",
        "城关镇党委",
        "--preparer",
        "王芳",
        "--date",
        "2027-01-10",
    ]);
    assert!(text.contains("已生成 2026 年度统计年报"), "{text}");
    assert!(text.contains("范围：城关镇"), "{text}");
    assert!(!text.contains("尚未结束"), "{text}");
    let book = read(&out);
    let sum = all_text(sheet(&book, "汇总"));
    for line in [
        "填报单位：城关镇党委",
        "制表人：王芳",
        "填报日期：2027年1月10日",
    ] {
        assert!(sum.contains(line), "{line}");
    }
}

#[test]
fn cli_refuses_what_it_cannot_report() {
    let cli = Cli::demo("2026-12-31", "2027-01-15");
    let out = cli.dir.path().join("x.xlsx");
    let path = out.to_str().unwrap();
    let err = cli.fails(&["report", "annual", "--year", "2028", path]);
    assert!(err.contains("尚未开始"), "{err}");
    let err = cli.fails(&["report", "annual", "--year", "今年", path]);
    assert!(!err.is_empty());
    let err = cli.fails(&["report", "annual", path]);
    assert!(err.contains("--year"), "{err}");
    cli.fails(&["report"]);
    // A county's own layout beside the database is used, and a broken one is named.
    let reports = cli.dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    std::fs::write(reports.join("annual.json"), "{\"id\": ").unwrap();
    let err = cli.fails(&["report", "annual", "--year", "2026", path]);
    assert!(
        err.contains("年报格式") && err.contains("annual.json"),
        "{err}"
    );
    assert!(!out.exists());
}
