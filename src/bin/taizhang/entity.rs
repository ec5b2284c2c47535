//! `taizhang <entity> add|list|show|update`, generated from each record type's field table.

use crate::output;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::Value;
use taizhang::model::fields::FieldKind;
use taizhang::model::*;
use taizhang::store::records::build_from_fields;
use taizhang::store::{ListQuery, Table};
use taizhang::{Result, Store};

/// A record type as the CLI presents it.
pub trait CliEntity: Table + Fields {
    /// Subcommand name.
    const NAME: &'static str;
    /// Fields shown in the `list` table.
    const LIST_COLUMNS: &'static [&'static str];
    /// Extra arguments of `add`.
    fn add_args() -> Vec<Arg> {
        Vec::new()
    }
    /// Insert a new record (some types do more than a plain insert).
    fn add(store: &mut Store, rec: Self, _m: &ArgMatches) -> Result<Self> {
        store.insert(rec)
    }
}

fn arg_name(field: &str) -> String {
    field.replace('_', "-")
}

fn kind_hint(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Date => "（日期，如 2019-07-01）",
        FieldKind::Bool => "（是/否）",
        FieldKind::Money => "（元）",
        FieldKind::Month => "（如 2026-01）",
        FieldKind::Ref(_) => "（编号）",
        FieldKind::Refs(_) => "（编号，多个用逗号分隔）",
        FieldKind::Choices(_) => "（多个用顿号或逗号分隔）",
        FieldKind::Seats => "（如 书记:张三,组织委员:李四）",
        FieldKind::Checks => "（如 plaque=有,flag=无:待补）",
        FieldKind::FollowUps => "（如 补齐党旗@2026-12-31;完善制度）",
        FieldKind::Attendance => "（JSON）",
        _ => "",
    }
}

fn field_args<T: Fields>(filters_only: bool) -> Vec<Arg> {
    T::FIELDS
        .iter()
        .filter(|f| !filters_only || f.kind.filterable())
        .map(|f| {
            let mut a = Arg::new(f.name)
                .long(arg_name(f.name))
                .value_name(f.label)
                .help(format!(
                    "{}{}{}",
                    f.label,
                    kind_hint(f.kind),
                    if f.required && !filters_only {
                        "，必填"
                    } else {
                        ""
                    }
                ));
            // --org for --org-id, --units for --unit-ids …
            if let Some(short) = f.name.strip_suffix("_id") {
                a = a.visible_alias(arg_name(short));
            } else if let Some(short) = f.name.strip_suffix("_ids") {
                a = a.visible_alias(format!("{}s", arg_name(short)));
            }
            a
        })
        .collect()
}

fn id_arg() -> Arg {
    Arg::new("id")
        .required(true)
        .value_name("编号")
        .help("记录编号（UUID）")
}

pub fn command<T: CliEntity>(about: &'static str) -> Command {
    Command::new(T::NAME)
        .about(about)
        .subcommand_required(true)
        .subcommand(
            Command::new("add")
                .about(format!("新增{}", T::LABEL))
                .args(field_args::<T>(false))
                .args(T::add_args()),
        )
        .subcommand(
            Command::new("list")
                .about(format!("列出{}（可按字段筛选）", T::LABEL))
                .args(field_args::<T>(true))
                .arg(
                    Arg::new("search")
                        .long("search")
                        .short('s')
                        .value_name("关键字")
                        .help("按名称模糊查询"),
                )
                .arg(
                    Arg::new("limit")
                        .long("limit")
                        .value_parser(clap::value_parser!(usize))
                        .help("最多显示条数"),
                )
                .arg(
                    Arg::new("offset")
                        .long("offset")
                        .value_parser(clap::value_parser!(usize))
                        .help("跳过前若干条"),
                )
                .arg(
                    Arg::new("sort")
                        .long("sort")
                        .value_name("字段")
                        .help("按该字段排序（如 joined-on），默认按录入先后"),
                )
                .arg(
                    Arg::new("desc")
                        .long("desc")
                        .action(ArgAction::SetTrue)
                        .help("倒序排列"),
                ),
        )
        .subcommand(
            Command::new("show")
                .about(format!("查看{}", T::LABEL))
                .arg(id_arg()),
        )
        .subcommand(
            Command::new("update")
                .about(format!("修改{}（只改给出的字段）", T::LABEL))
                .arg(id_arg())
                .args(field_args::<T>(false)),
        )
}

fn inputs<T: Fields>(m: &ArgMatches) -> Vec<(String, String)> {
    T::FIELDS
        .iter()
        .filter_map(|f| {
            m.try_get_one::<String>(f.name)
                .ok()
                .flatten()
                .map(|v| (f.name.to_string(), v.clone()))
        })
        .collect()
}

pub fn parse_id(raw: &str) -> Result<Id> {
    raw.parse().map_err(taizhang::Error::Rule)
}

/// A field value as table text: names for references, 是/否 for booleans.
fn cell<T: Fields>(store: &Store, field: &str, v: &Value) -> String {
    let kind = T::field(field).map(|f| f.kind);
    match (v, kind) {
        (Value::Null, _) => String::new(),
        (Value::Bool(b), _) => if *b { "是" } else { "否" }.into(),
        (Value::Number(n), Some(FieldKind::Money)) => format!("{:.2}", n.as_f64().unwrap_or(0.0)),
        (Value::String(s), Some(FieldKind::Ref(table))) => s
            .parse()
            .ok()
            .and_then(|id| store.display_name(table, &id))
            .unwrap_or_else(|| s.clone()),
        (Value::String(s), _) => s.clone(),
        (Value::Array(items), _) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                Value::Object(o) => o
                    .get("name")
                    .or(o.get("content"))
                    .map(|n| match o.get("role") {
                        Some(Value::String(r)) => format!("{r}:{}", n.as_str().unwrap_or("")),
                        _ => n.as_str().unwrap_or("").to_string(),
                    })
                    .unwrap_or_else(|| i.to_string()),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("、"),
        (other, _) => other.to_string(),
    }
}

pub fn run<T: CliEntity>(store: &mut Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    match m.subcommand() {
        Some(("add", sub)) => {
            let rec = build_from_fields(store, &T::blank(), &inputs::<T>(sub), true)?;
            let rec = T::add(store, rec, sub)?;
            if as_json {
                output::json(&rec);
            } else {
                println!("已新增{}：{}", T::LABEL, rec.meta().id);
            }
        }
        Some(("update", sub)) => {
            let id = parse_id(
                sub.get_one::<String>("id")
                    .map(String::as_str)
                    .unwrap_or(""),
            )?;
            let old: T = store.get(&id)?;
            let rec = build_from_fields(store, &old, &inputs::<T>(sub), false)?;
            let saved = store.update(rec)?;
            if as_json {
                output::json(
                    &serde_json::json!({"changed": saved.changed, "record": saved.record}),
                );
            } else if saved.changed {
                println!("已修改{}：{}", T::LABEL, id);
            } else {
                println!("没有变化：{}", id);
            }
        }
        Some(("show", sub)) => {
            let id = parse_id(
                sub.get_one::<String>("id")
                    .map(String::as_str)
                    .unwrap_or(""),
            )?;
            let rec: T = store.get(&id)?;
            if as_json {
                output::json(&rec);
            } else {
                let v = serde_json::to_value(&rec)?;
                output::record::<T>(&v, |f, val| cell::<T>(store, f, val));
            }
        }
        Some(("list", sub)) => {
            let query = ListQuery {
                filters: inputs::<T>(sub),
                search: sub.get_one::<String>("search").cloned(),
                limit: sub.get_one::<usize>("limit").copied(),
                offset: sub.get_one::<usize>("offset").copied().unwrap_or(0),
                order_by: sub.get_one::<String>("sort").map(|f| f.replace('-', "_")),
                descending: sub.get_flag("desc"),
            };
            let rows: Vec<T> = store.query(&query)?;
            if as_json {
                output::json(&rows);
            } else {
                let mut headers = vec!["编号"];
                headers.extend(
                    T::LIST_COLUMNS
                        .iter()
                        .map(|c| T::field(c).map_or(*c, |f| f.label)),
                );
                let table: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        let v = serde_json::to_value(r).unwrap_or_default();
                        let mut row = vec![r.meta().id.to_string()];
                        row.extend(
                            T::LIST_COLUMNS
                                .iter()
                                .map(|c| cell::<T>(store, c, v.get(*c).unwrap_or(&Value::Null))),
                        );
                        row
                    })
                    .collect();
                output::table(&headers, &table);
            }
        }
        _ => unreachable!("clap requires a subcommand"),
    }
    Ok(())
}

macro_rules! plain_entity {
    ($ty:ty, $name:literal, [$($col:literal),+]) => {
        impl CliEntity for $ty {
            const NAME: &'static str = $name;
            const LIST_COLUMNS: &'static [&'static str] = &[$($col),+];
        }
    };
}

plain_entity!(
    Unit,
    "unit",
    ["name", "category", "area", "employees", "status"]
);
plain_entity!(
    Org,
    "org",
    ["name", "org_type", "formation", "area", "status"]
);
plain_entity!(
    Inspection,
    "inspection",
    ["inspected_on", "org_id", "inspector_kind", "inspector_name"]
);
plain_entity!(
    Instructor,
    "instructor",
    ["name", "employer", "phone", "active"]
);
plain_entity!(
    Visit,
    "visit",
    ["visited_on", "instructor_id", "unit_id", "findings"]
);
plain_entity!(Alliance, "alliance", ["name", "kind", "lead_org_id"]);
plain_entity!(Dues, "dues", ["month", "member_id", "base", "due", "paid"]);

impl CliEntity for Member {
    const NAME: &'static str = "member";
    const LIST_COLUMNS: &'static [&'static str] = &[
        "name",
        "gender",
        "id_number",
        "category",
        "status",
        "org_id",
    ];
    fn add(store: &mut Store, rec: Self, _m: &ArgMatches) -> Result<Self> {
        store.write(|tx| tx.add_member(rec))
    }
}

impl CliEntity for Activity {
    const NAME: &'static str = "activity";
    const LIST_COLUMNS: &'static [&'static str] =
        &["held_on", "types", "org_id", "topic", "expected", "present"];
    fn add_args() -> Vec<Arg> {
        vec![Arg::new("absent")
            .long("absent")
            .action(ArgAction::Append)
            .value_name("编号[:原因]")
            .help("缺席党员及原因（可多次给出）；未给出出席情况时，应到名单取该党组织全部在册党员")]
    }
    fn add(store: &mut Store, rec: Self, m: &ArgMatches) -> Result<Self> {
        let mut absent = Vec::new();
        for raw in m.get_many::<String>("absent").into_iter().flatten() {
            let (id, reason) = match raw.split_once([':', '：']) {
                Some((id, r)) => (id, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
                None => (raw.as_str(), None),
            };
            absent.push((parse_id(id)?, reason));
        }
        store.write(|tx| tx.add_activity(rec, &absent))
    }
}
