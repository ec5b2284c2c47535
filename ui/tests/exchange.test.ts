import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { packageName, scopeArg } from '../src/api/exchange'
import ConflictsPanel from '../src/exchange/ConflictsPanel.vue'

afterEach(() => clearMocks())

describe('数据交换', () => {
  it('names packages by sender and date, and scopes them as the core expects', () => {
    expect(packageName('城关镇 党委', new Date(2026, 10, 2))).toBe('交换包-城关镇党委-20261102.tzpkg')
    expect(packageName('  ', new Date(2026, 0, 15))).toBe('交换包-本机-20260115.tzpkg')
    expect(scopeArg('all', 'x', 'y')).toBeUndefined()
    expect(scopeArg('org', 'abc', '')).toBe('org:abc')
    expect(scopeArg('org', '', '')).toBeUndefined()
    expect(scopeArg('area', '', ' 城关镇 ')).toBe('area:城关镇')
  })

  it('shows both values side by side and sends the decision taken', async () => {
    const decisions: unknown[] = []
    let open = [
      {
        id: 'c1', entity: 'member', record_id: 'm1', record_name: '王建国', field: 'phone', field_label: '手机号码',
        local_text: '13700000002', incoming_text: '13900000001', incoming_device: '县委社会工作部', detected_at: '',
      },
    ]
    mockIPC((cmd, args) => {
      if (cmd === 'list_conflicts') return open
      if (cmd === 'resolve_conflict') {
        decisions.push(args)
        open = []
      }
    })
    const w = mount(ConflictsPanel, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    const row = w.find('.el-table__row')
    expect(row.text()).toContain('王建国')
    expect(row.text()).toContain('13700000002')
    expect(row.text()).toContain('13900000001')
    expect(row.text()).toContain('来自 县委社会工作部')
    await w.find('[data-testid="take-incoming"]').trigger('click')
    await flushPromises()
    expect(decisions).toEqual([{ id: 'c1', decision: { take: 'incoming' } }])
    const changed = w.emitted('changed') ?? []
    expect(changed[changed.length - 1]).toEqual([0])
  })
})
