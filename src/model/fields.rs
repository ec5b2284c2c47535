//! A description of each record type's fields — name, Chinese label, kind, required — and the
//! parsing of values as people write them. The CLI builds its flags from it, and imports map
//! columns to it, so text → value conversion is written once.

pub use super::dates::{parse_date, parse_date_precision, Precision};
use super::validate::{FieldError, FieldErrors};
use super::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// A fixed vocabulary (an enum of `model::dict`): how to read it and what it allows.
#[derive(Clone, Copy)]
pub struct Vocabulary {
    pub parse: fn(&str) -> Result<&'static str, String>,
    /// Every allowed value, in display order.
    pub labels: &'static [&'static str],
}

/// How a field's text is parsed.
#[derive(Clone, Copy)]
pub enum FieldKind {
    Text,
    Int,
    /// 是/否, also √ ✓ Y 1 有 / × N 0 无
    Bool,
    /// 2019-07-01, 2019.7.1, 2019/7/1, 2019年7月1日, 20190701
    Date,
    /// 元, e.g. 3000.50
    Money,
    /// 月份, e.g. 2026-01
    Month,
    /// One value of a fixed vocabulary (label or synonym).
    Choice(Vocabulary),
    /// Several values of a fixed vocabulary, separated by 、 , ， ; or ；
    Choices(Vocabulary),
    /// A value of an open dictionary (checked against the database on save).
    Dict(&'static str),
    /// The id of a record in a table.
    Ref(&'static str),
    /// Several ids.
    Refs(&'static str),
    /// Several texts (photo paths …).
    TextList,
    /// Committee seats: 书记:张三,组织委员:李四 (or JSON)
    Seats,
    /// Checklist results: plaque=有,flag=无:破损 (or JSON)
    Checks,
    /// Follow-up items: 整改内容@2026-12-31;另一项 (or JSON)
    FollowUps,
    /// Attendance as JSON: [{"member_id": …, "present": false, "reason": "出差"}]
    Attendance,
    /// 培养考察: 2021-03-01:表现良好；2021-09-01 (or JSON)
    Assessments,
}

impl FieldKind {
    /// The kind's name as the window's forms know it (text, date, ref …).
    pub fn code(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Int => "int",
            FieldKind::Bool => "bool",
            FieldKind::Date => "date",
            FieldKind::Money => "money",
            FieldKind::Month => "month",
            FieldKind::Choice(_) => "choice",
            FieldKind::Choices(_) => "choices",
            FieldKind::Dict(_) => "dict",
            FieldKind::Ref(_) => "ref",
            FieldKind::Refs(_) => "refs",
            FieldKind::TextList => "textlist",
            FieldKind::Seats => "seats",
            FieldKind::Checks => "checks",
            FieldKind::FollowUps => "followups",
            FieldKind::Attendance => "attendance",
            FieldKind::Assessments => "assessments",
        }
    }

    /// Whether a list can be filtered by a field of this kind: one plain value per record
    /// (lists, seats, checklists and attendance are not).
    pub fn filterable(self) -> bool {
        matches!(
            self,
            FieldKind::Text
                | FieldKind::Int
                | FieldKind::Bool
                | FieldKind::Date
                | FieldKind::Money
                | FieldKind::Month
                | FieldKind::Choice(_)
                | FieldKind::Dict(_)
                | FieldKind::Ref(_)
        )
    }

    /// Whether a list can be sorted by a field of this kind: a filterable value that is not
    /// an id.
    pub fn sortable(self) -> bool {
        self.filterable() && !matches!(self, FieldKind::Ref(_))
    }
}

/// One field of a record type.
pub struct FieldSpec {
    /// Name in JSON and the database (snake_case).
    pub name: &'static str,
    /// 中文名称
    pub label: &'static str,
    pub kind: FieldKind,
    /// Must be given when a record is created.
    pub required: bool,
    /// Longest text a person may give it, in characters ([`DEFAULT_MAX_CHARS`],
    /// [`LONG_MAX_CHARS`] for free text such as 内容摘要, [`STRUCTURED_MAX_CHARS`] for
    /// seats, checklists, attendance and lists).
    pub max_chars: usize,
}

/// Longest value of a field, in characters, unless the field is free text: a name, a place,
/// a number is far shorter; nothing a person types is 100,000 characters.
pub const DEFAULT_MAX_CHARS: usize = 200;
/// Longest free text (内容摘要, 走访情况, 备注 …).
pub const LONG_MAX_CHARS: usize = 10_000;
/// Longest value of a structured field (committee seats, checklist results, attendance, lists
/// of ids — written by forms and exports, not typed): bounded, but far beyond any branch's.
pub const STRUCTURED_MAX_CHARS: usize = 1_000_000;

/// The length limit of a field of `kind` unless the spec says otherwise.
const fn max_chars_of(kind: FieldKind) -> usize {
    match kind {
        FieldKind::Refs(_)
        | FieldKind::Choices(_)
        | FieldKind::TextList
        | FieldKind::Seats
        | FieldKind::Checks
        | FieldKind::FollowUps
        | FieldKind::Assessments
        | FieldKind::Attendance => STRUCTURED_MAX_CHARS,
        _ => DEFAULT_MAX_CHARS,
    }
}

impl FieldSpec {
    pub const fn new(name: &'static str, label: &'static str, kind: FieldKind) -> Self {
        FieldSpec {
            name,
            label,
            kind,
            required: false,
            max_chars: max_chars_of(kind),
        }
    }
    pub const fn req(name: &'static str, label: &'static str, kind: FieldKind) -> Self {
        FieldSpec {
            name,
            label,
            kind,
            required: true,
            max_chars: max_chars_of(kind),
        }
    }
    /// Free text, up to [`LONG_MAX_CHARS`].
    pub const fn long(self) -> Self {
        FieldSpec {
            max_chars: LONG_MAX_CHARS,
            ..self
        }
    }
}

/// Characters no person types and that change how text reads: control characters (but tab
/// and line breaks), direction overrides and isolates (U+202A–U+202E, U+2066–U+2069), and
/// invisible marks (U+200B–U+200F, U+2060, U+FEFF).
pub fn hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Whether `raw` surely holds none of the [`hidden`] characters, from its bytes alone (most
/// values: ASCII and CJK). U+2000–U+2FFF (lead byte E2, also “” … —) take the slow look.
fn surely_plain(raw: &str) -> bool {
    let b = raw.as_bytes();
    !b.iter().enumerate().any(|(i, &x)| match x {
        0x00..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f | 0x7f | 0xe2 => true,
        0xc2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xef => b.get(i + 1) == Some(&0xbb) && b.get(i + 2) == Some(&0xbf),
        _ => false,
    })
}

/// Refuse a value longer than the field allows or holding characters no person types.
pub fn check_text(spec: &FieldSpec, raw: &str) -> Result<(), String> {
    if raw.len() > spec.max_chars {
        let n = raw.trim().chars().count();
        if n > spec.max_chars {
            return Err(format!("太长：最多 {} 个字，这里有 {n} 个", spec.max_chars));
        }
    }
    if surely_plain(raw) {
        return Ok(());
    }
    if let Some((i, c)) = raw.chars().enumerate().find(|(_, c)| hidden(*c)) {
        return Err(format!(
            "含有看不见的控制字符（第 {} 个字符，U+{:04X}）：请删去后重新输入",
            i + 1,
            c as u32
        ));
    }
    Ok(())
}

/// A record type that can be built from field texts.
pub trait Fields: Serialize + DeserializeOwned {
    /// Fields users set, in display order.
    const FIELDS: &'static [FieldSpec];
    /// A record with defaults and placeholders, the base for a new record.
    fn blank() -> Self;

    /// Fill fields that follow from others when they were not given (性别 and 出生日期 from
    /// the 公民身份号码), or were given only in part (出生年月 without the day). `inputs`:
    /// the texts the record was built from (the last text of a field counts).
    fn derive(&mut self, _given: &[&str], _inputs: &[(String, String)]) {}

    fn field(name: &str) -> Option<&'static FieldSpec> {
        Self::FIELDS.iter().find(|f| f.name == name)
    }

    /// Set one field of `FIELDS` from its text as `apply_fields` would, without its JSON round
    /// trip (for building many records quickly: the import). `Some(Ok(given))`: set, `given`
    /// as `apply_fields` counts it (its value was not null). `Some(Err(message))`: the text
    /// gives the field no value `apply_fields` would take — `parse_value`'s message, or
    /// 必须填写 for blank text in a field that cannot be empty (null, which serde refuses
    /// unless a later text for the same field replaces it: callers handle a field given twice
    /// the JSON way). `None`: the type has no typed setter for this field; use the JSON way.
    fn set_text(&mut self, _spec: &FieldSpec, _raw: &str) -> Option<Result<bool, String>> {
        None
    }
}

const LIST_SEPARATORS: [char; 5] = ['、', ',', '，', ';', '；'];

fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(LIST_SEPARATORS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Parse a yes/no as written in ledgers.
pub fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.trim().to_lowercase().as_str() {
        "是" | "√" | "✓" | "✔" | "y" | "yes" | "1" | "有" | "true" | "已建" | "已建立" => {
            Ok(true)
        }
        "否" | "×" | "✗" | "n" | "no" | "0" | "无" | "false" | "" | "未建" | "未建立" => {
            Ok(false)
        }
        other => Err(format!("“{other}”应为 是 或 否")),
    }
}

/// The text of a field as its kind's conversion gets it: trimmed, `None` when blank (JSON
/// null) — except for a yes/no, where blank text means 否.
pub fn field_text(kind: FieldKind, raw: &str) -> Option<&str> {
    let t = raw.trim();
    (!t.is_empty() || matches!(kind, FieldKind::Bool)).then_some(t)
}

/// `Fields::set_text` for a field that cannot be null (`String`, a date, an enum, a yes/no):
/// `parse` is the conversion `parse_value` uses for the field's kind.
pub fn set_value<V>(
    slot: &mut V,
    kind: FieldKind,
    raw: &str,
    parse: impl FnOnce(&str) -> Result<V, String>,
) -> Result<bool, String> {
    // Blank text is null, which serde does not put in such a field.
    let t = field_text(kind, raw).ok_or("必须填写")?;
    *slot = parse(t)?;
    Ok(true)
}

/// `Fields::set_text` for an optional field: blank text is `None`, and not given.
pub fn set_option<V>(
    slot: &mut Option<V>,
    kind: FieldKind,
    raw: &str,
    parse: impl FnOnce(&str) -> Result<V, String>,
) -> Result<bool, String> {
    *slot = field_text(kind, raw).map(parse).transpose()?;
    Ok(slot.is_some())
}

/// An amount as `apply_fields` stores it. Through JSON `Money` is 元 in an f64, which holds
/// amounts beyond about 2^50 分 (10 万亿元) only approximately; typed setters keep that, so
/// both ways give the same record. (Serde on a lone number: no map, no allocation.)
pub fn money_through_json(m: Money) -> Result<Money, String> {
    serde_json::to_value(m)
        .and_then(serde_json::from_value)
        .map_err(|e| format!("数据不完整：{e}"))
}

/// Turn a field's text into its JSON value (`Value::Null` for blank text).
pub fn parse_value(kind: FieldKind, raw: &str) -> Result<Value, String> {
    let Some(t) = field_text(kind, raw) else {
        return Ok(Value::Null);
    };
    let json_or = |f: &dyn Fn(&str) -> Result<Value, String>| {
        if t.starts_with('[') {
            serde_json::from_str(t).map_err(|e| format!("JSON 格式错误：{e}"))
        } else {
            f(t)
        }
    };
    Ok(match kind {
        FieldKind::Text | FieldKind::Dict(_) => json!(t),
        FieldKind::Int => json!(t.parse::<i64>().map_err(|_| format!("“{t}”应为整数"))?),
        FieldKind::Bool => json!(parse_bool(t)?),
        FieldKind::Date => json!(parse_date(t)?),
        FieldKind::Money => json!(t.parse::<Money>()?),
        FieldKind::Month => json!(Dues::normalise_month(t)?),
        FieldKind::Choice(v) => json!((v.parse)(t)?),
        FieldKind::Choices(v) => {
            json!(split_list(t).map(v.parse).collect::<Result<Vec<_>, _>>()?)
        }
        FieldKind::Ref(_) => json!(t.parse::<Id>()?),
        FieldKind::Refs(_) => json_or(&|s| {
            Ok(json!(split_list(s)
                .map(str::parse::<Id>)
                .collect::<Result<Vec<_>, _>>()?))
        })?,
        FieldKind::TextList => json_or(&|s| Ok(json!(split_list(s).collect::<Vec<_>>())))?,
        FieldKind::Seats => json_or(&|s| {
            let seats = split_list(s)
                .map(|p| match p.split_once([':', '：']) {
                    Some((role, name)) => Ok(json!({"role": role.trim(), "name": name.trim()})),
                    None => Err(format!("“{p}”应写成 职务:姓名，如 书记:张三")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(json!(seats))
        })?,
        FieldKind::Checks => json_or(&|s| {
            let items = split_list(s)
                .map(|p| {
                    let (code, rest) = p.split_once('=').ok_or_else(|| format!("“{p}”应写成 项目=有/无/部分"))?;
                    let (result, note) = rest.split_once([':', '：']).unwrap_or((rest, ""));
                    let result = CheckResult::parse(result)?;
                    Ok(json!({"item_code": code.trim(), "result": result, "note": (!note.trim().is_empty()).then(|| note.trim())}))
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(json!(items))
        })?,
        FieldKind::FollowUps => json_or(&|s| {
            let items = s
                .split([';', '；'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| match p.rsplit_once('@') {
                    Some((content, due)) => {
                        Ok(json!({"content": content.trim(), "due_on": parse_date(due)?}))
                    }
                    None => Ok(json!({"content": p})),
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(json!(items))
        })?,
        FieldKind::Attendance => {
            serde_json::from_str(t).map_err(|e| format!("JSON 格式错误：{e}"))?
        }
        FieldKind::Assessments => json_or(&|s| {
            let items = s
                .split([';', '；'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (on, note) = p.split_once([':', '：']).unwrap_or((p, ""));
                    let note = note.trim();
                    Ok(json!({"on": parse_date(on)?, "note": (!note.is_empty()).then_some(note)}))
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(json!(items))
        })?,
    })
}

/// Apply field texts to a record (a blank one for a new record, the stored one for an
/// update). Every unparsable field is reported, not just the first; for a new record,
/// missing required fields are reported too.
pub fn apply_fields<T: Fields>(
    base: &T,
    inputs: &[(String, String)],
    creating: bool,
) -> Result<T, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut map: Map<String, Value> = match serde_json::to_value(base) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut given: Vec<&str> = Vec::with_capacity(inputs.len());
    for (name, raw) in inputs {
        let Some(spec) = T::field(name) else {
            errors.0.push(FieldError {
                field: "fields",
                label: "字段",
                message: format!("没有名为“{name}”的字段"),
            });
            continue;
        };
        match check_text(spec, raw).and_then(|()| parse_value(spec.kind, raw)) {
            Ok(v) => {
                if !v.is_null() {
                    given.push(spec.name);
                }
                map.insert(spec.name.to_string(), v);
            }
            Err(m) => errors.push(spec.name, spec.label, m),
        }
    }
    if creating {
        let missing: Vec<&FieldSpec> = T::FIELDS
            .iter()
            .filter(|f| f.required && !given.contains(&f.name) && !errors.has(f.name))
            .collect();
        for spec in missing {
            errors.push(spec.name, spec.label, "必须填写");
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rec: T = serde_json::from_value(Value::Object(map)).map_err(|e| {
        let mut errs = FieldErrors::default();
        errs.push("fields", "字段", format!("数据不完整：{e}"));
        errs
    })?;
    rec.derive(&given, inputs);
    Ok(rec)
}

/// `apply_fields`, and when the record cannot be built, every other problem it has as well,
/// so that the user fixes them in one pass instead of meeting them one after another: the
/// texts that do not parse, the required fields missing, and what validation finds in the
/// record built from the other texts — each field reported once. `refused`: fields whose
/// value was refused before the texts were gathered (an import's bad cell, already reported):
/// not reported again, not even as missing, and then no record is built (`Err`, perhaps with
/// no problem beyond those). A record built is not validated here: saving it does that.
pub fn apply_fields_reporting_all<T: Fields + Validate>(
    base: &T,
    inputs: &[(String, String)],
    creating: bool,
    refused: &[&str],
    lookup: &dyn Lookup,
) -> Result<T, FieldErrors> {
    let mut errors = match apply_fields(base, inputs, creating) {
        Ok(rec) if refused.is_empty() => return Ok(rec),
        Ok(_) => FieldErrors::default(),
        Err(e) => e,
    };
    errors.0.retain(|e| !refused.contains(&e.field));
    let reported = |errors: &FieldErrors, f: &str| errors.has(f) || refused.contains(&f);
    let rest: Vec<(String, String)> = inputs
        .iter()
        .filter(|(f, _)| !reported(&errors, f))
        .cloned()
        .collect();
    if let Ok(mut partial) = apply_fields(base, &rest, false) {
        let found: Vec<FieldError> = partial
            .validate(lookup)
            .0
            .into_iter()
            .filter(|e| !reported(&errors, e.field))
            .collect();
        errors.0.extend(found);
    }
    Err(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_no_person_types_is_refused() {
        let name = FieldSpec::req("name", "姓名", FieldKind::Text);
        let summary = FieldSpec::new("summary", "内容摘要", FieldKind::Text).long();
        assert!(check_text(&name, "王建国").is_ok());
        assert!(check_text(&name, "“恒达”——机械…（有限）公司\t").is_ok());
        let long = "张".repeat(DEFAULT_MAX_CHARS + 1);
        assert!(check_text(&name, &long)
            .unwrap_err()
            .contains("最多 200 个字"));
        assert!(check_text(&summary, &long).is_ok());
        assert!(check_text(&summary, &"字".repeat(LONG_MAX_CHARS + 1)).is_err());
        for bad in [
            "王\u{202E}国",
            "王\u{200B}国",
            "王\x07国",
            "\x1b[31m王",
            "王\u{FEFF}",
            "王\u{85}",
        ] {
            let e = check_text(&name, bad).unwrap_err();
            assert!(e.contains("控制字符"), "{bad:?}: {e}");
        }
        assert!(check_text(&summary, "第一行\n第二行").is_ok());
        assert!(check_text(&name, "ＡＢＣ（全角）").is_ok());
        // Structured values (written by forms and exports) are bounded far higher.
        let seats = FieldSpec::new("committee", "班子成员", FieldKind::Seats);
        assert_eq!(seats.max_chars, STRUCTURED_MAX_CHARS);
        assert!(check_text(&seats, &"书记:张三,".repeat(100)).is_ok());
    }

    #[test]
    fn dates_as_people_write_them() {
        let d = NaiveDate::from_ymd_opt(2019, 7, 1).unwrap();
        for s in [
            "2019-07-01",
            "2019.7.1",
            "2019/7/1",
            "2019年7月1日",
            "20190701",
            " 2019-7-1 ",
        ] {
            assert_eq!(parse_date(s).unwrap(), d, "{s}");
        }
        for s in ["2019-02-30", "2019", "七月一日", "19-07", "2019-13"] {
            assert!(parse_date(s).is_err(), "{s}");
        }
    }

    /// The general reading, kept to check that the direct one for 20190701 and 2019-07-01
    /// gives the same date or the same message.
    fn parse_date_generally(raw: &str) -> Result<NaiveDate, String> {
        let t = raw.split_whitespace().next().unwrap_or("");
        let bad = || format!("“{t}”不是有效的日期（如 2019-07-01）");
        if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            return NaiveDate::parse_from_str(t, "%Y%m%d").map_err(|_| bad());
        }
        let parts: Vec<&str> = t.split(['-']).collect();
        match parts.as_slice() {
            [y, m, d] => {
                let (y, m, d) = (
                    y.parse().map_err(|_| bad())?,
                    m.parse().map_err(|_| bad())?,
                    d.parse().map_err(|_| bad())?,
                );
                NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }

    #[test]
    fn dates_read_directly_as_generally() {
        let mut texts = Vec::new();
        for y in [
            "0000", "0001", "1899", "1900", "2019", "2024", "9999", "+201", "20a9",
        ] {
            for m in ["00", "01", "02", "07", "12", "13", "1a", "+1"] {
                for d in ["00", "01", "28", "29", "30", "31", "32", "-1"] {
                    texts.push(format!("{y}{m}{d}"));
                    texts.push(format!("{y}-{m}-{d}"));
                    texts.push(format!(" {y}-{m}-{d} 14:30"));
                }
            }
        }
        for t in &texts {
            assert_eq!(parse_date(t), parse_date_generally(t), "{t:?}");
        }
    }

    #[test]
    fn booleans() {
        for s in ["是", "√", "✓", "Y", "y", "1", "有"] {
            assert!(parse_bool(s).unwrap(), "{s}");
        }
        for s in ["否", "×", "N", "0", "无", ""] {
            assert!(!parse_bool(s).unwrap(), "{s}");
        }
        assert!(parse_bool("也许").is_err());
    }

    #[test]
    fn structured_texts() {
        let v = parse_value(FieldKind::Seats, "书记:张三，组织委员：李四").unwrap();
        assert_eq!(
            v,
            json!([{"role": "书记", "name": "张三"}, {"role": "组织委员", "name": "李四"}])
        );
        let v = parse_value(FieldKind::Checks, "flag=√,seal=无:丢失").unwrap();
        assert_eq!(v[0]["result"], json!("有"));
        assert_eq!(v[1]["note"], json!("丢失"));
        let v = parse_value(FieldKind::FollowUps, "补齐党旗@2026.12.31；完善制度").unwrap();
        assert_eq!(v[0]["due_on"], json!("2026-12-31"));
        assert_eq!(v[1]["content"], json!("完善制度"));
        let v = parse_value(FieldKind::Choices(ActivityType::VOCAB), "党员大会、党课").unwrap();
        assert_eq!(v, json!(["支部党员大会", "党课"]));
        assert!(parse_value(FieldKind::Choice(Gender::VOCAB), "未知").is_err());
    }

    #[test]
    fn apply_reports_all_problems() {
        let inputs = vec![
            ("employees".to_string(), "很多".to_string()),
            ("above_scale".to_string(), "也许".to_string()),
            ("nope".to_string(), "x".to_string()),
        ];
        let err = apply_fields::<Unit>(&Unit::blank(), &inputs, true).unwrap_err();
        for f in ["employees", "above_scale", "fields", "name", "category"] {
            assert!(err.has(f), "{f} missing in {err}");
        }
        let ok = apply_fields::<Unit>(
            &Unit::blank(),
            &[
                ("name".into(), "恒达".into()),
                ("category".into(), "民营企业".into()),
                ("employees".into(), "12".into()),
            ],
            true,
        )
        .unwrap();
        assert_eq!(
            (ok.name.as_str(), ok.category, ok.employees),
            ("恒达", UnitCategory::Enterprise, Some(12))
        );
    }

    fn texts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A missing required field, an unparsable text and what only validation finds (a bad
    /// 身份证号, a bad phone) come back together, each once.
    #[test]
    fn every_problem_of_a_record_at_once() {
        let mut lookup = crate::model::testing::FakeLookup::default();
        let org = Id::new();
        lookup.ids.insert(org);
        let first17 = "33012319900101001";
        let check = super::super::validate::id_number_check_char(first17).unwrap();
        let wrong = if check == '0' { '1' } else { '0' };
        let inputs = texts(&[
            ("name", "张三"),
            ("id_number", &format!("{first17}{wrong}")),
            ("phone", "123"),
            ("dues_base", "很多"),
            ("org_id", &org.to_string()),
        ]);
        let err =
            apply_fields_reporting_all(&Member::blank(), &inputs, true, &[], &lookup).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["dues_base", "joined_on", "id_number", "phone"],
            "{err}"
        );
        assert!(err.0[1].message.contains("必须填写"), "{err}");
        assert!(err.0[2].message.contains("校验码"), "{err}");

        // A refused field is neither missing nor invalid: reported once, by whoever refused it.
        let inputs = texts(&[
            ("name", "张三"),
            ("phone", "123"),
            ("joined_on", "2015.7.1"),
        ]);
        let err =
            apply_fields_reporting_all(&Member::blank(), &inputs, true, &["id_number"], &lookup)
                .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["org_id", "phone"], "{err}");
        // Nothing wrong but the refused field: still no record.
        let ok = texts(&[("name", "甲"), ("category", "企业")]);
        let unit = apply_fields_reporting_all(&Unit::blank(), &ok, true, &[], &lookup);
        assert_eq!(unit.map(|u| u.name).as_deref(), Ok("甲"));
        let refused = apply_fields_reporting_all(&Unit::blank(), &ok, true, &["x"], &lookup);
        assert_eq!(refused.map(|_| ()), Err(FieldErrors::default()));
    }
}
