//! Our .xlsx reader (`book_xml`, `sheet_xml`) must give what calamine gives. The calamine
//! stream `stream.rs` had before is kept here as the reference; every workbook below — the
//! real fixtures, workbooks as the other tests make them, and hand-written XML with every
//! kind of cell — is streamed both ways and compared item by item.

use super::read::{bad, cell_of, check_zip, Limits};
use super::stream::{Stop, Streamed, XlsxStream};
use calamine::{Reader, Xlsx};
use std::path::Path;

/// What a stream gave, comparable: each item, then how it ended.
#[derive(Debug, PartialEq)]
pub(super) enum Seen {
    Sheet(String, Option<u32>),
    /// A row: its index and its cells (`Debug`, so that NaN equals NaN).
    Row(u32, String),
    End,
    Unordered,
    Failed,
}

fn seen(item: Streamed) -> Seen {
    match item {
        Streamed::Sheet(name, last) => Seen::Sheet(name, last),
        Streamed::Row(row) => Seen::Row(row.index, format!("{:?}", row.cells)),
        Streamed::End(_) => Seen::End,
    }
}

fn ended(out: &mut Vec<Seen>, stop: Stop, errors: &mut Vec<String>) {
    match stop {
        Stop::Unordered => out.push(Seen::Unordered),
        Stop::Failed(e) => {
            errors.push(e.to_string());
            out.push(Seen::Failed)
        }
        Stop::Consumer => unreachable!("the test consumer never stops"),
    }
}

/// The workbook streamed by our reader; failures' messages go to `errors`.
fn ours(path: &Path, errors: &mut Vec<String>) -> Vec<Seen> {
    let mut out = Vec::new();
    match XlsxStream::open_unchecked(path, &Limits::default()) {
        Err(e) => {
            errors.push(e.to_string());
            out.push(Seen::Failed);
        }
        Ok(mut stream) => {
            let r = stream.stream_with(
                &mut |item| {
                    out.push(seen(item));
                    true
                },
                |_| Vec::new(),
            );
            if let Err(stop) = r {
                ended(&mut out, stop, errors);
            }
        }
    }
    out
}

/// The workbook streamed as `stream.rs` did with calamine's cell reader.
fn calamine(path: &Path, errors: &mut Vec<String>) -> Vec<Seen> {
    let mut out = Vec::new();
    let r = calamine_stream(path, |item| out.push(seen(item)));
    if let Err(stop) = r {
        ended(&mut out, stop, errors);
    }
    out
}

/// `XlsxStream::stream_with` as it was, on calamine's cell reader (no merges).
fn calamine_stream(path: &Path, mut f: impl FnMut(Streamed)) -> Result<(), Stop> {
    let limits = Limits::default();
    check_zip(path, &limits)?;
    let mut wb: Xlsx<_> = calamine::open_workbook(path).map_err(|e| bad(&e))?;
    let mut cells_seen = 0;
    for name in wb.sheet_names() {
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(Stop::Failed(bad(&e))),
        };
        let last = reader.dimensions().end.0;
        f(Streamed::Sheet(name.clone(), (last > 0).then_some(last)));
        let next = || loop {
            let Some(cell) = reader.next_cell().map_err(|e| bad(&e))? else {
                return Ok(None);
            };
            let (r, c) = cell.get_position();
            if let Some(v) = cell_of(cell.get_value().clone()) {
                return Ok(Some((r, c, v)));
            }
        };
        super::stream::rows(next, &mut cells_seen, &limits, |item| {
            f(item);
            Ok(true)
        })?;
        f(Streamed::End(Vec::new()));
    }
    Ok(())
}

/// Our reader gives what calamine gives (both failing counts as alike), as streamed and as
/// the heads of the sheets; the items seen.
pub(super) fn assert_like_calamine(path: &Path) -> Vec<Seen> {
    let (mut our_errors, mut their_errors) = (Vec::new(), Vec::new());
    let a = ours(path, &mut our_errors);
    let b = calamine(path, &mut their_errors);
    assert_eq!(
        a,
        b,
        "{}: our reader differs from calamine (our errors {our_errors:?}, calamine's {their_errors:?})",
        path.display()
    );
    for e in &our_errors {
        assert!(e.contains("Excel") || e.contains("文件"), "{e}");
    }
    // The heads: each worksheet's first rows, unless the stream stopped before its end.
    if a.last() == Some(&Seen::End) || a.is_empty() {
        let n = 3;
        let mut stream = XlsxStream::open_unchecked(path, &Limits::default()).unwrap();
        let heads = match stream.heads(n) {
            Ok(heads) => heads,
            Err(_) => panic!("{}: heads failed where the stream did not", path.display()),
        };
        let mut expected = Vec::new();
        for item in &a {
            match item {
                Seen::Sheet(name, _) => expected.push((name.clone(), Vec::new())),
                Seen::Row(i, cells) => {
                    let rows = &mut expected.last_mut().unwrap().1;
                    if rows.len() < n {
                        rows.push(Seen::Row(*i, cells.clone()));
                    }
                }
                _ => {}
            }
        }
        let got: Vec<_> = heads
            .into_iter()
            .map(|s| {
                let rows = s
                    .rows
                    .into_iter()
                    .map(|r| Seen::Row(r.index, format!("{:?}", r.cells)))
                    .collect::<Vec<_>>();
                (s.name, rows)
            })
            .collect();
        assert_eq!(got, expected, "{}: heads", path.display());
    }
    a
}

/// Rows seen, to be sure a comparison compared something.
fn rows(seen: &[Seen]) -> usize {
    seen.iter().filter(|s| matches!(s, Seen::Row(..))).count()
}

/// Every .xlsx among the real files people sent or published.
#[test]
fn real_fixtures_read_as_calamine_reads_them() {
    let mut checked = std::collections::BTreeSet::new();
    for dir in [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real"),
        Path::new("/work/shared/fixtures/real").to_path_buf(),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "xlsx") {
                let seen = assert_like_calamine(&path);
                assert!(rows(&seen) > 0, "{}", path.display());
                checked.insert(path.file_name().unwrap().to_owned());
            }
        }
    }
    assert!(checked.len() >= 10, "{checked:?}");
}

// ---------------------------------------------------------------------------------------
// Workbooks as rust_xlsxwriter writes them (as the other tests and our export make them).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

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
        let opts = super::export::ExportOptions {
            profile: profile.into(),
            report_unit: Some("清河县委社会工作部".into()),
            date: Some(today),
            ..Default::default()
        };
        super::export::export(&s, &path, &opts).unwrap();
        let seen = assert_like_calamine(&path);
        assert!(rows(&seen) > 2, "{profile}");
    }
}

// ---------------------------------------------------------------------------------------
// Hand-written packages: every shape of cell, part and relationship calamine reads.

const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// A zip of the given parts.
fn write_zip(path: &Path, parts: &[(&str, Vec<u8>)]) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        z.start_file(*name, o).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

/// A package: sheets (name, relationship target, part name in the zip, XML), optional shared
/// strings and styles, the workbook's `workbookPr`.
struct Package<'a> {
    sheets: Vec<(&'a str, &'a str, &'a str, String)>,
    shared: Option<String>,
    styles: Option<String>,
    workbook_pr: &'a str,
}

impl Package<'_> {
    fn write(&self, path: &Path) {
        let mut wb = format!("{DECL}<workbook {NS}>{}<sheets>", self.workbook_pr);
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        let mut parts: Vec<(&str, Vec<u8>)> = Vec::new();
        for (i, (name, target, part, xml)) in self.sheets.iter().enumerate() {
            wb += &format!(
                r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#,
                i + 1,
                i + 1
            );
            rels += &format!(
                r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>"#,
                i + 1
            );
            if !part.is_empty() {
                parts.push((part, xml.clone().into_bytes()));
            }
        }
        wb += "</sheets></workbook>";
        rels += "</Relationships>";
        parts.push(("xl/workbook.xml", wb.into_bytes()));
        parts.push(("xl/_rels/workbook.xml.rels", rels.into_bytes()));
        if let Some(s) = &self.shared {
            parts.push(("xl/sharedStrings.xml", s.clone().into_bytes()));
        }
        if let Some(s) = &self.styles {
            parts.push(("xl/styles.xml", s.clone().into_bytes()));
        }
        write_zip(path, &parts);
    }
}

/// A worksheet's XML around `data` (the inside of <sheetData>).
fn sheet(dimension: &str, data: &str) -> String {
    format!(
        r#"{DECL}<worksheet {NS}>{dimension}<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>{data}</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>"#
    )
}

const SHARED: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="9999999">
<si><t>党员花名册</t></si>
<si><t xml:space="preserve"> 空格 </t></si>
<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r><r><t>&amp;&lt;&#x4E2D;&#25991;</t></r></si>
<si><t>张三</t><rPh sb="0" eb="2"><t>ちょう</t></rPh><phoneticPr fontId="1"/></si>
<si><rPh sb="0" eb="1"><t>よみ</t></rPh><t>读音在前</t></si>
<si><t>回车_x000D_换行_x005F_x000D_</t></si>
<si><t/></si>
<si></si>
<si><t>第一行
第二行</t></si>
<si><t><![CDATA[cdata]]>外</t></si>
<si><x:t xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">前缀</x:t></si>
</sst>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="5">
<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="0.00_ "/>
<numFmt numFmtId="166" formatCode="[h]:mm:ss"/>
<numFmt numFmtId="167" formatCode="0&amp;0"/>
<numFmt numFmtId="14" formatCode="0.0"/>
<numFmt numFmtId="168" formatCode=""/>
<numFmt numFmtId="170" formatCode="0;[Red]yyyy"/>
<numFmt numFmtId="171" formatCode="&quot;d&quot;0"/>
<numFmt numFmtId="172" formatCode="\d0"/>
<numFmt numFmtId="173" formatCode="[Red]0.0"/>
<numFmt numFmtId="174" formatCode="[mm]:ss"/>
<numFmt numFmtId="175" formatCode="0 AM/PM"/>
<numFmt numFmtId="176" formatCode="[$-804]aaaa;@"/>
</numFmts>
<fonts count="1"><font><sz val="11"/></font></fonts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="12">
<xf numFmtId="0" fontId="0"/>
<xf numFmtId="14" applyNumberFormat="1"/>
<xf numFmtId="22"/>
<xf numFmtId="46"/>
<xf numFmtId="49"/>
<xf numFmtId="164"><alignment wrapText="1"/></xf>
<xf numFmtId="165"/>
<xf numFmtId="166"/>
<xf numFmtId="167"/>
<xf fontId="0"/>
<xf numFmtId="168"/>
<xf numFmtId="015"/>
<xf numFmtId="170"/>
<xf numFmtId="171"/>
<xf numFmtId="172"/>
<xf numFmtId="173"/>
<xf numFmtId="174"/>
<xf numFmtId="175"/>
<xf numFmtId="176"/>
<xf numFmtId="15"/>
</cellXfs>
<dxfs count="1"><dxf><numFmt numFmtId="169" formatCode="yyyy"/></dxf></dxfs>
</styleSheet>"#;

/// The cells of every type, style and shape, one sheet.
fn every_cell() -> String {
    let mut d = String::new();
    // Shared strings, each.
    d += r#"<row r="1" spans="1:12">"#;
    for i in 0..11 {
        d += &format!(
            r#"<c r="{}1" t="s"><v>{i}</v></c>"#,
            (b'A' + i as u8) as char
        );
    }
    d += "</row>";
    // Inline strings: plain, preserved spaces, rich runs, phonetic, escapes, CR LF, empty.
    d += &r#"<row r="2"><c r="A2" t="inlineStr"><is><t>内联</t></is></c><c r="B2" t="inlineStr"><is><t xml:space="preserve">  两边  </t></is></c><c r="C2" t="inlineStr"><is><r><t>富</t></r><r><rPr><i/></rPr><t>文本</t></r></is></c><c r="D2" t="inlineStr"><is><t>字</t><rPh><t>じ</t></rPh></is></c><c r="E2" t="inlineStr"><is><t>a&amp;b&#13;c&#x41;</t></is></c><c r="F2" t="inlineStr"><is><t>x_x000D_y_x005f_x000a__x00zz_</t></is></c><c r="G2" t="inlineStr"><is><t>行一␍
行二␍行三</t></is></c><c r="H2" t="inlineStr"><is/></c><c r="I2" t="inlineStr"><is><t/></is></c><c r="J2" t="inlineStr"><is></is></c><c r="K2" t="inlineStr"><is><t><![CDATA[<cdata>]]></t></is></c><c r="L2" t="inlineStr"><is><t>注释<!-- 注释 -->之后</t></is></c></row>"#.replace('␍', "\r");
    // Numbers, booleans, errors, ISO dates, formula strings, untyped values.
    d += &r#"<row r="3"><c r="A3"><v>42</v></c><c r="B3" t="n"><v>-1.5e3</v></c><c r="C3" t="n"><v></v></c><c r="D3" t="n"><v/></c><c r="E3" t="b"><v>1</v></c><c r="F3" t="b"><v>0</v></c><c r="G3" t="b"><v>true</v></c><c r="H3" t="e"><v>#N/A</v></c><c r="I3" t="e"><v>#DIV/0!</v></c><c r="J3" t="d"><v>2026-11-21T00:00:00</v></c><c r="K3" t="str"><v>公式 &amp; 文本</v></c><c r="L3"><v>不是数</v></c><c r="M3"><v></v></c><c r="N3"><v>NaN</v></c><c r="O3"><v>inf</v></c><c r="P3"><v> 7</v></c><c r="Q3"><v>1&#48;</v></c><c r="R3" t="str"><v>多行␍
文本</v></c></row>"#.replace('␍', "\r");
    d += r#"<row r="4"><c r="A4" t="e"><v>#REF!</v></c><c r="B4" t="e"><v>#VALUE!</v></c><c r="C4" t="e"><v>#NAME?</v></c><c r="D4" t="e"><v>#NUM!</v></c><c r="E4" t="e"><v>#NULL!</v></c><c r="F4" t="s"><v>007</v></c><c r="G4" t="s"><v></v></c><c r="H4" t="s"><v>+1</v></c></row>"#;
    // Styles: each cell style, on a number; styles out of range and odd.
    d += r#"<row r="5">"#;
    for (i, s) in [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
        "17", "18", "19", "20", "99", "", "x", "+1", "01",
    ]
    .iter()
    .enumerate()
    {
        d += &format!(r#"<c r="{}5" s="{s}"><v>45000.5</v></c>"#, column(i));
    }
    d += "</row>";
    d += r#"<row r="6"><c r="A6" s="1" t="n"><v>60</v></c><c r="B6" s="1"><v>61</v></c><c r="C6" s="1"><v>0</v></c><c r="D6" s="1"><v>-1</v></c><c r="E6" s="1"><v>2958465.9</v></c><c r="F6" s="1" t="s"><v>0</v></c><c r="G6" s="1" t="str"><v>45000</v></c><c r="H6" s="3"><v>1.25</v></c><c r="I6" s="7"><v>100.5</v></c><c r="J6" s="1"><v>1e20</v></c></row>"#;
    // Formulas, before and after their value; shared formulas; empty cells.
    d += r#"<row r="7"><c r="A7"><f>1+1</f><v>2</v></c><c r="B7"><v>3</v><f>1+2</f></c><c r="C7" t="str"><f t="shared" ref="C7:C8" si="0">"a"</f><v>a</v></c><c r="D7"><f/></c><c r="E7" s="1"/><c r="F7" s="1"></c><c r="G7"/></row>"#;
    // Cells without r: their place follows the cell before (empty ones too) and the row.
    d += r#"<row r="9"><c t="inlineStr"><is><t>无位置1</t></is></c><c/><c><v>3</v></c><c r="F9"><v>6</v></c><c><v>7</v></c></row>"#;
    d += r#"<row><c><v>10.1</v></c><c><v>10.2</v></c></row><row><c r="C11"><v>11</v></c></row>"#;
    d += r#"<row r="13"/><row r="14" spans="1:3"></row><row><c><v>15</v></c></row>"#;
    // References in lower case and with leading zeros; attributes in single quotes, spaced,
    // extra; whitespace between cells.
    d += r#"<row r="17"><c r="a17"><v>1</v></c><c r='B017' t='s' s='0'><v>1</v></c><c  r = "C17"  t="n" ><v>3</v></c><c r="D17" cm="1" vm="1" ph="1"><v>4</v></c>
  <c r="E17">
    <v>5</v>
  </c>	<c r="F17" t="inlineStr">
<is><t>缩进</t></is></c></row>"#;
    // A row number that disagrees with its cells' references (calamine takes the cells').
    d += r#"<row r="19"><c r="A20"><v>20</v></c></row>"#;
    d
}

/// `A`, `B`, …, `Z`, `AA`, … for 0-based `i`.
fn column(i: usize) -> String {
    super::read::column_letter(i as u32)
}

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

/// `path` with one part's bytes replaced.
fn replace_part(path: &Path, part: &str, data: &[u8]) {
    use std::io::Read;
    let mut zin = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == part {
            bytes = data.to_vec();
        }
        parts.push((name, bytes));
    }
    drop(zin);
    let parts: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    write_zip(path, &parts);
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

/// Files calamine refuses (and so must we), and cells out of order (read whole instead).
#[test]
fn broken_sheets_fail_as_in_calamine() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"<row r="1"><c r="A1"><v>1</v></c></row>"#;
    let cases: Vec<(&str, String)> = vec![
        (
            "unordered-rows",
            sheet(
                "",
                r#"<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>"#,
            ),
        ),
        (
            "unordered-cells",
            sheet(
                "",
                r#"<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c></row>"#,
            ),
        ),
        (
            "same-cell-twice",
            sheet(
                "",
                r#"<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>"#,
            ),
        ),
        (
            "v-in-inline",
            sheet(
                "",
                r#"<row r="1"><c r="A1" t="inlineStr"><v>1</v></c></row>"#,
            ),
        ),
        (
            "unknown-type",
            sheet("", r#"<row r="1"><c r="A1" t="x"><v>1</v></c></row>"#),
        ),
        (
            "is-type",
            sheet("", r#"<row r="1"><c r="A1" t="is"><v>1</v></c></row>"#),
        ),
        (
            "shared-out-of-range",
            sheet("", r#"<row r="1"><c r="A1" t="s"><v>99</v></c></row>"#),
        ),
        (
            "bad-number",
            sheet("", r#"<row r="1"><c r="A1" t="n"><v>abc</v></c></row>"#),
        ),
        (
            "bad-error",
            sheet("", r#"<row r="1"><c r="A1" t="e"><v>#DATA!</v></c></row>"#),
        ),
        (
            "bad-ref",
            sheet("", r#"<row r="1"><c r="1A"><v>1</v></c></row>"#),
        ),
        ("row-zero", sheet("", r#"<row r="0"><c><v>1</v></c></row>"#)),
        (
            "cell-row-zero",
            sheet("", r#"<row r="1"><c r="A0"><v>1</v></c></row>"#),
        ),
        (
            "bad-dimension",
            sheet(r#"<dimension ref="A1:B2:C3"/>"#, good),
        ),
        ("dimension-without-ref", sheet(r#"<dimension/>"#, good)),
        (
            "unknown-child",
            sheet("", r#"<row r="1"><c r="A1"><x>1</x></c></row>"#),
        ),
        (
            "bad-entity",
            sheet(
                "",
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>"#,
            ),
        ),
        (
            "duplicate-attribute",
            sheet(
                "",
                r#"<row r="1"><c r="A1" r="B1" t="n"><v>1</v></c></row>"#,
            ),
        ),
        ("cut", sheet("", good)[..120].to_string()),
        (
            "cut-in-cell",
            format!("{DECL}<worksheet {NS}><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v>"),
        ),
        ("garbage", "\u{1}\u{2}<<<>>>&&&".to_string()),
        ("empty", String::new()),
        (
            "invalid-utf8-free",
            sheet(
                "",
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>"#,
            ),
        ),
    ];
    for (name, xml) in cases {
        let path = dir.path().join(format!("{name}.xlsx"));
        Package {
            sheets: vec![
                (
                    "甲",
                    "worksheets/sheet1.xml",
                    "xl/worksheets/sheet1.xml",
                    sheet("", good),
                ),
                (
                    "乙",
                    "worksheets/sheet2.xml",
                    "xl/worksheets/sheet2.xml",
                    xml,
                ),
            ],
            shared: Some(SHARED.into()),
            styles: Some(STYLES.into()),
            workbook_pr: "",
        }
        .write(&path);
        let seen = assert_like_calamine(&path);
        let last = seen.last();
        if name.starts_with("unordered") || name == "same-cell-twice" {
            assert_eq!(last, Some(&Seen::Unordered), "{name}");
        } else if name != "invalid-utf8-free" {
            assert_eq!(last, Some(&Seen::Failed), "{name}: {seen:?}");
        }
    }
    // Invalid UTF-8 in a text.
    let path = dir.path().join("latin1.xlsx");
    let xml = [
        sheet("", r#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#).as_bytes(),
        &[0xE9, 0x20],
        br#"</t></is></c></row></sheetData></worksheet>"#,
    ]
    .concat();
    let xml = String::from_utf8_lossy(&xml).into_owned();
    Package {
        sheets: vec![(
            "甲",
            "worksheets/sheet1.xml",
            "xl/worksheets/sheet1.xml",
            xml,
        )],
        shared: None,
        styles: None,
        workbook_pr: "",
    }
    .write(&path);
    let raw = [
        sheet("", r#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#)
            .replace("</sheetData></worksheet>", "")
            .into_bytes(),
        vec![0xE9, 0x20],
        br#"</t></is></c></row></sheetData></worksheet>"#.to_vec(),
    ]
    .concat();
    replace_part(&path, "xl/worksheets/sheet1.xml", &raw);
    assert_eq!(assert_like_calamine(&path).last(), Some(&Seen::Failed));
    // Broken workbook parts.
    let parts = |wb: &str, rels: Option<&str>| {
        let mut p: Vec<(&str, Vec<u8>)> = vec![
            ("xl/workbook.xml", wb.as_bytes().to_vec()),
            ("xl/worksheets/sheet1.xml", sheet("", good).into_bytes()),
        ];
        if let Some(rels) = rels {
            p.push(("xl/_rels/workbook.xml.rels", rels.as_bytes().to_vec()));
        }
        p
    };
    let rel = r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#;
    for (name, wb, rels) in [
        ("no-rels", format!("<workbook {NS}><sheets><sheet name=\"a\" r:id=\"rId1\"/></sheets></workbook>"), None),
        ("unknown-rel", format!("<workbook {NS}><sheets><sheet name=\"a\" r:id=\"rId9\"/></sheets></workbook>"), Some(rel)),
        ("bad-state", format!("<workbook {NS}><sheets><sheet name=\"a\" state=\"gone\" r:id=\"rId1\"/></sheets></workbook>"), Some(rel)),
        ("no-rid", format!("<workbook {NS}><sheets><sheet name=\"a\"/></sheets></workbook>"), Some(rel)),
        ("missing-part", format!("<workbook {NS}><sheets><sheet name=\"a\" r:id=\"rId1\"/></sheets></workbook>"), Some(r#"<Relationships><Relationship Id="rId1" Target="worksheets/none.xml"/></Relationships>"#)),
        ("workbook-cut", format!("<workbook {NS}><sheets><sheet name=\"a\" r:id=\"rId1\"/>"), Some(rel)),
        ("hidden", format!("<workbook {NS}><sheets><sheet name=\"a &amp; b\" state=\"veryHidden\" r:id=\"rId1\"/></sheets></workbook>"), Some(rel)),
    ] {
        let path = dir.path().join(format!("{name}.xlsx"));
        write_zip(&path, &parts(&wb, rels));
        let seen = assert_like_calamine(&path);
        if name == "hidden" {
            assert_eq!(rows(&seen), 1, "{name}");
        } else {
            assert_eq!(seen.last(), Some(&Seen::Failed), "{name}: {seen:?}");
        }
    }
}

/// Parts spoiled byte by byte — a sheet, the shared strings, the styles, the workbook — fail
/// as calamine's reading fails or read as it reads them, and never panic.
#[test]
fn spoiled_parts_fail_or_read_as_in_calamine() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.xlsx");
    let sheet_xml = sheet(r#"<dimension ref="A1:R20"/>"#, &every_cell());
    Package {
        sheets: vec![
            (
                "表",
                "worksheets/sheet1.xml",
                "xl/worksheets/sheet1.xml",
                sheet_xml.clone(),
            ),
            (
                "二",
                "/xl/worksheets/sheet2.xml",
                "xl/worksheets/sheet2.xml",
                sheet_xml,
            ),
        ],
        shared: Some(SHARED.into()),
        styles: Some(STYLES.into()),
        workbook_pr: r#"<workbookPr date1904="1"/>"#,
    }
    .write(&path);
    let good = std::fs::read(&path).unwrap();
    let part = |name: &str| {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&good)).unwrap();
        let mut bytes = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
        bytes
    };
    let names = [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
    ];
    let originals: Vec<Vec<u8>> = names.iter().map(|n| part(n)).collect();
    let mut rng = fastrand::Rng::with_seed(7);
    let alphabet = b"<>/=\"' &;#xrcvtis0123456789AZ_\n";
    for round in 0..600 {
        let which = [0, 0, 1, 2, 3, 4][round % 6];
        let mut xml = originals[which].clone();
        for _ in 0..rng.usize(1..4) {
            let at = rng.usize(..xml.len());
            match rng.u8(..3) {
                0 => xml[at] = alphabet[rng.usize(..alphabet.len())],
                1 => {
                    xml.remove(at);
                }
                _ => xml.insert(at, alphabet[rng.usize(..alphabet.len())]),
            }
        }
        std::fs::write(&path, &good).unwrap();
        replace_part(&path, names[which], &xml);
        assert_like_calamine(&path);
    }
}

/// A part that inflates past the size the zip directory gives it is refused, not read on.
#[test]
fn parts_larger_than_declared_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("liar.xlsx");
    let mut d = String::new();
    for r in 1..=2000 {
        d += &format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#);
    }
    let xml = sheet("", &d);
    Package {
        sheets: vec![(
            "表",
            "worksheets/sheet1.xml",
            "xl/worksheets/sheet1.xml",
            xml.clone(),
        )],
        shared: None,
        styles: None,
        workbook_pr: "",
    }
    .write(&path);
    // Make the central directory claim 1,000 bytes for the sheet.
    let mut bytes = std::fs::read(&path).unwrap();
    let name = b"xl/worksheets/sheet1.xml";
    let mut patched = 0;
    for at in 0..bytes.len() - 46 {
        if bytes[at..at + 4] == [0x50, 0x4b, 0x01, 0x02] && bytes[at + 46..].starts_with(name) {
            bytes[at + 24..at + 28].copy_from_slice(&1000u32.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 1);
    std::fs::write(&path, &bytes).unwrap();
    let mut errors = Vec::new();
    let seen = ours(&path, &mut errors);
    assert_eq!(seen.last(), Some(&Seen::Failed), "{seen:?}");
    assert!(errors[0].contains("疑似恶意构造"), "{errors:?}");
}
