// Generated from the Rust types by ts-rs (src/ui_types.rs): do not edit by hand.
// After changing a type that crosses to the window: UPDATE_UI_TYPES=1 cargo test ui_types

import type { MemberEvent, Rec } from './core'

export type Settings = { operator: string, reporting_unit: string | null, db_path: string, device_id: string, schema_version: number, today: string, };

export type ExcelDefaults = { 
/**
 * Where files are saved unless the user picks another folder.
 */
dir: string, 
/**
 * The ledger's today (file names carry it).
 */
today: string, 
/**
 * 乡镇街道 in use, for the scope of an export or a report.
 */
areas: Array<string>, report_unit: string | null, operator: string, };

/**
 * A person's decision on a conflict: keep this PC's value, take the other's, or write one.
 */
export type Decision = { "take": "local" } | { "take": "incoming" } | { "take": "value", "value": string };

/**
 * What the window learns at start: the ledger's path, whether it is empty, who works.
 */
export type AppStatus = { db_path: string, empty: boolean, operator: string, };

export type EventOut = { event: MemberEvent, member: Rec, };
