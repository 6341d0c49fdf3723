/**
 * BSD syslog / `journalctl -o short` lines (`Dec 16 22:26:02 host prog[pid]: message`), parsed by
 * hand: this is the format of the gigabyte-sized inputs, and a regular expression with nine groups
 * plus an eagerly parsed time per line halved throughput. The time is parsed only when an event
 * asks for it.
 */
import type {LineInfo} from './line-info.js'
import {noYearTime, type TimeRef} from './time.js'

const isDigit = (c: number) => c >= 48 && c <= 57

/**
 * Fields are `declare`d and assigned in the constructor: emitted class fields ([[Define]] semantics)
 * made constructing one per line several times slower on Node 20.
 */
class SyslogLine implements LineInfo {
  declare readonly format: 'syslog'
  declare readonly origin: 'program'
  declare private parsedTime: TimeRef | undefined | null
  declare private programText: string | undefined
  declare private message: string | undefined
  declare private stamp: number | undefined
  declare private readonly line: string
  declare private readonly dayAt: number
  declare private readonly clockAt: number
  declare private readonly hostAt: number
  declare private readonly programAt: number
  declare private readonly programEnd: number
  declare private readonly textAt: number

  constructor(line: string, dayAt: number, clockAt: number, hostAt: number, programAt: number, programEnd: number, textAt: number) {
    this.format = 'syslog'
    this.origin = 'program'
    this.parsedTime = null
    this.programText = undefined
    this.message = undefined
    this.stamp = undefined
    this.line = line
    this.dayAt = dayAt
    this.clockAt = clockAt
    this.hostAt = hostAt
    this.programAt = programAt
    this.programEnd = programEnd
    this.textAt = textAt
  }

  get time(): TimeRef | undefined {
    if (this.parsedTime === null) {
      const l = this.line
      const c = this.clockAt
      this.parsedTime = noYearTime(`${l.slice(0, 3)} ${l.slice(this.dayAt, c - 1)} ${l.slice(c, c + 8)}`, l.slice(0, 3), l.slice(this.dayAt, c - 1), l.slice(c, c + 2), l.slice(c + 3, c + 5), l.slice(c + 6, c + 8))
    }
    return this.parsedTime
  }

  get host(): string {
    return this.line.slice(this.hostAt, this.line.indexOf(' ', this.hostAt))
  }

  get program(): string {
    this.programText ??= this.line.slice(this.programAt, this.programEnd)
    return this.programText
  }

  /** The message, without RHEL5's empty facility field and without a dmesg stamp (kept as uptime). */
  get text(): string {
    if (this.message === undefined) {
      let text = this.line.slice(this.textAt)
      if (text.charCodeAt(0) === 58) text = stripKernelLeaders(text)
      if (text.charCodeAt(0) === 91) {
        const d = DMESG_STAMP.exec(text)
        if (d) {
          this.stamp = Number(d[1])
          text = text.slice(d[0].length)
        }
      }
      this.message = text
    }
    return this.message
  }

  set text(value: string) {
    this.message = value
  }

  get uptime(): number | undefined {
    void this.text
    return this.stamp
  }
}

/** RHEL5's syslog prints an empty facility field, leaving `kernel: : BUG: ...`. */
export function stripKernelLeaders(text: string): string {
  let out = text
  while (out.startsWith(': ')) out = out.slice(2)
  return out
}

const DMESG_STAMP = /^\[\s*(\d+\.\d+)\] ?/

/** A syslog line from a program explain has nothing to learn from (`k`ernel, `s`udo/`s`ystemd, `m`akedumpfile, `d`racut, `v`mcore-dmesg excepted). */
const OTHER_PROGRAM: LineInfo = Object.freeze({format: 'syslog', origin: 'program', program: '', text: ''})

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
  // The colons place the clock; its digits are checked only if an event asks for the time (noYearTime).
  if (line.charCodeAt(clockAt + 2) !== 58 || line.charCodeAt(clockAt + 5) !== 58 || !isDigit(line.charCodeAt(clockAt + 7))) return undefined
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
  // Only the kernel, sudo, systemd and the dump tools say anything explain reads (classify.ts): the other
  // programs' lines, most of a big syslog, share one empty record and cost no allocation at all.
  const p0 = line.charCodeAt(programAt) | 32
  if (p0 !== 107 && p0 !== 115 && p0 !== 109 && p0 !== 100 && p0 !== 118) return OTHER_PROGRAM
  // The rest are never looked at again unless they make an event: program, message and time stay unsliced.
  const info = new SyslogLine(line, dayAt, clockAt, hostAt, programAt, programEnd, r)
  return info
}
