/**
 * GRUB legacy (0.97) `grub.conf` / `menu.lst`: RHEL/CentOS 5 and 6, Oracle VM 3, old Debian and SUSE.
 *
 *   default=0
 *   title CentOS (2.6.18-406.el5xen)
 *           root (hd0,0)
 *           kernel /xen.gz-2.6.18-406.el5 dom0_mem=1024M crashkernel=128M@16M
 *           module /vmlinuz-2.6.18-406.el5xen ro root=/dev/VolGroup00/LogVol00
 *           module /initrd-2.6.18-406.el5xen.img
 *
 * GRUB legacy passes everything after the image path to the image verbatim (no quoting, no
 * variables), and accepts `=` or blanks between a command and its argument.
 */
import {classifyMultiboot, type BootEntry, type BootImage} from './boot-entry.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface GrubLegacyEntry extends BootEntry {
  /** 0-based position, as `default=N` counts. */
  index: number
  /** Last line belonging to the entry. */
  endLine: number
  root?: {value: string; line: number}
  /** The `kernel` line as written, whatever it loads. */
  kernel?: BootImage
  /** `module` / `modulenounzip` lines in order. */
  modules: BootImage[]
  /** The entry records itself as the next default when booted. */
  savedefault: boolean
}

export interface GrubLegacyDefault {
  /** The argument of `default` as written; absent when there is no `default` line (GRUB then boots entry 0). */
  raw?: string
  line?: number
  /** `default saved`: the entry comes from the `/boot/grub/default` file. */
  saved: boolean
  /** Resolved 0-based entry number, or null when it cannot be known. */
  index: number | null
  entry: GrubLegacyEntry | null
}

export interface GrubLegacyConfig {
  entries: GrubLegacyEntry[]
  default: GrubLegacyDefault
  fallback?: {index: number; line: number}
  timeout?: {seconds: number; line: number}
  /**
   * Debian's update-grub magic comments (`# kopt=...`, `# xenhopt=...`, `# xenkopt=...`): update-grub
   * rebuilds its entries from them, so an option added only to an entry is lost at the next kernel update.
   */
  magic: {name: string; value: string; line: number}[]
}

const MAGIC = /^#\s*(kopt|xenhopt|xenkopt|defoptions|altoptions|groot)=(.*)$/

export function parseGrubLegacy(text: string, savedDefaultFile?: string): Parsed<GrubLegacyConfig> {
  return total('grub legacy', () => {
    const problems: ParseProblem[] = []
    const entries: GrubLegacyEntry[] = []
    const magic: GrubLegacyConfig['magic'] = []
    let cur: GrubLegacyEntry | undefined
    let defaultRaw: {value: string; line: number} | undefined
    let fallback: GrubLegacyConfig['fallback']
    let timeout: GrubLegacyConfig['timeout']

    splitLines(text).forEach((rawLine, i) => {
      const line = i + 1
      const trimmed = rawLine.trim()
      if (trimmed === '') return
      if (trimmed.startsWith('#')) {
        const m = MAGIC.exec(trimmed)
        if (m) magic.push({name: m[1]!, value: m[2]!.trim(), line})
        return
      }
      const m = /^([A-Za-z_]+)(?:\s*=\s*|\s+|$)(.*)$/.exec(trimmed)
      if (!m) {
        problems.push({line, message: `unrecognised grub line: ${trimmed.slice(0, 80)}`})
        return
      }
      const cmd = m[1]!.toLowerCase()
      const arg = m[2]!.trim()
      if (cmd === 'title') {
        if (cur) entries.push(cur)
        cur = {index: entries.length, title: arg, line, endLine: line, isXen: false, initrds: [], otherModules: [], modules: [], savedefault: false}
        return
      }
      if (!cur) {
        if (cmd === 'default') defaultRaw = {value: arg, line}
        else if (cmd === 'fallback' && /^\d+/.test(arg)) fallback = {index: parseInt(arg, 10), line}
        else if (cmd === 'timeout' && /^\d+$/.test(arg)) timeout = {seconds: Number(arg), line}
        else if (IMAGE_COMMANDS.has(cmd)) problems.push({line, message: `${cmd} outside any title entry`})
        return
      }
      cur.endLine = line
      if (cmd === 'root' || cmd === 'rootnoverify') cur.root = {value: arg, line}
      else if (cmd === 'savedefault') cur.savedefault = true
      else if (IMAGE_COMMANDS.has(cmd)) {
        const image = imageOf(arg, line)
        if (!image) problems.push({line, message: `${cmd} without an image path`})
        else if (cmd === 'kernel') {
          if (cur.kernel) problems.push({line, message: 'second kernel line in one entry: the later one wins'})
          cur.kernel = image
        } else if (cmd === 'initrd') cur.initrds = [image]
        else cur.modules.push(image)
      }
    })
    if (cur) entries.push(cur)
    for (const e of entries) classify(e, problems)
    const def = resolveDefault(defaultRaw, entries, savedDefaultFile, problems)
    const config: GrubLegacyConfig = {entries, default: def, magic}
    if (fallback) config.fallback = fallback
    if (timeout) config.timeout = timeout
    return parsed(config, problems)
  })
}

const IMAGE_COMMANDS = new Set(['kernel', 'module', 'modulenounzip', 'initrd'])

/** `kernel [--type=TYPE] [--no-mem-option] /path args...` */
function imageOf(arg: string, line: number): BootImage | undefined {
  let rest = arg
  while (/^--[a-z-]+(?:=\S*)?(?:\s|$)/.test(rest)) rest = rest.replace(/^--[a-z-]+(?:=\S*)?\s*/, '')
  const m = /^(\S+)\s*(.*)$/.exec(rest)
  if (!m) return undefined
  const args = m[2]!.trim()
  return {path: m[1]!, args, argsRaw: args, line}
}

function classify(e: GrubLegacyEntry, problems: ParseProblem[]): void {
  if (!e.kernel) return
  const mb = classifyMultiboot(e.kernel, e.modules)
  if (mb.isXen) {
    Object.assign(e, mb)
    if (!mb.linux) problems.push({line: e.line, message: `Xen entry "${e.title}" loads no dom0 kernel module`})
    return
  }
  e.linux = e.kernel
  e.otherModules = mb.otherModules
}

function resolveDefault(
  raw: {value: string; line: number} | undefined,
  entries: GrubLegacyEntry[],
  savedDefaultFile: string | undefined,
  problems: ParseProblem[],
): GrubLegacyDefault {
  const pick = (index: number | null): GrubLegacyEntry | null => (index === null ? null : (entries[index] ?? null))
  if (!raw) return {saved: false, index: 0, entry: pick(0)}
  const base = {raw: raw.value, line: raw.line}
  if (/^saved\b/.test(raw.value)) {
    // GRUB keeps the saved entry number in /boot/grub/default (first line); without it the choice is unknown.
    const n = savedDefaultFile === undefined ? undefined : /^\s*(\d+)/.exec(savedDefaultFile.split('\n').find((l) => !/^\s*(#|$)/.test(l)) ?? '')?.[1]
    const index = n === undefined ? null : Number(n)
    return {...base, saved: true, index, entry: checked(index, entries, raw.line, problems)}
  }
  const n = /^(\d+)\s*$/.exec(raw.value)
  if (!n) {
    problems.push({line: raw.line, message: `default "${raw.value}" is not an entry number`})
    return {...base, saved: false, index: null, entry: null}
  }
  const index = Number(n[1])
  return {...base, saved: false, index, entry: checked(index, entries, raw.line, problems)}
}

function checked(index: number | null, entries: GrubLegacyEntry[], line: number, problems: ParseProblem[]): GrubLegacyEntry | null {
  if (index === null) return null
  const e = entries[index]
  if (!e) problems.push({line, message: `default entry ${index} does not exist (${entries.length} entries)`})
  return e ?? null
}
