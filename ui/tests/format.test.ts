import { describe, expect, it } from 'vitest'
import { cellText, fieldsToSend, formValues, masked, toFormValue } from '../src/format'
import { buildTree } from '../src/orgtree'
import type { FieldSpec } from '../src/api/types'

const spec = (name: string, kind: FieldSpec['kind'], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  label: name,
  kind,
  required: false,
  filterable: true,
  ...extra,
})

describe('format', () => {
  it('shows references by name and booleans as 是/否', () => {
    expect(cellText(spec('org_id', 'ref'), 'a', { a: '中共某支部' })).toBe('中共某支部')
    expect(cellText(spec('above_scale', 'bool'), true)).toBe('是')
    expect(cellText(spec('base', 'money'), 3000)).toBe('3000.00')
    expect(cellText(spec('committee', 'seats'), [{ role: '书记', name: '张三' }])).toBe('书记:张三')
    expect(cellText(spec('unit_ids', 'refs'), ['u1', 'u2'], { u1: '甲', u2: '乙' })).toBe('甲、乙')
  })

  it('masks 身份证号 and mobile numbers in lists only where they are whole numbers', () => {
    expect(masked('id_number', '330123199803150422')).toBe('330123********0422')
    expect(masked('id_number', '33012319980315042X')).toBe('330123********042X')
    expect(masked('phone', '13912345678')).toBe('139****5678')
    expect(masked('phone', '0571-56781234')).toBe('0571-56781234')
    expect(masked('name', '13912345678')).toBe('13912345678')
    expect(masked('id_number', '12345')).toBe('12345')
  })

  it('shows and edits 培养考察 as 日期:意见', () => {
    const a = [{ on: '2025-03-22', note: '表现良好' }, { on: '2025-09-22', note: null }]
    expect(cellText(spec('assessments', 'assessments'), a)).toBe('2025-03-22：表现良好、2025-09-22')
    expect(toFormValue(spec('assessments', 'assessments'), a)).toBe('2025-03-22:表现良好；2025-09-22')
    const semi = [{ on: '2025-03-22', note: '好；很好' }]
    expect(toFormValue(spec('assessments', 'assessments'), semi)).toBe(JSON.stringify(semi))
  })

  it('turns records into form text the core parses', () => {
    expect(toFormValue(spec('committee', 'seats'), [{ role: '书记', name: '张三' }, { role: '组织委员', name: '李四' }])).toBe(
      '书记:张三，组织委员:李四',
    )
    expect(toFormValue(spec('followups', 'followups'), [{ content: '补齐党旗', due_on: '2026-12-31' }])).toBe(
      '补齐党旗@2026-12-31',
    )
    expect(toFormValue(spec('types', 'choices'), ['党课'])).toEqual(['党课'])
  })

  it('sends only non-empty fields for a new record and only changed fields for an update', () => {
    const specs = [spec('name', 'text'), spec('phone', 'text'), spec('types', 'choices'), spec('unit_ids', 'refs')]
    const blank = formValues(specs)
    blank.name = ' 恒达 '
    blank.types = ['党课', '主题党日']
    blank.unit_ids = ['a', 'b']
    expect(fieldsToSend(specs, blank)).toEqual({ name: '恒达', types: '党课、主题党日', unit_ids: 'a,b' })
    const rec = { id: 'x', created_at: '', updated_at: '', device_id: '', name: '恒达', phone: '123', types: [], unit_ids: [] }
    const orig = formValues(specs, rec)
    const edited = { ...orig, phone: '456' }
    expect(fieldsToSend(specs, edited, orig)).toEqual({ phone: '456' })
  })
})

describe('org tree', () => {
  it('nests by parent and survives unknown parents and cycles', () => {
    const t = buildTree([
      { id: 'a', name: '党委', parent_id: null, org_type: '党委', status: '正常' },
      { id: 'b', name: '支部', parent_id: 'a', org_type: '党支部', status: '正常' },
      { id: 'c', name: '孤儿', parent_id: 'zz', org_type: '党支部', status: '正常' },
      { id: 'd', name: '环1', parent_id: 'e', org_type: '党支部', status: '正常' },
      { id: 'e', name: '环2', parent_id: 'd', org_type: '党支部', status: '正常' },
    ])
    expect(t.map((n) => n.id).sort()).toEqual(['a', 'c', 'd', 'e'].filter((id) => t.some((n) => n.id === id)).sort())
    expect(t.find((n) => n.id === 'a')?.children.map((c) => c.id)).toEqual(['b'])
    expect(t.some((n) => n.id === 'c')).toBe(true)
  })
})
