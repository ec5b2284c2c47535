//! Members and their events: status and category change only through events, and each
//! event is checked against the member's state before it is written.

use super::tx::Tx;
use crate::error::{Error, Result};
use crate::model::{Lookup, Member, MemberCategory, MemberEvent, MemberEventKind};

/// An ordinary edit may not change what events decide.
pub(super) fn guard_member_update(new: &Member, old: &Member) -> Result<(), String> {
    let mut changed = Vec::new();
    if new.status != old.status {
        changed.push("党员状态（请登记转出、停止党籍、出党或死亡事件）");
    }
    if new.category != old.category || new.confirmed_on != old.confirmed_on {
        changed.push("人员类别/转正日期（请登记转正事件）");
    }
    if new.probation_extended_to != old.probation_extended_to {
        changed.push("延长预备期（请登记延长预备期事件）");
    }
    if changed.is_empty() {
        Ok(())
    } else {
        Err(format!("不能直接修改{}", changed.join("、")))
    }
}

impl Tx<'_> {
    /// Add a member. A 预备党员 also gets the 发展 event of their 入党日期, so the history
    /// starts where the membership does.
    pub fn add_member(&mut self, member: Member) -> Result<Member> {
        let member = self.insert(member)?;
        if member.category == MemberCategory::Probationary {
            let ev = MemberEvent::new(member.meta.id, MemberEventKind::Admitted, member.joined_on);
            self.insert(ev)?;
        }
        Ok(member)
    }

    /// Record an event and apply it to the member (转正, 转出 …). Refused, with nothing
    /// written, when the member's state does not allow it.
    pub fn record_event(&mut self, event: MemberEvent) -> Result<(MemberEvent, Member)> {
        let member: Member = self.get(&event.member_id)?;
        let after = event.apply(&member, self.today()).map_err(Error::Rule)?;
        let event = self.insert(event)?;
        let saved = self.update_unguarded(member, after)?;
        Ok((event, saved.record))
    }

    /// A member's events in order.
    pub fn member_events(&self, member: &crate::model::Id) -> Result<Vec<MemberEvent>> {
        super::list(
            self.conn(),
            "member_id = ?1",
            &[member],
            "occurred_on, created_at",
        )
    }
}
