//! 设置 as a person changes them, from the window or the command line: which keys exist, how
//! each value is checked, and what is in force. One policy for every front end.

use crate::error::{Error, Result};
use crate::model::DuesRates;
use crate::rules::params::{get_param, set_param, set_params, RULE_PARAMS_KEY};
use crate::store::{
    AutoBackupParams, AUTO_BACKUP_KEY, DUES_RATES_KEY, OPERATOR_KEY, REPORT_UNIT_KEY,
};
use crate::Store;
use serde_json::Value;

/// The settings a person may change: key and 名称. Rule parameters are also set one at a
/// time by dotted path (`rule_params.joint_branch_max_units`).
pub const SETTINGS: [(&str, &str); 5] = [
    (OPERATOR_KEY, "操作人"),
    (REPORT_UNIT_KEY, "填报单位"),
    (RULE_PARAMS_KEY, "规则参数"),
    (AUTO_BACKUP_KEY, "自动备份"),
    (DUES_RATES_KEY, "党费比例"),
];

/// The part of a key below `rule_params`: Some("") for the whole, Some(path) for one value.
fn rule_param_path(key: &str) -> Option<&str> {
    if key == RULE_PARAMS_KEY {
        Some("")
    } else {
        key.strip_prefix(RULE_PARAMS_KEY)
            .and_then(|rest| rest.strip_prefix('.'))
    }
}

fn unknown(key: &str) -> Error {
    let known: Vec<String> = SETTINGS
        .iter()
        .map(|(k, name)| format!("{k}（{name}）"))
        .collect();
    Error::Rule(format!(
        "没有名为“{key}”的设置：可以设置 {}",
        known.join("、")
    ))
}

/// A text setting's value, trimmed; `required` ones may not be blank.
fn text(value: Value, name: &str, required: bool) -> Result<Value> {
    let t = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        _ => return Err(Error::Rule(format!("{name}应为一段文字"))),
    };
    if required && t.is_empty() {
        return Err(Error::Rule(format!("{name}不能为空")));
    }
    Ok(Value::String(t))
}

/// A structured setting's value, checked by reading it as its type.
fn typed<T: serde::de::DeserializeOwned>(value: Value, name: &str) -> Result<Value> {
    serde_json::from_value::<T>(value.clone())
        .map(|_| value)
        .map_err(|e| Error::Rule(format!("{name}的格式不对：{e}")))
}

/// Change a setting; the value is refused whole, saying why, when it makes no sense.
pub fn set(store: &mut Store, key: &str, value: Value) -> Result<()> {
    if let Some(path) = rule_param_path(key) {
        if path.is_empty() {
            set_params(store, value)?;
        } else {
            set_param(store, path, value)?;
        }
        return Ok(());
    }
    let value = match key {
        OPERATOR_KEY => {
            let v = text(value, "操作人", true)?;
            store.set_operator(v.as_str().unwrap_or_default());
            v
        }
        REPORT_UNIT_KEY => text(value, "填报单位", false)?,
        AUTO_BACKUP_KEY => typed::<AutoBackupParams>(value, "自动备份设置")?,
        DUES_RATES_KEY => typed::<DuesRates>(value, "党费比例表")?,
        other => return Err(unknown(other)),
    };
    store.set_setting(key, value)
}

/// A setting as in force (rule parameters with their defaults filled in); `null` when unset.
pub fn get(store: &Store, key: &str) -> Result<Value> {
    if let Some(path) = rule_param_path(key) {
        return get_param(store, path);
    }
    if !SETTINGS.iter().any(|(k, _)| *k == key) {
        return Err(unknown(key));
    }
    Ok(store.setting(key)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_policy_for_every_front_end() {
        let mut s = Store::open_in_memory().unwrap();
        set(&mut s, "operator", Value::String(" 张三 ".into())).unwrap();
        assert_eq!(get(&s, "operator").unwrap(), "张三");
        assert_eq!(s.session().operator, "张三");
        let err = set(&mut s, "operator", Value::String("  ".into())).unwrap_err();
        assert!(err.to_string().contains("操作人不能为空"), "{err}");
        assert_eq!(
            s.session().operator,
            "张三",
            "a refused value changes nothing"
        );
        set(
            &mut s,
            "report_unit",
            Value::String("清河县委社会工作部".into()),
        )
        .unwrap();
        assert_eq!(get(&s, "report_unit").unwrap(), "清河县委社会工作部");
        let err = set(&mut s, "opertor", Value::String("李四".into())).unwrap_err();
        assert!(err.to_string().contains("没有名为“opertor”的设置"), "{err}");
        assert!(get(&s, "nonsense").is_err());
        let err = set(&mut s, "dues_rates", serde_json::json!([1, 2])).unwrap_err();
        assert!(err.to_string().contains("党费比例表的格式不对"), "{err}");
        set(
            &mut s,
            "rule_params.joint_branch_max_units",
            serde_json::json!(6),
        )
        .unwrap();
        assert_eq!(get(&s, "rule_params.joint_branch_max_units").unwrap(), 6);
    }
}
