//! Rule parameters: every threshold and frequency of DESIGN.md §5, with its cited default.
//!
//! Stored as JSON in the settings table under [`RULE_PARAMS_KEY`]. Only what a county changed
//! needs to be stored: missing keys take their defaults (`#[serde(default)]`), so a partial
//! object such as `{"joint_branch_max_units": 6}` is a complete setting.

use crate::error::{Error, Result};
use crate::model::{ActivityType, DevelopmentParams, FieldErrors};
use crate::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Settings key of the rule parameters.
pub const RULE_PARAMS_KEY: &str = "rule_params";

/// How often a kind of meeting must be held. Calendar-aligned: months, quarters (Jan/Apr/Jul/
/// Oct), half years (Jan/Jul), years. Accepted in JSON as the English code or the Chinese label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    #[serde(alias = "每月", alias = "每月一次")]
    Monthly,
    #[serde(alias = "每季度", alias = "每季度一次")]
    Quarterly,
    #[serde(alias = "每半年", alias = "每半年一次")]
    HalfYearly,
    #[serde(alias = "每年", alias = "每年一次")]
    Yearly,
    /// Not checked.
    #[serde(alias = "不检查", alias = "off", alias = "不要求")]
    Never,
}

impl Frequency {
    /// Length of one period in months, or None when not checked.
    pub fn months(self) -> Option<u32> {
        match self {
            Frequency::Monthly => Some(1),
            Frequency::Quarterly => Some(3),
            Frequency::HalfYearly => Some(6),
            Frequency::Yearly => Some(12),
            Frequency::Never => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Monthly => "每月",
            Frequency::Quarterly => "每季度",
            Frequency::HalfYearly => "每半年",
            Frequency::Yearly => "每年",
            Frequency::Never => "不检查",
        }
    }
}

/// Required frequency of each kind of 组织生活 (《中国共产党支部工作条例（试行）》;
/// 主题党日 by county practice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingParams {
    /// 支部党员大会: quarterly (一般每季度召开1次).
    pub branch_meeting: Frequency,
    /// 支委会: monthly (一般每月召开1次); only for orgs that have a committee.
    pub committee_meeting: Frequency,
    /// 党小组会: monthly (一般每月召开1次); only for orgs with 党小组, see
    /// [`RuleParams::group_meeting_min_members`].
    pub group_meeting: Frequency,
    /// 党课: quarterly (党员领导干部每年至少讲1次; county practice: once a quarter).
    pub party_lecture: Frequency,
    /// 主题党日: monthly (每月相对固定1天).
    pub theme_day: Frequency,
    /// 组织生活会: yearly (一般每年召开1次).
    pub life_meeting: Frequency,
    /// 民主评议党员: yearly (一般每年开展1次).
    pub member_review: Frequency,
}

impl Default for MeetingParams {
    fn default() -> Self {
        MeetingParams {
            branch_meeting: Frequency::Quarterly,
            committee_meeting: Frequency::Monthly,
            group_meeting: Frequency::Monthly,
            party_lecture: Frequency::Quarterly,
            theme_day: Frequency::Monthly,
            life_meeting: Frequency::Yearly,
            member_review: Frequency::Yearly,
        }
    }
}

impl MeetingParams {
    /// The required frequency of a kind of meeting (谈心谈话 is not checked).
    pub fn of(&self, t: ActivityType) -> Frequency {
        match t {
            ActivityType::BranchMeeting => self.branch_meeting,
            ActivityType::CommitteeMeeting => self.committee_meeting,
            ActivityType::GroupMeeting => self.group_meeting,
            ActivityType::PartyLecture => self.party_lecture,
            ActivityType::ThemeDay => self.theme_day,
            ActivityType::LifeMeeting => self.life_meeting,
            ActivityType::MemberReview => self.member_review,
            ActivityType::HeartToHeart => Frequency::Never,
        }
    }
}

/// Every threshold of the rules, with the default DESIGN.md §5 cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleParams {
    /// 应建未建: a unit with at least this many 正式党员 must have an org of its own.
    /// Default 3 (党章第三十条：凡是有正式党员三人以上的，都应当成立党的基层组织).
    pub own_org_min_full_members: usize,
    /// 组建方式 that make an org the unit's own. Default `["单独组建"]` (DESIGN.md §5).
    pub own_org_formations: Vec<String>,
    /// A unit with no members and more than this many employees is a 发展党员 target. Default 50.
    pub no_member_employees_over: i64,
    /// A unit with more than this many employees must be covered by an org. Default 100.
    pub must_cover_employees_over: i64,
    /// A 联合党支部 should cover at most this many units. Default 5 (county practice).
    pub joint_branch_max_units: usize,
    /// A 党支部 should have at most this many members. Default 50 (《中国共产党支部工作条例（试行）》：
    /// 党员人数一般不超过50名).
    pub branch_max_members: usize,
    /// A 党支部 with at least this many 正式党员 must have a 支委会. Default 7 (《中国共产党支部工作条例（试行）》
    /// 正式党员7人以上的党支部，应当设立党支部委员会).
    pub committee_required_at: usize,
    /// A committee with fewer seats than this counts as missing. Default 3 (支委会由3至5人
    /// 组成，一般不超过7人).
    pub committee_min_seats: usize,
    /// 换届 is "due soon" this many days before the term ends. Default 90.
    pub term_due_soon_days: i64,
    /// 换届 may be delayed at most this many months. Default 12 (《关于党的基层组织任期的
    /// 意见》：延期一般不超过1年).
    pub term_max_delay_months: u32,
    /// 转正 is "due soon" this many days before the probation ends. Default 30.
    pub probation_due_soon_days: i64,
    /// Required frequency of each kind of meeting.
    pub meetings: MeetingParams,
    /// 党小组会 is required only of orgs with at least this many 在册 members (those that have
    /// 党小组). Default null: not checked, since the ledger does not record 党小组.
    pub group_meeting_min_members: Option<usize>,
    /// Missing meetings and 补记 are looked for in periods that ended within this many months
    /// before the check date. Default 12.
    pub lookback_months: u32,
    /// 补记: an activity entered more than this many days after it was held. Default 30.
    pub late_entry_days: i64,
    /// 自行脱党 risk: this many months with no attendance and no 党费. Default 6 (党章第九条).
    pub lapse_months: u32,
    /// 十个有: an org not inspected for this many months is flagged. Default 12.
    pub inspection_max_age_months: u32,
    /// 发展党员的时限 (《中国共产党发展党员工作细则》): refused steps and due dates alike.
    pub development: DevelopmentParams,
    /// Rules switched off, by code (e.g. `["late_entry"]`). Default none.
    pub disabled_rules: Vec<String>,
}

impl Default for RuleParams {
    fn default() -> Self {
        RuleParams {
            own_org_min_full_members: 3,
            own_org_formations: vec!["单独组建".into()],
            no_member_employees_over: 50,
            must_cover_employees_over: 100,
            joint_branch_max_units: 5,
            branch_max_members: 50,
            committee_required_at: 7,
            committee_min_seats: 3,
            term_due_soon_days: 90,
            term_max_delay_months: 12,
            probation_due_soon_days: 30,
            meetings: MeetingParams::default(),
            group_meeting_min_members: None,
            lookback_months: 12,
            late_entry_days: 30,
            lapse_months: 6,
            inspection_max_age_months: 12,
            development: DevelopmentParams::default(),
            disabled_rules: Vec::new(),
        }
    }
}

fn invalid(message: String) -> Error {
    let mut e = FieldErrors::default();
    e.push("rule_params", "规则参数", message);
    Error::Validation(e)
}

impl RuleParams {
    /// The parameters in force: the stored setting over the defaults.
    pub fn load(store: &Store) -> Result<RuleParams> {
        match store.setting::<Value>(RULE_PARAMS_KEY)? {
            None | Some(Value::Null) => Ok(RuleParams::default()),
            Some(v) => RuleParams::from_json(&v),
        }
    }

    /// Parse stored parameters (missing keys take defaults; unknown keys are ignored, so a
    /// database written by a newer version still works).
    pub fn from_json(v: &Value) -> Result<RuleParams> {
        let p: RuleParams = serde_json::from_value(v.clone())
            .map_err(|e| invalid(format!("规则参数格式错误：{e}")))?;
        p.validate().map_err(invalid)?;
        Ok(p)
    }

    /// Parse parameters given by a user: like [`from_json`](Self::from_json), but an unknown
    /// key (a typo would otherwise be silently ignored) or a value of the wrong kind is an
    /// error naming the parameter.
    pub fn check_json(v: &Value) -> Result<RuleParams> {
        let defaults = serde_json::to_value(RuleParams::default())?;
        check_shape(v, &defaults, "rule_params").map_err(invalid)?;
        Self::from_json(v)
    }

    /// Values that make no sense (a zero limit, a period of no months).
    pub fn validate(&self) -> Result<(), String> {
        let mut bad = Vec::new();
        if self.own_org_min_full_members == 0 {
            bad.push("own_org_min_full_members 不能为 0");
        }
        if self.joint_branch_max_units == 0 {
            bad.push("joint_branch_max_units 不能为 0");
        }
        if self.branch_max_members == 0 {
            bad.push("branch_max_members 不能为 0");
        }
        if self.no_member_employees_over < 0 || self.must_cover_employees_over < 0 {
            bad.push("从业人员数阈值不能为负数");
        }
        if self.term_due_soon_days < 0 || self.probation_due_soon_days < 0 {
            bad.push("提前提醒天数不能为负数");
        }
        if self.late_entry_days < 0 {
            bad.push("late_entry_days 不能为负数");
        }
        if !(1..=120).contains(&self.lookback_months) {
            bad.push("lookback_months 应在 1 至 120 之间");
        }
        if !(1..=120).contains(&self.lapse_months) {
            bad.push("lapse_months 应在 1 至 120 之间");
        }
        if !(1..=120).contains(&self.inspection_max_age_months) {
            bad.push("inspection_max_age_months 应在 1 至 120 之间");
        }
        if self.term_max_delay_months > 120 {
            bad.push("term_max_delay_months 不能超过 120");
        }
        let mut bad: Vec<String> = bad.into_iter().map(String::from).collect();
        if let Err(m) = self.development.validate() {
            bad.push(m);
        }
        for code in &self.disabled_rules {
            if super::Rule::from_code(code).is_none() {
                bad.push(format!("disabled_rules 中的“{code}”不是规则代码"));
            }
        }
        if bad.is_empty() {
            Ok(())
        } else {
            Err(bad.join("；"))
        }
    }

    /// Whether a rule (by code) is switched on.
    pub fn enabled(&self, code: &str) -> bool {
        !self.disabled_rules.iter().any(|r| r == code)
    }
}

/// Check that `given` has the shape of the defaults: no unknown keys, and each value of the
/// kind its parameter takes (with a Chinese message naming the parameter otherwise).
fn check_shape(given: &Value, defaults: &Value, path: &str) -> Result<(), String> {
    let whole_number = |v: &Value| v.as_u64().is_some();
    match (defaults, given) {
        (Value::Object(d), Value::Object(g)) => {
            for (k, v) in g {
                match d.get(k) {
                    Some(dv) => check_shape(v, dv, &format!("{path}.{k}"))?,
                    None => {
                        let allowed: Vec<&str> = d.keys().map(String::as_str).collect();
                        return Err(format!(
                            "没有参数 {path}.{k}（可用：{}）",
                            allowed.join("、")
                        ));
                    }
                }
            }
            Ok(())
        }
        (Value::Object(_), _) => Err(format!("{path} 应为一组参数（JSON 对象）")),
        (_, Value::Object(_)) => Err(format!("{path} 是单个参数，不能设为一组参数")),
        (Value::Number(_), v) if whole_number(v) => Ok(()),
        (Value::Number(_), _) => Err(format!("{path} 应为不小于 0 的整数")),
        (Value::Null, v) if v.is_null() || whole_number(v) => Ok(()),
        (Value::Null, _) => Err(format!("{path} 应为不小于 0 的整数，或 null（不检查）")),
        (Value::String(_), v) if serde_json::from_value::<Frequency>(v.clone()).is_ok() => Ok(()),
        (Value::String(_), _) => Err(format!(
            "{path} 应为 每月、每季度、每半年、每年 或 不检查（monthly、quarterly、half_yearly、yearly、never）"
        )),
        (Value::Array(_), Value::Array(items)) if items.iter().all(Value::is_string) => Ok(()),
        (Value::Array(_), _) => Err(format!(
            "{path} 应为文字列表（JSON 数组），如 [\"单独组建\"]"
        )),
        _ => Ok(()),
    }
}

/// The parameters in force as JSON, every key present (for `settings get rule_params`).
pub fn effective_json(store: &Store) -> Result<Value> {
    Ok(serde_json::to_value(RuleParams::load(store)?)?)
}

/// One parameter by dotted path (`meetings.party_lecture`); the empty path gives them all.
pub fn get_param(store: &Store, path: &str) -> Result<Value> {
    let all = effective_json(store)?;
    let mut v = &all;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        v = v
            .get(part)
            .ok_or_else(|| invalid(format!("没有参数 {path}")))?;
    }
    Ok(v.clone())
}

/// Replace the whole setting with `value` (a partial object is fine). Returns the parameters
/// now in force.
pub fn set_params(store: &mut Store, value: Value) -> Result<RuleParams> {
    let p = RuleParams::check_json(&value)?;
    store.set_setting(RULE_PARAMS_KEY, value)?;
    Ok(p)
}

/// Set one parameter by dotted path (`joint_branch_max_units`, `meetings.party_lecture`),
/// keeping the others as stored. Returns the parameters now in force.
pub fn set_param(store: &mut Store, path: &str, value: Value) -> Result<RuleParams> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.trim().is_empty()) {
        return Err(invalid(format!("参数路径“{path}”无效")));
    }
    let mut stored = match store.setting::<Value>(RULE_PARAMS_KEY)? {
        Some(v @ Value::Object(_)) => v,
        _ => Value::Object(Default::default()),
    };
    let mut node = &mut stored;
    for (i, part) in parts.iter().enumerate() {
        let Value::Object(map) = node else {
            return Err(invalid(format!(
                "参数 {} 不是一组参数",
                parts[..i].join(".")
            )));
        };
        if i + 1 == parts.len() {
            map.insert(part.to_string(), value.clone());
            break;
        }
        node = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    set_params(store, stored)
}
