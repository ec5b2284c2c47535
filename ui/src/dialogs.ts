/**
 * Choosing a file through the system's open dialog. End-to-end tests cannot drive a native
 * dialog, so they queue the answer in `window.__taizhangDialogAnswers` (the page could call
 * the same commands with any path anyway, so this grants nothing).
 */
import { open } from '@tauri-apps/plugin-dialog'

declare global {
  interface Window {
    __taizhangDialogAnswers?: (string | null)[]
  }
}

export async function chooseFile(opts: { title: string; filterName: string; extensions: string[] }): Promise<string | null> {
  const queued = window.__taizhangDialogAnswers
  if (queued?.length) return queued.shift() ?? null
  const picked = await open({
    title: opts.title,
    multiple: false,
    directory: false,
    filters: [{ name: opts.filterName, extensions: opts.extensions }],
  })
  return typeof picked === 'string' && picked ? picked : null
}
