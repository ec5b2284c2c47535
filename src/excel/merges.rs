//! Merged ranges of an .xlsx without parsing its sheets twice. They are listed after a sheet's
//! cells (`<mergeCell ref="A1:P1"/>`); calamine finds them by parsing the whole sheet XML
//! again, which for a big roster costs as much as reading it. Here the decompressed XML is
//! only searched for the elements. `None` (an unusual package) means: ask calamine.

use super::read::Merge;
use memchr::memmem;
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

/// Merged ranges by worksheet name.
pub(super) fn scan(path: &Path) -> Option<HashMap<String, Vec<Merge>>> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
    let workbook = entry_text(&mut zip, "xl/workbook.xml")?;
    let rels = entry_text(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let targets: HashMap<String, String> = elements(&rels, "Relationship")
        .filter_map(|tag| Some((attr(tag, "Id")?, attr(tag, "Target")?)))
        .collect();
    let mut out = HashMap::new();
    for tag in elements(&workbook, "sheet") {
        let name = attr(tag, "name")?;
        let rid = attr(tag, "r:id")?;
        let target = targets.get(&rid)?;
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        let merges = match zip.by_name(&path) {
            Ok(entry) => merges_in(entry)?,
            // A sheet without a part (nothing calamine can read either).
            Err(_) => Vec::new(),
        };
        out.insert(name, merges);
    }
    Some(out)
}

fn entry_text<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let mut s = String::new();
    zip.by_name(name)
        .ok()?
        .take(16 << 20)
        .read_to_string(&mut s)
        .ok()?;
    Some(s)
}

/// The start tags `<name …>` (or `<prefix:name …>`) of a small XML document.
fn elements<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    xml.split('<').skip(1).filter_map(move |t| {
        let tag = t.split('>').next()?;
        let local = tag.split([' ', '\t', '\r', '\n', '/']).next()?;
        let local = local.rsplit(':').next()?;
        (local == name).then_some(tag)
    })
}

/// An attribute's value, unescaped.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let at = rest.find(name)?;
        let before = rest[..at].chars().last();
        let after = &rest[at + name.len()..];
        let after = after.trim_start();
        if before.is_some_and(char::is_whitespace) && after.starts_with('=') {
            let value = after[1..].trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let end = value[1..].find(quote)?;
            return Some(unescape(&value[1..1 + end]));
        }
        rest = &rest[at + name.len()..];
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let entity = &tail[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Search a sheet's XML, chunk by chunk, for `mergeCell` elements and read their `ref`.
fn merges_in(mut entry: impl Read) -> Option<Vec<Merge>> {
    const CHUNK: usize = 1 << 16;
    // Long enough to hold any one `<mergeCell ref="…"/>` cut by a chunk boundary.
    const KEEP: usize = 512;
    let finder = memmem::Finder::new(b"mergeCell");
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + KEEP);
    let mut out = Vec::new();
    loop {
        let start = buf.len();
        buf.resize(start + CHUNK, 0);
        let n = entry.read(&mut buf[start..]).ok()?;
        buf.truncate(start + n);
        let mut searched = 0;
        while let Some(i) = finder.find(&buf[searched..]) {
            let at = searched + i;
            let Some(close) = buf[at..].iter().position(|b| *b == b'>') else {
                break; // the tag goes on in the next chunk
            };
            let is_start = at > 0 && matches!(buf[at - 1], b'<' | b':');
            let tag = &buf[at + "mergeCell".len()..at + close];
            if is_start && tag.first().is_some_and(u8::is_ascii_whitespace) {
                let tag = std::str::from_utf8(tag).ok()?;
                if let Some(r) = attr(tag, "ref") {
                    out.push(parse_ref(&r)?);
                }
            }
            searched = at + close;
        }
        if n == 0 {
            return Some(out);
        }
        let keep_from = searched.max(buf.len().saturating_sub(KEEP));
        buf.drain(..keep_from);
    }
}

/// `A1:C2` → (0, 0, 1, 2); a single cell `B3` → (2, 1, 2, 1).
fn parse_ref(r: &str) -> Option<Merge> {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (r0, c0) = cell(a)?;
    let (r1, c1) = cell(b)?;
    Some((r0, c0, r1, c1))
}

fn cell(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('$');
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in s[..letters].bytes() {
        col = col * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32;
    }
    let row: u32 = s[letters..].trim_start_matches('$').parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_and_attributes() {
        assert_eq!(parse_ref("A1:P1"), Some((0, 0, 0, 15)));
        assert_eq!(parse_ref("AB10:AC12"), Some((9, 27, 11, 28)));
        assert_eq!(
            attr(
                r#"sheet name="花名册 &amp; 说明" sheetId="1" r:id="rId1"/"#,
                "name"
            )
            .as_deref(),
            Some("花名册 & 说明")
        );
        assert_eq!(
            attr(r#"sheet name="a" r:id="rId7""#, "r:id").as_deref(),
            Some("rId7")
        );
        let xml = br#"<sheetData/><mergeCells count="2"><mergeCell ref="A1:C1"/><x:mergeCell ref="B2:B3"/></mergeCells>"#;
        assert_eq!(merges_in(&xml[..]), Some(vec![(0, 0, 0, 2), (1, 1, 2, 1)]));
    }
}
