//! The cells in the shapes Excel, WPS and rust_xlsxwriter write, read straight from the
//! inflated bytes; anything else is left to quick-xml's events.

use super::cell::{cell_of, value_of};
use crate::error::Result;
use crate::excel::book_xml::{normalize_eols, push_unescaped, Shared};
use crate::excel::read::Cell;

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
pub(super) struct QuickCell<'b> {
    /// The bytes it takes, leading whitespace included.
    pub(super) len: usize,
    r: Option<&'b [u8]>,
    s: Option<&'b [u8]>,
    t: Option<&'b [u8]>,
    content: Content<'b>,
}

impl<'b> QuickCell<'b> {
    pub(super) fn parse(b: &'b [u8]) -> Option<QuickCell<'b>> {
        // Whitespace between cells is a text event quick-xml would give and we would pass over.
        let i = b.iter().position(|c| !is_space(*c))?;
        if !b[i..].starts_with(b"<c") {
            return None;
        }
        let mut q = QuickCell {
            len: 0,
            r: None,
            s: None,
            t: None,
            content: Content::None,
        };
        let (i, empty) = attributes(b, i + 2, |key, value| match key {
            b"r" => q.r = Some(value),
            b"s" => q.s = Some(value),
            b"t" => q.t = Some(value),
            _ => {}
        })?;
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
    pub(super) fn read(
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

/// The attributes of a start tag from `i` (just after its name) to its end, in the shapes
/// `QuickCell` takes: each given to `found` as (name, value); then where the tag ends and
/// whether it was empty (`/>`).
fn attributes<'b>(
    b: &'b [u8],
    mut i: usize,
    mut found: impl FnMut(&'b [u8], &'b [u8]),
) -> Option<(usize, bool)> {
    let mut keys: [&[u8]; 8] = [b""; 8];
    let mut count = 0;
    loop {
        let spaced = i;
        while b.get(i).is_some_and(|c| is_space(*c)) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => return Some((i + 1, false)),
            b'/' if b.get(i + 1) == Some(&b'>') => return Some((i + 2, true)),
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
        // Values are short (`A1`, `inlineStr`): plain scans beat a vectorised search's set-up.
        let start = i + 2;
        let len = b.get(start..)?.iter().position(|c| *c == quote)?;
        let value = &b[start..start + len];
        if value.iter().any(|c| matches!(c, b'<' | b'&')) {
            return None;
        }
        i = start + len + 1;
        if count == keys.len() || keys[..count].contains(&key) {
            return None;
        }
        keys[count] = key;
        count += 1;
        found(key, value);
    }
}

/// A row's start or end tag at the start of the unread bytes, in the shape quick-xml gives as
/// one event: `<row …>` with plain attributes (as `QuickCell`'s), or `</row>`. An empty
/// `<row …/>` is left to the events (which expand it).
pub(super) enum QuickRow<'b> {
    /// The bytes it takes, and its `r`.
    Start(usize, Option<&'b [u8]>),
    End(usize),
}

impl<'b> QuickRow<'b> {
    pub(super) fn parse(b: &'b [u8]) -> Option<QuickRow<'b>> {
        let i = b.iter().position(|c| !is_space(*c))?;
        let tag = &b[i..];
        if tag.starts_with(b"</row>") {
            return Some(QuickRow::End(i + 6));
        }
        if !tag.starts_with(b"<row") || !tag.get(4).is_some_and(|c| is_space(*c) || *c == b'>') {
            return None;
        }
        let mut r = None;
        let (end, empty) = attributes(b, i + 4, |key, value| {
            if key == b"r" {
                r = Some(value);
            }
        })?;
        (!empty).then_some(QuickRow::Start(end, r))
    }
}

/// XML whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}
