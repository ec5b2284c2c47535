//! Building a new record from a row's field texts, as `apply_fields` would on a blank record:
//! with the type's typed setters where it has them, else the JSON way.

use super::*;

/// A record type's blank record, made once per import rather than once per row.
pub(super) struct Blank<T> {
    /// `T::blank()`, for building with typed setters; `None` once a field without one was met.
    rec: Option<T>,
    /// `T::blank()` as JSON, for building the JSON way; made when first needed.
    json: Option<Map<String, Value>>,
}

impl<T: Fields> Blank<T> {
    pub(super) fn new() -> Self {
        Blank {
            rec: Some(T::blank()),
            json: None,
        }
    }
}

fn blank_json<T: Fields>() -> Map<String, Value> {
    match serde_json::to_value(T::blank()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// `apply_fields(&base, inputs, true)` where `base` is `T::blank()` with the id `id`, when it
/// succeeds (`None` otherwise: the ordinary path then reports the errors). Built with the
/// type's typed setters when it has them for every input (`Fields::set_text`), else the JSON
/// way; both give the same record.
pub(super) fn apply_new<T: Fields + Table>(
    blank: &mut Blank<T>,
    id: Id,
    inputs: &[(String, String)],
) -> Option<T> {
    if let Some(base) = &blank.rec {
        match apply_typed(base, id, inputs) {
            Ok(built) => return built,
            // Each field has a typed setter or not, whatever its text: the sheet's rows, with
            // the same columns, would meet the same field again.
            Err(Untyped::Unsupported) => blank.rec = None,
            Err(Untyped::Repeated) => {}
        }
    }
    let json = blank.json.get_or_insert_with(blank_json::<T>);
    apply_json(json, id, inputs)
}

/// Why a record was not built with typed setters.
#[derive(Debug, PartialEq)]
enum Untyped {
    /// A field without a typed setter (or a type with more fields than a mask holds).
    Unsupported,
    /// A field given twice: in JSON the last text's value replaces the first, yet a blank
    /// first text would be an error to a typed setter.
    Repeated,
}

/// `apply_json` with `Fields::set_text` instead of JSON; `Err` when it cannot be done so.
fn apply_typed<T: Fields + Table>(
    base: &T,
    id: Id,
    inputs: &[(String, String)],
) -> std::result::Result<Option<T>, Untyped> {
    // Bit i of a mask: `T::FIELDS[i]`.
    if T::FIELDS.len() > 64 {
        return Err(Untyped::Unsupported);
    }
    let mut rec = base.clone();
    rec.meta_mut().id = id;
    let mut given: Vec<&str> = Vec::with_capacity(inputs.len());
    let (mut set, mut given_bits) = (0u64, 0u64);
    for (name, raw) in inputs {
        let Some(i) = T::FIELDS.iter().position(|f| f.name == name) else {
            return Ok(None);
        };
        let spec = &T::FIELDS[i];
        let bit = 1u64 << i;
        if set & bit != 0 {
            return Err(Untyped::Repeated);
        }
        set |= bit;
        // The ordinary path says what is wrong with the text.
        if crate::model::fields::check_text(spec, raw).is_err() {
            return Ok(None);
        }
        match rec.set_text(spec, raw) {
            None => return Err(Untyped::Unsupported),
            Some(Err(_)) => return Ok(None),
            Some(Ok(false)) => {}
            Some(Ok(true)) => {
                given.push(spec.name);
                given_bits |= bit;
            }
        }
    }
    let missing = T::FIELDS
        .iter()
        .enumerate()
        .any(|(i, f)| f.required && given_bits & (1 << i) == 0);
    if missing {
        return Ok(None);
    }
    rec.derive(&given, inputs);
    Ok(Some(rec))
}

/// `apply_new` the JSON way, as `apply_fields` does it, from the blank record's JSON.
fn apply_json<T: Fields>(
    blank: &Map<String, Value>,
    id: Id,
    inputs: &[(String, String)],
) -> Option<T> {
    let mut map = blank.clone();
    map.insert("id".into(), serde_json::to_value(id).ok()?);
    let mut given: Vec<&str> = Vec::with_capacity(inputs.len());
    for (name, raw) in inputs {
        let spec = T::field(name)?;
        crate::model::fields::check_text(spec, raw).ok()?;
        let v = parse_value(spec.kind, raw).ok()?;
        if !v.is_null() {
            given.push(spec.name);
        }
        map.insert(spec.name.to_string(), v);
    }
    if T::FIELDS
        .iter()
        .any(|f| f.required && !given.contains(&f.name))
    {
        return None;
    }
    let mut rec: T = serde_json::from_value(Value::Object(map)).ok()?;
    rec.derive(&given, inputs);
    Some(rec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::{apply_fields, FieldKind, FieldSpec};
    use crate::model::validate::id_number_check_char;

    fn inputs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// `inputs` with `field`'s text replaced.
    fn with(inputs: &[(String, String)], field: &str, text: &str) -> Vec<(String, String)> {
        let mut inputs = inputs.to_vec();
        inputs.retain(|(f, _)| f != field);
        inputs.push((field.to_string(), text.to_string()));
        inputs
    }

    /// `apply_fields` on `T::blank()` with the id `id`, when it succeeds.
    fn slow<T: Fields + Table>(id: Id, inputs: &[(String, String)]) -> Option<T> {
        let mut base = T::blank();
        base.meta_mut().id = id;
        apply_fields(&base, inputs, true).ok()
    }

    /// `apply_new` is `apply_fields` on a blank record with an id, whenever it succeeds; for
    /// a member, built with typed setters or the JSON way alike.
    #[test]
    fn apply_new_is_apply_fields_on_a_blank_record() {
        let org = Id::new().to_string();
        let member = inputs(&[
            ("name", "张三"),
            ("gender", "女"),
            ("id_number", "330123199001010028"),
            ("ethnicity", "汉族"),
            ("joined_on", "2015.7.1"),
            ("category", "正式党员"),
            ("org_id", &org),
            ("is_mobile", "否"),
            ("phone", ""),
            ("dues_base", "3,000.50元"),
        ]);
        let unit = inputs(&[
            ("name", "甲公司"),
            ("category", "民营企业"),
            ("employees", "12"),
        ]);
        let id = Id::new();
        let slow_member = slow::<Member>(id, &member).unwrap();
        let mut blank = Blank::<Member>::new();
        assert_eq!(
            apply_new(&mut blank, id, &member).as_ref(),
            Some(&slow_member)
        );
        assert!(blank.rec.is_some() && blank.json.is_none(), "built typed");
        let typed = apply_typed(&Member::blank(), id, &member);
        assert_eq!(typed, Ok(Some(slow_member.clone())));
        let json = apply_json::<Member>(&blank_json::<Member>(), id, &member);
        assert_eq!(json, Some(slow_member));

        let slow_unit = slow::<Unit>(id, &unit).unwrap();
        let mut blank = Blank::<Unit>::new();
        let fast = apply_new(&mut blank, id, &unit).unwrap();
        assert!(
            blank.rec.is_none(),
            "Unit has no typed setters: the JSON way"
        );
        assert_eq!(
            serde_json::to_value(fast).unwrap(),
            serde_json::to_value(slow_unit).unwrap()
        );

        // A field given twice: the last text decides, a blank first one is no error.
        let twice = [member.clone(), inputs(&[("name", ""), ("name", " 李四 ")])].concat();
        let typed = apply_typed(&Member::blank(), id, &twice);
        assert!(matches!(typed, Err(Untyped::Repeated)));
        let fast = apply_new(&mut Blank::<Member>::new(), id, &twice).unwrap();
        assert_eq!(fast.name, "李四");
        assert_eq!(Some(fast), slow::<Member>(id, &twice));

        // Whatever apply_fields refuses, apply_new refuses, typed or not.
        for bad in [
            inputs(&[("name", "李四")]),
            inputs(&[("name", "李四"), ("joined_on", "七月")]),
            inputs(&[("nope", "x")]),
            // null in a field serde needs a value for, required or not
            with(&member, "gender", " "),
            with(&member, "category", ""),
            with(&member, "joined_on", "\u{3000}"),
            with(&member, "name", ""),
        ] {
            assert!(slow::<Member>(id, &bad).is_none(), "{bad:?}");
            assert!(apply_new(&mut Blank::<Member>::new(), id, &bad).is_none());
            assert!(matches!(apply_typed(&Member::blank(), id, &bad), Ok(None)));
        }
    }

    #[test]
    fn members_have_a_typed_setter_for_every_field() {
        for spec in Member::FIELDS {
            assert!(
                Member::blank().set_text(spec, "").is_some(),
                "{}",
                spec.name
            );
        }
        let spec = Unit::field("name").unwrap();
        assert!(Unit::blank().set_text(spec, "甲").is_none());
    }

    /// One of the `|`-separated texts.
    fn pick(rng: &mut fastrand::Rng, texts: &str) -> String {
        let texts: Vec<&str> = texts.split('|').collect();
        texts[rng.usize(..texts.len())].to_string()
    }

    /// A 公民身份号码: mostly valid (sometimes with a lower-case x), sometimes not.
    fn id_number(rng: &mut fastrand::Rng) -> String {
        let first = format!(
            "330123{:04}{:02}{:02}{:03}",
            rng.u32(1900..2010),
            rng.u32(1..=12),
            rng.u32(1..=28),
            rng.u32(0..1000)
        );
        let check = id_number_check_char(&first).unwrap_or('0');
        match rng.u8(..10) {
            0 => format!("{first}{}", check.to_ascii_lowercase()),
            1 => format!("{first}{}", if check == '0' { '1' } else { '0' }),
            2 => first[..15].to_string(),
            _ => format!("{first}{check}"),
        }
    }

    fn random_id(rng: &mut fastrand::Rng) -> Id {
        let mut random = [0; 10];
        random.iter_mut().for_each(|b| *b = rng.u8(..));
        Id::from_parts(rng.u64(..1 << 48), random)
    }

    /// A text people (or the import) might put in a field of this kind: with `noise` percent
    /// probability an odd one (blank, junk, the edge cases of each conversion), else a valid
    /// one in one of its usual spellings.
    fn sample(rng: &mut fastrand::Rng, spec: &FieldSpec, noise: u8) -> String {
        const JUNK: &str = "| |\u{3000}|\t|null|NULL|None|[]|{}|-|？|0|\"\"";
        if rng.u8(..100) < noise {
            if rng.bool() {
                return pick(rng, JUNK);
            }
            return match spec.kind {
                FieldKind::Date => pick(
                    rng,
                    "2019-02-30|2019-13|七月|19-07|2019|0.1.1|0000.1.1|+10000.1.1|10000-01-01|\
                     262142.12.31|262143.1.1|99999999|00000101|2019..1|2019.1.1.1|2019 .1.1|\
                     2019.7.1日|2019-7-1T00:00|１９９０.1.1",
                ),
                FieldKind::Bool => pick(rng, "也许|2|真|是的|yes!|√√|TRUE "),
                FieldKind::Money => pick(
                    rng,
                    "1.234|三千|1e3|+5|元|92233720368547758.08|1,2,3|--5|5..0|0x10|-",
                ),
                FieldKind::Choice(_) => pick(rng, "未知|党支部|其他|男女|正 式|M|1"),
                FieldKind::Ref(_) => {
                    let id = random_id(rng).to_string();
                    match rng.u8(..3) {
                        0 => id[..35].to_string(),
                        1 => format!("{id}0"),
                        _ => pick(rng, "not-an-id|1234|{}|urn:uuid:"),
                    }
                }
                FieldKind::Text if spec.name == "id_number" => pick(rng, "330123|abc|３３０"),
                _ => pick(rng, JUNK),
            };
        }
        match spec.kind {
            FieldKind::Text if spec.name == "id_number" => id_number(rng),
            FieldKind::Text => pick(rng, "张三| 李四 |王 五|x|13800138000|流向：杭州|null "),
            FieldKind::Dict(_) => pick(rng, "汉族|汉| 回族 |大学本科|本科|火星族"),
            FieldKind::Date => {
                let (y, m, d) = (rng.i32(1900..2030), rng.u32(1..=12), rng.u32(1..=28));
                match rng.u8(..7) {
                    0 => format!("{y}-{m:02}-{d:02}"),
                    1 => format!("{y}.{m}.{d}"),
                    2 => format!("{y}/{m}/{d} 14:30"),
                    3 => format!("{y}年{m}月{d}日"),
                    4 => format!(" {y}年{m}月"),
                    5 => format!("{y}.{m:02}"),
                    _ => format!("{y:04}{m:02}{d:02}"),
                }
            }
            FieldKind::Bool => pick(
                rng,
                "是|√|✓|✔|y|Y|yes|YES|1|有|true|True|已建|已建立|否|×|✗|n|N|no|0|无|false||\
                 未建|未建立| 是 |\u{3000}",
            ),
            FieldKind::Money => match rng.u8(..3) {
                0 => pick(
                    rng,
                    "3000|3000.5|3,000.50元|0.2|-5|-0|.5|5.|3000 元|90071992547409.93|\
                     9999999999999999.99|92233720368547758.07|-92233720368547758.08|１",
                ),
                // Every magnitude, beyond what an f64 holds exactly too.
                _ => Money(rng.i64(..) >> rng.u32(0..64)).to_string(),
            },
            FieldKind::Choice(v) => {
                let synonyms = "男性|女性|正式|预备|转出|出党|死亡|在岗|退休|离休|低保|生活困难";
                match rng.u8(..3) {
                    0 => pick(rng, synonyms),
                    1 => format!(" {} ", v.labels[rng.usize(..v.labels.len())]),
                    _ => v.labels[rng.usize(..v.labels.len())].to_string(),
                }
            }
            FieldKind::Ref(_) => {
                let id = random_id(rng);
                match rng.u8(..5) {
                    0 => id.to_string().to_uppercase(),
                    1 => id.0.simple().to_string(),
                    2 => format!("{{{id}}}"),
                    3 => format!(" {} ", id.0.urn()),
                    _ => id.to_string(),
                }
            }
            _ => pick(rng, JUNK),
        }
    }

    /// For random member rows — valid values, blanks, junk, edge cases, fields in any order,
    /// now and then a field twice or an unknown one — typed setters build what the JSON way
    /// (and `apply_fields`) builds, or fail where it fails.
    #[test]
    fn typed_setters_build_what_json_builds() {
        let mut rng = fastrand::Rng::with_seed(20_240_701);
        let json_blank = blank_json::<Member>();
        let (mut built, mut refused, mut repeated) = (0, 0, 0);
        for _ in 0..4000 {
            let noise = [0, 2, 5, 15, 40][rng.usize(..5)];
            let mut inputs: Vec<(String, String)> = Vec::new();
            for spec in Member::FIELDS {
                if rng.u8(..10) < if spec.required { 9 } else { 5 } {
                    inputs.push((spec.name.to_string(), sample(&mut rng, spec, noise)));
                }
            }
            if rng.u8(..20) == 0 {
                let spec = &Member::FIELDS[rng.usize(..Member::FIELDS.len())];
                inputs.push((spec.name.to_string(), sample(&mut rng, spec, noise)));
            }
            if rng.u8(..50) == 0 {
                inputs.push(("nope".to_string(), "x".to_string()));
            }
            rng.shuffle(&mut inputs);
            let id = random_id(&mut rng);

            let json = apply_json::<Member>(&json_blank, id, &inputs);
            assert_eq!(json, slow::<Member>(id, &inputs), "{inputs:?}");
            match apply_typed(&Member::blank(), id, &inputs) {
                Ok(typed) => assert_eq!(typed, json, "{inputs:?}"),
                Err(Untyped::Repeated) => repeated += 1,
                Err(Untyped::Unsupported) => panic!("no typed setter: {inputs:?}"),
            }
            assert_eq!(
                apply_new(&mut Blank::<Member>::new(), id, &inputs),
                json,
                "{inputs:?}"
            );
            if json.is_some() {
                built += 1;
            } else {
                refused += 1;
            }
        }
        // Both outcomes, and the repeated-field fallback, are well exercised.
        assert!(
            built > 500 && refused > 500 && repeated > 20,
            "{built} {refused} {repeated}"
        );
    }
}
