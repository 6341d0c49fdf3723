/**
 * Runs a program whose standard output is evidence (the collector, locally or through ssh) with a
 * bound on what is read: output beyond `cap` bytes is never held. The first byte over the cap ends the
 * program (SIGTERM, then SIGKILL) and the run is reported as `overflowed`, so one host printing `yes`
 * cannot exhaust memory or crash Node ("invalid size"); the caller records why. Standard error is kept
 * up to STDERR_CAP (for messages only).
 */
import {TOTAL_CAP_BYTES} from './snapshot-reader.js'

/** The most a collection may send back: the snapshot size limit (a snapshot is never larger unpacked). */
export const OUTPUT_CAP_BYTES = TOTAL_CAP_BYTES
export const STDERR_CAP_BYTES = 1024 * 1024

export interface CappedRun {
  bytes: Uint8Array
  stderr: string
  exitCode?: number
  timedOut: boolean
  /** Stdout went over the cap: the program was ended and `bytes` is empty. */
  overflowed: boolean
}

export interface CappedRunOptions {
  /** Fed to stdin (otherwise stdin is closed). */
  input?: Uint8Array
  timeoutMs: number
  cap?: number
  /** Own process group (a Ctrl-C at the terminal reaches only kdumpcheck, which stops the program through `signal`). */
  detached?: boolean
  signal?: AbortSignal
  env?: Record<string, string>
}

export function describeOverflow(cap: number): string {
  return `sent more than ${Math.round(cap / 1048576)} MiB (the snapshot size limit); stopped reading and ended it`
}

export async function runCapped(file: string, args: readonly string[], options: CappedRunOptions): Promise<CappedRun> {
  const cap = options.cap ?? OUTPUT_CAP_BYTES
  const {execa} = await import('execa')
  const subprocess = execa(file, args, {
    ...(options.input ? {input: options.input} : {stdin: 'ignore' as const}),
    encoding: 'buffer',
    buffer: {stdout: false, stderr: true},
    maxBuffer: {stderr: STDERR_CAP_BYTES},
    reject: false,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2000,
    detached: options.detached ?? false,
    ...(options.signal ? {cancelSignal: options.signal} : {}),
    ...(options.env ? {env: options.env} : {}),
  })
  const chunks: Buffer[] = []
  let size = 0
  let overflowed = false
  subprocess.stdout!.on('data', (chunk: Buffer) => {
    if (overflowed) return
    if (size + chunk.length > cap) {
      overflowed = true
      chunks.length = 0
      subprocess.kill()
      return
    }
    size += chunk.length
    chunks.push(chunk)
  })
  const result = await subprocess
  return {
    bytes: overflowed ? new Uint8Array() : Buffer.concat(chunks),
    stderr: Buffer.from((result.stderr as Uint8Array | undefined) ?? new Uint8Array()).toString('utf8'),
    ...(result.exitCode !== undefined ? {exitCode: result.exitCode} : {}),
    timedOut: Boolean(result.timedOut),
    overflowed,
  }
}
