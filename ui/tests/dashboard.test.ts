import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import Dashboard from '../src/views/Dashboard.vue'

afterEach(() => clearMocks())

function router() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Dashboard },
      { path: '/units', component: { template: '<div />' } },
    ],
  })
}

const base = {
  counts: { unit: 3, org: 1, member: 5, activity: 0, inspection: 0, instructor: 0, visit: 0, alliance: 0, dues: 0 },
  breakdowns: [],
  coverage: null,
  areas: null,
  today: '2026-11-21',
}

describe('工作台', () => {
  it('says what to do on an empty ledger', async () => {
    mockIPC((cmd) => {
      if (cmd === 'dashboard') return { ...base, counts: { unit: 0, org: 0, member: 0 }, findings: null }
    })
    const r = router()
    const w = mount(Dashboard, { global: { plugins: [ElementPlus, r] } })
    await flushPromises()
    expect(w.text()).toContain('台账里还没有数据')
    expect(w.find('[data-testid="load-demo"]').exists()).toBe(true)
  })

  it('lists findings by urgency and opens the subject', async () => {
    mockIPC((cmd) => {
      if (cmd === 'dashboard')
        return {
          ...base,
          coverage: { units: 10, covered: 6, standalone: 4, work_covered: 8, org_coverage_rate: 0.6, standalone_rate: 0.4, work_coverage_rate: 0.8 },
          findings: [
            {
              rule: 'should_build',
              rule_name: '应建未建',
              severity: 'error',
              subject_type: 'unit',
              subject_id: 'u-1',
              subject_name: '恒达机械',
              due: null,
              message: '恒达机械有 3 名正式党员，尚未单独组建党组织',
              area: '城关镇',
            },
          ],
        }
    })
    const r = router()
    await r.push('/')
    const w = mount(Dashboard, { global: { plugins: [ElementPlus, r] }, attachTo: document.body })
    await flushPromises()
    expect(w.text()).toContain('严重（1）')
    expect(w.text()).toContain('60.0%')
    expect(w.text()).toContain('应建未建')
    await w.find('.el-table__row').trigger('click')
    await flushPromises()
    expect(r.currentRoute.value.fullPath).toBe('/units?open=u-1')
    w.unmount()
  })
})
