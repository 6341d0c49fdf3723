/**
 * The `crashkernel=` value, read the way its consumer reads it. Xen (common/kexec.c) and Linux
 * (kernel/crash_reserve.c, formerly crash_core.c / kexec.c) share the idea but not the details:
 * - units: Xen's `parse_size_and_unit()` takes K/M/G/T (either case) and B for bytes, and reads a
 *   number WITHOUT a unit as KiB; Linux's `memparse()` takes K/M/G/T/P/E and reads a bare number as bytes.
 * - placement: Xen has `@offset`, `<limit` (4.8+) and `,below=limit` (4.10+, because grub2 needs `<`
 *   escaped); Linux has `@offset` and the `,high` / `,low` / `,cma` companions.
 * - errors: Xen keeps whatever it parsed before a bad character (earlier ranges stay in force), Linux
 *   rejects the whole option.
 * Xen's behaviour changed between releases, so `simulateXenCrashkernel` replays the parser of a given
 * version, warnings included, and `parseCrashkernel` gives the typed reading of the newest one.
 */
import {parsed, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'
import {compareXenVersions, xenAtLeast, type XenMajorMinor} from './xen-version.js'

export type CrashkernelDialect = 'xen' | 'linux'

export interface CrashkernelRange {
  start: bigint
  /** Exclusive upper bound of system RAM; undefined for an open range (`2G-:256M`). */
  end?: bigint
  size: bigint
}

export type CrashkernelPlacement =
  | {kind: 'auto'}
  | {kind: 'at'; offset: bigint}
  | {kind: 'below'; limit: bigint; syntax: '<' | ',below='}
  /** Linux only: `,high` (may go above 4G), `,low` (the low companion region), `,cma` (6.16+). */
  | {kind: 'high'}
  | {kind: 'low'}
  | {kind: 'cma'}

export type CrashkernelSpec =
  | {form: 'fixed'; dialect: CrashkernelDialect; text: string; size: bigint; placement: CrashkernelPlacement}
  | {form: 'ranges'; dialect: CrashkernelDialect; text: string; ranges: CrashkernelRange[]; placement: CrashkernelPlacement}
  /** RHEL 6–8 `crashkernel=auto`: the distribution kernel picks a size from RAM. */
  | {form: 'auto'; dialect: 'linux'; text: string}

export interface CrashkernelOptions {
  dialect: CrashkernelDialect
  /** The value is raw text from a grub2 config (`256M\<4G`): grub2 removes the backslash before Xen sees it. */
  grub2?: boolean
}

const U64 = (value: bigint): bigint => BigInt.asUintN(64, value)
const MAX_XEN_RANGES = 16

interface Scan {
  value: bigint
  end: number
  /** Digits were read but no unit followed. */
  unitless: boolean
}

/** C `simple_strtoull(s, &end, 0)`: 0x.. hex, 0.. octal, else decimal; stops at the first non-digit. */
function strtoull(s: string, from: number): {value: bigint; end: number} {
  let base = 10n
  let p = from
  if (s.charAt(p) === '0') {
    base = 8n
    p++
    if ((s.charAt(p) === 'x' || s.charAt(p) === 'X') && /[0-9a-fA-F]/.test(s.charAt(p + 1))) {
      base = 16n
      p++
    }
  }
  let value = 0n
  for (; p < s.length; p++) {
    const digit = Number.parseInt(s.charAt(p), 16)
    if (Number.isNaN(digit) || BigInt(digit) >= base) break
    value = U64(value * base + BigInt(digit))
  }
  return {value, end: p}
}

const XEN_SHIFT: Record<string, bigint> = {t: 40n, g: 30n, m: 20n, k: 10n, b: 0n}
const LINUX_SHIFT: Record<string, bigint> = {e: 60n, p: 50n, t: 40n, g: 30n, m: 20n, k: 10n}

/** Xen's `parse_size_and_unit()`: the unit letter is consumed even when no digit came before it. */
function xenSize(s: string, from: number): Scan {
  const number = strtoull(s, from)
  const unit = s.charAt(number.end)
  const shift = XEN_SHIFT[unit.toLowerCase()]
  if (shift !== undefined && unit !== '') return {value: U64(number.value << shift), end: number.end + 1, unitless: false}
  if (unit === '%') return {value: number.value, end: number.end, unitless: false}
  return {value: U64(number.value << 10n), end: number.end, unitless: number.end > from && number.value !== 0n}
}

/** Linux `memparse()`. */
function linuxSize(s: string, from: number): Scan {
  const number = strtoull(s, from)
  const unit = s.charAt(number.end)
  const shift = LINUX_SHIFT[unit.toLowerCase()]
  if (shift !== undefined && unit !== '') return {value: U64(number.value << shift), end: number.end + 1, unitless: false}
  return {value: number.value, end: number.end, unitless: number.end > from}
}

export interface XenCrashkernelOutcome {
  /** What that Xen prints while parsing, verbatim (`crashkernel: '-' expected`). */
  warnings: string[]
  /** Fixed size (0 when the ranges form was used or nothing was parsed). */
  size: bigint
  /** Ranges in force: only those fully parsed before any error. */
  ranges: CrashkernelRange[]
  at?: bigint
  below?: {limit: bigint; syntax: '<' | ',below='}
  /** Numbers written without a unit, which Xen reads as KiB. */
  unitless: string[]
}

/** The last Xen release whose crashkernel= parser changed: it stands for every newer one. */
export const NEWEST_XEN_PARSER: XenMajorMinor = {major: 4, minor: 10}

/**
 * Replays the `parse_crashkernel()` of the given Xen version on a value (the text after `crashkernel=`):
 * 3.x/4.0 read `size[@offset]` only and never warn (a range spec there reserves its first number);
 * 4.1 adds ranges; 4.8 adds `<` and `'%s' ignored`; 4.10 adds `,below=`.
 */
export function simulateXenCrashkernel(value: string, version: XenMajorMinor = NEWEST_XEN_PARSER): XenCrashkernelOutcome {
  const s = value.split('\0')[0] ?? ''
  const out: XenCrashkernelOutcome = {warnings: [], size: 0n, ranges: [], unitless: []}
  const size = (from: number): Scan => {
    const scan = xenSize(s, from)
    if (scan.unitless) out.unitless.push(s.slice(from, scan.end))
    return scan
  }
  const warn = (text: string): void => void out.warnings.push(`crashkernel: ${text}`)

  if (!xenAtLeast(version, 4, 1)) {
    const scan = size(0)
    out.size = scan.value
    if (s.charAt(scan.end) === '@') out.at = size(scan.end + 1).value
    return out
  }
  const hasLess = xenAtLeast(version, 4, 8)
  // `cur` and `str` mirror the C pointers; null is NULL (after "too many ranges").
  let cur: number | null = 0
  let str: number | null = 0
  if (s.includes(':')) {
    let idx = 0
    let at = 0
    do {
      if (idx >= MAX_XEN_RANGES) {
        warn('too many ranges')
        cur = null
        str = null
        for (let i = at; i < s.length && str === null; i++) if (s.charAt(i) === '@' || (hasLess && s.charAt(i) === '<')) str = i
        break
      }
      cur = at + (idx > 0 ? 1 : 0)
      const start = size(cur)
      str = at = start.end
      if (cur === str) break
      if (s.charAt(at) !== '-') {
        warn("'-' expected")
        break
      }
      at++
      str = at
      let end: bigint | undefined
      if (s.charAt(at) !== ':') {
        cur = at
        const scan = size(cur)
        str = at = scan.end
        if (cur === str) break
        end = scan.value
        if (end <= start.value) {
          warn('end <= start')
          break
        }
      }
      if (s.charAt(at) !== ':') {
        warn("':' expected")
        break
      }
      cur = at + 1
      const scan = size(cur)
      str = at = scan.end
      if (cur === str) break
      out.ranges.push(end === undefined ? {start: start.value, size: scan.value} : {start: start.value, end, size: scan.value})
      idx++
    } while (s.charAt(at) === ',')
  } else {
    const scan = size(0)
    out.size = scan.value
    str = scan.end
  }

  if (!hasLess) {
    if (cur !== str && str !== null && s.charAt(str) === '@') {
      cur = str + 1
      const scan = size(cur)
      out.at = scan.value
      str = scan.end
    }
    if (cur === str) warn('memory value expected')
    return out
  }
  if (cur !== str && str !== null) {
    if (s.charAt(str) === '@') {
      cur = str + 1
      const scan = size(cur)
      out.at = scan.value
      str = scan.end
    } else if (s.charAt(str) === '<') {
      cur = str + 1
      const scan = size(cur)
      out.below = {limit: scan.value, syntax: '<'}
      str = scan.end
    } else if (xenAtLeast(version, 4, 10) && s.startsWith(',below=', str)) {
      cur = str + 7
      const scan = size(cur)
      out.below = {limit: scan.value, syntax: ',below='}
      str = scan.end
    } else if (str < s.length) {
      warn(`'${s.slice(str)}' ignored`)
    }
  }
  if (cur !== null && cur === str) warn('memory value expected')
  return out
}

// Both Xen and Linux treat a zero start address as "place it automatically".
function placementOf(outcome: XenCrashkernelOutcome): CrashkernelPlacement {
  if (outcome.at !== undefined && outcome.at !== 0n) return {kind: 'at', offset: outcome.at}
  if (outcome.below) return {kind: 'below', ...outcome.below}
  return {kind: 'auto'}
}

function parseXen(text: string, problems: ParseProblem[]): Parsed<CrashkernelSpec> {
  const outcome = simulateXenCrashkernel(text)
  problems.push(...outcome.warnings.map((message) => ({message})))
  for (const number of outcome.unitless) problems.push({message: `'${number}' has no unit: Xen reads it as KiB, not bytes`})
  if (outcome.ranges.length > 0) {
    return parsed({form: 'ranges', dialect: 'xen', text, ranges: outcome.ranges, placement: placementOf(outcome)}, problems)
  }
  if (text.includes(':')) return {ok: false, problems: problems.length > 0 ? problems : [{message: 'crashkernel: no usable range'}]}
  // Xen keeps a size it managed to read even when what follows is broken (`256M@` still reserves 256M).
  if (xenSize(text, 0).end === 0) return {ok: false, problems: problems.length > 0 ? problems : [{message: 'crashkernel: memory value expected'}]}
  if (outcome.size === 0n) problems.push({message: 'crashkernel: size 0 reserves nothing'})
  return parsed({form: 'fixed', dialect: 'xen', text, size: outcome.size, placement: placementOf(outcome)}, problems)
}

function parseLinux(text: string, problems: ParseProblem[]): Parsed<CrashkernelSpec> {
  if (text === 'auto') return parsed({form: 'auto', dialect: 'linux', text}, problems)
  const fail = (message: string): Parsed<CrashkernelSpec> => ({ok: false, problems: [...problems, {message}]})
  let p = 0
  const expectSize = (): Scan | undefined => {
    const scan = linuxSize(text, p)
    if (scan.end === p) return undefined
    p = scan.end
    return scan
  }
  if (text.includes(':')) {
    const ranges: CrashkernelRange[] = []
    for (;;) {
      const start = expectSize()
      if (!start) return fail('crashkernel: Memory value expected')
      if (text.charAt(p) !== '-') return fail("crashkernel: '-' expected")
      p++
      let end: bigint | undefined
      if (text.charAt(p) !== ':') {
        const scan = expectSize()
        if (!scan) return fail('crashkernel: Memory value expected')
        end = scan.value
        if (end <= start.value) return fail('crashkernel: end <= start')
      }
      if (text.charAt(p) !== ':') return fail("crashkernel: ':' expected")
      p++
      const scan = expectSize()
      if (!scan) return fail('crashkernel: Memory value expected')
      ranges.push(end === undefined ? {start: start.value, size: scan.value} : {start: start.value, end, size: scan.value})
      if (text.charAt(p) !== ',') break
      p++
    }
    let placement: CrashkernelPlacement = {kind: 'auto'}
    const at = text.indexOf('@', p)
    if (at > p) problems.push({message: `'${text.slice(p, at)}' ignored by Linux before '@'`})
    if (at >= 0) {
      p = at + 1
      const offset = expectSize()
      if (!offset) return fail("crashkernel: Memory value expected after '@'")
      if (offset.value !== 0n) placement = {kind: 'at', offset: offset.value}
    } else if (p < text.length) problems.push({message: `'${text.slice(p)}' ignored by Linux`})
    return parsed({form: 'ranges', dialect: 'linux', text, ranges, placement}, problems)
  }
  const size = expectSize()
  if (!size) return fail('crashkernel: memory value expected')
  let placement: CrashkernelPlacement = {kind: 'auto'}
  const rest = text.slice(p)
  if (rest.startsWith('@')) {
    const offset = linuxSize(text, p + 1).value
    if (offset !== 0n) placement = {kind: 'at', offset}
  } else if (rest === ',high' || rest === ',low' || rest === ',cma') {
    placement = {kind: rest.slice(1) as 'high' | 'low' | 'cma'}
  } else if (rest !== '') {
    // Whether Linux takes the token as plain or as suffixed, it stops at the first character after the size.
    return fail(`crashkernel: unrecognized char: ${rest.charAt(0)}`)
  }
  return parsed({form: 'fixed', dialect: 'linux', text, size: size.value, placement}, problems)
}

/**
 * Parses a `crashkernel=` value (without the `crashkernel=` prefix). Xen readings follow the newest
 * Xen parser, so a value it only partly understands comes back with the part Xen keeps plus its
 * warnings; use `simulateXenCrashkernel` for an older running Xen.
 */
export function parseCrashkernel(value: string, options: CrashkernelOptions): Parsed<CrashkernelSpec> {
  return total<CrashkernelSpec>('crashkernel', () => {
    const problems: ParseProblem[] = []
    let text = value.trim()
    if (options.grub2) {
      if (hasUnescapedLessThan(text)) {
        problems.push({message: "unescaped '<' in a grub2 config: grub2 treats it as a redirection and Xen never sees the value as written; use '\\<' or ',below='"})
      }
      text = text.replace(/\\(.)/g, '$1')
    } else if (text.includes('\\')) {
      problems.push({message: 'a backslash reached the parser: grub2 escaping (\\<) is removed by grub2, not by Xen or Linux'})
    }
    if (text === '') return unparsable('crashkernel: empty value')
    return options.dialect === 'xen' ? parseXen(text, problems) : parseLinux(text, problems)
  })
}

/**
 * True when raw grub2 script text has a `<` outside quotes and not escaped by a backslash: grub2's
 * lexer takes it as a redirection, so `crashkernel=256M<4G` does not reach Xen as written.
 */
export function hasUnescapedLessThan(grub2Text: string): boolean {
  let quote: '' | "'" | '"' = ''
  for (let i = 0; i < grub2Text.length; i++) {
    const c = grub2Text.charAt(i)
    if (quote === "'") {
      if (c === "'") quote = ''
      continue
    }
    if (c === '\\') {
      i++
      continue
    }
    if (quote === '"') {
      if (c === '"') quote = ''
      continue
    }
    if (c === "'" || c === '"') quote = c
    else if (c === '<') return true
  }
  return false
}

/**
 * The first Xen release that parses this form: plain size[@offset] every Xen (3.x), ranges 4.1, `<`
 * 4.8, `,below=` 4.10. Undefined for forms no Xen accepts (`auto`, `,high`/`,low`/`,cma`, and ranges
 * combined with `,below=`: Xen reads the `b` of `below` as the bytes unit of an empty number, then
 * says "'-' expected" and "'elow=...' ignored", keeping the ranges without the limit).
 */
export function xenMinVersionFor(spec: CrashkernelSpec): XenMajorMinor | undefined {
  if (spec.form === 'auto') return undefined
  const placement = spec.placement
  if (placement.kind === 'high' || placement.kind === 'low' || placement.kind === 'cma') return undefined
  let needed: XenMajorMinor = spec.form === 'ranges' ? {major: 4, minor: 1} : {major: 3, minor: 0}
  if (placement.kind === 'below') {
    if (placement.syntax === ',below=' && spec.form === 'ranges') return undefined
    const gate = placement.syntax === '<' ? {major: 4, minor: 8} : {major: 4, minor: 10}
    if (compareXenVersions(gate, needed) > 0) needed = gate
  }
  return needed
}

export function acceptedByXen(spec: CrashkernelSpec, version: XenMajorMinor): boolean {
  const needed = xenMinVersionFor(spec)
  return needed !== undefined && compareXenVersions(version, needed) >= 0
}

export interface SelectOptions {
  /** Linux since the "round up the total memory size to 128M" change compares against RAM rounded up to 128 MiB. */
  linuxRoundUp128M?: boolean
}

export interface CrashkernelSelection {
  /** Bytes reserved: 0n when no range applies, undefined for `auto` (the distribution decides). */
  size: bigint | undefined
  /** The range that matched. */
  range?: CrashkernelRange
  /** What the consumer prints while selecting, verbatim. */
  warnings: string[]
}

/**
 * What this spec reserves on a machine with `ramBytes` of system RAM (Xen: the `System RAM:` boot
 * line; Linux: memblock RAM). Ranges are [start, end). Xen skips a range whose size is not below RAM
 * ("crashkernel: invalid size") and stops at a zero size; Linux rejects the whole option when it
 * meets such a range before the matching one.
 */
export function selectCrashkernel(spec: CrashkernelSpec, ramBytes: bigint | number, options: SelectOptions = {}): CrashkernelSelection {
  if (spec.form === 'auto') return {size: undefined, warnings: []}
  if (spec.form === 'fixed') return {size: spec.size, warnings: []}
  let ram = typeof ramBytes === 'bigint' ? ramBytes : BigInt(Math.max(0, Math.floor(Number.isFinite(ramBytes) ? ramBytes : 0)))
  const warnings: string[] = []
  if (spec.dialect === 'xen') {
    for (const range of spec.ranges) {
      if (range.size === 0n) break
      if (range.size >= ram) {
        warnings.push('crashkernel: invalid size')
        continue
      }
      if (range.start <= ram && (range.end === undefined || range.end > ram)) return {size: range.size, range, warnings}
    }
    return {size: 0n, warnings}
  }
  const step = 128n << 20n
  if (options.linuxRoundUp128M) ram = ((ram + step - 1n) / step) * step
  for (const range of spec.ranges) {
    if (range.size >= ram) return {size: 0n, warnings: ['crashkernel: invalid size']}
    if (ram >= range.start && (range.end === undefined || ram < range.end)) return {size: range.size, range, warnings}
  }
  return {size: 0n, warnings: ['crashkernel size resulted in zero bytes']}
}

/** Bytes the spec reserves for this RAM: `selectCrashkernel(...).size`. */
export function selectSize(spec: CrashkernelSpec, ramBytes: bigint | number, options: SelectOptions = {}): bigint | undefined {
  return selectCrashkernel(spec, ramBytes, options).size
}
