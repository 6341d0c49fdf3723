/**
 * SYSLINUX/EXTLINUX `extlinux.conf`, as XenServer 5.x/6.x boots Xen through `mboot.c32`:
 *
 *   default xe
 *   label xe
 *     # XenServer
 *     kernel mboot.c32
 *     append /boot/xen.gz dom0_mem=752M lowmem_emergency_pool=1M crashkernel=64M@32M console=vga --- /boot/vmlinuz-2.6-xen root=LABEL=root-abc ro console=tty0 --- /boot/initrd-2.6-xen.img
 *
 * mboot.c32 takes `hypervisor args --- kernel args --- module ...`: the first `---` part is Xen's
 * line, the second dom0's, the rest modules (the initrd first). Keywords are case-insensitive;
 * a global `APPEND` applies to labels that have none, and `APPEND -` means no arguments.
 */
import {classifyMultiboot, type BootEntry, type BootImage} from './boot-entry.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface ExtlinuxEntry extends BootEntry {
  label: string
  index: number
  endLine: number
  /** `MENU LABEL` text, when the menu module is used. */
  menuLabel?: string
  /** The first comment inside the label (XenServer names its entries this way: `# XenServer (Serial)`). */
  comment?: string
  /** The KERNEL/LINUX/COM32 image (`mboot.c32` for Xen) with its APPEND line. */
  kernel?: BootImage
  menuDefault: boolean
  /**
   * The entry's lines end in `\` and were read joined, as a copy that broke a long line for print means them; SYSLINUX
   * itself reads each line on its own (it has no line continuation), so the two readings may differ.
   */
  continued?: {line: number; lines: number}
}

export interface ExtlinuxDefault {
  /** Which directive chose the entry: `MENU DEFAULT` under a menu UI, `ONTIMEOUT`, `DEFAULT`, or none (first label). */
  source: 'menu default' | 'ontimeout' | 'default' | 'first label' | 'none'
  raw?: string
  line?: number
  entry: ExtlinuxEntry | null
  unresolved?: string
}

export interface ExtlinuxConfig {
  entries: ExtlinuxEntry[]
  default: ExtlinuxDefault
  /** In tenths of a second, as SYSLINUX counts. */
  timeout?: {tenths: number; line: number}
  ui?: {value: string; line: number}
}

const KERNEL_WORDS = new Set(['kernel', 'linux', 'com32', 'boot', 'bss', 'pxe', 'fdimage', 'comboot', 'config'])

interface RawLabel {
  label: string
  line: number
  endLine: number
  kernel?: {path: string; line: number}
  append?: {text: string; line: number}
  initrd?: {text: string; line: number}
  menuLabel?: string
  comment?: string
  menuDefault: boolean
  continued?: {line: number; lines: number}
}

/** Ends in an odd number of backslashes: a line broken for print, continued on the next non-blank line. */
function continues(line: string): boolean {
  const m = /(\\+)\s*$/.exec(line)
  return m !== null && m[1]!.length % 2 === 1
}

/** Joins `\`-continued lines (skipping the blank lines a double-spaced copy puts between them), keeping the first line's number. */
function logicalLines(text: string): Array<{raw: string; line: number; joined: number}> {
  const lines = splitLines(text)
  const out: Array<{raw: string; line: number; joined: number}> = []
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1
    let raw = lines[i]!
    let joined = 1
    while (continues(raw) && !raw.trimStart().startsWith('#')) {
      let next = i + 1
      while (next < lines.length && lines[next]!.trim() === '') next++
      if (next >= lines.length) break
      raw = `${raw.replace(/\\\s*$/, '').trimEnd()} ${lines[next]!.trim()}`
      joined++
      i = next
    }
    out.push({raw, line: first, joined})
  }
  return out
}

export function parseExtlinux(text: string): Parsed<ExtlinuxConfig> {
  return total('extlinux', () => {
    const problems: ParseProblem[] = []
    const labels: RawLabel[] = []
    let cur: RawLabel | undefined
    let globalAppend: {text: string; line: number} | undefined
    const directives: Partial<Record<'default' | 'ontimeout', {value: string; line: number}>> = {}
    const config: Omit<ExtlinuxConfig, 'entries' | 'default'> = {}
    let inText = false

    for (const {raw, line, joined} of logicalLines(text)) {
      const t = raw.trim()
      if (joined > 1) problems.push({line, message: `${joined} lines joined at a trailing "\\": SYSLINUX has no line continuation and would read each on its own`})
      if (inText) {
        if (/^endtext$/i.test(t)) inText = false
        continue
      }
      if (t === '') continue
      if (t.startsWith('#')) {
        if (cur && cur.comment === undefined) cur.comment = t.replace(/^#+\s*/, '')
        continue
      }
      const m = /^(\S+)\s*([\s\S]*)$/.exec(t)
      const kw = (m?.[1] ?? '').toLowerCase()
      const arg = (m?.[2] ?? '').trim()
      if (cur) cur.endLine = line
      if (kw === 'label') {
        cur = {label: arg, line, endLine: line, menuDefault: false}
        labels.push(cur)
      } else if (kw === 'menu') {
        const sub = /^(\S+)\s*(.*)$/.exec(arg)
        const what = sub?.[1]?.toLowerCase()
        if (what === 'label' && cur) cur.menuLabel = sub![2]!.trim()
        else if (what === 'default' && cur) cur.menuDefault = true
      } else if (kw === 'text' && /^help$/i.test(arg)) inText = true
      else if (KERNEL_WORDS.has(kw)) {
        if (!cur) problems.push({line, message: `${kw} outside any label`})
        else cur.kernel = {path: arg.split(/\s+/)[0] ?? '', line}
      } else if (kw === 'append') {
        if (cur) cur.append = {text: arg, line}
        else globalAppend = {text: arg, line}
      } else if (kw === 'initrd' && cur) cur.initrd = {text: arg, line}
      else if (kw === 'default' || kw === 'ontimeout') directives[kw] = {value: arg, line}
      else if (kw === 'timeout' && /^\d+$/.test(arg)) config.timeout = {tenths: Number(arg), line}
      else if (kw === 'ui') config.ui = {value: arg, line}
      if (joined > 1 && cur) cur.continued ??= {line, lines: joined}
    }

    const entries = labels.map((l, index) => buildEntry(l, index, globalAppend, problems))
    return parsed({...config, entries, default: resolveDefault(entries, directives, config.ui !== undefined, problems)}, problems)
  })
}

function buildEntry(l: RawLabel, index: number, globalAppend: RawLabel['append'], problems: ParseProblem[]): ExtlinuxEntry {
  const e: ExtlinuxEntry = {title: l.menuLabel ?? l.comment ?? l.label, label: l.label, line: l.line, endLine: l.endLine, index, isXen: false, initrds: [], otherModules: [], menuDefault: l.menuDefault}
  if (l.menuLabel !== undefined) e.menuLabel = l.menuLabel
  if (l.comment !== undefined) e.comment = l.comment
  if (l.continued) e.continued = l.continued
  const append = l.append ?? globalAppend
  const appendText = append?.text === '-' ? '' : (append?.text ?? '')
  const appendLine = append?.line ?? l.kernel?.line ?? l.line
  if (!l.kernel) {
    // SYSLINUX also accepts a label whose name is the kernel; nothing to report about images then.
    return e
  }
  e.kernel = {path: l.kernel.path, args: appendText, argsRaw: appendText, line: l.kernel.line}
  if (/(^|\/)mboot\.c32$/i.test(l.kernel.path)) {
    const [first, ...rest] = appendText.split(/(?:^|\s+)---(?:\s+|$)/).map((s) => s.trim())
    const image = (part: string): BootImage | undefined => {
      const m = /^(\S+)\s*(.*)$/.exec(part)
      return m ? {path: m[1]!, args: m[2]!, argsRaw: m[2]!, line: appendLine} : undefined
    }
    const hv = first ? image(first) : undefined
    if (!hv) {
      problems.push({line: appendLine, message: `mboot.c32 entry "${l.label}" names no hypervisor`})
      return e
    }
    const modules = rest.map(image).filter((x): x is BootImage => x !== undefined)
    Object.assign(e, classifyMultiboot(hv, modules))
    return e
  }
  e.linux = {path: l.kernel.path, args: appendText, argsRaw: appendText, line: appendLine}
  const initrdText = l.initrd?.text ?? /(?:^|\s)initrd=(\S+)/.exec(appendText)?.[1]
  const initrdLine = l.initrd?.line ?? appendLine
  if (initrdText) e.initrds = initrdText.split(',').filter(Boolean).map((path) => ({path, args: '', argsRaw: '', line: initrdLine}))
  return e
}

function resolveDefault(
  entries: ExtlinuxEntry[],
  directives: Partial<Record<'default' | 'ontimeout', {value: string; line: number}>>,
  hasUi: boolean,
  problems: ParseProblem[],
): ExtlinuxDefault {
  const menu = hasUi ? entries.find((e) => e.menuDefault) : undefined
  if (menu) return {source: 'menu default', line: menu.line, entry: menu}
  for (const source of ['ontimeout', 'default'] as const) {
    const d = directives[source]
    if (!d) continue
    const name = d.value.split(/\s+/)[0] ?? ''
    const entry = entries.find((e) => e.label === name) ?? null
    const out: ExtlinuxDefault = {source, raw: d.value, line: d.line, entry}
    if (!entry) {
      // Without a matching label SYSLINUX boots DEFAULT as a kernel command line of its own.
      out.unresolved = `${source} "${d.value}" names no label`
      problems.push({line: d.line, message: out.unresolved})
    }
    return out
  }
  const first = entries[0]
  return first ? {source: 'first label', entry: first} : {source: 'none', entry: null, unresolved: 'no labels'}
}
