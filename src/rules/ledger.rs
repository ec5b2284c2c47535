//! The ledger snapshot the rules and statistics read: lean records with references resolved to
//! indexes, plus the derived lookups (who covers which unit, who belongs where). Built from the
//! store by [`Ledger::load`] in a few bulk queries, or by hand in tests.

use crate::model::member::PROBATION_MONTHS;
use crate::model::{
    ActivityType, ApplicantStage, CheckResult, Gender, Id, MemberCategory, MemberStatus, OrgStatus,
    OrgType, PathDates, UnitCategory, UnitStatus,
};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// A 两新组织 as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRec {
    pub id: Id,
    pub name: String,
    pub category: UnitCategory,
    pub area: Option<String>,
    pub employees: Option<i64>,
    pub status: UnitStatus,
    pub has_union: bool,
    pub has_youth_league: bool,
    /// Name of the assigned 党建指导员, when one in post is assigned.
    pub instructor: Option<String>,
    pub no_org_reason: Option<String>,
}

/// A 党组织.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRec {
    pub id: Id,
    pub name: String,
    pub org_type: OrgType,
    pub formation: String,
    /// Index of the 上级党组织 in [`Ledger::orgs`].
    pub parent: Option<usize>,
    pub area: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub elected_on: Option<NaiveDate>,
    pub term_years: i64,
    pub status: OrgStatus,
    /// Number of committee seats (书记 included).
    pub seats: usize,
    pub secretary: Option<String>,
    /// Covered units, as indexes into [`Ledger::units`].
    pub units: Vec<usize>,
}

/// A 党员, with the last signs of life the 自行脱党 rule needs.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRec {
    pub id: Id,
    pub name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub education: Option<String>,
    pub category: MemberCategory,
    pub status: MemberStatus,
    pub joined_on: NaiveDate,
    pub probation_extended_to: Option<NaiveDate>,
    /// 所在党组织 (index into [`Ledger::orgs`]).
    pub org: Option<usize>,
    /// 工作单位 in this ledger (index into [`Ledger::units`]).
    pub work_unit: Option<usize>,
    pub is_mobile: bool,
    pub is_lost_contact: bool,
    /// Last meeting attended (present) on or before the check date.
    pub last_attended: Option<NaiveDate>,
    /// Last 党费 paid on or before the check date: the later of 交纳日期 and the month paid for.
    pub last_paid: Option<NaiveDate>,
    /// Last 转入 on or before the check date.
    pub transferred_in: Option<NaiveDate>,
}

impl MemberRec {
    /// 预备期满日 as first set: one year after 入党日期.
    pub fn original_probation_end(&self) -> NaiveDate {
        super::periods::add_months(self.joined_on, PROBATION_MONTHS)
    }

    /// 预备期满日, counting an extension.
    pub fn probation_end(&self) -> NaiveDate {
        self.probation_extended_to
            .unwrap_or_else(|| self.original_probation_end())
    }

    pub fn is_active(&self) -> bool {
        self.status == MemberStatus::Active
    }

    pub fn is_full(&self) -> bool {
        self.category == MemberCategory::Full
    }
}

/// A 组织生活 record.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRec {
    pub id: Id,
    pub org: usize,
    pub types: Vec<ActivityType>,
    pub held_on: NaiveDate,
    /// The local date it was entered (录入时间).
    pub recorded_on: Option<NaiveDate>,
    pub topic: String,
}

/// An inspection (十个有 or a local checklist).
#[derive(Debug, Clone, PartialEq)]
pub struct InspectionRec {
    pub id: Id,
    pub org: usize,
    /// 检查表 name, e.g. 十个有.
    pub checklist: String,
    pub inspected_on: NaiveDate,
    /// Number of items answered.
    pub items: usize,
    /// Items answered 无 or 部分: (label, result).
    pub gaps: Vec<(String, CheckResult)>,
}

/// An open 整改事项 of a visit (not closed on the check date).
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRec {
    pub visit_id: Id,
    pub unit: usize,
    pub visited_on: NaiveDate,
    pub content: String,
    pub due_on: Option<NaiveDate>,
}

/// A person on the path into the party (入党申请人 … 预备党员 not yet approved).
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicantRec {
    pub id: Id,
    pub name: String,
    /// 培养党组织 (index into [`Ledger::orgs`]).
    pub org: Option<usize>,
    /// 工作单位 in this ledger (index into [`Ledger::units`]).
    pub work_unit: Option<usize>,
    /// The steps' dates as of the check date.
    pub dates: PathDates,
}

impl ApplicantRec {
    /// 发展阶段 on the check date.
    pub fn stage(&self) -> ApplicantStage {
        self.dates.stage()
    }
}

/// The whole ledger as of a date, ready for the rules.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// The check date: records dated after it are not in the snapshot.
    pub as_of: NaiveDate,
    /// Activities are loaded from this date on (earlier ones are not in the snapshot).
    pub activities_since: NaiveDate,
    pub units: Vec<UnitRec>,
    pub orgs: Vec<OrgRec>,
    pub members: Vec<MemberRec>,
    pub activities: Vec<ActivityRec>,
    pub inspections: Vec<InspectionRec>,
    pub followups: Vec<FollowUpRec>,
    /// People on the path into the party who applied by the check date (empty unless loaded).
    pub applicants: Vec<ApplicantRec>,
    /// Dictionary order of 学历 and 组建方式 (for statistics tables).
    pub education_order: Vec<String>,
    pub formation_order: Vec<String>,
    derived: Derived,
}

#[derive(Debug, Clone, Default)]
struct Derived {
    unit_idx: HashMap<Id, usize>,
    org_idx: HashMap<Id, usize>,
    /// Active orgs covering each unit.
    covering: Vec<Vec<usize>>,
    /// 在册 members of each org.
    org_members: Vec<Vec<usize>>,
    /// 在册 members working in each unit.
    unit_members: Vec<Vec<usize>>,
    /// Activities of each org, by date.
    org_activities: Vec<Vec<usize>>,
    /// Latest inspection of each org.
    latest_inspection: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl Ledger {
    /// A snapshot from its records; the lookups are derived here. Indexes in the records must
    /// point into the given vectors (out-of-range ones are ignored).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        as_of: NaiveDate,
        activities_since: NaiveDate,
        units: Vec<UnitRec>,
        orgs: Vec<OrgRec>,
        members: Vec<MemberRec>,
        activities: Vec<ActivityRec>,
        inspections: Vec<InspectionRec>,
        followups: Vec<FollowUpRec>,
    ) -> Ledger {
        let mut l = Ledger {
            as_of,
            activities_since,
            units,
            orgs,
            members,
            activities,
            inspections,
            followups,
            applicants: Vec::new(),
            education_order: Vec::new(),
            formation_order: Vec::new(),
            derived: Derived::default(),
        };
        l.derive();
        l
    }

    fn derive(&mut self) {
        let (nu, no) = (self.units.len(), self.orgs.len());
        let mut d = Derived {
            unit_idx: self
                .units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id, i))
                .collect(),
            org_idx: self
                .orgs
                .iter()
                .enumerate()
                .map(|(i, o)| (o.id, i))
                .collect(),
            covering: vec![Vec::new(); nu],
            org_members: vec![Vec::new(); no],
            unit_members: vec![Vec::new(); nu],
            org_activities: vec![Vec::new(); no],
            latest_inspection: vec![None; no],
            children: vec![Vec::new(); no],
        };
        for (o, org) in self.orgs.iter().enumerate() {
            if let Some(p) = org.parent.filter(|&p| p < no && p != o) {
                d.children[p].push(o);
            }
            if org.status != OrgStatus::Active {
                continue;
            }
            for &u in &org.units {
                if u < nu && !d.covering[u].contains(&o) {
                    d.covering[u].push(o);
                }
            }
        }
        for (i, m) in self.members.iter().enumerate() {
            if !m.is_active() {
                continue;
            }
            if let Some(o) = m.org.filter(|&o| o < no) {
                d.org_members[o].push(i);
            }
            if let Some(u) = m.work_unit.filter(|&u| u < nu) {
                d.unit_members[u].push(i);
            }
        }
        self.activities.sort_by_key(|a| (a.org, a.held_on));
        for (i, a) in self.activities.iter().enumerate() {
            if a.org < no {
                d.org_activities[a.org].push(i);
            }
        }
        for (i, insp) in self.inspections.iter().enumerate() {
            if insp.org >= no || insp.inspected_on > self.as_of {
                continue;
            }
            let slot = &mut d.latest_inspection[insp.org];
            if slot.is_none_or(|j| self.inspections[j].inspected_on <= insp.inspected_on) {
                *slot = Some(i);
            }
        }
        self.derived = d;
    }

    pub fn unit_index(&self, id: &Id) -> Option<usize> {
        self.derived.unit_idx.get(id).copied()
    }

    pub fn org_index(&self, id: &Id) -> Option<usize> {
        self.derived.org_idx.get(id).copied()
    }

    /// 在营 — only operating units count in the rules and the coverage denominators.
    pub fn unit_operating(&self, u: usize) -> bool {
        self.units[u].status == UnitStatus::Operating
    }

    /// 正常 — only active orgs count.
    pub fn org_active(&self, o: usize) -> bool {
        self.orgs[o].status == OrgStatus::Active
    }

    /// Active orgs covering a unit (any 组建方式).
    pub fn covering(&self, u: usize) -> &[usize] {
        &self.derived.covering[u]
    }

    /// Active orgs that are the unit's own: covering it with a 组建方式 in `formations`, or
    /// named after it (中共<单位名称>支部委员会) — a host unit's branch stays its own when other
    /// small units 挂靠 to it.
    pub fn own_orgs<'a>(
        &'a self,
        u: usize,
        formations: &'a [String],
    ) -> impl Iterator<Item = usize> + 'a {
        let unit_name = self.units[u].name.as_str();
        self.covering(u).iter().copied().filter(move |&o| {
            let org = &self.orgs[o];
            formations.contains(&org.formation)
                || crate::model::names::name_contains(&org.name, unit_name)
        })
    }

    /// 在册 members whose 所在党组织 is this org.
    pub fn org_members(&self, o: usize) -> &[usize] {
        &self.derived.org_members[o]
    }

    /// 在册 members working in this unit.
    pub fn unit_members(&self, u: usize) -> &[usize] {
        &self.derived.unit_members[u]
    }

    /// 在册 正式党员 working in this unit.
    pub fn unit_full_members(&self, u: usize) -> usize {
        self.unit_members(u)
            .iter()
            .filter(|&&m| self.members[m].is_full())
            .count()
    }

    /// 在册 正式党员 of this org.
    pub fn org_full_members(&self, o: usize) -> usize {
        self.org_members(o)
            .iter()
            .filter(|&&m| self.members[m].is_full())
            .count()
    }

    /// Activities of an org, oldest first.
    pub fn org_activities(&self, o: usize) -> impl Iterator<Item = &ActivityRec> + '_ {
        self.derived.org_activities[o]
            .iter()
            .map(|&i| &self.activities[i])
    }

    /// The org's latest inspection on or before the check date.
    pub fn latest_inspection(&self, o: usize) -> Option<&InspectionRec> {
        self.derived.latest_inspection[o].map(|i| &self.inspections[i])
    }

    /// Orgs that keep 组织生活 and are inspected: active, with at least one 在册 member.
    pub fn grassroots(&self, o: usize) -> bool {
        self.org_active(o) && !self.org_members(o).is_empty()
    }

    /// The org's 所属乡镇街道, or that of the first unit it covers.
    pub fn org_area(&self, o: usize) -> Option<&str> {
        let org = &self.orgs[o];
        org.area
            .as_deref()
            .or_else(|| org.units.first().and_then(|&u| self.unit_area(u)))
    }

    pub fn unit_area(&self, u: usize) -> Option<&str> {
        self.units.get(u).and_then(|x| x.area.as_deref())
    }

    /// A member's area: that of their org, else of their work unit.
    /// 所属乡镇街道 of an applicant: their org's, else their unit's.
    pub fn applicant_area(&self, a: usize) -> Option<&str> {
        let rec = &self.applicants[a];
        rec.org
            .and_then(|o| self.org_area(o))
            .or_else(|| rec.work_unit.and_then(|u| self.unit_area(u)))
    }

    pub fn member_area(&self, m: usize) -> Option<&str> {
        let mem = &self.members[m];
        mem.org
            .and_then(|o| self.org_area(o))
            .or_else(|| mem.work_unit.and_then(|u| self.unit_area(u)))
    }

    /// The org and every org below it.
    pub fn subtree(&self, o: usize) -> Vec<usize> {
        let mut out = vec![o];
        let mut seen: HashSet<usize> = out.iter().copied().collect();
        let mut i = 0;
        while i < out.len() {
            for &c in &self.derived.children[out[i]] {
                if seen.insert(c) {
                    out.push(c);
                }
            }
            i += 1;
        }
        out
    }

    /// Every record id that belongs to an org's part of the ledger: the org and those below
    /// it, their members and activities, the units they cover, the units their members work
    /// in, and visits to those units.
    pub fn ids_under(&self, org: &Id) -> HashSet<Id> {
        let mut ids = HashSet::new();
        let Some(o) = self.org_index(org) else {
            return ids;
        };
        let orgs = self.subtree(o);
        let mut units: HashSet<usize> = HashSet::new();
        for &x in &orgs {
            ids.insert(self.orgs[x].id);
            units.extend(self.orgs[x].units.iter().copied());
            for &m in self.org_members(x) {
                ids.insert(self.members[m].id);
                units.extend(self.members[m].work_unit);
            }
            ids.extend(self.org_activities(x).map(|a| a.id));
        }
        for &u in &units {
            if let Some(unit) = self.units.get(u) {
                ids.insert(unit.id);
            }
        }
        for f in &self.followups {
            if units.contains(&f.unit) {
                ids.insert(f.visit_id);
            }
        }
        ids
    }
}
