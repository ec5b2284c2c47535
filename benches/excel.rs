//! City-scale Excel benchmark (see BENCHMARKS.md): a 100,000-member roster.
//!
//! `cargo bench --bench excel [-- MEMBERS [ROUNDS]]` runs eight phases, each in its own child
//! process so that its peak memory (VmHWM) is its own:
//!   raw-write  rust_xlsxwriter writing the roster's cells (also makes the input file)
//!   raw-read   calamine reading every cell of it (with the app's allocator, mimalloc)
//!   raw-read-system  the same with glibc's allocator (the faster of the two is the reference)
//!   raw-sqlite bare prepared INSERTs of the same members and change-log entries into the
//!              ledger's schema, values made beforehand: what SQLite alone costs
//!   raw-pipeline  calamine's cell reader on one thread feeding those bare INSERTs on another,
//!              nothing checked: the floor of any streamed import
//!   import     our full import: parse, detect, validate, write to SQLite (one transaction)
//!   raw-write-export  rust_xlsxwriter writing the cells our export writes (its 21 columns:
//!              the roster's 16, 党员状态, the hidden 系统编号, three empty ones), unformatted
//!   export     our export of the imported ledger with the same template

/// The allocator the app's binaries use (mimalloc: src/bin/taizhang/main.rs,
/// src-tauri/src/main.rs), or glibc's when the environment says `BENCH_ALLOCATOR=system`, so
/// the raw read can be measured with both and the faster taken as the reference.
#[global_allocator]
static ALLOCATOR: Switch = Switch;

struct Switch;

/// 0: not decided yet, 1: mimalloc, 2: the system's. Decided at the first allocation, before
/// anything could have been allocated by the other.
static WHICH: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

impl Switch {
    fn system() -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        match WHICH.load(Relaxed) {
            1 => false,
            2 => true,
            _ => {
                // getenv does not allocate.
                let name = c"BENCH_ALLOCATOR";
                let v = unsafe { libc::getenv(name.as_ptr()) };
                let system =
                    !v.is_null() && unsafe { std::ffi::CStr::from_ptr(v) }.to_bytes() == b"system";
                WHICH.store(if system { 2 } else { 1 }, Relaxed);
                system
            }
        }
    }
}

unsafe impl std::alloc::GlobalAlloc for Switch {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        if Self::system() {
            std::alloc::System.alloc(l)
        } else {
            mimalloc::MiMalloc.alloc(l)
        }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        if Self::system() {
            std::alloc::System.dealloc(p, l)
        } else {
            mimalloc::MiMalloc.dealloc(p, l)
        }
    }
    unsafe fn alloc_zeroed(&self, l: std::alloc::Layout) -> *mut u8 {
        if Self::system() {
            std::alloc::System.alloc_zeroed(l)
        } else {
            mimalloc::MiMalloc.alloc_zeroed(l)
        }
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, n: usize) -> *mut u8 {
        if Self::system() {
            std::alloc::System.realloc(p, l, n)
        } else {
            mimalloc::MiMalloc.realloc(p, l, n)
        }
    }
}

use calamine::Reader;
use rust_xlsxwriter::Workbook;
use std::path::Path;
use std::process::Command;
use std::time::Instant;
use taizhang::excel::export::{export, ExportOptions};
use taizhang::excel::import::{import_file, ImportOptions};
use taizhang::model::validate::id_number_check_char;
use taizhang::Store;

const HEADERS: [&str; 16] = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "民族",
    "出生日期",
    "学历",
    "人员类别",
    "所在党支部",
    "手机号码",
    "入党日期",
    "转正日期",
    "工作单位",
    "工作岗位",
    "是否流动党员",
    "是否失联党员",
];

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

fn roster_cells(i: usize) -> [String; 16] {
    // A distinct (birth date, sequence) per row: 1,000 people per birth date.
    let birth = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap()
        + chrono::Days::new((i / 1000) as u64 * 37);
    let (y, m, d) = (
        chrono::Datelike::year(&birth) as usize,
        chrono::Datelike::month(&birth) as usize,
        chrono::Datelike::day(&birth) as usize,
    );
    let first = format!("330123{y:04}{m:02}{d:02}{:03}", i % 1000);
    let idn = format!("{first}{}", id_number_check_char(&first).unwrap());
    let male = (i % 1000) % 2 == 1;
    let branch = i / 50; // 2,000 branches of 50
    let joined_y = y + 25;
    [
        (i + 1).to_string(),
        format!("党员{i:06}"),
        if male { "男" } else { "女" }.into(),
        idn,
        "汉族".into(),
        format!("{y:04}-{m:02}-{d:02}"),
        "大学本科".into(),
        "正式党员".into(),
        format!("中共某市第{branch:04}非公企业支部委员会"),
        format!("138{:08}", i),
        format!("{joined_y:04}-{m:02}-{d:02}"),
        format!("{:04}-{m:02}-{d:02}", joined_y + 1),
        format!("某市第{branch:04}科技有限公司"),
        "职员".into(),
        "否".into(),
        "否".into(),
    ]
}

fn raw_write(path: &Path, n: usize) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..n {
        for (c, v) in roster_cells(i).iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// The cells of the members template as the export writes them: numbers for 序号 and dates,
/// text otherwise, nothing for the empty columns.
fn raw_write_export(path: &Path, n: usize) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory();
    let headers = [
        "序号",
        "姓名",
        "性别",
        "公民身份号码",
        "民族",
        "出生日期",
        "学历",
        "人员类别",
        "所在党支部",
        "手机号码",
        "入党日期",
        "转正日期",
        "工作单位",
        "工作岗位",
        "是否流动党员",
        "流向",
        "是否失联党员",
        "党员状态",
        "党费基数",
        "备注",
        "系统编号",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    let serial = |s: &str| (s.parse::<chrono::NaiveDate>().unwrap() - epoch).num_days() as f64;
    for i in 0..n {
        let r = i as u32 + 3;
        let v = roster_cells(i);
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        for (c, k) in [
            (1, 1),
            (2, 2),
            (3, 3),
            (4, 4),
            (6, 6),
            (7, 7),
            (8, 8),
            (9, 9),
        ] {
            ws.write_string(r, c, &v[k]).unwrap();
        }
        for (c, k) in [(5, 5), (10, 10), (11, 11)] {
            ws.write_number(r, c, serial(&v[k])).unwrap();
        }
        for (c, k) in [(12, 12), (13, 13), (14, 14), (16, 15)] {
            ws.write_string(r, c, &v[k]).unwrap();
        }
        ws.write_string(r, 17, "正常").unwrap();
        ws.write_string(r, 20, taizhang::model::Id::new().to_string())
            .unwrap();
    }
    wb.save(path).unwrap();
}

/// The connection settings of an import: the ledger's (`Store::open`), with the rollback
/// journal a bulk load runs in (`Store::write_bulk_or_rollback`).
const PRAGMAS: &str = "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;";
const INSERT_LOG: &str = "INSERT INTO change_log(id, device_id, device_seq, actor, at, entity, record_id, parent_id, op, changes, bases) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, NULL, 'insert', ?7, '{}')";
const INSERT_ORG: &str = "INSERT INTO org (id, created_at, updated_at, device_id, name, org_type, formation, term_years, status) VALUES (?1, ?2, ?2, ?3, ?4, '党支部', '单独组建', 3, '正常')";
const INSERT_UNIT: &str = "INSERT INTO unit (id, created_at, updated_at, device_id, name, category, above_scale, legal_rep_is_member, has_union, has_youth_league, has_womens_federation, status) VALUES (?1, ?2, ?2, ?3, ?4, '民营企业', 0, 0, 0, 0, 0, '正常')";
const INSERT_MEMBER: &str = "INSERT INTO member (id, created_at, updated_at, device_id, name, gender, ethnicity, id_number, birth_date, education, category, status, joined_on, confirmed_on, org_id, work_unit_id, work_unit_name, job, phone, is_mobile, is_lost_contact, payer_kind) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '在册', ?11, ?12, ?13, ?14, ?15, ?16, ?17, 0, 0, '在职')";

/// A member's insert change-log entry as the import writes it, from the roster's cells.
fn member_changes(v: &[String], org_id: &str, unit_id: &str) -> String {
    format!(
        r#"{{"birth_date":[null,"{}"],"category":[null,"{}"],"confirmed_on":[null,"{}"],"education":[null,"{}"],"ethnicity":[null,"{}"],"gender":[null,"{}"],"id_number":[null,"{}"],"is_lost_contact":[null,false],"is_mobile":[null,false],"job":[null,"{}"],"joined_on":[null,"{}"],"name":[null,"{}"],"org_id":[null,"{}"],"payer_kind":[null,"在职"],"phone":[null,"{}"],"status":[null,"在册"],"work_unit_id":[null,"{}"],"work_unit_name":[null,"{}"]}}"#,
        v[5], v[7], v[11], v[6], v[4], v[2], v[3], v[13], v[10], v[1], org_id, v[9], unit_id, v[12]
    )
}

/// Bare prepared INSERTs into the ledger's schema, as the import writes the same records.
struct Bare<'t> {
    log: rusqlite::Statement<'t>,
    org: rusqlite::Statement<'t>,
    unit: rusqlite::Statement<'t>,
    member: rusqlite::Statement<'t>,
    device: String,
    seq: i64,
}

const NOW: &str = "2026-11-22T04:04:01.426Z";

fn new_id() -> String {
    taizhang::model::Id::new().to_string()
}

impl<'t> Bare<'t> {
    fn new(tx: &'t rusqlite::Transaction) -> Self {
        Bare {
            log: tx.prepare(INSERT_LOG).unwrap(),
            org: tx.prepare(INSERT_ORG).unwrap(),
            unit: tx.prepare(INSERT_UNIT).unwrap(),
            member: tx.prepare(INSERT_MEMBER).unwrap(),
            device: new_id(),
            seq: 0,
        }
    }

    fn log(&mut self, entry: &str, entity: &str, id: &str, changes: &str) {
        self.seq += 1;
        let p = rusqlite::params![entry, self.device, self.seq, NOW, entity, id, changes];
        self.log.execute(p).unwrap();
    }

    /// A branch (`org`) or work unit (`unit`) named by the roster.
    fn named(&mut self, entity: &str, id: &str, name: &str) {
        let stmt = if entity == "org" {
            &mut self.org
        } else {
            &mut self.unit
        };
        stmt.execute(rusqlite::params![id, NOW, self.device, name])
            .unwrap();
        self.log(&new_id(), entity, id, "{}");
    }

    /// A member from the roster's cells `v`, with its change-log entry.
    fn member(
        &mut self,
        v: &[String],
        id: &str,
        org: &str,
        unit: &str,
        changes: &str,
        entry: &str,
    ) {
        #[rustfmt::skip]
        let p = rusqlite::params![
            id, NOW, self.device, v[1], v[2], v[4], v[3], v[5], v[6], v[7], v[10], v[11], org,
            unit, v[12], v[13], v[9]
        ];
        self.member.execute(p).unwrap();
        self.log(entry, "member", id, changes);
    }
}

/// The SQLite floor: the roster's members and their insert change-log entries written with
/// bare prepared statements into the ledger's schema (same pragmas, one transaction), every
/// value made before the clock starts. Returns the seconds the writes and commit took.
fn raw_sqlite(db: &Path, n: usize) -> f64 {
    drop(Store::open(db).unwrap()); // the schema
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(PRAGMAS).unwrap();
    let orgs: Vec<String> = (0..n.div_ceil(50)).map(|_| new_id()).collect();
    let units: Vec<String> = (0..n.div_ceil(50)).map(|_| new_id()).collect();
    let rows: Vec<([String; 16], String, String, String)> = (0..n)
        .map(|i| {
            let v = roster_cells(i);
            let changes = member_changes(&v, &orgs[i / 50], &units[i / 50]);
            (v, new_id(), changes, new_id())
        })
        .collect();
    let start = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut bare = Bare::new(&tx);
        // The branches and work units the roster names (its columns 8 and 12).
        for (entity, ids, col) in [("org", &orgs, 8), ("unit", &units, 12)] {
            for (i, id) in ids.iter().enumerate() {
                bare.named(entity, id, &rows[i * 50].0[col]);
            }
        }
        for (i, (v, id, changes, entry)) in rows.iter().enumerate() {
            bare.member(v, id, &orgs[i / 50], &units[i / 50], changes, entry);
        }
    }
    tx.commit().unwrap();
    start.elapsed().as_secs_f64()
}

/// The floor of any streamed import: calamine's cell reader on one thread hands each row's
/// cell texts (in batches of 1,024) to the calling thread, which writes them with
/// raw-sqlite's bare statements, creating a branch or work unit the first time it is named.
/// Nothing is checked or converted. The schema exists already.
fn raw_pipeline(roster: &Path, db: &Path) -> usize {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(PRAGMAS).unwrap();
    let (send, recv) = std::sync::mpsc::sync_channel::<Vec<Vec<String>>>(8);
    let path = roster.to_path_buf();
    let reader = std::thread::spawn(move || {
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let name = wb.sheet_names()[0].clone();
        let mut cells = wb.worksheet_cells_reader(&name).unwrap();
        let mut batch = Vec::with_capacity(1024);
        let mut row = vec![String::new(); HEADERS.len()];
        let mut at = 0;
        while let Some(cell) = cells.next_cell().unwrap() {
            let (r, c) = cell.get_position();
            if r != at {
                if at > 0 {
                    batch.push(std::mem::replace(
                        &mut row,
                        vec![String::new(); HEADERS.len()],
                    ));
                    if batch.len() == 1024 {
                        send.send(std::mem::take(&mut batch)).unwrap();
                    }
                }
                at = r;
            }
            if let Some(slot) = row.get_mut(c as usize) {
                *slot = match cell.get_value() {
                    calamine::DataRef::SharedString(s) => s.to_string(),
                    calamine::DataRef::String(s) => s.clone(),
                    other => format!("{other:?}"),
                };
            }
        }
        batch.push(row);
        send.send(batch).unwrap();
    });
    let mut rows = 0;
    let tx = conn.transaction().unwrap();
    {
        let mut bare = Bare::new(&tx);
        let mut known: [std::collections::HashMap<String, String>; 2] = Default::default();
        for batch in recv {
            for v in batch {
                let mut named = |bare: &mut Bare, k: usize, entity: &str, name: &str| {
                    if let Some(id) = known[k].get(name) {
                        return id.clone();
                    }
                    let id = new_id();
                    bare.named(entity, &id, name);
                    known[k].insert(name.to_string(), id.clone());
                    id
                };
                let org = named(&mut bare, 0, "org", &v[8]);
                let unit = named(&mut bare, 1, "unit", &v[12]);
                let id = new_id();
                bare.member(
                    &v,
                    &id,
                    &org,
                    &unit,
                    &member_changes(&v, &org, &unit),
                    &new_id(),
                );
                rows += 1;
            }
        }
    }
    tx.commit().unwrap();
    drop(conn);
    reader.join().unwrap();
    rows
}

fn raw_read(path: &Path) -> usize {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range.used_cells().count()
}

fn phase(name: &str, dir: &Path, n: usize) -> String {
    let roster = dir.join("roster.xlsx");
    let db = dir.join("ledger.db");
    let start = Instant::now();
    let detail = match name {
        "raw-write" => {
            raw_write(&roster, n);
            format!("{n} rows × {} cells", HEADERS.len())
        }
        "raw-read" | "raw-read-system" => format!("{} cells", raw_read(&roster)),
        "raw-sqlite" => {
            let db = dir.join("raw.db");
            for f in ["raw.db", "raw.db-wal", "raw.db-shm"] {
                let _ = std::fs::remove_file(dir.join(f));
            }
            let secs = raw_sqlite(&db, n);
            return format!(
                "{name}\t{secs:.2}\t{}\t{n} members and change-log entries, values made beforehand",
                peak_kib() / 1024
            );
        }
        "raw-pipeline" => {
            for f in ["raw.db", "raw.db-wal", "raw.db-shm"] {
                let _ = std::fs::remove_file(dir.join(f));
            }
            let db = dir.join("raw.db");
            // The schema is made before the clock, as for raw-sqlite.
            drop(Store::open(&db).unwrap());
            let start = Instant::now();
            let rows = raw_pipeline(&roster, &db);
            let secs = start.elapsed().as_secs_f64();
            return format!(
                "{name}\t{secs:.2}\t{}\t{rows} rows read and written, nothing checked",
                peak_kib() / 1024
            );
        }
        "raw-write-export" => {
            raw_write_export(&dir.join("export-raw.xlsx"), n);
            format!("{n} rows × 21 columns")
        }
        "import" => {
            let mut store = Store::open(&db).unwrap();
            store.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 21));
            let out = import_file(&mut store, &roster, &ImportOptions::default()).unwrap();
            let s = out.summary;
            assert_eq!(s.invalid, 0, "{:?}", s.errors.first());
            format!(
                "inserted {} members, {} orgs, {} units",
                s.inserted,
                s.created.orgs.len(),
                s.created.units.len()
            )
        }
        "export" => {
            let store = Store::open(&db).unwrap();
            let opts = ExportOptions {
                profile: "members".into(),
                ..Default::default()
            };
            let out = export(&store, &dir.join("export.xlsx"), &opts).unwrap();
            format!("{} rows", out.rows)
        }
        other => panic!("unknown phase {other}"),
    };
    let secs = start.elapsed().as_secs_f64();
    format!("{name}\t{secs:.2}\t{}\t{detail}", peak_kib() / 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Child: `excel --phase NAME DIR N`
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        let n: usize = args[i + 3].parse().unwrap();
        println!("{}", phase(&args[i + 1], Path::new(&args[i + 2]), n));
        return;
    }
    // `-- MEMBERS [ROUNDS]`: the host's speed drifts from run to run, so several rounds of
    // all phases, interleaved, give each phase its fastest and its median time.
    let nums: Vec<usize> = args.iter().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = nums.first().copied().unwrap_or(100_000);
    let rounds = nums.get(1).copied().unwrap_or(1).max(1);
    let dir = tempfile::tempdir().unwrap();
    let me = std::env::current_exe().unwrap();
    let names = [
        "raw-write",
        "raw-read",
        "raw-read-system",
        "raw-sqlite",
        "raw-pipeline",
        "import",
        "raw-write-export",
        "export",
    ];
    let mut secs: std::collections::HashMap<&str, Vec<f64>> = Default::default();
    let mut peak: std::collections::HashMap<&str, u64> = Default::default();
    println!("phase\tseconds\tpeak MiB\tdetail");
    for round in 0..rounds {
        if rounds > 1 {
            println!("-- round {}", round + 1);
        }
        for name in names {
            if name == "import" {
                // Each round imports into an empty ledger.
                for f in ["ledger.db", "ledger.db-wal", "ledger.db-shm"] {
                    let _ = std::fs::remove_file(dir.path().join(f));
                }
            }
            let mut child = Command::new(&me);
            if name.ends_with("-system") {
                child.env("BENCH_ALLOCATOR", "system");
            }
            let out = child
                .args([
                    "--phase",
                    name,
                    dir.path().to_str().unwrap(),
                    &n.to_string(),
                ])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let field = |i: usize| line.split('\t').nth(i).unwrap_or("0").to_string();
            secs.entry(name)
                .or_default()
                .push(field(1).parse().unwrap_or(0.0));
            let p = peak.entry(name).or_default();
            *p = (*p).max(field(2).parse().unwrap_or(0));
            println!("{line}");
        }
    }
    let stat = |name: &str, median: bool| {
        let mut v = secs[name].clone();
        v.sort_by(f64::total_cmp);
        if median {
            v[v.len() / 2]
        } else {
            v[0]
        }
    };
    if rounds > 1 {
        println!("phase\tfastest\tmedian\tpeak MiB");
        for name in names {
            println!(
                "{name}\t{:.2}\t{:.2}\t{}",
                stat(name, false),
                stat(name, true),
                peak[name]
            );
        }
    }
    for (label, median) in [("fastest", false), ("median", true)]
        .iter()
        .take(if rounds > 1 { 2 } else { 1 })
    {
        let r = |a: &str, b: &str| stat(a, *median) / stat(b, *median);
        // The reference read is the faster of the two allocators'.
        let read = stat("raw-read", *median).min(stat("raw-read-system", *median));
        println!(
            "{label}: import / raw read = {:.2}× (target ≤ 1.5×; bare SQLite writes alone = {:.2}×, a bare streamed load = {:.2}×); export / raw write of its cells = {:.2}× (target ≤ 1.3×); export / raw write of the roster = {:.2}×",
            stat("import", *median) / read,
            stat("raw-sqlite", *median) / read,
            stat("raw-pipeline", *median) / read,
            r("export", "raw-write-export"),
            r("export", "raw-write"),
        );
    }
}
