/**
 * Edits of shell-variable files that `sh` sources: /etc/default/grub and its grub.d drop-ins,
 * /etc/default/kdump-tools, /etc/sysconfig/kdump. An edit touches one assignment's right-hand side
 * and nothing else: comments, ordering, the other assignments, the quoting style and the spacing
 * between the words that stay are kept byte for byte.
 *
 * The values of GRUB_CMDLINE_* are read twice: `sh` removes one layer of quoting, then grub-mkconfig
 * pastes the result into grub.cfg, whose own lexer removes another (`\<` there is a literal `<`).
 * Words of such a value are matched and written through both layers (`grubLayer`).
 */
import {lexShell, simpleCommands} from '../../parsers/shell-lexer.js'
import {splitLines} from '../text.js'
import {editWords, type RawWord, type WordList, type WordOp} from './words.js'

export interface AssignmentSite {
  name: string
  /** 1-based line. */
  line: number
  /** Offsets of the right-hand side (after `=`) in the text. */
  rhsStart: number
  rhsEnd: number
  rhs: string
}

const ASSIGN_PREFIX = new Set(['export', 'readonly'])

/** Every assignment of `name` the shell would make, in order, with where its value is written. */
export function assignmentSites(text: string, name: string): AssignmentSite[] {
  const sites: AssignmentSite[] = []
  for (const cmd of simpleCommands(lexShell(text, 'sh').tokens)) {
    if (cmd.ops.length > 0) continue
    // Keywords that only open a block may precede an assignment on the same line (`then X=1`).
    let words = cmd.words
    while (words.length > 0 && /^(then|else|do|\{)$/.test(words[0]!.raw)) words = words.slice(1)
    if (words.length > 0 && ASSIGN_PREFIX.has(words[0]!.raw)) words = words.slice(1)
    if (!words.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.raw))) continue
    for (const w of words) {
      if (!w.raw.startsWith(`${name}=`)) continue
      const rhsStart = w.start + name.length + 1
      sites.push({name, line: w.line, rhsStart, rhsEnd: w.end, rhs: text.slice(rhsStart, w.end)})
    }
  }
  return sites
}

export interface ValueOptions {
  /** The value is grub script text (GRUB_CMDLINE_*): words are matched and written through grub's lexer too. */
  grubLayer?: boolean
}

/** The form of a right-hand side this editor can change word by word. */
type Shape = {kind: 'double' | 'single'; contentStart: number; contentEnd: number} | {kind: 'bare'} | {kind: 'empty'} | {kind: 'complex'}

function shapeOf(rhs: string): Shape {
  if (rhs === '') return {kind: 'empty'}
  if (rhs.length >= 2 && rhs.startsWith("'") && rhs.endsWith("'") && !rhs.slice(1, -1).includes("'")) return {kind: 'single', contentStart: 1, contentEnd: rhs.length - 1}
  if (rhs.length >= 2 && rhs.startsWith('"') && closingDoubleQuote(rhs) === rhs.length - 1) return {kind: 'double', contentStart: 1, contentEnd: rhs.length - 1}
  if (/^[A-Za-z0-9_@%+=:,./<>-]*$/.test(rhs) && !/[<>]/.test(rhs)) return {kind: 'bare'}
  return {kind: 'complex'}
}

function closingDoubleQuote(rhs: string): number {
  for (let i = 1; i < rhs.length; i++) {
    const c = rhs.charAt(i)
    if (c === '\\') i++
    else if (c === '"') return i
  }
  return -1
}

/** The words of a double-quoted content, split where `sh`'s value would have blanks. */
function doubleQuotedWords(text: string, start: number, end: number, grubLayer: boolean): RawWord[] {
  const words: RawWord[] = []
  let i = start
  while (i < end) {
    while (i < end && /[ \t\n]/.test(text.charAt(i))) i++
    if (i >= end) break
    const wStart = i
    let value = ''
    let opaque = false
    while (i < end && !/[ \t\n]/.test(text.charAt(i))) {
      const c = text.charAt(i)
      if (c === '\\' && i + 1 < end) {
        const n = text.charAt(i + 1)
        if ('$`"\\'.includes(n)) value += n
        else if (n === '\n') value += ''
        else value += c + n
        i += 2
        continue
      }
      if (c === '$' || c === '`') opaque = true
      value += c
      i++
    }
    words.push({start: wStart, end: i, literal: opaque ? undefined : grubLayer ? grubLiteral(value) : value})
  }
  return words
}

function plainWords(text: string, start: number, end: number, grubLayer: boolean): RawWord[] {
  const words: RawWord[] = []
  const re = /[^ \t\n]+/g
  re.lastIndex = start
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    const wEnd = Math.min(m.index + m[0].length, end)
    const raw = text.slice(m.index, wEnd)
    words.push({start: m.index, end: wEnd, literal: grubLayer ? grubLiteral(raw) : raw})
  }
  return words
}

/** One grub script word as grub's lexer reads it; undefined when it expands a variable or is quoted in parts we do not model. */
export function grubLiteral(word: string): string | undefined {
  let out = ''
  let quote: string | undefined
  for (let i = 0; i < word.length; i++) {
    const c = word.charAt(i)
    if (quote === "'") {
      if (c === "'") quote = undefined
      else out += c
      continue
    }
    if (c === '\\') {
      if (i + 1 < word.length) out += word.charAt(++i)
      continue
    }
    if (c === '$') return undefined
    if (c === '"') {
      quote = quote === '"' ? undefined : '"'
      continue
    }
    if (c === "'" && quote === undefined) {
      quote = "'"
      continue
    }
    if (quote === undefined && /[<>;&|]/.test(c)) return undefined
    out += c
  }
  return quote === undefined ? out : undefined
}

/** A literal word as grub script text: the characters its lexer treats specially get a backslash. */
export function grubEncode(literal: string): string | undefined {
  if (literal === '' || /[\s\0]/.test(literal)) return undefined
  return literal.replace(/[\\"'$<>;&|#{}()]/g, '\\$&')
}

function doubleEncode(value: string): string {
  return value.replace(/[\\"$`]/g, '\\$&')
}

/** The right-hand side's words, for editWords; undefined when its form is not one this editor changes word by word. */
export function valueWords(text: string, site: AssignmentSite, options: ValueOptions = {}): WordList | undefined {
  const grub = options.grubLayer ?? false
  const shape = shapeOf(site.rhs)
  const layer = (lit: string): string | undefined => (grub ? grubEncode(lit) : /[\s]/.test(lit) || lit === '' ? undefined : lit)
  switch (shape.kind) {
    case 'double': {
      const start = site.rhsStart + shape.contentStart
      const end = site.rhsStart + shape.contentEnd
      return {start, end, words: doubleQuotedWords(text, start, end, grub), encode: (lit) => mapDefined(layer(lit), doubleEncode)}
    }
    case 'single': {
      const start = site.rhsStart + shape.contentStart
      const end = site.rhsStart + shape.contentEnd
      return {start, end, words: plainWords(text, start, end, grub), encode: (lit) => mapDefined(layer(lit), (s) => (s.includes("'") ? undefined : s))}
    }
    default:
      return undefined
  }
}

function mapDefined<T, U>(value: T | undefined, f: (v: T) => U | undefined): U | undefined {
  return value === undefined ? undefined : f(value)
}

/**
 * Applies word operations to one assignment's value. A bare or empty value is first given double
 * quotes (its meaning unchanged: it holds no character that quotes would change) so that words can
 * be added; a value of any other form is refused (the caller says a person must edit it).
 */
export function editAssignmentWords(text: string, site: AssignmentSite, ops: readonly WordOp[], options: ValueOptions = {}): string | undefined {
  let current = text
  let at = site
  const shape = shapeOf(site.rhs)
  if (shape.kind === 'complex') return undefined
  if (shape.kind === 'bare' || shape.kind === 'empty') {
    const quoted = `"${site.rhs}"`
    current = text.slice(0, site.rhsStart) + quoted + text.slice(site.rhsEnd)
    at = {...site, rhs: quoted, rhsEnd: site.rhsStart + quoted.length}
  }
  const rhsLength = at.rhsEnd - at.rhsStart
  const tail = current.length - at.rhsEnd
  let out: string
  try {
    out = editWords(current, (t) => valueWords(t, {...at, rhsEnd: t.length - tail, rhs: t.slice(at.rhsStart, t.length - tail)}, options)!, ops)
  } catch {
    return undefined
  }
  void rhsLength
  // Nothing changed: keep the original bytes (no quotes added for nothing).
  const newRhs = out.slice(at.rhsStart, out.length - tail)
  if (newRhs === at.rhs) return text
  // A value that was bare and is still one bare word loses the quotes again.
  if (shape.kind === 'bare' && /^"[A-Za-z0-9_@%+=:,./-]*"$/.test(newRhs) && newRhs.length > 2) {
    return out.slice(0, at.rhsStart) + newRhs.slice(1, -1) + out.slice(out.length - tail)
  }
  return out
}

/** Writes a whole new value in the assignment's own quoting style. */
export function setAssignmentValue(text: string, site: AssignmentSite, value: string): string {
  const shape = shapeOf(site.rhs)
  let rhs: string
  if (shape.kind === 'single' && !value.includes("'")) rhs = `'${value}'`
  else if (shape.kind === 'bare' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) rhs = value
  else rhs = `"${doubleEncode(value)}"`
  if (rhs === site.rhs) return text
  return text.slice(0, site.rhsStart) + rhs + text.slice(site.rhsEnd)
}

/**
 * Adds `NAME="value"`: after the last commented-out example of the variable (`#KDUMP_CMDLINE=""`)
 * when the file has one, else at the end.
 */
export function addAssignment(text: string, name: string, value: string): string {
  const line = `${name}="${doubleEncode(value)}"`
  const lines = splitLines(text)
  let example = -1
  lines.forEach((l, i) => {
    if (new RegExp(`^\\s*#\\s*(export\\s+)?${name}=`).test(l.text)) example = i
  })
  if (example < 0) {
    const eol = lines.some((l) => l.eol === '\r\n') ? '\r\n' : '\n'
    const base = text === '' || text.endsWith('\n') ? text : text + eol
    return `${base}${line}${eol}`
  }
  const eol = lines[example]!.eol || (lines.some((l) => l.eol === '\r\n') ? '\r\n' : '\n')
  const before = lines.slice(0, example + 1).map((l, i) => (i === example ? l.text + eol : l.text + l.eol)).join('')
  const after = lines.slice(example + 1).map((l) => l.text + l.eol).join('')
  return `${before}${line}${lines[example]!.eol === '' ? '' : eol}${after}`
}
