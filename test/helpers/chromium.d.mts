/** Types for test/helpers/chromium.mjs (plain JavaScript so that bench/ can use it), for the type-checked tests. */
export const CHROMIUM: string
export const CHROMIUM_FLAGS: string[]
export function chromiumAvailable(): boolean

export class Browser {
  static launch(options?: {width?: number; height?: number; timeoutMs?: number}): Promise<Browser>
  timeoutMs: number
  stderr: string
  newPage(): Promise<Page>
  close(): Promise<void>
}

export class Page {
  /** Dialogs (alert, confirm, prompt) the page opened: each is dismissed and recorded. */
  dialogs: unknown[]
  /** Uncaught exceptions and console errors. */
  errors: string[]
  /** Requests the page tried to make. */
  requests: string[]
  send(method: string, params?: Record<string, unknown>): Promise<any>
  watchNetwork(): Promise<void>
  goto(url: string): Promise<void>
  evaluate<T = any>(expression: string | (() => unknown)): Promise<T>
  waitUntil<T = any>(expression: string | (() => unknown), timeoutMs?: number): Promise<T>
  screenshot(options?: Record<string, unknown>): Promise<Buffer>
  pdf(): Promise<Buffer>
  emulateMedia(media: string): Promise<void>
  close(): Promise<void>
}
