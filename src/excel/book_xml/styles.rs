//! `xl/styles.xml`: which cell styles calamine takes for dates.

use super::part::{cut, key_and_text, next, open_part, xml_error, Xml, Zip};
use crate::error::Result;
use quick_xml::events::Event;
use quick_xml::name::QName;
use std::collections::BTreeMap;

const STYLES: &str = "样式表（xl/styles.xml）";

/// `xl/styles.xml`: for each cell style (`cellXfs/xf`), whether calamine takes its number
/// format for a date — a custom format (`numFmts`) by calamine's test of its code, else a
/// built-in one by its id.
pub(super) fn read_styles(zip: &mut Zip) -> Result<Vec<bool>> {
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
                        let (id, code) = key_and_text(&xml, &e, what, b"numFmtId", b"formatCode")?;
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
#[cfg(test)]
mod tests {
    use super::*;

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
