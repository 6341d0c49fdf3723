/**
 * A small POSIX-shell tokenizer, shared by the shell-variable files (`/etc/default/grub`, sysconfig,
 * kdump-tools, os-release) and by GRUB 2's script language, which borrows the shell's quoting rules.
 * It only splits text into words and operators and remembers where each came from; meaning
 * (expansion, control flow) belongs to the callers. It never throws and always advances.
 */
import type {ParseProblem} from './parse-result.js'

export type WordPart =
  | {kind: 'lit'; text: string; quoted: boolean}
  /** `$NAME`, `${NAME}`, `${NAME:-word}`: `op` is the operator (`:-`, `-`, `:=`, `=`, `:+`, `+`), `arg` its raw word. */
  | {kind: 'param'; name: string; op?: string; arg?: string; quoted: boolean; raw: string}
  /** Something this project cannot evaluate statically: `$(...)`, backquotes, `$((...))`, `${#X}`, `${X%y}`. */
  | {kind: 'opaque'; raw: string; quoted: boolean}

export interface Word {
  parts: WordPart[]
  /** The word exactly as written. */
  raw: string
  start: number
  end: number
  /** 1-based line where the word starts. */
  line: number
}

export type Token =
  | {type: 'word'; word: Word}
  | {type: 'op'; op: string; start: number; end: number; line: number}
  | {type: 'newline'; start: number; line: number}

export type Dialect = 'sh' | 'grub'

const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /[A-Za-z0-9_]/
const SH_OPS = ['&&', '||', ';;', '>>', '<<', '>&', '<&', '>|', ';', '&', '|', '(', ')', '<', '>']
// GRUB paths such as `(hd0,msdos1)/vmlinuz` use parentheses as ordinary characters.
const GRUB_OPS = ['&&', '||', '>>', ';', '&', '|', '<', '>']

/** A run of characters that are plain inside a bare word: no blank, quote, backslash, `$`, backquote or operator start. */
const plainRun = (ops: readonly string[]): RegExp =>
  new RegExp(`[^ \\t\\n\\r\\f\\v\\\\'"$\`${[...new Set(ops.map((o) => o[0]!))].map((c) => `\\${c}`).join('')}]+`, 'y')
const PLAIN_RUN = {sh: plainRun(SH_OPS), grub: plainRun(GRUB_OPS)}
/** Inside double quotes: everything but a backslash, `$`, backquote or the closing quote. */
const QUOTED_RUN = /[^\\$`"]+/y

export interface LexResult {
  tokens: Token[]
  problems: ParseProblem[]
}

export function lexShell(text: string, dialect: Dialect = 'sh'): LexResult {
  return new Lexer(text, dialect).run()
}

class Lexer {
  private pos = 0
  private line = 1
  private readonly tokens: Token[] = []
  readonly problems: ParseProblem[] = []
  private readonly ops: string[]

  constructor(
    private readonly text: string,
    private readonly dialect: Dialect,
  ) {
    this.ops = dialect === 'sh' ? SH_OPS : GRUB_OPS
  }

  run(): LexResult {
    const t = this.text
    while (this.pos < t.length) {
      const c = t[this.pos]!
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.pos++
      } else if (c === '\\' && t[this.pos + 1] === '\n') {
        this.pos += 2
        this.line++
      } else if (c === '\n') {
        this.tokens.push({type: 'newline', start: this.pos, line: this.line})
        this.pos++
        this.line++
      } else if (c === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++
      } else {
        const op = this.ops.find((o) => t.startsWith(o, this.pos))
        if (op) {
          this.tokens.push({type: 'op', op, start: this.pos, end: this.pos + op.length, line: this.line})
          this.pos += op.length
        } else {
          this.tokens.push({type: 'word', word: this.word()})
        }
      }
    }
    return {tokens: this.tokens, problems: this.problems}
  }

  private isWordEnd(c: string): boolean {
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') return true
    return this.ops.some((o) => o[0] === c)
  }

  private word(): Word {
    const t = this.text
    const start = this.pos
    const line = this.line
    const parts: WordPart[] = []
    const lit = (s: string, quoted: boolean): void => {
      const last = parts[parts.length - 1]
      if (last && last.kind === 'lit' && last.quoted === quoted) last.text += s
      else parts.push({kind: 'lit', text: s, quoted})
    }
    while (this.pos < t.length && !this.isWordEnd(t[this.pos]!)) {
      const c = t[this.pos]!
      if (c === '\\') {
        const next = t[this.pos + 1]
        if (next === undefined) {
          lit('\\', false)
          this.pos++
        } else if (next === '\n') {
          this.pos += 2
          this.line++
        } else {
          lit(next, true)
          this.pos += 2
        }
      } else if (c === "'") {
        const close = t.indexOf("'", this.pos + 1)
        if (close < 0) {
          this.problems.push({line: this.line, message: 'unterminated single quote'})
          lit(t.slice(this.pos + 1), true)
          this.countLines(this.pos, t.length)
          this.pos = t.length
        } else {
          lit(t.slice(this.pos + 1, close), true)
          this.countLines(this.pos, close)
          this.pos = close + 1
        }
      } else if (c === '"') {
        this.doubleQuoted(parts, lit)
      } else if (c === '$') {
        this.dollar(parts, lit, false)
      } else if (c === '`' && this.dialect === 'sh') {
        this.backquote(parts, false)
      } else {
        // A run of plain characters at once (one character at a time, a megabyte-long line took a minute).
        const run = PLAIN_RUN[this.dialect]
        run.lastIndex = this.pos + 1
        const end = run.test(t) ? run.lastIndex : this.pos + 1
        lit(t.slice(this.pos, end), false)
        this.pos = end
      }
    }
    return {parts, raw: t.slice(start, this.pos), start, end: this.pos, line}
  }

  private doubleQuoted(parts: WordPart[], lit: (s: string, quoted: boolean) => void): void {
    const t = this.text
    const openLine = this.line
    this.pos++
    while (this.pos < t.length && t[this.pos] !== '"') {
      const c = t[this.pos]!
      if (c === '\\') {
        const next = t[this.pos + 1]
        if (next === '\n') {
          this.pos += 2
          this.line++
        } else if (next !== undefined && '$`"\\'.includes(next)) {
          lit(next, true)
          this.pos += 2
        } else {
          lit('\\', true)
          this.pos++
        }
      } else if (c === '$') {
        this.dollar(parts, lit, true)
      } else if (c === '`' && this.dialect === 'sh') {
        this.backquote(parts, true)
      } else {
        // A run at once; the first character is plain here even when it is a backquote (grub has none).
        QUOTED_RUN.lastIndex = this.pos + 1
        const end = QUOTED_RUN.test(t) ? QUOTED_RUN.lastIndex : this.pos + 1
        this.countLines(this.pos, end)
        lit(t.slice(this.pos, end), true)
        this.pos = end
      }
    }
    if (this.pos >= t.length) this.problems.push({line: openLine, message: 'unterminated double quote'})
    else this.pos++
  }

  private dollar(parts: WordPart[], lit: (s: string, quoted: boolean) => void, quoted: boolean): void {
    const t = this.text
    const start = this.pos
    const next = t[this.pos + 1]
    if (next === '{') {
      const close = this.matching(this.pos + 1, '{', '}')
      const inner = t.slice(this.pos + 2, close < 0 ? t.length : close)
      const end = close < 0 ? t.length : close + 1
      if (close < 0) this.problems.push({line: this.line, message: 'unterminated ${'})
      this.countLines(this.pos, end)
      this.pos = end
      const raw = t.slice(start, end)
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?@#*$!-])(?:(:?[-=+?])([\s\S]*))?$/.exec(inner)
      if (m && !(m[1] === '#' && m[2] === undefined && inner.length > 1)) {
        parts.push(m[2] === undefined ? {kind: 'param', name: m[1]!, quoted, raw} : {kind: 'param', name: m[1]!, op: m[2], arg: m[3] ?? '', quoted, raw})
      } else {
        parts.push({kind: 'opaque', raw, quoted})
      }
    } else if (next === '(' && this.dialect === 'sh') {
      const close = this.matching(this.pos + 1, '(', ')')
      const end = close < 0 ? t.length : close + 1
      if (close < 0) this.problems.push({line: this.line, message: 'unterminated $('})
      this.countLines(this.pos, end)
      this.pos = end
      parts.push({kind: 'opaque', raw: t.slice(start, end), quoted})
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = this.pos + 1
      while (end < t.length && NAME_CHAR.test(t[end]!)) end++
      parts.push({kind: 'param', name: t.slice(this.pos + 1, end), quoted, raw: t.slice(start, end)})
      this.pos = end
    } else if (next !== undefined && /[0-9?@#*$!-]/.test(next)) {
      parts.push({kind: 'param', name: next, quoted, raw: t.slice(start, start + 2)})
      this.pos += 2
    } else {
      lit('$', quoted)
      this.pos++
    }
  }

  private backquote(parts: WordPart[], quoted: boolean): void {
    const t = this.text
    const start = this.pos
    let end = this.pos + 1
    while (end < t.length && t[end] !== '`') end += t[end] === '\\' ? 2 : 1
    if (end >= t.length) this.problems.push({line: this.line, message: 'unterminated backquote'})
    end = Math.min(end + 1, t.length)
    this.countLines(start, end)
    this.pos = end
    parts.push({kind: 'opaque', raw: t.slice(start, end), quoted})
  }

  /** Index of the bracket closing the one at `open`, skipping quoted text; -1 when unbalanced. */
  private matching(open: number, opener: string, closer: string): number {
    const t = this.text
    let depth = 0
    let i = open
    while (i < t.length) {
      const c = t[i]!
      if (c === '\\') {
        i += 2
        continue
      }
      if (c === "'" && opener === '(') {
        const close = t.indexOf("'", i + 1)
        if (close < 0) return -1
        i = close + 1
        continue
      }
      if (c === '"') {
        let j = i + 1
        while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1
        if (j >= t.length) return -1
        i = j + 1
        continue
      }
      if (c === opener) depth++
      else if (c === closer && --depth === 0) return i
      i++
    }
    return -1
  }

  private countLines(from: number, to: number): void {
    for (let i = from; i < to && i < this.text.length; i++) if (this.text[i] === '\n') this.line++
  }
}

/** Splits a token stream into simple commands at newlines and `;`, `&`, `&&`, `||`, `|`, `;;`. */
export interface SimpleCommand {
  words: Word[]
  /** Operators inside the command (redirections, grouping parentheses), with what follows them. */
  ops: {op: string; line: number; start: number; target?: Word}[]
  line: number
  start: number
  end: number
  /** The operator that ended the command (`newline`, `;`, `&&`, ...), or `eof`. */
  terminator: string
}

const SEPARATORS = new Set([';', '&', '&&', '||', '|', ';;'])

export function simpleCommands(tokens: Token[]): SimpleCommand[] {
  const out: SimpleCommand[] = []
  let cur: SimpleCommand | undefined
  const finish = (terminator: string): void => {
    if (cur && (cur.words.length > 0 || cur.ops.length > 0)) {
      cur.terminator = terminator
      out.push(cur)
    }
    cur = undefined
  }
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!
    if (tok.type === 'newline') {
      finish('newline')
      continue
    }
    if (tok.type === 'op' && SEPARATORS.has(tok.op)) {
      finish(tok.op)
      continue
    }
    const start = tok.type === 'word' ? tok.word.start : tok.start
    const line = tok.type === 'word' ? tok.word.line : tok.line
    cur ??= {words: [], ops: [], line, start, end: start, terminator: 'eof'}
    if (tok.type === 'word') {
      cur.words.push(tok.word)
      cur.end = tok.word.end
    } else {
      const following = tokens[i + 1]
      const isRedirect = tok.op !== '(' && tok.op !== ')'
      if (isRedirect && following?.type === 'word') {
        cur.ops.push({op: tok.op, line: tok.line, start: tok.start, target: following.word})
        cur.end = following.word.end
        i++
      } else {
        cur.ops.push({op: tok.op, line: tok.line, start: tok.start})
        cur.end = tok.end
      }
    }
  }
  finish('eof')
  return out
}

/** The word's text with quotes removed and every expansion left as written: for keywords and literal arguments. */
export function literalText(word: Word): string {
  return word.parts.map((p) => (p.kind === 'lit' ? p.text : p.raw)).join('')
}

/** True when the word is entirely unquoted literal text equal to `s` (how shells recognise reserved words). */
export function isBare(word: Word, s: string): boolean {
  return word.raw === s
}

/** The parts of an assignment word `NAME=value` after the `=` (the name and `=` are always unquoted literal text). */
export function assignmentValueParts(word: Word, nameLength: number): WordPart[] {
  const out: WordPart[] = []
  let left = nameLength + 1
  for (const p of word.parts) {
    if (left > 0 && p.kind === 'lit' && !p.quoted) {
      if (p.text.length > left) out.push({...p, text: p.text.slice(left)})
      left -= p.text.length
    } else {
      left = 0
      out.push(p)
    }
  }
  return out
}
