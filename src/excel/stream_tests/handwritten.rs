//! Hand-written packages with every kind of cell, read as calamine reads them.

use super::package::{column, every_cell, replace_part, sheet, Package, DECL, NS, SHARED, STYLES};
use super::{assert_like_calamine, rows, Seen};
use crate::excel::read::Cell;

#[test]
fn hand_written_cells_read_as_calamine_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let prefixed = r#"<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:B2"/><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row><x:row><x:c t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
    let chart = r#"<?xml version="1.0" encoding="UTF-8"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews><drawing r:id="rId1"/></chartsheet>"#;
    let dialog = r#"<?xml version="1.0" encoding="UTF-8"?><dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews/></dialogsheet>"#;
    let no_data = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/></worksheet>"#;
    let gbk: Vec<u8> = [
        &br#"<?xml version="1.0" encoding="GBK"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#[..],
        &[0xD6, 0xD0, 0xCE, 0xC4],
        &br#"</t></is></c><c r="B1" t="str"><v>"#[..],
        &[0xD6, 0xD0],
        &br#"</v></c></row></sheetData></worksheet>"#[..],
    ]
    .concat();
    let bom = format!(
        "\u{feff}{}",
        sheet("", r#"<row r="1"><c r="A1"><v>1</v></c></row>"#)
    );
    for (name, pr) in [
        ("1900.xlsx", ""),
        ("1904.xlsx", r#"<workbookPr date1904="1"/>"#),
        (
            "1904-true.xlsx",
            r#"<workbookPr date1904="true" defaultThemeVersion="124226"/>"#,
        ),
        ("1904-false.xlsx", r#"<workbookPr date1904="false"/>"#),
    ] {
        let pkg = Package {
            sheets: vec![
                (
                    "花名册",
                    "worksheets/sheet1.xml",
                    "xl/worksheets/sheet1.xml",
                    sheet(r#"<dimension ref="A1:R20"/>"#, &every_cell()),
                ),
                (
                    "前缀",
                    "/xl/worksheets/sheet2.xml",
                    "xl/worksheets/sheet2.xml",
                    prefixed.to_string(),
                ),
                (
                    "图表",
                    "chartsheets/sheet1.xml",
                    "xl/chartsheets/sheet1.xml",
                    chart.to_string(),
                ),
                (
                    "对话框",
                    "dialogsheets/sheet1.xml",
                    "xl/dialogsheets/sheet1.xml",
                    dialog.to_string(),
                ),
                (
                    "大小写",
                    "xl/worksheets/sheet3.xml",
                    "XL/Worksheets/Sheet3.XML",
                    sheet("", r#"<row r="1"><c r="A1"><v>1</v></c></row>"#),
                ),
                (
                    "无数据区",
                    "worksheets/sheet4.xml",
                    "xl/worksheets/sheet4.xml",
                    no_data.to_string(),
                ),
                (
                    "空",
                    "worksheets/sheet5.xml",
                    "xl/worksheets/sheet5.xml",
                    sheet(r#"<dimension ref="A1"/>"#, ""),
                ),
                (
                    "空标签",
                    "worksheets/sheet6.xml",
                    "xl/worksheets/sheet6.xml",
                    format!("{DECL}<worksheet {NS}><sheetData/></worksheet>"),
                ),
                (
                    "整表",
                    "worksheets/sheet7.xml",
                    "xl/worksheets/sheet7.xml",
                    sheet(
                        r#"<dimension ref="B2:XFD1048576"/>"#,
                        r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
                    ),
                ),
                (
                    "GBK",
                    "worksheets/sheet8.xml",
                    "xl/worksheets/sheet8.xml",
                    String::from_utf8_lossy(&gbk).into_owned(),
                ),
                (
                    "BOM",
                    "worksheets/sheet9.xml",
                    "xl/worksheets/sheet9.xml",
                    bom.clone(),
                ),
            ],
            shared: Some(SHARED.into()),
            styles: Some(STYLES.into()),
            workbook_pr: pr,
        };
        let path = dir.path().join(name);
        pkg.write(&path);
        // The GBK part as bytes, not as the text above.
        if name == "1900.xlsx" {
            replace_part(&path, "xl/worksheets/sheet8.xml", &gbk);
        }
        let seen = assert_like_calamine(&path);
        assert!(rows(&seen) > 15, "{name}: {seen:?}");
    }
    // Without shared strings and styles: numbers are numbers.
    let path = dir.path().join("bare.xlsx");
    Package {
        sheets: vec![("表", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", sheet("", r#"<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>"#))],
        shared: None,
        styles: None,
        workbook_pr: "",
    }
    .write(&path);
    assert_eq!(rows(&assert_like_calamine(&path)), 1);
}

/// Long sheets, whose cells straddle the reader's buffer ends (they are then read as events).
#[test]
fn cells_across_buffer_ends_read_as_calamine_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = String::new();
    for r in 1..=6000u32 {
        d += &format!(r#"<row r="{r}">"#);
        for c in 0..7 {
            let col = column(c);
            match (r as usize + c) % 7 {
                0 => d += &format!(r#"<c r="{col}{r}" t="s"><v>{}</v></c>"#, r % 11),
                1 => {
                    d += &format!(
                        r#"<c r="{col}{r}" t="inlineStr"><is><t>第{r}行{}</t></is></c>"#,
                        "长".repeat(r as usize % 13)
                    )
                }
                2 => {
                    d += &format!(
                        r#"<c r="{col}{r}" s="{}"><v>{}.25</v></c>"#,
                        r % 12,
                        40000 + r
                    )
                }
                3 => d += &format!(r#"<c r="{col}{r}" t="b"><v>{}</v></c>"#, r % 2),
                4 => d += &format!(r#"<c r="{col}{r}" t="str"><v>s{r}</v></c>"#),
                5 => d += &format!(r#"<c r="{col}{r}" s="1"/>"#),
                _ => {
                    d += &format!(
                        r#"<c t="inlineStr"><is><t xml:space="preserve"> {r} </t></is></c>"#
                    )
                }
            }
        }
        d += "</row>";
    }
    // One text longer than a buffer.
    d += &format!(
        r#"<row r="6001"><c r="A6001" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "长文本".repeat(30_000)
    );
    let path = dir.path().join("long.xlsx");
    Package {
        sheets: vec![(
            "长表",
            "worksheets/sheet1.xml",
            "xl/worksheets/sheet1.xml",
            sheet(r#"<dimension ref="A1:G6001"/>"#, &d),
        )],
        shared: Some(SHARED.into()),
        styles: Some(STYLES.into()),
        workbook_pr: r#"<workbookPr date1904="1"/>"#,
    }
    .write(&path);
    assert_eq!(rows(&assert_like_calamine(&path)), 6001);
}

/// Date-styled serials Excel cannot show as dates stay numbers, where calamine makes up a date
/// or overflows; every serial Excel shows keeps calamine's date. Run in debug builds too
/// (`cargo test -p taizhang --lib serials_outside_excel_dates`), where the overflow panics.
#[test]
fn serials_outside_excel_dates_stay_numbers() {
    use Cell::{Date, Number};
    let dir = tempfile::tempdir().unwrap();
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    // The serial as written (in a date-time style), and what it is in the 1900 and the 1904
    // system.
    let cases = [
        ("1e300", Number(1e300), Number(1e300)),
        ("-1e20", Number(-1e20), Number(-1e20)),
        (
            "1.8446744073709552e19",
            Number(1.8446744073709552e19),
            Number(1.8446744073709552e19),
        ),
        ("1.8e19", Number(1.8e19), Number(1.8e19)),
        ("1e20", Number(1e20), Number(1e20)),
        ("3e6", Number(3e6), Number(3e6)),
        ("inf", Number(inf), Number(inf)),
        ("-inf", Number(-inf), Number(-inf)),
        ("NaN", Number(nan), Number(nan)),
        ("-1", Number(-1.0), Number(-1.0)),
        ("-0.5", Number(-0.5), Number(-0.5)),
        ("-0.0", Date(1899, 12, 31), Date(1904, 1, 1)),
        ("0", Date(1899, 12, 31), Date(1904, 1, 1)),
        ("0.5", Date(1899, 12, 31), Date(1904, 1, 1)),
        ("60", Date(1900, 2, 29), Date(1904, 3, 1)),
        ("61", Date(1900, 3, 1), Date(1904, 3, 2)),
        ("2957003.99999", Date(9995, 12, 30), Date(9999, 12, 31)),
        ("2957004", Date(9995, 12, 31), Number(2957004.0)),
        ("2958465.99999", Date(9999, 12, 31), Number(2958465.99999)),
        ("2958466", Number(2958466.0), Number(2958466.0)),
    ];
    let mut row = String::new();
    for (i, (v, ..)) in cases.iter().enumerate() {
        row += &format!(r#"<c r="{}1" s="2"><v>{v}</v></c>"#, column(i));
    }
    for (name, pr) in [
        ("1900.xlsx", ""),
        ("1904.xlsx", r#"<workbookPr date1904="1"/>"#),
    ] {
        let path = dir.path().join(name);
        Package {
            sheets: vec![(
                "日期",
                "worksheets/sheet1.xml",
                "xl/worksheets/sheet1.xml",
                sheet("", &format!(r#"<row r="1">{row}</row>"#)),
            )],
            shared: None,
            styles: Some(STYLES.into()),
            workbook_pr: pr,
        }
        .write(&path);
        let expected: Vec<(u32, Cell)> = cases
            .iter()
            .enumerate()
            .map(|(i, (_, in_1900, in_1904))| {
                let cell = if pr.is_empty() { in_1900 } else { in_1904 };
                (i as u32, cell.clone())
            })
            .collect();
        let seen = assert_like_calamine(&path);
        assert_eq!(seen[1], Seen::Row(0, format!("{expected:?}")), "{name}");
    }
}

/// Row tags in every shape the bytes-level reading takes or leaves to quick-xml's events: with
/// and without `r`, Excel's many attributes (more than the quick reading keeps), a prefixed
/// one, spaces, an empty row, a row number calamine refuses, an entity in an attribute.
#[test]
fn row_tags_read_as_calamine_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let cell = |r: &str| format!(r#"<c r="A{r}"><v>{r}</v></c>"#);
    let good = [
        format!(r#"<row r="1">{}</row>"#, cell("1")),
        format!(r#"<row r="2" spans="1:1" x14ac:dyDescent="0.25">{}</row>"#, cell("2")),
        format!(r#"<row>{}</row>"#, r#"<c><v>3</v></c>"#),
        format!(r#"<row r="5" >{}</row >"#, cell("5")),
        r#"<row r="6"/>"#.to_string(),
        format!(
            r#"<row r="7" spans="1:1" s="1" customFormat="1" ht="20" customHeight="1" hidden="0" outlineLevel="0" collapsed="0">{}</row>"#,
            cell("7")
        ),
        format!(r#"<row r='8' spans='1:1'>{}</row>"#, cell("8")),
        format!("<row\n r=\"9\"\t>{}</row>\n", cell("9")),
        format!(r#"<row r="10" note="a&amp;b">{}</row>"#, cell("10")),
        r#"<row r="11"><c><v>11</v></c><c><v>12</v></c></row><row><c><v>13</v></c></row>"#
            .to_string(),
    ]
    .concat();
    let cases = [
        ("rows.xlsx", good),
        (
            "row-word.xlsx",
            format!(r#"<row r="abc">{}</row>"#, cell("1")),
        ),
        (
            "row-zero.xlsx",
            format!(r#"<row r="0">{}</row>"#, cell("1")),
        ),
        (
            "row-twice.xlsx",
            format!(r#"<row r="1" r="2">{}</row>"#, cell("1")),
        ),
    ];
    for (name, data) in cases {
        let path = dir.path().join(name);
        Package {
            sheets: vec![(
                "行",
                "worksheets/sheet1.xml",
                "xl/worksheets/sheet1.xml",
                sheet("", &data),
            )],
            shared: None,
            styles: None,
            workbook_pr: "",
        }
        .write(&path);
        assert_like_calamine(&path);
    }
}
