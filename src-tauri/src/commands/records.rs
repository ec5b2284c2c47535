//! Generic record commands over every record type: field tables, list, get, add, update,
//! history. Parsing and validation are the core's (`apply_fields`, `Tx::insert`), shared with
//! the CLI.

use super::{parse_id, with_entity};
use crate::error::IpcResult;
use crate::state::Ledger;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use taizhang::model::fields::FieldKind;
use taizhang::model::Fields;
use taizhang::store::records::{add_from_fields, referenced_names, update_from_fields};
use taizhang::store::{count_records, list_records as core_list, ChangeEntry, ListQuery, Table};
use taizhang::Store;
use tauri::State;

/// A field as the form builder needs it.
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

fn labels(v: taizhang::model::fields::Vocabulary) -> Vec<String> {
    v.labels.iter().map(|l| l.to_string()).collect()
}

pub fn spec_out(store: &Store, f: &taizhang::model::FieldSpec) -> IpcResult<FieldSpecOut> {
    let (kind, choices, dict, target) = match f.kind {
        FieldKind::Text => ("text", vec![], None, None),
        FieldKind::Int => ("int", vec![], None, None),
        FieldKind::Bool => ("bool", vec![], None, None),
        FieldKind::Date => ("date", vec![], None, None),
        FieldKind::Money => ("money", vec![], None, None),
        FieldKind::Month => ("month", vec![], None, None),
        FieldKind::Choice(v) => ("choice", labels(v), None, None),
        FieldKind::Choices(v) => ("choices", labels(v), None, None),
        FieldKind::Dict(d) => {
            let values = store.dictionary(d)?.into_iter().map(|(v, _)| v).collect();
            ("dict", values, Some(d), None)
        }
        FieldKind::Ref(t) => ("ref", vec![], None, Some(t)),
        FieldKind::Refs(t) => ("refs", vec![], None, Some(t)),
        FieldKind::TextList => ("textlist", vec![], None, None),
        FieldKind::Seats => ("seats", vec![], None, None),
        FieldKind::Checks => ("checks", vec![], None, None),
        FieldKind::FollowUps => ("followups", vec![], None, None),
        FieldKind::Attendance => ("attendance", vec![], None, None),
    };
    let filterable = matches!(
        kind,
        "text" | "int" | "bool" | "date" | "money" | "month" | "choice" | "dict" | "ref"
    );
    Ok(FieldSpecOut {
        name: f.name,
        label: f.label,
        kind,
        required: f.required,
        choices,
        dict,
        target,
        filterable,
    })
}

pub fn field_specs_of<T: Fields + Table>(store: &Store) -> IpcResult<Vec<FieldSpecOut>> {
    T::FIELDS.iter().map(|f| spec_out(store, f)).collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListArgs {
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: Option<usize>,
    /// Field to sort by; creation order when absent.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub descending: bool,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Page {
    #[ts(type = "Array<Rec>")]
    pub rows: Vec<Value>,
    pub total: i64,
    /// id → 名称 of every record the rows refer to
    pub names: HashMap<String, String>,
}

pub fn list_of<T: Table + Fields>(store: &Store, args: &ListArgs) -> IpcResult<Page> {
    let q = ListQuery {
        filters: args
            .filters
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        search: args.search.clone(),
        limit: Some(args.limit.unwrap_or(20).min(500)),
        offset: args.offset.unwrap_or(0),
        order_by: args.sort.clone(),
        descending: args.descending,
    };
    let recs: Vec<T> = core_list(store.conn(), &q)?;
    let total = count_records::<T>(store.conn(), &q)?;
    let rows = recs
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(taizhang::Error::from)?;
    let names = referenced_names::<T>(store.conn(), &rows);
    Ok(Page { rows, total, names })
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct RecordOut {
    #[ts(type = "Rec")]
    pub record: Value,
    pub names: HashMap<String, String>,
}

fn record_out<T: Table + Fields>(store: &Store, rec: &T) -> IpcResult<RecordOut> {
    let record = serde_json::to_value(rec).map_err(taizhang::Error::from)?;
    let names = referenced_names::<T>(store.conn(), std::slice::from_ref(&record));
    Ok(RecordOut { record, names })
}

fn inputs(fields: BTreeMap<String, String>) -> Vec<(String, String)> {
    fields.into_iter().collect()
}

pub fn add_of<T: Table + Fields + 'static>(
    store: &mut Store,
    fields: BTreeMap<String, String>,
) -> IpcResult<RecordOut> {
    let saved: T = add_from_fields(store, &inputs(fields))?;
    record_out(store, &saved)
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct UpdateOut {
    pub changed: bool,
    #[ts(type = "Rec")]
    pub record: Value,
    pub names: HashMap<String, String>,
}

pub fn update_of<T: Table + Fields>(
    store: &mut Store,
    id: &str,
    fields: BTreeMap<String, String>,
) -> IpcResult<UpdateOut> {
    let saved = update_from_fields::<T>(store, &parse_id(id)?, &inputs(fields))?;
    let out = record_out(store, &saved.record)?;
    Ok(UpdateOut {
        changed: saved.changed,
        record: out.record,
        names: out.names,
    })
}

#[tauri::command]
pub async fn field_specs(state: State<'_, Ledger>, entity: String) -> IpcResult<Vec<FieldSpecOut>> {
    state
        .run(move |s| with_entity!(entity.as_str(), T => field_specs_of::<T>(s)))
        .await
}

// The window sends each option as its own argument (all but `entity` optional).
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn list_records(
    state: State<'_, Ledger>,
    entity: String,
    filters: Option<BTreeMap<String, String>>,
    search: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    sort: Option<String>,
    descending: Option<bool>,
) -> IpcResult<Page> {
    let args = ListArgs {
        filters: filters.unwrap_or_default(),
        search,
        limit,
        offset,
        sort,
        descending: descending.unwrap_or(false),
    };
    state
        .run(move |s| with_entity!(entity.as_str(), T => list_of::<T>(s, &args)))
        .await
}

#[tauri::command]
pub async fn get_record(
    state: State<'_, Ledger>,
    entity: String,
    id: String,
) -> IpcResult<RecordOut> {
    state
        .run(move |s| {
            let id = parse_id(&id)?;
            with_entity!(entity.as_str(), T => {
                let rec: T = s.get(&id)?;
                record_out(s, &rec)
            })
        })
        .await
}

#[tauri::command]
pub async fn add_record(
    state: State<'_, Ledger>,
    entity: String,
    fields: BTreeMap<String, String>,
) -> IpcResult<RecordOut> {
    state
        .run(move |s| with_entity!(entity.as_str(), T => add_of::<T>(s, fields)))
        .await
}

#[tauri::command]
pub async fn update_record(
    state: State<'_, Ledger>,
    entity: String,
    id: String,
    fields: BTreeMap<String, String>,
) -> IpcResult<UpdateOut> {
    state
        .run(move |s| with_entity!(entity.as_str(), T => update_of::<T>(s, &id, fields)))
        .await
}

/// A record's change log (its own entries and those of records it parents).
#[tauri::command]
pub async fn history(state: State<'_, Ledger>, id: String) -> IpcResult<Vec<ChangeEntry>> {
    state.run(move |s| Ok(s.history(&parse_id(&id)?)?)).await
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct OrgNode {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub org_type: String,
    pub status: String,
}

/// Every org with its parent, for the 隶属关系 tree.
#[tauri::command]
pub async fn org_tree(state: State<'_, Ledger>) -> IpcResult<Vec<OrgNode>> {
    state.run(|s| Ok(org_nodes(s)?)).await
}

/// The orgs in 拼音 order of their names (so each level of the tree is), as the lists sort.
fn org_nodes(s: &Store) -> taizhang::Result<Vec<OrgNode>> {
    let order = format!("name COLLATE {}", taizhang::store::collate::PINYIN);
    let orgs: Vec<taizhang::model::Org> = s.list("1", &[], &order)?;
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
    use taizhang::model::{Member, Org, Unit};

    fn store() -> Store {
        Store::open_in_memory().unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
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
            s.insert(Org::new(name, taizhang::model::OrgType::Branch, "单独组建"))
                .unwrap();
        }
        let names: Vec<String> = org_nodes(&s).unwrap().into_iter().map(|n| n.name).collect();
        // By code point 伟 < 华 < 宝.
        assert_eq!(
            names,
            ["中共宝丰公司支部", "中共华茂公司支部", "中共伟业公司支部"]
        );
    }

    #[test]
    fn specs_carry_labels_and_choices() {
        let s = store();
        let specs = field_specs_of::<Member>(&s).unwrap();
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
            (org.kind, org.target, org.required),
            ("ref", Some("org"), true)
        );
    }

    #[test]
    fn add_list_update_with_field_errors() {
        let mut s = store();
        let unit = add_of::<Unit>(
            &mut s,
            fields(&[("name", "恒达机械"), ("category", "民营企业")]),
        )
        .unwrap();
        let unit_id = unit.record["id"].as_str().unwrap().to_string();
        let org = add_of::<Org>(
            &mut s,
            fields(&[
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
        let err = add_of::<Member>(
            &mut s,
            fields(&[
                ("name", "王建国"),
                ("id_number", "110101199003070001"),
                ("org_id", &org_id),
                ("joined_on", "2015-07-01"),
            ]),
        )
        .unwrap_err();
        assert_eq!(err.code, "validation");
        assert!(err.fields.iter().any(|f| f.field == "id_number"), "{err:?}");
        let page = list_of::<Unit>(
            &s,
            &ListArgs {
                search: Some("恒达".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(page.total, 1);
        let up = update_of::<Unit>(&mut s, &unit_id, fields(&[("employees", "很多")])).unwrap_err();
        assert!(up.fields.iter().any(|f| f.field == "employees"));
        let up = update_of::<Unit>(&mut s, &unit_id, fields(&[("employees", "120")])).unwrap();
        assert!(up.changed);
        assert_eq!(s.history(&parse_id(&unit_id).unwrap()).unwrap().len(), 2);
    }
}
