// The part of cli-progress (3.x, CommonJS, no bundled types) that scan's progress bar uses.
declare module 'cli-progress' {
  export interface Options {
    format?: string
    stream?: NodeJS.WritableStream
    fps?: number
    etaBuffer?: number
    etaAsynchronousUpdate?: boolean
    hideCursor?: boolean
    clearOnComplete?: boolean
    stopOnComplete?: boolean
    noTTYOutput?: boolean
    barsize?: number
    barCompleteChar?: string
    barIncompleteChar?: string
  }
  export class SingleBar {
    constructor(options: Options, preset?: unknown)
    start(total: number, startValue: number, payload?: Record<string, unknown>): void
    update(value: number, payload?: Record<string, unknown>): void
    increment(step?: number, payload?: Record<string, unknown>): void
    stop(): void
  }
  const cliProgress: {SingleBar: typeof SingleBar}
  export default cliProgress
}
