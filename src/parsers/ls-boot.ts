/**
 * The `ls-boot` probe, `ls -ln /boot /var/lib/kdump` (GNU coreutils or busybox), which a static
 * source also writes for an image. It shows which kernels, initrds and Xen images exist, and
 * their times (KD204: a capture initrd older than the kdump configuration).
 *
 *   /boot:
 *   total 84720
 *   -rw-r--r-- 1 0 0 36507834 Nov 29 09:21 initrd.img-6.1.0-18-amd64
 *   lrwxrwxrwx 1 0 0       29 Nov 29 09:22 vmlinuz -> /boot/vmlinuz-6.1.0-18-amd64
 *   -rw-r--r-- 1 0 0    68663 Dec  1  2015 config-2.6.18-406.el5
 *
 * `ls -l` prints no year for files from the last six months, so a time like `Nov 29 09:21` can only
 * be placed with the snapshot's collection time (`referenceTime`); without one its `value` is null.
 * Times carry no zone (except `--time-style=full-iso`) and are compared as if UTC: consistent
 * within one listing, which is what the checks compare.
 */
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface LsTime {
  /** As printed. */
  raw: string
  /** Milliseconds since the epoch, reading the wall-clock time as UTC; null when the year cannot be known. */
  value: number | null
  precision: 'day' | 'minute' | 'second'
  /** The year was not printed and came from `referenceTime`. */
  yearInferred: boolean
}

export type LsType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket' | 'other'

export interface LsEntry {
  /** The directory header the entry was listed under (`/boot`), or the default directory. */
  dir: string | null
  name: string
  type: LsType
  /** The ten-character mode string (`-rw-r--r--`), without SELinux/ACL markers. */
  mode: string
  links: number
  /** Numeric with `-n`, names otherwise. */
  uid: string
  gid: string
  /** Bytes; null for device files (which show major, minor). */
  size: number | null
  mtime: LsTime
  linkTarget?: string
  line: number
}

export interface LsListing {
  entries: LsEntry[]
  dirs: {path: string; line: number; total?: number}[]
  /** Paths ls reported as missing (`ls: cannot access '/var/lib/kdump': No such file or directory`). */
  missing: {path: string; line: number; stream: 'stdout' | 'stderr'}[]
}

export interface LsOptions {
  /** When the listing was made (the snapshot's `collected_at`): places year-less times. */
  referenceTime?: Date | string
  /** The directory for entries before any header (a single-directory listing). */
  defaultDir?: string
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const TYPES: Record<string, LsType> = {'-': 'file', d: 'dir', l: 'symlink', c: 'char', b: 'block', p: 'fifo', s: 'socket'}

const DATE = [
  `(?<mon>${MONTHS.join('|')})\\s+(?<day>\\d{1,2})\\s+(?:(?<hm>\\d{1,2}:\\d{2})|(?<year>\\d{4}))`,
  `(?<iso>\\d{4}-\\d{2}-\\d{2})(?:\\s+(?<isohm>\\d{2}:\\d{2})(?::(?<sec>\\d{2})(?:\\.\\d+)?)?(?:\\s+(?<tz>[+-]\\d{4}))?)?`,
  `(?<md>\\d{2}-\\d{2})\\s+(?<mdhm>\\d{2}:\\d{2})`,
].join('|')

const ENTRY = new RegExp(
  `^(?<mode>[-dlcbps?D][-rwxsStTlL?]{9})[.+@]?\\s+(?<links>\\d+)\\s+(?<uid>\\S+)\\s+(?<gid>\\S+)\\s+(?:(?<major>\\d+),\\s*(?<minor>\\d+)|(?<size>\\d+))\\s+(?<date>${DATE}) (?<name>.+)$`,
)

const MISSING = [
  /^ls: cannot access '(.+)': No such file or directory$/,
  /^ls: cannot access (.+): No such file or directory$/,
  /^ls: (.+): No such file or directory$/,
]

export function parseLsBoot(stdout: string, stderr = '', options: LsOptions = {}): Parsed<LsListing> {
  return total('ls', () => {
    const problems: ParseProblem[] = []
    const listing: LsListing = {entries: [], dirs: [], missing: []}
    const ref = options.referenceTime === undefined ? undefined : new Date(options.referenceTime)
    const refMs = ref && !Number.isNaN(ref.getTime()) ? ref.getTime() : undefined
    let dir: string | null = options.defaultDir ?? null

    const missing = (text: string, line: number, stream: 'stdout' | 'stderr'): boolean => {
      for (const re of MISSING) {
        const m = re.exec(text)
        if (m) {
          listing.missing.push({path: m[1]!, line, stream})
          return true
        }
      }
      return false
    }

    splitLines(stdout).forEach((text, i) => {
      const line = i + 1
      if (text.trim() === '') return
      const m = ENTRY.exec(text)
      if (m?.groups) {
        listing.entries.push(entry(m.groups, dir, line, refMs))
        return
      }
      const t = /^total (\d+)$/.exec(text.trim())
      if (t) {
        const current = listing.dirs[listing.dirs.length - 1]
        if (current && current.path === dir && current.total === undefined) current.total = Number(t[1])
        return
      }
      if (/^\/.*:$/.test(text) || /^[^\s].*:$/.test(text)) {
        dir = text.slice(0, -1)
        listing.dirs.push({path: dir, line})
        return
      }
      if (missing(text, line, 'stdout')) return
      problems.push({line, message: `unrecognised ls line: ${text.slice(0, 120)}`})
    })
    splitLines(stderr).forEach((text, i) => missing(text, i + 1, 'stderr'))
    return parsed(listing, problems)
  })
}

function entry(g: Record<string, string | undefined>, dir: string | null, line: number, refMs: number | undefined): LsEntry {
  const mode = g.mode!
  let name = g.name!
  const type = TYPES[mode[0]!] ?? 'other'
  const e: LsEntry = {
    dir,
    name,
    type,
    mode,
    links: Number(g.links),
    uid: g.uid!,
    gid: g.gid!,
    size: g.size === undefined ? null : Number(g.size),
    mtime: time(g, refMs),
    line,
  }
  if (type === 'symlink') {
    const arrow = name.indexOf(' -> ')
    if (arrow >= 0) {
      e.linkTarget = name.slice(arrow + 4)
      name = name.slice(0, arrow)
      e.name = name
    }
  }
  return e
}

function time(g: Record<string, string | undefined>, refMs: number | undefined): LsTime {
  const raw = g.date!
  const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | null => {
    const v = Date.UTC(y, mo, d, h, mi, s)
    return Number.isFinite(v) && mo >= 0 && mo < 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 61 ? v : null
  }
  const hm = (s: string): [number, number] => s.split(':').map(Number) as [number, number]
  if (g.mon) {
    const mo = MONTHS.indexOf(g.mon)
    const day = Number(g.day)
    if (g.year) return {raw, value: utc(Number(g.year), mo, day), precision: 'day', yearInferred: false}
    const [h, mi] = hm(g.hm!)
    return {raw, value: placeYear(refMs, (y) => utc(y, mo, day, h, mi)), precision: 'minute', yearInferred: true}
  }
  if (g.iso) {
    const [y, mo, d] = g.iso.split('-').map(Number) as [number, number, number]
    if (!g.isohm) return {raw, value: utc(y, mo - 1, d), precision: 'day', yearInferred: false}
    const [h, mi] = hm(g.isohm)
    const sec = g.sec === undefined ? 0 : Number(g.sec)
    let value = utc(y, mo - 1, d, h, mi, sec)
    if (value !== null && g.tz) {
      const sign = g.tz[0] === '-' ? -1 : 1
      value -= sign * (Number(g.tz.slice(1, 3)) * 60 + Number(g.tz.slice(3, 5))) * 60_000
    }
    return {raw, value, precision: g.sec === undefined ? 'minute' : 'second', yearInferred: false}
  }
  const [mo, d] = g.md!.split('-').map(Number) as [number, number]
  const [h, mi] = hm(g.mdhm!)
  return {raw, value: placeYear(refMs, (y) => utc(y, mo - 1, d, h, mi)), precision: 'minute', yearInferred: true}
}

/** ls omits the year for times within six months before "now": the reference year, or the one before if that lands in the future. */
function placeYear(refMs: number | undefined, at: (year: number) => number | null): number | null {
  if (refMs === undefined) return null
  const year = new Date(refMs).getUTCFullYear()
  const v = at(year)
  // A day of slack: the reference is a wall clock in an unknown zone.
  return v !== null && v > refMs + 86_400_000 ? at(year - 1) : v
}

/** The entries listed under `dir`. */
export function entriesIn(listing: LsListing, dir: string): LsEntry[] {
  const norm = (p: string): string => p.replace(/\/+$/, '') || '/'
  return listing.entries.filter((e) => e.dir !== null && norm(e.dir) === norm(dir))
}
