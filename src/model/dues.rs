//! 党费 — monthly dues, with 应交 computed from the 基数 by the rate table.

use super::validate::{not_in_future, FieldErrors};
use super::*;

/// One bracket: income up to `up_to` (inclusive; `None` = no upper bound) pays `permille`‰.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bracket {
    pub up_to: Option<Money>,
    /// 比例, in thousandths (5 = 0.5%)
    pub permille: i64,
}

/// 党费交纳比例 — a parameter of the ledger, stored in settings; the default follows
/// 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesRates {
    /// 在职党员, by monthly after-tax income
    pub employed: Vec<Bracket>,
    /// 离退休党员, by monthly pension
    pub retired: Vec<Bracket>,
    /// 学生党员 — fixed monthly amount
    pub student: Money,
    /// 困难党员 (享受最低生活保障等) — fixed monthly amount
    pub hardship: Money,
}

impl Default for DuesRates {
    fn default() -> Self {
        let b = |up_to: Option<i64>, permille| Bracket {
            up_to: up_to.map(Money::from_yuan),
            permille,
        };
        DuesRates {
            employed: vec![
                b(Some(3000), 5),
                b(Some(5000), 10),
                b(Some(10000), 15),
                b(None, 20),
            ],
            retired: vec![b(Some(5000), 5), b(None, 10)],
            student: Money(20),
            hardship: Money(20),
        }
    }
}

impl DuesRates {
    /// 应交: the whole base at one rate (not progressive), rounded to the 分.
    pub fn due(&self, base: Money, kind: PayerKind) -> Money {
        let by_bracket = |brackets: &[Bracket]| {
            let permille = brackets
                .iter()
                .find(|b| b.up_to.is_none_or(|u| base <= u))
                .map_or(0, |b| b.permille);
            // round half up: base(分) × ‰ / 1000
            Money((base.0 * permille + 500).div_euclid(1000))
        };
        match kind {
            PayerKind::Employed => by_bracket(&self.employed),
            PayerKind::Retired => by_bracket(&self.retired),
            PayerKind::Student => self.student,
            PayerKind::Hardship => self.hardship,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dues {
    #[serde(flatten)]
    pub meta: Meta,
    pub member_id: Id,
    /// 月份, YYYY-MM
    pub month: String,
    /// 基数
    pub base: Money,
    /// 交纳类别
    pub payer_kind: PayerKind,
    /// 应交 (computed from the base and the rate table)
    pub due: Money,
    /// 实交
    pub paid: Option<Money>,
    /// 交纳日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub paid_on: Option<NaiveDate>,
}

impl Dues {
    /// Parse a month written as 2026-01, 2026-1, 2026.01 or 2026年1月 into YYYY-MM.
    pub fn normalise_month(raw: &str) -> Result<String, String> {
        let t = raw.trim().trim_end_matches('月');
        let (y, m) = t
            .split_once(['-', '.', '/', '年'])
            .ok_or_else(|| format!("“{raw}”不是有效的月份（如 2026-01）"))?;
        let (y, m): (i32, u32) = match (y.parse(), m.parse()) {
            (Ok(y), Ok(m)) if (1921..=9999).contains(&y) && (1..=12).contains(&m) => (y, m),
            _ => return Err(format!("“{raw}”不是有效的月份（如 2026-01）")),
        };
        Ok(format!("{y:04}-{m:02}"))
    }
}

impl Validate for Dues {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        check_ref(
            &mut e,
            lookup,
            "member_id",
            "党员",
            "member",
            Some(&self.member_id),
        );
        match Self::normalise_month(&self.month) {
            Ok(m) => {
                let this_month = lookup.today().format("%Y-%m").to_string();
                if m > this_month {
                    e.push("month", "月份", format!("{m} 晚于本月"));
                }
                self.month = m;
            }
            Err(m) => e.push("month", "月份", m),
        }
        if self.base.0 < 0 {
            e.push("base", "基数", "不能为负数");
        } else {
            self.due = lookup.dues_rates().due(self.base, self.payer_kind);
        }
        if self.paid.is_some_and(|p| p.0 < 0) {
            e.push("paid", "实交", "不能为负数");
        }
        if let Some(d) = self.paid_on {
            e.check("paid_on", "交纳日期", not_in_future(d, lookup.today()));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_table_boundaries() {
        let r = DuesRates::default();
        let due = |yuan: &str, k| r.due(yuan.parse().unwrap(), k).to_string();
        assert_eq!(due("3000", PayerKind::Employed), "15.00");
        assert_eq!(due("3000.01", PayerKind::Employed), "30.00");
        assert_eq!(due("5000", PayerKind::Employed), "50.00");
        assert_eq!(due("10000", PayerKind::Employed), "150.00");
        assert_eq!(due("12000", PayerKind::Employed), "240.00");
        assert_eq!(due("4998", PayerKind::Retired), "24.99");
        assert_eq!(due("4999", PayerKind::Retired), "25.00"); // 24.995 rounds half up
        assert_eq!(due("4999.90", PayerKind::Retired), "25.00");
        assert_eq!(due("6000", PayerKind::Retired), "60.00");
        assert_eq!(due("0", PayerKind::Student), "0.20");
        assert_eq!(due("800", PayerKind::Hardship), "0.20");
        assert_eq!(due("2333.33", PayerKind::Employed), "11.67");
    }

    #[test]
    fn months() {
        assert_eq!(Dues::normalise_month("2026-1").unwrap(), "2026-01");
        assert_eq!(Dues::normalise_month("2026年3月").unwrap(), "2026-03");
        assert_eq!(Dues::normalise_month("2026.12").unwrap(), "2026-12");
        assert!(Dues::normalise_month("2026-13").is_err());
        assert!(Dues::normalise_month("三月").is_err());
    }
}
