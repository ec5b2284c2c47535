//! What each rule parameter means, for a settings screen: its Chinese name, what kind of value
//! it takes and where its default comes from. The defaults themselves are
//! [`RuleParams::default`](super::params::RuleParams) — not repeated here.

use super::params::{effective_json, RuleParams};
use super::Rule;
use crate::error::Result;
use crate::Store;
use serde::Serialize;
use serde_json::Value;

/// The kind of value a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A whole number (人数, 天数, 月数 …); `unit` says which.
    Count,
    /// A whole number, or null for "not checked".
    OptionalCount,
    /// 每月 / 每季度 / 每半年 / 每年 / 不检查.
    Frequency,
    /// A list of 组建方式 labels.
    Formations,
    /// A list of rule codes (the rules switched off).
    Rules,
}

/// One parameter as a settings screen shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ParamInfo {
    /// Dotted path, as `settings set rule_params.<path>` takes it.
    pub path: &'static str,
    /// 分组, e.g. 组织设置.
    pub group: &'static str,
    pub label: &'static str,
    pub kind: ParamKind,
    /// 单位 of a count: 人, 个, 天, 个月.
    pub unit: &'static str,
    /// 依据 — where the default comes from.
    pub source: &'static str,
}

const fn p(
    path: &'static str,
    group: &'static str,
    label: &'static str,
    kind: ParamKind,
    unit: &'static str,
    source: &'static str,
) -> ParamInfo {
    ParamInfo {
        path,
        group,
        label,
        kind,
        unit,
        source,
    }
}

use ParamKind::*;

/// Every parameter of [`RuleParams`], in the order a settings screen lists them.
#[rustfmt::skip]
pub const PARAMS: &[ParamInfo] = &[
    p("own_org_min_full_members", "组织设置", "应单独建立党组织的正式党员人数", Count, "人", "《中国共产党章程》第三十条：正式党员三人以上的，都应当成立党的基层组织"),
    p("own_org_formations", "组织设置", "算作本单位自己党组织的组建方式", Formations, "", "DESIGN.md §5：单独组建"),
    p("no_member_employees_over", "组织设置", "无党员单位从业人员超过此数时提示发展党员", Count, "人", "县级工作惯例"),
    p("must_cover_employees_over", "组织设置", "从业人员超过此数的单位必须纳入党组织覆盖", Count, "人", "县级工作惯例"),
    p("joint_branch_max_units", "组织设置", "联合党支部覆盖单位最多", Count, "个", "县级工作惯例"),
    p("branch_max_members", "组织设置", "党支部党员人数最多", Count, "人", "《中国共产党支部工作条例（试行）》：党员人数一般不超过50名"),
    p("committee_required_at", "组织设置", "正式党员达到此数应设支部委员会", Count, "人", "《中国共产党支部工作条例（试行）》：正式党员7人以上的党支部，应当设立党支部委员会"),
    p("committee_min_seats", "组织设置", "支部委员会至少委员数", Count, "人", "《中国共产党支部工作条例（试行）》：支部委员会由3至5人组成"),
    p("term_due_soon_days", "换届与转正", "换届到期前提前提醒", Count, "天", "县级工作惯例"),
    p("term_max_delay_months", "换届与转正", "换届最多可延期", Count, "个月", "《关于党的基层组织任期的意见》：延期一般不超过1年"),
    p("probation_due_soon_days", "换届与转正", "预备期满前提前提醒", Count, "天", "县级工作惯例"),
    p("meetings.branch_meeting", "组织生活", "支部党员大会", Frequency, "", "《中国共产党支部工作条例（试行）》：一般每季度召开1次"),
    p("meetings.committee_meeting", "组织生活", "支委会", Frequency, "", "《中国共产党支部工作条例（试行）》：一般每月召开1次"),
    p("meetings.group_meeting", "组织生活", "党小组会", Frequency, "", "《中国共产党支部工作条例（试行）》：一般每月召开1次"),
    p("group_meeting_min_members", "组织生活", "检查党小组会的党组织至少在册党员（空为不检查）", OptionalCount, "人", "台账不记录党小组，默认不检查"),
    p("meetings.party_lecture", "组织生活", "党课", Frequency, "", "县级工作惯例：每季度1次"),
    p("meetings.theme_day", "组织生活", "主题党日", Frequency, "", "每月相对固定1天"),
    p("meetings.life_meeting", "组织生活", "组织生活会", Frequency, "", "《中国共产党支部工作条例（试行）》：一般每年召开1次"),
    p("meetings.member_review", "组织生活", "民主评议党员", Frequency, "", "《中国共产党支部工作条例（试行）》：一般每年开展1次"),
    p("lookback_months", "组织生活", "检查缺期和补记的时间范围", Count, "个月", "县级工作惯例：近一年"),
    p("late_entry_days", "组织生活", "活动后超过此天数录入算补记", Count, "天", "县级工作惯例"),
    p("lapse_months", "党员管理", "连续未参加组织生活且未交党费提示", Count, "个月", "《中国共产党章程》第九条：连续六个月"),
    p("inspection_max_age_months", "党员管理", "超过此月数未做十个有检查提示", Count, "个月", "县级工作惯例：每年至少1次"),
    p("development.min_age", "发展党员", "申请入党须年满", Count, "岁", "《中国共产党发展党员工作细则》第二章：年满十八岁的…可以申请加入中国共产党"),
    p("development.talk_within_months", "发展党员", "收到入党申请书后谈话期限", Count, "个月", "《中国共产党发展党员工作细则》第二章：应当在一个月内派人同入党申请人谈话"),
    p("development.contacts_max", "发展党员", "培养联系人最多", Count, "人", "《中国共产党发展党员工作细则》第三章：指定一至两名正式党员作培养联系人"),
    p("development.assessment_every_months", "发展党员", "入党积极分子培养考察间隔", Count, "个月", "《中国共产党发展党员工作细则》第三章：每半年对入党积极分子进行一次考察"),
    p("development.activist_min_months", "发展党员", "确定为发展对象前至少培养考察", Count, "个月", "《中国共产党发展党员工作细则》第四章：经过一年以上培养教育和考察"),
    p("development.training_min_days", "发展党员", "集中培训至少天数", Count, "天", "《中国共产党发展党员工作细则》第四章：培训时间一般不少于3天"),
    p("development.training_min_hours", "发展党员", "或集中培训至少学时", Count, "学时", "《中国共产党发展党员工作细则》第四章：或不少于24个学时"),
    p("development.sponsors", "发展党员", "入党介绍人人数（正式党员）", Count, "人", "《中国共产党发展党员工作细则》第四章：应当有两名正式党员作入党介绍人"),
    p("development.approval_within_months", "发展党员", "支部大会后上级党委审批期限", Count, "个月", "《中国共产党发展党员工作细则》第五章：应当在三个月内审批"),
    p("development.due_soon_days", "发展党员", "发展步骤到期前提前提醒", Count, "天", "县级工作惯例"),
    p("disabled_rules", "其他", "停用的检查规则", Rules, "", "默认全部启用"),
];

/// A rule as the settings screen lists it for switching off.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
}

/// Everything a settings screen needs: what each parameter is, the values in force, the
/// defaults, and the rules that can be switched off.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ParamsView {
    pub params: &'static [ParamInfo],
    #[ts(type = "Record<string, unknown>")]
    pub values: Value,
    #[ts(type = "Record<string, unknown>")]
    pub defaults: Value,
    pub rules: Vec<RuleInfo>,
}

pub fn params_view(store: &Store) -> Result<ParamsView> {
    Ok(ParamsView {
        params: PARAMS,
        values: effective_json(store)?,
        defaults: serde_json::to_value(RuleParams::default())?,
        rules: Rule::ALL
            .iter()
            .map(|r| RuleInfo {
                code: r.code(),
                name: r.name(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(v: &Value, prefix: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(v, &path, out)
            }),
            _ => out.push(prefix.to_string()),
        }
    }

    /// A parameter added to `RuleParams` without a description here would be invisible in
    /// the settings screen.
    #[test]
    fn every_parameter_is_described_once() {
        let mut paths = Vec::new();
        leaves(
            &serde_json::to_value(RuleParams::default()).unwrap(),
            "",
            &mut paths,
        );
        let mut described: Vec<String> = PARAMS.iter().map(|p| p.path.to_string()).collect();
        paths.sort();
        described.sort();
        assert_eq!(paths, described);
    }

    #[test]
    fn view_shows_values_in_force_beside_defaults() {
        let mut s = Store::open_in_memory().unwrap();
        super::super::params::set_param(&mut s, "joint_branch_max_units", 6.into()).unwrap();
        let v = params_view(&s).unwrap();
        assert_eq!(v.values["joint_branch_max_units"], 6);
        assert_eq!(v.defaults["joint_branch_max_units"], 5);
        assert_eq!(v.values["meetings"]["theme_day"], "monthly");
        assert!(v
            .rules
            .iter()
            .any(|r| r.code == "late_entry" && r.name == "补记"));
    }
}
