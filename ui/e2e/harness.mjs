// The real desktop app under test: tauri-driver + WebKitWebDriver on a temporary database,
// started once per test file, with the helpers every file uses (screenshots, navigation,
// answering native open dialogs). Run by scripts/test-desktop.sh under xvfb-run.
import { after, afterEach, before } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Driver, sleep } from './webdriver.mjs'

export { sleep }
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const appBinary = resolve(process.env.TAIZHANG_APP ?? join(root, 'target', 'debug', 'taizhang-desktop'))
const shots = resolve(process.env.E2E_SCREENSHOTS ?? join(root, 'target', 'e2e-screenshots'))

/** A valid 公民身份号码 from its first 17 digits (GB 11643 check digit). */
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

/**
 * Start the app for this test file (before its tests, stopped after them). `portOffset`
 * keeps files apart: the previous file's driver may still be releasing its ports.
 */
export function useApp({ name, portOffset = 0, env = {} }) {
  const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444) + portOffset
  const app = { driver: null, dbDir: mkdtempSync(join(tmpdir(), `taizhang-e2e-${name}-`)) }
  let tauriDriver
  /** The driver as tests use it, valid once the app has started (hooks may not run in order). */
  app.client = new Proxy(
    {},
    {
      get(_, key) {
        if (!app.driver) throw new Error('the app has not started')
        const value = app.driver[key]
        return typeof value === 'function' ? value.bind(app.driver) : value
      },
    },
  )

  /** Save a picture of the window once loading masks are gone and transitions settled. */
  app.shot = async (file) => {
    mkdirSync(shots, { recursive: true })
    for (let i = 0; i < 50; i++) {
      const busy = await app.driver.exec(
        `return [...document.querySelectorAll('.el-loading-mask')].some(e => e.getClientRects().length > 0)`,
      )
      if (!busy) break
      await sleep(200)
    }
    await sleep(900)
    writeFileSync(join(shots, `${file}.png`), await app.driver.screenshot())
  }

  /** Close any open dialog or drawer (a test that failed half-way may leave one open). */
  app.closeOverlays = async () => {
    await app.driver.exec(`for (const b of document.querySelectorAll('.el-dialog__headerbtn, .el-drawer__close-btn')) {
      if (b.getClientRects().length > 0) b.click()
    }`)
    await sleep(400)
  }

  app.go = async (screen) => {
    await app.closeOverlays()
    await app.driver.click(`[data-testid="nav-${screen}"]`)
    await sleep(300)
  }

  /** Pick a record in a remote-search select by typing part of its name. */
  app.pick = async (testid, recordName) => {
    await app.driver.click(`[data-testid="${testid}"]`)
    await app.driver.type(`[data-testid="${testid}"] input`, recordName.slice(0, 12), { clear: false })
    await app.driver.clickText('.el-select-dropdown__item', recordName)
    await sleep(200)
  }

  /** Answer the app's next open-file dialog with `path` (native dialogs cannot be driven). */
  app.answerOpenDialog = async (path) => {
    await app.driver.exec(`(window.__taizhangDialogAnswers ??= []).push(arguments[0])`, [path])
  }

  /** Let success messages fade so they are not in the next picture. */
  app.messagesGone = async () => {
    for (let i = 0; i < 30 && (await app.driver.textOf('.el-message')); i++) await sleep(200)
  }

  before(async () => {
    assert.ok(existsSync(appBinary), `app binary not found: ${appBinary} (build it first)`)
    mkdirSync(shots, { recursive: true })
    const log = openSync(join(dirname(shots), `e2e-tauri-driver-${name}.log`), 'w')
    // Its own process group, so that the driver, WebKitWebDriver and the app end together;
    // its output goes to a file (an app left running must not hold the runner's pipes open).
    tauriDriver = spawn(
      process.env.TAURI_DRIVER ?? 'tauri-driver',
      ['--port', String(port), '--native-port', String(port + 1)],
      {
        detached: true,
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          TAIZHANG_DB: join(app.dbDir, 'ledger.db'),
          TAIZHANG_OPERATOR: '测试员',
          NO_AT_BRIDGE: '1',
          ...env,
        },
      },
    )
    app.driver = await Driver.start(`http://127.0.0.1:${port}`, appBinary)
    await app.driver.cmd('POST', '/timeouts', { script: 600000, implicit: 0 })
    await app.driver.waitFor('[data-testid="dashboard"]', { timeoutMs: 30000 })
  })

  afterEach(async (t) => {
    // keep a picture of what the window showed when a test failed
    if (app.driver && t.passed === false) await app.shot(`failed-${name}-${t.name}`).catch(() => undefined)
  })

  after(async () => {
    await app.driver?.quit()
    if (tauriDriver?.pid) {
      try {
        process.kill(-tauriDriver.pid, 'SIGTERM')
      } catch {
        // already gone
      }
    }
  })

  return app
}
