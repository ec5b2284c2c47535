//! The PCs this ledger knows: itself and every PC a package came from. A package is addressed
//! to a device, so "what was sent to the county" can be tracked per destination.

use crate::error::{Error, Result};
use crate::Store;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct Device {
    /// 设备编号
    pub id: String,
    /// 名称, e.g. 城关镇党委 or 县委社会工作部
    pub name: String,
    pub first_seen: String,
    pub last_seen: String,
    /// Whether this is the PC the ledger is open on.
    pub this_pc: bool,
}

/// Every known device, this PC first.
pub fn list(store: &Store) -> Result<Vec<Device>> {
    let me = store.session().device_id.clone();
    let mut st = store.conn().prepare(
        "SELECT id, name, first_seen, last_seen FROM device ORDER BY id <> ?1, first_seen",
    )?;
    let rows = st.query_map([&me], |r| {
        let id: String = r.get(0)?;
        Ok(Device {
            this_pc: id == me,
            id,
            name: r.get(1)?,
            first_seen: r.get(2)?,
            last_seen: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Name this PC as others will see it in the packages it sends.
pub fn rename_this_pc(store: &mut Store, name: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Rule("本机名称不能为空".into()));
    }
    if name.chars().count() > 50 {
        return Err(Error::Rule("本机名称最多 50 个字".into()));
    }
    let me = store.session().device_id.clone();
    store
        .conn()
        .execute("UPDATE device SET name = ?1 WHERE id = ?2", [name, &me])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_pc_is_listed_first_and_can_be_renamed() {
        let mut s = Store::open_in_memory().unwrap();
        s.conn()
            .execute(
                "INSERT INTO device(id, name, first_seen, last_seen) VALUES ('0000-other', '县委社会工作部', '2020', '2020')",
                [],
            )
            .unwrap();
        rename_this_pc(&mut s, "  城关镇党委 ").unwrap();
        let all = list(&s).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].this_pc);
        assert_eq!(all[0].name, "城关镇党委");
        assert_eq!(all[1].name, "县委社会工作部");
        assert!(rename_this_pc(&mut s, " ").is_err());
    }
}
