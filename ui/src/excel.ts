/**
 * The 导入/导出 screens' logic, apart from the components: file names and paths, what the
 * preview allows, the text of results. The core decides what is valid; this only presents.
 */
import type { Created, ImportSummary, Progress } from './api/excel'
import { toIpcError } from './api/ipc'

/** The template of each table screen (assets/profiles/*.json). */
export const PROFILE_OF: Record<string, string> = {
  member: 'members',
  unit: 'units',
  org: 'orgs',
  activity: 'activities',
  inspection: 'inspections',
  dues: 'dues',
}

/** The screen showing a template's records. */
export const SCREEN_OF: Record<string, { path: string; label: string }> = {
  member: { path: '/members', label: '党员' },
  unit: { path: '/units', label: '两新组织' },
  org: { path: '/orgs', label: '党组织' },
  activity: { path: '/activities', label: '组织生活' },
  inspection: { path: '/inspections', label: '十个有检查' },
  dues: { path: '/dues', label: '党费' },
  attendance: { path: '/activities', label: '组织生活' },
}

/** The separator a path uses (Windows paths have backslashes). */
function sepOf(path: string): string {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/'
}

export function joinPath(dir: string, name: string): string {
  if (!dir) return name
  const sep = sepOf(dir)
  return dir.endsWith(sep) ? dir + name : dir + sep + name
}

/** The last part of a path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] ?? path
}

/** The folder of a path ('' when it has none). */
export function dirName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return i > 0 ? path.slice(0, i) : i === 0 ? path.slice(0, 1) : ''
}

/** 党员花名册-2026-11-21.xlsx: the table's name and the ledger's date. */
export function defaultFileName(title: string, today: string, suffix = ''): string {
  return `${title}${suffix ? `-${suffix}` : ''}-${today}.xlsx`
}

/** Beside the imported file: 花名册-错误标注.xlsx. */
export function errorsBookPath(source: string): string {
  const name = baseName(source).replace(/\.(xlsx|xls|xlsm)$/i, '')
  const dir = dirName(source)
  return joinPath(dir, `${name}-错误标注.xlsx`)
}

/** Whether the import may go ahead under the chosen policy, and if not why. */
export function importBlock(s: ImportSummary, skipInvalid: boolean): string | null {
  if (s.problems.length) return '文件有问题（见“识别表格”一步），各行没有逐一检查：解决后重新检查'
  if (s.rows === 0) return '表格里没有数据行，没有可导入的内容'
  if (s.invalid > 0 && !skipInvalid) {
    return `有 ${s.invalid} 行有错误：改正后重新导入，或选择“跳过有错误的行”只导入正确的行`
  }
  if (s.inserted + s.updated === 0) {
    return s.invalid > 0 ? '除有错误的行外，其余各行与台账相同，没有需要导入的内容' : '各行与台账完全相同，不需要导入'
  }
  return null
}

export interface CountTile {
  key: 'inserted' | 'updated' | 'unchanged' | 'invalid'
  label: string
  value: number
  tone: 'success' | 'primary' | 'info' | 'danger'
}

export function countTiles(s: ImportSummary): CountTile[] {
  return [
    { key: 'inserted', label: '新增', value: s.inserted, tone: 'success' },
    { key: 'updated', label: '更新', value: s.updated, tone: 'primary' },
    { key: 'unchanged', label: '无变化', value: s.unchanged, tone: 'info' },
    { key: 'invalid', label: '有错误', value: s.invalid, tone: 'danger' },
  ]
}

/** "党组织 2 个：甲、乙；单位 1 个：丙" — what the import creates; '' when nothing. */
export function createdText(c: Created, max = 10): string {
  const parts: string[] = []
  for (const [label, names] of [
    ['党组织', c.orgs],
    ['单位', c.units],
    ['党建指导员', c.instructors],
  ] as const) {
    if (!names.length) continue
    const shown = names.slice(0, max).join('、')
    parts.push(`${label} ${names.length} 个：${shown}${names.length > max ? ` 等` : ''}`)
  }
  return parts.join('；')
}

/** What a finished import did, in one sentence. */
export function resultText(s: ImportSummary): string {
  if (!s.committed) {
    if (s.problems.length) return `没有导入：${s.problems[0]}`
    return s.invalid > 0 && s.inserted + s.updated > 0
      ? `没有导入：有 ${s.invalid} 行有错误`
      : '没有导入任何记录：各行与台账相同'
  }
  const skipped = s.invalid > 0 ? `，跳过有错误的 ${s.invalid} 行` : ''
  return `已导入${s.profile_name}：新增 ${s.inserted} 条，更新 ${s.updated} 条，无变化 ${s.unchanged} 条${skipped}`
}

const PHASE: Record<Progress['phase'], string> = { read: '读取', check: '校验', write: '写入' }

/** "校验 1,000 / 20,000 行" and the percentage for a bar (null while the total is unknown). */
export function progressText(p: Progress): { text: string; percent: number | null } {
  const n = (x: number) => x.toLocaleString('en-US')
  if (p.total <= 0) return { text: `${PHASE[p.phase]}……`, percent: null }
  const percent = Math.min(100, Math.floor((p.done / p.total) * 100))
  return { text: `${PHASE[p.phase]} ${n(p.done)} / ${n(p.total)} 行`, percent }
}

/**
 * Run a write that refuses to replace an existing file (`exists`) and, when the user agrees,
 * run it again allowing it. Resolves to undefined when the user declines.
 */
export async function withOverwrite<T>(
  write: (overwrite: boolean) => Promise<T>,
  confirm: (message: string) => Promise<boolean>,
  overwrite = false,
): Promise<T | undefined> {
  try {
    return await write(overwrite)
  } catch (e) {
    const err = toIpcError(e)
    if (err.code !== 'exists' || overwrite) throw err
    if (!(await confirm(err.message))) return undefined
    return write(true)
  }
}

