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
/**
 * A gzip'd log expands about 10-fold, a very repetitive one a few hundred-fold; deflate's limit is
 * about 1000-fold. Past GZIP_FLOOR of expanded text, more than GZIP_RATIO times the compressed bytes
 * read is a decompression bomb, not a log: reading stops there (it would cost minutes of CPU).
 */
export const GZIP_FLOOR = 256 * 1024 * 1024
export const GZIP_RATIO = 200

class ExpansionLimit extends Error {}

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
/**
 * Terminal control sequences a console capture carries: CSI (colours, cursor moves, `ESC [2J`), OSC
 * (`ESC ]0;title BEL`, hyperlinks), DCS/SOS/PM/APC strings up to their terminator (or the end of the
 * line), character-set and keypad selections, and their 8-bit C1 forms. None is evidence, and each
 * would act on the reader's terminal when the line is shown again.
 */
const ANSI =
  /(?:\x1b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\x1b\]|\u009d)[^\x07\x1b\u009c]*(?:\x07|\x1b\\|\u009c)?|(?:\x1b[PX^_]|[\u0090\u0098\u009e\u009f])[^\x1b\u009c]*(?:\x1b\\|\u009c)?|\x1b[()*+][ -/]*[0-~]|\x1b[ -/]*[0-~]?/g
/** Control characters left after the sequences are gone (a lone ESC, BEL, backspace, C1): removed from a line that had any. */
const LEFTOVER_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]/g
/** Cheap per-chunk test for what makes a line need the two expressions above. */
function mayHoldControl(text: string): boolean {
  return (
    text.includes('\x1b') ||
    text.includes('\x07') ||
    text.includes('\x08') ||
    text.includes('\u009b') ||
    text.includes('\u009d') ||
    text.includes('\u0090') ||
    text.includes('\u009e') ||
    text.includes('\u009f') ||
    text.includes('\u0098')
  )
}

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
    let compressed = 0
    const rest = (async function* () {
      compressed += head.length
      yield head
      for await (const chunk of source) {
        compressed += chunk.length
        yield chunk
      }
    })()
    const gunzip = createGunzip()
    // pipeline forwards a source error into gunzip, which the loop below then throws.
    pipeline(Readable.from(rest), gunzip, () => undefined)
    let expanded = 0
    for await (const chunk of gunzip) {
      expanded += (chunk as Buffer).length
      if (expanded > GZIP_FLOOR && expanded > GZIP_RATIO * compressed) throw new ExpansionLimit()
      yield chunk as Buffer
    }
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
      // A FIFO is a log being piped in (`<(journalctl ...)`); a device is not a log and may never end (/dev/zero).
      if (info.isCharacterDevice() || info.isBlockDevice() || info.isSocket()) {
        return {...outcome, error: `is a ${info.isSocket() ? 'socket' : 'device'}, not a log file`}
      }
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
    if (flags & 1 && line.includes('\0')) {
      // Serial consoles and BMC captures pad with NUL bytes (a reconnect, a line discipline's fill): a few NULs in a
      // line of text are padding, not binary data; the rest of the line is judged as any other.
      const clean = line.replace(/\0/g, '')
      if (clean.length >= 2 * (line.length - clean.length)) line = clean
    }
    if (flags & 1 && isUnreadable(line)) {
      sink.unreadable(lineNo)
      return
    }
    if (flags & 4 && mayHoldControl(line)) line = line.replace(ANSI, '').replace(LEFTOVER_CONTROL, '')
    sink.line(line, lineNo, cutShort)
  }

  const take = (text: string, binary: boolean): void => {
    const flags = (binary ? 1 : 0) | (text.includes('\r') ? 2 : 0) | (mayHoldControl(text) ? 4 : 0)
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
    if (error instanceof ExpansionLimit) {
      outcome.error = `gzip data expands more than ${GZIP_RATIO}-fold past ${GZIP_FLOOR / 1048576} MiB (a decompression bomb, not a log): stopped after line ${lineNo}`
    } else {
      outcome.error = outcome.gzip ? `gzip data is corrupt or truncated after line ${lineNo}` : `read failed after line ${lineNo}: ${describeOpenError(error)}`
    }
  }
  if (carry.length > 0 || carryCut) deliver(carry, carryCut, carryFlags | 1)
  return outcome
}
