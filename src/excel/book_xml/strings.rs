//! Texts as calamine keeps them (line ends, Excel's `_xHHHH_` escapes, entities), string
//! items (`<si>`, `<is>`) and the shared strings table.

use super::part::{broken, cut, next, open_part, xml_error, Xml, Zip};
use crate::error::Result;
use crate::excel::read::{too_many_strings, Limits, STRING_OVERHEAD};
use quick_xml::events::{BytesRef, BytesText, Event};
use quick_xml::name::QName;
use std::borrow::Cow;
use std::fmt::Display;

/// Text the part's encoding cannot decode.
fn undecodable(e: impl Display) -> String {
    format!("含有无法解码的文字（{e}）")
}
/// A text node's characters as calamine keeps them in `<v>`: decoded, line ends normalised.
pub(in crate::excel) fn push_text(
    out: &mut String,
    t: &BytesText<'_>,
) -> std::result::Result<(), String> {
    let text = t.xml10_content().map_err(undecodable)?;
    out.push_str(&text);
    Ok(())
}

/// A text node of a string (`<t>`) as calamine keeps it: decoded, line ends normalised, and
/// Excel's `_xHHHH_` escapes undone as `push_unescaped` does.
pub(in crate::excel) fn push_string_text(
    out: &mut String,
    t: &BytesText<'_>,
) -> std::result::Result<(), String> {
    let text = t.xml10_content().map_err(undecodable)?;
    push_unescaped(out, &text);
    Ok(())
}

/// XML 1.0's line-end normalisation as quick-xml's `xml10_content` does it: `\r\n` and a
/// lone `\r` become `\n`.
pub(in crate::excel) fn normalize_eols(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A string's text with Excel's escapes undone as calamine's `unescape_xml` does: only
/// `_x00HH_`, as one Latin-1 character (so `_x000D_` is a carriage return and
/// `_x005F_x000D_` the text `_x000D_`); anything else is left as it is.
pub(in crate::excel) fn push_unescaped(out: &mut String, text: &str) {
    // Most texts have no underscore at all: a byte scan, not a substring search.
    if !text.as_bytes().contains(&b'_') || !text.contains("_x00") {
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
pub(in crate::excel) fn push_ref(
    out: &mut String,
    r: &BytesRef<'_>,
) -> std::result::Result<(), String> {
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
pub(in crate::excel) struct StringBufs {
    events: Vec<u8>,
    text: Vec<u8>,
}

/// A string item (`<si>`, `<is>`) up to its end tag `closing`, as calamine's `read_string`
/// reads it: the first `<t>`, or the `<t>` of every rich-text run `<r>` joined, never the
/// phonetic guide `<rPh>`; no text at all is the empty string.
pub(in crate::excel) fn read_string(
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

/// `xl/sharedStrings.xml`, every `<si>` in order (none without the part); refused past
/// `limits.max_strings_bytes`.
pub(super) fn read_shared_strings(zip: &mut Zip, limits: &Limits) -> Result<Vec<String>> {
    let Some(mut xml) = open_part(zip, "xl/sharedStrings.xml")? else {
        return Ok(Vec::new());
    };
    let what = SHARED_STRINGS;
    // Not sized by the part's `uniqueCount`: a file's claims allocate nothing.
    let mut strings = Vec::new();
    let mut buf = Vec::with_capacity(1024);
    let mut bufs = StringBufs::default();
    let mut held: u64 = 0;
    loop {
        match next(&mut xml, &mut buf).map_err(|e| xml_error(&xml, what, e))? {
            Event::Start(e) if e.local_name().as_ref() == b"si" => {
                let closing = e.name().as_ref().to_vec();
                let text = read_string(&mut xml, &closing, &mut bufs, what)?;
                held += text.len() as u64 + STRING_OVERHEAD;
                if held > limits.max_strings_bytes {
                    return Err(too_many_strings(limits));
                }
                strings.push(text);
            }
            Event::End(e) if e.local_name().as_ref() == b"sst" => return Ok(strings),
            Event::Eof => return Err(cut(what, "sst")),
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
}
