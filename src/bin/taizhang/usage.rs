//! The command line's own mistakes (an unknown option, a missing value …) in Chinese: clap
//! finds them, and says them in English; this says what it found, and what to do.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// Exit code of a command line that could not be understood (clap's, and the usual one).
pub const USAGE_EXIT: u8 = 2;

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) if !v.is_empty() => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The message for a command line clap refused (not for `--help` or `--version`).
pub fn chinese(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let mut msg = match e.kind() {
        ErrorKind::UnknownArgument => {
            let mut m = format!("无法识别的参数“{arg}”");
            if arg.len() > 1
                && arg.starts_with('-')
                && arg[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                m.push_str("：负数请用等号与选项写在一起，例如 --金额选项=-100");
            }
            m
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand).unwrap_or(arg);
            format!("无法识别的命令“{sub}”")
        }
        ErrorKind::InvalidValue => {
            let mut m = if value.is_empty() {
                format!("参数 {arg} 缺少值")
            } else {
                format!("参数 {arg} 的值“{value}”无效")
            };
            if let Some(valid) = context(e, ContextKind::ValidValue) {
                m.push_str(&format!("，可选：{valid}"));
            }
            m
        }
        ErrorKind::ValueValidation => format!("参数 {arg} 的值“{value}”无效"),
        ErrorKind::MissingRequiredArgument => format!("缺少必填参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".to_string()
        }
        ErrorKind::ArgumentConflict => {
            let other = context(e, ContextKind::PriorArg).unwrap_or_default();
            format!("参数 {arg} 不能与 {other} 同时使用")
        }
        ErrorKind::TooManyValues => format!("参数 {arg} 的值过多：“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 须用等号给值，例如 {arg}=值"),
        ErrorKind::InvalidUtf8 => "命令行含有无法识别的文字（不是 UTF-8）".to_string(),
        _ => "命令行有误".to_string(),
    };
    if let Some(suggested) = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
    {
        msg.push_str(&format!("。是否想用 {suggested}？"));
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    fn cmd() -> Command {
        Command::new("taizhang").subcommand(
            Command::new("member").subcommand(
                Command::new("add")
                    .arg(Arg::new("name").long("name").required(true))
                    .arg(Arg::new("dues-base").long("dues-base"))
                    .arg(
                        Arg::new("status")
                            .long("status")
                            .value_parser(["正式党员", "预备党员"]),
                    ),
            ),
        )
    }

    fn refused(args: &[&str]) -> String {
        chinese(&cmd().try_get_matches_from(args).unwrap_err())
    }

    #[test]
    fn clap_refusals_read_in_chinese() {
        let m = refused(&[
            "taizhang",
            "member",
            "add",
            "--name",
            "张三",
            "--dues-base",
            "-100",
        ]);
        assert!(
            m.contains("无法识别的参数“-1”") && m.contains("=-100"),
            "{m}"
        );
        let m = refused(&["taizhang", "member", "add"]);
        assert!(m.starts_with("缺少必填参数：--name"), "{m}");
        let m = refused(&[
            "taizhang", "member", "add", "--name", "张三", "--status", "党员",
        ]);
        assert!(
            m.contains("参数 --status") && m.contains("可选：正式党员、预备党员"),
            "{m}"
        );
        let m = refused(&["taizhang", "membr"]);
        assert!(
            m.contains("无法识别的命令“membr”") && m.contains("member"),
            "{m}"
        );
        let m = refused(&["taizhang", "member", "add", "--nam", "张三"]);
        assert!(
            m.contains("“--nam”") && m.contains("是否想用 --name"),
            "{m}"
        );
    }
}
