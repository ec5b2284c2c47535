//! 组织生活 — a meeting or activity (三会一课, 主题党日 …) with its attendance.

use super::validate::{not_in_future, required, FieldErrors};
use super::*;

/// One member's attendance at an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub member_id: Id,
    /// 出席
    pub present: bool,
    /// 缺席原因 (请假、出差、病假 …)
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(flatten)]
    pub meta: Meta,
    /// 党组织
    pub org_id: Id,
    /// 类型 — one meeting can be several at once (e.g. 支部党员大会 + 党课)
    pub types: JsonList<ActivityType>,
    /// 日期 — when it happened
    #[serde(serialize_with = "crate::model::types::iso_date::serialize")]
    pub held_on: NaiveDate,
    /// 地点
    pub location: Option<String>,
    /// 主持人
    pub host: Option<String>,
    /// 记录人
    pub recorder: Option<String>,
    /// 主题
    pub topic: String,
    /// 内容摘要
    pub summary: Option<String>,
    /// 应到人数
    pub expected: i64,
    /// 实到人数
    pub present: i64,
    /// 录入时间 — when it was entered, distinct from when it happened (补记 detection)
    pub recorded_at: String,
    /// 缺席名单及原因 as written (imported registers without per-member attendance)
    pub absence_note: Option<String>,
    /// 附件 (paths beside the database)
    pub attachments: JsonList<String>,
    /// 出席情况, one entry per member expected
    #[serde(default)]
    pub attendance: Vec<Attendance>,
}

impl Activity {
    pub fn new(
        org_id: Id,
        types: Vec<ActivityType>,
        held_on: NaiveDate,
        topic: impl Into<String>,
    ) -> Self {
        Activity {
            meta: Meta::default(),
            org_id,
            types: JsonList(types),
            held_on,
            location: None,
            host: None,
            recorder: None,
            topic: topic.into(),
            summary: None,
            expected: 0,
            present: 0,
            recorded_at: String::new(),
            absence_note: None,
            attachments: JsonList::default(),
            attendance: Vec::new(),
        }
    }

    pub fn has_type(&self, t: ActivityType) -> bool {
        self.types.0.contains(&t)
    }
}

impl Validate for Activity {
    fn validate(&mut self, lookup: &dyn Lookup) -> FieldErrors {
        let mut e = FieldErrors::default();
        check_ref(
            &mut e,
            lookup,
            "org_id",
            "党组织",
            "org",
            Some(&self.org_id),
        );
        self.types.0.sort();
        self.types.0.dedup();
        if self.types.0.is_empty() {
            e.push("types", "类型", "至少选择一种类型");
        }
        e.check(
            "held_on",
            "日期",
            not_in_future(self.held_on, lookup.today()),
        );
        if self.recorded_at.is_empty() {
            self.recorded_at = lookup.now();
        }
        self.topic = self.topic.trim().to_string();
        e.check("topic", "主题", required(&self.topic));
        for v in [
            &mut self.location,
            &mut self.host,
            &mut self.recorder,
            &mut self.summary,
        ] {
            tidy(v);
        }
        if !self.attendance.is_empty() {
            // Stored (and read back) in member order; log it the same way.
            self.attendance.sort_by_key(|a| a.member_id);
            let mut seen = std::collections::HashSet::new();
            for a in &mut self.attendance {
                tidy(&mut a.reason);
                if !seen.insert(a.member_id) {
                    e.push(
                        "attendance",
                        "出席情况",
                        format!("党员 {} 重复登记", a.member_id),
                    );
                } else if !lookup.exists("member", &a.member_id) {
                    e.push(
                        "attendance",
                        "出席情况",
                        format!("不存在编号为 {} 的党员", a.member_id),
                    );
                }
            }
            // With a per-member list the counts follow from it.
            self.expected = self.attendance.len() as i64;
            self.present = self.attendance.iter().filter(|a| a.present).count() as i64;
        }
        if self.expected < 0 || self.present < 0 {
            e.push("present", "实到人数", "人数不能为负数");
        } else if self.present > self.expected {
            e.push(
                "present",
                "实到人数",
                format!("实到 {} 人多于应到 {} 人", self.present, self.expected),
            );
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::FakeLookup;

    #[test]
    fn counts_follow_attendance() {
        let mut l = FakeLookup::default();
        let (org, a, b) = (Id::new(), Id::new(), Id::new());
        l.ids.extend([org, a, b]);
        let held = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let mut act = Activity::new(
            org,
            vec![ActivityType::ThemeDay, ActivityType::ThemeDay],
            held,
            "学习",
        );
        act.attendance = vec![
            Attendance {
                member_id: a,
                present: true,
                reason: None,
            },
            Attendance {
                member_id: b,
                present: false,
                reason: Some(" 出差 ".into()),
            },
        ];
        assert!(act.validate(&l).is_empty());
        assert_eq!((act.expected, act.present), (2, 1));
        assert_eq!(act.types.0, vec![ActivityType::ThemeDay]);
        assert_eq!(act.attendance[1].reason.as_deref(), Some("出差"));
    }

    #[test]
    fn rejects_future_empty_and_overfull() {
        let mut l = FakeLookup::default();
        let org = Id::new();
        l.ids.insert(org);
        let mut act = Activity::new(
            org,
            vec![],
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            " ",
        );
        act.expected = 3;
        act.present = 5;
        let e = act.validate(&l);
        for f in ["types", "held_on", "topic", "present"] {
            assert!(e.has(f), "{f} missing in {e}");
        }
    }
}
