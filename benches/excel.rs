//! City-scale Excel benchmark (see BENCHMARKS.md): a 100,000-member roster.
//!
//! `cargo bench --bench excel [-- MEMBERS [ROUNDS]]` runs five phases, each in its own child process so
//! that its peak memory (VmHWM) is its own:
//!   raw-write  rust_xlsxwriter writing the roster's cells (also makes the input file)
//!   raw-read   calamine reading every cell of it
//!   import     our full import: parse, detect, validate, write to SQLite (one transaction)
//!   raw-write-export  rust_xlsxwriter writing the cells our export writes (its 21 columns:
//!              the roster's 16, 党员状态, the hidden 系统编号, three empty ones), unformatted
//!   export     our export of the imported ledger with the same template

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
        "raw-read" => format!("{} cells", raw_read(&roster)),
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
            let out = Command::new(&me)
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
        println!(
            "{label}: import / raw read = {:.2}× (target ≤ 1.5×); export / raw write of its cells = {:.2}× (target ≤ 1.3×); export / raw write of the roster = {:.2}×",
            r("import", "raw-read"),
            r("export", "raw-write-export"),
            r("export", "raw-write"),
        );
    }
}
