//! Which org covers which unit: the plan of 党组织 over the units and their members.

use super::orgs::{OrgP, Planner, PROJECTS};
use super::people::{landline, MemberP};
use super::units::UnitP;
use super::Gen;
use crate::model::{OrgStatus, OrgType, UnitCategory, UnitStatus};
use std::cmp::Reverse;
use std::collections::BTreeSet;

/// Plan the orgs and put every member in one.
pub(crate) fn plan_orgs(
    g: &mut Gen,
    areas: &[&'static str],
    us: &mut [UnitP],
    ms: &mut [MemberP],
) -> Vec<OrgP> {
    let mut p = Planner {
        g,
        us,
        ms,
        areas,
        orgs: Vec::new(),
    };
    let top = p.push(
        "中共清河县两新组织工作委员会".into(),
        OrgType::Committee,
        "单独组建",
        None,
        None,
    );
    p.orgs[top].org.phone = Some(landline(p.g));
    for role in ["书记", "副书记", "组织委员"] {
        p.outside_seat(top, role);
    }
    let area_orgs: Vec<usize> = (0..areas.len())
        .map(|a| {
            let o = p.push(
                format!("中共清河县{}非公有制经济组织综合委员会", areas[a]),
                OrgType::Committee,
                "单独组建",
                Some(top),
                Some(a),
            );
            p.orgs[o].org.phone = Some(landline(p.g));
            p.outside_seat(o, "书记");
            o
        })
        .collect();

    let n_units = p.us.len();
    let mut big: Vec<usize> = (0..n_units).filter(|&u| p.full(u) >= 3).collect();
    big.sort_by_key(|&u| (Reverse(p.us[u].members.len()), u));
    let mut small: Vec<usize> = (0..n_units)
        .filter(|&u| !p.us[u].members.is_empty() && p.full(u) < 3)
        .collect();
    let mut zero: Vec<usize> = (0..n_units)
        .filter(|&u| p.us[u].members.is_empty() && p.us[u].unit.status == UnitStatus::Operating)
        .collect();
    p.g.rng.shuffle(&mut small);
    p.g.rng.shuffle(&mut zero);

    // The largest units get a 党委 and one or two 党总支.
    let mut k = 0;
    for (i, t, subs) in [
        (0, OrgType::Committee, 3),
        (1, OrgType::GeneralBranch, 2),
        (2, OrgType::GeneralBranch, 2),
    ] {
        let Some(&u) = big.get(i) else { break };
        if i == 2 && (big.len() <= 12 || p.us[u].members.len() < 15) {
            break;
        }
        p.own_org(u, t, subs, area_orgs[p.us[u].area]);
        k = i + 1;
    }
    // 应建未建: some units with ≥3 正式党员 have no org of their own.
    let rest = big[k..].to_vec();
    // About one in 25 units is left with no org at all, one in 100 more only in a 联合党支部.
    let n_bare = (n_units / 25).clamp(1, 12).min(rest.len() / 3);
    let n_missing = (n_bare + (n_units / 100).max(1)).min(rest.len() / 3);
    let mut cand: Vec<usize> = rest
        .iter()
        .copied()
        .filter(|&u| p.us[u].members.len() <= 12)
        .collect();
    p.g.rng.shuffle(&mut cand);
    let missing: Vec<usize> = cand.into_iter().take(n_missing).collect();
    for &u in rest.iter().filter(|u| !missing.contains(u)) {
        p.own_org(u, OrgType::Branch, 0, area_orgs[p.us[u].area]);
    }
    let hosts: Vec<usize> = (0..p.orgs.len())
        .filter(|&o| {
            p.orgs[o].org.org_type == OrgType::Branch
                && p.orgs[o].home.is_some()
                && area_orgs
                    .iter()
                    .any(|&a| p.orgs[o].org.parent_id == Some(p.orgs[a].org.meta.id))
        })
        .collect();

    // 派驻组建: a 商会 (or another social group) gets a branch led by a cadre sent to it.
    let is_social = |p: &Planner, u: usize| p.us[u].unit.category == UnitCategory::SocialGroup;
    let pos = small
        .iter()
        .position(|&u| is_social(&p, u) && p.us[u].unit.name.contains("商会"))
        .or_else(|| small.iter().position(|&u| is_social(&p, u)));
    let sent = match pos {
        Some(i) => Some(small.remove(i)),
        None if !small.is_empty() => Some(small.remove(0)),
        None => zero.pop(),
    };
    if let Some(u) = sent {
        let o = p.push(
            format!("中共{}支部委员会", p.us[u].unit.name),
            OrgType::Branch,
            "派驻组建",
            Some(area_orgs[p.us[u].area]),
            Some(p.us[u].area),
        );
        p.orgs[o].units = vec![u];
        p.orgs[o].home = Some(u);
        p.orgs[o].members = p.us[u].members.clone();
        p.outside_seat(o, "书记");
    }
    // 临时组建: a building project.
    let is_building = |p: &Planner, u: usize| p.us[u].unit.industry.as_deref() == Some("建筑业");
    let pos = small.iter().position(|&u| is_building(&p, u));
    let site = match pos {
        Some(i) => Some(small.remove(i)),
        None if !small.is_empty() => Some(small.remove(0)),
        None => zero.pop(),
    };
    if let Some(u) = site {
        let a = p.us[u].area;
        let project = *p.g.pick(PROJECTS);
        let o = p.push(
            format!("中共清河县{}{project}项目临时支部委员会", areas[a]),
            OrgType::TemporaryBranch,
            "临时组建",
            Some(area_orgs[a]),
            Some(a),
        );
        let founded = p.g.days_ago(90, 500);
        p.orgs[o].org.founded_on = Some(founded);
        p.orgs[o].org.elected_on = None;
        p.orgs[o].units = vec![u];
        p.orgs[o].members = p.us[u].members.clone();
        p.branch_seats(o);
    }
    // 挂靠组建: small units attached to a nearby unit's branch.
    if !hosts.is_empty() {
        for _ in 0..(small.len() / 12).max(1) {
            let Some(u) = small.pop().or_else(|| zero.pop()) else {
                break;
            };
            let near: Vec<usize> = hosts
                .iter()
                .copied()
                .filter(|&o| p.orgs[o].area == Some(p.us[u].area))
                .collect();
            let o = if near.is_empty() {
                *p.g.pick(&hosts)
            } else {
                *p.g.pick(&near)
            };
            p.orgs[o].org.formation = "挂靠组建".into();
            p.orgs[o].units.push(u);
            let m = p.us[u].members.clone();
            p.orgs[o].members.extend(m);
        }
    }

    // 联合党支部 per area over most of the remaining small units, padded with units without members.
    let mut pools = vec![Vec::new(); areas.len()];
    let mut pads = vec![Vec::new(); areas.len()];
    let mut uncovered = Vec::new();
    for u in small {
        if p.g.chance(0.85) {
            pools[p.us[u].area].push(u);
        } else {
            uncovered.push(u);
        }
    }
    for u in zero {
        pads[p.us[u].area].push(u);
    }
    let mut counters = vec![[0usize; 2]; areas.len()];
    let mut joints: Vec<Vec<usize>> = vec![Vec::new(); areas.len()];
    for a in 0..areas.len() {
        let pool = std::mem::take(&mut pools[a]);
        let mut i = 0;
        while i < pool.len() {
            let mut size = p.g.rng.usize(2..=5).min(pool.len() - i);
            if pool.len() - i - size == 1 {
                size += 1;
            }
            let mut chunk = pool[i..i + size].to_vec();
            i += size;
            let mut n_pad = if p.g.chance(0.5) {
                p.g.rng.usize(0..=2)
            } else {
                0
            };
            if chunk.len() == 1 {
                n_pad = n_pad.max(1);
            }
            chunk.extend((0..n_pad).filter_map(|_| pads[a].pop()));
            if chunk.len() < 2 {
                uncovered.extend(chunk);
                continue;
            }
            let o = p.joint(a, chunk, area_orgs[a], &mut counters);
            joints[a].push(o);
        }
    }
    // At least one 联合党支部 covers more than five units.
    let all_joints: Vec<usize> = joints.iter().flatten().copied().collect();
    if !all_joints.iter().any(|&o| p.orgs[o].units.len() > 5) {
        let room = |o: usize| p.orgs[o].units.len() + p.orgs[o].area.map_or(0, |a| pads[a].len());
        if let Some(&o) = all_joints.iter().max_by_key(|&&o| (room(o), Reverse(o))) {
            let a = p.orgs[o].area.unwrap_or(0);
            while p.orgs[o].units.len() < 6 {
                let Some(u) = pads[a].pop() else { break };
                p.orgs[o].units.push(u);
            }
        }
    }
    // 应建未建: most covered by nothing, a few only by the area's 联合党支部.
    for (i, &u) in missing.iter().enumerate() {
        let a = p.us[u].area;
        match joints[a].first() {
            Some(&o) if i >= n_bare => {
                p.orgs[o].units.push(u);
                let m = p.us[u].members.clone();
                p.orgs[o].members.extend(m);
            }
            _ => uncovered.push(u),
        }
    }
    // Members of uncovered units keep their 组织关系 in the area's 联合党支部 (or 综合党委).
    for u in uncovered {
        let a = p.us[u].area;
        let o = joints[a].first().copied().unwrap_or(area_orgs[a]);
        let m = p.us[u].members.clone();
        p.orgs[o].members.extend(m);
    }
    dissolved_branch(&mut p, &area_orgs);
    finish(p)
}

/// One old branch of a unit since deregistered, 撤销.
fn dissolved_branch(p: &mut Planner, area_orgs: &[usize]) {
    let covered: BTreeSet<usize> = p
        .orgs
        .iter()
        .flat_map(|o| o.units.iter().copied())
        .collect();
    let Some(u) = (0..p.us.len())
        .find(|&u| p.us[u].unit.status == UnitStatus::Deregistered && !covered.contains(&u))
    else {
        return;
    };
    let a = p.us[u].area;
    let o = p.push(
        format!("中共{}支部委员会", p.us[u].unit.name),
        OrgType::Branch,
        "单独组建",
        Some(area_orgs[a]),
        Some(a),
    );
    p.orgs[o].org.status = OrgStatus::Dissolved;
    p.orgs[o].units = vec![u];
    p.orgs[o].home = Some(u);
}

/// Covered unit ids, members' 所在党组织, and 未建党组织原因 of units no org covers.
fn finish(mut p: Planner) -> Vec<OrgP> {
    let mut covered = BTreeSet::new();
    for o in &mut p.orgs {
        o.units.sort();
        o.units.dedup();
        o.org.unit_ids = o.units.iter().map(|&u| p.us[u].unit.meta.id).collect();
        covered.extend(o.units.iter().copied());
        for &m in &o.members {
            p.ms[m].m.org_id = Some(o.org.meta.id);
        }
    }
    for u in 0..p.us.len() {
        if covered.contains(&u) {
            continue;
        }
        let n = p.us[u].members.len();
        let full = p.full(u);
        let reason = match (n, full) {
            (0, _) if p.g.chance(0.85) => "无党员",
            (0, _) => *p.g.pick(&["新成立单位", "单位规模小、人员流动大"]),
            (_, 0..=2) if p.g.chance(0.7) => "党员人数不足3人",
            (_, 0..=2) => {
                *p.g.pick(&["党员组织关系不在本单位", "单位规模小、人员流动大"])
            }
            _ => *p.g.pick(&["党员组织关系不在本单位", "新成立单位", "其他"]),
        };
        p.us[u].unit.no_org_reason = Some(reason.to_string());
    }
    p.orgs
}
