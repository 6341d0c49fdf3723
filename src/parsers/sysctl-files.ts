/**
 * sysctl configuration files and the value each key gets at boot.
 *
 *   # /usr/lib/sysctl.d/50-default.conf
 *   kernel.sysrq = 16
 *   -net.ipv4.conf.all.promote_secondaries = 1
 *   ; a comment
 *   net/ipv4/conf/enp3s0.200/forwarding = 1
 *
 * Syntax (sysctl.d(5), procps `sysctl -p`): `key = value` with spaces around either side ignored;
 * `#` or `;` as the first non-blank character makes a comment; a leading `-` means "ignore a failure
 * to set it". Either `.` or `/` separates the parts of a key: when the first separator is `/`, dots
 * and slashes trade places, so `net/ipv4/conf/enp3s0.200/forwarding` is the key
 * `net.ipv4.conf.enp3s0/200.forwarding`.
 *
 * Precedence (`sysctl --system`, systemd-sysctl): `*.conf` files from /etc/sysctl.d, /run/sysctl.d,
 * /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d are applied in the order of their
 * file NAMES; a name present in several directories is read only from the first of that list (so
 * /etc masks /run masks /usr/lib, and an empty /etc file, or one linked to /dev/null, disables a
 * vendor file). /etc/sysctl.conf comes last. A later assignment of a key wins. On a live host
 * /proc/sys still has the final word: this is what the files ask for at boot.
 */
import {SYSCTL_CONF, SYSCTL_D_DIRS} from '../snapshot/spec.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface SysctlAssignment {
  /** Dotted key (`kernel.panic_on_oops`); may hold glob characters. */
  name: string
  /** The key as written. */
  key: string
  value: string
  /** Leading `-`: failure to set it is ignored. */
  ignoreFailure: boolean
  /** The key has `*`, `?` or `[` (systemd 249+ applies it to every match). */
  glob: boolean
  line: number
  /** File it came from, when merged. */
  path?: string
}

export interface SysctlFile {
  assignments: SysctlAssignment[]
  /** `-key` lines without `=`: exclude matching keys from earlier glob assignments (systemd 252+). */
  exclusions: {name: string; line: number}[]
}

export interface SysctlFileInput {
  path: string
  text: string
}

export interface SysctlMerge {
  /** The winning assignment of each key (null-prototype object). */
  effective: Record<string, SysctlAssignment>
  /** Every assignment in the order applied. */
  assignments: SysctlAssignment[]
  /** Files read, in order. */
  applied: string[]
  /** Files not read because a same-named file in a higher directory masks them. */
  masked: {path: string; by: string}[]
  /** Inputs that are not sysctl files (another directory, or not `*.conf`). */
  ignored: string[]
}

/** The directories (in precedence order) and the file above, as the evidence spec names them for every source. */
export const SYSCTL_DIRS = SYSCTL_D_DIRS
export {SYSCTL_CONF}

export function parseSysctlConf(text: string): Parsed<SysctlFile> {
  return total('sysctl', () => {
    const file: SysctlFile = {assignments: [], exclusions: []}
    const problems: ParseProblem[] = []
    splitLines(text).forEach((raw, i) => {
      const line = i + 1
      let body = raw.trim()
      if (body === '' || body.startsWith('#') || body.startsWith(';')) return
      const ignoreFailure = body.startsWith('-')
      if (ignoreFailure) body = body.slice(1).trimStart()
      const eq = body.indexOf('=')
      if (eq < 0) {
        if (ignoreFailure && body !== '') file.exclusions.push({name: sysctlName(body), line})
        else problems.push({line, message: `not a key = value line: ${raw.trim().slice(0, 120)}`})
        return
      }
      const key = body.slice(0, eq).trim()
      if (key === '') {
        problems.push({line, message: `assignment without a key: ${raw.trim().slice(0, 120)}`})
        return
      }
      const name = sysctlName(key)
      file.assignments.push({name, key, value: body.slice(eq + 1).trim(), ignoreFailure, glob: /[*?[]/.test(name), line})
    })
    return parsed(file, problems)
  })
}

/** The dotted form of a key written with `.` or `/` separators. */
export function sysctlName(key: string): string {
  const k = key.replace(/^\/+/, '').replace(/^proc\/sys\//, '')
  const firstSep = k.search(/[./]/)
  if (firstSep < 0 || k[firstSep] === '.') return k
  return k.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'))
}

/** The /proc/sys file behind a dotted key (`kernel.core_pattern` → `/proc/sys/kernel/core_pattern`). */
export function sysctlPath(name: string): string {
  return `/proc/sys/${name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'))}`
}

/** Applies the files the way `sysctl --system` and systemd-sysctl do; the inputs may come in any order. */
export function mergeSysctl(files: readonly SysctlFileInput[]): Parsed<SysctlMerge> {
  return total('sysctl files', () => {
    const problems: ParseProblem[] = []
    const merge: SysctlMerge = {effective: Object.create(null) as Record<string, SysctlAssignment>, assignments: [], applied: [], masked: [], ignored: []}
    const byName = new Map<string, {input: SysctlFileInput; rank: number}>()
    let conf: SysctlFileInput | undefined
    for (const input of files) {
      const path = normalize(input.path)
      if (path === SYSCTL_CONF) {
        conf = input
        continue
      }
      const slash = path.lastIndexOf('/')
      const rank = SYSCTL_DIRS.indexOf(path.slice(0, slash) as (typeof SYSCTL_DIRS)[number])
      const base = path.slice(slash + 1)
      if (rank < 0 || !base.endsWith('.conf')) {
        merge.ignored.push(input.path)
        continue
      }
      const current = byName.get(base)
      if (!current || rank < current.rank) {
        if (current) merge.masked.push({path: current.input.path, by: input.path})
        byName.set(base, {input, rank})
      } else merge.masked.push({path: input.path, by: current.input.path})
    }
    // systemd compares names with strcmp: plain code-unit order, not the locale's.
    const order = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => byName.get(n)!.input)
    if (conf) order.push(conf)
    for (const input of order) {
      merge.applied.push(input.path)
      const r = parseSysctlConf(input.text)
      for (const p of r.problems) problems.push({...p, message: `${input.path}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`})
      if (!r.ok) continue
      for (const a of r.value.assignments) {
        const withPath = {...a, path: input.path}
        merge.assignments.push(withPath)
        merge.effective[a.name] = withPath
      }
    }
    return parsed(merge, problems)
  })
}

function normalize(path: string): string {
  return `/${path.split('/').filter((s) => s !== '' && s !== '.').join('/')}`
}
