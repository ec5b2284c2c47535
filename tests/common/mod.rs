//! Helpers shared by the integration tests: a ledger with a fixed "today" and valid numbers.
#![allow(dead_code)]

use chrono::NaiveDate;
use taizhang::model::validate::{credit_code_check_char, id_number_check_char};
use taizhang::model::*;
use taizhang::Store;

pub const TODAY: (i32, u32, u32) = (2026, 11, 21);

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

/// A valid 公民身份号码 for a birth date (YYYYMMDD) and a 3-digit sequence (odd = male).
pub fn id_number(birth: &str, seq: u32) -> String {
    let first = format!("330123{birth}{seq:03}");
    format!("{first}{}", id_number_check_char(&first).unwrap())
}

/// A valid 统一社会信用代码 with the given 9-character body.
pub fn credit_code(body: &str) -> String {
    let first = format!("91330123{body}");
    format!("{first}{}", credit_code_check_char(&first).unwrap())
}

pub fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_today(Some(today()));
    s.set_operator("测试员");
    s
}

/// A unit, its 党支部 and returns (unit, org).
pub fn unit_and_org(s: &mut Store, name: &str) -> (Unit, Org) {
    let mut u = Unit::new(name, UnitCategory::Enterprise);
    u.area = Some("城关镇".into());
    u.employees = Some(60);
    let u = s.insert(u).unwrap();
    let mut o = Org::new(format!("中共{name}支部委员会"), OrgType::Branch, "单独组建");
    o.unit_ids = vec![u.meta.id];
    o.founded_on = Some(d(2018, 7, 1));
    o.elected_on = Some(d(2024, 7, 1));
    let o = s.insert(o).unwrap();
    (u, o)
}

pub fn member(org: &Org, name: &str, seq: u32) -> Member {
    let mut m = Member::new(name, id_number("19880512", seq), d(2012, 7, 1));
    m.org_id = Some(org.meta.id);
    m.confirmed_on = Some(d(2013, 7, 1));
    m.phone = Some("13812345678".into());
    m
}
