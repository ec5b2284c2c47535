//! Units (两新组织) and the instructors assigned to them.

use super::names::*;
use super::people::{landline, mobile, name, random_gender};
use super::Gen;
use crate::model::validate::credit_code_check_char;
use crate::model::{Id, Instructor, Meta, Unit, UnitCategory, UnitStatus};
use std::collections::BTreeSet;

/// A unit as planned.
pub(crate) struct UnitP {
    pub unit: Unit,
    /// Index into the areas in use.
    pub area: usize,
    /// How many members work there.
    pub n_members: usize,
    /// Its members (indices into the member plan).
    pub members: Vec<usize>,
}

/// The areas in use: about one per 12 units, from 3 to 12.
pub(crate) fn pick_areas(units: usize) -> Vec<&'static str> {
    let n = (units / 12).clamp(3, AREAS.len());
    AREAS[..n].iter().map(|a| a.0).collect()
}

/// About one instructor per 25 units (at least 3). Instructor `j` looks after area `j % areas`
/// (and more areas when there are fewer instructors than areas).
pub(crate) fn plan_instructors(g: &mut Gen, units: usize, areas: &[&str]) -> Vec<Instructor> {
    let n = (units / 25).max(3);
    (0..n)
        .map(|j| {
            let gender = random_gender(g, 0.6);
            let employer = if j % 3 == 0 {
                "清河县委社会工作部".to_string()
            } else {
                area_committee(areas[j % areas.len()])
            };
            Instructor {
                meta: Meta {
                    id: g.id(),
                    ..Meta::default()
                },
                name: name(g, gender),
                employer: Some(employer),
                phone: Some(mobile(g)),
                active: true,
            }
        })
        .collect()
}

/// Which instructors look after each area.
fn area_instructors(n_areas: usize, instructors: &[Instructor]) -> Vec<Vec<Id>> {
    let mut out = vec![Vec::new(); n_areas];
    for j in 0..n_areas.max(instructors.len()) {
        let id = instructors[j % instructors.len()].meta.id;
        if !out[j % n_areas].contains(&id) {
            out[j % n_areas].push(id);
        }
    }
    out
}

const CREDIT_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A valid, unused 统一社会信用代码 of a 清河县 unit of this category.
fn credit_code(g: &mut Gen, category: UnitCategory, taken: &mut BTreeSet<String>) -> String {
    let prefix = match category {
        UnitCategory::Enterprise => "91330123",
        UnitCategory::SocialGroup => "51330123",
        UnitCategory::PrivateNonEnterprise => "52330123",
        UnitCategory::Foundation => "53330123",
        UnitCategory::Other => "93330123",
    };
    loop {
        let mut body = String::new();
        if category == UnitCategory::Enterprise && g.chance(0.7) {
            body.push_str("MA");
            body.push(*g.pick(b"2CDE") as char);
        } else {
            body.push(char::from_digit(g.rng.u32(3..=7), 10).unwrap());
        }
        while body.len() < 8 {
            body.push(char::from_digit(g.rng.u32(0..10), 10).unwrap());
        }
        body.push(*g.pick(CREDIT_CHARS) as char);
        let first = format!("{prefix}{body}");
        let code = format!(
            "{first}{}",
            credit_code_check_char(&first).expect("allowed chars")
        );
        if taken.insert(code.clone()) {
            return code;
        }
    }
}

/// A unique name and 行业 for a unit of this category.
fn unit_name(
    g: &mut Gen,
    category: UnitCategory,
    area: &str,
    taken: &mut BTreeSet<String>,
) -> (String, String) {
    for attempt in 0.. {
        let (name, industry) = match category {
            UnitCategory::Enterprise | UnitCategory::Other => {
                let t = &TRADES[g.weighted(TRADES.iter().map(|t| t.2))];
                let suffix = match g.rng.u32(0..100) {
                    _ if t.0 == "小额贷款" => "股份有限公司",
                    0..=84 => "有限公司",
                    85..=92 => "股份有限公司",
                    _ => "有限责任公司",
                };
                (format!("清河县{}{}{suffix}", g.pick(BRANDS), t.0), t.1)
            }
            UnitCategory::SocialGroup => {
                let (s, ind) = *g.pick(SOCIAL_GROUPS);
                let place = if attempt > 20 { area } else { "" };
                (format!("清河县{place}{s}"), ind)
            }
            UnitCategory::PrivateNonEnterprise => {
                let (s, ind) = *g.pick(PRIVATE_NON_ENTERPRISES);
                (format!("清河县{}{s}", g.pick(BRANDS)), ind)
            }
            UnitCategory::Foundation => {
                let (s, ind) = *g.pick(FOUNDATIONS);
                let place = if attempt > 10 { area } else { "" };
                (format!("清河县{place}{s}"), ind)
            }
        };
        let name = if attempt > 60 {
            format!("{name}（{attempt}）")
        } else {
            name
        };
        if taken.insert(name.clone()) {
            return (name, industry.to_string());
        }
    }
    unreachable!()
}

/// Members of a unit: very skewed, most units have none or one or two.
fn member_count(g: &mut Gen, category: UnitCategory) -> usize {
    let r = g.rng.f64();
    if category == UnitCategory::Enterprise {
        match r {
            _ if r < 0.29 => 0,
            _ if r < 0.54 => g.rng.usize(1..=2),
            _ if r < 0.84 => g.rng.usize(3..=12),
            _ if r < 0.96 => g.rng.usize(13..=30),
            _ => g.rng.usize(31..=60),
        }
    } else {
        match r {
            _ if r < 0.40 => 0,
            _ if r < 0.75 => g.rng.usize(1..=2),
            _ => g.rng.usize(3..=8),
        }
    }
}

fn employees(g: &mut Gen, category: UnitCategory, members: usize) -> i64 {
    let base = match category {
        UnitCategory::Enterprise | UnitCategory::Other => match g.rng.u32(0..100) {
            0..=54 => g.rng.i64(5..=30),
            55..=82 => g.rng.i64(31..=80),
            83..=95 => g.rng.i64(81..=300),
            _ => g.rng.i64(301..=800),
        },
        UnitCategory::SocialGroup => g.rng.i64(2..=15),
        UnitCategory::PrivateNonEnterprise => g.rng.i64(5..=60),
        UnitCategory::Foundation => g.rng.i64(2..=8),
    };
    let m = members as i64;
    let floor = if category == UnitCategory::Enterprise {
        m * g.rng.i64(3..=8)
    } else {
        m + g.rng.i64(0..=5)
    };
    base.max(floor)
}

/// Plan `n` units: ~75% 非公企业, ~15% 社会团体, ~8% 民办非企业单位, ~2% 基金会.
pub(crate) fn plan_units(
    g: &mut Gen,
    n: usize,
    areas: &[&'static str],
    instructors: &[Instructor],
) -> Vec<UnitP> {
    let share = |p: f64| (n as f64 * p).round() as usize;
    let n_found = if n >= 10 { share(0.02).max(1) } else { 0 };
    let (n_soc, n_pne) = (share(0.15), share(0.08));
    let mut cats = vec![UnitCategory::SocialGroup; n_soc];
    cats.extend(vec![UnitCategory::PrivateNonEnterprise; n_pne]);
    cats.extend(vec![UnitCategory::Foundation; n_found]);
    cats.truncate(n);
    cats.resize(n, UnitCategory::Enterprise);
    g.rng.shuffle(&mut cats);

    let by_area = area_instructors(areas.len(), instructors);
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut out: Vec<UnitP> = Vec::with_capacity(n);
    for category in cats {
        let area = g.weighted(AREAS[..areas.len()].iter().map(|a| a.1));
        let (name_, industry) = unit_name(g, category, areas[area], &mut names);
        let mut u = Unit::new(name_, category);
        u.meta = Meta {
            id: g.id(),
            ..Meta::default()
        };
        u.credit_code = Some(credit_code(g, category, &mut codes));
        u.industry = Some(industry);
        u.area = Some(areas[area].to_string());
        u.address = Some(format!(
            "清河县{}{}{}号",
            areas[area],
            g.pick(ROADS),
            g.rng.u32(1..=399)
        ));
        let n_members = member_count(g, category);
        out.push(UnitP {
            unit: u,
            area,
            n_members,
            members: Vec::new(),
        });
    }
    balance_members(g, &mut out, n * 6);
    for p in &mut out {
        let u = &mut p.unit;
        let emp = employees(g, u.category, p.n_members);
        u.employees = Some(emp);
        let enterprise = u.category == UnitCategory::Enterprise;
        u.above_scale = enterprise
            && match emp {
                101.. => g.chance(0.85),
                50..=100 => g.chance(0.15),
                _ => false,
            };
        u.has_union = g.chance(match (enterprise, emp >= 25) {
            (true, true) => 0.7,
            (true, false) => 0.2,
            _ => 0.1,
        });
        u.has_youth_league = g.chance(if emp > 50 { 0.35 } else { 0.06 });
        u.has_womens_federation = g.chance(if emp > 50 { 0.3 } else { 0.06 });
        let gender = random_gender(g, 0.8);
        u.legal_rep = Some(name(g, gender));
        u.phone = Some(if g.chance(0.6) {
            landline(g)
        } else {
            mobile(g)
        });
        if p.n_members == 0 {
            u.status = match g.rng.u32(0..100) {
                0..=3 => UnitStatus::Suspended,
                4..=6 => UnitStatus::Deregistered,
                _ => UnitStatus::Operating,
            };
        }
        if u.status == UnitStatus::Deregistered {
            u.note = Some(format!("{}年已办理注销登记", g.as_of.format("%Y")));
        }
        let mine = &by_area[p.area];
        if !mine.is_empty() && g.chance(0.88) {
            u.instructor_id = Some(*g.pick(mine));
        }
    }
    // A few units have closed down: make sure at least one is 注销 and one 停业.
    for status in [UnitStatus::Deregistered, UnitStatus::Suspended] {
        let idle: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].n_members == 0 && out[i].unit.status == UnitStatus::Operating)
            .collect();
        if n >= 20 && !idle.is_empty() && !out.iter().any(|p| p.unit.status == status) {
            let i = *g.pick(&idle);
            out[i].unit.status = status;
            if status == UnitStatus::Deregistered {
                out[i].unit.note = Some(format!("{}年已办理注销登记", g.as_of.format("%Y")));
            }
        }
    }
    out
}

/// Nudge the member counts toward `target` in total (±7%), keeping the skew.
fn balance_members(g: &mut Gen, us: &mut [UnitP], target: usize) {
    let mut total: usize = us.iter().map(|u| u.n_members).sum();
    let lo = target * 93 / 100;
    let hi = target * 107 / 100;
    let mid: Vec<usize> = (0..us.len()).filter(|&i| us[i].n_members >= 3).collect();
    if mid.is_empty() {
        return;
    }
    while total < lo {
        let i = *g.pick(&mid);
        let add = g.rng.usize(1..=4);
        us[i].n_members += add;
        total += add;
    }
    let mut guard = 0;
    while total > hi && guard < 100_000 {
        guard += 1;
        let i = *g.pick(&mid);
        if us[i].n_members > 3 {
            let sub = g.rng.usize(1..=(us[i].n_members - 3).min(3));
            us[i].n_members -= sub;
            total -= sub;
        }
    }
}
