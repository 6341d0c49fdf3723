/**
 * Console logs sent by mail arrive quoted-printable (RFC 2045): a MIME part that says `Content-Transfer-Encoding:
 * quoted-printable`, or a body Outlook wrote with every line ending in `=0A=`. There a line ending in `=` continues on
 * the next one (a soft break at 76 characters, which cuts log lines anywhere), `=3D` is `=`, and `=0A` a line end.
 * This undoes that, line by line with bounded memory, and leaves any other text as it is.
 */

/** A logical line and the physical line it starts on. */
export interface MailLine {
  text: string
  lineNo: number
}

const QP_HEADER = /^Content-Transfer-Encoding:\s*quoted-printable\s*$/i
const OTHER_ENCODING = /^Content-Transfer-Encoding:\s*(?!quoted-printable)\S+\s*$/i
/** A MIME boundary line (`--nextPart1751006.3zM9JSGCaE`, its closing `--...--`). */
const BOUNDARY = /^--[\w'()+,./:=?-]{6,}$/
/** Outlook's quoted-printable body: a line end encoded, then a soft break. */
const OUTLOOK_LINE = /=0A=\s*$/
/** A continued line can be no longer than this (a log line cut at 76 characters many times over is still short). */
const MAX_JOINED = 64 * 1024
/** What a reply or a paste puts in front of every line: quote markers, blanks. */
const CAPTURE_PREFIX = /^(?:[ \t]*>)*[ \t]*/

export class MailDecoder {
  private active = false
  private carry?: MailLine

  /** The logical lines one physical line completes (none while a soft break carries it over). */
  feed(raw: string, lineNo: number): MailLine[] {
    // A mail quoted back (`> `) or pasted indented keeps its headers and soft breaks under that prefix.
    const body = raw.replace(CAPTURE_PREFIX, '')
    if (!this.active) {
      if (QP_HEADER.test(body) || OUTLOOK_LINE.test(body)) this.active = true
      if (!OUTLOOK_LINE.test(body)) return [{text: raw, lineNo}]
    } else if (OTHER_ENCODING.test(body) || (BOUNDARY.test(body) && this.carry === undefined)) {
      this.active = false
      return [{text: raw, lineNo}]
    }
    const start = this.carry ?? {text: '', lineNo}
    // The line a soft break continues carries the prefix again: it is not part of the text.
    const trimmed = (this.carry ? body : raw).replace(/[ \t]+$/, '')
    const soft = trimmed.endsWith('=') && !trimmed.endsWith('==') && start.text.length + trimmed.length < MAX_JOINED
    const joined = start.text + (soft ? trimmed.slice(0, -1) : this.carry ? body : raw)
    this.carry = undefined
    if (!soft) return decode(joined, start.lineNo)
    // An encoded line end completes the lines before it: they are emitted now, each from where it started.
    const end = joined.lastIndexOf('=0A')
    if (end < 0) {
      this.carry = {text: joined, lineNo: start.lineNo}
      return []
    }
    const rest = joined.slice(end + 3)
    if (rest !== '') this.carry = {text: rest, lineNo}
    return decode(joined.slice(0, end), start.lineNo)
  }

  /** What a soft break left pending at the end of the input. */
  finish(): MailLine[] {
    const carry = this.carry
    this.carry = undefined
    return carry ? decode(carry.text, carry.lineNo) : []
  }
}

/** `=XX` escapes to their bytes, read as UTF-8 (`=C3=BC` is one character); encoded line ends split the text. */
function decode(text: string, lineNo: number): MailLine[] {
  const decoded = text.replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'))
  return decoded.split(/\r?\n/).map((t) => ({text: t, lineNo}))
}
