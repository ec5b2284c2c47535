//! `taizhang settings get|set` — the ledger's settings (填报单位, operator, rule parameters …).

use crate::output;
use clap::{Arg, ArgMatches, Command};
use taizhang::{Result, Store};

pub fn command() -> Command {
    Command::new("settings")
        .about("查看或修改设置（JSON 值）")
        .subcommand_required(true)
        .subcommand(Command::new("get").arg(Arg::new("key").required(true)))
        .subcommand(
            Command::new("set")
                .arg(Arg::new("key").required(true))
                .arg(Arg::new("value").required(true).value_name("JSON")),
        )
}

pub fn run(store: &mut Store, m: &ArgMatches, _as_json: bool) -> Result<()> {
    let arg = |m: &ArgMatches, n: &str| m.get_one::<String>(n).cloned().unwrap_or_default();
    match m.subcommand() {
        Some(("set", s)) => {
            let (key, raw) = (arg(s, "key"), arg(s, "value"));
            // A bare word is taken as a string, so `settings set operator 张三` works.
            let value = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
            store.set_setting(&key, value)?;
            println!("已保存设置 {key}");
        }
        Some(("get", s)) => {
            let v: Option<serde_json::Value> = store.setting(&arg(s, "key"))?;
            output::json(&v.unwrap_or_default());
        }
        _ => unreachable!("clap requires a subcommand"),
    }
    Ok(())
}
