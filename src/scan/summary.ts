/**
 * The fleet at a glance: hosts by verdict, the checks that fail most often, the breakdown by Xen
 * version and by distribution, and the worst hosts. Deterministic (no times, no paths), so that two
 * routes to the same evidence (ssh, or Ansible then --snapshots) give equal summaries.
 */
import {ALL_CHECKS} from '../checks/index.js'
import {EXIT_CODES, type Verdict} from '../report/report.js'
import type {FailureKind, HostResult} from './result.js'

export interface CheckCount {
  id: string
  title: string
  hosts: number
}

export interface Breakdown {
  key: string
  hosts: number
  READY: number
  NOT_READY: number
  UNVERIFIED: number
}

export interface WorstHost {
  host: string
  verdict: Verdict
  status: HostResult['status']
  /** Failed error-severity checks (NOT READY), in chain order. */
  failed: string[]
  /** Error-severity checks whose evidence was unknown (UNVERIFIED). */
  unverified: string[]
  failure?: FailureKind
  reason?: string
}

export interface ScanSummary {
  /** Hosts the inventory and --limit selected. */
  planned: number
  /** Hosts with a result (judged or unreachable). */
  hosts: number
  /** Hosts left unscanned by an interrupt (they count as UNVERIFIED in the exit code). */
  not_scanned: number
  verdicts: Record<Verdict, number>
  unreachable: number
  /** `scan --snapshots` members that are no usable snapshot (status `error`). */
  errors: number
  unreachable_by_failure: Partial<Record<FailureKind, number>>
  /** Worst host wins: 1 NOT READY, then 3 UNVERIFIED (unreachable and unscanned hosts included), then 0. */
  exit_code: number
  failing_checks: CheckCount[]
  unverified_checks: CheckCount[]
  by_xen_version: Breakdown[]
  by_distribution: Breakdown[]
  worst_hosts: WorstHost[]
}

const TITLES = new Map(ALL_CHECKS.map((c) => [c.meta.id, c.meta.title]))
const RANK: Record<number, number> = {[EXIT_CODES.READY]: 0, [EXIT_CODES.UNVERIFIED]: 1, [EXIT_CODES.NOT_READY]: 2}

/** Worst host wins: NOT READY (1) over UNVERIFIED (3) over READY (0). */
export function worstExitCode(codes: Iterable<number>): number {
  let worst: number = EXIT_CODES.READY
  for (const code of codes) if ((RANK[code] ?? 2) > (RANK[worst] ?? 0)) worst = code
  return worst
}

export function xenKey(result: HostResult): string {
  if (result.status !== 'judged') return result.status
  if (result.xen_version) {
    const m = /^(\d+\.\d+)/.exec(result.xen_version)
    return `Xen ${m ? m[1] : result.xen_version}`
  }
  return result.report?.host.role.startsWith('Linux without Xen') ? 'no Xen' : 'Xen version unknown'
}

export function distributionKey(result: HostResult): string {
  return result.status !== 'judged' ? result.status : (result.distribution ?? 'unknown')
}

function failedIds(result: HostResult): string[] {
  return (result.report?.findings ?? []).filter((f) => f.status === 'fail').map((f) => f.id)
}

function unverifiedIds(result: HostResult): string[] {
  return (result.report?.findings ?? []).filter((f) => f.status === 'unknown' && f.severity === 'error').map((f) => f.id)
}

function counts(results: readonly HostResult[], pick: (r: HostResult) => string[]): CheckCount[] {
  const tally = new Map<string, number>()
  for (const r of results) for (const id of new Set(pick(r))) tally.set(id, (tally.get(id) ?? 0) + 1)
  return [...tally]
    .map(([id, hosts]) => ({id, title: TITLES.get(id) ?? id, hosts}))
    .sort((a, b) => b.hosts - a.hosts || (a.id < b.id ? -1 : 1))
}

function breakdown(results: readonly HostResult[], key: (r: HostResult) => string): Breakdown[] {
  const rows = new Map<string, Breakdown>()
  for (const r of results) {
    const k = key(r)
    const row = rows.get(k) ?? {key: k, hosts: 0, READY: 0, NOT_READY: 0, UNVERIFIED: 0}
    row.hosts++
    row[r.verdict]++
    rows.set(k, row)
  }
  return [...rows.values()].sort((a, b) => b.hosts - a.hosts || (a.key < b.key ? -1 : 1))
}

/** Worst first: NOT READY by failed checks, then judged UNVERIFIED by unknowns, then unreachable; ties by name. */
export function rankHosts(results: readonly HostResult[]): HostResult[] {
  const score = (r: HostResult): number[] => {
    if (r.verdict === 'NOT_READY') return [0, -failedIds(r).length]
    if (r.verdict === 'UNVERIFIED' && r.status === 'judged') return [1, -unverifiedIds(r).length]
    if (r.status !== 'judged') return [2, 0]
    return [3, -(r.report?.summary.warn ?? 0)]
  }
  return [...results].sort((a, b) => {
    const [a0, a1] = score(a)
    const [b0, b1] = score(b)
    return a0! - b0! || a1! - b1! || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)
  })
}

export function summarize(results: readonly HostResult[], planned: number, top = 10): ScanSummary {
  const verdicts: Record<Verdict, number> = {READY: 0, NOT_READY: 0, UNVERIFIED: 0}
  const byFailure: Partial<Record<FailureKind, number>> = {}
  for (const r of results) {
    verdicts[r.verdict]++
    if (r.status === 'unreachable' && r.failure) byFailure[r.failure] = (byFailure[r.failure] ?? 0) + 1
  }
  const notScanned = Math.max(0, planned - results.length)
  const worst = rankHosts(results)
    .filter((r) => r.verdict !== 'READY')
    .slice(0, top)
    .map<WorstHost>((r) => ({
      host: r.host,
      verdict: r.verdict,
      status: r.status,
      failed: failedIds(r),
      unverified: unverifiedIds(r),
      ...(r.failure ? {failure: r.failure} : {}),
      ...(r.reason ? {reason: r.reason} : {}),
    }))
  return {
    planned,
    hosts: results.length,
    not_scanned: notScanned,
    verdicts,
    unreachable: results.filter((r) => r.status === 'unreachable').length,
    errors: results.filter((r) => r.status === 'error').length,
    unreachable_by_failure: Object.fromEntries(Object.entries(byFailure).sort(([a], [b]) => (a < b ? -1 : 1))),
    exit_code: worstExitCode([...results.map((r) => r.exit_code), ...(notScanned > 0 ? [EXIT_CODES.UNVERIFIED] : [])]),
    failing_checks: counts(results, failedIds),
    unverified_checks: counts(results, unverifiedIds),
    by_xen_version: breakdown(results, xenKey),
    by_distribution: breakdown(results, distributionKey),
    worst_hosts: worst,
  }
}
