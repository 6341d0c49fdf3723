/**
 * Text as editors see it: lines with their own line endings kept (a CRLF file stays CRLF, a file
 * without a final newline keeps none), so an edit changes exactly the bytes it means to.
 */

export interface Line {
  /** The line without its ending. */
  text: string
  /** `\n`, `\r\n` or `` (the last line of a file without a final newline). */
  eol: string
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = []
  let start = 0
  while (start < text.length) {
    const nl = text.indexOf('\n', start)
    if (nl < 0) {
      lines.push({text: text.slice(start), eol: ''})
      break
    }
    const crlf = nl > start && text.charAt(nl - 1) === '\r'
    lines.push({text: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n'})
    start = nl + 1
  }
  return lines
}

export function joinLines(lines: readonly Line[]): string {
  return lines.map((l) => l.text + l.eol).join('')
}

/** The ending new lines should get: the file's own (CRLF when most lines use it). */
export function dominantEol(text: string): string {
  const all = (text.match(/\n/g) ?? []).length
  const crlf = (text.match(/\r\n/g) ?? []).length
  return all > 0 && crlf * 2 > all ? '\r\n' : '\n'
}

/** Appends lines at the end, first ending an unterminated last line. */
export function appendLines(text: string, added: readonly string[]): string {
  if (added.length === 0) return text
  const eol = dominantEol(text)
  const base = text === '' || text.endsWith('\n') ? text : text + eol
  return base + added.map((l) => l + eol).join('')
}

/** Inserts lines after the 0-based line index `after` (-1: at the top). */
export function insertLinesAfter(text: string, after: number, added: readonly string[]): string {
  const lines = splitLines(text)
  const eol = dominantEol(text)
  if (after >= lines.length - 1) return appendLines(text, added)
  const at = after + 1
  const fresh = added.map((t) => ({text: t, eol}))
  return joinLines([...lines.slice(0, at), ...fresh, ...lines.slice(at)])
}

/** Offset of the start of 1-based line `n` in `text` (text.length when past the end). */
export function lineStart(text: string, n: number): number {
  let pos = 0
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', pos)
    if (nl < 0) return text.length
    pos = nl + 1
  }
  return pos
}

/** The 1-based line's text (without its ending) and where it starts. */
export function lineAt(text: string, n: number): {text: string; start: number; end: number} | undefined {
  const start = lineStart(text, n)
  if (start >= text.length && !(start === 0 && n === 1)) return undefined
  let end = text.indexOf('\n', start)
  if (end < 0) end = text.length
  if (end > start && text.charAt(end - 1) === '\r') end--
  return {text: text.slice(start, end), start, end}
}

export function replaceRange(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end)
}

/** Text that a file may not be edited as: invalid UTF-8 decoded to U+FFFD, or NUL bytes. */
export function unsafeToEdit(text: string): string | undefined {
  if (text.includes('\uFFFD')) return 'it is not valid UTF-8 (an edit could not keep its bytes)'
  if (text.includes('\0')) return 'it holds NUL bytes (not a text file)'
  return undefined
}
