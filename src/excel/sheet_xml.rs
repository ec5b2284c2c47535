//! A worksheet's cells, streamed from its XML with quick-xml by the rules of calamine 0.32's
//! `XlsxCellReader` (positions, implied positions, value types, dates) but straight into our
//! `Cell`s: one allocation per text cell, buffers reused, each cell's attributes read once.
//!
//! Cells in the shapes Excel, WPS and rust_xlsxwriter write — `<c …><v>…</v></c>`,
//! `<c …><is><t>…</t></is></c>`, `<c …/>`, with plain text — are read straight from the
//! inflated bytes between quick-xml's events (`Reader::stream`), a few times faster than as
//! seven events each; anything else in them (an entity, a formula, a cell cut by the end of
//! the buffer) sends the cell to quick-xml's events, which remain the reference.

use super::book_xml::{
    broken, cut, next, normalize_eols, open_part, push_ref, push_text, push_unescaped, read_string,
    xml_error, Package, Shared, StringBufs, Xml,
};
use super::read::Cell;
use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::BufRead;

/// A worksheet being read, cell by cell, in document order.
pub(super) struct SheetCells<'a> {
    xml: Xml<'a>,
    shared: &'a Shared,
    /// The sheet in words, for errors: 工作表“…”.
    what: String,
    last_row: u32,
    /// Where a cell without `r` goes: calamine's `row_index` and `col_index`.
    row: u32,
    col: u32,
    /// The current `<c>` start tag (or other top-level event).
    buf: Vec<u8>,
    /// The events inside a cell.
    inner: Vec<u8>,
    /// The events inside a `<v>` or `<f>`.
    value_buf: Vec<u8>,
    /// A `<v>`'s text.
    v: String,
    strings: StringBufs,
    /// The last event was markup that left quick-xml between elements with nothing pending
    /// (not a text, whose reading took the next `<`; not an empty element's start, whose end
    /// is still to come): the next cell may be read from the bytes.
    between: bool,
    /// The part is UTF-8 (quick-xml decodes others; their cells take the events).
    utf8: bool,
}

impl<'a> SheetCells<'a> {
    /// Open sheet `index` of the package and read up to its cells. `None` when it is not a
    /// worksheet (no `<sheetData>`: a chart sheet), as calamine's `NotAWorksheet`.
    pub(super) fn open(pkg: &'a mut Package, index: usize) -> Result<Option<SheetCells<'a>>> {
        let Package {
            zip,
            sheets,
            shared,
        } = pkg;
        let part = &sheets[index];
        let what = format!("工作表“{}”", part.name);
        let Some(mut xml) = open_part(zip, &part.path)? else {
            return Err(broken(
                &what,
                format!("的内容（{}）在文件中找不到", part.path),
            ));
        };
        let mut buf = Vec::with_capacity(1024);
        let mut last_row = 0;
        // Any element but <dimension> before <sheetData> (the root, <worksheet>, at least)
        // makes a part without <sheetData> "not a worksheet" rather than a cut one.
        let mut seen_element = false;
        let between = loop {
            match next(&mut xml, &mut buf).map_err(|e| xml_error(&xml, &what, e))? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"dimension" => last_row = dimension(&xml, &e, &what)?,
                    b"sheetData" => break !expanded(&buf),
                    name => {
                        if !seen_element {
                            xml.decoder()
                                .decode(name)
                                .map_err(|e| xml_error(&xml, &what, e))?;
                            seen_element = true;
                        }
                    }
                },
                Event::Eof if seen_element => return Ok(None),
                Event::Eof => return Err(cut(&what, "worksheet")),
                _ => {}
            }
        };
        let utf8 = xml.decoder().encoding().name() == "UTF-8";
        Ok(Some(SheetCells {
            xml,
            shared,
            what,
            last_row,
            row: 0,
            col: 0,
            buf,
            inner: Vec::with_capacity(1024),
            value_buf: Vec::with_capacity(256),
            v: String::new(),
            strings: StringBufs::default(),
            between,
            utf8,
        }))
    }

    /// The last row (0-based) the sheet's `<dimension>` claims, 0 without one. Only a hint:
    /// nothing is sized by it.
    pub(super) fn last_row(&self) -> u32 {
        self.last_row
    }

    /// The next cell with a value: its row, column (0-based) and value. Empty cells are
    /// passed over (they only move the implied position on).
    pub(super) fn next_cell(&mut self) -> Result<Option<(u32, u32, Cell)>> {
        let SheetCells {
            xml,
            shared,
            what,
            row,
            col,
            buf,
            inner,
            value_buf,
            v,
            strings,
            between,
            utf8,
            ..
        } = self;
        loop {
            if *between && *utf8 {
                // A cell read from the bytes counts as an event of its own.
                xml.get_mut().event_start();
                let mut stream = xml.stream();
                let bytes = match stream.fill_buf() {
                    Ok(bytes) => bytes,
                    Err(e) => return Err(xml_error(xml, what, e)),
                };
                if let Some(quick) = QuickCell::parse(bytes) {
                    if let Some(found) = quick.read(*row, *col, shared, what) {
                        let (r, c, value) = found?;
                        let len = quick.len;
                        stream.consume(len);
                        *col = c.wrapping_add(1);
                        if let Some(value) = value {
                            return Ok(Some((r, c, value)));
                        }
                        continue;
                    }
                }
            }
            let event = next(xml, buf).map_err(|e| xml_error(xml, what, e))?;
            *between = matches!(event, Event::End(_));
            match event {
                Event::Start(e) => {
                    match e.local_name().as_ref() {
                        b"row" => {
                            let a = Attrs::of(&e, &[b"r"]);
                            match a.values[0] {
                                Some(r) => {
                                    *row = row_of(r).ok_or_else(|| bad_ref(what, "行号", r))?;
                                }
                                None if a.error.is_some() => return Err(a.fail(xml, what)),
                                None => {}
                            }
                            *between = !expanded(buf);
                        }
                        b"c" => {
                            let a = Attrs::of(&e, &[b"r", b"s", b"t"]);
                            let (r, c) = match a.values[0] {
                                Some(at) => {
                                    let (r, c) = cell_of(at)
                                        .ok_or_else(|| bad_ref(what, "单元格位置", at))?;
                                    *col = c;
                                    (r, c)
                                }
                                None if a.error.is_some() => return Err(a.fail(xml, what)),
                                None => (*row, *col),
                            };
                            let mut value = None;
                            loop {
                                let event =
                                    next(xml, inner).map_err(|e| xml_error(xml, what, e))?;
                                match event {
                                    Event::Start(child) => {
                                        value = match child.local_name().as_ref() {
                                            b"is" => {
                                                let s = read_string(
                                                    xml,
                                                    child.name().as_ref(),
                                                    strings,
                                                    what,
                                                )?;
                                                Some(Cell::Text(s))
                                            }
                                            b"v" => {
                                                v.clear();
                                                loop {
                                                    let event = next(xml, value_buf)
                                                        .map_err(|e| xml_error(xml, what, e))?;
                                                    match event {
                                                        Event::Text(t) => push_text(v, &t)
                                                            .map_err(|m| broken(what, m))?,
                                                        Event::GeneralRef(r) => push_ref(v, &r)
                                                            .map_err(|m| broken(what, m))?,
                                                        Event::End(end)
                                                            if end.name() == child.name() =>
                                                        {
                                                            break
                                                        }
                                                        Event::Eof => return Err(cut(what, "v")),
                                                        _ => {}
                                                    }
                                                }
                                                let t = match a.values[2] {
                                                    None if a.error.is_some() => {
                                                        return Err(a.fail(xml, what))
                                                    }
                                                    t => t,
                                                };
                                                value_of(v, t, a.values[1], shared, what)?
                                            }
                                            // A formula: its cached value is the <v> beside it.
                                            b"f" => {
                                                xml.read_to_end_into(child.name(), value_buf)
                                                    .map_err(|e| xml_error(xml, what, e))?;
                                                None
                                            }
                                            other => {
                                                return Err(broken(
                                                    what,
                                                    format!(
                                                        "的单元格含有无法识别的元素 <{}>",
                                                        String::from_utf8_lossy(other)
                                                    ),
                                                ))
                                            }
                                        };
                                    }
                                    Event::End(end) if end.local_name().as_ref() == b"c" => break,
                                    Event::Eof => return Err(cut(what, "c")),
                                    _ => {}
                                }
                            }
                            // The cell's end tag was the last event.
                            *between = true;
                            *col = col.wrapping_add(1);
                            if let Some(value) = value {
                                return Ok(Some((r, c, value)));
                            }
                        }
                        _ => *between = !expanded(buf),
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"row" => {
                        *row = row.wrapping_add(1);
                        *col = 0;
                    }
                    b"sheetData" => return Ok(None),
                    _ => {}
                },
                Event::Eof => return Err(cut(&self.what, "sheetData")),
                _ => {}
            }
        }
    }
}

/// Whether the start tag just read (in `buf`, between `<` and `>`) was an empty element's,
/// `<c …/>`, whose end quick-xml has yet to give.
fn expanded(buf: &[u8]) -> bool {
    buf.last() == Some(&b'/')
}

/// What a cell holds, in the shapes read from the bytes.
enum Content<'b> {
    None,
    /// `<v>…</v>`
    V(&'b [u8]),
    /// `<is><t>…</t></is>`
    Is(&'b [u8]),
}

/// A whole `<c>` element at the start of the unread bytes, in one of the shapes quick-xml
/// would give as the events `next_cell` reads them from — and no other: plain attributes
/// (`name="value"`, whitespace before each, no entity, no `<`, none repeated), and text with
/// neither entity nor markup.
struct QuickCell<'b> {
    /// The bytes it takes, leading whitespace included.
    len: usize,
    r: Option<&'b [u8]>,
    s: Option<&'b [u8]>,
    t: Option<&'b [u8]>,
    content: Content<'b>,
}

impl<'b> QuickCell<'b> {
    fn parse(b: &'b [u8]) -> Option<QuickCell<'b>> {
        // Whitespace between cells is a text event quick-xml would give and we would pass over.
        let mut i = b.iter().position(|c| !is_space(*c))?;
        if !b[i..].starts_with(b"<c") {
            return None;
        }
        i += 2;
        let mut q = QuickCell {
            len: 0,
            r: None,
            s: None,
            t: None,
            content: Content::None,
        };
        let mut keys: [&[u8]; 8] = [b""; 8];
        let mut count = 0;
        let empty = loop {
            let spaced = i;
            while b.get(i).is_some_and(|c| is_space(*c)) {
                i += 1;
            }
            match *b.get(i)? {
                b'>' => {
                    i += 1;
                    break false;
                }
                b'/' if b.get(i + 1) == Some(&b'>') => {
                    i += 2;
                    break true;
                }
                // `<cx`, or attributes run together.
                _ if i == spaced => return None,
                _ => {}
            }
            let name = i;
            while b.get(i).is_some_and(|c| {
                !is_space(*c) && !matches!(c, b'=' | b'/' | b'>' | b'<' | b'"' | b'\'' | b'&')
            }) {
                i += 1;
            }
            if i == name || b.get(i) != Some(&b'=') {
                return None;
            }
            let key = &b[name..i];
            let quote = *b.get(i + 1)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let start = i + 2;
            let len = memchr::memchr(quote, b.get(start..)?)?;
            let value = &b[start..start + len];
            if memchr::memchr2(b'<', b'&', value).is_some() {
                return None;
            }
            i = start + len + 1;
            if count == keys.len() || keys[..count].contains(&key) {
                return None;
            }
            keys[count] = key;
            count += 1;
            match key {
                b"r" => q.r = Some(value),
                b"s" => q.s = Some(value),
                b"t" => q.t = Some(value),
                _ => {}
            }
        };
        if empty {
            q.len = i;
            return Some(q);
        }
        let rest = &b[i..];
        if rest.starts_with(b"</c>") {
            q.len = i + 4;
            return Some(q);
        }
        let (open, close): (&[u8], &[u8]) = if rest.starts_with(b"<v>") {
            (b"<v>", b"</v></c>")
        } else if rest.starts_with(b"<is><t>") {
            (b"<is><t>", b"</t></is></c>")
        } else if rest.starts_with(b"<is><t xml:space=\"preserve\">") {
            (b"<is><t xml:space=\"preserve\">", b"</t></is></c>")
        } else {
            return None;
        };
        let start = i + open.len();
        let end = start + memchr::memchr2(b'<', b'&', b.get(start..)?)?;
        if !b[end..].starts_with(close) {
            return None;
        }
        let text = &b[start..end];
        q.content = if open == b"<v>" {
            Content::V(text)
        } else {
            Content::Is(text)
        };
        q.len = end + close.len();
        Some(q)
    }

    /// The cell's position and value, as `next_cell` gives them from quick-xml's events;
    /// `None` when it should read them so (a reference or text it would refuse).
    fn read(
        &self,
        row: u32,
        col: u32,
        shared: &Shared,
        what: &str,
    ) -> Option<Result<(u32, u32, Option<Cell>)>> {
        let (r, c) = match self.r {
            Some(at) => cell_of(at)?,
            None => (row, col),
        };
        let value = match self.content {
            Content::None => Ok(None),
            Content::V(text) => {
                let text = normalize_eols(std::str::from_utf8(text).ok()?);
                value_of(&text, self.t, self.s, shared, what)
            }
            Content::Is(text) => {
                let text = normalize_eols(std::str::from_utf8(text).ok()?);
                let mut s = String::new();
                push_unescaped(&mut s, &text);
                Ok(Some(Cell::Text(s)))
            }
        };
        Some(value.map(|v| (r, c, v)))
    }
}

/// XML whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A `<v>`'s text as the cell's value, by the cell's type `t` and style `s` (calamine's
/// `read_v`). `None`: an empty number.
fn value_of(
    v: &str,
    t: Option<&[u8]>,
    s: Option<&[u8]>,
    shared: &Shared,
    what: &str,
) -> Result<Option<Cell>> {
    // Without `s` a number is a number; a style out of the table's range is no date either.
    let date = match s {
        Some(s) => shared.dates.get(parse_index(s)).copied().unwrap_or(false),
        None => false,
    };
    let number = |n: f64| {
        if date {
            let dt = calamine::ExcelDateTime::new(
                n,
                calamine::ExcelDateTimeType::DateTime,
                shared.is_1904,
            );
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cell::Date(y as i32, m as u32, d as u32)
        } else {
            Cell::Number(n)
        }
    };
    Ok(Some(match t {
        Some(b"s") => match shared.strings.get(parse_index(v.as_bytes())) {
            Some(s) => Cell::Text(s.clone()),
            None => return Err(broken(what, format!("引用的共享字符串（第 {v} 个）不存在"))),
        },
        Some(b"b") => Cell::Bool(v != "0"),
        Some(b"e") => match v.parse::<calamine::CellErrorType>() {
            Ok(e) => Cell::Error(format!("{e:?}")),
            Err(_) => return Err(broken(what, format!("的错误值“{v}”无法识别"))),
        },
        // An ISO 8601 date (t="d"), kept as its text as calamine's DateTimeIso.
        Some(b"d" | b"str") => Cell::Text(v.to_owned()),
        Some(b"n") if v.is_empty() => return Ok(None),
        Some(b"n") => match v.parse::<f64>() {
            Ok(n) => number(n),
            Err(_) => return Err(broken(what, format!("的数值“{v}”无效"))),
        },
        None => match v.parse::<f64>() {
            Ok(n) => number(n),
            Err(_) => Cell::Text(v.to_owned()),
        },
        Some(t) => {
            return Err(broken(
                what,
                format!("的单元格类型“{}”不能带 <v> 值", String::from_utf8_lossy(t)),
            ))
        }
    }))
}

/// The attributes `names` of a start tag, each its first value, read in one pass — as
/// calamine looks each up: up to the first malformed or repeated attribute, which fails a
/// lookup only of an attribute not found before it.
struct Attrs<'e, const N: usize> {
    values: [Option<&'e [u8]>; N],
    error: Option<String>,
}

impl<'e, const N: usize> Attrs<'e, N> {
    fn of(e: &'e BytesStart<'_>, names: &[&[u8]; N]) -> Attrs<'e, N> {
        let mut values = [None; N];
        // The keys seen, to refuse a repeated one as quick-xml's own check would, without
        // its allocation per tag (a cell has three attributes or so).
        let mut keys: [&[u8]; 8] = [b""; 8];
        let mut more: Vec<&[u8]> = Vec::new();
        let mut it = e.attributes();
        it.with_checks(false);
        for (count, a) in it.enumerate() {
            let a = match a {
                Ok(a) => a,
                Err(err) => {
                    return Attrs {
                        values,
                        error: Some(err.to_string()),
                    }
                }
            };
            let key = a.key.into_inner();
            if keys[..count.min(8)].contains(&key) || more.contains(&key) {
                return Attrs {
                    values,
                    error: Some(format!("属性“{}”重复", String::from_utf8_lossy(key))),
                };
            }
            match keys.get_mut(count) {
                Some(slot) => *slot = key,
                None => more.push(key),
            }
            if let Some(i) = names.iter().position(|n| *n == key) {
                // Only a value borrowed from the tag counts (calamine's `get_attribute`).
                if values[i].is_none() {
                    if let Cow::Borrowed(v) = a.value {
                        values[i] = Some(v);
                    }
                }
            }
        }
        Attrs {
            values,
            error: None,
        }
    }

    fn fail(&self, xml: &Xml<'_>, what: &str) -> Error {
        let why = self.error.as_deref().unwrap_or_default();
        broken(
            what,
            format!(
                "的 XML 有误（第 {} 字节之前的标记属性有误：{why}）",
                xml.buffer_position()
            ),
        )
    }
}

fn bad_ref(what: &str, kind: &str, r: &[u8]) -> Error {
    broken(
        what,
        format!("的{kind}“{}”无效", String::from_utf8_lossy(r)),
    )
}

/// The last row of a `<dimension ref="A1:P100001">` (calamine's `get_dimension`: one or two
/// cell references, each with a column).
fn dimension(xml: &Xml<'_>, e: &BytesStart<'_>, what: &str) -> Result<u32> {
    for a in e.attributes() {
        let a = a.map_err(|e| xml_error(xml, what, e))?;
        if a.key.into_inner() == b"ref" {
            let mut parts = 0;
            let mut last = 0;
            for part in a.value.split(|b| *b == b':') {
                let (r, _) = cell_of(part).ok_or_else(|| bad_ref(what, "范围", &a.value))?;
                last = r;
                parts += 1;
            }
            if parts > 2 {
                return Err(bad_ref(what, "范围", &a.value));
            }
            return Ok(last);
        }
    }
    Err(broken(what, "的 <dimension> 缺少 ref 属性"))
}

/// A cell reference such as `B12` → (11, 1) (0-based), as calamine's
/// `get_row_and_optional_column` reads it (letters either case, leading zeros), except that
/// a row or column past `u32` is refused rather than wrapped.
fn row_col(r: &[u8]) -> Option<(u32, Option<u32>)> {
    let (mut row, mut col) = (0u64, 0u64);
    let mut pow = 1u64;
    let mut in_row = true;
    for &b in r.iter().rev() {
        match b {
            b'0'..=b'9' if in_row => {
                row = row.checked_add(u64::from(b - b'0').checked_mul(pow)?)?;
                pow = pow.saturating_mul(10);
            }
            b'A'..=b'Z' | b'a'..=b'z' => {
                if in_row {
                    if row == 0 {
                        return None;
                    }
                    pow = 1;
                    in_row = false;
                }
                let digit = u64::from(b.to_ascii_uppercase() - b'A' + 1);
                col = col.checked_add(digit.checked_mul(pow)?)?;
                pow = pow.saturating_mul(26);
            }
            _ => return None,
        }
    }
    let row = u32::try_from(row.checked_sub(1)?).ok()?;
    let col = u32::try_from(col).ok()?;
    Some((row, col.checked_sub(1)))
}

/// A cell's `r`: row and column.
fn cell_of(r: &[u8]) -> Option<(u32, u32)> {
    match row_col(r)? {
        (row, Some(col)) => Some((row, col)),
        _ => None,
    }
}

/// A row's `r` (a column there is ignored).
fn row_of(r: &[u8]) -> Option<u32> {
    row_col(r).map(|(row, _)| row)
}

/// An index attribute or value as calamine reads it (`atoi_simd::parse::<usize>`, 0 when it
/// is not 1 to 20 digits that fit).
fn parse_index(s: &[u8]) -> usize {
    if s.is_empty() || s.len() > 20 || !s.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    s.iter()
        .try_fold(0u64, |n, b| {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        })
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_as_calamine_reads_them() {
        assert_eq!(cell_of(b"A1"), Some((0, 0)));
        assert_eq!(cell_of(b"XFD1048576"), Some((1048575, 16383)));
        assert_eq!(cell_of(b"ab0010"), Some((9, 27)));
        assert_eq!(cell_of(b"A0"), None);
        assert_eq!(cell_of(b"12"), None);
        assert_eq!(cell_of(b"A"), None);
        assert_eq!(cell_of(b"1A"), None);
        assert_eq!(cell_of(b"A$1"), None);
        assert_eq!(cell_of(b"A99999999999"), None);
        assert_eq!(cell_of(b"ZZZZZZZZZZZZZZZZ1"), None);
        assert_eq!(row_of(b"7"), Some(6));
        assert_eq!(row_of(b"C7"), Some(6));
        assert_eq!(parse_index(b"007"), 7);
        assert_eq!(parse_index(b"+7"), 0);
        assert_eq!(parse_index(b""), 0);
        assert_eq!(parse_index(b"99999999999999999999"), 0);
    }
}
