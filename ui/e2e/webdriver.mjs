// A minimal W3C WebDriver client (fetch only) for driving the app through tauri-driver.
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

export class Driver {
  constructor(base, sessionId) {
    this.base = base
    this.id = sessionId
  }

  static async start(base, application, { timeoutMs = 60000 } = {}) {
    const deadline = Date.now() + timeoutMs
    let lastErr
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${base}/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            capabilities: { alwaysMatch: { 'tauri:options': { application } } },
          }),
        })
        const body = await res.json()
        if (res.ok && body.value?.sessionId) return new Driver(base, body.value.sessionId)
        lastErr = new Error(`new session failed: ${JSON.stringify(body)}`)
      } catch (e) {
        lastErr = e
      }
      await sleep(500)
    }
    throw lastErr ?? new Error('tauri-driver did not answer')
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = await res.json().catch(() => ({}))
    if (!res.ok) {
      const v = json.value ?? {}
      throw new Error(`${method} ${path}: ${v.error ?? res.status} ${v.message ?? ''}`)
    }
    return json.value
  }

  async quit() {
    await fetch(`${this.base}/session/${this.id}`, { method: 'DELETE' }).catch(() => undefined)
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css })
    return v[ELEMENT]
  }

  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css })
    return v.map((e) => e[ELEMENT])
  }

  /** Wait until a visible element matches `css` (and contains `text`, if given). */
  async waitFor(css, { text, timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const ok = await this.exec(
        `const [css, text] = arguments;
         return [...document.querySelectorAll(css)].some(e => e.getClientRects().length > 0 && (!text || e.textContent.includes(text)))`,
        [css, text ?? null],
      )
      if (ok) return
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${css}${text ? ` containing “${text}”` : ''}`)
      await sleep(200)
    }
  }

  /** Wait until nothing visible matches `css` (a dialog has closed …). */
  async waitGone(css, { timeoutMs = 10000 } = {}) {
    const deadline = Date.now() + timeoutMs
    while (
      await this.exec(
        `return [...document.querySelectorAll(arguments[0])].some(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).display !== 'none')`,
        [css],
      )
    ) {
      if (Date.now() > deadline) throw new Error(`${css} is still shown`)
      await sleep(200)
    }
  }

  async click(css) {
    await this.waitFor(css)
    for (let i = 0; ; i++) {
      try {
        const el = await this.find(css)
        await this.cmd('POST', `/element/${el}/click`, {})
        return
      } catch (e) {
        // a closing drawer or a message may still cover the element for a moment
        if (i >= 10 || !/intercepted|not interactable|stale/.test(String(e))) throw e
        await sleep(300)
      }
    }
  }

  /** The text content of the first visible element matching `css` ('' if none). */
  textOf(css) {
    return this.exec(
      `const el = [...document.querySelectorAll(arguments[0])].find(e => e.getClientRects().length > 0);
       return el ? el.textContent.trim() : ''`,
      [css],
    )
  }

  /** Click the visible element matching `css` whose text contains `text` (in the page). */
  async clickText(css, text, { timeoutMs = 15000 } = {}) {
    await this.waitFor(css, { text, timeoutMs })
    const ok = await this.exec(
      `const [css, text] = arguments;
       const el = [...document.querySelectorAll(css)].reverse().find(e => e.getClientRects().length > 0 && e.textContent.includes(text));
       if (!el) return false; el.scrollIntoView({block: 'center'}); el.click(); return true`,
      [css, text],
    )
    if (!ok) throw new Error(`no ${css} with “${text}”`)
  }

  async type(css, text, { clear = true } = {}) {
    await this.waitFor(css)
    const el = await this.find(css)
    if (clear) {
      // WebDriver's clear does not fire the input event that Vue's v-model listens to.
      await this.exec(
        `const el = document.querySelector(arguments[0]); el.value = '';
         el.dispatchEvent(new Event('input', { bubbles: true }))`,
        [css],
      )
    }
    await this.cmd('POST', `/element/${el}/value`, { text })
  }

  async text(css) {
    const el = await this.find(css)
    return this.cmd('GET', `/element/${el}/text`)
  }

  exec(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args })
  }

  /** Call one of the app's Tauri commands from the page. */
  async invoke(cmd, args = {}) {
    const out = await this.cmd('POST', '/execute/async', {
      script: `const [cmd, args, done] = arguments;
               window.__TAURI_INTERNALS__.invoke(cmd, args)
                 .then(v => done({ ok: v }), e => done({ err: e }))`,
      args: [cmd, args],
    })
    if (out && 'err' in out) throw Object.assign(new Error(out.err?.message ?? String(out.err)), out.err)
    return out?.ok
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64')
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
