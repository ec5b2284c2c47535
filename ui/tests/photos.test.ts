import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { photoMime, photoNames } from '../src/photos'
import PhotoList from '../src/components/PhotoList.vue'

afterEach(() => clearMocks())

describe('照片', () => {
  it('reads the names a record keeps and their picture type', () => {
    expect(photoNames('a.jpg、b.png')).toEqual(['a.jpg', 'b.png'])
    expect(photoNames(['a.jpg', ''])).toEqual(['a.jpg'])
    expect(photoNames(null)).toEqual([])
    expect(photoMime('x.PNG')).toBe('image/png')
    expect(photoMime('x.jpg')).toBe('image/jpeg')
  })

  it('copies a chosen picture in and adds its name; removes one', async () => {
    const imported: unknown[] = []
    mockIPC((cmd, args) => {
      if (cmd === 'import_photo') {
        imported.push(args)
        return 'new.png'
      }
      if (cmd === 'photo') return new ArrayBuffer(8)
    })
    window.__taizhangDialogAnswers = ['/home/书记/现场.png']
    const w = mount(PhotoList, { props: { modelValue: 'old.jpg' }, global: { plugins: [ElementPlus] } })
    await w.find('[data-testid="photo-add"]').trigger('click')
    await flushPromises()
    expect(imported).toEqual([{ path: '/home/书记/现场.png' }])
    expect(w.emitted('update:modelValue')?.[0]).toEqual(['old.jpg、new.png'])
    await w.find('.remove').trigger('click')
    expect(w.emitted('update:modelValue')?.[1]).toEqual([''])
  })
})
