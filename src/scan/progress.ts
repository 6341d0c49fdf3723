/**
 * The progress bar a person sees on a terminal (cli-progress on stderr: done/total, unreachable and
 * not-ready counts, ETA). Nothing at all when stderr is not a terminal: CI logs and pipes stay clean.
 */
import type {HostResult} from './result.js'

export interface ProgressSink {
  start(total: number, done: number): void
  tick(result: HostResult): void
  stop(): void
}

export const NO_PROGRESS: ProgressSink = {start() {}, tick() {}, stop() {}}

export async function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Promise<ProgressSink> {
  const {default: cliProgress} = await import('cli-progress')
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'scan [{bar}] {value}/{total} hosts | {unreachable} unreachable, {notReady} not ready | {eta_formatted} left',
    fps: 5,
    etaBuffer: 64,
    etaAsynchronousUpdate: true,
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
  })
  let done = 0
  let unreachable = 0
  let notReady = 0
  return {
    start(total, already) {
      done = already
      bar.start(total, already, {unreachable, notReady})
    },
    tick(result) {
      done++
      if (result.status === 'unreachable') unreachable++
      if (result.verdict === 'NOT_READY') notReady++
      bar.update(done, {unreachable, notReady})
    },
    stop() {
      bar.stop()
    },
  }
}
