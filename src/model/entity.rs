//! 记录类型 — the kinds of record the ledger keeps, by the name their table, the change log,
//! exchange packages and the window use. The one place a name becomes a Rust type is
//! [`with_entity!`]: a new record type is added here and the compiler lists every `match`
//! that must learn it.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// 两新组织
    Unit,
    /// 党组织
    Org,
    /// 党员
    Member,
    /// 党员事件 (recorded through members)
    MemberEvent,
    /// 组织生活
    Activity,
    /// 检查表 definitions (十个有 …)
    Checklist,
    /// 十个有检查
    Inspection,
    /// 党建指导员
    Instructor,
    /// 走访
    Visit,
    /// 红色联盟
    Alliance,
    /// 党费
    Dues,
    /// 入党申请人 / 积极分子 / 发展对象 (发展党员)
    Applicant,
}

impl Entity {
    pub const ALL: [Entity; 12] = [
        Entity::Unit,
        Entity::Org,
        Entity::Member,
        Entity::MemberEvent,
        Entity::Activity,
        Entity::Checklist,
        Entity::Inspection,
        Entity::Instructor,
        Entity::Visit,
        Entity::Alliance,
        Entity::Dues,
        Entity::Applicant,
    ];

    /// The table's name (`member`, `member_event` …).
    pub fn name(self) -> &'static str {
        match self {
            Entity::Unit => "unit",
            Entity::Org => "org",
            Entity::Member => "member",
            Entity::MemberEvent => "member_event",
            Entity::Activity => "activity",
            Entity::Checklist => "checklist",
            Entity::Inspection => "inspection",
            Entity::Instructor => "instructor",
            Entity::Visit => "visit",
            Entity::Alliance => "alliance",
            Entity::Dues => "dues",
            Entity::Applicant => "applicant",
        }
    }

    pub fn parse(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Whether a person edits it field by field (it has a field table): every type but
    /// 党员事件, recorded through members, and 检查表 definitions.
    pub fn editable(self) -> bool {
        !matches!(self, Entity::MemberEvent | Entity::Checklist)
    }
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `match $entity` with one arm per listed variant (each variant is named as its record type
/// in `model`), `$T` bound to that type; `$rest => $other` for the variants not listed.
#[doc(hidden)]
#[macro_export]
macro_rules! __entity_match {
    ($entity:expr, $T:ident => $body:expr, [$($v:ident),+] $(, $rest:pat => $other:expr)?) => {{
        #[allow(unused_imports)]
        use $crate::model::Entity as E;
        match $entity {
            $(E::$v => {
                type $T = $crate::model::$v;
                $body
            })+
            $($rest => $other,)?
        }
    }};
}

/// Run `$body` with `$T` bound to the record type of `$entity` (an [`Entity`]).
#[macro_export]
macro_rules! with_entity {
    ($entity:expr, $T:ident => $body:expr) => {
        $crate::__entity_match!($entity, $T => $body, [
            Unit, Org, Member, MemberEvent, Activity, Checklist, Inspection, Instructor, Visit,
            Alliance, Dues, Applicant
        ])
    };
}

/// Like [`with_entity!`] for the types a person edits field by field ([`Entity::editable`]);
/// the others run `$other`.
#[macro_export]
macro_rules! with_editable_entity {
    ($entity:expr, $T:ident => $body:expr, $other:expr) => {
        $crate::__entity_match!($entity, $T => $body, [
            Unit, Org, Member, Activity, Inspection, Instructor, Visit, Alliance, Dues, Applicant
        ], E::MemberEvent | E::Checklist => $other)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Table;

    /// Each entity's name is its table's, and names parse back to it.
    #[test]
    fn names_are_the_tables() {
        for e in Entity::ALL {
            assert_eq!(crate::with_entity!(e, T => T::TABLE), e.name());
            assert_eq!(Entity::parse(e.name()), Some(e));
            let editable = crate::with_editable_entity!(e, T => {
                let _: &[crate::model::FieldSpec] = <T as crate::model::Fields>::FIELDS;
                true
            }, false);
            assert_eq!(editable, e.editable(), "{e}");
        }
        assert_eq!(Entity::parse("members"), None);
        assert_eq!(
            serde_json::to_string(&Entity::MemberEvent).unwrap(),
            "\"member_event\""
        );
    }
}
