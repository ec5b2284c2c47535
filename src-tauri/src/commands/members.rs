//! 党员事件: 发展, 转正, 延长预备期, 转入, 转出, 停止党籍, 出党, 死亡 — checked by the core.

use super::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::Ledger;
use serde::{Deserialize, Serialize};
use taizhang::model::fields::parse_date;
use taizhang::model::{Member, MemberEvent, MemberEventKind};
use tauri::State;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventInput {
    pub member_id: String,
    pub kind: String,
    pub date: String,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub org_id: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct EventOut {
    pub event: MemberEvent,
    #[ts(type = "Rec")]
    pub member: Member,
}

fn date(label: &str, raw: &str) -> IpcResult<chrono::NaiveDate> {
    parse_date(raw).map_err(|m| IpcError::input(format!("【{label}】{m}")))
}

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub fn event_from(input: EventInput) -> IpcResult<MemberEvent> {
    let kind = MemberEventKind::parse(&input.kind).map_err(IpcError::input)?;
    let mut ev = MemberEvent::new(
        parse_id(&input.member_id)?,
        kind,
        date("日期", &input.date)?,
    );
    ev.until = blank_to_none(input.until)
        .map(|d| date("延长预备期至", &d))
        .transpose()?;
    ev.org_id = blank_to_none(input.org_id)
        .map(|id| parse_id(&id))
        .transpose()?;
    ev.place = blank_to_none(input.place);
    ev.note = blank_to_none(input.note);
    Ok(ev)
}

#[tauri::command]
pub async fn record_member_event(
    state: State<'_, Ledger>,
    event: EventInput,
) -> IpcResult<EventOut> {
    state
        .run(move |s| {
            let ev = event_from(event)?;
            let (event, member) = s.write(|tx| tx.record_event(ev))?;
            Ok(EventOut { event, member })
        })
        .await
}

#[tauri::command]
pub async fn member_events(
    state: State<'_, Ledger>,
    member_id: String,
) -> IpcResult<Vec<MemberEvent>> {
    state
        .run(move |s| {
            let id = parse_id(&member_id)?;
            s.get::<Member>(&id)?;
            Ok(s.write(|tx| tx.member_events(&id))?)
        })
        .await
}

/// The event kinds, in display order.
#[tauri::command]
pub fn member_event_kinds() -> Vec<&'static str> {
    MemberEventKind::ALL.iter().map(|k| k.label()).collect()
}
