//! Records of any type by name, field by field: the field table a form is built from, lists
//! with filters and search, one record, add and update from the texts a person typed, and the
//! 隶属关系 tree. Parsing and validation are the model's (`apply_fields`), shared with the CLI.

use super::entity;
use crate::error::{Error, Result};
use crate::model::fields::{FieldKind, FieldSpec};
use crate::model::{Fields, Id, Org};
use crate::store::records::{add_from_fields, referenced_names, update_from_fields};
use crate::store::{count_records, list_records, ListQuery, Table};
use crate::{with_editable_type, Store};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// A field as a form is built from it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(rename = "FieldSpec")]
pub struct FieldSpecOut {
    pub name: &'static str,
    pub label: &'static str,
    /// text | int | bool | date | money | month | choice | choices | dict | ref | refs |
    /// textlist | seats | checks | followups | attendance
    pub kind: &'static str,
    pub required: bool,
    /// Allowed values of a choice, choices or dict field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub choices: Vec<String>,
    /// The dictionary of a dict field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dict: Option<&'static str>,
    /// The record type a ref/refs field points to.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub target: Option<&'static str>,
    /// Whether the list can be filtered by this field.
    pub filterable: bool,
}

fn spec_out(store: &Store, f: &FieldSpec) -> Result<FieldSpecOut> {
    let labels = |v: crate::model::fields::Vocabulary| -> Vec<String> {
        v.labels.iter().map(|l| l.to_string()).collect()
    };
    let (choices, dict, target) = match f.kind {
        FieldKind::Choice(v) | FieldKind::Choices(v) => (labels(v), None, None),
        FieldKind::Dict(d) => {
            let values = store.dictionary(d)?.into_iter().map(|(v, _)| v).collect();
            (values, Some(d), None)
        }
        FieldKind::Ref(t) | FieldKind::Refs(t) => (vec![], None, Some(t)),
        _ => (vec![], None, None),
    };
    Ok(FieldSpecOut {
        name: f.name,
        label: f.label,
        kind: f.kind.code(),
        required: f.required,
        choices,
        dict,
        target,
        filterable: f.kind.filterable(),
    })
}

/// The field table of a record type.
pub fn field_specs(store: &Store, entity_name: &str) -> Result<Vec<FieldSpecOut>> {
    with_editable_type!(entity_name, T => T::FIELDS.iter().map(|f| spec_out(store, f)).collect(),
        other => Err(not_editable(other)))
}

fn not_editable(name: &str) -> Error {
    match entity(name) {
        Ok(e) => Error::Rule(format!("“{e}”不能逐个字段查看或修改")),
        Err(e) => e,
    }
}

/// What a list shows: filters by field (as a person writes values), 模糊查询, a page.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// field name → value; blank values are ignored
    pub filters: Vec<(String, String)>,
    pub search: Option<String>,
    /// At most [`MAX_PAGE`]; [`DEFAULT_PAGE`] when not given.
    pub limit: Option<usize>,
    pub offset: usize,
    /// Field to sort by; creation order when absent.
    pub sort: Option<String>,
    pub descending: bool,
}

/// Rows in a page unless asked otherwise, and at most.
pub const DEFAULT_PAGE: usize = 20;
pub const MAX_PAGE: usize = 500;

/// One page of a list.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Page {
    #[ts(type = "Array<Rec>")]
    pub rows: Vec<Value>,
    /// Rows that match in all.
    pub total: i64,
    /// id → 名称 of every record the rows refer to
    pub names: HashMap<String, String>,
}

pub fn list(store: &Store, entity_name: &str, opts: &ListOptions) -> Result<Page> {
    let q = ListQuery {
        filters: opts
            .filters
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .cloned()
            .collect(),
        search: opts.search.clone(),
        limit: Some(opts.limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE)),
        offset: opts.offset,
        order_by: opts.sort.clone(),
        descending: opts.descending,
    };
    with_editable_type!(entity_name, T => {
        let recs: Vec<T> = list_records(store.conn(), &q)?;
        let total = count_records::<T>(store.conn(), &q)?;
        let rows = recs
            .iter()
            .map(serde_json::to_value)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let names = referenced_names::<T>(store.conn(), &rows);
        Ok(Page { rows, total, names })
    }, other => Err(not_editable(other)))
}

/// One record, with the names of the records it refers to.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct RecordOut {
    #[ts(type = "Rec")]
    pub record: Value,
    pub names: HashMap<String, String>,
}

fn record_out<T: Table + Fields>(store: &Store, rec: &T) -> Result<RecordOut> {
    let record = serde_json::to_value(rec)?;
    let names = referenced_names::<T>(store.conn(), std::slice::from_ref(&record));
    Ok(RecordOut { record, names })
}

pub fn get(store: &Store, entity_name: &str, id: &Id) -> Result<RecordOut> {
    with_editable_type!(entity_name, T => {
        let rec: T = store.get(id)?;
        record_out(store, &rec)
    }, other => Err(not_editable(other)))
}

/// Add a record from field texts (every problem of the record reported at once).
pub fn add(store: &mut Store, entity_name: &str, fields: &[(String, String)]) -> Result<RecordOut> {
    with_editable_type!(entity_name, T => {
        let saved: T = add_from_fields(store, fields)?;
        record_out(store, &saved)
    }, other => Err(not_editable(other)))
}

/// An update: the record as saved, and whether anything changed.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct UpdateOut {
    pub changed: bool,
    #[ts(type = "Rec")]
    pub record: Value,
    pub names: HashMap<String, String>,
}

pub fn update(
    store: &mut Store,
    entity_name: &str,
    id: &Id,
    fields: &[(String, String)],
) -> Result<UpdateOut> {
    with_editable_type!(entity_name, T => {
        let saved = update_from_fields::<T>(store, id, fields)?;
        let out = record_out(store, &saved.record)?;
        Ok(UpdateOut {
            changed: saved.changed,
            record: out.record,
            names: out.names,
        })
    }, other => Err(not_editable(other)))
}

/// An org in the 隶属关系 tree.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct OrgNode {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub org_type: String,
    pub status: String,
}

/// Every org with its parent, in 拼音 order of their names (so each level of the tree is), as
/// the lists sort.
pub fn org_tree(store: &Store) -> Result<Vec<OrgNode>> {
    let order = format!("name COLLATE {}", crate::store::collate::PINYIN);
    let orgs: Vec<Org> = store.list("1", &[], &order)?;
    Ok(orgs
        .into_iter()
        .map(|o| OrgNode {
            id: o.meta.id.to_string(),
            name: o.name,
            parent_id: o.parent_id.map(|p| p.to_string()),
            org_type: o.org_type.label().to_string(),
            status: o.status.label().to_string(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrgType;

    fn store() -> Store {
        Store::open_in_memory().unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_org_tree_is_in_pinyin_order() {
        let mut s = store();
        for name in ["中共伟业公司支部", "中共宝丰公司支部", "中共华茂公司支部"]
        {
            s.insert(Org::new(name, OrgType::Branch, "单独组建"))
                .unwrap();
        }
        let names: Vec<String> = org_tree(&s).unwrap().into_iter().map(|n| n.name).collect();
        // By code point 伟 < 华 < 宝.
        assert_eq!(
            names,
            ["中共宝丰公司支部", "中共华茂公司支部", "中共伟业公司支部"]
        );
    }

    #[test]
    fn specs_carry_labels_and_choices() {
        let s = store();
        let specs = field_specs(&s, "member").unwrap();
        let cat = specs.iter().find(|f| f.name == "category").unwrap();
        assert_eq!(cat.kind, "choice");
        assert!(
            cat.choices.iter().any(|c| c == "预备党员"),
            "{:?}",
            cat.choices
        );
        let eth = specs.iter().find(|f| f.name == "ethnicity").unwrap();
        assert!(eth.choices.iter().any(|c| c == "汉族"));
        let org = specs.iter().find(|f| f.name == "org_id").unwrap();
        assert_eq!(
            (org.kind, org.target, org.required, org.filterable),
            ("ref", Some("org"), true, true)
        );
        let units = specs.iter().find(|f| f.name == "photos");
        assert!(units.is_none_or(|p| !p.filterable));
        let err = field_specs(&s, "member_event").unwrap_err();
        assert!(err.to_string().contains("不能逐个字段"), "{err}");
        let err = field_specs(&s, "党员").unwrap_err();
        assert!(
            err.to_string().contains("没有名为“党员”的记录类型"),
            "{err}"
        );
    }

    #[test]
    fn add_list_update_with_field_errors() {
        let mut s = store();
        let unit = add(
            &mut s,
            "unit",
            &fields(&[("name", "恒达机械"), ("category", "民营企业")]),
        )
        .unwrap();
        let unit_id = unit.record["id"].as_str().unwrap().to_string();
        let org = add(
            &mut s,
            "org",
            &fields(&[
                ("name", "中共恒达机械支部委员会"),
                ("org_type", "党支部"),
                ("formation", "单独组建"),
                ("unit_ids", &unit_id),
            ]),
        )
        .unwrap();
        assert_eq!(
            org.names.get(&unit_id).map(String::as_str),
            Some("恒达机械")
        );
        let org_id = org.record["id"].as_str().unwrap().to_string();
        let err = add(
            &mut s,
            "member",
            &fields(&[
                ("name", "王建国"),
                ("id_number", "110101199003070001"),
                ("org_id", &org_id),
                ("joined_on", "2015-07-01"),
            ]),
        )
        .unwrap_err();
        let Error::Validation(fe) = err else {
            panic!("{err}")
        };
        assert!(fe.0.iter().any(|f| f.field == "id_number"), "{fe:?}");
        let page = list(
            &s,
            "unit",
            &ListOptions {
                search: Some("恒达".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(page.total, 1);
        let id: Id = unit_id.parse().unwrap();
        let Err(Error::Validation(fe)) =
            update(&mut s, "unit", &id, &fields(&[("employees", "很多")]))
        else {
            panic!("很多 taken as a number")
        };
        assert!(fe.0.iter().any(|f| f.field == "employees"));
        let up = update(&mut s, "unit", &id, &fields(&[("employees", "120")])).unwrap();
        assert!(up.changed);
        assert_eq!(s.history(&id).unwrap().len(), 2);
        assert_eq!(get(&s, "unit", &id).unwrap().record["employees"], 120);
    }
}
