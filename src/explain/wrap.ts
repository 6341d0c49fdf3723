/**
 * Lines a capture tool broke at its terminal's width (a serial console logged through `screen`, an IPMI SOL window, a
 * paste from an 80-column terminal): the tool inserts a line end every N characters, so a long kernel line arrives as
 * an N-character line and the rest on the next one, which has no frame of its own. They are joined back when:
 * - the held line is exactly a common terminal width long and is itself framed (a dmesg stamp, `(XEN)`, a console or
 *   syslog stamp) or is an `ls -l` row (whose path the break cut);
 * - the next line has no frame of its own and means nothing alone (a line that classifies, such as
 *   `makedumpfile Failed.`, is never glued onto another: that would hide it).
 * A join that is itself a width long is held again (a 200-character `Command line:` is three pieces).
 */
import {classifyLine} from './classify.js'
import {detectLine} from './line-format.js'

const WIDTHS = new Set([80, 100, 120, 132, 160, 200])
const LS_ROW = /^[-bcdlps][-rwxsStT]{9}[.+@]?\s/
const MAX_JOIN = 64 * 1024

export interface WrapLine {
  text: string
  lineNo: number
}

export class WrapJoiner {
  private held?: {text: string; lineNo: number; piece: number}

  /** The lines `raw` completes: none while a line of terminal width is held for its continuation. */
  feed(raw: string, lineNo: number): WrapLine[] {
    const text = raw.endsWith('\r') ? raw.replace(/\r+$/, '') : raw
    const out: WrapLine[] = []
    if (this.held) {
      const held = this.held
      this.held = undefined
      if (continues(text) && held.text.length + text.length <= MAX_JOIN) {
        const joined = held.text + text
        if (WIDTHS.has(text.length) && text.length === held.piece) {
          this.held = {text: joined, lineNo: held.lineNo, piece: held.piece}
          return out
        }
        out.push({text: joined, lineNo: held.lineNo})
        return out
      }
      out.push({text: held.text, lineNo: held.lineNo})
    }
    if (WIDTHS.has(text.length) && wrappable(text)) {
      this.held = {text, lineNo, piece: text.length}
      return out
    }
    out.push({text: raw, lineNo})
    return out
  }

  /** The line still held at the end of the input, or before a line that could not be read. */
  flush(): WrapLine[] {
    const held = this.held
    this.held = undefined
    return held ? [{text: held.text, lineNo: held.lineNo}] : []
  }
}

function wrappable(text: string): boolean {
  if (LS_ROW.test(text)) return true
  const format = detectLine(text).format
  return format === 'dmesg' || format === 'xen' || format === 'console' || format === 'syslog' || format === 'syslog-iso'
}

function continues(text: string): boolean {
  if (text.length === 0) return false
  const info = detectLine(text)
  if (info.format !== 'text') return false
  return classifyLine(info) === undefined
}
