//! 发展党员: a step is checked against the person's path before it is written, and the
//! 支部大会接收 creates their member record (a 预备党员 with its 发展 event) in the same
//! transaction.

use super::tx::Tx;
use crate::error::{Error, Result};
use crate::model::{Applicant, ApplicantStep, Id, Lookup, Member, MemberCategory, StepInput};

/// An ordinary edit may not do what only the 支部大会接收 step does.
pub(super) fn guard_applicant_update(new: &Applicant, old: &Applicant) -> Result<(), String> {
    if new.admitted_on != old.admitted_on || new.member_id != old.member_id {
        return Err(
            "不能直接修改支部大会接收日期或所关联的党员记录（请登记「支部大会接收」步骤）".into(),
        );
    }
    Ok(())
}

impl Tx<'_> {
    /// Record one step of an applicant's path. Refused, with nothing written, when the step
    /// is out of order or the record after it breaks a rule. A 支部大会接收 also returns the
    /// member record it created.
    pub fn record_step(
        &mut self,
        id: &Id,
        step: &StepInput,
    ) -> Result<(Applicant, Option<Member>)> {
        let old: Applicant = self.get(id)?;
        let params = self.development();
        let mut next = old
            .apply_step(step, &params, self.today())
            .map_err(Error::Rule)?;
        if step.step != ApplicantStep::Admit {
            let saved = self.update_unguarded(old, next)?;
            return Ok((saved.record, None));
        }
        // The applicant's own conditions first (政审, 培训, 介绍人 …), so a refusal names the
        // rule rather than a problem of the member record not yet written.
        let member_id = Id::new();
        next.member_id = Some(member_id);
        self.remember("member", member_id);
        let mut probe = next.clone();
        crate::model::Validate::validate(&mut probe, self).into_result()?;
        let member = self.add_member(member_of(&next, member_id))?;
        let saved = self.update_unguarded(old, next)?;
        Ok((saved.record, Some(member)))
    }
}

/// The 预备党员 an applicant becomes: who they are, where they work, the org that developed
/// them, 入党日期 the 支部大会.
fn member_of(a: &Applicant, id: Id) -> Member {
    let joined = a.admitted_on.unwrap_or(a.applied_on);
    let mut m = Member::new(a.name.clone(), a.id_number.clone(), joined);
    m.meta.id = id;
    m.gender = a.gender;
    m.birth_date = a.birth_date;
    m.ethnicity.clone_from(&a.ethnicity);
    m.education.clone_from(&a.education);
    m.category = MemberCategory::Probationary;
    m.org_id = Some(a.org_id);
    m.work_unit_id = a.work_unit_id;
    m.work_unit_name.clone_from(&a.work_unit_name);
    m.job.clone_from(&a.job);
    m.phone.clone_from(&a.phone);
    m
}
