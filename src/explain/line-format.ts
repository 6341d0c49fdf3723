/**
 * Recognises how one log line is framed (console capture, syslog, journal, dmesg, Xen console, the
 * lab's transcript markers, a shell prompt) and peels the frame off, leaving the message a kernel,
 * Xen or tool printed. Pure and total: any string in, a LineInfo out. It runs on every line of
 * inputs that can be gigabytes long, so the common cases are decided on the first characters before
 * any regular expression runs.
 */
import {parseSyslog, stripKernelLeaders} from './syslog.js'
import type {LineFormat, LineInfo} from './line-info.js'
import {absoluteTime, uptimeTime} from './time.js'

export type {LineFormat, LineInfo} from './line-info.js'

const CONSOLE_STAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?(\t| +)/
const BRACKET_STAMP = /^\[(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\] ?/
const AFTER_ISO_HOST = /^(\S+) ([^\s:[]{1,64})(?:\[(\d+)\])?: ?(.*)$/s
const DMESG = /^(?:<\d>)?\[\s*(\d+\.\d+)\] ?/
const DMESG_T = /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?/
const XEN_STAMP = /^\[(?:(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?|\s*(\d+\.\d+))\] ?/
const STACK_FRAME = /^\[<?[0-9a-f]*>?\] /
const PROMPT_BRACKET = /^\[[^\]\s]*@[^\]]*\][#$] ?(.*)$/
const PROMPT_USER_HOST = /^[\w.-]+@[\w.-]+:[^\s$#]*[#$] (.*)$/
const JOURNAL_MARKER = /^-- (?:Boot [0-9a-f]+ --|Reboot --|Logs begin at|Journal begins at|No entries --)/
/** A mail reply's quote markers (`> > (XEN) ...`): the reporter's own console, quoted back. */
const MAIL_QUOTE = /^(?:[ \t]*>)+[ \t]?/
/** printk's level as /dev/kmsg, pstore and some consoles keep it (`<4>`, `<c>` for a continuation). */
const PRINTK_LEVEL = /^<[0-7c]>/
/** printk's caller id (CONFIG_PRINTK_CALLER): `[ T123]` a task, `[ C1]` a CPU in interrupt context. */
const CALLER_ID = /^\[\s*[TC]\d+\] ?/
/** A call trace frame without its log frame keeps its leading blank (` foo+0x12/0x34`): that blank is its mark. */
const BARE_FRAME = /^(?:\? )?[A-Za-z_.$][\w.$]*\+0x[0-9a-f]+\/0x[0-9a-f]+/

/**
 * A bare line (no prompt) counts as a typed command only when it has shell syntax an operator's
 * notes have and log messages do not: a redirect into /proc, a sudo, an option-taking tool.
 */
export const BARE_COMMAND =
  /^(?:sudo\s+\S|(?:echo|printf)\s+\S.*(?:>|\|\s*(?:sudo\s+)?tee\b)|sysctl\s+(?:-\w+\s+)*[\w./]+=|kexec\s+-|(?:kdumpctl|kdump-config)\s+[a-z-]+\s*$|(?:xl|xm)\s+(?:info|dmesg|debug-keys|list)\b|systemctl\s+[a-z-]+\s+kdump|service\s+kdump|cat\s+\/proc\/|ipmitool\s+-)/

const BLANK = /^\s*$/

/** The inner part of a frame may carry its own frame (a console line holding `(XEN) ...` or `[ 1.2] ...`). */
function inner(text: string, depth: number): LineInfo {
  if (depth > 2) return {format: 'text', origin: 'console', text}
  // A console stamp followed by blanks and then Xen's or the kernel's own frame (`...07\t  (XEN) ...`).
  const c = text.charCodeAt(0)
  if (c === 32 || c === 9) {
    const trimmed = text.replace(/^[ \t]+/, '')
    if (/^(?:\(XEN\)|<[0-7c]>|\[\s*\d+\.\d+\])/.test(trimmed)) return detectLineAt(trimmed, depth + 1)
  }
  return detectLineAt(text, depth + 1)
}

function fromConsole(line: string, m: RegExpExecArray, depth: number, format: LineFormat): LineInfo {
  const stampText = m[0].trimEnd()
  const time = absoluteTime(stampText, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7])
  const rest = line.slice(m[0].length)
  if (m[9] !== undefined && m[9] !== '\t') {
    // `2016-12-16 22:26:02 host kernel: ...` is syslog with a full date, not a console line.
    const s = AFTER_ISO_HOST.exec(rest)
    if (s && s[2] !== undefined && /^[a-z]/.test(s[2])) {
      return {format: 'syslog-iso', origin: 'program', time, host: s[1], program: s[2], text: stripKernelLeaders(s[4] ?? '')}
    }
  }
  const sub = inner(rest, depth)
  return rewrap(sub, {format, ...(time ? {time} : {})})
}

/** Copies a LineInfo field by field: a spread would drop the lazily parsed time of a syslog line. */
function rewrap(sub: LineInfo, over: Partial<LineInfo>): LineInfo {
  const out: LineInfo = {format: sub.format, origin: sub.origin, text: sub.text}
  const time = sub.time
  if (time) out.time = time
  if (sub.uptime !== undefined) out.uptime = sub.uptime
  if (sub.host !== undefined) out.host = sub.host
  if (sub.program !== undefined) out.program = sub.program
  if (sub.quoted) out.quoted = true
  if (sub.marker) out.marker = sub.marker
  if (sub.command) out.command = true
  return Object.assign(out, over)
}

export function detectLine(line: string): LineInfo {
  try {
    // `.` in the patterns below stops at \r: a line ending in \r\r (serial captures) would match nothing.
    return detectLineAt(unwrap(line.includes('\r') ? line.replace(/\r/g, '') : line), 0)
  } catch {
    return {format: 'text', origin: 'console', text: line}
  }
}

/**
 * What captures add in front of a log line, peeled before its frame is read: a mail reply's `> ` quote markers, and
 * the blanks of an indented paste (a bare call trace frame keeps its blank: it is what marks it).
 */
export function unwrap(line: string): string {
  let out = line
  const c = out.charCodeAt(0)
  if (c === 62 /* > */ || c === 32 || c === 9) {
    // quote markers, also under the blanks of an indented paste (`  > > (XEN) ...`)
    const q = MAIL_QUOTE.exec(out)
    if (q) out = out.slice(q[0].length)
  }
  const d = out.charCodeAt(0)
  if (d === 32 || d === 9) {
    const trimmed = out.replace(/^[ \t]+/, '')
    if (trimmed.length > 0 && !BARE_FRAME.test(trimmed)) out = trimmed
  }
  return out
}

/** Where a Xen line was written into the middle of a framed dom0 (or Xen) line on a shared console; -1 when none was. */
export function interleavedXenAt(line: string): number {
  const at = line.indexOf('(XEN)', 1)
  if (at < 0) return -1
  // `2016-12-17 00:21:08\t(XEN) ...` is Xen's line under a console stamp, not two lines: the part before must say something.
  const before = detectLine(line.slice(0, at))
  if (before.text.trim() === '') return -1
  return before.format === 'dmesg' || before.format === 'console' || before.format === 'xen' || before.format === 'syslog' || before.format === 'syslog-iso' ? at : -1
}

function detectLineAt(line: string, depth: number): LineInfo {
  const c = line.charCodeAt(0)
  if (line.length === 0 || ((c === 32 || c === 9) && BLANK.test(line))) return {format: 'blank', origin: 'console', text: ''}
  // '('
  if (c === 40 && line.startsWith('(XEN)')) {
    let text = line.slice(5)
    if (text.startsWith(' ')) text = text.slice(1)
    const info: LineInfo = {format: 'xen', origin: 'xen', text}
    if (text.startsWith('[')) {
      const m = XEN_STAMP.exec(text)
      if (m) {
        info.text = text.slice(m[0].length)
        const time = m[1] !== undefined ? absoluteTime(m[0].trim(), m[1], m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]) : uptimeTime(m[0].trim(), m[8]!)
        if (time) info.time = time
      }
    }
    return info
  }
  // digit: console capture or ISO syslog
  if (c >= 48 && c <= 57 && line.length > 19 && line.charCodeAt(4) === 45) {
    const m = CONSOLE_STAMP.exec(line)
    if (m) {
      if (line.charCodeAt(10) === 84 /* T */ || m[8] !== undefined) {
        const time = absoluteTime(m[0].trim(), m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7])
        const s = AFTER_ISO_HOST.exec(line.slice(m[0].length))
        if (s) return {format: 'syslog-iso', origin: 'program', ...(time ? {time} : {}), host: s[1], program: s[2], text: stripKernelLeaders(s[4] ?? '')}
      }
      return fromConsole(line, m, depth, 'console')
    }
  }
  // uppercase letter: syslog month, LAB:/KDUMP: markers
  if (c >= 65 && c <= 90) {
    const syslog = parseSyslog(line)
    if (syslog) return syslog
    if (c === 76 /* L */ && line.startsWith('LAB:')) return transcript(line, 'LAB', depth)
    if (c === 75 /* K */ && line.startsWith('KDUMP:')) return transcript(line, 'KDUMP', depth)
    return plainOrShell(line, depth)
  }
  // '['
  if (c === 91) {
    const d = DMESG.exec(line)
    if (d) {
      const time = uptimeTime(d[0].trim(), d[1]!)
      return {format: 'dmesg', origin: 'console', ...(time ? {time} : {}), uptime: Number(d[1]), text: withoutCaller(line.slice(d[0].length))}
    }
    const caller = CALLER_ID.exec(line)
    if (caller) return rewrap(inner(line.slice(caller[0].length), depth), {})
    if (STACK_FRAME.test(line)) return {format: 'stack', origin: 'console', text: line}
    const t = DMESG_T.exec(line)
    if (t) {
      const monthIndex = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(t[1]!)
      const time = absoluteTime(t[0].trim(), t[6]!, String(monthIndex + 1), t[2]!, t[3]!, t[4]!, t[5]!)
      return {format: 'dmesg', origin: 'console', ...(time ? {time} : {}), text: line.slice(t[0].length)}
    }
    const b = BRACKET_STAMP.exec(line)
    if (b) return fromConsole(line, b, depth, 'console')
    const p = PROMPT_BRACKET.exec(line)
    if (p) return {format: 'shell', origin: 'console', text: (p[1] ?? '').trim(), command: true}
    return {format: 'text', origin: 'console', text: line}
  }
  // '<' raw printk level
  if (c === 60 && /^<\d>\[/.test(line)) {
    const d = DMESG.exec(line)
    if (d) {
      const time = uptimeTime(d[0].trim(), d[1]!)
      return {format: 'dmesg', origin: 'console', ...(time ? {time} : {}), uptime: Number(d[1]), text: withoutCaller(line.slice(d[0].length))}
    }
  }
  // a printk level without a time stamp (`<0>Kernel panic - ...`, a pstore or /dev/kmsg copy)
  if (c === 60) {
    const level = PRINTK_LEVEL.exec(line)
    if (level) return rewrap(inner(line.slice(level[0].length), depth), {})
  }
  // '-'
  if (c === 45 && JOURNAL_MARKER.test(line)) return {format: 'journal-marker', origin: 'console', text: line}
  // '#' or '$': a prompt (`#cat /proc/1/stack`, `$ top`)
  if (c === 35 || c === 36) {
    const rest = line.slice(1).trim()
    if (rest.length > 0 && /^[a-z/.]/.test(rest)) return {format: 'shell', origin: 'console', text: rest, command: true}
    return {format: 'text', origin: 'console', text: line}
  }
  return plainOrShell(line, depth)
}

/** The message after a dmesg stamp, without printk's caller id (`[   12.3][ T1234] msg`, `[   12.3] [    C1] msg`). */
function withoutCaller(text: string): string {
  if (text.charCodeAt(0) !== 91 && !(text.charCodeAt(0) === 32 && text.charCodeAt(1) === 91)) return text
  const t = text.charCodeAt(0) === 32 ? text.slice(1) : text
  const m = CALLER_ID.exec(t)
  return m ? t.slice(m[0].length) : text
}

function plainOrShell(line: string, depth: number): LineInfo {
  const c = line.charCodeAt(0)
  if (c >= 97 && c <= 122) {
    const p = PROMPT_USER_HOST.exec(line)
    if (p) return {format: 'shell', origin: 'console', text: (p[1] ?? '').trim(), command: true}
    // Inside a frame (a console line, a transcript) a bare line is output, not something typed.
    if (depth === 0 && BARE_COMMAND.test(line)) return {format: 'shell', origin: 'console', text: line.trim(), command: true}
  }
  return {format: 'text', origin: 'console', text: line}
}

function transcript(line: string, marker: 'LAB' | 'KDUMP', depth: number): LineInfo {
  const body = line.slice(marker.length + 1).trim()
  if (body.startsWith('----- ')) {
    // The lab prints each command it runs as `----- <command>  (<comment>)`.
    const command = body.slice(6).replace(/\s{2,}\(.*\)\s*$/, '').trim()
    return {format: 'transcript', origin: 'console', text: command, marker, command: true}
  }
  const sub = inner(body, depth)
  const quoted = sub.format === 'dmesg' || sub.format === 'xen' || sub.format === 'syslog' || sub.format === 'console'
  return rewrap(sub, {format: 'transcript', marker, ...(quoted ? {quoted: true as const} : {})})
}
