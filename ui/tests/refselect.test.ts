import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import RefSelect from '../src/components/RefSelect.vue'

afterEach(() => clearMocks())

/** Mount a picker of `target` and return the list_records calls it made. */
async function asked(target: string) {
  const calls: Record<string, unknown>[] = []
  mockIPC((cmd, args) => {
    if (cmd === 'list_records') {
      calls.push(args as Record<string, unknown>)
      return { rows: [], total: 0, names: {} }
    }
  })
  const w = mount(RefSelect, {
    props: { target: target as never, modelValue: '' },
    global: { plugins: [ElementPlus] },
  })
  await flushPromises()
  w.unmount()
  return calls
}

describe('选择关联记录', () => {
  it('offers orgs, units and people in 拼音 order of their names', async () => {
    for (const target of ['org', 'unit', 'member', 'instructor']) {
      const calls = await asked(target)
      expect(calls[0]).toMatchObject({ entity: target, sort: 'name', limit: 30 })
    }
  })

  it('leaves records without a name in creation order', async () => {
    const calls = await asked('activity')
    expect(calls[0].sort).toBeUndefined()
  })
})
