/**
 * Photos kept beside the database, shown through blob URLs (the window is given no file
 * access). URLs are cached per photo name for the session.
 */
import { chooseFile } from './dialogs'
import { api } from './api/ipc'

const urls = new Map<string, Promise<string>>()

const MIME: Record<string, string> = { png: 'image/png', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp' }

/** The MIME type of a stored photo, from its name (the core names photos by their content). */
export function photoMime(name: string): string {
  return MIME[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'image/jpeg'
}

/** The photo names in a record's 照片 field (the core joins them with 、). */
export function photoNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean)
  return String(value ?? '')
    .split(/[、,，;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** A URL the window can show for a stored photo. */
export function photoUrl(name: string): Promise<string> {
  let p = urls.get(name)
  if (!p) {
    p = api.photo(name).then((bytes) => URL.createObjectURL(new Blob([bytes], { type: photoMime(name) })))
    p.catch(() => urls.delete(name))
    urls.set(name, p)
  }
  return p
}

/** Let the user pick a picture and copy it in; null when they cancel. */
export async function pickPhoto(title = '选择照片'): Promise<string | null> {
  const path = await chooseFile({
    title,
    filterName: '照片',
    extensions: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'JPG', 'JPEG', 'PNG'],
  })
  return path ? api.importPhoto(path) : null
}
