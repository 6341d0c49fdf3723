/**
 * Shell-variable files: `/etc/default/grub` (+ `grub.d/*.cfg`), `/etc/sysconfig/kdump`,
 * `/etc/default/kdump-tools`, `/etc/os-release`, `/etc/xensource-inventory`.
 *
 * These files are *sourced by sh*, so their meaning is the shell's, not an INI reader's. The `ini`
 * package gets the cases that matter here wrong: it keeps `export ` in the key, does not expand
 * `$GRUB_CMDLINE_LINUX_DEFAULT` (Debian's kdump-tools drop-in appends `crashkernel=` exactly that way),
 * treats `;` as a comment start (legal inside a shell value), cannot join single- and double-quoted
 * pieces (`A='x'"$B"`), reads neither `\"` nor multi-line quoted values, and knows no `if ... fi`
 * (Debian's own `/etc/default/grub.d/xen.cfg` sets GRUB_DEFAULT inside one).
 *
 * So this is a deliberately small shell evaluator: assignments (with `export`/`readonly`), parameter
 * expansion with `:-`/`-`/`:=`/`=`/`:+`/`+`, and `if`/`elif`/`else`/`fi` over `[ ]`/`test` string
 * tests. What it cannot know (command substitution, file tests, other commands) is marked, never
 * guessed: an assignment made under an undecidable condition is `conditional`, one whose value
 * needs a command's output is `unevaluated`.
 */
import {assignmentValueParts, lexShell, simpleCommands, literalText, type SimpleCommand, type Word, type WordPart} from './shell-lexer.js'
import {parsed, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface ShellAssignment {
  name: string
  /** The value after quote removal and expansion. */
  value: string
  /** The right-hand side exactly as written (quotes included). */
  raw: string
  /** 1-based line of the assignment. */
  line: number
  /** Which file it came from, when the caller named one. */
  source?: string
  exported: boolean
  /** Variables this value read (`$X`, `${X:-y}`). */
  refs: string[]
  /** The value holds command substitution or another expansion that cannot be evaluated: `value` keeps it as written. */
  unevaluated: boolean
  /** Made under an `if`/`case`/loop whose condition could not be decided: it may not happen. */
  conditional: boolean
}

export interface IgnoredCommand {
  line: number
  text: string
  source?: string
}

export interface ShellVars {
  /** Every assignment in the order the shell would run it (skipped branches left out). */
  assignments: ShellAssignment[]
  /** The last assignment of each variable still set at the end (null-prototype object). */
  vars: Record<string, ShellAssignment>
  /** Commands that are not assignments (`echo`, `grub_warn`, `. file`): not run, listed for the record. */
  commands: IgnoredCommand[]
}

export interface ShellVarsOptions {
  /** Variables already set when this text is sourced, e.g. from a file sourced before it. */
  env?: Record<string, ShellAssignment>
  /** Name recorded on every assignment (a file path). */
  source?: string
}

export function parseShellVars(text: string, options: ShellVarsOptions = {}): Parsed<ShellVars> {
  return total('shell-vars', () => {
    const lexed = lexShell(text, 'sh')
    const ev = new Evaluator(text, options)
    ev.run(simpleCommands(lexed.tokens))
    return parsed(ev.result(), [...lexed.problems, ...ev.problems])
  })
}

/** Convenience for callers that only want final string values. */
export function shellValue(vars: ShellVars, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(vars.vars, name) ? vars.vars[name]!.value : undefined
}

interface Frame {
  kind: 'if' | 'case' | 'loop' | 'group'
  /** Whether the branch being read runs. */
  branch: Truth
  /** For `if`: whether an earlier branch certainly / possibly ran. */
  taken: Truth
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const DECLARE = new Set(['export', 'readonly', 'local', 'declare', 'typeset'])
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

class Evaluator {
  readonly problems: ParseProblem[] = []
  private readonly assignments: ShellAssignment[] = []
  private readonly commands: IgnoredCommand[] = []
  private readonly vars: Record<string, ShellAssignment> = Object.create(null)
  private readonly frames: Frame[] = []
  /** Brace depth inside a function body being skipped (definitions run nothing when sourced). */
  private functionDepth = 0
  private functionPending = false
  /** Truth of the previous simple command, for `[ ... ] && X=1` and `... || X=1`. */
  private previous: {terminator: string; truth: Truth} = {terminator: 'newline', truth: 'true'}

  constructor(
    private readonly text: string,
    private readonly options: ShellVarsOptions,
  ) {
    for (const [k, v] of Object.entries(options.env ?? {})) this.vars[k] = v
  }

  result(): ShellVars {
    return {assignments: this.assignments, vars: this.vars, commands: this.commands}
  }

  run(commands: SimpleCommand[]): void {
    for (const cmd of commands) {
      const truth = this.command(cmd, [...cmd.words], this.chainState())
      this.previous = {terminator: cmd.terminator, truth}
    }
    const open = this.frames[this.frames.length - 1]
    if (open) this.problems.push({message: `unclosed ${open.kind} block at end of file`})
    if (this.functionDepth > 0 || this.functionPending) this.problems.push({message: 'unclosed function body at end of file'})
  }

  /** Whether the current command runs, given the enclosing blocks and a preceding `&&`/`||`. */
  private chainState(): Truth {
    if (this.frames.some((f) => f.branch === 'false')) return 'false'
    let s: Truth = this.frames.some((f) => f.branch === 'unknown') ? 'unknown' : 'true'
    const {terminator, truth} = this.previous
    if (terminator === '&&' || terminator === '||') {
      const runs: Truth = truth === 'unknown' ? 'unknown' : (truth === 'true') === (terminator === '&&') ? 'true' : 'false'
      if (runs === 'false') return 'false'
      if (runs === 'unknown') s = 'unknown'
    }
    return s
  }

  private depth = 0

  /** Runs one simple command; returns its truth (exit status) when that is knowable. */
  private command(cmd: SimpleCommand, words: Word[], state: Truth): Truth {
    // Keywords are peeled off one at a time (`then { A=1`); bound the recursion for hostile input.
    if (this.depth > 64) {
      this.problems.push({line: cmd.line, message: 'too many keywords on one line; rest of the line ignored'})
      return 'unknown'
    }
    this.depth++
    try {
      return this.commandBody(cmd, words, state)
    } finally {
      this.depth--
    }
  }

  private commandBody(cmd: SimpleCommand, words: Word[], state: Truth): Truth {
    const first = words[0]
    if (this.functionDepth > 0 || this.functionPending) {
      if (this.functionPending && first?.raw === '{') {
        this.functionPending = false
        this.functionDepth = 1
      } else if (first?.raw === '}') this.functionDepth--
      else if (words.some((w) => w.raw === '{')) this.functionDepth++
      return 'unknown'
    }
    if (!first) {
      if (cmd.ops.length > 0) this.ignore(cmd)
      return 'unknown'
    }
    const rest = (): Truth => this.command(cmd, words.slice(1), state)
    switch (first.raw) {
      case 'then':
      case 'do':
        return rest()
      case 'else':
        this.elseBranch(first.line)
        return this.command(cmd, words.slice(1), this.chainState())
      case 'if':
        this.frames.push({kind: 'if', branch: 'unknown', taken: 'false'})
        this.condition(words.slice(1), cmd)
        return 'unknown'
      case 'elif':
        this.condition(words.slice(1), cmd, true)
        return 'unknown'
      case 'fi':
        this.pop('if', first.line)
        return 'unknown'
      case 'case':
        this.frames.push({kind: 'case', branch: 'unknown', taken: 'unknown'})
        return 'unknown'
      case 'esac':
        this.pop('case', first.line)
        return 'unknown'
      case 'for':
      case 'while':
      case 'until':
      case 'select':
        this.frames.push({kind: 'loop', branch: 'unknown', taken: 'unknown'})
        return 'unknown'
      case 'done':
        this.pop('loop', first.line)
        return 'unknown'
      case '{':
        this.frames.push({kind: 'group', branch: state === 'false' ? 'false' : 'true', taken: 'true'})
        return rest()
      case '}':
        this.pop('group', first.line)
        return 'unknown'
      case 'function':
        this.startFunction(words)
        return 'true'
    }
    if (NAME.test(first.raw) && cmd.ops.some((o) => o.op === '(') && cmd.ops.some((o) => o.op === ')')) {
      this.startFunction(words)
      return 'true'
    }
    const top = this.frames[this.frames.length - 1]
    if (top?.kind === 'case') {
      // A pattern line `a|b) X=1 ;;` arrives as one command: drop the pattern up to its `)`.
      const close = cmd.ops.find((o) => o.op === ')')
      if (close) {
        const after = words.filter((w) => w.start > close.start)
        const trimmed: SimpleCommand = {...cmd, ops: cmd.ops.filter((o) => o !== close && o.start > close.start)}
        return after.length > 0 ? this.command(trimmed, after, state) : 'unknown'
      }
    }
    if (state === 'false') return 'unknown'
    return this.simple(cmd, words, state)
  }

  private startFunction(words: Word[]): void {
    if (words.some((w) => w.raw === '{')) this.functionDepth = 1
    else this.functionPending = true
  }

  private simple(cmd: SimpleCommand, words: Word[], state: Truth): Truth {
    const head = words[0]!.raw
    if (DECLARE.has(head) && cmd.ops.length === 0) {
      const exported = head === 'export'
      for (const w of words.slice(1)) {
        if (ASSIGN.test(w.raw)) this.assign(w, exported, state)
        else if (exported && NAME.test(w.raw) && has(this.vars, w.raw)) this.vars[w.raw] = {...this.vars[w.raw]!, exported: true}
      }
      return 'true'
    }
    if (cmd.ops.length === 0 && words.every((w) => ASSIGN.test(w.raw))) {
      for (const w of words) this.assign(w, false, state)
      return 'true'
    }
    if (head === 'unset' && cmd.ops.length === 0 && state === 'true') {
      for (const w of words.slice(1)) if (NAME.test(w.raw)) delete this.vars[w.raw]
    }
    if (head === '[' || head === '[[' || head === 'test' || head === 'true' || head === 'false' || head === ':') {
      if (head !== 'true' && head !== 'false' && head !== ':') this.ignore(cmd)
      return state === 'true' ? this.test(words) : 'unknown'
    }
    this.ignore(cmd)
    return 'unknown'
  }

  private ignore(cmd: SimpleCommand): void {
    const text = this.text.slice(cmd.start, cmd.end).replace(/\\\r?\n/g, ' ').trim()
    const c: IgnoredCommand = {line: cmd.line, text}
    if (this.options.source !== undefined) c.source = this.options.source
    this.commands.push(c)
  }

  private assign(word: Word, exported: boolean, state: Truth): void {
    const name = ASSIGN.exec(word.raw)![1]!
    const ex = this.expand(assignmentValueParts(word, name.length))
    const prev = has(this.vars, name) ? this.vars[name] : undefined
    const a: ShellAssignment = {
      name,
      value: ex.value,
      raw: word.raw.slice(name.length + 1),
      line: word.line,
      exported: exported || (prev?.exported ?? false),
      refs: ex.refs,
      unevaluated: ex.unevaluated,
      conditional: state === 'unknown',
    }
    if (this.options.source !== undefined) a.source = this.options.source
    this.assignments.push(a)
    this.vars[name] = a
  }

  /** Expands word parts the way an assignment's right-hand side is expanded (no field splitting). */
  private expand(parts: WordPart[], depth = 0): {value: string; refs: string[]; unevaluated: boolean} {
    let value = ''
    const refs: string[] = []
    let unevaluated = false
    for (const p of parts) {
      if (p.kind === 'lit') {
        value += p.text
        continue
      }
      if (p.kind === 'opaque' || !NAME.test(p.name)) {
        // `$(...)`, `$1`, `$$`: the value depends on a run we do not make.
        value += p.raw
        unevaluated = true
        continue
      }
      refs.push(p.name)
      const cur = has(this.vars, p.name) ? this.vars[p.name] : undefined
      const set = cur !== undefined
      const nonEmpty = set && cur.value !== ''
      const arg = (): string => {
        // `${A:-${B:-...}}` nests; past a sane depth the value is left as written.
        if (depth > 16) {
          unevaluated = true
          return p.raw
        }
        const sub = this.expand(argParts(p.arg ?? ''), depth + 1)
        refs.push(...sub.refs)
        if (sub.unevaluated) unevaluated = true
        return sub.value
      }
      let piece: string
      let fromVar = true
      switch (p.op) {
        case undefined:
          piece = cur?.value ?? ''
          break
        case ':-':
        case ':=':
          fromVar = nonEmpty
          piece = nonEmpty ? cur.value : arg()
          break
        case '-':
        case '=':
          fromVar = set
          piece = set ? cur.value : arg()
          break
        case ':+':
          fromVar = false
          piece = nonEmpty ? arg() : ''
          break
        case '+':
          fromVar = false
          piece = set ? arg() : ''
          break
        default:
          fromVar = false
          piece = p.raw
          unevaluated = true
      }
      if (fromVar && cur?.unevaluated) unevaluated = true
      value += piece
    }
    return {value, refs: [...new Set(refs)], unevaluated}
  }

  private condition(words: Word[], cmd: SimpleCommand, elif = false): void {
    const frame = this.frames[this.frames.length - 1]
    if (!frame || frame.kind !== 'if') {
      this.problems.push({line: cmd.line, message: `${elif ? 'elif' : 'if'} outside an if block`})
      return
    }
    // A condition continued by && or || is a pipeline of commands this evaluator does not run.
    const truth: Truth = cmd.terminator === '&&' || cmd.terminator === '||' || cmd.terminator === '|' ? 'unknown' : this.test(words)
    if (elif) frame.branch = frame.taken === 'true' ? 'false' : frame.taken === 'unknown' && truth !== 'false' ? 'unknown' : truth
    else frame.branch = truth
    frame.taken = frame.taken === 'true' || frame.branch === 'true' ? 'true' : frame.taken === 'unknown' || frame.branch === 'unknown' ? 'unknown' : 'false'
  }

  private elseBranch(line: number): void {
    const frame = this.frames[this.frames.length - 1]
    if (!frame || frame.kind !== 'if') {
      this.problems.push({line, message: 'else outside an if block'})
      return
    }
    frame.branch = frame.taken === 'true' ? 'false' : frame.taken === 'false' ? 'true' : 'unknown'
    frame.taken = 'true'
  }

  private pop(kind: Frame['kind'], line: number): void {
    const frame = this.frames[this.frames.length - 1]
    if (!frame || frame.kind !== kind) {
      this.problems.push({line, message: `unexpected end of ${kind} block`})
      return
    }
    this.frames.pop()
  }

  private test(words: Word[]): Truth {
    return decideTest(words, (w) => {
      const ex = this.expand(w.parts)
      return ex.unevaluated ? undefined : ex.value
    })
  }
}

export type Truth = 'true' | 'false' | 'unknown'

/**
 * Decides `[ ... ]`, `[[ ... ]]`, `test ...`, `true`, `false` and `:` over strings and integers.
 * `expand` returns a word's value, or undefined when it cannot be known; file tests and anything
 * else are 'unknown'. Shared with the GRUB script reader, whose `[` command behaves the same.
 */
export function decideTest(words: Word[], expand: (w: Word) => string | undefined): Truth {
  const head = words[0]?.raw
  if (head === 'true' || head === ':') return 'true'
  if (head === 'false') return 'false'
  let args: Word[]
  if (head === '[' || head === '[[') {
    if (words[words.length - 1]?.raw !== (head === '[' ? ']' : ']]')) return 'unknown'
    args = words.slice(1, -1)
  } else if (head === 'test') args = words.slice(1)
  else return 'unknown'
  let negate = false
  if (args[0]?.raw === '!') {
    negate = true
    args = args.slice(1)
  }
  const vals: string[] = []
  for (const w of args) {
    const v = expand(w)
    if (v === undefined) return 'unknown'
    vals.push(v)
  }
  const ops = args.map((w) => literalText(w))
  let r: boolean | undefined
  if (vals.length === 1) r = vals[0] !== ''
  else if (vals.length === 2 && ops[0] === '-n') r = vals[1] !== ''
  else if (vals.length === 2 && ops[0] === '-z') r = vals[1] === ''
  else if (vals.length === 3) r = compare(vals[0]!, ops[1]!, vals[2]!)
  if (r === undefined) return 'unknown'
  return r !== negate ? 'true' : 'false'
}

function compare(a: string, op: string, b: string): boolean | undefined {
  if (op === '=' || op === '==') return a === b
  if (op === '!=') return a !== b
  if (!/^\s*-?\d+\s*$/.test(a) || !/^\s*-?\d+\s*$/.test(b)) return undefined
  const [x, y] = [Number(a), Number(b)]
  const table: Record<string, boolean> = {'-eq': x === y, '-ne': x !== y, '-gt': x > y, '-ge': x >= y, '-lt': x < y, '-le': x <= y}
  return has(table, op) ? table[op] : undefined
}

/** Lexes the word inside `${X:-word}` so its own quotes and expansions are honoured, keeping its spacing. */
function argParts(arg: string): WordPart[] {
  const parts: WordPart[] = []
  let last = 0
  for (const t of lexShell(arg, 'sh').tokens) {
    const start = t.type === 'word' ? t.word.start : t.start
    if (parts.length > 0 && start > last) parts.push({kind: 'lit', text: arg.slice(last, start), quoted: true})
    if (t.type === 'word') {
      parts.push(...t.word.parts)
      last = t.word.end
    } else {
      const end = t.type === 'op' ? t.end : t.start + 1
      parts.push({kind: 'lit', text: arg.slice(start, end), quoted: true})
      last = end
    }
  }
  return parts
}
