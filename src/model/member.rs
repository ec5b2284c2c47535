//! 党员 — a party member and the events of their membership.

use super::validate::{
    add_months, not_in_future, parse_id_number, required, validate_mobile, FieldErrors, Sex,
};
use super::*;
use chrono::Datelike;

/// 预备期 is one year (党章第七条).
pub const PROBATION_MONTHS: u32 = 12;
/// One extension of the probation, from 6 to 12 months (党章第七条).
pub const EXTENSION_MONTHS: std::ops::RangeInclusive<u32> = 6..=12;
/// 年满十八岁 to join (党章第一条).
pub const MIN_JOIN_AGE: i32 = 18;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    #[serde(flatten)]
    pub meta: Meta,
    /// 姓名
    pub name: String,
    /// 性别 (must agree with the 公民身份号码)
    pub gender: Gender,
    /// 民族 (dictionary 民族)
    pub ethnicity: Option<String>,
    /// 公民身份号码
    pub id_number: String,
    /// 出生日期 (derived from the 公民身份号码)
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub birth_date: Option<NaiveDate>,
    /// 学历 (dictionary 学历)
    pub education: Option<String>,
    /// 人员类别 — changes only through events (转正)
    pub category: MemberCategory,
    /// 党员状态 — changes only through events (转出, 停止党籍 …)
    pub status: MemberStatus,
    /// 入党日期 — the 支部党员大会 that accepted the member as 预备党员
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub joined_on: NaiveDate,
    /// 转正日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub confirmed_on: Option<NaiveDate>,
    /// 延长预备期至
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub probation_extended_to: Option<NaiveDate>,
    /// 所在党组织
    pub org_id: Option<Id>,
    /// 工作单位, when it is a 两新组织 in this ledger
    pub work_unit_id: Option<Id>,
    /// 工作单位 as written (any employer)
    pub work_unit_name: Option<String>,
    /// 工作岗位
    pub job: Option<String>,
    /// 手机号码
    pub phone: Option<String>,
    /// 是否流动党员
    pub is_mobile: bool,
    /// 流向 — where a 流动党员 has gone
    pub mobile_to: Option<String>,
    /// 是否失联党员
    pub is_lost_contact: bool,
    /// 党费基数 — monthly after-tax income
    pub dues_base: Option<Money>,
    /// 交纳类别 (在职 / 离退休 / 学生 / 困难)
    pub payer_kind: PayerKind,
    /// 备注
    pub note: Option<String>,
    /// The record this one was merged into (a duplicate entered on another PC).
    #[serde(default)]
    pub merged_into: Option<Id>,
}

impl Member {
    /// A new member with the birth date and sex taken from the 公民身份号码 when it is valid.
    pub fn new(
        name: impl Into<String>,
        id_number: impl Into<String>,
        joined_on: NaiveDate,
    ) -> Self {
        let id_number = id_number.into();
        let info = parse_id_number(&id_number, NaiveDate::MAX).ok();
        Member {
            meta: Meta::default(),
            name: name.into(),
            gender: match info.map(|i| i.sex) {
                Some(Sex::Female) => Gender::Female,
                _ => Gender::Male,
            },
            ethnicity: None,
            id_number,
            birth_date: info.map(|i| i.birth_date),
            education: None,
            category: MemberCategory::Full,
            status: MemberStatus::Active,
            joined_on,
            confirmed_on: None,
            probation_extended_to: None,
            org_id: None,
            work_unit_id: None,
            work_unit_name: None,
            job: None,
            phone: None,
            is_mobile: false,
            mobile_to: None,
            is_lost_contact: false,
            dues_base: None,
            payer_kind: PayerKind::Employed,
            note: None,
            merged_into: None,
        }
    }

    /// 预备期满日 as first set: one year after 入党日期.
    pub fn original_probation_end(&self) -> NaiveDate {
        add_months(self.joined_on, PROBATION_MONTHS)
    }

    /// 预备期满日 — end of the probation, counting an extension.
    pub fn probation_end(&self) -> NaiveDate {
        self.probation_extended_to
            .unwrap_or_else(|| self.original_probation_end())
    }

    /// Whether the member is still on the rolls of an org of this ledger.
    pub fn is_active(&self) -> bool {
        self.status == MemberStatus::Active
    }
}

impl Validate for Member {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        let today = lookup.today();
        self.name = self.name.trim().to_string();
        e.check("name", "姓名", required(&self.name));
        for v in [
            &mut self.work_unit_name,
            &mut self.job,
            &mut self.phone,
            &mut self.mobile_to,
            &mut self.note,
        ] {
            tidy(v);
        }
        if let Some(info) = check_identity(
            &mut e,
            &mut self.id_number,
            self.gender,
            &mut self.birth_date,
            today,
        ) {
            if lookup.taken("member", "id_number", &self.id_number, &self.meta.id) {
                e.push(
                    "id_number",
                    "公民身份号码",
                    "该号码已登记为另一名党员（若是两台电脑分别录入的同一人，请先合并重复记录）",
                );
            }
            let age_at_join = age_on(info.birth_date, self.joined_on);
            if age_at_join < MIN_JOIN_AGE {
                e.push(
                    "joined_on",
                    "入党日期",
                    format!("入党时仅 {age_at_join} 岁，未满 18 岁"),
                );
            }
        }
        check_dict(
            &mut e,
            lookup,
            "ethnicity",
            "民族",
            "民族",
            &mut self.ethnicity,
        );
        check_dict(
            &mut e,
            lookup,
            "education",
            "学历",
            "学历",
            &mut self.education,
        );
        e.check(
            "joined_on",
            "入党日期",
            not_in_future(self.joined_on, today),
        );
        if let Some(until) = self.probation_extended_to {
            let end = self.original_probation_end();
            if until < add_months(end, *EXTENSION_MONTHS.start())
                || until > add_months(end, *EXTENSION_MONTHS.end())
            {
                e.push(
                    "probation_extended_to",
                    "延长预备期至",
                    format!("应在原预备期满日 {end} 后 6 至 12 个月之间"),
                );
            }
        }
        match self.category {
            MemberCategory::Probationary => {
                if self.confirmed_on.is_some() {
                    e.push("confirmed_on", "转正日期", "预备党员不应有转正日期");
                }
            }
            MemberCategory::Full => {
                let end = self.probation_end();
                match self.confirmed_on {
                    Some(c) if c < end => e.push(
                        "confirmed_on",
                        "转正日期",
                        format!("早于预备期满日 {end}，预备期未满不能转正"),
                    ),
                    Some(c) => e.check("confirmed_on", "转正日期", not_in_future(c, today)),
                    None if end > today && self.joined_on <= today => e.push(
                        "category",
                        "人员类别",
                        format!("入党不满一年（预备期至 {end}），应为预备党员"),
                    ),
                    None => {}
                }
            }
        }
        if self.is_active() && self.org_id.is_none() {
            e.push("org_id", "所在党组织", "在册党员必须属于一个党组织");
        }
        check_ref(
            &mut e,
            lookup,
            "org_id",
            "所在党组织",
            "org",
            self.org_id.as_ref(),
        );
        check_ref(
            &mut e,
            lookup,
            "work_unit_id",
            "工作单位",
            "unit",
            self.work_unit_id.as_ref(),
        );
        if let Some(p) = &self.phone {
            e.check("phone", "手机号码", validate_mobile(p));
        }
        if self.dues_base.is_some_and(|m| m.0 < 0) {
            e.push("dues_base", "党费基数", "不能为负数");
        }
        e
    }
}

/// Check a person's 公民身份号码 (normalised in place) and that the 出生日期 (filled in from
/// it when blank) and 性别 agree with it. The number's facts, when it is valid.
pub(crate) fn check_identity(
    e: &mut FieldErrors,
    id_number: &mut String,
    gender: Gender,
    birth_date: &mut Option<NaiveDate>,
    today: NaiveDate,
) -> Option<super::validate::IdNumberInfo> {
    *id_number = id_number.trim().to_ascii_uppercase();
    let info = match parse_id_number(id_number, today) {
        Err(m) => {
            e.push("id_number", "公民身份号码", m);
            return None;
        }
        Ok(info) => info,
    };
    match *birth_date {
        Some(b) if b != info.birth_date => e.push(
            "birth_date",
            "出生日期",
            format!("{b} 与公民身份号码中的 {} 不一致", info.birth_date),
        ),
        _ => *birth_date = Some(info.birth_date),
    }
    let sex = if gender == Gender::Male {
        Sex::Male
    } else {
        Sex::Female
    };
    if sex != info.sex {
        e.push("gender", "性别", "与公民身份号码第 17 位不一致");
    }
    Some(info)
}

/// Whole years of age on a date.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// 党员事件 — one step in a member's history. Events are never edited or deleted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct MemberEvent {
    #[serde(flatten)]
    pub meta: Meta,
    pub member_id: Id,
    pub kind: MemberEventKind,
    /// 日期
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub occurred_on: NaiveDate,
    /// 延长预备期至 (only for 延长预备期)
    #[serde(serialize_with = "crate::model::types::iso_date::serialize_option")]
    pub until: Option<NaiveDate>,
    /// 转入的党组织 (only for 转入)
    pub org_id: Option<Id>,
    /// 转出去向 / 转入来源 / 原因
    pub place: Option<String>,
    /// 备注
    pub note: Option<String>,
}

impl MemberEvent {
    pub fn new(member_id: Id, kind: MemberEventKind, occurred_on: NaiveDate) -> Self {
        MemberEvent {
            meta: Meta::default(),
            member_id,
            kind,
            occurred_on,
            until: None,
            org_id: None,
            place: None,
            note: None,
        }
    }

    /// The member after this event, or why the event cannot happen to this member.
    pub fn apply(&self, member: &Member, today: NaiveDate) -> Result<Member, String> {
        use MemberEventKind as K;
        use MemberStatus as S;
        let d = self.occurred_on;
        not_in_future(d, today).map_err(|m| format!("事件日期{m}"))?;
        if self.kind != K::Admitted && d < member.joined_on {
            return Err(format!("事件日期 {d} 早于入党日期 {}", member.joined_on));
        }
        if matches!(member.status, S::Expelled | S::Deceased) {
            return Err(format!(
                "该党员状态为“{}”，不能再登记{}",
                member.status, self.kind
            ));
        }
        let need_active = || {
            if member.is_active() {
                Ok(())
            } else {
                Err(format!(
                    "该党员状态为“{}”，不能登记{}",
                    member.status, self.kind
                ))
            }
        };
        let mut m = member.clone();
        match self.kind {
            K::Admitted => {
                if member.category == MemberCategory::Full {
                    return Err("该党员已是正式党员，不能再登记发展".into());
                }
                m.category = MemberCategory::Probationary;
                m.joined_on = d;
                m.status = S::Active;
            }
            K::Confirmed => {
                need_active()?;
                if member.category != MemberCategory::Probationary {
                    return Err("只有预备党员才能转正".into());
                }
                let end = member.probation_end();
                if d < end {
                    return Err(format!("预备期至 {end} 期满，{d} 转正早于期满日，不予登记"));
                }
                m.category = MemberCategory::Full;
                m.confirmed_on = Some(d);
            }
            K::ProbationExtended => {
                need_active()?;
                if member.category != MemberCategory::Probationary {
                    return Err("只有预备党员才能延长预备期".into());
                }
                if member.probation_extended_to.is_some() {
                    return Err("预备期只能延长一次".into());
                }
                let until = self.until.ok_or("延长预备期必须填写“延长至”日期")?;
                m.probation_extended_to = Some(until);
            }
            K::TransferredIn => {
                let org = self.org_id.ok_or("转入必须填写转入的党组织")?;
                if member.is_active() && member.org_id == Some(org) {
                    return Err("该党员已在这个党组织".into());
                }
                m.org_id = Some(org);
                m.status = S::Active;
            }
            K::TransferredOut => {
                need_active()?;
                m.status = S::TransferredOut;
            }
            K::Suspended => {
                need_active()?;
                m.status = S::Suspended;
            }
            K::Expelled => m.status = S::Expelled,
            K::Died => m.status = S::Deceased,
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::FakeLookup;
    use crate::model::validate::id_number_check_char;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn id_for(birth: &str, seq: &str) -> String {
        let first = format!("330123{birth}{seq}");
        format!("{first}{}", id_number_check_char(&first).unwrap())
    }

    fn lookup_with_org() -> (FakeLookup, Id) {
        let mut l = FakeLookup::default();
        let org = Id::new();
        l.ids.insert(org);
        (l, org)
    }

    fn member(org: Id) -> Member {
        let mut m = Member::new("张三", id_for("19900101", "001"), d(2015, 7, 1));
        m.org_id = Some(org);
        m
    }

    #[test]
    fn derives_birth_and_sex() {
        let (l, org) = lookup_with_org();
        let mut m = member(org);
        m.birth_date = None;
        assert!(m.validate(&l).is_empty());
        assert_eq!(m.birth_date, Some(d(1990, 1, 1)));
        assert_eq!(m.gender, Gender::Male);
    }

    /// 出生年月 without the day agrees with a 公民身份号码 born in that month and takes its
    /// exact date; with a day, or in another month, it must equal the number's.
    #[test]
    fn birth_month_agrees_with_the_id_number() {
        use crate::model::fields::apply_fields;
        let (l, org) = lookup_with_org();
        let texts = |birth: &str, id: &str| {
            [
                ("name", "张三"),
                ("id_number", id),
                ("birth_date", birth),
                ("joined_on", "2016.07"),
                ("org_id", &org.to_string()),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        };
        let born_0202 = id_for("19610202", "001");
        for birth in ["1961-02", "1961年2月", "1961.2", "196102", "1961-02-02"] {
            let mut m = apply_fields(&Member::blank(), &texts(birth, &born_0202), true).unwrap();
            assert_eq!(m.birth_date, Some(d(1961, 2, 2)), "{birth}");
            assert!(m.validate(&l).is_empty(), "{birth}");
            // Other dates of a month keep the first of it.
            assert_eq!(m.joined_on, d(2016, 7, 1));
        }
        for (birth, id) in [
            ("1961-02", id_for("19610305", "001")),
            ("1961-02-01", born_0202.clone()),
            ("1962-02", born_0202.clone()),
        ] {
            let mut m = apply_fields(&Member::blank(), &texts(birth, &id), true).unwrap();
            let e = m.validate(&l);
            assert!(e.has("birth_date"), "{birth} {id}: {e}");
        }
    }

    #[test]
    fn all_bad_fields_reported() {
        let (l, org) = lookup_with_org();
        let mut m = member(org);
        m.name = "".into();
        m.gender = Gender::Female;
        m.birth_date = Some(d(1990, 1, 2));
        m.phone = Some("123".into());
        m.confirmed_on = Some(d(2016, 1, 1));
        let e = m.validate(&l);
        for f in ["name", "gender", "birth_date", "phone", "confirmed_on"] {
            assert!(e.has(f), "{f} missing in {e}");
        }
    }

    #[test]
    fn underage_and_too_early_full_member() {
        let (l, org) = lookup_with_org();
        let mut m = member(org);
        m.joined_on = d(2007, 1, 1);
        assert!(m.validate(&l).has("joined_on"));
        let mut m = member(org);
        m.joined_on = d(2026, 3, 1);
        assert!(
            m.validate(&l).has("category"),
            "正式 less than a year after joining"
        );
        m.category = MemberCategory::Probationary;
        assert!(m.validate(&l).is_empty());
    }

    #[test]
    fn confirmation_respects_probation() {
        let (_, org) = lookup_with_org();
        let today = d(2026, 11, 21);
        let mut m = member(org);
        m.category = MemberCategory::Probationary;
        m.joined_on = d(2025, 11, 22);
        let early = MemberEvent::new(m.meta.id, MemberEventKind::Confirmed, d(2026, 11, 21));
        assert!(early.apply(&m, today).unwrap_err().contains("早于期满日"));
        m.joined_on = d(2025, 11, 21);
        let on_time = MemberEvent::new(m.meta.id, MemberEventKind::Confirmed, d(2026, 11, 21));
        let after = on_time.apply(&m, today).unwrap();
        assert_eq!(after.category, MemberCategory::Full);
        assert_eq!(after.confirmed_on, Some(d(2026, 11, 21)));
        assert!(on_time
            .apply(&after, today)
            .unwrap_err()
            .contains("只有预备党员"));
    }

    #[test]
    fn extension_once_and_moves_the_end() {
        let (_, org) = lookup_with_org();
        let today = d(2026, 11, 21);
        let mut m = member(org);
        m.category = MemberCategory::Probationary;
        m.joined_on = d(2025, 6, 1);
        let mut ext =
            MemberEvent::new(m.meta.id, MemberEventKind::ProbationExtended, d(2026, 6, 1));
        assert!(ext.apply(&m, today).is_err(), "until required");
        ext.until = Some(d(2026, 12, 1));
        let m2 = ext.apply(&m, today).unwrap();
        assert_eq!(m2.probation_end(), d(2026, 12, 1));
        assert!(ext.apply(&m2, today).unwrap_err().contains("一次"));
        let confirm = MemberEvent::new(m.meta.id, MemberEventKind::Confirmed, d(2026, 11, 1));
        assert!(
            confirm.apply(&m2, today).is_err(),
            "before the extended end"
        );
    }

    #[test]
    fn terminal_states() {
        let (_, org) = lookup_with_org();
        let today = d(2026, 11, 21);
        let m = member(org);
        let died = MemberEvent::new(m.meta.id, MemberEventKind::Died, d(2026, 1, 1))
            .apply(&m, today)
            .unwrap();
        assert_eq!(died.status, MemberStatus::Deceased);
        let out = MemberEvent::new(m.meta.id, MemberEventKind::TransferredOut, d(2026, 2, 1));
        assert!(out.apply(&died, today).is_err());
        let out_m = out.apply(&m, today).unwrap();
        assert_eq!(out_m.status, MemberStatus::TransferredOut);
        let mut back = MemberEvent::new(m.meta.id, MemberEventKind::TransferredIn, d(2026, 3, 1));
        back.org_id = Some(org);
        assert_eq!(
            back.apply(&out_m, today).unwrap().status,
            MemberStatus::Active
        );
        let future = MemberEvent::new(m.meta.id, MemberEventKind::TransferredOut, d(2027, 1, 1));
        assert!(future.apply(&m, today).is_err());
    }
}
