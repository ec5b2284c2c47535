import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { api, IpcError } from '../src/api/ipc'
import RecordForm from '../src/components/RecordForm.vue'
import type { FieldSpec } from '../src/api/types'

const memberSpecs: FieldSpec[] = [
  { name: 'name', label: '姓名', kind: 'text', required: true, filterable: true },
  { name: 'id_number', label: '公民身份号码', kind: 'text', required: true, filterable: true },
  { name: 'joined_on', label: '入党日期', kind: 'date', required: true, filterable: true },
]

beforeEach(() => api.clearSpecCache())
afterEach(() => clearMocks())

describe('ipc', () => {
  it('turns a rejected command into an IpcError with per-field messages', async () => {
    mockIPC((cmd) => {
      if (cmd === 'add_record') {
        throw {
          code: 'validation',
          message: '【公民身份号码】校验位不正确',
          fields: [{ field: 'id_number', label: '公民身份号码', message: '校验位不正确' }],
        }
      }
    })
    const err = await api.add('member', { name: '王' }).catch((e) => e)
    expect(err).toBeInstanceOf(IpcError)
    expect(err.code).toBe('validation')
    expect(err.byField()).toEqual({ id_number: '校验位不正确' })
  })

  it('passes list arguments through', async () => {
    let seen: Record<string, unknown> | undefined
    mockIPC((cmd, args) => {
      if (cmd === 'list_records') {
        seen = args as Record<string, unknown>
        return { rows: [], total: 0, names: {} }
      }
    })
    await api.list('member', { search: '王', limit: 20, offset: 40, filters: { category: '预备党员' } })
    expect(seen).toMatchObject({ entity: 'member', search: '王', limit: 20, offset: 40, filters: { category: '预备党员' } })
  })
})

describe('RecordForm', () => {
  it('shows the core’s validation error at the field', async () => {
    const calls: string[] = []
    mockIPC((cmd, args) => {
      calls.push(cmd)
      if (cmd === 'field_specs') return memberSpecs
      if (cmd === 'add_record') {
        const fields = (args as { fields: Record<string, string> }).fields
        expect(fields).toEqual({ name: '王建国', id_number: '110101199003070001' })
        throw {
          code: 'validation',
          message: '【公民身份号码】校验位不正确；【入党日期】必须填写',
          fields: [
            { field: 'id_number', label: '公民身份号码', message: '校验位不正确，应为 X' },
            { field: 'joined_on', label: '入党日期', message: '必须填写' },
          ],
        }
      }
    })
    const w = mount(RecordForm, {
      props: { entity: 'member', visible: true },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    const inputs = document.querySelectorAll<HTMLInputElement>('[data-testid="record-form"] input')
    expect(inputs.length).toBeGreaterThanOrEqual(2)
    inputs[0].value = '王建国'
    inputs[0].dispatchEvent(new Event('input'))
    inputs[1].value = '110101199003070001'
    inputs[1].dispatchEvent(new Event('input'))
    await flushPromises()
    ;(document.querySelector('[data-testid="form-save"]') as HTMLButtonElement).click()
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    await flushPromises()
    expect(document.querySelector('[data-testid="form-error"]')?.textContent).toContain('请按提示修改')
    const item = document.querySelector('[data-testid="item-id_number"]')!
    expect(item.classList.contains('is-error')).toBe(true)
    expect(document.querySelector('[data-testid="item-joined_on"]')!.classList.contains('is-error')).toBe(true)
    expect(document.querySelector('[data-testid="item-name"]')!.classList.contains('is-error')).toBe(false)
    expect(calls).toContain('add_record')
    w.unmount()
  })
})
