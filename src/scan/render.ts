/**
 * A scan in every format. The per-host formats (JUnit, SARIF, Prometheus) reuse the report renderers,
 * which take lists; an unreachable host, which has no report, gets its own JUnit suite with an
 * <error>, a SARIF run whose invocation failed, and UNVERIFIED gauges. Hosts are named by their
 * inventory name everywhere (the host's own hostname stays in the JSON reports).
 */
import {ALL_CHECKS} from '../checks/index.js'
import {renderJunit} from '../report/formats/junit.js'
import {renderPrometheus} from '../report/formats/prometheus.js'
import {renderSarif} from '../report/formats/sarif.js'
import {escapeXml as x} from '../report/formats/xml.js'
import {REPORT_SCHEMA, type Report} from '../report/report.js'
import {PACKAGE_ROOT, VERSION} from '../version.js'
import type {HostResult} from './result.js'
import type {ScanOutput} from './output.js'
import {distributionKey, type Breakdown, type CheckCount} from './summary.js'

export const SCAN_FORMATS = ['text', 'json', 'yaml', 'junit', 'sarif', 'prometheus', 'csv', 'html'] as const
export type ScanFormat = (typeof SCAN_FORMATS)[number]

export {SCAN_SCHEMA, type ResultsInput, type ScanOutput, type SkippedLine} from './output.js'

export interface ScanRenderOptions {
  now: Date
  failOnWarning: boolean
}

export async function renderScan(output: ScanOutput, format: ScanFormat, options: ScanRenderOptions): Promise<string> {
  switch (format) {
    case 'text':
      return renderScanText(output)
    case 'json':
      return JSON.stringify(output, null, 2)
    case 'yaml':
      return (await import('yaml')).stringify(output)
    case 'junit':
      return renderScanJunit(output.hosts, options)
    case 'sarif':
      return renderScanSarif(output.hosts)
    case 'prometheus':
      return renderScanPrometheus(output, options.now)
    case 'csv':
      return renderScanCsv(output.hosts)
    case 'html':
      // Loaded on demand: the page's script and styles are of no use to any other format.
      return (await import('./html/page.js')).renderScanHtml(output, {now: options.now})
  }
}

/** The report under the host's inventory name; a stand-in UNVERIFIED report for an unreachable host. */
export function reportFor(result: HostResult): Report {
  if (result.report) return {...result.report, host: {...result.report.host, hostname: result.host}}
  return {
    schema: REPORT_SCHEMA,
    tool: {name: 'kdumpcheck', version: VERSION},
    host: {hostname: result.host, kind: 'runtime', origin: result.target, collected_at: result.started_at, collector: '', role: result.status === 'error' ? 'error (not a snapshot)' : `unreachable (${result.failure})`},
    verdict: 'UNVERIFIED',
    exit_code: result.exit_code,
    summary: {fail: 0, warn: 0, pass: 0, info: 0, unknown: 0, 'n/a': 0},
    findings: [],
    snapshot_errors: [`${result.failure ?? 'error'}: ${result.reason}`],
    timed_out_probes: [],
    policy: {fail_on: 'error', expired_waivers: []},
  }
}

const SPELLED: Record<string, string> = {READY: 'READY', NOT_READY: 'NOT READY', UNVERIFIED: 'UNVERIFIED'}

function table(headers: string[], rows: string[][], rightAligned: number[] = []): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    `  ${cells
      .map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()}`
  return [line(headers), ...rows.map(line)]
}

function percent(n: number, total: number): string {
  return total === 0 ? '' : `${((100 * n) / total).toFixed(1)}%`
}

/** The answer in one or two lines: how many hosts will not leave a vmcore, and the most common reason. */
function headline(s: ScanOutput['summary']): string[] {
  const bad = s.verdicts.NOT_READY
  const unsure = s.verdicts.UNVERIFIED + s.not_scanned
  const lines: string[] = []
  if (bad > 0) lines.push(`NOT READY: ${bad} of ${s.hosts} hosts will not leave a vmcore after a crash${unsure ? `; ${unsure} more cannot be verified` : ''}; ${s.verdicts.READY} READY.`)
  else if (unsure > 0) lines.push(`UNVERIFIED: ${unsure} of ${s.hosts + s.not_scanned} hosts cannot be proven to leave a vmcore; ${s.verdicts.READY} READY, none known broken.`)
  else lines.push(`READY: all ${s.hosts} hosts will leave a vmcore after a crash.`)
  const top = s.failing_checks[0]
  if (top) lines.push(`Most common failure: ${top.id} ${top.title} (${top.hosts} host${top.hosts === 1 ? '' : 's'}); \`kdumpcheck rules ${top.id}\` for the fix.`)
  return lines
}

export function renderScanText(output: ScanOutput): string {
  const s = output.summary
  const out: string[] = []
  const seconds = (output.duration_ms / 1000).toFixed(1)
  out.push(`kdumpcheck scan of ${output.source}: ${s.hosts} of ${s.planned} hosts${output.resumed ? ` (${output.resumed} from the results file)` : ''}, ${seconds} s`)
  if (output.interrupted || s.not_scanned > 0) {
    out.push(`INTERRUPTED: ${s.not_scanned} hosts not scanned (they count as UNVERIFIED); run the same command with --resume to finish.`)
  }
  const input = output.input
  if (input && input.skipped.length + input.skipped_more > 0) {
    const named = input.skipped.slice(0, 5).map((l) => `line ${l.line}: ${l.why}`)
    const more = input.skipped.length + input.skipped_more - named.length
    out.push(`SKIPPED: ${input.skipped.length + input.skipped_more} lines of ${input.file} are not usable results (${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}); the hosts they held are missing below, and the exit code is at least 3.`)
  }
  if (input?.torn_tail) out.push(`TORN: the last line of ${input.file} was cut off mid-write (the scan died); that host is missing below.`)
  if (input && input.duplicates.length > 0) out.push(`DUPLICATES: ${input.duplicates.length} hosts have more than one line; the last line of each counts (${input.duplicates.slice(0, 5).join(', ')}${input.duplicates.length > 5 ? ', ...' : ''}).`)
  if (s.hosts === 0) out.push('NO HOSTS: there is no host result, so nothing is proven (exit code 3).')
  else out.push('', ...headline(s))
  out.push('', 'Hosts by verdict')
  const notes = [
    ...(s.unreachable
      ? [
          `${s.unreachable} unreachable: ${Object.entries(s.unreachable_by_failure)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}`,
        ]
      : []),
    ...(s.errors ? [`${s.errors} not a usable snapshot`] : []),
  ]
  const unreachableNote = notes.length ? `  (${notes.join('; ')})` : ''
  out.push(
    ...table(
      ['verdict', 'hosts', 'share'],
      [
        ['READY', String(s.verdicts.READY), percent(s.verdicts.READY, s.hosts)],
        ['NOT READY', String(s.verdicts.NOT_READY), percent(s.verdicts.NOT_READY, s.hosts)],
        ['UNVERIFIED', String(s.verdicts.UNVERIFIED), percent(s.verdicts.UNVERIFIED, s.hosts) + unreachableNote],
        ...(s.not_scanned ? [['not scanned', String(s.not_scanned), '']] : []),
      ],
      [1],
    ),
  )
  // What to fix first comes on the first screen, right after the verdicts; the statistics follow.
  if (s.worst_hosts.length > 0) {
    out.push('', 'Worst hosts')
    out.push(
      ...table(
        ['host', 'verdict', 'why'],
        s.worst_hosts.map((w) => {
          const why =
            w.status === 'unreachable'
              ? `unreachable (${w.failure}): ${w.reason ?? ''}`
              : w.status === 'error'
                ? `error: ${w.reason ?? ''}`
              : w.failed.length > 0
                ? `fails ${w.failed.join(', ')}`
                : `cannot verify ${w.unverified.join(', ')}`
          return [w.host, SPELLED[w.verdict]!, why.length > 110 ? `${why.slice(0, 107)}...` : why]
        }),
      ),
    )
  }
  const checks = (title: string, list: CheckCount[]): void => {
    if (list.length === 0) return
    out.push('', title)
    out.push(...table(['check', 'hosts', 'title'], list.slice(0, 10).map((c) => [c.id, String(c.hosts), c.title]), [1]))
    if (list.length > 10) out.push(`  ... and ${list.length - 10} more`)
  }
  checks('Most common failing checks (a crash leaves no vmcore)', s.failing_checks)
  checks('Most common unverifiable checks (evidence unknown)', s.unverified_checks)
  const breakdown = (title: string, rows: Breakdown[]): void => {
    out.push('', title)
    out.push(
      ...table(
        ['', 'hosts', 'READY', 'NOT READY', 'UNVERIFIED'],
        rows.map((r) => [r.key, String(r.hosts), String(r.READY), String(r.NOT_READY), String(r.UNVERIFIED)]),
        [1, 2, 3, 4],
      ),
    )
  }
  breakdown('By Xen version', s.by_xen_version)
  breakdown('By distribution', s.by_distribution)
  const worst =
    s.exit_code === 1
      ? 'a host is NOT READY'
      : s.exit_code === 3
        ? s.verdicts.UNVERIFIED > 0 || s.not_scanned > 0
          ? 'a host is UNVERIFIED'
          : 'results are missing, so nothing proves every host READY'
        : 'every host is READY'
  out.push('', `Exit code ${s.exit_code}: ${worst} (worst host wins). Details per host: --format json, or --results FILE.jsonl.`)
  return `${out.join('\n')}\n`
}

export function renderScanJunit(results: readonly HostResult[], options: ScanRenderOptions): string {
  const suites = results.map((result) => {
    if (result.report) {
      const lines = renderJunit([reportFor(result)], {failOnWarning: options.failOnWarning}).split('\n')
      return lines.slice(2, -2).join('\n')
    }
    const message = `${result.failure ?? result.status}: ${result.reason}`
    return [
      `  <testsuite name="${x(result.host)}" tests="1" failures="0" errors="1" skipped="0">`,
      `    <properties>`,
      `      <property name="verdict" value="UNVERIFIED"/>`,
      `      <property name="role" value="${result.status}"/>`,
      `      <property name="origin" value="${x(result.target)}"/>`,
      `    </properties>`,
      `    <testcase classname="kdumpcheck.scan" name="collect evidence from the host">`,
      `      <error type="${x(result.failure ?? result.status)}" message="${x(message)}">${x(`The host could not be checked, so nothing proves that a crash would leave a vmcore.\n${message}`)}</error>`,
      `    </testcase>`,
      `  </testsuite>`,
    ].join('\n')
  })
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="kdumpcheck">', ...suites, '</testsuites>', ''].join('\n')
}

export function renderScanSarif(results: readonly HostResult[]): string {
  const options = {rules: ALL_CHECKS.map((c) => c.meta), packageRoot: PACKAGE_ROOT, version: VERSION}
  const sarif = JSON.parse(renderSarif(results.map(reportFor), options)) as {runs: Array<Record<string, unknown>>}
  sarif.runs = sarif.runs.map((run, i) => {
    const result = results[i]!
    if (result.report) return run
    // No evidence, so no results: the run itself failed, and says why.
    return {
      ...run,
      invocations: [
        {
          executionSuccessful: false,
          toolExecutionNotifications: [{level: 'error', message: {text: `${result.host}: could not collect evidence (${result.failure ?? result.status}): ${result.reason}`}}],
        },
      ],
    }
  })
  return JSON.stringify(sarif, null, 2)
}

export function renderScanPrometheus(output: ScanOutput, now: Date): string {
  const esc = (v: string): string => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')
  const body = renderPrometheus(output.hosts.map(reportFor), {now, hostLabel: true})
  const s = output.summary
  const extra = [
    '# HELP kdumpcheck_scan_host_reachable 1 when the scan collected evidence from the host, 0 when it could not (then its verdict is UNVERIFIED).',
    '# TYPE kdumpcheck_scan_host_reachable gauge',
    ...output.hosts.map((r) => `kdumpcheck_scan_host_reachable{host="${esc(r.host)}"} ${r.status === 'judged' ? 1 : 0}`),
    '# HELP kdumpcheck_scan_hosts Hosts of the last scan by verdict (not_scanned: left by an interrupt).',
    '# TYPE kdumpcheck_scan_hosts gauge',
    ...(['READY', 'NOT_READY', 'UNVERIFIED'] as const).map((v) => `kdumpcheck_scan_hosts{verdict="${v}"} ${s.verdicts[v]}`),
    `kdumpcheck_scan_hosts{verdict="not_scanned"} ${s.not_scanned}`,
    '# HELP kdumpcheck_scan_duration_seconds How long the last scan took.',
    '# TYPE kdumpcheck_scan_duration_seconds gauge',
    `kdumpcheck_scan_duration_seconds ${(output.duration_ms / 1000).toFixed(3)}`,
  ]
  return `${body}${extra.join('\n')}\n`
}

export const CSV_COLUMNS = [
  'host',
  'target',
  'groups',
  'status',
  'verdict',
  'exit_code',
  'failed_checks',
  'unverified_checks',
  'warnings',
  'xen',
  'distribution',
  'role',
  'failure',
  'reason',
  'duration_ms',
] as const

/** RFC 4180, with spreadsheet formula injection defused (a cell starting with = + - @ gets a leading '). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export function renderScanCsv(results: readonly HostResult[]): string {
  const rows = results.map((r) => {
    const findings = r.report?.findings ?? []
    const ids = (pred: (f: (typeof findings)[number]) => boolean): string =>
      findings
        .filter(pred)
        .map((f) => f.id)
        .join(' ')
    return [
      r.host,
      r.target,
      r.groups.join(' '),
      r.status,
      r.verdict,
      String(r.exit_code),
      ids((f) => f.status === 'fail'),
      ids((f) => f.status === 'unknown' && f.severity === 'error'),
      ids((f) => f.status === 'warn'),
      r.xen_version ?? '',
      distributionKey(r),
      r.report?.host.role ?? '',
      r.failure ?? '',
      r.reason ?? '',
      String(r.duration_ms),
    ].map(csvCell)
  })
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n'
}
