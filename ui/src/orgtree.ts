import type { OrgNode } from './api/types'

export interface TreeNode {
  id: string
  label: string
  orgType: string
  status: string
  children: TreeNode[]
}

/** Nest orgs by 上级党组织; an org whose parent is unknown (or a cycle) becomes a root. */
export function buildTree(orgs: OrgNode[]): TreeNode[] {
  const byId = new Map<string, TreeNode>()
  for (const o of orgs) {
    byId.set(o.id, { id: o.id, label: o.name, orgType: o.org_type, status: o.status, children: [] })
  }
  const roots: TreeNode[] = []
  for (const o of orgs) {
    const node = byId.get(o.id)!
    let parent = o.parent_id ? byId.get(o.parent_id) : undefined
    // guard against cycles: walk up from the parent; if we reach this node, treat as root
    let p = o.parent_id
    const seen = new Set<string>([o.id])
    while (parent && p) {
      if (seen.has(p)) {
        parent = undefined
        break
      }
      seen.add(p)
      p = orgs.find((x) => x.id === p)?.parent_id ?? null
    }
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}
