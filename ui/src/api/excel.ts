/**
 * Excel in and out: the 导入 wizard, 导出 by template and the annual report. Mirrors
 * src-tauri/src/commands/excel.rs (and `taizhang::excel::wizard`, `ImportSummary`).
 */
import { Channel } from '@tauri-apps/api/core'
import { call } from './ipc'

/** How far a long import has got (`excel::progress::Progress`). */
export interface Progress {
  /** read: opening the file and finding the table; check: a dry run; write: importing */
  phase: 'read' | 'check' | 'write'
  done: number
  total: number
}

/** A template (`wizard::ProfileInfo`). */
export interface ProfileInfo {
  id: string
  name: string
  entity: string
  columns: number
  /** read on import only (a sign-in sheet): not offered for export */
  import_only: boolean
}

/** One invalid cell, in the spreadsheet's own terms (`import::CellError`). */
export interface CellError {
  sheet: string
  row: number
  /** column letter(s); empty when the problem is not one cell's */
  column: string
  value: string
  message: string
}

/** A 覆盖关系 the import gives an org it creates (`coverage::CoveredUnit`). */
export interface CoveredUnit {
  /** the org's 全称 */
  org: string
  /** the covered unit's 名称 */
  unit: string
}

/** Records named in the sheet that the ledger lacks (created by the import). */
export interface Created {
  orgs: string[]
  units: string[]
  instructors: string[]
  /** units the created orgs cover, inferred from their names and members' 工作单位 */
  covered: CoveredUnit[]
}

export interface ImportSummary {
  profile: string
  profile_name: string
  sheet: string
  header_row: number
  rows: number
  inserted: number
  updated: number
  unchanged: number
  invalid: number
  errors: CellError[]
  unknown_columns: string[]
  /** each header of the sheet and what it becomes (the same as `ImportReport.mapping`) */
  columns: ColumnMapping[]
  missing: MissingColumn[]
  /** how the file was read: columns recognised by meaning, two columns for one field */
  warnings: string[]
  /** problems of the whole file: while any remain no row is checked or imported */
  problems: string[]
  /** the sheet names no 党组织 for its rows: one must be chosen for the whole file */
  needs_org: boolean
  /** the org given to rows that name none: chosen for the file, or read from its title */
  file_org: string | null
  /** a sign-in sheet: the activity it is for */
  activity: string | null
  /** a sign-in sheet whose activity was neither chosen nor found from its title */
  needs_activity: boolean
  created: Created
  dry_run: boolean
  committed: boolean
}

export interface ColumnMapping {
  column: string
  header: string
  /** the template column it matched; null when ignored */
  target: string | null
  field: string | null
  kind: string | null
  /** matched by the words of its meaning, not a listed name: a guess to check */
  guessed: boolean
  note: string | null
}

export interface MissingColumn {
  header: string
  required: boolean
}

export interface ImportReport {
  summary: ImportSummary
  mapping: ColumnMapping[]
  missing: MissingColumn[]
  /** all cell errors; `summary.errors` holds the first ones */
  errors_total: number
}

export interface ExportSummary {
  profile: string
  rows: number
  path: string
}

export interface AnnualSummary {
  path: string
  year: number
  as_of: string
  area: string | null
  report_unit: string
  preparer: string
  date: string
  year_complete: boolean
  sheets: string[]
  charts: number
  units: number
  orgs: number
  members: number
  org_coverage_rate: number
  standalone_rate: number
  work_coverage_rate: number
  org_not_built: number
  units_without_org: number
  meeting_completion: { quarter: string; label: string; rate: number }[]
  inspection_pass_rate: number
}

export interface ExcelDefaults {
  dir: string
  today: string
  areas: string[]
  report_unit: string | null
  operator: string
}

/** A channel for the shell's progress reports, when the caller shows them. */
function progressChannel(onProgress?: (p: Progress) => void): Channel<Progress> | undefined {
  if (!onProgress) return undefined
  const channel = new Channel<Progress>()
  channel.onmessage = onProgress
  return channel
}

let profilesOnce: Promise<ProfileInfo[]> | null = null

export const excelApi = {
  /** The templates; asked once per window (a county's own are read at start). */
  profiles(): Promise<ProfileInfo[]> {
    if (!profilesOnce) {
      profilesOnce = call<ProfileInfo[]>('excel_profiles')
      profilesOnce.catch(() => (profilesOnce = null))
    }
    return profilesOnce
  },
  clearProfiles: () => (profilesOnce = null),
  defaults: () => call<ExcelDefaults>('excel_defaults'),
  importFile(
    input: { path: string; profile?: string; dryRun: boolean; skipInvalid?: boolean; org?: string; activity?: string },
    onProgress?: (p: Progress) => void,
  ): Promise<ImportReport> {
    return call<ImportReport>('import_excel', { input, onProgress: progressChannel(onProgress) })
  },
  saveErrorsBook: (input: { path: string; profile?: string; org?: string; activity?: string; dest: string; overwrite?: boolean }) =>
    call<string>('save_errors_book', { input }),
  exportTable: (
    input: { profile: string; dest: string; org?: string; area?: string; overwrite?: boolean },
    onProgress?: (p: Progress) => void,
  ) => call<ExportSummary>('export_excel', { input, onProgress: progressChannel(onProgress) }),
  annualReport: (input: { year: number; dest: string; area?: string; preparer?: string; overwrite?: boolean }) =>
    call<AnnualSummary>('annual_report', { input }),
  openFolder: (path: string) => call<void>('open_folder', { path }),
}
