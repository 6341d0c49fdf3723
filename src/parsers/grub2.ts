/**
 * GRUB 2 `grub.cfg`: Debian's generated Xen entries (20_linux_xen), RHEL 7 / CentOS 7 (Xen4CentOS),
 * XenServer 7/8 and XCP-ng, hand-written configs.
 *
 *   menuentry 'Debian GNU/Linux, with Xen hypervisor' --class debian ... $menuentry_id_option 'xen-gnulinux-simple-UUID' {
 *           multiboot2      /boot/xen-4.17-amd64.gz placeholder dom0_mem=4G,max:4G ${xen_rm_opts}
 *           module2 /boot/vmlinuz-6.1.0-18-amd64 placeholder root=UUID=... ro quiet
 *           module2 --nounzip   /boot/initrd.img-6.1.0-18-amd64
 *   }
 *
 * grub.cfg is a script, so it is read as one: shell-like words, `if`/`else` decided where the
 * grubenv makes that possible, `function` bodies skipped, `menuentry`/`submenu` blocks nested.
 * GRUB's lexer, like a shell's, reads an unquoted `<` or `>` as an operator, not as text: in
 * `crashkernel=256M<4G` the `<4G` never reaches Xen (`\<` or quotes keep it). Such operators are
 * reported on the image that carries them.
 */
import {classifyMultiboot, type BootEntry, type BootImage} from './boot-entry.js'
import {assignmentValueParts, lexShell, literalText, simpleCommands, type SimpleCommand, type Word} from './shell-lexer.js'
import {decideTest, type Truth} from './shell-vars.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface Grub2Image extends BootImage {
  /** Unquoted `<` / `>` operators GRUB acts on, with the word each swallowed. */
  redirections: {op: string; target: string}[]
  /** Variables the arguments use whose value this file does not fix (expanded to ''). */
  unresolvedVars: string[]
}

export interface Grub2Entry extends BootEntry {
  xen?: Grub2Image
  linux?: Grub2Image
  initrds: Grub2Image[]
  otherModules: Grub2Image[]
  /** `--id` / `$menuentry_id_option` value. */
  id?: string
  classes: string[]
  /** Titles of the enclosing submenus, outermost first. */
  submenuPath: string[]
  /** Position at each menu level, as a numeric `default` counts (submenus count too). */
  indexPath: number[]
  /** Position in `entries`. */
  index: number
  endLine: number
  /** Defined under an `if` this parser could not decide (e.g. `grub_platform`): it may not exist at boot. */
  conditional: boolean
}

export interface Grub2Submenu {
  title: string
  id?: string
  line: number
  endLine: number
  submenuPath: string[]
  indexPath: number[]
  conditional: boolean
}

export interface Grub2Default {
  /** `default` after expansion, as GRUB will match it; absent when nothing sets it or it could not be expanded. */
  value?: string
  /** The `set default=` right-hand side as written, and its line. */
  raw?: string
  line?: number
  /** grubenv variables the value came from (`saved_entry`, `next_entry`). */
  envRefs: string[]
  /** False when a condition could not be decided, grubenv was needed but not given, or an earlier entry is conditional. */
  certain: boolean
  entry: Grub2Entry | null
  /** GRUB boots the first entry when `default` names nothing. */
  fellBack: boolean
  /** Why `entry` is null. */
  unresolved?: string
}

export interface Grub2Config {
  entries: Grub2Entry[]
  submenus: Grub2Submenu[]
  default: Grub2Default
  timeout?: {value: string; line: number}
  /** `blscfg` runs: the entries that matter are BLS snippets in /boot/loader/entries (RHEL 8+, Fedora). */
  usesBls: boolean
  /** The grubenv variables used (empty when no grubenv text was given). */
  env: Record<string, string>
}

const XEN_LOADERS = new Set(['multiboot', 'multiboot2', 'xen_hypervisor'])
const MODULE_LOADERS = new Set(['module', 'module2', 'xen_module'])
const LINUX_LOADERS = new Set(['linux', 'linux16', 'linuxefi'])
const INITRD_LOADERS = new Set(['initrd', 'initrd16', 'initrdefi'])

/** `/boot/grub/grubenv`: `name=value` lines padded with `#` to 1024 bytes. */
export function parseGrubenv(text: string): Parsed<Record<string, string>> {
  return total('grubenv', () => {
    const env: Record<string, string> = Object.create(null)
    const problems: ParseProblem[] = []
    splitLines(text).forEach((line, i) => {
      if (line === '' || line.startsWith('#')) return
      const m = /^([^=]+)=(.*)$/.exec(line)
      if (m) env[m[1]!] = m[2]!.replace(/\\(.)/g, '$1')
      else problems.push({line: i + 1, message: `unrecognised grubenv line: ${line.slice(0, 80)}`})
    })
    return parsed(env, problems)
  })
}

export function parseGrub2(text: string, grubenv?: string): Parsed<Grub2Config> {
  return total('grub2', () => {
    const lexed = lexShell(text, 'grub')
    const envParsed = grubenv === undefined ? undefined : parseGrubenv(grubenv)
    const reader = new Reader(text, envParsed?.ok ? envParsed.value : undefined)
    for (const cmd of simpleCommands(lexed.tokens)) reader.command(cmd, cmd.words)
    const config = reader.finish()
    const problems = [...lexed.problems, ...reader.problems]
    if (envParsed) problems.push(...envParsed.problems.map((p) => ({message: `grubenv: ${p.message}${p.line ? ` (line ${p.line})` : ''}`})))
    return parsed(config, problems)
  })
}

interface PendingImage {
  loader: string
  words: Word[]
  cmd: SimpleCommand
}

interface Frame {
  kind: 'if' | 'loop' | 'function' | 'entry' | 'submenu' | 'group'
  branch: Truth
  taken: Truth
  entry?: {title: string; id?: string; classes: string[]; line: number; images: PendingImage[]; local: Map<string, string | undefined>; indexPath: number[]; conditional: boolean}
  submenu?: Grub2Submenu
  /** Menu items counted so far inside this submenu. */
  count?: number
}

interface VarValue {
  value: string
  certain: boolean
}

class Reader {
  readonly problems: ParseProblem[] = []
  private readonly frames: Frame[] = []
  private readonly vars = new Map<string, VarValue>()
  private readonly entries: Grub2Entry[] = []
  private readonly submenus: Grub2Submenu[] = []
  private topCount = 0
  private usesBls = false
  private timeout: Grub2Config['timeout']
  /** Every `set default=` that runs (or may run), in order. */
  private readonly defs: {raw: string; line: number; certain: boolean; value?: string; envRefs: string[]}[] = []
  /** A `menuentry ...` whose `{` comes on a later line. */
  private pendingBlock: Frame | undefined
  private readonly pendingEntries: {entry: NonNullable<Frame['entry']>; submenuPath: string[]; endLine: number}[] = []

  constructor(
    private readonly text: string,
    private readonly env: Record<string, string> | undefined,
  ) {}

  private state(): Truth {
    if (this.frames.some((f) => f.branch === 'false')) return 'false'
    return this.frames.some((f) => f.branch === 'unknown') ? 'unknown' : 'true'
  }

  private inside(kind: Frame['kind']): Frame | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i]!.kind === kind) return this.frames[i]
    return undefined
  }

  private depth = 0

  command(cmd: SimpleCommand, words: Word[]): void {
    // Keywords and blocks opened on one line recurse; bound that for hostile input.
    if (this.depth > 64) {
      this.problems.push({line: cmd.line, message: 'too many keywords on one line; rest of the line ignored'})
      return
    }
    this.depth++
    try {
      this.commandBody(cmd, words)
    } finally {
      this.depth--
    }
  }

  private commandBody(cmd: SimpleCommand, words: Word[]): void {
    const first = words[0]
    if (!first) return
    const kw = first.raw
    const rest = (): void => this.command(cmd, words.slice(1))
    if (this.pendingBlock) {
      const pending = this.pendingBlock
      this.pendingBlock = undefined
      if (kw === '{') {
        this.frames.push(pending)
        rest()
        return
      }
      this.problems.push({line: first.line, message: `${pending.entry ? 'menuentry' : 'submenu'} without a { block`})
    }
    switch (kw) {
      case 'then':
      case 'do':
        return rest()
      case 'else':
        this.elseBranch(first.line)
        return rest()
      case 'if':
      case 'while':
      case 'until':
      case 'for': {
        const frame: Frame = {kind: kw === 'if' ? 'if' : 'loop', branch: 'unknown', taken: 'false'}
        this.frames.push(frame)
        if (kw === 'if') this.decide(frame, words.slice(1), cmd)
        return
      }
      case 'elif': {
        const frame = this.frames[this.frames.length - 1]
        if (frame?.kind !== 'if') this.problems.push({line: first.line, message: 'elif outside an if block'})
        else this.decide(frame, words.slice(1), cmd, true)
        return
      }
      case 'fi':
        this.pop('if', first.line)
        return rest()
      case 'done':
        this.pop('loop', first.line)
        return rest()
      case '}':
        this.closeBrace(first.line)
        return rest()
      case '{':
        this.frames.push({kind: 'group', branch: 'true', taken: 'true'})
        return rest()
      case 'function': {
        const brace = words.findIndex((w) => w.raw === '{')
        const frame: Frame = {kind: 'function', branch: 'false', taken: 'false'}
        if (brace < 0) this.pendingBlock = frame
        else {
          this.frames.push(frame)
          this.command(cmd, words.slice(brace + 1))
        }
        return
      }
      case 'menuentry':
      case 'submenu':
        return this.menu(kw, cmd, words)
    }
    if (this.state() === 'false' || this.inside('function')) return
    const entry = this.inside('entry')?.entry
    if (entry) return this.entryCommand(entry, kw, cmd, words)
    this.topCommand(kw, cmd, words)
  }

  private topCommand(kw: string, cmd: SimpleCommand, words: Word[]): void {
    if (kw === 'blscfg') this.usesBls = true
    const assignments = kw === 'set' || kw === 'export' ? words.slice(1) : /^[A-Za-z_][A-Za-z0-9_]*=/.test(kw) ? words : []
    for (const w of assignments) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.raw)
      if (!m) continue
      const name = m[1]!
      const rhs = {...w, parts: assignmentValueParts(w, name.length)}
      const ex = this.expand(rhs)
      const certain = this.state() === 'true' && ex.certain
      this.vars.set(name, {value: ex.value, certain})
      if (name === 'default') {
        const d: (typeof this.defs)[number] = {raw: w.raw.slice(name.length + 1), line: w.line, certain, envRefs: ex.envRefs}
        if (ex.known) d.value = ex.value
        this.defs.push(d)
      } else if (name === 'timeout') this.timeout = {value: ex.value, line: w.line}
    }
    if (kw === 'unset') for (const w of words.slice(1)) this.vars.set(w.raw, {value: '', certain: this.state() === 'true'})
  }

  private entryCommand(entry: NonNullable<Frame['entry']>, kw: string, cmd: SimpleCommand, words: Word[]): void {
    if (XEN_LOADERS.has(kw) || MODULE_LOADERS.has(kw) || LINUX_LOADERS.has(kw) || INITRD_LOADERS.has(kw)) {
      entry.images.push({loader: kw, words, cmd})
      return
    }
    const assignments = kw === 'set' ? words.slice(1) : /^[A-Za-z_][A-Za-z0-9_]*=/.test(kw) ? words : []
    for (const w of assignments) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.raw)
      if (!m) continue
      const ex = this.expand({...w, parts: assignmentValueParts(w, m[1]!.length)}, entry.local)
      // Only a value set on every path through the entry can be relied on (xen_rm_opts depends on grub_platform).
      entry.local.set(m[1]!, this.state() === 'true' && ex.certain ? ex.value : undefined)
    }
  }

  private menu(kw: 'menuentry' | 'submenu', cmd: SimpleCommand, words: Word[]): void {
    const skipped = this.state() === 'false' || this.inside('function') !== undefined || this.inside('entry') !== undefined
    const conditional = this.state() === 'unknown'
    let title: string | undefined
    let id: string | undefined
    const classes: string[] = []
    let brace = -1
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!
      const lit = literalText(w)
      if (w.raw === '{') {
        brace = i
        break
      }
      if (w.raw === '$menuentry_id_option' || w.raw === '${menuentry_id_option}' || lit === '--id') {
        const next = words[i + 1]
        if (next && next.raw !== '{') {
          id = literalText(next)
          i++
        }
      } else if (lit.startsWith('--id=')) id = lit.slice(5)
      else if (lit === '--class' || lit === '--users' || lit === '--hotkey') {
        if (lit === '--class' && words[i + 1]) classes.push(literalText(words[i + 1]!))
        i++
      } else if (lit.startsWith('--class=')) classes.push(lit.slice(8))
      else if (lit.startsWith('--')) continue
      else title ??= this.expand(w).value
    }
    const parent = this.inside('submenu')
    const indexPath = [...(parent?.submenu?.indexPath ?? []), skipped ? -1 : parent ? parent.count!++ : this.topCount++]
    const submenuPath = this.frames.filter((f) => f.kind === 'submenu').map((f) => f.submenu!.title)
    let frame: Frame
    if (kw === 'menuentry') {
      frame = {kind: 'entry', branch: skipped ? 'false' : 'true', taken: 'true', entry: {title: title ?? '', classes, line: cmd.line, images: [], local: new Map(), indexPath, conditional}}
      if (id !== undefined) frame.entry!.id = id
      if (!skipped) this.pendingEntries.push({entry: frame.entry!, submenuPath, endLine: cmd.line})
    } else {
      const submenu: Grub2Submenu = {title: title ?? '', line: cmd.line, endLine: cmd.line, submenuPath, indexPath, conditional}
      if (id !== undefined) submenu.id = id
      if (!skipped) this.submenus.push(submenu)
      frame = {kind: 'submenu', branch: skipped ? 'false' : 'true', taken: 'true', submenu, count: 0}
    }
    if (title === undefined) this.problems.push({line: cmd.line, message: `${kw} without a title`})
    if (brace < 0) {
      this.pendingBlock = frame
      return
    }
    this.frames.push(frame)
    this.command(cmd, words.slice(brace + 1))
  }

  private closeBrace(line: number): void {
    while (this.frames.length > 0) {
      const f = this.frames.pop()!
      if (f.kind === 'entry' || f.kind === 'submenu' || f.kind === 'function' || f.kind === 'group') {
        if (f.entry) {
          const p = this.pendingEntries.find((e) => e.entry === f.entry)
          if (p) p.endLine = line
        }
        if (f.submenu) f.submenu.endLine = line
        return
      }
      this.problems.push({line, message: `} closes a block while an ${f.kind} is still open`})
    }
    this.problems.push({line, message: 'unmatched }'})
  }

  private pop(kind: Frame['kind'], line: number): void {
    const f = this.frames[this.frames.length - 1]
    if (f?.kind === kind) this.frames.pop()
    else this.problems.push({line, message: `unexpected end of ${kind} block`})
  }

  private decide(frame: Frame, words: Word[], cmd: SimpleCommand, elif = false): void {
    const chained = cmd.terminator === '&&' || cmd.terminator === '||' || cmd.terminator === '|'
    const truth: Truth = chained
      ? 'unknown'
      : decideTest(words, (w) => {
          const ex = this.expand(w)
          return ex.known ? ex.value : undefined
        })
    if (elif) frame.branch = frame.taken === 'true' ? 'false' : frame.taken === 'unknown' && truth !== 'false' ? 'unknown' : truth
    else frame.branch = truth
    frame.taken = frame.taken === 'true' || frame.branch === 'true' ? 'true' : frame.taken === 'unknown' || frame.branch === 'unknown' ? 'unknown' : 'false'
  }

  private elseBranch(line: number): void {
    const frame = this.frames[this.frames.length - 1]
    if (frame?.kind !== 'if') {
      this.problems.push({line, message: 'else outside an if block'})
      return
    }
    frame.branch = frame.taken === 'true' ? 'false' : frame.taken === 'false' ? 'true' : 'unknown'
    frame.taken = 'true'
  }

  /**
   * Expands a word. `known` is false when a variable's value is unknowable (no grubenv given, or
   * set only under an undecided condition); `certain` additionally requires certain sources.
   */
  private expand(word: Word, local?: Map<string, string | undefined>): {value: string; known: boolean; certain: boolean; envRefs: string[]; unresolved: string[]} {
    let value = ''
    let known = true
    let certain = true
    const envRefs: string[] = []
    const unresolved: string[] = []
    for (const p of word.parts) {
      if (p.kind === 'lit') value += p.text
      else if (p.kind === 'opaque') {
        value += p.raw
        known = certain = false
      } else {
        const name = p.name
        if (local?.has(name)) {
          const v = local.get(name)
          if (v === undefined) {
            unresolved.push(name)
            known = certain = false
          } else value += v
          continue
        }
        const v = this.vars.get(name)
        if (v) {
          value += v.value
          if (!v.certain) certain = false
        } else if (this.env) {
          envRefs.push(name)
          value += this.env[name] ?? ''
        } else {
          envRefs.push(name)
          unresolved.push(name)
          known = certain = false
        }
      }
    }
    return {value, known, certain: certain && known, envRefs, unresolved}
  }

  finish(): Grub2Config {
    const open = this.frames[this.frames.length - 1]
    if (open) this.problems.push({message: `unclosed ${open.kind} block at end of file`})
    for (const p of this.pendingEntries) this.entries.push(this.buildEntry(p.entry, p.submenuPath, p.endLine))
    const env: Record<string, string> = Object.create(null)
    for (const [k, v] of Object.entries(this.env ?? {})) env[k] = v
    const config: Grub2Config = {entries: this.entries, submenus: this.submenus, default: this.resolveDefault(), usesBls: this.usesBls, env}
    if (this.timeout) config.timeout = this.timeout
    return config
  }

  private buildEntry(e: NonNullable<Frame['entry']>, submenuPath: string[], endLine: number): Grub2Entry {
    const entry: Grub2Entry = {
      title: e.title,
      line: e.line,
      endLine,
      isXen: false,
      initrds: [],
      otherModules: [],
      classes: e.classes,
      submenuPath,
      indexPath: e.indexPath,
      index: this.entries.length,
      conditional: e.conditional,
    }
    if (e.id !== undefined) entry.id = e.id
    let kernel: Grub2Image | undefined
    const modules: Grub2Image[] = []
    for (const img of e.images) {
      const images = this.images(img, e.local)
      if (XEN_LOADERS.has(img.loader)) kernel = images[0]
      else if (MODULE_LOADERS.has(img.loader)) modules.push(...images.slice(0, 1))
      else if (LINUX_LOADERS.has(img.loader)) entry.linux = images[0]
      else entry.initrds.push(...images)
    }
    if (kernel) {
      const mb = classifyMultiboot(kernel, modules)
      entry.isXen = mb.isXen
      if (mb.xen) entry.xen = mb.xen as Grub2Image
      if (mb.linux) entry.linux = mb.linux as Grub2Image
      if (mb.isXen) {
        entry.initrds = mb.initrds as Grub2Image[]
        entry.otherModules = mb.otherModules as Grub2Image[]
      } else entry.otherModules = [kernel, ...modules]
    }
    return entry
  }

  /** One image-loading command as images: initrd lines may name several files, each becomes one. */
  private images(img: PendingImage, local: Map<string, string | undefined>): Grub2Image[] {
    let i = 1
    while (i < img.words.length && literalText(img.words[i]!).startsWith('--')) i++
    const pathWord = img.words[i]
    if (!pathWord) {
      this.problems.push({line: img.cmd.line, message: `${img.loader} without an image path`})
      return []
    }
    const argWords = img.words.slice(i + 1)
    const redirections = img.cmd.ops.filter((o) => o.op === '<' || o.op === '>' || o.op === '>>').map((o) => ({op: o.op, target: o.target?.raw ?? ''}))
    if (INITRD_LOADERS.has(img.loader)) {
      return [pathWord, ...argWords].map((w) => ({path: this.expand(w, local).value, args: '', argsRaw: '', line: w.line, redirections, unresolvedVars: []}))
    }
    const unresolved: string[] = []
    const cooked: string[] = []
    for (const w of argWords) {
      const ex = this.expand(w, local)
      unresolved.push(...ex.unresolved)
      // An unquoted expansion is split into words by GRUB too; an empty one vanishes.
      cooked.push(...(w.parts.some((p) => p.kind !== 'lit' && !p.quoted) ? ex.value.split(/\s+/).filter(Boolean) : [ex.value]))
    }
    // Debian writes `placeholder` where older GRUB put the image name, which Xen and Linux skip.
    if (cooked[0] === 'placeholder' && (XEN_LOADERS.has(img.loader) || MODULE_LOADERS.has(img.loader))) cooked.shift()
    const end = img.cmd.end
    return [
      {
        path: this.expand(pathWord, local).value,
        args: cooked.join(' '),
        argsRaw: this.text.slice(pathWord.end, end).replace(/\\\r?\n/g, ' ').trim(),
        line: img.cmd.line,
        redirections,
        unresolvedVars: [...new Set(unresolved)],
      },
    ]
  }

  private resolveDefault(): Grub2Default {
    const last = this.defs[this.defs.length - 1]
    // A conditional assignment with an unknowable value (`set default=$override_entry` under
    // `if [ -n "$override_entry" ]` without a grubenv) leaves the earlier value as the likely one.
    let i = this.defs.length - 1
    while (i > 0 && this.defs[i]!.value === undefined && !this.defs[i]!.certain) i--
    const d = this.defs[i]?.value === undefined ? last : this.defs[i]
    const base: Grub2Default = {envRefs: [...new Set(this.defs.flatMap((x) => x.envRefs))], certain: d === undefined || (d === last && d.certain), entry: null, fellBack: false}
    if (d) {
      base.raw = d.raw
      base.line = d.line
    }
    let value = d ? d.value : '0'
    if (value === undefined) {
      return {...base, certain: false, unresolved: `default needs ${d!.envRefs.join(', ') || 'a value'} from grubenv, which was not given`}
    }
    if (d) base.value = value
    const found = this.lookup(value)
    if (found.entry) {
      const conditionalBefore = this.entries.some((e) => e.conditional && e.index < found.entry!.index)
      return {...base, entry: found.entry, certain: base.certain && !conditionalBefore && !found.entry.conditional}
    }
    if (found.submenu) return {...base, unresolved: `default "${value}" names a submenu, not an entry`}
    // With blscfg the menu is built at boot from /boot/loader/entries, which this file does not hold.
    if (this.usesBls) return {...base, certain: false, unresolved: `default "${value}" is not in grub.cfg; blscfg adds entries from /boot/loader/entries`}
    // GRUB's menu code falls back to entry 0 when `default` matches nothing.
    value = '0'
    const first = this.lookup(value)
    if (first.entry) return {...base, entry: first.entry, fellBack: true}
    return {...base, fellBack: true, unresolved: this.entries.length === 0 ? 'no menu entries' : 'the first menu item is a submenu'}
  }

  /** Resolves `N`, an id, a title, or a `>`-separated path of them (`>>` is a literal `>`). */
  lookup(spec: string): {entry?: Grub2Entry; submenu?: Grub2Submenu} {
    const parts = splitPath(spec)
    let prefix: number[] = []
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      const last = i === parts.length - 1
      const level = [
        ...this.entries.filter((e) => sameParent(e.indexPath, prefix)).map((e) => ({kind: 'entry' as const, item: e, pos: e.indexPath[e.indexPath.length - 1]!})),
        ...this.submenus.filter((s) => sameParent(s.indexPath, prefix)).map((s) => ({kind: 'submenu' as const, item: s, pos: s.indexPath[s.indexPath.length - 1]!})),
      ]
      level.sort((a, b) => a.pos - b.pos)
      // Like GRUB's menu code: the first item, in menu order, whose title or id matches.
      const hit = /^\d+$/.test(part) ? level.find((x) => x.pos === Number(part)) : level.find((x) => x.item.title === part || x.item.id === part)
      if (!hit) return {}
      if (last) return hit.kind === 'entry' ? {entry: hit.item} : {submenu: hit.item}
      if (hit.kind !== 'submenu') return {}
      prefix = hit.item.indexPath
    }
    return {}
  }
}

function sameParent(indexPath: number[], prefix: number[]): boolean {
  return indexPath.length === prefix.length + 1 && prefix.every((n, i) => indexPath[i] === n) && indexPath[indexPath.length - 1]! >= 0
}

function splitPath(spec: string): string[] {
  const out: string[] = []
  let cur = ''
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === '>' && spec[i + 1] === '>') {
      cur += '>'
      i++
    } else if (spec[i] === '>') {
      out.push(cur)
      cur = ''
    } else cur += spec[i]
  }
  out.push(cur)
  return out
}
