//! Hostile .xls files: calamine holds every sheet of an .xls as a dense grid, so the file is
//! measured before calamine opens it (excel::xls_guard).

mod common;
use common::*;
use std::path::Path;
use taizhang::excel::import::{import_file, ImportOptions};
use taizhang::excel::read::{read_book, Limits};
use taizhang::{Error, Store};

/// A BIFF8 record.
fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// An .xls (a compound file with a BIFF8 workbook stream) with one sheet of the given records.
fn xls_with(path: &Path, sheet_records: &[Vec<u8>], sheet_at: Option<u32>) {
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        biff(0x0809, &d)
    };
    let boundsheet = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, 2, 0]); // visible, worksheet, name of 2 one-byte characters
        d.extend(b"S1");
        biff(0x0085, &d)
    };
    let globals_len = bof(5).len() + boundsheet(0).len() + biff(0x000A, &[]).len();
    let mut stream = bof(5);
    stream.extend(boundsheet(sheet_at.unwrap_or(globals_len as u32)));
    stream.extend(biff(0x000A, &[]));
    stream.extend(bof(0x10));
    for r in sheet_records {
        stream.extend(r);
    }
    stream.extend(biff(0x000A, &[]));
    let mut cfb = cfb::create(path).unwrap();
    let mut w = cfb.create_stream("/Workbook").unwrap();
    std::io::Write::write_all(&mut w, &stream).unwrap();
    drop(w);
    cfb.flush().unwrap();
}

fn number(row: u16, col: u16) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(1.0f64.to_le_bytes());
    biff(0x0203, &d)
}

/// calamine holds an .xls sheet as a dense grid and reserves what DIMENSIONS claims: a tiny
/// file naming two far-apart cells, or claiming billions of rows, is refused before that.
#[test]
fn hostile_xls_is_refused_before_it_is_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    let opts = ImportOptions::default();
    let refused = |s: &mut Store, p: &Path, needle: &str| {
        let start = std::time::Instant::now();
        match import_file(s, p, &opts) {
            Err(Error::BadFile(m)) => assert!(m.contains(needle), "{m}"),
            Err(e) => panic!("wrong error {e}"),
            Ok(_) => panic!("accepted"),
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    };
    // A1 and IV65536: 16.7 million cells for two.
    let far = dir.path().join("far.xls");
    xls_with(&far, &[number(0, 0), number(65535, 255)], None);
    assert!(std::fs::metadata(&far).unwrap().len() < 100_000);
    refused(&mut s, &far, "范围过大");
    // DIMENSIONS claiming four billion rows.
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend(u32::MAX.to_le_bytes());
    dims.extend([0, 0, 255, 0, 0, 0]);
    let tall = dir.path().join("tall.xls");
    xls_with(&tall, &[biff(0x0200, &dims), number(0, 0)], None);
    refused(&mut s, &tall, "范围过大");
    // A sheet said to start beyond the end of the workbook stream.
    let lost = dir.path().join("lost.xls");
    xls_with(&lost, &[number(0, 0)], Some(1 << 30));
    refused(&mut s, &lost, "无法读取");
    // The same construction with cells close together passes the check (and is then read).
    let near = dir.path().join("near.xls");
    xls_with(&near, &[number(0, 0), number(3, 2)], None);
    let book = read_book(&near, &Limits::default()).unwrap();
    assert_eq!(book.sheets[0].rows.len(), 2);
}
