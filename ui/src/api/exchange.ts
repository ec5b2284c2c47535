/** 数据交换 commands: packages, conflicts, duplicates, known PCs. */
import { call } from './ipc'

export type { Candidate, Conflict, Device, PackageIn, PackageOut } from './generated/core'
export type { Decision } from './generated/shell'
import type { Candidate, Conflict, Device, PackageIn, PackageOut } from './generated/core'
import type { Decision } from './generated/shell'

export const exchangeApi = {
  devices: () => call<Device[]>('exchange_devices'),
  renameThisPc: (name: string) => call<void>('rename_this_pc', { name }),
  exportPackage: (args: { out: string; to?: string; all: boolean; scope?: string }) =>
    call<PackageOut>('export_package', { args }),
  importPackage: (path: string, dryRun: boolean) => call<PackageIn>('import_package', { path, dryRun }),
  conflicts: () => call<Conflict[]>('list_conflicts'),
  resolve: (id: string, decision: Decision) => call<void>('resolve_conflict', { id, decision }),
  duplicates: () => call<Candidate[]>('list_duplicates'),
  merge: (keep: string, drop: string) => call<string>('merge_duplicates', { keep, drop }),
}

/** The scope argument of a package: everything, one org and those under it, or one 乡镇街道. */
export function scopeArg(kind: 'all' | 'org' | 'area', org: string, area: string): string | undefined {
  if (kind === 'org' && org) return `org:${org}`
  if (kind === 'area' && area.trim()) return `area:${area.trim()}`
  return undefined
}

/** A package file name that says who sent it and when, e.g. 交换包-城关镇党委-20261122.tzpkg. */
export function packageName(from: string, date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  const safe = from.replace(/[\\/:*?"<>|\s]+/g, '') || '本机'
  return `交换包-${safe}-${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}.tzpkg`
}
