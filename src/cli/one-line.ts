/**
 * What kdumpcheck prints on stderr (errors, warnings, notes) is one line each, whatever it names: a
 * path or host name holding a newline, a carriage return, an escape sequence or a bidirectional
 * override is printed escaped (`\n`, `\x1b`, `\u202e`), so it can neither add a line nor rewrite the
 * terminal.
 */

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

/** Escapes C0 and C1 control characters, DEL, line and paragraph separators and bidi controls. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const named = NAMED[c]
    if (named) return named
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** `kdumpcheck: KIND: MESSAGE` on stderr, as one line. */
export function printLine(kind: 'error' | 'warning' | 'note' | 'refusing to trigger a crash', message: string): void {
  process.stderr.write(`kdumpcheck: ${kind}: ${oneLine(message)}\n`)
}
