/**
 * Calls into the desktop shell. Every command returns JSON or rejects with
 * `{code, message, fields?}`; `call` turns the rejection into an `IpcError`.
 */
import { invoke } from '@tauri-apps/api/core'
import type {
  ApplicantPath,
  StageCount,
  StepOut,
  AppStatus,
  BackedUp,
  BackupFile,
  ChangeEntry,
  Checklist,
  ChecklistItem,
  Dashboard,
  DemoSummary,
  EntityName,
  FieldError,
  FieldSpec,
  MemberEvent,
  OrgNode,
  Page,
  ParamsView,
  RecordOut,
  Restored,
  RollEntry,
  Settings,
  UpdateOut,
} from './types'
import type { RestoreChoice } from './generated/core'

export class IpcError extends Error {
  code: string
  fields: FieldError[]
  constructor(code: string, message: string, fields: FieldError[] = []) {
    super(message)
    this.code = code
    this.fields = fields
  }
  /** field name → message, for showing each problem at its field */
  byField(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const f of this.fields) {
      out[f.field] = out[f.field] ? `${out[f.field]}；${f.message}` : f.message
    }
    return out
  }
}

export function toIpcError(e: unknown): IpcError {
  if (e instanceof IpcError) return e
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { code?: string; message?: string; fields?: FieldError[] }
    return new IpcError(o.code ?? 'unknown', String(o.message ?? '未知错误'), o.fields ?? [])
  }
  return new IpcError('unknown', typeof e === 'string' ? e : '操作失败，请重试')
}

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    throw toIpcError(e)
  }
}

const specCache = new Map<string, Promise<FieldSpec[]>>()

export const api = {
  appStatus: () => call<AppStatus>('app_status'),
  fieldSpecs(entity: EntityName): Promise<FieldSpec[]> {
    let p = specCache.get(entity)
    if (!p) {
      p = call<FieldSpec[]>('field_specs', { entity })
      p.catch(() => specCache.delete(entity))
      specCache.set(entity, p)
    }
    return p
  },
  clearSpecCache: () => specCache.clear(),
  list: (
    entity: EntityName,
    opts: {
      filters?: Record<string, string>
      search?: string
      limit?: number
      offset?: number
      /** field to sort by, creation order when absent */
      sort?: string
      descending?: boolean
    } = {},
  ) => call<Page>('list_records', { entity, ...opts }),
  get: (entity: EntityName, id: string) => call<RecordOut>('get_record', { entity, id }),
  add: (entity: EntityName, fields: Record<string, string>) =>
    call<RecordOut>('add_record', { entity, fields }),
  update: (entity: EntityName, id: string, fields: Record<string, string>) =>
    call<UpdateOut>('update_record', { entity, id, fields }),
  history: (id: string) => call<ChangeEntry[]>('history', { id }),
  orgTree: () => call<OrgNode[]>('org_tree'),
  checklists: () => call<Checklist[]>('checklists'),
  memberEventKinds: () => call<string[]>('member_event_kinds'),
  memberEvents: (memberId: string) => call<MemberEvent[]>('member_events', { memberId }),
  recordMemberEvent: (event: {
    memberId: string
    kind: string
    date: string
    until?: string
    orgId?: string
    place?: string
    note?: string
  }) => call<{ event: MemberEvent }>('record_member_event', { event }),
  /** 发展党员: a person's path — the record, the steps open now, the limits running */
  applicantPath: (id: string) => call<ApplicantPath>('applicant_path', { id }),
  recordApplicantStep: (step: {
    applicantId: string
    step: string
    date: string
    until?: string
    people?: string[]
    hours?: number
    text?: string
  }) => call<StepOut>('record_applicant_step', { step }),
  applicantStageCounts: (orgId?: string) => call<StageCount[]>('applicant_stage_counts', { orgId }),
  attendanceRoster: (orgId: string) => call<RollEntry[]>('attendance_roster', { orgId }),
  addActivity: (fields: Record<string, string>, absent: { memberId: string; reason?: string }[]) =>
    call<RecordOut>('add_activity', { fields, absent }),
  settings: () => call<Settings>('get_settings'),
  setSetting: (key: 'operator' | 'report_unit', value: string) =>
    call<void>('set_setting', { key, value }),
  dictionary: (name?: string) =>
    call<Record<string, { value: string; synonyms: string[] }[]>>('dictionary', { name }),
  backup: (dest: string) => call<BackedUp>('backup', { dest }),
  loadDemo: (units?: number) => call<DemoSummary>('load_demo', { units }),
  dashboard: () => call<Dashboard>('dashboard'),
  ruleParams: () => call<ParamsView>('rule_params'),
  setRuleParams: (values: Record<string, unknown>) => call<ParamsView>('set_rule_params', { values }),
  saveChecklist: (c: { code: string; name: string; source?: string | null; items: ChecklistItem[] }) =>
    call<Checklist>('save_checklist', c),
  /** What a backup holds beside what the open ledger holds, before restoring it. */
  backupContents: (src: string) => call<RestoreChoice>('backup_contents', { src }),
  restore: (src: string) => call<Restored>('restore', { src }),
  backups: () => call<BackupFile[]>('list_backups'),
  /** copy a chosen picture beside the database; returns the name the record keeps */
  importPhoto: (path: string) => call<string>('import_photo', { path }),
  /** a stored photo's bytes */
  photo: (name: string) => call<ArrayBuffer>('photo', { name }),
}
