/**
 * Layout for people at a terminal: how wide the screen is, whether it takes colour, and prose wrapped to it.
 * Shared by every text renderer (check, preflight, scan, explain), so all of them answer the same way to
 * COLUMNS, NO_COLOR and FORCE_COLOR.
 */

/** The width used when neither COLUMNS nor a terminal says: a pipe, a file, a CI log. */
export const DEFAULT_WIDTH = 80
const MIN_WIDTH = 40
const MAX_WIDTH = 400

/**
 * The width to wrap to: COLUMNS when it is a sane number (a user's explicit word, and what tests set), else the
 * terminal's own width when writing to one, else 80. Clamped to 40..400 so a lying terminal cannot make every
 * word its own line or one line of a whole report.
 */
export function terminalWidth(stream: {isTTY?: boolean; columns?: number} | undefined, env: NodeJS.ProcessEnv = process.env, fallback = DEFAULT_WIDTH): number {
  const fromEnv = /^\s*(\d{1,6})\s*$/.exec(env.COLUMNS ?? '')
  const columns = fromEnv ? Number(fromEnv[1]) : stream?.isTTY && stream.columns ? stream.columns : undefined
  if (columns === undefined || columns <= 0) return fallback
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, columns))
}

const off = (value: string | undefined): boolean => value !== undefined && ['0', 'false', 'no'].includes(value.trim().toLowerCase())
const on = (value: string | undefined): boolean => value !== undefined && value.trim() !== '' && !off(value)

/**
 * Colour only for a person at a terminal: never into a file (-o); never with NO_COLOR set (no-color.org: any
 * non-empty value, whatever else asks); FORCE_COLOR (any value but empty, 0, false) asks for it even through a
 * pipe, and FORCE_COLOR=0 refuses it on a terminal; otherwise a TTY gets it.
 */
export function wantsColor(stream: {isTTY?: boolean}, toFile: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (toFile) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (off(env.FORCE_COLOR)) return false
  if (on(env.FORCE_COLOR)) return true
  return Boolean(stream.isTTY)
}

/**
 * `text` word-wrapped to `width` columns, each line after `indent`; continuation lines get `hang` more spaces
 * (a bullet's text lines up under its first word). A word longer than the line is kept whole (a path or
 * command must stay copyable), and blank lines are kept. Each input line is wrapped on its own.
 */
export function wrap(text: string, width: number, indent = 0, hang?: number): string[] {
  const out: string[] = []
  for (const line of reflow(text)) {
    if (line.trim() === '') {
      out.push('')
      continue
    }
    // A line that fits is kept as written (its own spacing, e.g. two spaces between columns).
    if (indent + line.length <= width) {
      out.push(' '.repeat(indent) + line)
      continue
    }
    const own = /^\s*/.exec(line)![0].length
    const bullet = /^\s*(?:[-*]|\d+\.)\s+/.exec(line)
    const first = ' '.repeat(indent + own)
    const next = ' '.repeat(indent + own + (hang ?? (bullet ? bullet[0].length - own : 0)))
    let current = first
    let empty = true
    // Split at single spaces: a double space (between columns) stays inside the word it joins.
    for (const word of line.trim().split(/(?<! ) (?! )/)) {
      if (!empty && current.length + 1 + word.length > width) {
        out.push(current)
        current = next + word
      } else {
        current += (empty ? '' : ' ') + word
      }
      empty = false
    }
    out.push(current)
  }
  return out
}

/**
 * The lines of prose that was hard-wrapped at its source: an indented line that is not a bullet of its own
 * continues the line before it (the fix texts wrap a bullet's text under itself), so the terminal's width decides.
 */
function reflow(text: string): string[] {
  const out: string[] = []
  for (const line of text.split('\n')) {
    const previous = out.at(-1)
    if (previous !== undefined && previous.trim() !== '' && /^\s+\S/.test(line) && !/^\s*(?:[-*]|\d+\.)\s/.test(line)) out[out.length - 1] = `${previous} ${line.trim()}`
    else out.push(line)
  }
  return out
}

/** `text` cut to at most `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (max <= 0) return ''
  if (text.length <= max) return text
  return max === 1 ? '…' : `${text.slice(0, max - 1).trimEnd()}…`
}

export type Painter = ReturnType<typeof painter>

export function painter(enabled: boolean) {
  const wrapWith = (open: number, close: number) => (text: string) => (enabled && text !== '' ? `\u001B[${open}m${text}\u001B[${close}m` : text)
  return {
    bold: wrapWith(1, 22),
    dim: wrapWith(2, 22),
    red: wrapWith(31, 39),
    green: wrapWith(32, 39),
    yellow: wrapWith(33, 39),
    cyan: wrapWith(36, 39),
  }
}
