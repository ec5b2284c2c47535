//! A PC of the exchange tests: a ledger in its own folder (so photos have a home), with a
//! fixed "today", that sends packages to and receives them from other PCs.

use super::today;
use std::path::{Path, PathBuf};
use taizhang::exchange::{export_package, import_package, ExportOptions, ImportSummary};
use taizhang::Store;

pub struct Pc {
    pub store: Store,
    pub dir: tempfile::TempDir,
    n: usize,
}

impl Pc {
    /// A new ledger whose device and operator are called `name`.
    pub fn new(name: &str) -> Pc {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("ledger.db")).unwrap();
        store.set_today(Some(today()));
        store.set_operator(name);
        store
            .conn()
            .execute("UPDATE device SET name = ?1", [name])
            .unwrap();
        Pc { store, dir, n: 0 }
    }

    pub fn id(&self) -> String {
        self.store.session().device_id.clone()
    }

    /// Export what `to` has not had from this PC.
    pub fn send(&mut self, to: &Pc) -> PathBuf {
        self.n += 1;
        let out = self
            .dir
            .path()
            .join(format!("to-{}-{}.tzpkg", &to.id()[..8], self.n));
        export_package(
            &mut self.store,
            &out,
            &ExportOptions {
                to: Some(to.id()),
                ..Default::default()
            },
        )
        .unwrap();
        out
    }

    pub fn receive(&mut self, pkg: &Path) -> ImportSummary {
        import_package(&mut self.store, pkg, false).unwrap()
    }
}
