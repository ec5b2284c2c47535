//! Boundary validation: identity numbers, credit codes, phone numbers, dates.
//!
//! Validators return a Chinese message on failure; records collect every failing field into
//! [`FieldErrors`] so that a form or an import row reports all of its problems at once.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::fmt;

/// One invalid field: which field (machine name and Chinese label) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FieldError {
    pub field: &'static str,
    pub label: &'static str,
    pub message: String,
}

/// All invalid fields of one record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: &'static str, label: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            label,
            message: message.into(),
        });
    }

    /// Record the outcome of a validator for a field.
    pub fn check(&mut self, field: &'static str, label: &'static str, r: Result<(), String>) {
        if let Err(m) = r {
            self.push(field, label, m);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("【{}】{}", e.label, e.message))
            .collect();
        write!(f, "{}", parts.join("；"))
    }
}

/// 性别 derived from a 公民身份号码.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// What a valid 公民身份号码 tells: birth date and sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdNumberInfo {
    pub birth_date: NaiveDate,
    pub sex: Sex,
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";
/// 省级行政区划代码 (GB/T 2260), the first two digits of a 公民身份号码.
const PROVINCE_CODES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits of a 公民身份号码.
pub fn id_number_check_char(first17: &str) -> Option<char> {
    let digits = first17.as_bytes();
    if digits.len() != 17 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = digits
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// The number written by ASCII digits (checked by the caller).
pub(crate) fn digits_value(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

/// Validate an 18-character 公民身份号码 (GB 11643-1999) and return what it encodes.
/// `today` bounds the birth date. Works on the bytes, allocating nothing unless it fails: a
/// county roster checks 100,000 of them.
pub fn parse_id_number(raw: &str, today: NaiveDate) -> Result<IdNumberInfo, String> {
    let s = raw.trim();
    let bytes = s.as_bytes();
    if bytes.len() != 18 || !s.is_ascii() {
        let n = s.chars().count();
        if n != 18 {
            return Err(format!("应为 18 位，实际 {n} 位"));
        }
    }
    // 18 characters, not all ASCII: the first 17 or the last is not a digit.
    let (first17, last) = (&bytes[..bytes.len().min(17)], &bytes[bytes.len().min(17)..]);
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return Err("前 17 位只能是数字".into());
    }
    let last = match last {
        [d] if d.is_ascii_digit() => *d,
        [b'x' | b'X'] => b'X',
        _ => return Err("第 18 位只能是数字或 X".into()),
    };
    let province = digits_value(&first17[..2]);
    if !PROVINCE_CODES.contains(&province) {
        return Err(format!("前两位 {province:02} 不是有效的省级行政区划代码"));
    }
    let (year, month, day) = (
        digits_value(&first17[6..10]),
        digits_value(&first17[10..12]),
        digits_value(&first17[12..14]),
    );
    let birth = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| {
        format!(
            "第 7–14 位 {} 不是有效的出生日期",
            String::from_utf8_lossy(&first17[6..14])
        )
    })?;
    if birth.year() < 1900 || birth > today {
        return Err(format!("出生日期 {birth} 不合理"));
    }
    let first17 = std::str::from_utf8(first17).unwrap_or_default();
    let expected = id_number_check_char(first17).ok_or("前 17 位只能是数字")?;
    if last != expected as u8 {
        return Err(format!("校验码错误（第 18 位应为 {expected}），请核对号码"));
    }
    let sex = if (first17.as_bytes()[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Ok(IdNumberInfo {
        birth_date: birth,
        sex,
    })
}

/// Characters allowed in a 统一社会信用代码 (GB 32100-2015): digits and capitals without I O S V Z.
const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn credit_value(c: char) -> Option<u32> {
    CREDIT_CHARS.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters of a 统一社会信用代码.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let values: Vec<u32> = first17.chars().map(credit_value).collect::<Option<_>>()?;
    if values.len() != 17 {
        return None;
    }
    let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    CREDIT_CHARS.chars().nth(check as usize)
}

/// Validate an 18-character 统一社会信用代码 (GB 32100-2015).
pub fn validate_credit_code(raw: &str) -> Result<(), String> {
    let s = raw.trim().to_ascii_uppercase();
    let n = s.chars().count();
    if n != 18 {
        return Err(format!("应为 18 位，实际 {n} 位"));
    }
    if let Some(bad) = s.chars().find(|c| credit_value(*c).is_none()) {
        return Err(format!("含有不允许的字符“{bad}”（不使用 I、O、S、V、Z）"));
    }
    let (first17, last) = s.split_at(17);
    let expected = credit_code_check_char(first17).ok_or("含有不允许的字符")?;
    if !last.starts_with(expected) {
        return Err(format!("校验码错误（第 18 位应为 {expected}），请核对代码"));
    }
    Ok(())
}

/// 手机号码: 11 digits starting with 13–19.
pub fn validate_mobile(raw: &str) -> Result<(), String> {
    let s = raw.trim();
    let b = s.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    if ok {
        Ok(())
    } else {
        Err(format!("“{s}”不是有效的 11 位手机号码"))
    }
}

/// 联系电话: a mobile number or a landline such as 0571-88886666 / 057188886666 (optional extension).
pub fn validate_phone(raw: &str) -> Result<(), String> {
    let s = raw.trim();
    if validate_mobile(s).is_ok() {
        return Ok(());
    }
    let mut parts = s.splitn(3, '-');
    let first = parts.next().unwrap_or("");
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let ok = match (parts.next(), parts.next()) {
        // 0571-88886666[-123]
        (Some(number), ext) => {
            all_digits(first)
                && first.starts_with('0')
                && (3..=4).contains(&first.len())
                && all_digits(number)
                && (7..=8).contains(&number.len())
                && ext.is_none_or(|e| all_digits(e) && e.len() <= 6)
        }
        // 057188886666 or a local 88886666
        (None, None) => all_digits(first) && (7..=12).contains(&first.len()),
        (None, Some(_)) => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("“{s}”不是有效的电话号码（手机或 区号-号码）"))
    }
}

/// A date that must not lie in the future.
pub fn not_in_future(d: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if d > today {
        Err(format!("{d} 晚于今天（{today}）"))
    } else {
        Ok(())
    }
}

/// A required text field: present and not blank.
pub fn required(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Err("不能为空".into())
    } else {
        Ok(())
    }
}

/// Add `months` calendar months, clamping to the month's last day (e.g. 01-31 + 1 → 02-28).
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn id_number_good() {
        // The worked example of GB 11643-1999.
        let info = parse_id_number("11010519491231002X", today()).unwrap();
        assert_eq!(
            info.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(info.sex, Sex::Female);
        // surrounding spaces are trimmed; a wrong check digit fails
        assert!(parse_id_number(" 11010519491231002X ", today()).is_ok());
        assert!(parse_id_number("110105194912310021", today()).is_err());
        // lower-case x is accepted
        assert!(parse_id_number("11010519491231002x", today()).is_ok());
    }

    #[test]
    fn id_number_bad() {
        let t = today();
        assert!(parse_id_number("11010519491231002", t)
            .unwrap_err()
            .contains("18 位"));
        assert!(parse_id_number("1101051949123100X2", t).is_err());
        assert!(parse_id_number("99010519491231002X", t)
            .unwrap_err()
            .contains("行政区划"));
        // 1949-02-30 does not exist
        let first = "11010519490230002";
        let id = format!("{first}{}", id_number_check_char(first).unwrap());
        assert!(parse_id_number(&id, t).unwrap_err().contains("出生日期"));
        // born in the future
        let first = "11010520300101001";
        let id = format!("{first}{}", id_number_check_char(first).unwrap());
        assert!(parse_id_number(&id, t).unwrap_err().contains("不合理"));
        // lost precision as an Excel number: 1.10105194912310E+17 → trailing zeros
        assert!(parse_id_number("110105194912310000", t)
            .unwrap_err()
            .contains("校验码"));
    }

    /// A character-based reading with chrono's parser for the birth date — the earlier code,
    /// except that it split at byte 17 and panicked when a character straddled it — kept to
    /// check the byte-based one gives the same answer and message for every input.
    fn parse_id_number_by_chars(raw: &str, today: NaiveDate) -> Result<IdNumberInfo, String> {
        let s = raw.trim().to_ascii_uppercase();
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(format!("应为 18 位，实际 {} 位", chars.len()));
        }
        let first17: String = chars[..17].iter().collect();
        if !first17.chars().all(|c| c.is_ascii_digit()) {
            return Err("前 17 位只能是数字".into());
        }
        if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
            return Err("第 18 位只能是数字或 X".into());
        }
        let province: u32 = first17[..2].parse().unwrap();
        if !PROVINCE_CODES.contains(&province) {
            return Err(format!("前两位 {province:02} 不是有效的省级行政区划代码"));
        }
        let birth = NaiveDate::parse_from_str(&first17[6..14], "%Y%m%d")
            .map_err(|_| format!("第 7–14 位 {} 不是有效的出生日期", &first17[6..14]))?;
        if birth.year() < 1900 || birth > today {
            return Err(format!("出生日期 {birth} 不合理"));
        }
        let expected = id_number_check_char(&first17).unwrap();
        if chars[17] != expected {
            return Err(format!("校验码错误（第 18 位应为 {expected}），请核对号码"));
        }
        let sex = if (first17.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        };
        Ok(IdNumberInfo {
            birth_date: birth,
            sex,
        })
    }

    #[test]
    fn id_number_reading_matches_the_character_based_one() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let pieces = [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "x", "X", " ", "中", "１", "é",
        ];
        let mut inputs: Vec<String> = vec![
            "1101051949123100中X".into(), // a character across byte 17
            "11010519491231002中".into(),
            "11010519491231002".into(),
            "".into(),
        ];
        for _ in 0..20_000 {
            // Well-formed ones with any date digits (most invalid, many valid), and noise.
            let province = ["11", "33", "99", "82", "00"][next(5) as usize];
            let date = format!("{:04}{:02}{:02}", 1880 + next(160), next(14), next(33));
            let first = format!("{province}0105{date}{:03}", next(1000));
            let check = id_number_check_char(&first).unwrap();
            inputs.push(match next(4) {
                0 => format!("{first}{}", ["0", "X", "x"][next(3) as usize]),
                1 => format!(" {first}{} ", check.to_ascii_lowercase()),
                _ => format!("{first}{check}"),
            });
            let len = 16 + next(4);
            inputs.push((0..len).map(|_| pieces[next(16) as usize]).collect());
        }
        for raw in &inputs {
            assert_eq!(
                parse_id_number(raw, today()),
                parse_id_number_by_chars(raw, today()),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn id_number_sex_digit() {
        let first = "33012319900101001"; // 17th digit 1 → male
        let id = format!("{first}{}", id_number_check_char(first).unwrap());
        assert_eq!(parse_id_number(&id, today()).unwrap().sex, Sex::Male);
    }

    #[test]
    fn credit_code_good_and_bad() {
        // Published codes: 国家电网有限公司, 腾讯科技(深圳)有限公司, the GB 32100 example.
        assert!(validate_credit_code("91350100M000100Y43").is_ok());
        assert!(validate_credit_code("91110000710931141J").is_ok());
        assert!(validate_credit_code("9144030071526726XG").is_ok());
        assert!(validate_credit_code("91110000710931141K")
            .unwrap_err()
            .contains("校验码"));
        assert!(validate_credit_code("91110000710931141")
            .unwrap_err()
            .contains("18 位"));
        assert!(validate_credit_code("9111000071093114IJ")
            .unwrap_err()
            .contains("不允许"));
        // lower case is normalised
        assert!(validate_credit_code("9144030071526726xg").is_ok());
    }

    #[test]
    fn phones() {
        assert!(validate_mobile("13812345678").is_ok());
        assert!(validate_mobile("12812345678").is_err());
        assert!(validate_mobile("1381234567").is_err());
        assert!(validate_phone("0571-88886666").is_ok());
        assert!(validate_phone("010-8888666-12").is_ok());
        assert!(validate_phone("057188886666").is_ok());
        assert!(validate_phone("88886666").is_ok());
        assert!(validate_phone("571-88886666").is_err());
        assert!(validate_phone("电话").is_err());
    }

    #[test]
    fn months() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        assert_eq!(
            add_months(d, 1),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            add_months(d, 12),
            NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()
        );
    }

    #[test]
    fn field_errors_list_all() {
        let mut e = FieldErrors::default();
        e.check("a", "甲", Err("坏".into()));
        e.check("b", "乙", Ok(()));
        e.check("c", "丙", Err("也坏".into()));
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.to_string(), "【甲】坏；【丙】也坏");
    }
}
