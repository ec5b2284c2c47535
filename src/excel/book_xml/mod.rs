//! The workbook-level parts of an .xlsx that reading its sheets needs: the sheets in order and
//! where their XML is, the shared strings, which cell styles are dates, the date system. They
//! are read with quick-xml by calamine 0.32's rules (`Xlsx::new`, read in the same order, with
//! the same parser settings), so that `sheet_xml` gives exactly the cells calamine gives.
//!
//! This module reads the workbook and its relationships; `part` opens a part for the parser,
//! `strings` reads texts and the shared strings, `styles` tells the date formats.

mod part;
mod strings;
mod styles;

pub(super) use part::{broken, cut, next, open_part, xml_error, Xml, Zip};
pub(super) use strings::{
    normalize_eols, push_ref, push_text, push_unescaped, read_string, StringBufs,
};

use super::read::{bad, Limits};
use crate::error::Result;
use quick_xml::events::Event;
use quick_xml::name::QName;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use zip::ZipArchive;

/// A sheet of the workbook as `xl/workbook.xml` lists it (worksheets, chart and dialog sheets).
pub(super) struct SheetPart {
    pub name: String,
    /// The part's path in the package, e.g. `xl/worksheets/sheet1.xml`.
    pub path: String,
}

/// What every sheet's cells are read with.
#[derive(Default)]
pub(super) struct Shared {
    pub strings: Vec<String>,
    /// By cell style (`cellXfs` index): whether its number format is a date, time or duration.
    pub dates: Vec<bool>,
    /// The workbook counts dates from 1904 (`workbookPr date1904`).
    pub is_1904: bool,
}

/// An opened .xlsx package.
pub(super) struct Package {
    pub zip: Zip,
    pub sheets: Vec<SheetPart>,
    pub shared: Shared,
}

impl Package {
    /// Open a package whose zip directory `check_zip` has accepted, and read its workbook parts.
    pub(super) fn open(path: &Path, limits: &Limits) -> Result<Package> {
        let file = File::open(path)?;
        let mut zip = ZipArchive::new(BufReader::new(file)).map_err(|e| bad(&e))?;
        // calamine's order, so that a file broken in several places gets the same first error.
        let strings = strings::read_shared_strings(&mut zip, limits)?;
        let dates = styles::read_styles(&mut zip)?;
        let rels = read_relationships(&mut zip)?;
        let (sheets, is_1904) = read_workbook(&mut zip, &rels)?;
        Ok(Package {
            zip,
            sheets,
            shared: Shared {
                strings,
                dates,
                is_1904,
            },
        })
    }
}

const RELS: &str = "工作簿关系表（xl/_rels/workbook.xml.rels）";
const WORKBOOK: &str = "工作簿（xl/workbook.xml）";

/// `xl/_rels/workbook.xml.rels`: relationship targets by id (undecoded, unescaped, as calamine
/// keeps them). The package must have it.
fn read_relationships(zip: &mut Zip) -> Result<BTreeMap<Vec<u8>, String>> {
    let Some(mut xml) = open_part(zip, "xl/_rels/workbook.xml.rels")? else {
        return Err(bad(&"缺少工作簿关系表 xl/_rels/workbook.xml.rels"));
    };
    let what = RELS;
    let err = |xml: &Xml<'_>, e: quick_xml::Error| xml_error(xml, what, e);
    let mut rels = BTreeMap::new();
    let mut buf = Vec::with_capacity(64);
    loop {
        match next(&mut xml, &mut buf).map_err(|e| err(&xml, e))? {
            Event::Start(e) if e.local_name().as_ref() == b"Relationship" => {
                let (id, target) = part::key_and_text(&xml, &e, what, b"Id", b"Target")?;
                rels.insert(id, target);
            }
            Event::End(e) if e.local_name().as_ref() == b"Relationships" => return Ok(rels),
            Event::Eof => return Err(cut(what, "Relationships")),
            _ => {}
        }
    }
}

/// `xl/workbook.xml`: the sheets in order with their parts, and the date system. Without the
/// part the workbook has no sheets (as in calamine).
fn read_workbook(
    zip: &mut Zip,
    rels: &BTreeMap<Vec<u8>, String>,
) -> Result<(Vec<SheetPart>, bool)> {
    let mut sheets = Vec::new();
    let mut is_1904 = false;
    let Some(mut xml) = open_part(zip, "xl/workbook.xml")? else {
        return Ok((sheets, is_1904));
    };
    let what = WORKBOOK;
    let err = |xml: &Xml<'_>, e: quick_xml::Error| xml_error(xml, what, e);
    let mut buf = Vec::with_capacity(1024);
    loop {
        match next(&mut xml, &mut buf).map_err(|e| err(&xml, e))? {
            Event::Start(e) if e.local_name().as_ref() == b"sheet" => {
                let mut name = String::new();
                let mut path = String::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| err(&xml, e.into()))?;
                    match a.key {
                        QName(b"name") => {
                            name = a
                                .decode_and_unescape_value(xml.decoder())
                                .map_err(|e| err(&xml, e))?
                                .into_owned();
                        }
                        QName(b"state") => {
                            let v = a
                                .decode_and_unescape_value(xml.decoder())
                                .map_err(|e| err(&xml, e))?;
                            if !matches!(v.as_ref(), "visible" | "hidden" | "veryHidden") {
                                return Err(broken(
                                    what,
                                    format!("中工作表“{name}”的显示状态“{v}”无法识别"),
                                ));
                            }
                        }
                        QName(b"r:id" | b"relationships:id") => {
                            let Some(r) = rels.get(&*a.value) else {
                                return Err(broken(
                                    what,
                                    format!("中工作表“{name}”在工作簿关系表中找不到"),
                                ));
                            };
                            // Targets are relative to xl/ or absolute ("/xl/…").
                            path = if r.starts_with("/xl/") {
                                r[1..].to_string()
                            } else if r.starts_with("xl/") {
                                r.clone()
                            } else {
                                format!("xl/{r}")
                            };
                        }
                        _ => {}
                    }
                }
                if !matches!(
                    path.split('/').nth(1),
                    Some("worksheets" | "chartsheets" | "dialogsheets")
                ) {
                    let why = if path.is_empty() {
                        "没有指明内容所在（缺少 r:id）".to_string()
                    } else {
                        format!("的类型无法识别（{path}）")
                    };
                    return Err(broken(what, format!("中工作表“{name}”{why}")));
                }
                sheets.push(SheetPart { name, path });
            }
            // The full name, not the local one: calamine's test.
            Event::Start(e) if e.name().as_ref() == b"workbookPr" => {
                is_1904 = match e
                    .try_get_attribute("date1904")
                    .map_err(|e| err(&xml, e.into()))?
                {
                    Some(a) => {
                        let v = a
                            .decode_and_unescape_value(xml.decoder())
                            .map_err(|e| err(&xml, e))?;
                        matches!(v.as_ref(), "1" | "true")
                    }
                    None => false,
                };
            }
            Event::End(e) if e.local_name().as_ref() == b"workbook" => {
                return Ok((sheets, is_1904))
            }
            Event::Eof => return Err(cut(what, "workbook")),
            _ => {}
        }
    }
}
