//! 发展党员 for the front ends: a person's path (steps taken, steps open, what is due) and
//! recording one step by its Chinese name.

use super::records::{ListOptions, RecordOut};
use crate::error::{Error, Result};
use crate::model::{Applicant, ApplicantStage, ApplicantStep, Id, NextStep, StepDue, StepInput};
use crate::Store;
use serde::Serialize;

/// One person's path as a timeline: the record (with the names it refers to), the steps
/// open now and the limits that run.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ApplicantPath {
    pub applicant: RecordOut,
    pub next: Vec<NextStep>,
    pub dues: Vec<StepDue>,
    /// The member record the 支部大会 created, once it has.
    pub member_id: Option<String>,
}

pub fn path(store: &Store, id: &Id) -> Result<ApplicantPath> {
    let a: Applicant = store.get(id)?;
    let p = crate::rules::RuleParams::load(store)?.development;
    let applicant = super::records::get(store, "applicant", id)?;
    Ok(ApplicantPath {
        applicant,
        next: a.next_steps(&p),
        dues: a.path_dates().as_of(store.today()).dues(&p),
        member_id: a.member_id.map(|m| m.to_string()),
    })
}

/// A step by the name people give it (确定为入党积极分子, 政审 …).
pub fn parse_step(name: &str) -> Result<ApplicantStep> {
    ApplicantStep::parse(name).map_err(Error::Rule)
}

/// What recording a step did: the record after it and, for a 支部大会接收, the new member.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct StepOut {
    pub applicant: RecordOut,
    pub member_id: Option<String>,
}

/// Record one step (refused, nothing written, when out of order or against a rule).
pub fn record_step(store: &mut Store, id: &Id, input: &StepInput) -> Result<StepOut> {
    let (a, member) = store.write(|tx| tx.record_step(id, input))?;
    Ok(StepOut {
        applicant: super::records::get(store, "applicant", &a.meta.id)?,
        member_id: member.map(|m| m.meta.id.to_string()),
    })
}

/// How many people stand at a 发展阶段 (within an org, when given).
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct StageCount {
    pub stage: ApplicantStage,
    pub count: i64,
}

/// The count at every stage, in the order of the path (the 发展党员 screen's top row).
pub fn stage_counts(store: &Store, org: Option<&Id>) -> Result<Vec<StageCount>> {
    ApplicantStage::ALL
        .iter()
        .map(|&stage| {
            let mut filters = vec![("stage".to_string(), stage.label().to_string())];
            if let Some(o) = org {
                filters.push(("org_id".to_string(), o.to_string()));
            }
            let opts = ListOptions {
                filters,
                limit: Some(0),
                ..Default::default()
            };
            let page = super::records::list(store, "applicant", &opts)?;
            Ok(StageCount {
                stage,
                count: page.total,
            })
        })
        .collect()
}
