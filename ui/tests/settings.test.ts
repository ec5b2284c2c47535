import { describe, expect, it } from 'vitest'
import { changedFromDefaults, describe as describeValue, getPath, isChanged, setPath } from '../src/settings/ruleparams'
import { currentVersions, itemsToSave } from '../src/settings/checklists'
import type { Checklist, ParamInfo } from '../src/api/types'

const params: ParamInfo[] = [
  { path: 'joint_branch_max_units', group: '组织设置', label: '联合党支部覆盖单位最多', kind: 'count', unit: '个', source: '' },
  { path: 'meetings.party_lecture', group: '组织生活', label: '党课', kind: 'frequency', unit: '', source: '' },
  { path: 'meetings.theme_day', group: '组织生活', label: '主题党日', kind: 'frequency', unit: '', source: '' },
  { path: 'group_meeting_min_members', group: '组织生活', label: '党小组会', kind: 'optional_count', unit: '人', source: '' },
  { path: 'disabled_rules', group: '其他', label: '停用', kind: 'rules', unit: '', source: '' },
]
const defaults = {
  joint_branch_max_units: 5,
  meetings: { party_lecture: 'quarterly', theme_day: 'monthly' },
  group_meeting_min_members: null,
  disabled_rules: [],
}

describe('规则参数', () => {
  it('stores only what differs from the defaults, nested by path', () => {
    const values = JSON.parse(JSON.stringify(defaults))
    expect(changedFromDefaults(params, values, defaults)).toEqual({})
    setPath(values, 'meetings.party_lecture', 'half_yearly')
    setPath(values, 'disabled_rules', ['late_entry'])
    expect(getPath(values, 'meetings.party_lecture')).toBe('half_yearly')
    expect(isChanged(params[1], values, defaults)).toBe(true)
    expect(isChanged(params[2], values, defaults)).toBe(false)
    expect(changedFromDefaults(params, values, defaults)).toEqual({
      meetings: { party_lecture: 'half_yearly' },
      disabled_rules: ['late_entry'],
    })
  })

  it('describes values the way the screen shows defaults', () => {
    expect(describeValue(params[0], 5)).toBe('5 个')
    expect(describeValue(params[1], 'quarterly')).toBe('每季度')
    expect(describeValue(params[3], null)).toBe('不检查')
    expect(describeValue(params[4], [])).toBe('无')
    expect(describeValue(params[4], ['late_entry'], { late_entry: '补记' })).toBe('补记')
  })
})

describe('检查表定义', () => {
  const list = (code: string, version: number): Checklist => ({
    id: `${code}${version}`,
    code,
    name: code,
    version,
    source: null,
    items: [],
    created_at: '',
    updated_at: '',
    device_id: '',
  })

  it('offers the newest version of each checklist', () => {
    const all = [list('liu_you', 1), list('shi_ge_you', 3), list('shi_ge_you', 2), list('shi_ge_you', 1)]
    expect(currentVersions(all).map((c) => c.id)).toEqual(['liu_you1', 'shi_ge_you3'])
  })

  it('drops blank rows, keeps existing codes and gives new items unused ones', () => {
    const out = itemsToSave([
      { code: 'flag', label: ' 有党旗 ', hint: '' },
      { code: '', label: '有文化墙', hint: '  走廊 ' },
      { code: '', label: '   ', hint: 'x' },
      { code: 'item1', label: '有制度', hint: null },
      { code: '', label: '有书架', hint: null },
    ])
    expect(out).toEqual([
      { code: 'flag', label: '有党旗', hint: null },
      { code: 'item2', label: '有文化墙', hint: '走廊' },
      { code: 'item1', label: '有制度', hint: null },
      { code: 'item3', label: '有书架', hint: null },
    ])
  })
})
