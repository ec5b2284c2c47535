//! How a transaction answers validation's questions about the rest of the ledger (the
//! `Lookup` of the model), with the caches that make a bulk import's questions cheap.

use super::tx::{DictCache, Tx};
use crate::error::Result;
use crate::model::{Checklist, DevelopmentParams, DuesRates, Id, Lookup};
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

impl Tx<'_> {
    pub(super) fn load_dicts(&self) -> Result<DictCache> {
        let mut st = self
            .tx
            .prepare("SELECT dict, value, synonyms FROM dictionary ORDER BY dict, sort")?;
        let mut map: DictCache = HashMap::new();
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (dict, value, syn) = row?;
            let syn: Vec<String> = serde_json::from_str(&syn).unwrap_or_default();
            map.entry(dict).or_default().push((value, syn));
        }
        Ok(map)
    }
}

impl Lookup for Tx<'_> {
    fn today(&self) -> NaiveDate {
        self.today
    }

    fn exists(&self, table: &str, id: &Id) -> bool {
        let known = self
            .known
            .borrow()
            .iter()
            .any(|(t, ids)| t == table && ids.contains(id));
        if known {
            return true;
        }
        let sql = self.sql("exists", "", table, || {
            format!("SELECT 1 FROM {table} WHERE id = ?1")
        });
        let found = self
            .tx
            .prepare_cached(&sql)
            .and_then(|mut st| st.exists([id]))
            .unwrap_or(false);
        if found {
            self.remember(table, *id);
        }
        found
    }

    fn taken(&self, table: &str, column: &str, value: &str, except: &Id) -> bool {
        let sql = self.sql("taken", "", &format!("{table}.{column}"), || {
            // A duplicate merged into another record no longer holds its natural key.
            let live = if matches!(table, "member" | "unit" | "applicant") {
                " AND merged_into IS NULL"
            } else {
                ""
            };
            format!("SELECT 1 FROM {table} WHERE {column} = ?1 AND id <> ?2{live}")
        });
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut st| st.exists(params![value, except]))
            .unwrap_or(false)
    }

    fn dict_value(&self, dict: &str, value: &str) -> Result<String, String> {
        if self.dicts.borrow().is_none() {
            let loaded = self.load_dicts().map_err(|e| e.to_string())?;
            *self.dicts.borrow_mut() = Some(loaded);
        }
        dict_match(self.dicts.borrow().as_ref(), dict, value)
    }

    fn now(&self) -> String {
        self.now.clone()
    }

    fn checklist(&self, id: &Id) -> Option<Checklist> {
        super::get(&self.tx, id).ok()
    }

    fn development(&self) -> DevelopmentParams {
        // The rule parameters' `development` part; a stored value that does not parse was
        // refused when it was set, so the defaults stand in for one written by a newer version.
        super::setting::<serde_json::Value>(&self.tx, crate::rules::RULE_PARAMS_KEY)
            .ok()
            .flatten()
            .and_then(|v| v.get("development").cloned())
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }

    fn full_member(&self, id: &Id) -> Option<bool> {
        self.tx
            .prepare_cached(
                "SELECT category = '正式党员' AND status = '在册' FROM member WHERE id = ?1",
            )
            .and_then(|mut st| st.query_row([id], |r| r.get::<_, bool>(0)))
            .ok()
    }

    fn dues_rates(&self) -> DuesRates {
        if let Some(r) = self.rates.borrow().as_ref() {
            return r.clone();
        }
        let rates: DuesRates = super::setting(&self.tx, super::DUES_RATES_KEY)
            .ok()
            .flatten()
            .unwrap_or_default();
        *self.rates.borrow_mut() = Some(rates.clone());
        rates
    }
}

/// A value or synonym of a dictionary as its canonical value, or what the dictionary allows.
pub(crate) fn dict_match(
    dicts: Option<&DictCache>,
    dict: &str,
    value: &str,
) -> Result<String, String> {
    let entries = dicts
        .and_then(|c| c.get(dict))
        .ok_or_else(|| format!("字典“{dict}”不存在"))?;
    let v = value.trim();
    // A value exported with its code (868_汉族) is read by its label.
    for t in std::iter::once(v).chain(crate::model::dict::without_code(v)) {
        for (canon, syns) in entries {
            if canon == t || syns.iter().any(|s| s == t) {
                return Ok(canon.clone());
            }
        }
    }
    let allowed: Vec<&str> = entries.iter().take(12).map(|(c, _)| c.as_str()).collect();
    let more = if entries.len() > 12 { " 等" } else { "" };
    Err(format!(
        "“{v}”不在“{dict}”字典中（可选：{}{more}）",
        allowed.join("、")
    ))
}
