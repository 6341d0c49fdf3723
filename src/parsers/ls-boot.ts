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
 *
 * File names are the host's, and a hostile one must not forge evidence. The collector lists with
 * `ls -q` (busybox always prints names that way), which shows each unprintable byte as `?`: a name
 * with a newline cannot start a line of its own, and a name holding `?` is marked `masked` (its real
 * bytes are unknown). A name or link target may still contain ` -> `; a symlink's size is its
 * target's length in bytes, which tells where the target starts. When it cannot (an old listing
 * that printed a multi-byte character as one `?`), and the line holds more than one ` -> `, the
 * entry is marked `ambiguous` and a problem says so: consumers must not match such a name.
 * Snapshots from before `-q` read as before: their names were printed raw.
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
  /** The name holds `?`: `ls -q` prints each byte it cannot print that way, so the real name is not known exactly. */
  masked?: boolean
  /** A symlink whose name and target could not be told apart (more than one ` -> `, and the size does not settle it). */
  ambiguous?: boolean
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

    splitLines(stdout).forEach((padded, i) => {
      const line = i + 1
      // ls ends no line in blanks (a name that did would be shown as such only with -b/-Q); a paste may pad them.
      const text = padded.replace(/[ \t]+$/, '')
      if (text === '') return
      const m = ENTRY.exec(text)
      if (m?.groups) {
        const e = entry(m.groups, dir, line, refMs)
        if (e.ambiguous) problems.push({line, message: `a symlink whose name or target holds ' -> ': where the name ends is not known, not read as a name`})
        listing.entries.push(e)
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
    const split = splitLink(name, e.size)
    if (split) {
      e.linkTarget = split.target
      name = split.name
      e.name = name
      if (split.ambiguous) e.ambiguous = true
    }
  }
  if (name.includes('?')) e.masked = true
  return e
}

/**
 * `NAME -> TARGET` split where the target is exactly `size` bytes long (a symlink's size is its
 * target's length), else at the only ` -> `, else at the first one, marked ambiguous.
 */
function splitLink(text: string, size: number | null): {name: string; target: string; ambiguous: boolean} | undefined {
  const arrows: number[] = []
  for (let at = text.indexOf(' -> '); at >= 0; at = text.indexOf(' -> ', at + 1)) arrows.push(at)
  if (arrows.length === 0) return undefined
  if (size !== null) {
    const fits = arrows.filter((at) => Buffer.byteLength(text.slice(at + 4)) === size)
    if (fits.length === 1) return {name: text.slice(0, fits[0]), target: text.slice(fits[0]! + 4), ambiguous: false}
  }
  const at = arrows[0]!
  return {name: text.slice(0, at), target: text.slice(at + 4), ambiguous: arrows.length > 1}
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
