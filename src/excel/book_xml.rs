//! The workbook-level parts of an .xlsx that reading its sheets needs: the sheets in order and
//! where their XML is, the shared strings, which cell styles are dates, the date system. They
//! are read with quick-xml by calamine 0.32's rules (`Xlsx::new`, read in the same order, with
//! the same parser settings), so that `sheet_xml` gives exactly the cells calamine gives.

use super::read::bad;
use crate::error::{Error, Result};
use quick_xml::events::{attributes::Attribute, BytesRef, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use zip::read::ZipFile;
use zip::result::ZipError;
use zip::ZipArchive;

pub(super) type Zip = ZipArchive<BufReader<File>>;

/// Bytes inflated at a time for the parser.
const CHUNK: usize = 64 * 1024;
/// The longest single XML element or text accepted. Excel keeps a cell's text under 32,767
/// characters; anything near this is a hostile file, refused before it fills memory.
const MAX_EVENT: usize = 64 << 20;

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
    pub(super) fn open(path: &Path) -> Result<Package> {
        let file = File::open(path)?;
        let mut zip = ZipArchive::new(BufReader::new(file)).map_err(|e| bad(&e))?;
        // calamine's order, so that a file broken in several places gets the same first error.
        let strings = read_shared_strings(&mut zip)?;
        let dates = read_styles(&mut zip)?;
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

/// A zip entry's inflated bytes for the XML parser: no more than the zip directory declares
/// (the sizes `check_zip` measured), and no single XML event longer than `MAX_EVENT`.
pub(super) struct Part<'a> {
    entry: ZipFile<'a, BufReader<File>>,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    /// Bytes still allowed by the declared size.
    left: u64,
    /// Bytes handed to the parser since `event_start`.
    taken: usize,
    /// `MAX_EVENT` (smaller in tests).
    max_event: usize,
    /// Why reading was refused (the parser only keeps an `io::Error`).
    refused: Option<String>,
    path: String,
}

impl Part<'_> {
    /// A new XML event is about to be read: its length is counted from here.
    pub(super) fn event_start(&mut self) {
        self.taken = 0;
    }

    fn refuse(&mut self, why: String) -> io::Error {
        let e = io::Error::other(why.clone());
        self.refused = Some(why);
        e
    }
}

impl Read for Part<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let have = self.fill_buf()?;
            let n = have.len().min(out.len());
            out[..n].copy_from_slice(&have[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Part<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some(why) = &self.refused {
            return Err(io::Error::other(why.clone()));
        }
        if self.pos == self.end {
            if self.taken > self.max_event {
                let why = format!(
                    "文件中的“{}”含有超过 {} MB 的单个元素或文本，不像正常的 Excel 文件，已拒绝",
                    self.path,
                    self.max_event.div_ceil(1 << 20)
                );
                return Err(self.refuse(why));
            }
            if self.left == 0 {
                // At the declared size the entry must end (reading on checks its CRC too).
                let mut probe = [0u8; 1];
                if self.entry.read(&mut probe)? > 0 {
                    let why = format!(
                        "文件中的“{}”解压后比压缩包目录声明的大，疑似恶意构造的文件，已拒绝",
                        self.path
                    );
                    return Err(self.refuse(why));
                }
                return Ok(&[]);
            }
            let want = self
                .buf
                .len()
                .min(usize::try_from(self.left).unwrap_or(usize::MAX));
            let n = self.entry.read(&mut self.buf[..want])?;
            self.left -= n as u64;
            if n == 0 {
                // Shorter than declared: the parser sees the end (and reports a cut document).
                self.left = 0;
            }
            self.pos = 0;
            self.end = n;
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.end);
        self.taken = self.taken.saturating_add(n);
    }
}

pub(super) type Xml<'a> = Reader<Part<'a>>;

/// An XML part of the package, as calamine's `xml_reader` opens it (the name matched without
/// regard to case or slash direction); `None` when the package has no such part.
pub(super) fn open_part<'a>(zip: &'a mut Zip, path: &str) -> Result<Option<Xml<'a>>> {
    let zip_path = zip
        .file_names()
        .find(|n| path.eq_ignore_ascii_case(&n.replace('\\', "/")))
        .unwrap_or(path)
        .to_string();
    let entry = match zip.by_name(&zip_path) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad(&format!("压缩包中的“{path}”无法读取（{e}）"))),
    };
    let left = entry.size();
    let part = Part {
        entry,
        buf: vec![0; CHUNK].into_boxed_slice(),
        pos: 0,
        end: 0,
        left,
        taken: 0,
        max_event: MAX_EVENT,
        refused: None,
        path: zip_path,
    };
    let mut xml = Reader::from_reader(part);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    Ok(Some(xml))
}

/// The next event of a part, into `buf` (cleared first).
pub(super) fn next<'b>(
    xml: &mut Xml<'_>,
    buf: &'b mut Vec<u8>,
) -> std::result::Result<Event<'b>, quick_xml::Error> {
    buf.clear();
    xml.get_mut().event_start();
    xml.read_event_into(buf)
}

/// A failure reading `what` (a part or a sheet, in words), as the user is told it.
pub(super) fn broken(what: &str, why: impl Display) -> Error {
    bad(&format!("{what}{why}"))
}

/// A parser error: the part's refusal if it refused, else where the XML is wrong.
pub(super) fn xml_error(xml: &Xml<'_>, what: &str, e: impl Display) -> Error {
    match &xml.get_ref().refused {
        Some(why) => Error::BadFile(why.clone()),
        None => broken(
            what,
            format!("的 XML 有误（第 {} 字节附近：{e}）", xml.error_position()),
        ),
    }
}

/// Text the part's encoding cannot decode.
fn undecodable(e: impl Display) -> String {
    format!("含有无法解码的文字（{e}）")
}

/// The document ends before `</{element}>`.
pub(super) fn cut(what: &str, element: &str) -> Error {
    broken(what, format!("不完整（在 </{element}> 之前就结束了）"))
}

/// A text node's characters as calamine keeps them in `<v>`: decoded, line ends normalised.
pub(super) fn push_text(out: &mut String, t: &BytesText<'_>) -> std::result::Result<(), String> {
    let text = t.xml10_content().map_err(undecodable)?;
    out.push_str(&text);
    Ok(())
}

/// A text node of a string (`<t>`) as calamine keeps it: decoded, line ends normalised, and
/// Excel's `_xHHHH_` escapes undone as `push_unescaped` does.
pub(super) fn push_string_text(
    out: &mut String,
    t: &BytesText<'_>,
) -> std::result::Result<(), String> {
    let text = t.xml10_content().map_err(undecodable)?;
    push_unescaped(out, &text);
    Ok(())
}

/// XML 1.0's line-end normalisation as quick-xml's `xml10_content` does it: `\r\n` and a
/// lone `\r` become `\n`.
pub(super) fn normalize_eols(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A string's text with Excel's escapes undone as calamine's `unescape_xml` does: only
/// `_x00HH_`, as one Latin-1 character (so `_x000D_` is a carriage return and
/// `_x005F_x000D_` the text `_x000D_`); anything else is left as it is.
pub(super) fn push_unescaped(out: &mut String, text: &str) {
    if !text.contains("_x00") {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while let Some(at) = memchr::memmem::find(&bytes[i..], b"_x00").map(|at| i + at) {
        let escape = match (bytes.get(at + 4..at + 6), bytes.get(at + 6)) {
            // `from_str_radix` as calamine calls it (it takes a leading `+`, too).
            (Some(hex), Some(b'_')) => std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
            _ => None,
        };
        match escape {
            Some(byte) => {
                out.push_str(&text[copied..at]);
                out.push(byte as char);
                i = at + 7;
                copied = i;
            }
            None => i = at + 1,
        }
    }
    out.push_str(&text[copied..]);
}

/// An entity or character reference, resolved as calamine's `unescape_entity_to_buffer` does.
pub(super) fn push_ref(out: &mut String, r: &BytesRef<'_>) -> std::result::Result<(), String> {
    let name = r.decode().map_err(undecodable)?;
    if let Some(s) = quick_xml::escape::resolve_xml_entity(&name) {
        out.push_str(s);
        return Ok(());
    }
    match r
        .resolve_char_ref()
        .map_err(|e| format!("含有无效的字符引用 &{name};（{e}）"))?
    {
        Some(c) => {
            out.push(c);
            Ok(())
        }
        None => Err(format!("含有无法识别的实体 &{name};")),
    }
}

/// Buffers `read_string` reuses between calls.
#[derive(Default)]
pub(super) struct StringBufs {
    events: Vec<u8>,
    text: Vec<u8>,
}

/// A string item (`<si>`, `<is>`) up to its end tag `closing`, as calamine's `read_string`
/// reads it: the first `<t>`, or the `<t>` of every rich-text run `<r>` joined, never the
/// phonetic guide `<rPh>`; no text at all is the empty string.
pub(super) fn read_string(
    xml: &mut Xml<'_>,
    closing: &[u8],
    bufs: &mut StringBufs,
    what: &str,
) -> Result<String> {
    let mut rich: Option<String> = None;
    let mut phonetic = false;
    loop {
        let event = next(xml, &mut bufs.events).map_err(|e| xml_error(xml, what, e));
        match event? {
            Event::Start(e) if e.local_name().as_ref() == b"r" && rich.is_none() => {
                rich = Some(String::new());
            }
            Event::Start(e) if e.local_name().as_ref() == b"rPh" => phonetic = true,
            Event::End(e) if e.name().as_ref() == closing => return Ok(rich.unwrap_or_default()),
            Event::End(e) if e.local_name().as_ref() == b"rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == b"t" && !phonetic => {
                let mut single = String::new();
                let out = rich.as_mut().unwrap_or(&mut single);
                loop {
                    let event = next(xml, &mut bufs.text).map_err(|e| xml_error(xml, what, e));
                    match event? {
                        Event::Text(t) => push_string_text(out, &t).map_err(|m| broken(what, m))?,
                        Event::GeneralRef(r) => push_ref(out, &r).map_err(|m| broken(what, m))?,
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => return Err(cut(what, "t")),
                        _ => {}
                    }
                }
                if rich.is_none() {
                    // The rest of the item (a phonetic guide, say) is passed over.
                    xml.read_to_end_into(QName(closing), &mut bufs.text)
                        .map_err(|e| xml_error(xml, what, e))?;
                    return Ok(single);
                }
            }
            Event::Eof => return Err(cut(what, &String::from_utf8_lossy(closing))),
            _ => {}
        }
    }
}

const SHARED_STRINGS: &str = "共享字符串表（xl/sharedStrings.xml）";
const STYLES: &str = "样式表（xl/styles.xml）";
const RELS: &str = "工作簿关系表（xl/_rels/workbook.xml.rels）";
const WORKBOOK: &str = "工作簿（xl/workbook.xml）";

/// `xl/sharedStrings.xml`, every `<si>` in order (none without the part).
fn read_shared_strings(zip: &mut Zip) -> Result<Vec<String>> {
    let Some(mut xml) = open_part(zip, "xl/sharedStrings.xml")? else {
        return Ok(Vec::new());
    };
    let what = SHARED_STRINGS;
    // Not sized by the part's `uniqueCount`: a file's claims allocate nothing.
    let mut strings = Vec::new();
    let mut buf = Vec::with_capacity(1024);
    let mut bufs = StringBufs::default();
    loop {
        match next(&mut xml, &mut buf).map_err(|e| xml_error(&xml, what, e))? {
            Event::Start(e) if e.local_name().as_ref() == b"si" => {
                let closing = e.name().as_ref().to_vec();
                strings.push(read_string(&mut xml, &closing, &mut bufs, what)?);
            }
            Event::End(e) if e.local_name().as_ref() == b"sst" => return Ok(strings),
            Event::Eof => return Err(cut(what, "sst")),
            _ => {}
        }
    }
}

/// `xl/styles.xml`: for each cell style (`cellXfs/xf`), whether calamine takes its number
/// format for a date — a custom format (`numFmts`) by calamine's test of its code, else a
/// built-in one by its id.
fn read_styles(zip: &mut Zip) -> Result<Vec<bool>> {
    let Some(mut xml) = open_part(zip, "xl/styles.xml")? else {
        return Ok(Vec::new());
    };
    let what = STYLES;
    let err = |xml: &Xml<'_>, e: quick_xml::Error| xml_error(xml, what, e);
    let mut custom: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    let mut dates = Vec::new();
    let mut buf = Vec::with_capacity(1024);
    let mut inner = Vec::with_capacity(1024);
    loop {
        match next(&mut xml, &mut buf).map_err(|e| err(&xml, e))? {
            Event::Start(e) if e.local_name().as_ref() == b"numFmts" => loop {
                match next(&mut xml, &mut inner).map_err(|e| err(&xml, e))? {
                    Event::Start(e) if e.local_name().as_ref() == b"numFmt" => {
                        let mut id = Vec::new();
                        let mut code = String::new();
                        for a in e.attributes() {
                            match a.map_err(|e| err(&xml, e.into()))? {
                                Attribute {
                                    key: QName(b"numFmtId"),
                                    value,
                                } => id.extend_from_slice(&value),
                                // Decoded but not unescaped, as calamine takes it.
                                Attribute {
                                    key: QName(b"formatCode"),
                                    value,
                                } => {
                                    code = xml
                                        .decoder()
                                        .decode(&value)
                                        .map_err(|e| err(&xml, e.into()))?
                                        .into_owned()
                                }
                                _ => {}
                            }
                        }
                        if !code.is_empty() {
                            custom.insert(id, code);
                        }
                    }
                    Event::End(e) if e.local_name().as_ref() == b"numFmts" => break,
                    Event::Eof => return Err(cut(what, "numFmts")),
                    _ => {}
                }
            },
            Event::Start(e) if e.local_name().as_ref() == b"cellXfs" => loop {
                match next(&mut xml, &mut inner).map_err(|e| err(&xml, e))? {
                    Event::Start(e) if e.local_name().as_ref() == b"xf" => {
                        let id = e
                            .attributes()
                            .filter_map(|a| a.ok())
                            .find(|a| a.key == QName(b"numFmtId"));
                        dates.push(id.is_some_and(|a| match custom.get(&*a.value) {
                            Some(code) => custom_is_date(code),
                            None => builtin_is_date(&a.value),
                        }));
                    }
                    Event::End(e) if e.local_name().as_ref() == b"cellXfs" => break,
                    Event::Eof => return Err(cut(what, "cellXfs")),
                    _ => {}
                }
            },
            Event::End(e) if e.local_name().as_ref() == b"styleSheet" => return Ok(dates),
            Event::Eof => return Err(cut(what, "styleSheet")),
            _ => {}
        }
    }
}

/// calamine's `builtin_format_by_id`: the built-in date, time and duration formats.
fn builtin_is_date(id: &[u8]) -> bool {
    matches!(
        id,
        b"14"
            | b"15"
            | b"16"
            | b"17"
            | b"18"
            | b"19"
            | b"20"
            | b"21"
            | b"22"
            | b"45"
            | b"46"
            | b"47"
    )
}

/// calamine's `detect_custom_number_format` (formats.rs), which tells dates and durations from
/// other formats by the first section's unquoted, unescaped, unbracketed letters.
fn custom_is_date(format: &str) -> bool {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return false,
            ('[', ..) => brackets = brackets.wrapping_add(1),
            // `[h]`, `[mm]`, `[ss]`: a duration (a date to calamine's reader, too).
            (']', .., 1) if hms => return true,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return true,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return true
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    false
}

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
                let mut id = Vec::new();
                let mut target = String::new();
                for a in e.attributes() {
                    match a.map_err(|e| err(&xml, e.into()))? {
                        Attribute {
                            key: QName(b"Id"),
                            value,
                        } => id.extend_from_slice(&value),
                        Attribute {
                            key: QName(b"Target"),
                            value,
                        } => {
                            target = xml
                                .decoder()
                                .decode(&value)
                                .map_err(|e| err(&xml, e.into()))?
                                .into_owned()
                        }
                        _ => {}
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_escapes_as_calamine_undoes_them() {
        let undo = |s: &str| {
            let mut out = String::new();
            push_string_text(&mut out, &BytesText::from_escaped(s)).unwrap();
            out
        };
        assert_eq!(undo("a_x000D_b"), "a\rb");
        assert_eq!(undo("_x005F_x000D_"), "_x000D_");
        assert_eq!(undo("_x00e9_"), "é");
        assert_eq!(undo("_x00+F_"), "\u{f}");
        assert_eq!(undo("_x00zz_ _x00"), "_x00zz_ _x00");
        assert_eq!(undo("_x2603_"), "_x2603_");
        assert_eq!(undo("行1\r\n行2\r"), "行1\n行2\n");
        assert_eq!(normalize_eols("a\r\r\nb\n\rc"), "a\n\nb\n\nc");
    }

    /// One text longer than allowed is refused before it is all in memory.
    #[test]
    fn an_overlong_event_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.xlsx");
        {
            use std::io::Write;
            let mut z = zip::ZipWriter::new(File::create(&path).unwrap());
            z.start_file(
                "xl/sharedStrings.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            let text = "长".repeat(100_000);
            write!(z, "<sst><si><t>{text}</t></si><si><t>短</t></si></sst>").unwrap();
            z.finish().unwrap();
        }
        let mut zip = ZipArchive::new(BufReader::new(File::open(&path).unwrap())).unwrap();
        assert_eq!(read_shared_strings(&mut zip).unwrap().len(), 2);
        let mut xml = open_part(&mut zip, "xl/sharedStrings.xml")
            .unwrap()
            .unwrap();
        xml.get_mut().max_event = 200_000;
        let mut buf = Vec::new();
        let err = loop {
            match next(&mut xml, &mut buf) {
                Ok(Event::Eof) => panic!("read to the end"),
                Ok(_) => {}
                Err(e) => break xml_error(&xml, "共享字符串表", e),
            }
        };
        assert!(
            err.to_string().contains("超过 1 MB 的单个元素或文本"),
            "{err}"
        );
        // At most one chunk past the limit was read, into a buffer that grows by doubling.
        assert!(
            buf.capacity() <= 2 * (200_000 + CHUNK),
            "{}",
            buf.capacity()
        );
    }

    #[test]
    fn date_formats_as_calamine_tells_them() {
        // Codes as they stand in styles.xml (calamine does not unescape them).
        for (code, date) in [
            ("yyyy/m/d", true),
            ("yyyy\"年\"m\"月\"d\"日\"", true),
            ("[h]:mm:ss", true),
            ("[>=100][Magenta][s].00", true),
            ("H:MM:SS;@", true),
            ("0.00", false),
            ("#,##0.0####\" YMD\"", false),
            ("\\Y000000", false),
            ("0_ ;[Red]\\-0\\ ", false),
            ("0&amp;0", true),
            ("[>=100][Magenta].00", false),
            ("@", false),
            ("General", false),
        ] {
            assert_eq!(custom_is_date(code), date, "{code}");
        }
        assert!(builtin_is_date(b"14") && builtin_is_date(b"46") && !builtin_is_date(b"49"));
        assert!(!builtin_is_date(b"014"));
    }
}
