//! Party organisations: who covers which unit, who belongs where, and the committees.

use super::people::{name, random_gender, MemberP};
use super::units::UnitP;
use super::{years_before, Gen};
use crate::model::{CommitteeSeat, Meta, Org, OrgType, UnitCategory};
use chrono::Days;

/// An org as planned.
pub(crate) struct OrgP {
    pub org: Org,
    /// Members whose 所在党组织 it is (indices into the member plan).
    pub members: Vec<usize>,
    /// Committee seats held by members of the ledger (role, member index).
    pub seats: Vec<(&'static str, usize)>,
    /// Covered units (indices into the unit plan).
    pub units: Vec<usize>,
    /// The unit this is the org of (单独组建 and its sub-branches), if any.
    pub home: Option<usize>,
    pub area: Option<usize>,
}

/// The org with its committee, when some seats are held by members (written after them).
pub(crate) fn with_committee(o: &OrgP, ms: &[MemberP]) -> Option<Org> {
    if o.seats.is_empty() {
        return None;
    }
    let mut org = o.org.clone();
    for &(role, i) in &o.seats {
        org.committee.0.push(CommitteeSeat {
            role: role.into(),
            name: ms[i].m.name.clone(),
            member_id: Some(ms[i].m.meta.id),
        });
    }
    if org.phone.is_none() {
        org.phone = ms[o.seats[0].1].m.phone.clone();
    }
    Some(org)
}

const CN: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
pub(super) const PROJECTS: &[&str] = &[
    "城东安置小区建设",
    "滨江公园提升改造",
    "清河大桥建设",
    "县人民医院迁建",
    "第二实验学校新建",
];

pub(crate) fn cn(i: usize) -> String {
    CN.get(i)
        .map_or_else(|| (i + 1).to_string(), |s| s.to_string())
}

pub(super) struct Planner<'a> {
    pub g: &'a mut Gen,
    pub us: &'a mut [UnitP],
    pub ms: &'a mut [MemberP],
    pub areas: &'a [&'static str],
    pub orgs: Vec<OrgP>,
}

impl Planner<'_> {
    pub(super) fn push(
        &mut self,
        name: String,
        t: OrgType,
        formation: &str,
        parent: Option<usize>,
        area: Option<usize>,
    ) -> usize {
        let mut org = Org::new(name, t, formation);
        org.meta = Meta {
            id: self.g.id(),
            ..Meta::default()
        };
        org.parent_id = parent.map(|p| self.orgs[p].org.meta.id);
        org.area = area.map(|a| self.areas[a].to_string());
        set_term(self.g, &mut org);
        self.orgs.push(OrgP {
            org,
            members: Vec::new(),
            seats: Vec::new(),
            units: Vec::new(),
            home: None,
            area,
        });
        self.orgs.len() - 1
    }

    /// A committee seat held by someone outside the ledger (a cadre of the 县委 or 乡镇).
    pub(super) fn outside_seat(&mut self, o: usize, role: &str) {
        let gender = random_gender(self.g, 0.7);
        let seat = CommitteeSeat {
            role: role.into(),
            name: name(self.g, gender),
            member_id: None,
        };
        self.orgs[o].org.committee.0.push(seat);
    }

    pub(super) fn full(&self, u: usize) -> usize {
        self.us[u]
            .members
            .iter()
            .filter(|&&i| self.ms[i].is_full())
            .count()
    }

    /// 书记 (the unit's leader half the time) and, from 7 正式党员 on, usually 委员.
    pub(super) fn branch_seats(&mut self, o: usize) {
        let members = self.orgs[o].members.clone();
        let mut eligible: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| self.ms[i].can_serve())
            .collect();
        if eligible.is_empty() {
            // Nobody fit to lead: a 正式党员 who is away, or a cadre sent from outside.
            match members
                .iter()
                .find(|&&i| self.ms[i].is_full() && self.ms[i].left_on.is_none())
            {
                Some(&i) => self.orgs[o].seats = vec![("书记", i)],
                None if !members.is_empty() => self.outside_seat(o, "书记"),
                None => {}
            }
            return;
        }
        let leader = eligible.iter().position(|&i| self.ms[i].leader);
        let sec = match leader {
            Some(p) if self.g.chance(0.5) => eligible.remove(p),
            _ => eligible.remove(self.g.rng.usize(..eligible.len())),
        };
        let mut seats = vec![("书记", sec)];
        let n_full = members.iter().filter(|&&i| self.ms[i].is_full()).count();
        if n_full >= 7 && self.g.chance(0.85) {
            self.g.rng.shuffle(&mut eligible);
            let roles: &[&'static str] = if n_full >= 20 {
                &["副书记", "组织委员", "宣传委员", "纪检委员"]
            } else {
                &["组织委员", "宣传委员", "纪检委员"]
            };
            seats.extend(roles.iter().copied().zip(eligible));
        }
        self.orgs[o].seats = seats;
    }

    /// The unit's own org: a 党支部, or a 党委/党总支 over `subs` 党支部.
    pub(super) fn own_org(&mut self, u: usize, t: OrgType, subs: usize, parent: usize) -> usize {
        let unit = self.us[u].unit.name.clone();
        let full_name = match t {
            OrgType::Committee => format!("中共{unit}委员会"),
            OrgType::GeneralBranch => format!("中共{unit}总支部委员会"),
            _ => format!("中共{unit}支部委员会"),
        };
        let area = Some(self.us[u].area);
        let o = self.push(full_name, t, "单独组建", Some(parent), area);
        self.orgs[o].org.short_name = Some(short_name(&unit, t));
        self.orgs[o].units = vec![u];
        self.orgs[o].home = Some(u);
        let mut members = self.us[u].members.clone();
        if subs == 0 || members.len() < 3 * subs {
            self.orgs[o].members = members;
            self.branch_seats(o);
            return o;
        }
        // Seats of the 党委/党总支 go to members of its 党支部.
        let mut eligible: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| self.ms[i].can_serve())
            .collect();
        let lead = eligible
            .iter()
            .position(|&i| self.ms[i].leader)
            .unwrap_or(0);
        if !eligible.is_empty() {
            eligible.swap(0, lead);
            self.g.rng.shuffle(&mut eligible[1..]);
        }
        let roles: &[&'static str] = if t == OrgType::Committee {
            &["书记", "副书记", "组织委员", "宣传委员", "纪检委员"]
        } else {
            &["书记", "组织委员", "宣传委员"]
        };
        self.orgs[o].seats = roles.iter().copied().zip(eligible).collect();
        let leader = members.remove(0);
        self.g.rng.shuffle(&mut members);
        members.insert(0, leader);
        for s in 0..subs {
            let sub = self.push(
                format!("中共{unit}第{}支部委员会", cn(s)),
                OrgType::Branch,
                "单独组建",
                Some(o),
                area,
            );
            self.orgs[sub].units = vec![u];
            self.orgs[sub].home = Some(u);
            self.orgs[sub].members = members.iter().copied().skip(s).step_by(subs).collect();
            self.branch_seats(sub);
        }
        o
    }

    pub(super) fn joint(
        &mut self,
        a: usize,
        chunk: Vec<usize>,
        parent: usize,
        counters: &mut [[usize; 2]],
    ) -> usize {
        let social = chunk
            .iter()
            .filter(|&&u| self.us[u].unit.category != UnitCategory::Enterprise)
            .count();
        let kind = usize::from(social * 2 > chunk.len());
        let label = ["非公企业", "社会组织"][kind];
        let n = counters[a][kind];
        counters[a][kind] += 1;
        let full_name = format!(
            "中共清河县{}{label}第{}联合支部委员会",
            self.areas[a],
            cn(n)
        );
        let o = self.push(
            full_name,
            OrgType::JointBranch,
            "联合组建",
            Some(parent),
            Some(a),
        );
        for &u in &chunk {
            let m = self.us[u].members.clone();
            self.orgs[o].members.extend(m);
        }
        self.orgs[o].units = chunk;
        self.branch_seats(o);
        o
    }
}

fn short_name(unit: &str, t: OrgType) -> String {
    let mut s = unit.trim_start_matches("清河县");
    for suffix in ["股份有限公司", "有限责任公司", "有限公司"] {
        s = s.trim_end_matches(suffix);
    }
    let kind = match t {
        OrgType::Committee => "党委",
        OrgType::GeneralBranch => "党总支",
        _ => "党支部",
    };
    format!("{s}{kind}")
}

/// 成立日期 and 本届选举日期: mostly within the term, ~10% overdue, ~8% due within 90 days.
fn set_term(g: &mut Gen, org: &mut Org) {
    let term = org.term_years as u32;
    let r = g.rng.f64();
    let elected = if r < 0.10 {
        years_before(g.as_of, term) - Days::new(g.rng.u64(20..=400))
    } else if r < 0.18 {
        years_before(g.as_of, term) + Days::new(g.rng.u64(1..=89))
    } else {
        g.days_ago(30, u64::from(term) * 365 - 100)
    };
    let k = g.rng.u32(0..=2);
    let extra = if k > 0 { g.rng.u64(0..=60) } else { 0 };
    org.elected_on = Some(elected);
    org.founded_on = Some(years_before(elected, k * term) - Days::new(extra));
}
