/** Editing a checklist definition before it is saved as a new version. */
import type { Checklist, ChecklistItem } from '../api/types'

/** The newest version of each checklist (the list comes newest first per code). */
export function currentVersions(all: Checklist[]): Checklist[] {
  const seen = new Set<string>()
  return all.filter((c) => !seen.has(c.code) && seen.add(c.code))
}

/**
 * Items ready to save: blank rows dropped, text trimmed, and a stable code given to each new
 * item (existing items keep theirs, so inspections against several versions line up).
 */
export function itemsToSave(rows: ChecklistItem[]): ChecklistItem[] {
  const kept = rows
    .map((r) => ({ code: r.code.trim(), label: r.label.trim(), hint: (r.hint ?? '').trim() || null }))
    .filter((r) => r.label)
  const used = new Set(kept.map((r) => r.code).filter(Boolean))
  let n = 1
  for (const r of kept) {
    if (r.code) continue
    while (used.has(`item${n}`)) n++
    r.code = `item${n}`
    used.add(r.code)
  }
  return kept
}
