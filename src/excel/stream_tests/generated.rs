//! Workbooks as rust_xlsxwriter writes them (as the other tests and our export make them).

use super::{assert_like_calamine, rows};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

/// tests/excel.rs's county roster: a merged title, odd headers, a date cell, notes.
fn county_roster(path: &Path) {
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
    ws.write(4, 0, "1").unwrap();
    ws.write(4, 1, " 王建国 ").unwrap();
    ws.write(4, 5, "2012.7.1").unwrap();
    ws.write_datetime_with_format(
        5,
        5,
        ExcelDateTime::from_ymd(2015, 6, 30).unwrap(),
        &Format::new().set_num_format("yyyy/m/d"),
    )
    .unwrap();
    ws.write(5, 6, "2016-06-30").unwrap();
    ws.write(6, 0, "合计").unwrap();
    ws.write(
        8,
        0,
        "填表说明：1. 本表由党支部填写；2. 身份证号请设置为文本格式。",
    )
    .unwrap();
    wb.save(path).unwrap();
}

/// tests/excel.rs's two-row header: numbers as people type them, a serial without format.
fn two_row_headers(path: &Path) {
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
    ws.write_number(2, 3, 13812345678.0).unwrap();
    ws.write_number(2, 6, 46000.0).unwrap();
    ws.write_number(3, 2, 330123199001010000.0).unwrap();
    ws.write(3, 6, "2010/7").unwrap();
    wb.save(path).unwrap();
}

/// Every kind of value rust_xlsxwriter writes, on two worksheets, a chart sheet between them.
fn every_value(path: &Path, constant_memory: bool) {
    let mut wb = Workbook::new();
    let formats = [
        Format::new().set_num_format("yyyy/m/d"),
        Format::new().set_num_format("mm-dd-yy"),
        Format::new().set_num_format("h:mm"),
        Format::new().set_num_format("[h]:mm:ss"),
        Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\""),
        Format::new().set_num_format("0.00"),
        Format::new().set_num_format("@"),
        Format::new().set_num_format("0&0"),
        Format::new().set_num_format("#,##0.0####\" YMD\""),
        Format::new().set_num_format("[$-F800]dddd, mmmm dd, yyyy"),
        Format::new().set_num_format("m/d/yy h:mm"),
        Format::new().set_bold(),
    ];
    let texts = [
        "花名册",
        " 前后空格 ",
        "换行\n第二行",
        "回车\r\n换行",
        "a & b < c > d \"e\" 'f'",
        "_x000D_ 字面",
        "_x005F_x000D_",
        "tab\there",
        "",
        "1234",
        "😀 emoji",
    ];
    {
        let ws = if constant_memory {
            wb.add_worksheet_with_constant_memory()
        } else {
            wb.add_worksheet()
        };
        ws.set_name("值 & 类型").unwrap();
        ws.merge_range(0, 0, 0, 5, "各类单元格", &Format::new())
            .unwrap();
        for (i, t) in texts.iter().enumerate() {
            ws.write(1 + i as u32, 0, *t).unwrap();
        }
        for (i, n) in [0.0, 1.0, -2.5, 1e-9, 123456789012345.0, 1e300, 0.1 + 0.2]
            .iter()
            .enumerate()
        {
            ws.write_number(1 + i as u32, 1, *n).unwrap();
        }
        ws.write_boolean(1, 2, true).unwrap();
        ws.write_boolean(2, 2, false).unwrap();
        ws.write_formula(3, 2, "=1+1").unwrap();
        ws.write_formula(
            4,
            2,
            rust_xlsxwriter::Formula::new("=\"a\"&\"b\"").set_result("ab"),
        )
        .unwrap();
        ws.write_formula(
            5,
            2,
            rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
        )
        .unwrap();
        ws.write_url(6, 2, "https://example.com/?a=1&b=2").unwrap();
        for (i, f) in formats.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_number_with_format(r, 3, 45000.75 + i as f64, f)
                .unwrap();
            ws.write_number_with_format(r, 4, 0.5, f).unwrap();
            ws.write_with_format(r, 5, "文本", f).unwrap();
            ws.write_blank(r, 6, f).unwrap();
        }
        ws.write_datetime_with_format(
            14,
            3,
            ExcelDateTime::from_ymd(1900, 2, 28).unwrap(),
            &formats[0],
        )
        .unwrap();
        ws.write_datetime_with_format(
            15,
            3,
            ExcelDateTime::parse_from_str("2026-11-21 13:45:10").unwrap(),
            &formats[10],
        )
        .unwrap();
    }
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
    chart.add_series().set_values("='值 & 类型'!$B$2:$B$4");
    let cs = wb.add_chartsheet();
    cs.insert_chart(0, 0, &chart).unwrap();
    {
        let ws = if constant_memory {
            wb.add_worksheet_with_constant_memory()
        } else {
            wb.add_worksheet()
        };
        ws.set_hidden(true);
        let mut rich = Vec::new();
        let red = Format::new().set_font_color(rust_xlsxwriter::Color::Red);
        let bold = Format::new().set_bold();
        rich.push((&red, "红色"));
        rich.push((&bold, "粗体"));
        rich.push((&red, " & 末尾"));
        ws.write_rich_string(0, 0, &rich).unwrap();
        for r in 1..400u32 {
            ws.write(r, (r % 7) as u16, format!("第{r}行")).unwrap();
            ws.write_number(r, 8, r as f64 * 1.5).unwrap();
        }
        ws.write(20_000, 300, "远处").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn workbooks_as_rust_xlsxwriter_writes_them_read_as_calamine_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Make); 5] = [
        ("county.xlsx", &county_roster),
        ("two-row.xlsx", &two_row_headers),
        ("values.xlsx", &|p| every_value(p, false)),
        ("values-inline.xlsx", &|p| every_value(p, true)),
        ("far.xlsx", &|p| {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.write(0, 0, "姓名").unwrap();
            ws.write(1_048_575, 16_383, "XFD1048576").unwrap();
            wb.save(p).unwrap();
        }),
    ];
    for (name, make) in cases {
        let path = d.join(name);
        make(&path);
        let seen = assert_like_calamine(&path);
        assert!(rows(&seen) > 1, "{name}");
    }
}

/// What our export writes, for every profile, read back.
#[test]
fn exports_read_as_calamine_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = crate::Store::open_in_memory().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    s.set_today(Some(today));
    let opts = crate::demo::DemoOptions {
        units: 12,
        seed: 5,
        as_of: today,
    };
    crate::demo::generate(&mut s, &opts).unwrap();
    for profile in [
        "units",
        "orgs",
        "members",
        "activities",
        "inspections",
        "dues",
    ] {
        let path = dir.path().join(format!("{profile}.xlsx"));
        let opts = crate::excel::export::ExportOptions {
            profile: profile.into(),
            report_unit: Some("清河县委社会工作部".into()),
            date: Some(today),
            ..Default::default()
        };
        crate::excel::export::export(&s, &path, &opts).unwrap();
        let seen = assert_like_calamine(&path);
        assert!(rows(&seen) > 2, "{profile}");
    }
}
