// Generated from the Rust types by ts-rs (src/ui_types.rs): do not edit by hand.
// After changing a type that crosses to the window: UPDATE_UI_TYPES=1 cargo test ui_types

import type { AreaStats, Coverage, Definition, Finding, MemberEvent, Meta } from './core'

/** A record as the core serialises it: its fields by name, and its bookkeeping. */
export type Rec = Record<string, unknown> & Meta;

/**
 * A field as the form builder needs it.
 */
export type FieldSpec = { name: string, label: string, 
/**
 * text | int | bool | date | money | month | choice | choices | dict | ref | refs |
 * textlist | seats | checks | followups | attendance
 */
kind: string, required: boolean, 
/**
 * Allowed values of a choice, choices or dict field.
 */
choices?: Array<string>, 
/**
 * The dictionary of a dict field.
 */
dict?: string, 
/**
 * The record type a ref/refs field points to.
 */
target?: string, 
/**
 * Whether the list can be filtered by this field.
 */
filterable: boolean, };

export type Page = { rows: Array<Rec>, total: number, 
/**
 * id → 名称 of every record the rows refer to
 */
names: { [key in string]: string }, };

export type RecordOut = { record: Rec, names: { [key in string]: string }, };

export type UpdateOut = { changed: boolean, record: Rec, names: { [key in string]: string }, };

export type OrgNode = { id: string, name: string, parent_id: string | null, org_type: string, status: string, };

export type Breakdown = { title: string, 
/**
 * (label, count)
 */
items: Array<[string, number]>, };

export type Dashboard = { 
/**
 * entity → number of records
 */
counts: { [key in string]: number }, breakdowns: Array<Breakdown>, 
/**
 * Findings of the rules engine.
 */
findings: Array<Finding>, 
/**
 * 覆盖率 figures.
 */
coverage: Coverage, 
/**
 * Coverage per 乡镇街道 (without the 合计 row).
 */
areas: Array<AreaStats>, 
/**
 * How each figure is defined, shown beside the figures.
 */
definitions: Array<Definition>, today: string, };

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

export type RollEntry = { member_id: string, name: string, present: boolean, };

export type EventOut = { event: MemberEvent, member: Rec, };

/**
 * What the window learns at start: the ledger's path, whether it is empty, who works.
 */
export type AppStatus = { db_path: string, empty: boolean, operator: string, };
