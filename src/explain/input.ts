/**
 * Streams one input (a file, or stdin for `-`) line by line with bounded memory: gzip is recognised
 * by its magic bytes and inflated on the fly, lines longer than MAX_LINE are cut, and lines that are
 * binary rather than text are reported as unreadable instead of being guessed at. This is the only
 * part of explain that touches the file system.
 */
import {isUtf8} from 'node:buffer'
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {pipeline, Readable} from 'node:stream'
import {StringDecoder} from 'node:string_decoder'
import {createGunzip} from 'node:zlib'

export const MAX_LINE = 64 * 1024
const CHUNK = 1024 * 1024

export interface LineSink {
  line(text: string, lineNo: number, truncated: boolean): void
  unreadable(lineNo: number): void
}

export interface ReadOutcome {
  bytes: number
  gzip: boolean
  /** Why the input could not be read (fully), in one line. */
  error?: string
}

const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f]/g
const REPLACEMENT = /\ufffd/g
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][A-Z0-9]|[=>])/g

/**
 * Binary data shows up as NUL bytes or invalid UTF-8 somewhere in any megabyte of it; only such
 * chunks pay for a per-line check (a regular expression over every chunk cost a sixth of the run).
 * A multi-byte character cut at either end of the chunk is not evidence.
 */
export function mayHoldBinary(chunk: Buffer): boolean {
  if (chunk.indexOf(0) >= 0) return true
  let start = 0
  while (start < 3 && start < chunk.length && (chunk[start]! & 0xc0) === 0x80) start += 1
  let end = chunk.length
  for (let back = 1; back <= 4 && chunk.length - back >= start; back += 1) {
    const b = chunk[chunk.length - back]!
    if ((b & 0xc0) === 0x80) continue
    if (b >= 0xc0) end = chunk.length - back
    break
  }
  return !isUtf8(chunk.subarray(start, end))
}

/** Binary data read as text: any NUL, or more control bytes or undecodable bytes than a human-readable line ever has. */
export function isUnreadable(line: string): boolean {
  if (line.includes('\0')) return true
  if (line.length === 0) return false
  const controls = line.match(CONTROL)?.length ?? 0
  const replaced = line.match(REPLACEMENT)?.length ?? 0
  return controls / line.length > 0.05 || replaced / line.length > 0.3
}

function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  return error instanceof Error ? error.message : String(error)
}

async function* chunksOf(stream: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
}

/** Peeks at the first bytes; inflates when they are gzip's magic number. */
async function* maybeGunzip(source: AsyncGenerator<Buffer>, onGzip: () => void): AsyncGenerator<Buffer> {
  let head: Buffer = Buffer.alloc(0)
  while (head.length < 2) {
    const next = await source.next()
    if (next.done) break
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value])
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    onGzip()
    const rest = (async function* () {
      yield head
      yield* source
    })()
    const gunzip = createGunzip()
    // pipeline forwards a source error into gunzip, which the loop below then throws.
    pipeline(Readable.from(rest), gunzip, () => undefined)
    for await (const chunk of gunzip) yield chunk as Buffer
    return
  }
  if (head.length > 0) yield head
  yield* source
}

export async function readInput(path: string, sink: LineSink, stdin: NodeJS.ReadableStream = process.stdin): Promise<ReadOutcome> {
  const outcome: ReadOutcome = {bytes: 0, gzip: false}
  let stream: AsyncIterable<unknown>
  if (path === '-') {
    stream = stdin as AsyncIterable<unknown>
  } else {
    try {
      const info = await stat(path)
      if (info.isDirectory()) return {...outcome, error: 'is a directory'}
    } catch (error) {
      return {...outcome, error: describeOpenError(error)}
    }
    stream = createReadStream(path, {highWaterMark: CHUNK})
  }

  const decoder = new StringDecoder('utf8')
  let lineNo = 0
  let carry = ''
  let carryCut = false
  // What a chunk may hold, so that the common clean line pays for none of the per-line checks:
  // 1 binary, 2 a carriage return, 4 an escape sequence. The partial line carried over keeps its flags.
  let carryFlags = 0

  const deliver = (raw: string, cutShort: boolean, flags: number): void => {
    lineNo += 1
    let line = raw
    if (flags & 2 && line.includes('\r')) {
      // Serial captures end lines in \r\r\n; a \r inside a line (a progress bar) overwrote what came before it.
      line = line.replace(/\r+$/, '')
      const last = line.lastIndexOf('\r')
      if (last >= 0) line = line.slice(last + 1)
    }
    if (flags & 1 && isUnreadable(line)) {
      sink.unreadable(lineNo)
      return
    }
    if (flags & 4 && line.includes('\x1b')) line = line.replace(ANSI, '')
    sink.line(line, lineNo, cutShort)
  }

  const take = (text: string, binary: boolean): void => {
    const flags = (binary ? 1 : 0) | (text.includes('\r') ? 2 : 0) | (text.includes('\x1b') ? 4 : 0)
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl === -1) {
        if (!carryCut) {
          carry += text.slice(start)
          carryFlags |= flags
          if (carry.length > MAX_LINE) {
            carry = carry.slice(0, MAX_LINE)
            carryCut = true
          }
        }
        return
      }
      if (carry.length > 0 || carryCut) {
        const tail = carryCut ? '' : text.slice(start, nl)
        let whole = carry + tail
        let cutShort = carryCut
        if (whole.length > MAX_LINE) {
          whole = whole.slice(0, MAX_LINE)
          cutShort = true
        }
        const carried = carryFlags | flags
        carry = ''
        carryCut = false
        carryFlags = 0
        deliver(whole, cutShort, carried)
      } else if (nl - start > MAX_LINE) {
        deliver(text.slice(start, start + MAX_LINE), true, flags)
      } else {
        deliver(text.slice(start, nl), false, flags)
      }
      start = nl + 1
    }
  }

  try {
    for await (const chunk of maybeGunzip(chunksOf(stream), () => (outcome.gzip = true))) {
      outcome.bytes += chunk.length
      take(decoder.write(chunk), mayHoldBinary(chunk))
    }
    take(decoder.end(), false)
  } catch (error) {
    outcome.error = outcome.gzip ? `gzip data is corrupt or truncated after line ${lineNo}` : `read failed after line ${lineNo}: ${describeOpenError(error)}`
  }
  if (carry.length > 0 || carryCut) deliver(carry, carryCut, carryFlags | 1)
  return outcome
}
