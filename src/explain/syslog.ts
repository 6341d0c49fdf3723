/**
 * BSD syslog / `journalctl -o short` lines (`Dec 16 22:26:02 host prog[pid]: message`), parsed by
 * hand: this is the format of the gigabyte-sized inputs, and a regular expression with nine groups
 * plus an eagerly parsed time per line halved throughput. The time is parsed only when an event
 * asks for it.
 */
import type {LineInfo} from './line-format.js'
import {noYearTime, type TimeRef} from './time.js'

const isDigit = (c: number) => c >= 48 && c <= 57

class SyslogLine implements LineInfo {
  readonly format = 'syslog' as const
  readonly origin = 'program' as const
  uptime?: number
  private parsed: TimeRef | undefined | null = null

  constructor(
    private readonly line: string,
    private readonly dayAt: number,
    private readonly clockAt: number,
    private readonly hostAt: number,
    readonly program: string,
    public text: string,
  ) {}

  get host(): string {
    return this.line.slice(this.hostAt, this.line.indexOf(' ', this.hostAt))
  }

  get time(): TimeRef | undefined {
    if (this.parsed === null) {
      const l = this.line
      const c = this.clockAt
      this.parsed = noYearTime(`${l.slice(0, 3)} ${l.slice(this.dayAt, c - 1)} ${l.slice(c, c + 8)}`, l.slice(0, 3), l.slice(this.dayAt, c - 1), l.slice(c, c + 2), l.slice(c + 3, c + 5), l.slice(c + 6, c + 8))
    }
    return this.parsed
  }
}

/** RHEL5's syslog prints an empty facility field, leaving `kernel: : BUG: ...`. */
export function stripKernelLeaders(text: string): string {
  let out = text
  while (out.startsWith(': ')) out = out.slice(2)
  return out
}

const DMESG_STAMP = /^\[\s*(\d+\.\d+)\] ?/

export function parseSyslog(line: string): LineInfo | undefined {
  if (line.length < 17 || line.charCodeAt(3) !== 32) return undefined
  const m0 = line.charCodeAt(0)
  if (m0 < 65 || m0 > 90 || line.charCodeAt(1) < 97 || line.charCodeAt(2) < 97) return undefined
  let p = 4
  if (line.charCodeAt(p) === 32) p += 1
  const dayAt = p
  if (!isDigit(line.charCodeAt(p))) return undefined
  p += 1
  if (isDigit(line.charCodeAt(p))) p += 1
  if (line.charCodeAt(p) !== 32) return undefined
  const clockAt = p + 1
  if (
    !isDigit(line.charCodeAt(clockAt)) ||
    !isDigit(line.charCodeAt(clockAt + 1)) ||
    line.charCodeAt(clockAt + 2) !== 58 ||
    !isDigit(line.charCodeAt(clockAt + 3)) ||
    !isDigit(line.charCodeAt(clockAt + 4)) ||
    line.charCodeAt(clockAt + 5) !== 58 ||
    !isDigit(line.charCodeAt(clockAt + 6)) ||
    !isDigit(line.charCodeAt(clockAt + 7))
  ) {
    return undefined
  }
  let q = clockAt + 8
  if (line.charCodeAt(q) === 46) {
    // journalctl -o short-precise: `22:26:02.123456`
    q += 1
    while (isDigit(line.charCodeAt(q))) q += 1
  }
  if (line.charCodeAt(q) !== 32) return undefined
  const hostAt = q + 1
  const hostEnd = line.indexOf(' ', hostAt)
  if (hostEnd <= hostAt) return undefined
  let r = hostEnd + 1
  const programAt = r
  while (r < line.length) {
    const c = line.charCodeAt(r)
    if (c === 58 || c === 91 || c === 32) break
    r += 1
  }
  if (r === programAt || r - programAt > 64) return undefined
  const programEnd = r
  if (line.charCodeAt(r) === 91) {
    const close = line.indexOf(']', r)
    if (close < 0) return undefined
    r = close + 1
  }
  if (line.charCodeAt(r) !== 58) return undefined
  r += 1
  if (line.charCodeAt(r) === 32) r += 1
  let text = line.slice(r)
  if (text.charCodeAt(0) === 58) text = stripKernelLeaders(text)
  const info = new SyslogLine(line, dayAt, clockAt, hostAt, line.slice(programAt, programEnd), text)
  if (text.charCodeAt(0) === 91) {
    const d = DMESG_STAMP.exec(text)
    if (d) {
      info.uptime = Number(d[1])
      info.text = text.slice(d[0].length)
    }
  }
  return info
}
