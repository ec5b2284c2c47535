//! Printing: JSON for scripts, aligned text tables for people.

use serde::Serialize;
use taizhang::model::{FieldErrors, Fields};
use taizhang::Error;

pub fn json<T: Serialize + ?Sized>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("输出 JSON 失败：{e}"),
    }
}

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !matches!(c as u32, 0x2000..=0x206F) {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Print rows under headers, columns aligned for CJK text.
/// Text as a terminal may show it: characters no person types (control bytes, direction
/// overrides — older ledgers may hold them) as �, line breaks as spaces.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if taizhang::model::fields::hidden(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| shown(c)).collect())
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c)).min(48);
        }
    }
    let line = |cells: Vec<String>| {
        let parts: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r.clone());
    }
    println!("共 {} 条", rows.len());
}

/// Print one record as 标签：值 lines, in field-table order.
pub fn record<T: Fields>(
    v: &serde_json::Value,
    names: impl Fn(&str, &serde_json::Value) -> String,
) {
    if let Some(id) = v.get("id").and_then(|x| x.as_str()) {
        println!("编号：{id}");
    }
    for f in T::FIELDS {
        let value = v.get(f.name).cloned().unwrap_or_default();
        let text = shown(&names(f.name, &value));
        if !text.is_empty() {
            println!("{}：{}", f.label, text);
        }
    }
    if let (Some(c), Some(u)) = (v.get("created_at"), v.get("updated_at")) {
        println!(
            "创建：{}  修改：{}",
            c.as_str().unwrap_or(""),
            u.as_str().unwrap_or("")
        );
    }
}

/// Report an error: a Chinese message on stderr (all invalid fields listed), and with
/// `--json` a `{code, message, fields}` object on stdout for scripts.
pub fn error(e: &Error, as_json: bool) {
    match e {
        Error::Validation(FieldErrors(list)) => {
            eprintln!("错误：数据有 {} 处问题，未保存：", list.len());
            for f in list {
                eprintln!("  【{}】{}", f.label, f.message);
            }
        }
        other => eprintln!("错误：{other}"),
    }
    if as_json {
        let fields = match e {
            Error::Validation(f) => serde_json::to_value(f).unwrap_or_default(),
            _ => serde_json::Value::Array(vec![]),
        };
        json(
            &serde_json::json!({"error": {"code": e.code(), "message": e.to_string(), "fields": fields}}),
        );
    }
}
