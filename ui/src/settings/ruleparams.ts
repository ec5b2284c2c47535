/** Editing rule parameters: nested values by dotted path, and the minimal setting to store. */
import type { ParamInfo } from '../api/types'

export const FREQUENCIES: { value: string; label: string }[] = [
  { value: 'monthly', label: '每月' },
  { value: 'quarterly', label: '每季度' },
  { value: 'half_yearly', label: '每半年' },
  { value: 'yearly', label: '每年' },
  { value: 'never', label: '不检查' },
]

export function getPath(obj: Record<string, unknown>, path: string): unknown {
  let v: unknown = obj
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let node = obj
  for (const part of parts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== 'object') node[part] = {}
    node = node[part] as Record<string, unknown>
  }
  node[parts[parts.length - 1]] = value
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Whether a parameter's value differs from its default. */
export function isChanged(p: ParamInfo, values: Record<string, unknown>, defaults: Record<string, unknown>): boolean {
  return !same(getPath(values, p.path), getPath(defaults, p.path))
}

/**
 * The setting to store: only the parameters that differ from their defaults, so a later
 * change of a default (a new regulation) reaches every value the county did not choose.
 */
export function changedFromDefaults(
  params: ParamInfo[],
  values: Record<string, unknown>,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const p of params) {
    if (isChanged(p, values, defaults)) setPath(out, p.path, getPath(values, p.path))
  }
  return out
}

/** A value as text, e.g. "3 人", "每季度", "单独组建", "不检查". */
export function describe(p: ParamInfo, v: unknown, ruleNames: Record<string, string> = {}): string {
  if (p.kind === 'frequency') return FREQUENCIES.find((f) => f.value === v)?.label ?? String(v)
  if (p.kind === 'optional_count' && (v === null || v === undefined)) return '不检查'
  if (Array.isArray(v)) return v.length ? v.map((x) => ruleNames[String(x)] ?? String(x)).join('、') : '无'
  return `${v} ${p.unit}`.trim()
}
