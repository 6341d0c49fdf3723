/**
 * `/proc/mounts` (what is mounted now) and `/etc/fstab` (what boot mounts, and what the kdump
 * initramfs generators copy for the dump target). Both use six whitespace-separated fields, with
 * spaces, tabs, newlines and backslashes inside a field written as octal escapes (`\040`, `\011`,
 * `\012`, `\134`): the kernel writes them that way and mount(8) decodes them in fstab too.
 *
 *   /dev/mapper/vg-root / xfs rw,relatime,attr2,inode64,noquota 0 0
 *   /dev/sdb1 /mnt/crash\040dumps ext4 rw,relatime 0 0
 *   UUID=03138356-5e61-4ab3-b58e-27507ac41937 /boot ext4 defaults 1 2
 *   LABEL=SWAP-sda2 swap swap defaults 0 0
 *
 * `resolveMount` answers "which mount holds this path" by the longest mount-point prefix, path
 * segment by segment (`/var/crash` is under `/var`, never under `/va`); a later entry for the same
 * mount point shadows an earlier one, as a later mount does.
 */
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

/** How an fstab first field names its device. */
export type DeviceSpecKind = 'path' | 'uuid' | 'label' | 'partuuid' | 'partlabel' | 'other'

export interface DeviceSpec {
  kind: DeviceSpecKind
  /** The device path, or the UUID/label value after `UUID=` etc. */
  value: string
}

export interface MountEntry {
  /** First field, decoded: `/dev/sda1`, `UUID=...`, `server:/export`, `tmpfs`. */
  spec: string
  device: DeviceSpec
  /** Decoded mount point; `swap` or `none` for swap entries in fstab. */
  mountpoint: string
  fstype: string
  options: string[]
  /** Fifth and sixth fields; absent in fstab they mean 0. */
  dump: number
  pass: number
  line: number
}

export interface MountTable {
  source: 'proc-mounts' | 'fstab'
  entries: MountEntry[]
}

export function parseProcMounts(text: string): Parsed<MountTable> {
  return total('/proc/mounts', () => parseTable(text, 'proc-mounts'))
}

export function parseFstab(text: string): Parsed<MountTable> {
  return total('fstab', () => parseTable(text, 'fstab'))
}

function parseTable(text: string, source: MountTable['source']): Parsed<MountTable> {
  const entries: MountEntry[] = []
  const problems: ParseProblem[] = []
  splitLines(text).forEach((raw, i) => {
    const line = i + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const fields = trimmed.split(/\s+/)
    if (fields.length < 3 || (source === 'proc-mounts' && fields.length < 4)) {
      problems.push({line, message: `too few fields for a mount entry: ${trimmed.slice(0, 120)}`})
      return
    }
    if (fields.length > 6) problems.push({line, message: `${fields.length} fields where at most 6 are expected; extra fields ignored`})
    const [spec, mountpoint, fstype, options = 'defaults', dump = '0', pass = '0'] = fields.map(unescapeOctal) as [string, string, string, ...string[]]
    const num = (s: string, what: string): number => {
      if (/^\d+$/.test(s)) return Number(s)
      problems.push({line, message: `${what} field is not a number: ${s.slice(0, 20)}`})
      return 0
    }
    entries.push({spec, device: deviceSpec(spec), mountpoint, fstype, options: options.split(','), dump: num(dump, 'dump'), pass: num(pass, 'pass'), line})
  })
  return parsed({source, entries}, problems)
}

/** Decodes the kernel's `\ooo` escapes; anything else stays as written. */
export function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)))
}

const SPEC_PREFIXES: [string, DeviceSpecKind][] = [
  ['UUID=', 'uuid'],
  ['LABEL=', 'label'],
  ['PARTUUID=', 'partuuid'],
  ['PARTLABEL=', 'partlabel'],
]

/** Reads `UUID=...`, `LABEL=...` (quotes allowed, as blkid prints them) or a device path. */
export function deviceSpec(spec: string): DeviceSpec {
  for (const [prefix, kind] of SPEC_PREFIXES) {
    if (spec.toUpperCase().startsWith(prefix)) return {kind, value: spec.slice(prefix.length).replace(/^"(.*)"$/, '$1')}
  }
  return {kind: spec.startsWith('/') ? 'path' : 'other', value: spec}
}

/** Whether two device specs name the same device without asking blkid (UUIDs compare case-insensitively). */
export function sameDevice(a: string, b: string): boolean {
  const x = deviceSpec(a)
  const y = deviceSpec(b)
  if (x.kind !== y.kind) return false
  return x.kind === 'uuid' || x.kind === 'partuuid' ? x.value.toLowerCase() === y.value.toLowerCase() : x.value === y.value
}

/**
 * An absolute path with `//`, `.` and `..` resolved lexically and no trailing slash (`/` stays `/`).
 * Symlinks cannot be followed in a snapshot; a relative path is taken from `/`.
 */
export function normalizePath(path: string): string {
  const out: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return `/${out.join('/')}`
}

/** Whether `path` is `mountpoint` or below it, segment by segment. Both must be normalised. */
export function isUnder(path: string, mountpoint: string): boolean {
  return mountpoint === '/' || path === mountpoint || path.startsWith(`${mountpoint}/`)
}

/**
 * The item whose mount point holds `path`: the longest matching mount point, and among equal ones
 * the last listed (a later mount shadows an earlier one on the same directory).
 */
export function longestMount<T>(items: readonly T[], path: string, mountpointOf: (item: T) => string): T | undefined {
  const target = normalizePath(path)
  let best: T | undefined
  let bestLength = -1
  for (const item of items) {
    const mp = mountpointOf(item)
    if (!mp.startsWith('/')) continue
    const norm = normalizePath(mp)
    if (!isUnder(target, norm)) continue
    const length = norm === '/' ? 0 : norm.length
    if (length >= bestLength) {
      best = item
      bestLength = length
    }
  }
  return best
}

export interface ResolvedMount {
  entry: MountEntry
  /** The path inside that filesystem (`/var/crash` on a `/var` mount → `/crash`). */
  relative: string
}

/** The mount entry holding `path`; swap entries never hold anything. */
export function resolveMount(entries: readonly MountEntry[], path: string): ResolvedMount | undefined {
  const candidates = entries.filter((e) => e.fstype !== 'swap')
  const entry = longestMount(candidates, path, (e) => e.mountpoint)
  if (!entry) return undefined
  const target = normalizePath(path)
  const mp = normalizePath(entry.mountpoint)
  return {entry, relative: mp === '/' ? target : normalizePath(target.slice(mp.length))}
}

/** Entries that mount this device (`UUID=...` or a path): where a kdump target device is mounted. */
export function mountsOfDevice(entries: readonly MountEntry[], spec: string): MountEntry[] {
  return entries.filter((e) => sameDevice(e.spec, spec))
}
