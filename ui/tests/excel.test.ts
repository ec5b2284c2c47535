import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import ImportWizard from '../src/components/ImportWizard.vue'
import ExportDialog from '../src/components/ExportDialog.vue'
import { excelApi, type ImportReport, type ImportSummary } from '../src/api/excel'
import {
  baseName,
  createdText,
  defaultFileName,
  dirName,
  errorsBookPath,
  importBlock,
  joinPath,
  progressText,
  resultText,
  withOverwrite,
} from '../src/excel'

afterEach(() => {
  clearMocks()
  excelApi.clearProfiles()
  document.body.innerHTML = ''
})

const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
  profile: 'members',
  profile_name: '党员花名册',
  sheet: '花名册',
  header_row: 3,
  rows: 4,
  inserted: 2,
  updated: 1,
  unchanged: 0,
  invalid: 1,
  errors: [{ sheet: '花名册', row: 6, column: 'C', value: '110101199001010010', message: '公民身份号码校验位不正确' }],
  errors_omitted: [],
  unknown_columns: ['D列“籍贯”'],
  columns: [],
  missing: [],
  warnings: [],
  problems: [],
  needs_org: false,
  file_org: null,
  activity: null,
  needs_activity: false,
  created: { orgs: ['中共清河县恒达机械有限公司支部委员会'], units: [], instructors: [], covered: [] },
  dry_run: true,
  committed: false,
  ...over,
})

const report = (over: Partial<ImportSummary> = {}): ImportReport => ({
  summary: summary(over),
  mapping: [
    { column: 'A', header: '序号', target: '序号', field: null, kind: 'seq', guessed: false, note: '序号，导入时不用' },
    { column: 'B', header: '姓　名', target: '姓名', field: 'name', kind: 'field', guessed: false, note: null },
    { column: 'C', header: '身份证号', target: '公民身份号码', field: 'id_number', kind: 'field', guessed: false, note: null },
    { column: 'D', header: '籍贯', target: null, field: null, kind: null, guessed: false, note: '未识别，导入时忽略' },
  ],
  missing: [
    { header: '入党日期', required: true },
    { header: '手机号码', required: false },
  ],
  errors_total: 1,
})

const profiles = [
  { id: 'members', name: '党员花名册', entity: 'member', columns: 21, import_only: false },
  { id: 'units', name: '两新组织台账', entity: 'unit', columns: 25, import_only: false },
]

function router() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/members', component: { template: '<div />' } },
    ],
  })
}

const $ = (css: string) => document.querySelector<HTMLElement>(css)
const text = (css: string) => $(css)?.textContent ?? ''
async function settle() {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
}

describe('paths and wording', () => {
  it('builds file names and paths on both kinds of system', () => {
    expect(joinPath('/home/wang/文档', '党员花名册-2026-11-21.xlsx')).toBe('/home/wang/文档/党员花名册-2026-11-21.xlsx')
    expect(joinPath('C:\\Users\\王\\Documents\\', 'a.xlsx')).toBe('C:\\Users\\王\\Documents\\a.xlsx')
    expect(baseName('C:\\表格\\花名册.xls')).toBe('花名册.xls')
    expect(dirName('/tmp/花名册.xlsx')).toBe('/tmp')
    expect(errorsBookPath('/tmp/花名册.XLS')).toBe('/tmp/花名册-错误标注.xlsx')
    expect(errorsBookPath('D:\\台账\\花名册.xlsx')).toBe('D:\\台账\\花名册-错误标注.xlsx')
    expect(defaultFileName('党员花名册', '2026-11-21')).toBe('党员花名册-2026-11-21.xlsx')
    expect(defaultFileName('党员花名册', '2026-11-21', '城关镇')).toBe('党员花名册-城关镇-2026-11-21.xlsx')
  })

  it('allows the import only when the policy and the rows allow it', () => {
    expect(importBlock(summary(), false)).toMatch(/1 行有错误.*跳过有错误的行/)
    expect(importBlock(summary(), true)).toBeNull()
    expect(importBlock(summary({ invalid: 0, errors: [] }), false)).toBeNull()
    expect(importBlock(summary({ rows: 0, inserted: 0, updated: 0, invalid: 0 }), true)).toMatch(/没有数据行/)
    expect(importBlock(summary({ inserted: 0, updated: 0, unchanged: 4, invalid: 0 }), false)).toMatch(/完全相同/)
    expect(importBlock(summary({ inserted: 0, updated: 0, unchanged: 3 }), true)).toMatch(/其余各行与台账相同/)
  })

  it('says what was created and what the import did', () => {
    expect(createdText({ orgs: ['甲支部', '乙支部'], units: ['丙公司'], instructors: [], covered: [] })).toBe(
      '党组织 2 个：甲支部、乙支部；单位 1 个：丙公司',
    )
    expect(createdText({ orgs: [], units: [], instructors: [], covered: [] })).toBe('')
    expect(createdText({ orgs: ['a', 'b', 'c'], units: [], instructors: [], covered: [] }, 2)).toBe('党组织 3 个：a、b 等')
    expect(resultText(summary({ committed: true, dry_run: false }))).toBe(
      '已导入党员花名册：新增 2 条，更新 1 条，无变化 0 条，跳过有错误的 1 行',
    )
    expect(resultText(summary({ committed: false, dry_run: false }))).toMatch(/没有导入：有 1 行有错误/)
  })

  it('words the core’s progress reports', () => {
    expect(progressText({ phase: 'check', done: 1000, total: 4000 })).toEqual({ text: '校验 1,000 / 4,000 行', percent: 25 })
    expect(progressText({ phase: 'write', done: 4000, total: 4000 }).percent).toBe(100)
    expect(progressText({ phase: 'read', done: 0, total: 0 })).toEqual({ text: '读取……', percent: null })
  })

  it('asks before replacing a file, and only then', async () => {
    const calls: boolean[] = []
    const write = async (overwrite: boolean) => {
      calls.push(overwrite)
      if (!overwrite) throw { code: 'exists', message: '文件“/tmp/a.xlsx”已存在，要替换它吗？' }
      return 'ok'
    }
    const asked: string[] = []
    expect(await withOverwrite(write, async (m) => (asked.push(m), true))).toBe('ok')
    expect(calls).toEqual([false, true])
    expect(asked[0]).toContain('已存在')
    calls.length = 0
    expect(await withOverwrite(write, async () => false)).toBeUndefined()
    expect(calls).toEqual([false])
    // other errors are not a question
    const broken = async () => {
      throw { code: 'io', message: '磁盘已满' }
    }
    await expect(withOverwrite(broken, async () => true)).rejects.toMatchObject({ code: 'io', message: '磁盘已满' })
    // a path the save dialog already confirmed is written at once
    calls.length = 0
    expect(await withOverwrite(write, async () => false, true)).toBe('ok')
    expect(calls).toEqual([true])
  })
})

describe('导入 wizard', () => {
  it('goes from file to mapping to preview to import, skipping the invalid row', async () => {
    const seen: Record<string, unknown>[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'excel_profiles') return profiles
      if (cmd === 'import_excel') {
        const input = (args as { input: Record<string, unknown> }).input
        seen.push(input)
        if (input.dryRun) return report()
        return report({ dry_run: false, committed: true })
      }
      if (cmd === 'save_errors_book') {
        seen.push({ errorsBook: (args as { input: Record<string, unknown> }).input })
        return (args as { input: { dest: string } }).input.dest
      }
    })
    const r = router()
    const w = mount(ImportWizard, { global: { plugins: [ElementPlus, r] }, attachTo: document.body })
    await settle()
    // 1 选择文件: the import is refused without a file, with a word on what to do
    $('[data-testid="import-next"]')!.click()
    await settle()
    expect(text('[data-testid="import-error"]')).toContain('请先选择要导入的 Excel 文件')
    const input = $('input[data-testid="import-path"]') as HTMLInputElement
    input.value = '/tmp/花名册.xlsx'
    input.dispatchEvent(new Event('input'))
    await settle()
    $('[data-testid="import-next"]')!.click()
    await settle()
    expect(seen[0]).toEqual({ path: '/tmp/花名册.xlsx', profile: undefined, dryRun: true })
    // 2 识别表格: the table, each header's target, the ignored and the missing columns
    expect(text('[data-testid="import-detected"]')).toContain('工作表“花名册”')
    expect(text('[data-testid="import-detected"]')).toContain('表头在第 3 行')
    const mapping = text('[data-testid="import-mapping"]')
    expect(mapping).toContain('身份证号')
    expect(mapping).toContain('公民身份号码')
    expect(mapping).toContain('不导入')
    expect(text('[data-testid="import-missing"]')).toContain('入党日期（必填）')
    $('[data-testid="import-to-preview"]')!.click()
    await settle()
    // 3 预览检查: counts, what is created, the bad cell; the import waits for a policy
    expect(text('[data-testid="count-inserted"]')).toContain('2')
    expect(text('[data-testid="count-invalid"]')).toContain('1')
    expect(text('[data-testid="import-created"]')).toContain('中共清河县恒达机械有限公司支部委员会')
    const errors = text('[data-testid="import-errors"]')
    expect(errors).toContain('公民身份号码校验位不正确')
    expect(errors).toContain('110101199001010010')
    expect(text('[data-testid="import-block"]')).toContain('1 行有错误')
    expect(($('[data-testid="import-run"]') as HTMLButtonElement).disabled).toBe(true)
    // the errors workbook goes beside the file unless the user says otherwise
    $('[data-testid="import-save-errors"]')!.click()
    await settle()
    expect(($('input[data-testid="errors-dest"]') as HTMLInputElement).value).toBe('/tmp/花名册-错误标注.xlsx')
    $('[data-testid="errors-save"]')!.click()
    await settle()
    expect(seen[1]).toEqual({
      errorsBook: { path: '/tmp/花名册.xlsx', profile: undefined, dest: '/tmp/花名册-错误标注.xlsx', overwrite: false },
    })
    expect(text('[data-testid="saved-path"]')).toBe('/tmp/花名册-错误标注.xlsx')
    // skip the invalid row and import
    ;($('[data-testid="import-skip-invalid"] input') as HTMLInputElement).click()
    await settle()
    expect($('[data-testid="import-block"]')).toBeNull()
    expect(($('[data-testid="import-run"]') as HTMLButtonElement).disabled).toBe(false)
    expect(text('[data-testid="import-run"]')).toContain('导入正确的 3 行')
    $('[data-testid="import-run"]')!.click()
    await settle()
    expect(seen[2]).toEqual({ path: '/tmp/花名册.xlsx', profile: 'members', dryRun: false, skipInvalid: true })
    // 4 完成
    expect(text('[data-testid="import-result"]')).toContain('新增 2 条')
    expect(text('[data-testid="import-result"]')).toContain('跳过有错误的 1 行')
    $('[data-testid="import-open-screen"]')!.click()
    await settle()
    expect(r.currentRoute.value.path).toBe('/members')
    w.unmount()
  })

  it('asks for the org of a sheet that names none, marks guessed columns, and carries the choice through', async () => {
    const ORG = '中共清河县恒达机械有限公司支部委员会'
    const PROBLEM = '文件中没有“所在党支部”列（必须填写）：请为全部行选择所在的党组织，或在表格中加上这一列'
    const GUESS = '按含义认出的列（请核对）：E列“联系方式” → 手机号码'
    const seen: Record<string, unknown>[] = []
    const guessedMapping = [
      { column: 'B', header: '姓名', target: '姓名', field: 'name', kind: 'field', guessed: false, note: null },
      { column: 'E', header: '联系方式', target: '手机号码', field: 'phone', kind: 'field', guessed: true, note: null },
    ]
    mockIPC((cmd, args) => {
      if (cmd === 'excel_profiles') return profiles
      if (cmd === 'list') return { rows: [{ id: 'o1', name: ORG }], total: 1 }
      if (cmd === 'import_excel') {
        const input = (args as { input: Record<string, unknown> }).input
        seen.push(input)
        const chosen = input.org as string | undefined
        const over: Partial<ImportSummary> = chosen
          ? { file_org: chosen, invalid: 0, errors: [], warnings: [GUESS], committed: !input.dryRun, dry_run: !!input.dryRun }
          : { needs_org: true, problems: [PROBLEM], warnings: [GUESS], inserted: 0, updated: 0, invalid: 0, errors: [] }
        return { ...report(over), mapping: guessedMapping }
      }
    })
    const w = mount(ImportWizard, {
      props: { initialPath: '/tmp/无支部列的名单.xlsx' },
      global: { plugins: [ElementPlus, router()] },
      attachTo: document.body,
    })
    await settle()
    $('[data-testid="import-next"]')!.click()
    await settle()
    // the file-level problem, said once; the guess marked on its row and listed to check
    expect(text('[data-testid="import-problems"]')).toContain('没有“所在党支部”列')
    expect(document.querySelectorAll('[data-testid="import-guessed"]').length).toBe(1)
    expect(text('[data-testid="import-mapping"]')).toContain('按含义认出，请核对')
    expect(text('[data-testid="import-warnings"]')).toContain('联系方式')
    expect(($('[data-testid="import-to-preview"]') as HTMLButtonElement).disabled).toBe(true)
    expect(($('[data-testid="import-org-apply"]') as HTMLButtonElement).disabled).toBe(true)
    // choose the org for every row: the file is checked again with it
    const select = w.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'import-org')!
    select.vm.$emit('update:modelValue', ORG)
    await settle()
    $('[data-testid="import-org-apply"]')!.click()
    await settle()
    expect(seen[1]).toMatchObject({ path: '/tmp/无支部列的名单.xlsx', dryRun: true, org: ORG })
    expect($('[data-testid="import-problems"]')).toBeNull()
    expect(($('[data-testid="import-to-preview"]') as HTMLButtonElement).disabled).toBe(false)
    $('[data-testid="import-to-preview"]')!.click()
    await settle()
    $('[data-testid="import-run"]')!.click()
    await settle()
    expect(seen[2]).toMatchObject({ dryRun: false, org: ORG })
    expect(text('[data-testid="import-result"]')).toContain('已导入')
    w.unmount()
  })

  it('asks which activity a sign-in sheet is for and passes the choice on', async () => {
    const seen: Record<string, unknown>[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'excel_profiles') return profiles
      if (cmd === 'list_records') {
        return {
          rows: [{ id: 'a1', held_on: '2026-11-05', topic: '重温入党誓词', org_id: 'o1' }],
          total: 1,
          names: { o1: '中共清河县恒达机械有限公司支部委员会' },
        }
      }
      if (cmd === 'import_excel') {
        const input = (args as { input: Record<string, unknown> }).input
        seen.push(input)
        const over: Partial<ImportSummary> = input.activity
          ? { profile: 'attendance', profile_name: '出席签到表', activity: '2026-11-05 主题党日“重温入党誓词”', invalid: 0, errors: [] }
          : { profile: 'attendance', profile_name: '出席签到表', needs_activity: true, problems: ['不知道这份签到表是哪一次会议或活动的'], invalid: 0, errors: [] }
        return report(over)
      }
    })
    const w = mount(ImportWizard, {
      props: { initialPath: '/tmp/签到表.xlsx' },
      global: { plugins: [ElementPlus, router()] },
      attachTo: document.body,
    })
    await settle()
    $('[data-testid="import-next"]')!.click()
    await settle()
    expect(text('[data-testid="import-problems"]')).toContain('哪一次会议或活动')
    expect($('[data-testid="import-activity-choice"]')).not.toBeNull()
    expect($('[data-testid="import-org-choice"]')).toBeNull()
    const select = w.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'import-activity')!
    select.vm.$emit('visible-change', true)
    await settle()
    expect(seen.length).toBe(1)
    select.vm.$emit('update:modelValue', 'a1')
    await settle()
    $('[data-testid="import-activity-apply"]')!.click()
    await settle()
    expect(seen[1]).toMatchObject({ dryRun: true, activity: 'a1' })
    expect($('[data-testid="import-problems"]')).toBeNull()
    w.unmount()
  })

  it('refuses to go on while the file has a problem', () => {
    const s = summary({ problems: ['文件中没有“姓名”列（必须填写）'], invalid: 0 })
    expect(importBlock(s, true)).toMatch(/文件有问题/)
    expect(resultText({ ...s, dry_run: false })).toBe('没有导入：文件中没有“姓名”列（必须填写）')
  })

  it('shows why a file cannot be read and stays on the first step', async () => {
    mockIPC((cmd) => {
      if (cmd === 'excel_profiles') return profiles
      if (cmd === 'import_excel') throw { code: 'bad_file', message: '文件已损坏或不是 Excel 文件' }
    })
    const w = mount(ImportWizard, {
      props: { initialPath: '/tmp/坏文件.xlsx', initialProfile: 'units' },
      global: { plugins: [ElementPlus, router()] },
      attachTo: document.body,
    })
    await settle()
    $('[data-testid="import-next"]')!.click()
    await settle()
    expect(text('[data-testid="import-error"]')).toContain('文件已损坏或不是 Excel 文件')
    expect(text('[data-testid="import-error"]')).toContain('可以在“表格类型”中选定后再试')
    expect($('[data-testid="import-mapping"]')).toBeNull()
    expect($('[data-testid="import-path"]')).not.toBeNull()
    w.unmount()
  })

  it('goes on to recognise a file picked in the open dialog', async () => {
    const asked: unknown[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'excel_profiles') return profiles
      if (cmd === 'import_excel') {
        asked.push((args as { input: { path: string } }).input.path)
        return report()
      }
    })
    window.__taizhangDialogAnswers = ['/home/wang/花名册.xls']
    const w = mount(ImportWizard, { global: { plugins: [ElementPlus, router()] }, attachTo: document.body })
    await settle()
    $('[data-testid="import-path-browse"]')!.click()
    await settle()
    expect(asked).toEqual(['/home/wang/花名册.xls'])
    expect(text('[data-testid="import-detected"]')).toContain('花名册.xls')
    w.unmount()
  })

  it('reads the file again as the table the user picks', async () => {
    const asked: unknown[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'excel_profiles') return profiles
      if (cmd === 'import_excel') {
        const input = (args as { input: { profile?: string } }).input
        asked.push(input.profile)
        return input.profile === 'units'
          ? report({ profile: 'units', profile_name: '两新组织台账', invalid: 0, errors: [] })
          : report()
      }
    })
    const w = mount(ImportWizard, {
      props: { initialPath: '/tmp/花名册.xlsx' },
      global: { plugins: [ElementPlus, router()] },
      attachTo: document.body,
    })
    await settle()
    $('[data-testid="import-next"]')!.click()
    await settle()
    // the 识别为 select is the one in the facts line
    const select = w.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'import-as')
    select!.vm.$emit('update:modelValue', 'units')
    await settle()
    expect(asked).toEqual([undefined, 'units'])
    expect(text('[data-testid="import-detected"]')).toContain('工作表')
    $('[data-testid="import-to-preview"]')!.click()
    await settle()
    expect(($('[data-testid="import-run"]') as HTMLButtonElement).disabled).toBe(false)
    w.unmount()
  })
})

describe('导入 progress', () => {
  it('shows the core’s progress while a long preview runs', async () => {
    let finish: (r: ImportReport) => void = () => undefined
    let channel: { onmessage: (p: unknown) => void } | undefined
    mockIPC((cmd, args) => {
      if (cmd === 'excel_profiles') return profiles
      if (cmd === 'import_excel') {
        channel = (args as { onProgress: { onmessage: (p: unknown) => void } }).onProgress
        return new Promise<ImportReport>((resolve) => (finish = resolve))
      }
    })
    const w = mount(ImportWizard, {
      props: { initialPath: '/tmp/大花名册.xlsx' },
      global: { plugins: [ElementPlus, router()] },
      attachTo: document.body,
    })
    await settle()
    $('[data-testid="import-next"]')!.click()
    await settle()
    expect(text('[data-testid="import-busy"]')).toContain('正在读取并检查“大花名册.xlsx”')
    expect(channel).toBeDefined()
    channel!.onmessage({ phase: 'check', done: 5000, total: 20000 })
    await settle()
    expect(text('[data-testid="import-busy"]')).toContain('校验 5,000 / 20,000 行')
    expect(text('[data-testid="import-progress"]')).toContain('25%')
    finish(report())
    await settle()
    expect($('[data-testid="import-busy"]')).toBeNull()
    expect(text('[data-testid="import-detected"]')).toContain('表头在第 3 行')
    w.unmount()
  })
})

describe('导出', () => {
  it('suggests a file in the documents folder, exports and says where it went', async () => {
    const seen: Record<string, unknown>[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'excel_defaults')
        return { dir: '/home/wang/文档', today: '2026-11-21', areas: ['城关镇', '河西乡'], report_unit: '中共清河县委社会工作部', operator: '王' }
      if (cmd === 'list_records') return { rows: [], total: 0, names: {} }
      if (cmd === 'export_excel') {
        const input = (args as { input: Record<string, unknown> }).input
        seen.push(input)
        return { profile: 'members', rows: 125, path: input.dest }
      }
    })
    const w = mount(ExportDialog, {
      props: { visible: true, profile: 'members', title: '党员花名册' },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await settle()
    const dest = $('input[data-testid="export-dest"]') as HTMLInputElement
    expect(dest.value).toBe('/home/wang/文档/党员花名册-2026-11-21.xlsx')
    expect(text('[data-testid="export-dialog"]')).toContain('中共清河县委社会工作部')
    $('[data-testid="export-run"]')!.click()
    await settle()
    expect(seen).toEqual([
      { profile: 'members', dest: '/home/wang/文档/党员花名册-2026-11-21.xlsx', org: undefined, area: undefined, overwrite: false },
    ])
    expect(text('[data-testid="saved-file"]')).toContain('已导出党员花名册 125 行')
    expect(text('[data-testid="saved-path"]')).toBe('/home/wang/文档/党员花名册-2026-11-21.xlsx')
    w.unmount()
  })

  it('shows the core’s message when the export fails', async () => {
    mockIPC((cmd) => {
      if (cmd === 'excel_defaults') return { dir: '/tmp', today: '2026-11-21', areas: [], report_unit: null, operator: '王' }
      if (cmd === 'list_records') return { rows: [], total: 0, names: {} }
      if (cmd === 'export_excel') throw { code: 'input', message: '文件夹“/没有”不存在：请选择一个已有的文件夹' }
    })
    const w = mount(ExportDialog, {
      props: { visible: true, profile: 'units', title: '两新组织台账' },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await settle()
    expect(text('[data-testid="export-dialog"]')).toContain('未设置')
    $('[data-testid="export-run"]')!.click()
    await settle()
    expect(text('[data-testid="export-error"]')).toContain('不存在')
    expect($('[data-testid="saved-file"]')).toBeNull()
    w.unmount()
  })
})
