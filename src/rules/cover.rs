//! Coverage and structure: 应建未建, uncovered units, oversized 联合党支部 and 党支部, 支委会.

use super::{Finding, Ledger, Rule, RuleParams};
use crate::model::ApplicantStage;
use crate::model::OrgType;

/// How a unit is covered now, for messages: 目前由……覆盖 / 目前没有党组织覆盖.
fn coverage_text(l: &Ledger, u: usize) -> String {
    let cover: Vec<String> = l
        .covering(u)
        .iter()
        .map(|&o| format!("{}（{}）", l.orgs[o].name, l.orgs[o].formation))
        .collect();
    if cover.is_empty() {
        "目前没有党组织覆盖".to_string()
    } else {
        format!("目前仅由{}覆盖", cover.join("、"))
    }
}

/// 应建未建: an operating unit with at least `own_org_min_full_members` 正式党员 (预备党员 do
/// not count) working there and no active org of its own (组建方式 in `own_org_formations`).
pub(super) fn org_not_built(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in 0..l.units.len() {
        if !l.unit_operating(u) {
            continue;
        }
        let full = l.unit_full_members(u);
        if full < p.own_org_min_full_members
            || l.own_orgs(u, &p.own_org_formations).next().is_some()
        {
            continue;
        }
        let probationary = l.unit_members(u).len() - full;
        let extra = if probationary > 0 {
            format!("（另有预备党员 {probationary} 名）")
        } else {
            String::new()
        };
        out.push(Finding::unit(
            l,
            Rule::OrgNotBuilt,
            u,
            None,
            format!(
                "{}有正式党员 {full} 名{extra}，{}，应单独建立党组织（参数：正式党员 {} 名以上应单独组建，\
                 计为本单位党组织的：组建方式为{}或以本单位命名的党组织；依据：党章第三十条）",
                l.units[u].name,
                coverage_text(l, u),
                p.own_org_min_full_members,
                p.own_org_formations.join("、"),
            ),
        ));
    }
    out
}

/// An operating unit with 1 to `own_org_min_full_members - 1` 正式党员 that no org covers.
pub(super) fn few_members_uncovered(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in 0..l.units.len() {
        if !l.unit_operating(u) || !l.covering(u).is_empty() {
            continue;
        }
        let full = l.unit_full_members(u);
        if full == 0 || full >= p.own_org_min_full_members {
            continue;
        }
        out.push(Finding::unit(
            l,
            Rule::FewMembersUncovered,
            u,
            None,
            format!(
                "{}有正式党员 {full} 名，不足 {} 名，未纳入任何党组织覆盖，应通过联合组建或挂靠组建实现覆盖\
                 （参数：正式党员不足 {} 名的单位应联合或挂靠覆盖）",
                l.units[u].name, p.own_org_min_full_members, p.own_org_min_full_members
            ),
        ));
    }
    out
}

/// An operating unit with more than `no_member_employees_over` employees and no 在册 member
/// working there: a 发展党员 target.
pub(super) fn no_members_large_unit(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    // People on the path who work there: (申请人 all stages, of them 积极分子 and 发展对象).
    let mut on_path = vec![(0usize, 0usize); l.units.len()];
    for a in &l.applicants {
        let stage = a.stage();
        if let Some(u) = a.work_unit.filter(|&u| u < l.units.len()) {
            if matches!(stage, ApplicantStage::Left | ApplicantStage::Admitted) {
                continue;
            }
            on_path[u].0 += 1;
            if stage != ApplicantStage::Applicant {
                on_path[u].1 += 1;
            }
        }
    }
    for (u, path) in on_path.iter().enumerate() {
        let Some(n) = l.units[u].employees else {
            continue;
        };
        if !l.unit_operating(u) || n <= p.no_member_employees_over || !l.unit_members(u).is_empty()
        {
            continue;
        }
        out.push(Finding::unit(
            l,
            Rule::NoMembersLargeUnit,
            u,
            None,
            format!(
                "{}有从业人员 {n} 人，没有党员，应作为发展党员的重点单位；{}（参数：从业人员超过 {} 人且无党员）",
                l.units[u].name,
                match *path {
                    (0, _) => "尚无入党申请人".to_string(),
                    (all, 0) => format!("已有入党申请人 {all} 名"),
                    (all, active) => format!("已有入党申请人 {all} 名，其中入党积极分子、发展对象 {active} 名"),
                },
                p.no_member_employees_over
            ),
        ));
    }
    out
}

/// An operating unit with more than `must_cover_employees_over` employees that no org covers.
pub(super) fn large_unit_uncovered(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in 0..l.units.len() {
        let Some(n) = l.units[u].employees else {
            continue;
        };
        if !l.unit_operating(u) || n <= p.must_cover_employees_over || !l.covering(u).is_empty() {
            continue;
        }
        let members = l.unit_members(u).len();
        out.push(Finding::unit(
            l,
            Rule::LargeUnitUncovered,
            u,
            None,
            format!(
                "{}有从业人员 {n} 人、党员 {members} 名，未被任何党组织覆盖，必须实现党的组织覆盖\
                 （参数：从业人员超过 {} 人的单位必须覆盖）",
                l.units[u].name, p.must_cover_employees_over
            ),
        ));
    }
    out
}

/// A 联合党支部 (by type or 组建方式 联合组建) covering more than `joint_branch_max_units`
/// operating units.
pub(super) fn joint_branch_too_many_units(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for (o, org) in l.orgs.iter().enumerate() {
        let joint = org.org_type == OrgType::JointBranch || org.formation == "联合组建";
        if !l.org_active(o) || !joint {
            continue;
        }
        let n = org.units.iter().filter(|&&u| l.unit_operating(u)).count();
        if n <= p.joint_branch_max_units {
            continue;
        }
        out.push(Finding::org(
            l,
            Rule::JointBranchTooManyUnits,
            o,
            None,
            format!(
                "{}覆盖在营单位 {n} 个，超过 {} 个，覆盖面过大难以有效开展活动，应调整拆分\
                 （参数：联合党支部覆盖单位一般不超过 {} 个）",
                org.name, p.joint_branch_max_units, p.joint_branch_max_units
            ),
        ));
    }
    out
}

/// A branch-level org (党支部, 联合党支部, 临时党支部) with more than `branch_max_members`
/// 在册 members (正式 and 预备).
pub(super) fn branch_too_many_members(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for (o, org) in l.orgs.iter().enumerate() {
        if !l.org_active(o) || !org.org_type.is_branch() {
            continue;
        }
        let n = l.org_members(o).len();
        if n <= p.branch_max_members {
            continue;
        }
        out.push(Finding::org(
            l,
            Rule::BranchTooManyMembers,
            o,
            None,
            format!(
                "{}有党员 {n} 名，超过 {} 名，应分设党支部或成立党总支（参数：党支部党员人数一般不超过 {} 名；\
                 依据：《中国共产党支部工作条例（试行）》）",
                org.name, p.branch_max_members, p.branch_max_members
            ),
        ));
    }
    out
}

/// A branch-level org with at least `committee_required_at` 正式党员 whose committee has fewer
/// than `committee_min_seats` seats.
pub(super) fn committee_missing(l: &Ledger, p: &RuleParams) -> Vec<Finding> {
    let mut out = Vec::new();
    for (o, org) in l.orgs.iter().enumerate() {
        if !l.org_active(o) || !org.org_type.is_branch() {
            continue;
        }
        let full = l.org_full_members(o);
        if full < p.committee_required_at || org.seats >= p.committee_min_seats {
            continue;
        }
        out.push(Finding::org(
            l,
            Rule::CommitteeMissing,
            o,
            None,
            format!(
                "{}有正式党员 {full} 名，班子成员仅 {} 人，未设立支部委员会（参数：正式党员 {} 名以上应设支委会，\
                 支委会不少于 {} 人；依据：《中国共产党支部工作条例（试行）》）",
                org.name, org.seats, p.committee_required_at, p.committee_min_seats
            ),
        ));
    }
    out
}
