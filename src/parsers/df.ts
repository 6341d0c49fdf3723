/**
 * The `df` probe, `df -Pk` (POSIX format, 1024-byte blocks), from GNU coreutils or busybox:
 *
 *   Filesystem     1024-blocks    Used Available Capacity Mounted on
 *   /dev/mapper/centos-root  52403200 4814652  47588548      10% /
 *   devtmpfs           8121520       0   8121520       0% /dev
 *   /dev/sdb1        103081248  61464 97760520       1% /mnt/crash dumps
 *
 * `-P` keeps each filesystem on one line; without it GNU df wraps a long device name onto a line of
 * its own, which is joined here too. The mount point is the rest of the line after the capacity (df
 * prints it unescaped, spaces included). A size df cannot tell is printed `-` and read as null.
 */
import {longestMount} from './mounts.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface DfRow {
  filesystem: string
  sizeKiB: number | null
  usedKiB: number | null
  availKiB: number | null
  /** Percent used as printed (`10%` → 10); null for `-`. */
  capacity: number | null
  mountpoint: string
  /** Line of the row (the first line when a long name was wrapped). */
  line: number
}

const ROW = /^(?<fs>\S(?:.*?\S)?)\s+(?<size>\d+|-)\s+(?<used>\d+|-)\s+(?<avail>\d+|-)\s+(?<cap>\d+%|-)\s+(?<mp>\/.*)$/
const TAIL = /^\s*(?<size>\d+|-)\s+(?<used>\d+|-)\s+(?<avail>\d+|-)\s+(?<cap>\d+%|-)\s+(?<mp>\/.*)$/
const HEADER = /^Filesystem\s+(?:1024|1K|\d+)-blocks\s+Used\s+Avail(?:able)?\s+(?:Capacity|Use%)\s+Mounted on\s*$/i

export function parseDf(text: string): Parsed<DfRow[]> {
  return total('df', () => {
    const rows: DfRow[] = []
    const problems: ParseProblem[] = []
    let pending: {fs: string; line: number} | undefined
    let header = false
    splitLines(text).forEach((raw, i) => {
      const line = i + 1
      const text = raw.replace(/\s+$/, '')
      if (text.trim() === '') return
      if (HEADER.test(text)) {
        header = true
        if (line > 1) problems.push({line, message: 'df header in the middle of the output'})
        return
      }
      if (pending) {
        const tail = TAIL.exec(text)
        if (tail?.groups) {
          rows.push(row(pending.fs, tail.groups, pending.line))
          pending = undefined
          return
        }
        problems.push({line: pending.line, message: `df line with a device name only: ${pending.fs.slice(0, 120)}`})
        pending = undefined
      }
      const m = ROW.exec(text)
      if (m?.groups) {
        rows.push(row(m.groups.fs!, m.groups, line))
        return
      }
      if (/^\S+$/.test(text)) {
        pending = {fs: text, line}
        return
      }
      problems.push({line, message: `unrecognised df line: ${text.slice(0, 120)}`})
    })
    if (pending) problems.push({line: pending.line, message: `df line with a device name only: ${pending.fs.slice(0, 120)}`})
    if (!header && rows.length > 0) problems.push({message: 'no df header line; columns assumed to be the POSIX ones'})
    return parsed(rows, problems)
  })
}

function row(filesystem: string, g: Record<string, string | undefined>, line: number): DfRow {
  const n = (s: string | undefined): number | null => (s === undefined || s === '-' ? null : Number(s))
  return {
    filesystem,
    sizeKiB: n(g.size),
    usedKiB: n(g.used),
    availKiB: n(g.avail),
    capacity: g.cap === undefined || g.cap === '-' ? null : Number(g.cap.slice(0, -1)),
    mountpoint: g.mp!,
    line,
  }
}

/** The filesystem holding `path`: the longest mount-point prefix, path-segment aware; the last row wins a tie (a later mount shadows). */
export function mountFor(rows: readonly DfRow[], path: string): DfRow | undefined {
  return longestMount(rows, path, (r) => r.mountpoint)
}
