//! Running the `taizhang` binary on a ledger of its own, with a fixed "today" and operator.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Cli {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    /// TAIZHANG_TODAY for every command
    pub today: &'static str,
}

impl Cli {
    /// An empty ledger; today is 2026-11-21.
    pub fn new() -> Self {
        Self::on("2026-11-21")
    }

    /// An empty ledger with the given "today" (made by `taizhang init`: no other command
    /// creates one).
    pub fn on(today: &'static str) -> Self {
        let cli = Self::without_ledger(today);
        cli.ok(&["init"]);
        cli
    }

    /// A folder with no ledger yet at `db` (for `init` and commands that must refuse).
    pub fn without_ledger(today: &'static str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.db");
        Cli { dir, db, today }
    }

    /// The demo county (60 units, seed 7) with records up to `as_of`.
    pub fn demo(as_of: &str, today: &'static str) -> Self {
        let cli = Self::on(today);
        cli.ok(&["demo", "--units", "60", "--seed", "7", "--as-of", as_of]);
        cli
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_taizhang"))
            .args(args)
            .env("TAIZHANG_DB", &self.db)
            .env("TAIZHANG_TODAY", self.today)
            .env("TAIZHANG_OPERATOR", "测试员")
            .output()
            .unwrap()
    }

    /// Run a command that must succeed; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run a command that must succeed with --json; its JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
    }

    /// Run a command; its exit code (None when killed by a signal) and stdout.
    pub fn code(&self, args: &[&str]) -> (Option<i32>, String) {
        let out = self.run(args);
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    }

    /// Run a command that must fail; its stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }
}
