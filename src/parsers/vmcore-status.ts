/**
 * Proof that a dump was ever written.
 *
 * 1. `/var/lib/kdump/vmcore-creation.status`, written by `kdumpctl test` (kdump-utils, RHEL 9.5+ /
 *    Fedora): `pending kdump_test_id=<epoch>-<nanoseconds>` before the test crash; the capture kernel
 *    writes `success`/`fail` next to the dump, and the next `kdumpctl start`/`status` copies the word
 *    back here (`manual` when it cannot reach the target, as with a raw disk). An empty or missing
 *    file means no test was ever run ("Notice: No vmcore creation test performed!"). Other tools'
 *    `SUCCESS <epoch>` and `SUCCESS <ISO date>` forms are read too.
 *
 *      success kdump_test_id=1700000000-123456789
 *
 * 2. What the capture side left under the dump directory, from an `ls -lR /var/crash` listing
 *    (read with the ls-boot listing parser): RHEL `<ip>-<date>/vmcore` (`vmcore-incomplete` when
 *    the copy failed, `vmcore.flat` over ssh), RHEL 5 `<date>/vmcore`, Debian kdump-tools
 *    `<YYYYMMDDHHMM>/dump.<stamp>` (`dump-incomplete` while copying). A 0-byte Debian dump is a
 *    failed makedumpfile that kdump-config still reported as saved.
 */
import {parseLsBoot, type LsEntry, type LsListing, type LsOptions, type LsTime} from './ls-boot.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export type VmcoreTestStatus = 'success' | 'fail' | 'pending' | 'manual' | 'none' | 'unknown'

export interface VmcoreCreationStatus {
  /** `none` for an empty file (no test recorded); `unknown` for a word this parser does not know. */
  status: VmcoreTestStatus
  /** The status word as written. */
  word?: string
  /** kdumpctl's test id (`1700000000-123456789`). */
  testId?: string
  /** When the test was started (from the test id or the time written), seconds since the epoch. */
  time?: number
  line?: number
}

const WORDS: Record<string, VmcoreTestStatus> = {
  success: 'success', succeeded: 'success', ok: 'success',
  fail: 'fail', failed: 'fail', failure: 'fail',
  pending: 'pending', manual: 'manual',
}

export function parseVmcoreCreationStatus(text: string): Parsed<VmcoreCreationStatus> {
  return total('vmcore-creation.status', () => {
    const problems: ParseProblem[] = []
    const lines = splitLines(text)
    const index = lines.findIndex((l) => l.trim() !== '')
    if (index < 0) return parsed({status: 'none' as const})
    const line = index + 1
    // kdumpctl reads only the first line (`read -r _status _test_id`).
    if (lines.slice(index + 1).some((l) => l.trim() !== '')) problems.push({message: 'more than one line; only the first counts'})
    const [word = '', ...rest] = lines[index]!.trim().split(/\s+/)
    const status = WORDS[word.toLowerCase()] ?? 'unknown'
    if (status === 'unknown') problems.push({line, message: `unknown vmcore creation test status: ${word.slice(0, 40)}`})
    const result: VmcoreCreationStatus = {status, word, line}
    const tail = rest.join(' ')
    const id = /(?:^|\s)kdump_test_id=(\S+)/.exec(tail)
    const epoch = /^(\d{9,11})(?:[-.]\d+)?$/.exec(id ? id[1]! : tail)
    if (id) result.testId = id[1]!
    if (epoch) result.time = Number(epoch[1])
    else if (tail !== '' && !id) {
      // A time without a zone is read as UTC, so the reading does not depend on where this runs.
      const iso = tail.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2')
      const ms = Date.parse(/T[\d:.]+$/.test(iso) ? `${iso}Z` : iso)
      if (Number.isFinite(ms)) result.time = Math.floor(ms / 1000)
      else problems.push({line, message: `no test time in: ${tail.slice(0, 80)}`})
    }
    return parsed(result, problems)
  })
}

export type CrashLayout = 'rhel' | 'debian' | 'unknown'

export interface CrashFile {
  name: string
  size: number | null
  mtime: LsTime
  line: number
}

export interface CrashTrace {
  /** The dump directory (`/var/crash/127.0.0.1-2024-05-01-10:00:00`). */
  dir: string
  layout: CrashLayout
  /** The dump file: `vmcore`, `vmcore.flat`, `dump.<stamp>`, or their incomplete names. */
  dump?: CrashFile
  /** The copy finished (not `vmcore-incomplete` / `dump-incomplete`). */
  complete: boolean
  /** A finished dump of 0 bytes: the collector failed. */
  empty: boolean
  dmesg?: CrashFile
  /** `vmcore-creation.status` found in a `kdump-test-<id>` directory. */
  testStatus?: CrashFile
}

const RHEL_DUMPS = ['vmcore', 'vmcore.flat']
const RHEL_PARTIAL = ['vmcore-incomplete']
const DEBIAN_DUMP = /^dump\.\d{12}$/

/** The dump directories in a listing of the crash directory (`ls -lR /var/crash`). */
export function crashTraces(listing: LsListing): CrashTrace[] {
  const byDir = new Map<string, LsEntry[]>()
  for (const e of listing.entries) {
    if (e.dir === null || e.type !== 'file') continue
    byDir.set(e.dir, [...(byDir.get(e.dir) ?? []), e])
  }
  const traces: CrashTrace[] = []
  for (const [dir, files] of byDir) {
    const find = (test: (name: string) => boolean): CrashFile | undefined => {
      const e = files.find((f) => test(f.name))
      return e ? {name: e.name, size: e.size, mtime: e.mtime, line: e.line} : undefined
    }
    const rhelDump = find((n) => RHEL_DUMPS.includes(n))
    const rhelPartial = find((n) => RHEL_PARTIAL.includes(n))
    const debDump = find((n) => DEBIAN_DUMP.test(n))
    const debPartial = find((n) => n === 'dump-incomplete')
    const testStatus = find((n) => n === 'vmcore-creation.status')
    const dump = rhelDump ?? debDump ?? rhelPartial ?? debPartial
    if (!dump && !testStatus) continue
    const layout: CrashLayout = rhelDump || rhelPartial || testStatus ? 'rhel' : debDump || debPartial ? 'debian' : 'unknown'
    const complete = dump !== undefined && dump !== rhelPartial && dump !== debPartial
    const trace: CrashTrace = {dir, layout, complete, empty: complete && dump!.size === 0}
    if (dump) trace.dump = dump
    const dmesg = find((n) => n === 'vmcore-dmesg.txt' || /^dmesg\.\d{12}$/.test(n)) ?? find((n) => n === 'vmcore-dmesg-incomplete.txt')
    if (dmesg) trace.dmesg = dmesg
    if (testStatus) trace.testStatus = testStatus
    traces.push(trace)
  }
  return traces
}

/** Reads an `ls -lR` of the crash directory and returns its dump traces. */
export function parseCrashListing(stdout: string, stderr = '', options: LsOptions = {}): Parsed<CrashTrace[]> {
  return total('crash directory listing', () => {
    const r = parseLsBoot(stdout, stderr, options)
    return r.ok ? parsed(crashTraces(r.value), r.problems) : r
  })
}
