//! `taizhang settings get|set` — the ledger's settings (填报单位, operator, rule parameters …).
//!
//! Rule parameters are one setting, `rule_params`, set whole (`settings set rule_params
//! '{"joint_branch_max_units":6}'`) or one value at a time by dotted path (`settings set
//! rule_params.joint_branch_max_units 6`); `settings get rule_params` shows every parameter in
//! force, defaults filled in. Which keys exist and how values are checked is
//! `taizhang::api::settings`, as for the desktop.

use crate::output;
use clap::{Arg, ArgMatches, Command};
use serde_json::Value;
use taizhang::api::settings;
use taizhang::{Result, Store};

pub fn command() -> Command {
    Command::new("settings")
        .about("查看或修改设置（JSON 值）；规则参数：rule_params 或 rule_params.参数名")
        .subcommand_required(true)
        .subcommand(
            Command::new("get")
                .about("查看设置（rule_params 显示生效的全部规则参数）")
                .arg(Arg::new("key").required(true)),
        )
        .subcommand(
            Command::new("set")
                .about("修改设置，如 settings set rule_params.joint_branch_max_units 6")
                .arg(Arg::new("key").required(true))
                .arg(
                    Arg::new("value")
                        .required(true)
                        .allow_hyphen_values(true)
                        .value_name("JSON"),
                ),
        )
}

pub fn run(store: &mut Store, m: &ArgMatches, as_json: bool) -> Result<()> {
    let arg = |m: &ArgMatches, n: &str| m.get_one::<String>(n).cloned().unwrap_or_default();
    match m.subcommand() {
        Some(("set", s)) => {
            let (key, raw) = (arg(s, "key"), arg(s, "value"));
            // A bare word is taken as a string, so `settings set operator 张三` works.
            let value = serde_json::from_str(&raw).unwrap_or(Value::String(raw));
            settings::set(store, &key, value)?;
            if as_json {
                let v = settings::get(store, &key)?;
                output::json(&serde_json::json!({"key": key, "value": v}));
            } else {
                println!("已保存设置 {key}");
            }
        }
        Some(("get", s)) => output::json(&settings::get(store, &arg(s, "key"))?),
        _ => unreachable!("clap requires a subcommand"),
    }
    Ok(())
}
