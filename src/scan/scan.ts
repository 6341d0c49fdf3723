/**
 * The fleet scan: the hosts to do (minus those a results file already holds, with --resume), a pool
 * of at most `concurrency` hosts in flight, each result appended to the results file the moment it
 * is known, and a clean stop on SIGINT/SIGTERM: no new host starts, the ssh processes in flight are
 * killed (AbortController -> execa's cancelSignal), what finished is kept, and the summary says how
 * many hosts were left for --resume. A second SIGINT exits at once (130).
 */
import {InputError} from '../errors.js'
import {VERSION} from '../version.js'
import type {InventoryHost} from './inventory.js'
import {judgeOffline, type OfflineEntry} from './offline.js'
import type {ProgressSink} from './progress.js'
import {SCAN_SCHEMA, type ScanOutput} from './render.js'
import type {Report} from '../report/report.js'
import type {HostResult} from './result.js'
import {readResultsFile, ResultsWriter} from './results-file.js'
import type {ScanRunInfo} from './run-record.js'
import {SnapshotKeeper} from './keep.js'
import {scanHostOverSsh, type SshScanOptions} from './ssh-host.js'
import {summarize} from './summary.js'
import type {Config} from '../config/config.js'

export type ScanWork =
  | {mode: 'ssh'; source: string; hosts: InventoryHost[]; ssh: SshScanOptions}
  | {mode: 'offline'; source: string; entries: OfflineEntry[]; config: Config}

export interface ScanOptions {
  concurrency: number
  resultsFile?: string
  resume: boolean
  /** With --resume, scan again the hosts the results file records as unreachable. */
  retryUnreachable: boolean
  keepDir?: string
  progress: ProgressSink
  /** How many worst hosts the summary lists. */
  top: number
  /** Where interrupt notices go (stderr). */
  notify: (message: string) => void
  /**
   * Keep every host's full report for the output (json, yaml, junit, sarif, prometheus, csv). When
   * false (the text summary) only what the summary needs stays in memory: a fleet of thousands
   * must not hold thousands of reports.
   */
  keepReports?: boolean
  /** Installs the SIGINT/SIGTERM handlers (tests drive `interrupt` themselves instead). */
  handleSignals: boolean
  interrupt?: AbortController
  /** --limit, for the run record every result line carries. */
  limit?: string
}

/** Runs `worker` over `items` with at most `limit` in flight, stopping new starts once `signal` fires. */
export async function pool<T>(items: readonly T[], limit: number, signal: AbortSignal, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({length: Math.max(1, Math.min(limit, items.length))}, async () => {
    while (!signal.aborted && next < items.length) {
      const item = items[next++]!
      await worker(item)
    }
  })
  await Promise.all(lanes)
}

/**
 * What the summary needs of a result: the report's host, counts, and its failed, unknown and warning
 * findings reduced to id/status/severity; copied through JSON so nothing pins the snapshot's texts.
 */
export function slim(result: HostResult): HostResult {
  if (!result.report) return result
  const r = result.report
  const findings = r.findings
    .filter((f) => f.status === 'fail' || f.status === 'unknown' || f.status === 'warn')
    .map((f) => ({id: f.id, status: f.status, severity: f.severity, title: '', stage: f.stage, message: '', evidence: []}))
  return JSON.parse(JSON.stringify({...result, report: {...r, findings, snapshot_errors: [], timed_out_probes: []}})) as HostResult
}

export async function runScan(work: ScanWork, options: ScanOptions): Promise<ScanOutput> {
  const started = Date.now()
  if (options.resume && !options.resultsFile) throw new InputError('--resume needs --results FILE.jsonl (the file of the scan to continue)')
  const names = work.mode === 'ssh' ? work.hosts.map((h) => h.name) : work.entries.map((e) => e.name)
  const keepReports = options.keepReports ?? true
  const previous = options.resume && options.resultsFile ? (await readResultsFile(options.resultsFile)).results : new Map<string, HostResult>()
  if (!keepReports) for (const [name, result] of previous) previous.set(name, slim(result))
  const redo = (name: string): boolean => {
    const before = previous.get(name)
    return before === undefined || (options.retryUnreachable && before.status === 'unreachable')
  }
  const writer = options.resultsFile ? await ResultsWriter.open(options.resultsFile, options.resume) : undefined
  const config = work.mode === 'ssh' ? work.ssh.config : work.config
  const run: ScanRunInfo = {
    started_at: new Date(started).toISOString(),
    version: VERSION,
    mode: work.mode,
    source: work.source,
    concurrency: options.concurrency,
    ...(options.limit !== undefined ? {limit: options.limit} : {}),
    ...(config.source ? {config: config.source} : {}),
    fail_on: config.failOn,
    resume: Boolean(options.resume),
    planned: names.length,
  }
  const keeper = options.keepDir ? await SnapshotKeeper.open(options.keepDir) : undefined

  const interrupt = options.interrupt ?? new AbortController()
  let signals = 0
  const onSignal = (name: NodeJS.Signals): void => {
    signals++
    if (signals === 1) {
      options.progress.stop()
      options.notify(`${name}: stopping; hosts in flight are abandoned, finished ones are kept${options.resultsFile ? ` in ${options.resultsFile}` : ''} (${name} again to quit at once)`)
      interrupt.abort()
    } else {
      process.exit(130)
    }
  }
  if (options.handleSignals) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }

  const fresh = new Map<string, HostResult>()
  // Reports kept as JSON text: compact, and free of substrings that would pin a snapshot's texts.
  const reportText = new Map<string, string>()
  const record = async (unstamped: HostResult): Promise<void> => {
    const result: HostResult = {...unstamped, scan: run}
    if (keepReports && result.report) reportText.set(result.host, JSON.stringify(result.report))
    fresh.set(result.host, slim(result))
    options.progress.tick(result)
    const pending: Array<Promise<void>> = []
    if (writer) pending.push(writer.append(result))
    if (keeper && result.status === 'unreachable' && work.mode === 'ssh') {
      pending.push(keeper.unreachable(result).catch((error: Error) => options.notify(`warning: ${result.host}: unreachable marker not kept (${error.message})`)))
    }
    await Promise.all(pending)
  }

  try {
    if (work.mode === 'ssh') {
      const todo = work.hosts.filter((h) => redo(h.name))
      options.progress.start(names.length, names.length - todo.length)
      const ssh: SshScanOptions = {...work.ssh, ...(keeper ? {keeper} : {}), notify: options.notify}
      await pool(todo, options.concurrency, interrupt.signal, async (host) => {
        const result = await scanHostOverSsh(host, ssh, interrupt.signal)
        if (result) await record(result)
      })
    } else {
      const todo = work.entries.filter((e) => redo(e.name))
      options.progress.start(names.length, names.length - todo.length)
      await pool(todo, options.concurrency, interrupt.signal, async (entry) => {
        await record(await judgeOffline(entry, work.config))
      })
    }
  } finally {
    options.progress.stop()
    if (options.handleSignals) {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    await keeper?.close()
    await writer?.close()
  }

  const results: HostResult[] = []
  let resumed = 0
  for (const name of names) {
    const result = fresh.get(name) ?? previous.get(name)
    if (!result) continue
    if (!fresh.has(name)) resumed++
    const text = reportText.get(name)
    results.push(text === undefined ? result : {...result, report: JSON.parse(text) as Report})
  }
  return {
    schema: SCAN_SCHEMA,
    tool: {name: 'kdumpcheck', version: VERSION},
    source: work.source,
    interrupted: interrupt.signal.aborted,
    resumed,
    duration_ms: Date.now() - started,
    summary: summarize(results, names.length, options.top),
    hosts: results,
  }
}
