//! A worksheet's cells, streamed from its XML with quick-xml by the rules of calamine 0.32's
//! `XlsxCellReader` (positions, implied positions, value types, dates) but straight into our
//! `Cell`s: one allocation per text cell, buffers reused, each cell's attributes read once.
//!
//! Cells in the shapes Excel, WPS and rust_xlsxwriter write — `<c …><v>…</v></c>`,
//! `<c …><is><t>…</t></is></c>`, `<c …/>`, with plain text — and the `<row …>` / `</row>`
//! tags around them are read straight from the
//! inflated bytes between quick-xml's events (`Reader::stream`), a few times faster than as
//! seven events each; anything else in them (an entity, a formula, a cell cut by the end of
//! the buffer) sends the cell to quick-xml's events, which remain the reference.
//!
//! This module walks the sheet's events; `quick` reads the common cells from the bytes,
//! `cell` gives a cell's position and value from its attributes and text.

mod cell;
pub(super) use cell::shown_as_date;
mod quick;

use self::cell::{bad_ref, cell_of, row_of, value_of, Attrs};
use self::quick::{QuickCell, QuickRow};
use super::book_xml::{
    broken, cut, next, open_part, push_ref, push_text, read_string, xml_error, Package, Shared,
    StringBufs, Xml,
};
use super::read::Cell;
use crate::error::Result;
use quick_xml::events::{BytesStart, Event};
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
                // A row's tags, as the events below would take them (a row number they
                // would refuse is left to them, for the same error).
                match QuickRow::parse(bytes) {
                    Some(QuickRow::Start(len, r)) => {
                        let at = match r {
                            Some(r) => row_of(r),
                            None => Some(*row),
                        };
                        if let Some(at) = at {
                            stream.consume(len);
                            *row = at;
                            continue;
                        }
                    }
                    Some(QuickRow::End(len)) => {
                        stream.consume(len);
                        *row = row.wrapping_add(1);
                        *col = 0;
                        continue;
                    }
                    None => {}
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
