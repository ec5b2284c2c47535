//! Fixed vocabularies the rules depend on, as enums with their Chinese labels.
//!
//! Values are stored and serialised as the Chinese label (what users read in Excel and the UI)
//! and parsed from the label or a common synonym. Open vocabularies that a county may extend
//! (民族, 学历, 行业, 组建方式 …) are data instead: see `assets/dictionaries/`.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What follows the code of a value other systems export with its code: 95_男, 868_汉族,
/// 224_预备党员, 01-男 → the label. `None` when the text has no such code. Labels never begin
/// with a digit, so the text after the digits and one `_` or `-` is unambiguous; callers try
/// the whole text first all the same.
pub fn without_code(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == s.len() {
        return None;
    }
    let label = rest.strip_prefix(['_', '-'])?.trim();
    let first = label.chars().next()?;
    (!first.is_ascii_digit() && first != '-' && first != '_').then_some(label)
}

/// Defines an enum whose values are Chinese labels, with synonyms accepted on input.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $label:literal $(| $syn:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ts_rs::TS)]
        pub enum $name { $( $(#[$vmeta])* #[ts(rename = $label)] $variant ),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What the vocabulary is called, for messages.
            pub const WHAT: &'static str = $what;

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The vocabulary as field tables use it: its parser and its labels.
            pub const VOCAB: crate::model::fields::Vocabulary = crate::model::fields::Vocabulary {
                parse: Self::parse_label,
                labels: &[$($label),+],
            };

            /// Parse a label or synonym to the canonical label (for field parsing).
            pub fn parse_label(s: &str) -> Result<&'static str, String> {
                Self::parse(s).map(Self::label)
            }

            /// Parse a label or a synonym (surrounding spaces ignored).
            /// A value exported with its code (95_男) is read by its label.
            pub fn parse(s: &str) -> Result<Self, String> {
                let t = s.trim();
                for v in std::iter::once(t).chain(crate::model::dict::without_code(t)) {
                    $( if v == $label $(|| v == $syn)* { return Ok($name::$variant); } )+
                }
                Err(format!(
                    "“{}”不是有效的{}（可选：{}）",
                    t, $what, [$($label),+].join("、")
                ))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> { Self::parse(s) }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.label()))
            }
        }

        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = v.as_str()?;
                Self::parse(s).map_err(|e| FromSqlError::Other(e.into()))
            }
        }
    };
}

labelled_enum! {
    /// 性别
    Gender, "性别" { Male = "男" | "男性", Female = "女" | "女性" }
}

labelled_enum! {
    /// 单位类别 — the kind of 两新组织.
    UnitCategory, "单位类别" {
        /// 非公有制企业
        Enterprise = "非公企业" | "非公有制企业" | "民营企业" | "私营企业" | "企业",
        /// 社会团体 (协会、商会、学会 …)
        SocialGroup = "社会团体" | "社团",
        /// 民办非企业单位, renamed 社会服务机构 by the 2016 慈善法
        PrivateNonEnterprise = "民办非企业单位" | "民非" | "社会服务机构",
        /// 基金会
        Foundation = "基金会",
        Other = "其他",
    }
}

labelled_enum! {
    /// 经营状态 of a unit; only 在营 units count in coverage denominators.
    UnitStatus, "经营状态" {
        Operating = "在营" | "存续" | "开业" | "正常",
        Suspended = "停业" | "歇业",
        /// 注销 — the unit no longer exists; kept, never deleted.
        Deregistered = "注销" | "已注销" | "吊销",
        /// 已合并 — a duplicate of another unit (same 信用代码 entered on two PCs), kept for history.
        Merged = "已合并",
    }
}

labelled_enum! {
    /// 党组织类型
    OrgType, "党组织类型" {
        Committee = "党委" | "党委员会",
        GeneralBranch = "党总支" | "总支",
        Branch = "党支部" | "支部",
        JointBranch = "联合党支部" | "联合支部",
        TemporaryBranch = "临时党支部" | "临时支部",
    }
}

impl OrgType {
    /// Infer the type from an org's full name (中共××有限公司支部委员会 → 党支部).
    pub fn from_full_name(name: &str) -> Option<Self> {
        let n = name.trim();
        // 联合 / 临时 only where they qualify the 支部 itself: a company may be called 联合…,
        // and a 联合总支部 is a 党总支.
        let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
        if has(&["临时支部", "临时党支部"]) {
            Some(OrgType::TemporaryBranch)
        } else if has(&["联合支部", "联合党支部"]) {
            Some(OrgType::JointBranch)
        } else if n.contains("总支") {
            Some(OrgType::GeneralBranch)
        } else if n.contains("支部") {
            Some(OrgType::Branch)
        } else if n.contains("委员会") || n.ends_with("党委") {
            Some(OrgType::Committee)
        } else {
            None
        }
    }

    /// Whether this is a branch-level org (党支部 in any form).
    pub fn is_branch(self) -> bool {
        matches!(
            self,
            OrgType::Branch | OrgType::JointBranch | OrgType::TemporaryBranch
        )
    }
}

labelled_enum! {
    /// 党组织状态
    OrgStatus, "党组织状态" { Active = "正常", Dissolved = "撤销" | "已撤销" }
}

labelled_enum! {
    /// 人员类别
    MemberCategory, "人员类别" {
        /// 正式党员
        Full = "正式党员" | "正式" | "正",
        /// 预备党员
        Probationary = "预备党员" | "预备" | "预",
    }
}

labelled_enum! {
    /// 党员状态 — derived from the member's events.
    MemberStatus, "党员状态" {
        /// 在册: belongs to one of this ledger's orgs.
        Active = "在册",
        TransferredOut = "已转出" | "转出",
        Suspended = "停止党籍",
        Expelled = "已出党" | "出党",
        Deceased = "已去世" | "死亡",
        /// 已合并 — a duplicate of another member (same 身份证号 entered on two PCs), kept for history.
        Merged = "已合并",
    }
}

labelled_enum! {
    /// 党员事件 — the member's history; status and category change only through these.
    MemberEventKind, "党员事件" {
        /// 发展 — accepted as 预备党员 by the 支部党员大会 (入党日期).
        Admitted = "发展" | "接收预备党员",
        /// 转正 — becomes 正式党员 when the probation ends.
        Confirmed = "转正",
        /// 延长预备期 — once, 6 to 12 months.
        ProbationExtended = "延长预备期",
        TransferredIn = "转入",
        TransferredOut = "转出",
        Suspended = "停止党籍",
        Expelled = "出党" | "开除党籍",
        Died = "死亡" | "去世",
    }
}

labelled_enum! {
    /// 发展阶段 — where a person on the path into the party stands, derived from their steps.
    ApplicantStage, "发展阶段" {
        /// 入党申请人 — has handed in the 入党申请书.
        Applicant = "入党申请人" | "申请人" | "申请入党",
        /// 入党积极分子
        Activist = "入党积极分子" | "积极分子",
        /// 发展对象
        Candidate = "发展对象",
        /// 预备党员 — accepted by the 支部党员大会; a member record carries on from here.
        Admitted = "预备党员" | "已接收为预备党员",
        /// 不再列为培养对象 — left the path (with the reason).
        Left = "已停止培养" | "不再列为培养对象" | "停止培养",
    }
}

labelled_enum! {
    /// 发展步骤 — one dated step on the path (《中国共产党发展党员工作细则》第二至五章).
    ApplicantStep, "发展步骤" {
        /// 谈话 — the org talks with the applicant (within a month of the application).
        Talk = "谈话" | "入党谈话" | "派人谈话",
        /// 确定为入党积极分子, with one or two 培养联系人.
        Activist = "确定为入党积极分子" | "确定入党积极分子" | "列为入党积极分子",
        /// 培养考察 — the half-yearly assessment of an 积极分子.
        Assessment = "培养考察" | "考察",
        /// 确定为发展对象 — after at least a year as 积极分子.
        Candidate = "确定为发展对象" | "确定发展对象" | "列为发展对象",
        /// 政治审查, with its 结论.
        Review = "政治审查" | "政审",
        /// 集中培训 (dates, 学时).
        Training = "集中培训" | "培训",
        /// 预审 by the 基层党委.
        PreReview = "预审",
        /// 公示 (dates).
        Publicity = "公示",
        /// 入党介绍人 — two 正式党员.
        Sponsors = "确定入党介绍人" | "入党介绍人" | "介绍人",
        /// 支部大会接收 — the 支部党员大会 accepts them as 预备党员: a member record is created.
        Admit = "支部大会接收" | "支部大会讨论接收" | "接收为预备党员" | "接收预备党员",
        /// 上级党委审批
        Approve = "上级党委审批" | "党委审批" | "审批",
        /// 不再列为培养对象, with the reason.
        Leave = "不再列为培养对象" | "停止培养" | "不再列为入党积极分子" | "不再列为发展对象",
    }
}

labelled_enum! {
    /// 组织生活类型 (三会一课, 主题党日 and the yearly meetings)
    ActivityType, "组织生活类型" {
        BranchMeeting = "支部党员大会" | "党员大会",
        CommitteeMeeting = "支委会" | "支部委员会",
        GroupMeeting = "党小组会",
        PartyLecture = "党课",
        ThemeDay = "主题党日" | "主题党日活动",
        LifeMeeting = "组织生活会",
        MemberReview = "民主评议党员" | "民主评议",
        HeartToHeart = "谈心谈话",
    }
}

labelled_enum! {
    /// 检查结果 of one checklist item
    CheckResult, "检查结果" {
        Yes = "有" | "是" | "√" | "✓",
        No = "无" | "否" | "没有" | "×",
        Partial = "部分" | "部分有",
    }
}

labelled_enum! {
    /// 检查方式
    InspectorKind, "检查方式" { SelfCheck = "自查", Instructor = "指导员检查" | "指导员", Superior = "上级检查" }
}

labelled_enum! {
    /// 红色联盟类型
    AllianceKind, "联盟类型" { IndustryChain = "产业链", Industry = "行业", Regional = "区域" }
}

labelled_enum! {
    /// 党费交纳人员类别 — decides which rate table applies.
    PayerKind, "交纳类别" {
        Employed = "在职" | "在岗",
        Retired = "离退休" | "退休" | "离休",
        /// 学生 — fixed monthly amount
        Student = "学生",
        /// 困难党员 / 享受低保 — fixed monthly amount
        Hardship = "困难" | "低保" | "生活困难",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_synonyms() {
        assert_eq!(
            MemberCategory::parse(" 预备 ").unwrap(),
            MemberCategory::Probationary
        );
        assert_eq!(
            UnitCategory::parse("社会服务机构").unwrap(),
            UnitCategory::PrivateNonEnterprise
        );
        let e = OrgType::parse("党小组").unwrap_err();
        assert!(e.contains("党组织类型") && e.contains("联合党支部"), "{e}");
        assert_eq!(serde_json::to_string(&Gender::Female).unwrap(), "\"女\"");
        let g: Gender = serde_json::from_str("\"男\"").unwrap();
        assert_eq!(g, Gender::Male);
    }

    #[test]
    fn values_exported_with_their_codes() {
        assert_eq!(Gender::parse("95_男"), Ok(Gender::Male));
        assert_eq!(Gender::parse(" 2_女 "), Ok(Gender::Female));
        assert_eq!(Gender::parse("01-男"), Ok(Gender::Male));
        assert_eq!(
            MemberCategory::parse("224_预备党员"),
            Ok(MemberCategory::Probationary)
        );
        assert_eq!(MemberCategory::parse_label("1_正式"), Ok("正式党员"));
        let e = Gender::parse("95_未知").unwrap_err();
        assert!(e.contains("95_未知") && e.contains("性别"), "{e}");
        for s in ["95男", "_男", "95_", "95__男", "1-2", "男_95", "2019-07"] {
            assert_eq!(without_code(s), None, "{s}");
        }
        assert_eq!(without_code("868_汉族"), Some("汉族"));
        assert_eq!(without_code("868_ 汉族"), Some("汉族"));
    }

    #[test]
    fn org_type_from_full_name() {
        let t = |n| OrgType::from_full_name(n);
        assert_eq!(
            t("中共清河县恒达机械有限公司支部委员会"),
            Some(OrgType::Branch)
        );
        assert_eq!(
            t("中共清河县城关镇非公企业联合支部委员会"),
            Some(OrgType::JointBranch)
        );
        assert_eq!(
            t("中共清河县华茂集团有限公司总支部委员会"),
            Some(OrgType::GeneralBranch)
        );
        assert_eq!(
            t("中共清河县华茂集团有限公司委员会"),
            Some(OrgType::Committee)
        );
        assert_eq!(
            t("中共某项目临时支部委员会"),
            Some(OrgType::TemporaryBranch)
        );
        assert_eq!(t("清河县恒达机械有限公司"), None);
        // 联合 in the company's own name, and a joint org at 总支 level.
        assert_eq!(
            t("中共清河县联合化工有限公司支部委员会"),
            Some(OrgType::Branch)
        );
        assert_eq!(
            t("中共城关镇商圈联合总支部委员会"),
            Some(OrgType::GeneralBranch)
        );
        assert_eq!(t("城关镇第一联合党支部"), Some(OrgType::JointBranch));
        assert_eq!(t("某项目临时党支部"), Some(OrgType::TemporaryBranch));
    }
}
