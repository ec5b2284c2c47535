// End-to-end tests of Excel in the real desktop app: import a roster through the wizard
// (mapping, preview with a bad 身份证号, skip-invalid import, the members listed), export the
// roster and re-import it unchanged, write the annual report. Native file dialogs cannot be
// driven: the tests type paths into the wizard's and the export's path boxes.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { idNumber, sleep, useApp } from './harness.mjs'
import { writeXlsx } from './xlsx.mjs'

// its own ports: the previous file's driver may still be releasing the default ones
const app = useApp({ name: 'excel', portOffset: 10, env: { TAIZHANG_TODAY: '2026-11-21' } })
const { shot, closeOverlays, go, messagesGone } = app
const driver = app.client
const work = mkdtempSync(join(tmpdir(), 'taizhang-e2e-files-'))

const ORG = '中共清河县端到端测试科技有限公司支部委员会'
const UNIT = '清河县端到端测试科技有限公司'
const NAMES = ['张建华', '李秀英', '王志强', '刘桂兰', '陈国栋']
const BAD_NAME = '赵错号'
const good = (i) => idNumber(`3301231985${String(i + 1).padStart(2, '0')}15${String(10 + i).padStart(3, '0')}`.slice(0, 17))
const badId = (() => {
  const ok = idNumber('33012319900101123')
  return ok.slice(0, 17) + (ok[17] === '0' ? '1' : '0')
})()

/** A roster as counties send them: a title, a 填报单位 line, headers in their own words. */
function roster(path) {
  writeXlsx(
    path,
    [
      ['清河县两新组织党员花名册'],
      ['填报单位：清河县委社会工作部', '', '', '', '', '填报日期：2026年11月21日'],
      ['序号', '姓名', '身份证号', '所在党支部', '入党时间', '工作单位', '手机号码', '籍贯'],
      ...NAMES.map((n, i) => [i + 1, n, good(i), ORG, `201${i}.7.1`, UNIT, `1380571000${i}`, '浙江']),
      [6, BAD_NAME, badId, ORG, '2016-07-01', UNIT, '', '江苏'],
      ['合计', '6 人'],
    ],
    '花名册',
  )
}

async function waitFile(path, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} was not written`)
    await sleep(200)
  }
  return statSync(path)
}

describe('Excel 导入导出 in the desktop app', () => {
  const source = join(work, '清河县党员花名册.xlsx')
  const exported = join(work, '导出-党员花名册.xlsx')

  it('imports a roster: mapping, preview with the bad 身份证号, skipping it, the members listed', async () => {
    roster(source)
    await go('excel')
    await driver.waitFor('[data-testid="import-wizard"]')
    await driver.type('input[data-testid="import-path"]', source)
    await shot('20-导入-选择文件')
    await driver.click('[data-testid="import-next"]')

    // the table recognised and how each header maps
    await driver.waitFor('[data-testid="import-mapping"]', { text: '公民身份号码', timeoutMs: 30000 })
    const detected = await driver.textOf('[data-testid="import-detected"]')
    assert.match(detected, /工作表“花名册”/)
    assert.match(detected, /表头在第 3 行/)
    assert.match(detected, /数据 6 行/)
    const mapping = await driver.exec(
      `return [...document.querySelectorAll('[data-testid="import-mapping"] .el-table__body tr')].map(r => [...r.children].map(c => c.textContent.trim()))`,
    )
    const row = (h) => mapping.find((r) => r[1] === h)
    assert.deepEqual(row('身份证号').slice(0, 3), ['C', '身份证号', '公民身份号码'])
    assert.deepEqual(row('入党时间').slice(0, 3), ['E', '入党时间', '入党日期'])
    assert.equal(row('籍贯')[2], '不导入')
    assert.match(detected, /识别为\s*党员花名册/)
    await shot('21-导入-识别表格')

    // the dry-run preview: counts, the records it creates, the bad cell
    await driver.click('[data-testid="import-to-preview"]')
    await driver.waitFor('[data-testid="import-counts"]')
    const count = async (k) => Number((await driver.textOf(`[data-testid="count-${k}"] .num`)) || NaN)
    assert.equal(await count('inserted'), 5)
    assert.equal(await count('updated'), 0)
    assert.equal(await count('unchanged'), 0)
    assert.equal(await count('invalid'), 1)
    const created = await driver.textOf('[data-testid="import-created"]')
    assert.ok(created.includes(ORG) && created.includes(UNIT), created)
    const errors = await driver.exec(
      `return [...document.querySelectorAll('[data-testid="import-errors"] .el-table__body tr')].map(r => [...r.children].map(c => c.textContent.trim()))`,
    )
    assert.equal(errors.length, 1, JSON.stringify(errors))
    const [sheet, line, col, value, message] = errors[0]
    assert.deepEqual([sheet, line, col, value], ['花名册', '9', 'C', badId])
    assert.match(message, /校验/)
    assert.match(await driver.textOf('[data-testid="import-block"]'), /1 行有错误/)
    assert.equal(await driver.exec(`return document.querySelector('[data-testid="import-run"]').disabled`), true)
    // nothing written by the preview
    assert.equal((await driver.invoke('list_records', { entity: 'member', limit: 1 })).total, 0)
    await shot('22-导入-预览检查')

    // the errors workbook, beside the file
    await driver.click('[data-testid="import-save-errors"]')
    await driver.waitFor('[data-testid="errors-dialog"]')
    const dest = await driver.exec(`return document.querySelector('input[data-testid="errors-dest"]').value`)
    assert.equal(dest, join(work, '清河县党员花名册-错误标注.xlsx'))
    await driver.click('[data-testid="errors-save"]')
    await driver.waitFor('[data-testid="saved-path"]', { text: '错误标注' })
    assert.ok((await waitFile(dest)).size > 1000)

    // import the valid rows
    await driver.click('[data-testid="import-skip-invalid"]')
    await driver.waitGone('[data-testid="import-block"]')
    assert.match(await driver.textOf('[data-testid="import-run"]'), /导入正确的 5 行/)
    await driver.click('[data-testid="import-run"]')
    await driver.waitFor('[data-testid="import-result"]', { text: '新增 5 条', timeoutMs: 30000 })
    assert.match(await driver.textOf('[data-testid="import-result"]'), /跳过有错误的 1 行/)
    await messagesGone()
    await shot('23-导入-完成')

    // the members are in 党员
    await driver.click('[data-testid="import-open-screen"]')
    await driver.waitFor('[data-testid="table-member"] .el-table__row', { text: NAMES[0], timeoutMs: 20000 })
    const listed = await driver.invoke('list_records', { entity: 'member', limit: 50 })
    assert.equal(listed.total, 5)
    assert.deepEqual(listed.rows.map((r) => r.name).sort(), [...NAMES].sort())
    assert.ok(listed.rows.every((r) => listed.names[r.org_id] === ORG))
    const shown = await driver.exec(
      `return [...document.querySelectorAll('[data-testid="table-member"] .el-table__body tr')].map(r => r.textContent)`,
    )
    for (const n of NAMES) assert.ok(shown.some((t) => t.includes(n)), `${n} listed`)
    assert.ok(!shown.some((t) => t.includes(BAD_NAME)))
    await shot('24-党员-导入之后')
  })

  it('exports the roster from 党员 and re-imports it with every row unchanged', async () => {
    await driver.click('[data-testid="table-export"]')
    await driver.waitFor('[data-testid="export-dialog"]', { text: '保存到' })
    const suggested = await driver.exec(`return document.querySelector('input[data-testid="export-dest"]').value`)
    assert.match(suggested, /党员花名册-2026-11-21\.xlsx$/)
    await driver.type('input[data-testid="export-dest"]', exported)
    await shot('25-导出-党员花名册')
    await driver.click('[data-testid="export-run"]')
    await driver.waitFor('[data-testid="export-dialog"] [data-testid="saved-file"]', { text: '已导出党员花名册 5 行', timeoutMs: 30000 })
    assert.equal(await driver.textOf('[data-testid="export-dialog"] [data-testid="saved-path"]'), exported)
    assert.ok((await waitFile(exported)).size > 3000)
    await shot('26-导出-完成')
    await driver.click('[data-testid="export-close"]')
    await driver.waitGone('[data-testid="export-dialog"]')

    // exporting again to the same file asks first
    await driver.click('[data-testid="table-export"]')
    await driver.waitFor('[data-testid="export-dialog"]', { text: '保存到' })
    await driver.type('input[data-testid="export-dest"]', exported)
    await driver.click('[data-testid="export-run"]')
    await driver.waitFor('.el-message-box', { text: '已存在' })
    await driver.clickText('.el-message-box button', '取消')
    await driver.waitGone('.el-message-box')
    await closeOverlays()

    // this time through 选择文件… (its native dialog answered through the app's test seam):
    // picking a file goes straight on to recognising it
    await go('excel')
    await driver.waitFor('[data-testid="import-wizard"]')
    await driver.exec(`(window.__taizhangDialogAnswers ??= []).push(arguments[0])`, [exported])
    await driver.click('[data-testid="import-path-browse"]')
    await driver.waitFor('[data-testid="import-mapping"]', { text: '系统编号', timeoutMs: 30000 })
    await driver.click('[data-testid="import-to-preview"]')
    await driver.waitFor('[data-testid="import-counts"]')
    const count = async (k) => Number(await driver.textOf(`[data-testid="count-${k}"] .num`))
    assert.deepEqual(
      [await count('inserted'), await count('updated'), await count('unchanged'), await count('invalid')],
      [0, 0, 5, 0],
    )
    assert.match(await driver.textOf('[data-testid="import-block"]'), /完全相同/)
    await shot('27-导入-导出文件无变化')
  })

  it('reports the progress of a long preview to the window', async () => {
    const big = join(work, '大花名册.xlsx')
    const rows = Array.from({ length: 2500 }, (_, i) => {
      const first17 = `3301231980${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}${String(100 + Math.floor(i / 84))}`
      return [i + 1, `党员${i + 1}`, idNumber(first17.slice(0, 17)), ORG, '2010-07-01']
    })
    writeXlsx(big, [['序号', '姓名', '公民身份号码', '所在党支部', '入党日期'], ...rows])
    const out = await driver.cmd('POST', '/execute/async', {
      script: `const [path, done] = arguments;
               const got = [];
               const id = window.__TAURI_INTERNALS__.transformCallback((m) => got.push(m));
               window.__TAURI_INTERNALS__.invoke('import_excel', { input: { path, dryRun: true }, onProgress: '__CHANNEL__:' + id })
                 .then(r => setTimeout(() => done({ rows: r.summary.rows, got }), 500), e => done({ err: e }))`,
      args: [big],
    })
    assert.ok(!out.err, JSON.stringify(out.err))
    assert.equal(out.rows, 2500)
    const reports = out.got.map((m) => m?.message ?? m).filter((m) => m && m.phase)
    assert.ok(reports.some((p) => p.phase === 'check' && p.done >= 1000 && p.total >= p.done), JSON.stringify(out.got.slice(0, 5)))

    // an export reports too, ending with every row written
    const exp = await driver.cmd('POST', '/execute/async', {
      script: `const [dest, done] = arguments;
               const got = [];
               const id = window.__TAURI_INTERNALS__.transformCallback((m) => got.push(m));
               window.__TAURI_INTERNALS__.invoke('export_excel', { input: { profile: 'members', dest }, onProgress: '__CHANNEL__:' + id })
                 .then(r => setTimeout(() => done({ rows: r.rows, got }), 500), e => done({ err: e }))`,
      args: [join(work, '进度-党员花名册.xlsx')],
    })
    assert.ok(!exp.err, JSON.stringify(exp.err))
    const written = exp.got.map((m) => m?.message ?? m).filter((m) => m && m.phase === 'write')
    assert.ok(written.some((p) => p.done === exp.rows && p.total === exp.rows), JSON.stringify(exp.got))
  })

  it('lists every table for 导出 and writes the annual report', async () => {
    await driver.clickText('.el-tabs__item', '导出')
    await driver.waitFor('[data-testid="export-members"]')
    const names = await driver.exec(`return [...document.querySelectorAll('.export-title')].map(e => e.textContent.trim())`)
    for (const n of ['党员花名册', '两新组织台账', '党组织名册', '三会一课登记表', '十个有检查表', '党费收缴登记表']) {
      assert.ok(names.includes(n), `${n} offered: ${names}`)
    }
    await shot('28-导出-各表')
    await driver.clickText('.el-tabs__item', '年报')
    await driver.waitFor('[data-testid="annual-report"]')
    const out = join(work, '2026年报.xlsx')
    await driver.type('input[data-testid="annual-dest"]', out)
    await driver.click('[data-testid="annual-run"]')
    await driver.waitFor('[data-testid="annual-report"] [data-testid="saved-file"]', { text: '2026 年度', timeoutMs: 60000 })
    assert.ok((await waitFile(out)).size > 5000)
    const figures = await driver.textOf('[data-testid="annual-figures"]')
    assert.match(figures, /在册党员\s*5 名/)
    await shot('29-年报')
  })

  it('imports a list that names no branch: the problem said once, the org chosen for the file, the guess marked', async () => {
    const list = join(work, '新党员名单.xlsx')
    const NEW = ['孙立新', '周晓梅']
    writeXlsx(
      list,
      [
        ['序号', '姓名', '公民身份号码', '入党时间', '本人联系方式'],
        ...NEW.map((n, i) => [i + 1, n, good(5 + i), '2020-07-01', `1390571100${i}`]),
      ],
      '名单',
    )
    // away and back: a fresh wizard
    await go('members')
    await go('excel')
    await driver.waitFor('input[data-testid="import-path"]')
    await driver.type('input[data-testid="import-path"]', list)
    await driver.click('[data-testid="import-next"]')
    await driver.waitFor('[data-testid="import-problems"]', { text: '所在党支部', timeoutMs: 30000 })
    // the column found by its meaning is marked, and listed to check
    const guessed = await driver.exec(
      `return [...document.querySelectorAll('[data-testid="import-mapping"] .el-table__body tr')].filter(r => r.querySelector('[data-testid="import-guessed"]')).map(r => r.children[1].textContent.trim())`,
    )
    assert.deepEqual(guessed, ['本人联系方式'])
    assert.match(await driver.textOf('[data-testid="import-warnings"]'), /本人联系方式/)
    assert.equal(await driver.exec(`return document.querySelector('[data-testid="import-to-preview"]').disabled`), true)
    await shot('30-导入-没有党支部列')

    // choose the org for every row from the ledger's orgs, and check again
    await app.pick('import-org', ORG)
    await driver.click('[data-testid="import-org-apply"]')
    await driver.waitGone('[data-testid="import-problems"]', { timeoutMs: 30000 })
    await shot('31-导入-选定党组织')
    await driver.click('[data-testid="import-to-preview"]')
    await driver.waitFor('[data-testid="import-counts"]')
    assert.equal(Number(await driver.textOf('[data-testid="count-inserted"] .num')), 2)
    assert.equal(Number(await driver.textOf('[data-testid="count-invalid"] .num')), 0)
    await driver.click('[data-testid="import-run"]')
    await driver.waitFor('[data-testid="import-result"]', { text: '新增 2 条', timeoutMs: 30000 })
    const listed = await driver.invoke('list_records', { entity: 'member', search: NEW[0], limit: 5 })
    assert.equal(listed.total, 1)
    assert.equal(listed.names[listed.rows[0].org_id], ORG)
    assert.equal(listed.rows[0].phone, '13905711000')
  })

  it('imports a sign-in sheet into the meeting its title names', async () => {
    const orgs = await driver.invoke('list_records', { entity: 'org', search: '端到端测试科技', limit: 5 })
    const orgId = orgs.rows.find((o) => o.name === ORG).id
    const added = await driver.invoke('add_record', {
      entity: 'activity',
      fields: { org_id: orgId, types: '主题党日', held_on: '2026-11-05', topic: '端到端签到', expected: '0', present: '0' },
    })
    const sheet = join(work, '签到表.xlsx')
    writeXlsx(
      sheet,
      [
        [`${ORG}2026年11月5日主题党日签到表`],
        ['序号', '姓名', '出席情况', '请假原因'],
        [1, NAMES[0], '出席', ''],
        [2, NAMES[1], '病假', ''],
        [3, NAMES[2], '√', ''],
      ],
      '签到',
    )
    await go('members')
    await go('excel')
    await driver.waitFor('input[data-testid="import-path"]')
    await driver.type('input[data-testid="import-path"]', sheet)
    await driver.click('[data-testid="import-next"]')
    // the meeting found from the title's org and date, said so to check
    await driver.waitFor('[data-testid="import-warnings"]', { text: '端到端签到', timeoutMs: 30000 })
    assert.match(await driver.textOf('[data-testid="import-warnings"]'), /按标题中的党组织和日期/)
    assert.match(await driver.textOf('[data-testid="import-detected"]'), /识别为\s*出席签到表/)
    await shot('32-导入-签到表')
    await driver.click('[data-testid="import-to-preview"]')
    await driver.waitFor('[data-testid="import-counts"]')
    assert.equal(Number(await driver.textOf('[data-testid="count-invalid"] .num')), 0)
    await driver.click('[data-testid="import-run"]')
    await driver.waitFor('[data-testid="import-result"]', { text: '已导入出席签到表', timeoutMs: 30000 })
    const got = await driver.invoke('get_record', { entity: 'activity', id: added.record.id })
    const byName = Object.fromEntries(got.record.attendance.map((a) => [got.names[a.member_id], a]))
    assert.equal(byName[NAMES[0]].present, true)
    assert.equal(byName[NAMES[1]].present, false)
    assert.equal(byName[NAMES[1]].reason, '病假')
    assert.equal(byName[NAMES[2]].present, true)
  })
})
