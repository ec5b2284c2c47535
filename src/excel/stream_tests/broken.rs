//! Files calamine refuses, parts spoiled byte by byte, parts larger than declared.

use super::package::{
    every_cell, replace_part, sheet, write_zip, Package, DECL, NS, SHARED, STYLES,
};
use super::{assert_like_calamine, ours, rows, Seen};

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
