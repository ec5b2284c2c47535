//! A part of the package opened for quick-xml: inflated a chunk at a time, no larger than
//! the zip directory declares, no XML event longer than `MAX_EVENT`; and the errors its
//! reading gives.

use crate::error::{Error, Result};
use crate::excel::read::bad;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::fmt::Display;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use zip::read::ZipFile;
use zip::result::ZipError;
use zip::ZipArchive;

pub(in crate::excel) type Zip = ZipArchive<BufReader<File>>;

/// Bytes inflated at a time for the parser.
const CHUNK: usize = 64 * 1024;
/// The longest single XML element or text accepted. Excel keeps a cell's text under 32,767
/// characters; anything near this is a hostile file, refused before it fills memory.
const MAX_EVENT: usize = 64 << 20;

/// A zip entry's inflated bytes for the XML parser: no more than the zip directory declares
/// (the sizes `check_zip` measured), and no single XML event longer than `MAX_EVENT`.
pub(in crate::excel) struct Part<'a> {
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
    pub(in crate::excel) fn event_start(&mut self) {
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

pub(in crate::excel) type Xml<'a> = Reader<Part<'a>>;

/// An XML part of the package, as calamine's `xml_reader` opens it (the name matched without
/// regard to case or slash direction); `None` when the package has no such part.
pub(in crate::excel) fn open_part<'a>(zip: &'a mut Zip, path: &str) -> Result<Option<Xml<'a>>> {
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
pub(in crate::excel) fn next<'b>(
    xml: &mut Xml<'_>,
    buf: &'b mut Vec<u8>,
) -> std::result::Result<Event<'b>, quick_xml::Error> {
    buf.clear();
    xml.get_mut().event_start();
    xml.read_event_into(buf)
}

/// A failure reading `what` (a part or a sheet, in words), as the user is told it.
pub(in crate::excel) fn broken(what: &str, why: impl Display) -> Error {
    bad(&format!("{what}{why}"))
}

/// A parser error: the part's refusal if it refused, else where the XML is wrong.
pub(in crate::excel) fn xml_error(xml: &Xml<'_>, what: &str, e: impl Display) -> Error {
    match &xml.get_ref().refused {
        Some(why) => Error::BadFile(why.clone()),
        None => broken(
            what,
            format!("的 XML 有误（第 {} 字节附近：{e}）", xml.error_position()),
        ),
    }
}

/// A start tag's `key` attribute as its bytes stand and its `text` attribute decoded but not
/// unescaped (as calamine takes relationship targets and number-format codes); empty when
/// absent, the last one when repeated.
pub(super) fn key_and_text(
    xml: &Xml<'_>,
    e: &quick_xml::events::BytesStart<'_>,
    what: &str,
    key: &[u8],
    text: &[u8],
) -> Result<(Vec<u8>, String)> {
    let err = |e: quick_xml::Error| xml_error(xml, what, e);
    let (mut k, mut t) = (Vec::new(), String::new());
    for a in e.attributes() {
        let a = a.map_err(|e| err(e.into()))?;
        if a.key.as_ref() == key {
            k.extend_from_slice(&a.value);
        } else if a.key.as_ref() == text {
            t = xml
                .decoder()
                .decode(&a.value)
                .map_err(|e| err(e.into()))?
                .into_owned();
        }
    }
    Ok((k, t))
}

/// The document ends before `</{element}>`.
pub(in crate::excel) fn cut(what: &str, element: &str) -> Error {
    broken(what, format!("不完整（在 </{element}> 之前就结束了）"))
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::excel::book_xml::strings::read_shared_strings;

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
        assert_eq!(
            read_shared_strings(&mut zip, &Default::default())
                .unwrap()
                .len(),
            2
        );
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
}
