//! Hand-written packages: every shape of cell, part and relationship calamine reads.

use std::path::Path;

pub(super) const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
pub(super) const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// A zip of the given parts.
pub(super) fn write_zip(path: &Path, parts: &[(&str, Vec<u8>)]) {
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
pub(super) struct Package<'a> {
    pub(super) sheets: Vec<(&'a str, &'a str, &'a str, String)>,
    pub(super) shared: Option<String>,
    pub(super) styles: Option<String>,
    pub(super) workbook_pr: &'a str,
}

impl Package<'_> {
    pub(super) fn write(&self, path: &Path) {
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
pub(super) fn sheet(dimension: &str, data: &str) -> String {
    format!(
        r#"{DECL}<worksheet {NS}>{dimension}<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>{data}</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>"#
    )
}

pub(super) const SHARED: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
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

pub(super) const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
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
pub(super) fn every_cell() -> String {
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
pub(super) fn column(i: usize) -> String {
    crate::excel::read::column_letter(i as u32)
}

/// `path` with one part's bytes replaced.
pub(super) fn replace_part(path: &Path, part: &str, data: &[u8]) {
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
