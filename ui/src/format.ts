/**
 * Showing values and turning them into the text the core parses (the same text a user would
 * type in the CLI or an Excel cell). No validation here: the core validates.
 */
import type { FieldSpec, Rec } from './api/types'

export const ENTITY_LABELS: Record<string, string> = {
  unit: '两新组织',
  org: '党组织',
  member: '党员',
  activity: '组织生活',
  inspection: '检查记录',
  instructor: '党建指导员',
  visit: '走访记录',
  alliance: '红色联盟',
  dues: '党费',
  checklist: '检查表',
  member_event: '党员事件',
  applicant: '入党申请人',
}

/** 2026-11-21 16:05 from an RFC 3339 timestamp, in local time. */
export function formatTime(ts: string | null | undefined): string {
  if (!ts) return ''
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return String(ts)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

export function formatMoney(v: unknown): string {
  if (v === null || v === undefined || v === '') return ''
  const n = Number(v)
  return Number.isFinite(n) ? n.toFixed(2) : String(v)
}

type Obj = Record<string, unknown>

/** A value as text for a table cell or detail view. */
export function cellText(spec: FieldSpec | undefined, v: unknown, names: Record<string, string> = {}): string {
  if (v === null || v === undefined) return ''
  const kind = spec?.kind
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (kind === 'money') return formatMoney(v)
  if (kind === 'ref' && typeof v === 'string') return names[v] ?? v
  if (Array.isArray(v)) {
    return v
      .map((item) => {
        if (typeof item === 'string') return kind === 'refs' ? (names[item] ?? item) : item
        if (item && typeof item === 'object') {
          const o = item as Obj
          if ('role' in o) return `${o.role}:${o.name}`
          if ('item_code' in o) return `${o.item_code}=${o.result}${o.note ? `（${o.note}）` : ''}`
          if ('content' in o) return `${o.content}${o.due_on ? `（${o.due_on}前）` : ''}`
          if ('on' in o) return `${o.on}${o.note ? `：${o.note}` : ''}`
          if ('member_id' in o) {
            const n = names[String(o.member_id)] ?? String(o.member_id)
            return o.present ? n : `${n}（缺席${o.reason ? `：${o.reason}` : ''}）`
          }
        }
        return JSON.stringify(item)
      })
      .join('、')
  }
  return String(v)
}

/** 培养考察 as the core reads it back: 2025-03-22:意见；2025-09-22 (JSON when a note holds a ；). */
function assessmentsText(items: Obj[]): string {
  if (items.some((a) => /[;；]/.test(String(a.note ?? '')))) return JSON.stringify(items)
  return items.map((a) => (a.note ? `${a.on}:${a.note}` : String(a.on))).join('；')
}

/**
 * 公民身份号码 and 手机号码 as a list shows them to anyone looking over the shoulder: the
 * region and the last four digits of an ID (330123********0239), the first three and last
 * four of a mobile (139****5678). The record's own page shows them whole.
 */
export function masked(field: string, text: string): string {
  if (field === 'id_number' && /^\d{17}[\dXx]$/.test(text)) return `${text.slice(0, 6)}********${text.slice(14)}`
  if (/phone/.test(field) && /^1\d{10}$/.test(text)) return `${text.slice(0, 3)}****${text.slice(7)}`
  return text
}

/** Editable value of a field in a form: text for most kinds, arrays for multi-selects. */
export type FormValue = string | string[]

export function isMulti(spec: FieldSpec): boolean {
  return spec.kind === 'choices' || spec.kind === 'refs'
}

/** A record's value in the form's representation. */
export function toFormValue(spec: FieldSpec, v: unknown): FormValue {
  if (isMulti(spec)) return Array.isArray(v) ? v.map(String) : []
  if (v === null || v === undefined) return ''
  switch (spec.kind) {
    case 'bool':
      return v ? '是' : '否'
    case 'money':
      return formatMoney(v)
    case 'seats':
      return Array.isArray(v) ? v.map((s: Obj) => `${s.role}:${s.name}`).join('，') : ''
    case 'followups':
      return Array.isArray(v)
        ? v.map((f: Obj) => (f.due_on ? `${f.content}@${f.due_on}` : String(f.content))).join('；')
        : ''
    case 'textlist':
      return Array.isArray(v) ? v.join('、') : ''
    case 'assessments':
      return Array.isArray(v) ? assessmentsText(v as Obj[]) : ''
    case 'checks':
    case 'attendance':
      return Array.isArray(v) && v.length ? JSON.stringify(v) : ''
    default:
      return String(v)
  }
}

/** The text the core parses for a form value. */
export function toFieldText(spec: FieldSpec, v: FormValue): string {
  if (Array.isArray(v)) return spec.kind === 'refs' ? v.join(',') : v.join('、')
  return v ?? ''
}

/** Initial form values for a new record (or from an existing one). */
export function formValues(specs: FieldSpec[], rec?: Rec | null): Record<string, FormValue> {
  const out: Record<string, FormValue> = {}
  for (const s of specs) {
    if (rec) out[s.name] = toFormValue(s, rec[s.name])
    else out[s.name] = isMulti(s) ? [] : s.kind === 'bool' ? '否' : ''
  }
  return out
}

/**
 * The field texts to send: for a new record every non-empty field; for an update only the
 * fields whose text changed (so fields that only events may change are left alone).
 */
export function fieldsToSend(
  specs: FieldSpec[],
  values: Record<string, FormValue>,
  original?: Record<string, FormValue>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const s of specs) {
    if (!(s.name in values)) continue
    const text = toFieldText(s, values[s.name]).trim()
    if (original) {
      const before = toFieldText(s, original[s.name] ?? '').trim()
      if (text !== before) out[s.name] = text
    } else if (text !== '') {
      out[s.name] = text
    }
  }
  return out
}

/** Placeholder hints for kinds whose text has a format. */
export function kindHint(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'seats':
      return '如：书记:张三，组织委员:李四'
    case 'followups':
      return '如：补齐党旗@2026-12-31；完善制度'
    case 'textlist':
      return '多个用顿号分隔'
    case 'int':
      return '整数'
    case 'money':
      return '元，如 3000.00'
    default:
      return ''
  }
}
