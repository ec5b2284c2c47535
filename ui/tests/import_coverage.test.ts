import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import ImportWizard from '../src/components/ImportWizard.vue'
import { excelApi, type CoveredUnit, type ImportReport, type ImportSummary } from '../src/api/excel'

afterEach(() => {
  clearMocks()
  excelApi.clearProfiles()
  document.body.innerHTML = ''
})

const NAMED = '中共清河县恒达机械有限公司支部委员会'
const JOINT = '中共清河县城关镇非公企业联合支部委员会'

/** A clean preview of a roster whose new orgs the core linked to units. */
const report = (covered: CoveredUnit[], over: Partial<ImportSummary> = {}): ImportReport => ({
  summary: {
    profile: 'members',
    profile_name: '党员花名册',
    sheet: '花名册',
    header_row: 1,
    rows: 3,
    inserted: 3,
    updated: 0,
    unchanged: 0,
    invalid: 0,
    errors: [],
    errors_omitted: [],
    unknown_columns: [],
    columns: [],
    missing: [],
    warnings: [],
    problems: [],
    needs_org: false,
    file_org: null,
    activity: null,
    needs_activity: false,
    created: {
      orgs: [NAMED, JOINT],
      units: ['清河县恒达机械有限公司', '清河县甲贸易有限公司', '清河县乙物业服务有限公司'],
      instructors: [],
      covered,
    },
    dry_run: true,
    committed: false,
    ...over,
  },
  mapping: [{ column: 'A', header: '姓名', target: '姓名', field: 'name', kind: 'field', guessed: false, note: null }],
  missing: [],
  errors_total: 0,
})

const links: CoveredUnit[] = [
  { org: NAMED, unit: '清河县恒达机械有限公司' },
  { org: JOINT, unit: '清河县甲贸易有限公司' },
  { org: JOINT, unit: '清河县乙物业服务有限公司' },
]

const $ = (css: string) => document.querySelector<HTMLElement>(css)
const text = (css: string) => $(css)?.textContent ?? ''
async function settle() {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
}

/** Mount the wizard on a file and go to the preview, the core answering with `covered`. */
async function preview(covered: CoveredUnit[], run: Partial<ImportSummary> = { dry_run: false, committed: true }) {
  mockIPC((cmd, args) => {
    if (cmd === 'excel_profiles') return [{ id: 'members', name: '党员花名册', entity: 'member', columns: 21, import_only: false }]
    if (cmd === 'import_excel') {
      const input = (args as { input: { dryRun: boolean } }).input
      return input.dryRun ? report(covered) : report(covered, run)
    }
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/members', component: { template: '<div />' } },
    ],
  })
  const w = mount(ImportWizard, {
    props: { initialPath: '/tmp/花名册.xlsx' },
    global: { plugins: [ElementPlus, router] },
    attachTo: document.body,
  })
  await settle()
  $('[data-testid="import-next"]')!.click()
  await settle()
  $('[data-testid="import-to-preview"]')!.click()
  await settle()
  return w
}

describe('导入 wizard: 覆盖关系 of the orgs an import creates', () => {
  it('lists each link in the preview and counts them once imported', async () => {
    const w = await preview(links)
    const shown = text('[data-testid="import-covered"]')
    expect(shown).toContain(`覆盖关系：${NAMED} → 清河县恒达机械有限公司`)
    expect(shown).toContain(`覆盖关系：${JOINT} → 清河县甲贸易有限公司`)
    expect(shown).toContain(`覆盖关系：${JOINT} → 清河县乙物业服务有限公司`)
    expect(shown).not.toContain('共 3 条')
    $('[data-testid="import-run"]')!.click()
    await settle()
    expect(text('[data-testid="import-done-covered"]')).toContain('覆盖单位 3 处')
    expect(text('[data-testid="import-done-created"]')).toContain('清河县恒达机械有限公司')
    w.unmount()
  })

  it('shows the first ten of many and says how many there are', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ org: `中共某县第${i}公司支部`, unit: `某县第${i}公司` }))
    const w = await preview(many)
    const lines = document.querySelectorAll('[data-testid="import-covered"] .covered-line')
    expect(lines.length).toBe(11)
    expect(lines[9].textContent).toBe('覆盖关系：中共某县第9公司支部 → 某县第9公司')
    expect(lines[10].textContent).toContain('共 12 条覆盖关系')
    w.unmount()
  })

  it('claims nothing was created when the import was not committed', async () => {
    const w = await preview(links, { dry_run: false, committed: false })
    $('[data-testid="import-run"]')!.click()
    await settle()
    expect(text('[data-testid="import-result"]')).toContain('没有导入')
    expect(text('[data-testid="import-result"]')).not.toContain('已新建')
    expect($('[data-testid="import-done-covered"]')).toBeNull()
    w.unmount()
  })

  it('says nothing about coverage when the import links nothing', async () => {
    const w = await preview([])
    expect(text('[data-testid="import-created"]')).toContain(NAMED)
    expect($('[data-testid="import-covered"]')).toBeNull()
    $('[data-testid="import-run"]')!.click()
    await settle()
    expect($('[data-testid="import-done-covered"]')).toBeNull()
    w.unmount()
  })
})
