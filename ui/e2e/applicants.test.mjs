// 发展党员 on the desktop: the counts per stage, a person added and taken along the whole
// path through the forms (a step too early refused with its rule), ending as a 预备党员
// member; and a 工作台 finding that opens the person's path.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { idNumber, sleep, useApp } from './harness.mjs'

const app = useApp({ name: 'applicants', portOffset: 20, env: { TAIZHANG_TODAY: '2026-11-21' } })
const { shot, go, pick, messagesGone } = app
const driver = app.client

/** Open the step form from the path in the drawer, fill it, save; the message shown. */
async function step(name, { date, until, hours, text, people = [] }) {
  await driver.click(`[data-testid="do-step-${name}"]`)
  await driver.waitFor('.el-dialog', { text: name })
  await driver.type('[data-testid="step-date"] input', `${date}\uE007`)
  if (until) await driver.type('[data-testid="step-until"] input', `${until}\uE007`)
  if (hours) await driver.type('[data-testid="step-hours"] input', String(hours))
  if (text) await driver.type('input[data-testid="step-text"]', text)
  for (const p of people) {
    // A multiple select keeps the last search text: typed afresh for each person.
    await driver.click('[data-testid="step-people"]')
    await driver.type('[data-testid="step-people"] input', p)
    await driver.clickText('.el-select-dropdown__item', p)
    await sleep(200)
  }
  // An open date panel or list would take the click meant for the button.
  await driver.clickText('.el-dialog__title', name)
  await sleep(300)
  await driver.exec(
    `[...document.querySelectorAll('[data-testid="step-save"]')].find(e => e.getClientRects().length > 0).click()`,
  )
  await driver.waitFor('.el-message', { timeoutMs: 10000 })
  const msg = await driver.textOf('.el-message')
  return msg
}

describe('发展党员 screen', () => {
  let contacts

  it('shows the counts per stage and filters the list by a stage', async () => {
    await driver.invoke('load_demo', { units: 60 })
    await go('applicants')
    await driver.waitFor('[data-testid="table-applicant"] .el-table__row', { timeoutMs: 20000 })
    const counts = await driver.invoke('applicant_stage_counts', {})
    const of = (s) => counts.find((c) => c.stage === s).count
    for (const s of ['入党申请人', '入党积极分子', '发展对象', '预备党员']) assert.ok(of(s) > 0, `${s}: ${of(s)}`)
    await driver.waitFor('[data-testid="stage-入党积极分子"]', { text: String(of('入党积极分子')) })
    await shot('20-发展党员')
    await driver.click('[data-testid="stage-发展对象"]')
    await driver.waitFor('.el-pagination', { text: `共 ${of('发展对象')} 条` })
    await shot('21-发展党员-发展对象')
    await driver.click('[data-testid="stage-发展对象"]')
  })

  it('takes a person along the whole path, refusing a step before its time', async () => {
    // Two 正式党员 of one org: the 培养联系人 and 入党介绍人.
    const full = await driver.invoke('list_records', { entity: 'member', filters: { category: '正式党员', status: '在册' }, limit: 50 })
    const orgId = full.rows[0].org_id
    const same = full.rows.filter((m) => m.org_id === orgId)
    assert.ok(same.length >= 2, 'an org with two full members')
    contacts = same.slice(0, 2).map((m) => m.name)
    const org = full.names[orgId]

    await driver.click('[data-testid="table-add"]')
    await driver.waitFor('[data-testid="record-form"]')
    await driver.type('[data-testid="field-name"] input', '端到端申请人')
    await driver.type('[data-testid="field-id_number"] input', idNumber('33012319980315042'))
    await pick('field-org_id', org)
    await driver.type('[data-testid="field-applied_on"] input', '2024-01-10\uE007')
    await driver.click('[data-testid="form-save"]')
    await driver.waitFor('[data-testid="applicant-path"]', { text: '递交入党申请书', timeoutMs: 10000 })
    await messagesGone()
    const offered = await driver.exec(
      `return [...document.querySelectorAll('[data-testid="next-step"]')].map(e => e.textContent)`,
    )
    assert.equal(offered.length, 3, `only what the rules allow now: ${offered}`)
    assert.ok(offered[0].includes('谈话') && offered[1].includes('确定为入党积极分子'), `${offered}`)
    await shot('22-发展党员-新申请人的发展进程')

    assert.match(await step('谈话', { date: '2024-01-20' }), /已登记谈话/)
    await messagesGone()
    assert.match(
      await step('确定为入党积极分子', { date: '2024-02-01', people: contacts }),
      /已登记确定为入党积极分子/,
    )
    await messagesGone()
    // A year has not passed: refused, the rule and the earliest day named.
    const refused = await step('确定为发展对象', { date: '2024-12-01' })
    assert.match(refused, /最早 2025-02-01/, refused)
    assert.match(refused, /发展党员工作细则/, refused)
    await shot('23-发展党员-未满一年被拒')

    await driver.clickText('.el-dialog__footer button', '取消')
    await messagesGone()
    await sleep(400)
    for (const [name, args] of [
      ['确定为发展对象', { date: '2025-03-01' }],
      ['政治审查', { date: '2025-04-01', text: '政治审查合格' }],
      ['集中培训', { date: '2025-04-10', until: '2025-04-12', hours: 24 }],
      ['预审', { date: '2025-05-01' }],
      ['确定入党介绍人', { date: '2025-05-02' }],
    ]) {
      const msg = await step(name, args)
      assert.match(msg, new RegExp(`已登记${name}`), `${name}: ${msg}`)
      await messagesGone()
    }
    await shot('24-发展党员-发展对象待支部大会')
    const admitted = await step('支部大会接收', { date: '2025-06-01' })
    assert.match(admitted, /已建立预备党员记录/, admitted)
    await messagesGone()
    assert.match(await step('上级党委审批', { date: '2025-07-01' }), /已登记上级党委审批/)
    await messagesGone()
    await driver.waitFor('[data-testid="applicant-path"]', { text: '没有可办理的发展步骤' })
    await shot('25-发展党员-已接收为预备党员')
    const m = await driver.invoke('list_records', { entity: 'member', search: '端到端申请人' })
    assert.equal(m.total, 1)
    assert.equal(m.rows[0].category, '预备党员')
    assert.equal(m.rows[0].joined_on, '2025-06-01')
  })

  it('opens a person from an overdue step on the 工作台', async () => {
    await go('dashboard')
    await driver.waitFor('[data-testid="findings"]', { timeoutMs: 20000 })
    await driver.clickText('[data-testid="findings"] .el-tabs__item', '警告')
    await driver.clickText('[data-testid="findings"] .el-table__row', '入党申请人谈话逾期')
    await driver.waitFor('[data-testid="applicant-path"]', { text: '已逾期', timeoutMs: 15000 })
    await shot('26-发展党员-从工作台打开')
  })
})
