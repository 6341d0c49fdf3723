/**
 * The one glob matcher: `--limit` host patterns, waiver `hosts:` and the image reader's path patterns
 * all match through it, so `dom0-[0-9]*` means the same thing everywhere.
 *
 * Semantics are fnmatch(3)'s, without flags beyond the two named below:
 * - `*` any run of characters (also empty), `?` one character;
 * - `[...]` one character from a set: ranges (`a-z`), POSIX classes (`[:digit:]`, `[:alpha:]`, ...),
 *   `!` or `^` first negates, a `]` first is literal; an unclosed `[` is a literal `[`;
 * - `\x` is a literal x;
 * - no braces, no extglob, no `**`: `{a,b}` and `@(x)` are literal text, as in fnmatch.
 * Options: `caseInsensitive` (host names: DNS ignores case), `period` (FNM_PERIOD, the shell's rule for
 * file names: a leading `.` is matched only by a literal `.`).
 *
 * Why not a library: the well-kept ones (picomatch, minimatch, micromatch) compile a glob to a
 * backtracking RegExp, and V8's RegExp takes time exponential in the number of stars:
 * picomatch 4 needs 25 s for `*a*a*a*a*a*a*a*a*a*a*b` against 40 `a`s (measured). A waiver file or an
 * image is input, so matching must be bounded: this matcher keeps one backtrack point (the last star),
 * the classic wildcard algorithm, and so takes at most (|name| + 1) x (|pattern| + 1) steps whatever
 * the pattern. Characters are code points, so `?` matches one character of any script.
 */

type Token =
  | {kind: 'char'; cp: number}
  | {kind: 'any'}
  | {kind: 'star'}
  | {kind: 'set'; negated: boolean; test: (cp: number) => boolean}

export interface GlobOptions {
  caseInsensitive?: boolean
  /** FNM_PERIOD: a `.` at the start of the name is matched only by a literal `.`. */
  period?: boolean
}

export interface Glob {
  readonly pattern: string
  /** Whether `name` matches; `counter.steps` (when given) counts the comparison steps taken. */
  test(name: string, counter?: {steps: number}): boolean
}

/** Whether `text` holds any glob syntax (`*`, `?` or `[`); text without it is a plain name. */
export function hasGlobMagic(text: string): boolean {
  return /[*?[]/.test(text)
}

const POSIX_CLASSES: Record<string, (cp: number) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function codePoints(text: string): number[] {
  const out: number[] = []
  for (const ch of text) out.push(ch.codePointAt(0)!)
  return out
}

function fold(cp: number): number {
  // ASCII and the common scripts: toLowerCase of one code point; characters that change length stay.
  if (cp >= 0x41 && cp <= 0x5a) return cp + 0x20
  if (cp < 0x80) return cp
  const lower = String.fromCodePoint(cp).toLowerCase()
  return [...lower].length === 1 ? lower.codePointAt(0)! : cp
}

/** A bracket expression starting at `p[i]` (the `[`): its token and the index after it, or undefined when unclosed. */
function bracket(p: number[], i: number): {token: Token; next: number} | undefined {
  let j = i + 1
  let negated = false
  if (p[j] === 0x21 /* ! */ || p[j] === 0x5e /* ^ */) {
    negated = true
    j++
  }
  const tests: Array<(cp: number) => boolean> = []
  let first = true
  while (j < p.length) {
    const c = p[j]!
    if (c === 0x5d /* ] */ && !first) {
      return {token: {kind: 'set', negated, test: (cp) => tests.some((t) => t(cp))}, next: j + 1}
    }
    first = false
    if (c === 0x5b /* [ */ && p[j + 1] === 0x3a /* : */) {
      const close = findClassEnd(p, j + 2)
      if (close !== undefined) {
        const name = String.fromCodePoint(...p.slice(j + 2, close))
        const cls = POSIX_CLASSES[name]
        // An unknown class name matches nothing, as glibc's fnmatch does.
        tests.push(cls ?? (() => false))
        j = close + 2
        continue
      }
    }
    let lo = c
    if (c === 0x5c /* \ */ && j + 1 < p.length) {
      lo = p[j + 1]!
      j++
    }
    j++
    if (p[j] === 0x2d /* - */ && j + 1 < p.length && p[j + 1] !== 0x5d) {
      let hi = p[j + 1]!
      j += 2
      if (hi === 0x5c && j < p.length) {
        hi = p[j]!
        j++
      }
      const low = lo
      tests.push((cp) => cp >= low && cp <= hi)
    } else {
      const one = lo
      tests.push((cp) => cp === one)
    }
  }
  return undefined
}

function findClassEnd(p: number[], from: number): number | undefined {
  for (let k = from; k + 1 < p.length; k++) {
    if (p[k] === 0x3a && p[k + 1] === 0x5d) return k
    if (!((p[k]! >= 0x61 && p[k]! <= 0x7a) || (p[k]! >= 0x41 && p[k]! <= 0x5a))) return undefined
  }
  return undefined
}

function tokenize(pattern: string): Token[] {
  const p = codePoints(pattern)
  const tokens: Token[] = []
  for (let i = 0; i < p.length; ) {
    const c = p[i]!
    if (c === 0x2a /* * */) {
      // Consecutive stars are one star.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({kind: 'star'})
      i++
    } else if (c === 0x3f /* ? */) {
      tokens.push({kind: 'any'})
      i++
    } else if (c === 0x5b /* [ */) {
      const set = bracket(p, i)
      if (set) {
        tokens.push(set.token)
        i = set.next
      } else {
        tokens.push({kind: 'char', cp: c})
        i++
      }
    } else if (c === 0x5c /* \ */ && i + 1 < p.length) {
      tokens.push({kind: 'char', cp: p[i + 1]!})
      i += 2
    } else {
      tokens.push({kind: 'char', cp: c})
      i++
    }
  }
  return tokens
}

export function compileGlob(pattern: string, options: GlobOptions = {}): Glob {
  const tokens = tokenize(pattern)
  const ci = options.caseInsensitive === true
  const one = (t: Token, cp: number): boolean => {
    switch (t.kind) {
      case 'any':
        return true
      case 'char':
        return t.cp === cp || (ci && fold(t.cp) === fold(cp))
      case 'set': {
        const hit = t.test(cp) || (ci && (t.test(fold(cp)) || t.test(String.fromCodePoint(cp).toUpperCase().codePointAt(0)!)))
        return hit !== t.negated
      }
      default:
        return false
    }
  }
  return {
    pattern,
    test(name: string, counter?: {steps: number}): boolean {
      const s = codePoints(name)
      if (options.period && s[0] === 0x2e) {
        const head = tokens[0]
        if (!head || head.kind !== 'char' || head.cp !== 0x2e) return false
      }
      let p = 0
      let i = 0
      let starP = -1
      let starI = 0
      let steps = 0
      let result: boolean | undefined
      while (result === undefined) {
        steps++
        if (i === s.length) {
          while (p < tokens.length && tokens[p]!.kind === 'star') p++
          result = p === tokens.length
          break
        }
        const t = tokens[p]
        if (t?.kind === 'star') {
          starP = p++
          starI = i
        } else if (t && one(t, s[i]!)) {
          p++
          i++
        } else if (starP >= 0) {
          // Let the last star swallow one more character and retry what follows it.
          p = starP + 1
          i = ++starI
        } else result = false
      }
      if (counter) counter.steps += steps
      return result
    },
  }
}

/** One-shot match; compile once with compileGlob when matching many names. */
export function globMatch(pattern: string, name: string, options: GlobOptions = {}): boolean {
  return compileGlob(pattern, options).test(name)
}
