import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import RecordTable from '../src/components/RecordTable.vue'
import { api } from '../src/api/ipc'

afterEach(() => {
  clearMocks()
  api.clearSpecCache()
})

const specs = [
  { name: 'name', label: '单位名称', kind: 'text', required: true, filterable: true },
  { name: 'employees', label: '从业人员数', kind: 'int', required: false, filterable: true },
  { name: 'instructor_ids', label: '党建指导员', kind: 'refs', target: 'instructor', required: false, filterable: false },
]

describe('记录表格', () => {
  it('asks the database to sort over every row, not just the page shown', async () => {
    const calls: Record<string, unknown>[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'field_specs') return specs
      if (cmd === 'list_records') {
        calls.push(args as Record<string, unknown>)
        return { rows: [], total: 0, names: {} }
      }
    })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<div />' } }] })
    const w = mount(RecordTable, {
      props: { entity: 'unit', columns: ['name', 'employees', 'instructor_ids'] },
      global: { plugins: [ElementPlus, router] },
    })
    await flushPromises()
    expect(calls[0].sort).toBeUndefined()
    // a list field cannot be sorted by the database, so its header offers no sorting
    const headers = w.findAll('th')
    const refHeader = headers.find((h) => h.text().includes('党建指导员'))
    expect(refHeader?.find('.caret-wrapper').exists()).toBe(false)
    const employees = headers.find((h) => h.text().includes('从业人员数'))
    await employees!.find('.caret-wrapper .descending').trigger('click')
    await flushPromises()
    const last = calls[calls.length - 1]
    expect(last.sort).toBe('employees')
    expect(last.descending).toBe(true)
    expect(last.offset).toBe(0)
  })
})
