/**
 * Debian's Chromium (/usr/bin/chromium) driven over the Chrome DevTools Protocol on a pipe
 * (--remote-debugging-pipe: NUL-terminated JSON on file descriptors 3 and 4), for the HTML report's
 * tests and bench/html.mjs. Plain JavaScript so that bench scripts use it under node as they are.
 *
 * Why not playwright-core: this is ~150 lines with no dependency, needs no WebSocket (Node 20 has none
 * without a flag), never fetches a browser, and is not tied to the Chromium revision a Playwright
 * release was cut against; the protocol methods used here (Target, Page, Runtime, Emulation) are the
 * stable ones.
 *
 * Every browser gets a fresh --user-data-dir and the flags that keep it off the network and quiet.
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

export const CHROMIUM = process.env.KDUMPCHECK_CHROMIUM ?? '/usr/bin/chromium'

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--mute-audio',
  '--hide-scrollbars',
  '--remote-debugging-pipe',
]

/** Whether the tests can run a browser here; in CI (CI=true) its absence is a failure, not a skip. */
export function chromiumAvailable() {
  return existsSync(CHROMIUM)
}

export class Browser {
  /** @param {{width?: number, height?: number, timeoutMs?: number}} [options] */
  static async launch(options = {}) {
    const profile = mkdtempSync(path.join(tmpdir(), 'kdc-chromium-'))
    const width = options.width ?? 1280
    const height = options.height ?? 900
    const child = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    })
    const browser = new Browser(child, profile, options.timeoutMs ?? 60_000)
    child.stderr.on('data', (chunk) => {
      browser.stderr = (browser.stderr + chunk.toString()).slice(-8000)
    })
    await browser.send('Target.setDiscoverTargets', {discover: true})
    return browser
  }

  constructor(child, profile, timeoutMs) {
    this.child = child
    this.profile = profile
    this.timeoutMs = timeoutMs
    this.stderr = ''
    this.nextId = 1
    this.pending = new Map()
    /** @type {Array<(message: any) => void>} */
    this.listeners = []
    this.closed = false
    let buffer = Buffer.alloc(0)
    child.stdio[4].on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      for (let end = buffer.indexOf(0); end !== -1; end = buffer.indexOf(0)) {
        const message = JSON.parse(buffer.subarray(0, end).toString('utf8'))
        buffer = buffer.subarray(end + 1)
        this.dispatch(message)
      }
    })
    this.exited = new Promise((resolve) => child.on('exit', resolve))
    this.exited.then(() => {
      this.closed = true
      for (const {reject} of this.pending.values()) reject(new Error(`chromium exited\n${this.stderr}`))
      this.pending.clear()
    })
  }

  dispatch(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id)
      if (!waiter) return
      this.pending.delete(message.id)
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`))
      else waiter.resolve(message.result)
      return
    }
    for (const listener of [...this.listeners]) listener(message)
  }

  /** Sends one protocol command (to the browser, or to a page's session) and waits for its answer. */
  send(method, params = {}, sessionId) {
    if (this.closed) return Promise.reject(new Error(`chromium is not running\n${this.stderr}`))
    const id = this.nextId++
    const message = JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})})
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`${method}: no answer within ${this.timeoutMs} ms`))
      }, this.timeoutMs)
      this.pending.set(id, {
        method,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
      this.child.stdio[3].write(`${message}\0`)
    })
  }

  /** Resolves with the first event `method` (of `sessionId`) that `predicate` accepts. */
  waitFor(method, sessionId, predicate = () => true) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener)
        reject(new Error(`no ${method} within ${this.timeoutMs} ms`))
      }, this.timeoutMs)
      const listener = (message) => {
        if (message.method === method && message.sessionId === sessionId && predicate(message.params)) {
          clearTimeout(timer)
          this.listeners = this.listeners.filter((l) => l !== listener)
          resolve(message.params)
        }
      }
      this.listeners.push(listener)
    })
  }

  async newPage() {
    const {targetId} = await this.send('Target.createTarget', {url: 'about:blank'})
    const {sessionId} = await this.send('Target.attachToTarget', {targetId, flatten: true})
    const page = new Page(this, sessionId, targetId)
    await page.send('Page.enable')
    await page.send('Runtime.enable')
    return page
  }

  async close() {
    if (!this.closed) {
      this.send('Browser.close').catch(() => {})
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
      await this.exited
      clearTimeout(killer)
    }
    rmSync(this.profile, {recursive: true, force: true})
  }
}

export class Page {
  constructor(browser, sessionId, targetId) {
    this.browser = browser
    this.sessionId = sessionId
    this.targetId = targetId
    /** Dialogs (alert, confirm, prompt) the page opened: each is dismissed and recorded. */
    this.dialogs = []
    /** Uncaught exceptions and console errors. */
    this.errors = []
    /** Requests the page tried to make (nothing may leave a self-contained page). */
    this.requests = []
    browser.listeners.push((message) => {
      if (message.sessionId !== sessionId) return
      if (message.method === 'Page.javascriptDialogOpening') {
        this.dialogs.push(message.params)
        this.send('Page.handleJavaScriptDialog', {accept: false}).catch(() => {})
      } else if (message.method === 'Runtime.exceptionThrown') {
        this.errors.push(message.params.exceptionDetails?.exception?.description ?? message.params.exceptionDetails?.text)
      } else if (message.method === 'Runtime.consoleAPICalled' && message.params.type === 'error') {
        this.errors.push(message.params.args.map((a) => a.value ?? a.description).join(' '))
      } else if (message.method === 'Network.requestWillBeSent') {
        this.requests.push(message.params.request.url)
      }
    })
  }

  send(method, params = {}) {
    return this.browser.send(method, params, this.sessionId)
  }

  /** Records every request the page makes (call before goto). */
  async watchNetwork() {
    await this.send('Network.enable')
  }

  /** Navigates and waits for the load event. */
  async goto(url) {
    const loaded = this.browser.waitFor('Page.loadEventFired', this.sessionId)
    const {errorText} = await this.send('Page.navigate', {url})
    if (errorText) throw new Error(`${url}: ${errorText}`)
    await loaded
  }

  /** Evaluates an expression (or the source of a function called with no argument) and returns its value. */
  async evaluate(expression) {
    const source = typeof expression === 'function' ? `(${expression.toString()})()` : expression
    const {result, exceptionDetails} = await this.send('Runtime.evaluate', {expression: source, returnByValue: true, awaitPromise: true})
    if (exceptionDetails) throw new Error(`evaluate: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`)
    return result.value
  }

  /** Polls `expression` until it is truthy (the page renders in chunks, on its own schedule). */
  async waitUntil(expression, timeoutMs = this.browser.timeoutMs) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = await this.evaluate(expression)
      if (value) return value
      if (Date.now() > deadline) throw new Error(`waitUntil: still false after ${timeoutMs} ms: ${expression}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async screenshot(options = {}) {
    const {data} = await this.send('Page.captureScreenshot', {format: 'png', captureBeyondViewport: Boolean(options.fullPage)})
    return Buffer.from(data, 'base64')
  }

  async pdf() {
    const {data} = await this.send('Page.printToPDF', {printBackground: false})
    return Buffer.from(data, 'base64')
  }

  async emulateMedia(media) {
    await this.send('Emulation.setEmulatedMedia', {media})
  }

  async close() {
    await this.browser.send('Target.closeTarget', {targetId: this.targetId}).catch(() => {})
  }
}
