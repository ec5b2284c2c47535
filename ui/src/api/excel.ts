/**
 * Excel in and out: the 导入 wizard, 导出 by template and the annual report. Mirrors
 * src-tauri/src/commands/excel.rs (and `taizhang::excel::wizard`, `ImportSummary`).
 */
import { Channel } from '@tauri-apps/api/core'
import { call } from './ipc'

export type {
  AnnualSummary,
  CellError,
  ColumnMapping,
  CoveredUnit,
  Created,
  ExportSummary,
  ImportReport,
  ImportSummary,
  MissingColumn,
  ProfileInfo,
  Progress,
} from './generated/core'
export type { ExcelDefaults } from './generated/shell'
import type { AnnualSummary, ExportSummary, ImportReport, ProfileInfo, Progress } from './generated/core'
import type { ExcelDefaults } from './generated/shell'

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
