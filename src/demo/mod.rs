//! Demo data: a deterministic, realistic 两新 ledger of the fictional county 清河县.
//!
//! [`generate`] plans units, members and orgs in memory, then writes everything — and the two
//! years of 组织生活, inspections, visits, alliances and 党费 that follow from them — in one
//! transaction. All randomness comes from one `fastrand::Rng` seeded by [`DemoOptions::seed`],
//! and ids are built from it too, so the same seed and `as_of` always give the same ledger.
//! The data deliberately contains the cases the rules look for: 应建未建 units, overdue
//! 换届 and 转正, missing 支委会, gaps in 三会一课, late entries (补记), stale inspections.

mod applicants;
mod cover;
mod extra;
mod life;
mod names;
mod orgs;
mod people;
mod units;

use crate::error::{Error, Result};
use crate::model::{Id, Member, MemberCategory, MemberEvent, MemberEventKind, Unit};
use crate::store::Tx;
use crate::Store;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Number of 两新组织 (units); members, orgs and the rest scale with it.
    pub units: usize,
    /// Seed of the random generator: the same seed and `as_of` give the same data.
    pub seed: u64,
    /// The ledger's "today": nothing is dated after it.
    pub as_of: NaiveDate,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            units: 250,
            seed: 1,
            as_of: chrono::Local::now().date_naive(),
        }
    }
}

/// How many records of each kind were written.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct DemoSummary {
    pub units: usize,
    pub orgs: usize,
    pub members: usize,
    pub activities: usize,
    pub inspections: usize,
    pub instructors: usize,
    pub visits: usize,
    pub alliances: usize,
    pub dues: usize,
    /// 入党申请人、积极分子、发展对象 (and the paths of recent 预备党员)
    pub applicants: usize,
}

/// Fill an empty ledger with demo data, in one transaction. The store's "today" is set to
/// `opts.as_of` (and left so). Refused when the ledger already holds units or members.
pub fn generate(store: &mut Store, opts: &DemoOptions) -> Result<DemoSummary> {
    store.set_today(Some(opts.as_of));
    if store.count::<Unit>()? > 0 || store.count::<Member>()? > 0 {
        return Err(Error::Rule(
            "台账中已有数据：演示数据只能生成到空台账中".into(),
        ));
    }
    let mut g = Gen::new(opts.seed, opts.as_of);
    let areas = units::pick_areas(opts.units);
    let instructors = units::plan_instructors(&mut g, opts.units, &areas);
    let mut us = units::plan_units(&mut g, opts.units, &areas, &instructors);
    let mut ms = people::plan_members(&mut g, &mut us);
    let os = cover::plan_orgs(&mut g, &areas, &mut us, &mut ms);

    store.write(|tx| {
        let mut sum = DemoSummary::default();
        for i in &instructors {
            tx.insert(i.clone())?;
        }
        sum.instructors = instructors.len();
        for u in &us {
            tx.insert(u.unit.clone())?;
        }
        sum.units = us.len();
        for o in &os {
            tx.insert(o.org.clone())?;
        }
        sum.orgs = os.len();
        for m in &ms {
            add_member(tx, &mut g, m)?;
        }
        sum.members = ms.len();
        for o in &os {
            if let Some(org) = orgs::with_committee(o, &ms) {
                tx.update(org)?;
            }
        }
        member_events(tx, &mut g, &ms)?;
        let world = World {
            areas: &areas,
            units: &us,
            members: &ms,
            orgs: &os,
            instructors: &instructors,
        };
        sum.activities = life::activities(tx, &mut g, &world)?;
        sum.inspections = life::inspections(tx, &mut g, &world)?;
        sum.visits = extra::visits(tx, &mut g, &world)?;
        sum.alliances = extra::alliances(tx, &mut g, &world)?;
        sum.dues = extra::dues(tx, &mut g, &world)?;
        sum.applicants = applicants::applicants(tx, &mut g, &world)?;
        Ok(sum)
    })
}

/// Everything planned, for the generators of the records that follow from it.
pub(crate) struct World<'a> {
    pub areas: &'a [&'static str],
    pub units: &'a [units::UnitP],
    pub members: &'a [people::MemberP],
    pub orgs: &'a [orgs::OrgP],
    pub instructors: &'a [crate::model::Instructor],
}

/// Insert a member as `Tx::add_member` does, but give a 预备党员's 发展 event a deterministic
/// id (add_member would draw a fresh random one).
fn add_member(tx: &mut Tx, g: &mut Gen, m: &people::MemberP) -> Result<()> {
    if m.m.category == MemberCategory::Probationary {
        let member = tx.insert(m.m.clone())?;
        let mut ev = MemberEvent::new(member.meta.id, MemberEventKind::Admitted, member.joined_on);
        ev.meta.id = g.id();
        tx.insert(ev)?;
    } else {
        tx.add_member(m.m.clone())?;
    }
    Ok(())
}

/// 转正 of members whose probation ended, one 延长预备期 and one 转出.
fn member_events(tx: &mut Tx, g: &mut Gen, ms: &[people::MemberP]) -> Result<()> {
    for p in ms {
        let id = p.m.meta.id;
        if let Some(on) = p.confirm_on {
            let mut ev = MemberEvent::new(id, MemberEventKind::Confirmed, on);
            ev.meta.id = g.id();
            ev.note = Some("经支部党员大会讨论通过，按期转正".into());
            tx.record_event(ev)?;
        }
        if p.extend {
            let end = p.m.original_probation_end();
            let mut ev = MemberEvent::new(id, MemberEventKind::ProbationExtended, end);
            ev.meta.id = g.id();
            ev.until = Some(end + Months::new(6));
            ev.note =
                Some("预备期间表现未完全达到党员条件，经支部党员大会讨论延长预备期六个月".into());
            tx.record_event(ev)?;
        }
        if let Some(on) = p.left_on {
            let mut ev = MemberEvent::new(id, MemberEventKind::TransferredOut, on);
            ev.meta.id = g.id();
            ev.place = Some("中共杭州市余杭区仓前街道工作委员会".into());
            ev.note = Some("工作调动".into());
            tx.record_event(ev)?;
        }
    }
    Ok(())
}

/// The generator's state: the seeded random source and the id clock.
pub(crate) struct Gen {
    pub rng: fastrand::Rng,
    pub as_of: NaiveDate,
    clock: u64,
}

impl Gen {
    fn new(seed: u64, as_of: NaiveDate) -> Self {
        let start = as_of
            .and_hms_opt(1, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis().max(0) as u64);
        Gen {
            rng: fastrand::Rng::with_seed(seed),
            as_of,
            clock: start,
        }
    }

    /// The next record id: a UUIDv7 whose time and random bits come from the seed.
    pub fn id(&mut self) -> Id {
        self.clock += self.rng.u64(1..=40);
        let mut random = [0u8; 10];
        self.rng.fill(&mut random);
        Id::from_parts(self.clock, random)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.rng.usize(..xs.len())]
    }

    /// Pick with a bias toward the front of the list (common surnames, say).
    pub fn pick_front<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        let a = self.rng.usize(..xs.len());
        let b = self.rng.usize(..xs.len());
        &xs[a.min(b)]
    }

    /// Index picked by weight.
    pub fn weighted(&mut self, weights: impl IntoIterator<Item = u32> + Clone) -> usize {
        let total: u32 = weights.clone().into_iter().sum();
        let mut r = self.rng.u32(..total.max(1));
        for (i, w) in weights.into_iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        0
    }

    /// A date `lo..=hi` days before as_of.
    pub fn days_ago(&mut self, lo: u64, hi: u64) -> NaiveDate {
        self.as_of - Days::new(self.rng.u64(lo..=hi.max(lo)))
    }

    /// A day of the given month, `lo..=hi` clamped to the month's length.
    pub fn day_in(&mut self, y: i32, m: u32, lo: u32, hi: u32) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
        let len = (first + Months::new(1) - first).num_days() as u32;
        let d = self.rng.u32(lo.min(len)..=hi.min(len));
        first.with_day(d.max(1)).expect("valid day")
    }
}

/// A date `years` years before `d` (29 Feb → 28 Feb).
pub(crate) fn years_before(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(12 * years))
        .unwrap_or(NaiveDate::MIN)
}

/// A date `years` years after `d`.
pub(crate) fn years_after(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * years))
        .unwrap_or(NaiveDate::MAX)
}
