/** What the shell sends back; mirrors src-tauri/src/commands. */

export type EntityName =
  | 'unit'
  | 'org'
  | 'member'
  | 'activity'
  | 'inspection'
  | 'instructor'
  | 'visit'
  | 'alliance'
  | 'dues'

export type FieldKind =
  | 'text'
  | 'int'
  | 'bool'
  | 'date'
  | 'money'
  | 'month'
  | 'choice'
  | 'choices'
  | 'dict'
  | 'ref'
  | 'refs'
  | 'textlist'
  | 'seats'
  | 'checks'
  | 'followups'
  | 'attendance'

export interface FieldSpec {
  name: string
  label: string
  kind: FieldKind
  required: boolean
  choices?: string[]
  dict?: string
  target?: EntityName | 'checklist'
  filterable: boolean
}

/** A record as the core serialises it (field names as in the field table, plus bookkeeping). */
export type Rec = Record<string, unknown> & {
  id: string
  created_at: string
  updated_at: string
  device_id: string
}

export interface Page {
  rows: Rec[]
  total: number
  names: Record<string, string>
}

export interface RecordOut {
  record: Rec
  names: Record<string, string>
}

export interface UpdateOut extends RecordOut {
  changed: boolean
}

export interface FieldError {
  field: string
  label: string
  message: string
}

export interface ChangeEntry {
  seq: number
  id: string
  device_id: string
  device_seq: number
  actor: string
  at: string
  entity: string
  record_id: string
  parent_id: string | null
  op: 'insert' | 'update'
  changes: Record<string, [unknown, unknown]>
}

export interface OrgNode {
  id: string
  name: string
  parent_id: string | null
  org_type: string
  status: string
}

export interface ChecklistItem {
  code: string
  label: string
  hint?: string | null
}

export interface Checklist {
  id: string
  code: string
  name: string
  version: number
  source?: string | null
  items: ChecklistItem[]
}

export interface RollEntry {
  member_id: string
  name: string
  present: boolean
}

/** One rule parameter as the core describes it (rules/param_info.rs). */
export interface ParamInfo {
  path: string
  group: string
  label: string
  kind: 'count' | 'optional_count' | 'frequency' | 'formations' | 'rules'
  unit: string
  source: string
}

export interface ParamsView {
  params: ParamInfo[]
  /** the values in force, every key present */
  values: Record<string, unknown>
  defaults: Record<string, unknown>
  rules: { code: string; name: string }[]
}

export interface BackedUp {
  path: string
  /** the photo folder beside the backup, when the ledger has photos */
  photos_dir: string | null
  photos: number
}

export interface BackupFile {
  path: string
  taken_at: string
  /** 自动备份 or 恢复前 */
  kind: string
  bytes: number
}

export interface Restored {
  previous_saved_to: string | null
  backup_version: number
  device_id: string
  photos: number
}

export interface Settings {
  operator: string
  reporting_unit: string | null
  db_path: string
  device_id: string
  schema_version: number
  today: string
}

export interface Breakdown {
  title: string
  items: [string, number][]
}

/** A finding of the rules engine (`taizhang::rules::Finding`). */
export interface Finding {
  rule: string
  rule_name: string
  severity: 'error' | 'warning' | 'info'
  subject_type: 'unit' | 'org' | 'member' | 'activity' | 'visit'
  subject_id: string
  subject_name: string
  due: string | null
  message: string
  area: string | null
}

/** 覆盖率 figures (`taizhang::report::Coverage`). */
export interface Coverage {
  units: number
  covered: number
  standalone: number
  work_covered: number
  org_coverage_rate: number
  standalone_rate: number
  work_coverage_rate: number
}

export interface Dashboard {
  counts: Record<string, number>
  breakdowns: Breakdown[]
  findings: Finding[] | null
  coverage: Coverage | null
  areas: (Coverage & { area: string })[] | null
  definitions?: { key: string; name: string; text: string }[] | null
  today: string
}

export interface DemoSummary {
  units: number
  orgs: number
  members: number
  activities: number
  inspections: number
  instructors: number
  visits: number
  alliances: number
  dues: number
}

export interface AppStatus {
  db_path: string
  empty: boolean
  operator: string
}

export interface MemberEvent {
  id: string
  member_id: string
  kind: string
  occurred_on: string
  until: string | null
  org_id: string | null
  place: string | null
  note: string | null
}
