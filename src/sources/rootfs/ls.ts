/**
 * `ls -l` / `ls -ln` of an image's directories, byte for byte what GNU coreutils prints with
 * `LC_ALL=C TZ=UTC` and stdout not a terminal, so that a static snapshot's `ls-boot` and
 * `ls-services` read exactly like a live host's (ARCHITECTURE.md: the static source writes them).
 *
 * What GNU ls does, and this follows (coreutils ls.c, checked against ls 9.1 in the tests):
 * - each operand is lstat'ed (-l never follows a symlink operand: `/boot -> /mnt/boot` prints as
 *   one symlink line, not /mnt/boot's contents); a missing one prints
 *   `ls: cannot access '/x': No such file or directory` on stderr and the exit status becomes 2;
 * - non-directory operands come first, sorted, as one group whose column widths are computed over
 *   ALL operands found (directories included); then each directory, sorted, under a `dir:` header
 *   when more than one operand was given, separated by blank lines, with `total N` (allocated
 *   512-byte blocks of the listed entries, in 1 KiB units rounded up) and its entries sorted in
 *   byte order, hidden names left out;
 * - columns: mode, links (right-aligned), owner and group (names left-aligned, numbers right-
 *   aligned), size or `major, minor` (right-aligned), time (`%b %e %H:%M` within the last six
 *   months, `%b %e  %Y` otherwise or in the future), name, and ` -> target` for a symlink. Names,
 *   link targets and directory headers as `ls -q` prints them in the C locale (the collector's
 *   probes run `ls -lq`): every byte outside printable ASCII, a newline above all, is one `?`, so no
 *   file name can start a line of the listing (a name with a newline used to fake a whole entry).
 *   No ACL/SELinux marker: an image's tree carries labels this machine's policy did not assign.
 * - owner and group names from the image's passwd and group files are printed only when they look
 *   like names (no blanks or controls that would shift the columns); otherwise the number is.
 * Times are printed in UTC, which is how the ls-boot parser reads them.
 */
import {compareC, enter, lookup, strerror, type ImageTree, type NodeInfo} from './tree.js'

export interface LsEmulationOptions {
  /** `-n`: numeric owners. Otherwise names from `users`/`groups` (the image's), numbers where unknown. */
  numeric: boolean
  /** "Now" for the six-month rule (to the end of its millisecond: the machine's clock has nanoseconds). */
  now: Date
  users?: ReadonlyMap<number, string>
  groups?: ReadonlyMap<number, string>
  /** At most this many entries per directory (a hostile image could hold millions). */
  entryLimit?: number
}

export interface LsOutput {
  out: string
  err: string
  exit: number
  /** What the listing could not show faithfully, "path: reason", for the snapshot's errors. */
  problems: string[]
}

/**
 * A name as GNU `ls -q` prints it in the C locale: each byte that is not printable ASCII becomes one
 * `?` (a newline, an escape, a tab, and every byte of a non-ASCII character).
 */
export function lsQ(name: string): string {
  let out = ''
  for (const byte of Buffer.from(name, 'utf8')) out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '?'
  return out
}

/** A name a hostile image may have made to confuse a reader: control characters, or bytes that are not UTF-8 text. */
function unprintable(name: string): boolean {
  return /[\u0000-\u001f\u007f\ufffd]/.test(name)
}

/** What getpwuid/getgrgid names look like; anything else (blanks, controls) would shift the columns. */
const PLAIN_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/

interface Row {
  name: string
  info: NodeInfo
  linkTarget?: string
}

/** A Gregorian year's average length in seconds, halved: GNU ls's "six months". */
const SIX_MONTHS_NS = (31_556_952n / 2n) * 1_000_000_000n
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
export const LS_ENTRY_LIMIT = 100_000

export async function emulateLs(tree: ImageTree, operands: readonly string[], options: LsEmulationOptions): Promise<LsOutput> {
  // A Date covers its whole millisecond: a file written earlier within it is recent, not in the future.
  const nowNs = BigInt(options.now.getTime()) * 1_000_000n + 999_999n
  const limit = options.entryLimit ?? LS_ENTRY_LIMIT
  const format = (rows: Row[], widthRows: Row[] = rows): string => formatRows(rows, widthRows, options, nowNs)
  let out = ''
  let err = ''
  let exit = 0
  const problems: string[] = []

  const files: Row[] = []
  const dirs: {operand: string; info: NodeInfo}[] = []
  for (const operand of operands) {
    const found = await lookup(tree, operand, false)
    if (!found.ok) {
      err += `ls: cannot access '${lsQ(operand)}': ${strerror(found.code)}\n`
      exit = 2
      continue
    }
    try {
      if (found.info.type === 'dir') dirs.push({operand, info: found.info})
      else files.push(await row(tree, found.parent, found.name, operand, found.info))
    } finally {
      await found.release()
    }
  }

  files.sort((a, b) => compareC(a.name, b.name))
  dirs.sort((a, b) => compareC(a.operand, b.operand))
  if (files.length > 0) {
    // GNU ls sizes the operand group's columns over every operand it stat'ed, directories too.
    out += format(files, [...files, ...dirs.map((d) => ({name: d.operand, info: d.info}))])
    if (dirs.length > 0) out += '\n'
  }
  const headers = operands.length > 1
  let first = true
  for (const {operand} of dirs) {
    const listed = await listDirectory(tree, operand, limit)
    if ('code' in listed) {
      err += `ls: cannot open directory '${lsQ(operand)}': ${strerror(listed.code)}\n`
      // An unreadable directory hides what it holds: that is missing evidence, not an empty directory.
      problems.push(`${operand}: could not be read: ${strerror(listed.code)}`)
      exit = 2
      continue
    }
    const masked = listed.rows.filter((r) => unprintable(r.name)).length
    if (masked > 0) {
      problems.push(`${operand}: ${masked === 1 ? 'an entry whose name holds' : `${masked} entries whose names hold`} control characters or bytes that are not text, listed with ? as ls -q prints them`)
    }
    if (listed.unlisted > 0) {
      problems.push(`${operand}: ${listed.unlisted === 1 ? 'an entry' : `${listed.unlisted} entries`} could not be examined (a name that is not UTF-8, or it vanished), left out of the listing`)
    }
    if (headers) {
      if (!first) out += '\n'
      out += `${lsQ(operand)}:\n`
    }
    first = false
    const rows = listed.rows.sort((a, b) => compareC(a.name, b.name))
    const blocks = rows.reduce((sum, r) => sum + r.info.blocks, 0)
    out += `total ${Math.ceil(blocks / 2)}\n`
    out += format(rows)
  }
  return {out, err, exit, problems}
}

async function row(tree: ImageTree, parent: Parameters<ImageTree['readlink']>[0] | null, name: string, shown: string, info: NodeInfo): Promise<Row> {
  const r: Row = {name: shown, info}
  if (info.type === 'symlink' && parent) r.linkTarget = await tree.readlink(parent, name).catch(() => '')
  return r
}

async function listDirectory(tree: ImageTree, operand: string, limit: number): Promise<{rows: Row[]; unlisted: number} | {code: string}> {
  const found = await lookup(tree, operand, false)
  if (!found.ok) return {code: found.code}
  let entered
  try {
    entered = await enter(tree, found)
  } catch (error) {
    await found.release()
    return {code: (error as {code?: string}).code ?? 'EIO'}
  }
  try {
    const {names} = await tree.list(entered.dir, limit)
    const rows: Row[] = []
    let unlisted = 0
    for (const name of names) {
      if (name.startsWith('.')) continue
      // An entry that vanished between readdir and lstat, or whose name is not UTF-8 (Node's readdir
      // decodes it lossily, so the name no longer finds it), is left out and counted (GNU prints `?` columns for it).
      const info = await tree.lstat(entered.dir, name).catch(() => undefined)
      if (info) rows.push(await row(tree, entered.dir, name, name, info))
      else unlisted++
    }
    return {rows, unlisted}
  } catch (error) {
    return {code: (error as {code?: string}).code ?? 'EIO'}
  } finally {
    await entered.release()
  }
}

function formatRows(rows: Row[], widthRows: Row[], options: LsEmulationOptions, nowNs: bigint): string {
  const owner = (uid: number): {text: string; name: boolean} => {
    const name = options.numeric ? undefined : options.users?.get(uid)
    return name === undefined || !PLAIN_NAME.test(name) ? {text: String(uid), name: false} : {text: name, name: true}
  }
  const group = (gid: number): {text: string; name: boolean} => {
    const name = options.numeric ? undefined : options.groups?.get(gid)
    return name === undefined || !PLAIN_NAME.test(name) ? {text: String(gid), name: false} : {text: name, name: true}
  }
  const isDevice = (info: NodeInfo): boolean => info.type === 'char' || info.type === 'block'
  let nlinkW = 0
  let ownerW = 0
  let groupW = 0
  let majorW = 0
  let minorW = 0
  let sizeW = 0
  for (const {info} of widthRows) {
    nlinkW = Math.max(nlinkW, String(info.nlink).length)
    ownerW = Math.max(ownerW, owner(info.uid).text.length)
    groupW = Math.max(groupW, group(info.gid).text.length)
    if (isDevice(info)) {
      majorW = Math.max(majorW, String(info.rdevMajor).length)
      minorW = Math.max(minorW, String(info.rdevMinor).length)
      sizeW = Math.max(sizeW, majorW + 2 + minorW)
    } else sizeW = Math.max(sizeW, String(info.size).length)
  }
  const column = (v: {text: string; name: boolean}, width: number): string =>
    v.name ? `${v.text.padEnd(width)} ` : `${v.text.padStart(width)} `
  let text = ''
  for (const r of rows) {
    const {info} = r
    let line = `${modeString(info)} ${String(info.nlink).padStart(nlinkW)} `
    line += column(owner(info.uid), ownerW)
    line += column(group(info.gid), groupW)
    if (isDevice(info)) {
      const blanks = sizeW - (majorW + 2 + minorW)
      line += `${String(info.rdevMajor).padStart(majorW + Math.max(0, blanks))}, ${String(info.rdevMinor).padStart(minorW)} `
    } else line += `${String(info.size).padStart(sizeW)} `
    line += `${lsTime(info.mtimeNs, nowNs)} ${lsQ(r.name)}`
    if (info.type === 'symlink') line += ` -> ${lsQ(r.linkTarget ?? '')}`
    text += `${line}\n`
  }
  return text
}

export function modeString(info: NodeInfo): string {
  const type = {file: '-', dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p', socket: 's', other: '?'}[info.type]
  const m = info.mode
  const bit = (mask: number, c: string): string => (m & mask ? c : '-')
  const exec = (x: number, special: number, set: string, unset: string): string =>
    m & special ? (m & x ? set : unset) : m & x ? 'x' : '-'
  return (
    type +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    exec(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    exec(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    exec(0o001, 0o1000, 't', 'T')
  )
}

/** `%b %e %H:%M` for the last six months, `%b %e  %Y` otherwise (older, or in the future), in UTC. */
export function lsTime(mtimeNs: bigint, nowNs: bigint): string {
  const recent = nowNs - SIX_MONTHS_NS < mtimeNs && mtimeNs < nowNs
  // Floor to whole milliseconds, also before 1970.
  const ms = mtimeNs >= 0n ? mtimeNs / 1_000_000n : -((-mtimeNs + 999_999n) / 1_000_000n)
  const d = new Date(Number(ms))
  const head = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}`
  if (recent) return `${head} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
  return `${head}  ${d.getUTCFullYear()}`
}
