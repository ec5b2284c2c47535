//! Before a backup replaces the open ledger: what each holds, side by side.

use crate::error::Result;
use crate::store::{backup_contents, Contents};
use crate::Store;
use serde::Serialize;
use std::path::Path;

/// What a backup holds beside what the open ledger holds, to show before restoring it.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct RestoreChoice {
    pub backup: Contents,
    pub current: Contents,
    /// Both in words, for the confirmation.
    pub backup_text: String,
    pub current_text: String,
    /// The backup holds fewer members or units than the ledger: restoring loses records.
    pub fewer: bool,
}

pub fn restore_choice(store: &Store, src: &Path) -> Result<RestoreChoice> {
    let backup = backup_contents(src)?;
    let current = store.contents()?;
    Ok(RestoreChoice {
        backup_text: backup.describe(),
        current_text: current.describe(),
        fewer: backup.members < current.members || backup.units < current.units,
        backup,
        current,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Unit, UnitCategory};

    #[test]
    fn a_backup_holding_less_is_said_to() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path().join("ledger.db")).unwrap();
        s.insert(Unit::new("甲公司", UnitCategory::Enterprise))
            .unwrap();
        let bak = dir.path().join("周五.db");
        s.backup(&bak, false).unwrap();
        assert!(!restore_choice(&s, &bak).unwrap().fewer);
        s.insert(Unit::new("乙公司", UnitCategory::Enterprise))
            .unwrap();
        let c = restore_choice(&s, &bak).unwrap();
        assert!(c.fewer);
        assert_eq!((c.backup.units, c.current.units), (1, 2));
        assert!(c.current_text.starts_with("2 个单位"), "{}", c.current_text);
    }
}
