//! 发展党员: a person's path (steps open now, limits running), recording one step, and the
//! count at each stage — checked by the core.

use super::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::Ledger;
use serde::Deserialize;
use taizhang::api::applicants::{self, ApplicantPath, StageCount, StepOut};
use taizhang::model::fields::parse_date;
use taizhang::model::StepInput;
use tauri::State;

/// A step as the form sends it: the step by its Chinese name, dates as text.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepIn {
    pub applicant_id: String,
    pub step: String,
    pub date: String,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub hours: Option<i64>,
    #[serde(default)]
    pub text: Option<String>,
}

fn date(label: &str, raw: &str) -> IpcResult<chrono::NaiveDate> {
    parse_date(raw).map_err(|m| IpcError::input(format!("【{label}】{m}")))
}

fn step_from(input: StepIn) -> IpcResult<StepInput> {
    let step = applicants::parse_step(&input.step)?;
    let mut s = StepInput::new(step, date("日期", &input.date)?);
    s.until = input
        .until
        .filter(|u| !u.trim().is_empty())
        .map(|u| date("结束日期", &u))
        .transpose()?;
    s.people = input
        .people
        .iter()
        .map(|p| parse_id(p))
        .collect::<IpcResult<_>>()?;
    s.hours = input.hours;
    s.text = input.text;
    Ok(s)
}

#[tauri::command]
pub async fn applicant_path(state: State<'_, Ledger>, id: String) -> IpcResult<ApplicantPath> {
    state
        .run(move |s| Ok(applicants::path(s, &parse_id(&id)?)?))
        .await
}

#[tauri::command]
pub async fn record_applicant_step(state: State<'_, Ledger>, step: StepIn) -> IpcResult<StepOut> {
    state
        .run(move |s| {
            let id = parse_id(&step.applicant_id)?;
            let input = step_from(step)?;
            Ok(applicants::record_step(s, &id, &input)?)
        })
        .await
}

#[tauri::command]
pub async fn applicant_stage_counts(
    state: State<'_, Ledger>,
    org_id: Option<String>,
) -> IpcResult<Vec<StageCount>> {
    state
        .run(move |s| {
            let org = org_id
                .filter(|o| !o.is_empty())
                .map(|o| parse_id(&o))
                .transpose()?;
            Ok(applicants::stage_counts(s, org.as_ref())?)
        })
        .await
}
