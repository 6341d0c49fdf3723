/**
 * `kdumpcheck report FILE.jsonl`: a results file read back for rendering, whoever wrote it. Unlike
 * `--resume` (which must continue exactly the scan it finds, so any bad line stops it), a report
 * renders what it can and says what it could not:
 *
 * - not a regular file, unreadable, too large, or not one line of it a scan result: exit 2, one line;
 * - a line that is not JSON, not a `kdumpcheck-scan-result/1` line, malformed (a field of the wrong
 *   type), or whose verdict contradicts its own findings: skipped, named (line number and why) in the
 *   page, in every format's output and on stderr, and the exit code becomes at least 3 (UNVERIFIED),
 *   since a host whose line was lost may be one that would leave no vmcore;
 * - a torn last line (the scan died mid-write): skipped and said, as --resume does;
 * - a host listed twice: the last line counts (as --resume does), and the page says which hosts.
 *
 * Every accepted line is rebuilt from the fields kdumpcheck knows, so nothing foreign (deep nesting,
 * huge unknown fields, `__proto__` keys) travels further.
 */
import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import {InputError} from '../errors.js'
import {EXIT_CODES, verdictOf, statusForProblem, type Finding, type Report, type Verdict} from '../report/report.js'
import type {Stage} from '../checks/types.js'
import type {PolicyKey} from '../report/policy.js'
import type {Severity, Status} from '../severity.js'
import type {Evidence} from '../snapshot/evidence.js'
import {VERSION} from '../version.js'
import {SCAN_SCHEMA, type ResultsInput, type ScanOutput, type SkippedLine} from './output.js'
import {SCAN_RESULT_SCHEMA, type FailureKind, type HostResult} from './result.js'
import type {ScanRunInfo} from './run-record.js'
import {runsOf} from './runs.js'
import {summarize, worstExitCode} from './summary.js'

/** Beyond this a results file is refused (10,000 hosts take about 200 MB). */
export const MAX_RESULTS_BYTES = 1024 * 1024 * 1024
/** How many skipped lines are named one by one (the rest are counted). */
const MAX_NAMED_SKIPS = 100

const VERDICTS: readonly Verdict[] = ['READY', 'NOT_READY', 'UNVERIFIED']
const STATUSES: readonly Status[] = ['fail', 'warn', 'pass', 'info', 'unknown', 'n/a']
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']
const STAGES: readonly Stage[] = ['host', 'region', 'capture', 'service', 'target', 'after-crash', 'proof']
const POLICY_KEYS: readonly PolicyKey[] = ['min-crash-region-mb', 'require-panic-on-oops', 'allowed-dump-targets', 'allow-noreboot']
const FAILURES: readonly FailureKind[] = ['refused', 'auth', 'dns', 'hostkey', 'timeout', 'garbage', 'ssh', 'internal']

class Malformed extends Error {}

type Json = Record<string, unknown>

function obj(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Malformed(`${what} is not an object`)
  return value as Json
}
function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Malformed(`${what} is not a string`)
  return value
}
function optStr(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : str(value, what)
}
function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed(`${what} is not a number`)
  return value
}
function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw new Malformed(`${what} is not one of ${allowed.join(', ')}`)
  return value as T
}
function list<T>(value: unknown, what: string, item: (v: unknown, what: string) => T): T[] {
  if (!Array.isArray(value)) throw new Malformed(`${what} is not a list`)
  return value.map((v, i) => item(v, `${what}[${i}]`))
}
/** Adds `key: value` only when value is defined (the results format omits absent fields). */
function opt<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
  return (value === undefined ? {} : {[key]: value}) as {[P in K]?: V}
}

function evidence(value: unknown, what: string): Evidence {
  const e = obj(value, what)
  return {source: str(e.source, `${what}.source`), ...opt('line', e.line === undefined ? undefined : num(e.line, `${what}.line`)), ...opt('text', optStr(e.text, `${what}.text`))}
}

function finding(value: unknown, what: string): Finding {
  const f = obj(value, what)
  const waiver = f.waiver === undefined ? undefined : obj(f.waiver, `${what}.waiver`)
  const policy = f.policy === undefined ? undefined : obj(f.policy, `${what}.policy`)
  return {
    id: str(f.id, `${what}.id`),
    status: oneOf(f.status, STATUSES, `${what}.status`),
    severity: oneOf(f.severity, SEVERITIES, `${what}.severity`),
    title: str(f.title, `${what}.title`),
    stage: oneOf(f.stage, STAGES, `${what}.stage`),
    message: str(f.message, `${what}.message`),
    evidence: list(f.evidence, `${what}.evidence`, evidence),
    ...opt('fix', optStr(f.fix, `${what}.fix`)),
    ...opt('verify', optStr(f.verify, `${what}.verify`)),
    ...opt('default_severity', f.default_severity === undefined ? undefined : oneOf(f.default_severity, SEVERITIES, `${what}.default_severity`)),
    ...opt(
      'waiver',
      waiver && {
        reason: str(waiver.reason, `${what}.waiver.reason`),
        ...opt('expires', optStr(waiver.expires, `${what}.waiver.expires`)),
        ...opt('source', optStr(waiver.source, `${what}.waiver.source`)),
      },
    ),
    ...opt('policy', policy && {key: oneOf(policy.key, POLICY_KEYS, `${what}.policy.key`), requirement: str(policy.requirement, `${what}.policy.requirement`)}),
  }
}

/**
 * The finding as the check said it, as far as the report still shows it: a severity override undone.
 * A finding the site policy ruled on may have changed status too (a violation fails a pass), so it is
 * left out of the comparison (undefined).
 */
function asChecked(f: Finding): Finding | undefined {
  if (f.policy) return undefined
  if (!f.default_severity) return f
  const problem = f.status === 'fail' || f.status === 'warn' || f.status === 'info'
  return {...f, severity: f.default_severity, ...(problem ? {status: statusForProblem(f.default_severity)} : {})}
}

const BADNESS: Record<Verdict, number> = {READY: 0, UNVERIFIED: 1, NOT_READY: 2}

function report(value: unknown): Report {
  const r = obj(value, 'report')
  const host = obj(r.host, 'report.host')
  const tool = obj(r.tool, 'report.tool')
  const policy = obj(r.policy, 'report.policy')
  const summary = obj(r.summary, 'report.summary')
  const findings = list(r.findings, 'report.findings', finding)
  const verdict = oneOf(r.verdict, VERDICTS, 'report.verdict')
  // The verdict is judged before configuration, so the findings (after it) cannot always reproduce it;
  // but a verdict better than its own unconfigured findings is a forged or corrupted line.
  const checked = verdictOf(findings.map(asChecked).filter((f): f is Finding => f !== undefined))
  if (BADNESS[verdict] < BADNESS[checked]) throw new Malformed(`its verdict ${verdict} contradicts its own findings (${checked})`)
  return {
    schema: str(r.schema, 'report.schema') as Report['schema'],
    tool: {name: 'kdumpcheck', version: str(tool.version, 'report.tool.version')},
    host: {
      hostname: str(host.hostname, 'report.host.hostname'),
      kind: oneOf(host.kind, ['runtime', 'static'] as const, 'report.host.kind'),
      origin: str(host.origin, 'report.host.origin'),
      collected_at: str(host.collected_at, 'report.host.collected_at'),
      collector: str(host.collector, 'report.host.collector'),
      role: str(host.role, 'report.host.role'),
      ...opt('xen_version', optStr(host.xen_version, 'report.host.xen_version')),
    },
    verdict,
    exit_code: num(r.exit_code, 'report.exit_code'),
    ...opt('first_broken_link', optStr(r.first_broken_link, 'report.first_broken_link')),
    summary: Object.fromEntries(STATUSES.map((s) => [s, summary[s] === undefined ? 0 : num(summary[s], `report.summary.${s}`)])) as Record<Status, number>,
    findings,
    snapshot_errors: list(r.snapshot_errors ?? [], 'report.snapshot_errors', str),
    timed_out_probes: list(r.timed_out_probes ?? [], 'report.timed_out_probes', str),
    policy: {
      ...opt('config', optStr(policy.config, 'report.policy.config')),
      fail_on: oneOf(policy.fail_on, ['error', 'warning'] as const, 'report.policy.fail_on'),
      expired_waivers: list(policy.expired_waivers ?? [], 'report.policy.expired_waivers', (v, w) => {
        const e = obj(v, w)
        return {id: str(e.id, `${w}.id`), reason: str(e.reason, `${w}.reason`), ...opt('expires', optStr(e.expires, `${w}.expires`))}
      }),
    },
  }
}

function runInfo(value: unknown): ScanRunInfo {
  const s = obj(value, 'scan')
  return {
    started_at: str(s.started_at, 'scan.started_at'),
    version: str(s.version, 'scan.version'),
    mode: oneOf(s.mode, ['ssh', 'offline'] as const, 'scan.mode'),
    source: str(s.source, 'scan.source'),
    concurrency: num(s.concurrency, 'scan.concurrency'),
    ...opt('limit', optStr(s.limit, 'scan.limit')),
    ...opt('config', optStr(s.config, 'scan.config')),
    fail_on: oneOf(s.fail_on, ['error', 'warning'] as const, 'scan.fail_on'),
    resume: s.resume === true,
    planned: num(s.planned, 'scan.planned'),
  }
}

/** One results line checked and rebuilt; throws Malformed naming the first bad field. */
export function parseResultLine(value: unknown): HostResult {
  const r = obj(value, 'the line')
  if (r.schema !== SCAN_RESULT_SCHEMA) throw new Malformed(`not a ${SCAN_RESULT_SCHEMA} line`)
  const host = str(r.host, 'host')
  if (host === '') throw new Malformed('host is empty')
  const status = oneOf(r.status, ['judged', 'unreachable', 'error'] as const, 'status')
  const verdict = oneOf(r.verdict, VERDICTS, 'verdict')
  const rep = r.report === undefined ? undefined : report(r.report)
  if (status === 'judged' && !rep) throw new Malformed('a judged host without its report')
  if (status !== 'judged' && verdict !== 'UNVERIFIED') throw new Malformed(`an ${status} host cannot be ${verdict}`)
  if (rep && rep.verdict !== verdict) throw new Malformed(`verdict ${verdict} differs from its report's ${rep.verdict}`)
  const exitCode = num(r.exit_code, 'exit_code')
  if (!Object.values(EXIT_CODES).includes(exitCode)) throw new Malformed(`exit_code ${exitCode} is not 0, 1 or 3`)
  return {
    schema: SCAN_RESULT_SCHEMA,
    host,
    target: str(r.target, 'target'),
    groups: list(r.groups, 'groups', str),
    status,
    verdict,
    exit_code: exitCode,
    ...opt('failure', r.failure === undefined ? undefined : oneOf(r.failure, FAILURES, 'failure')),
    ...opt('reason', optStr(r.reason, 'reason')),
    ...opt('distribution', optStr(r.distribution, 'distribution')),
    ...opt('xen_version', optStr(r.xen_version, 'xen_version')),
    started_at: str(r.started_at, 'started_at'),
    duration_ms: num(r.duration_ms, 'duration_ms'),
    ...opt('snapshot', optStr(r.snapshot, 'snapshot')),
    ...opt('report', rep),
    ...opt('scan', r.scan === undefined ? undefined : runInfo(r.scan)),
  }
}

export interface LoadedResults {
  /** One result per host (the last line of a host listed twice), in the order of their last lines. */
  results: HostResult[]
  input: ResultsInput
}

export async function loadResultsForReport(file: string): Promise<LoadedResults> {
  let bytes: Buffer
  let handle
  try {
    // O_NONBLOCK: a FIFO must not hang the open (it is refused below as not a regular file).
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw new InputError(`${file}: cannot read results (${(error as Error).message})`)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new InputError(`${file}: not a regular file`)
    if (info.size > MAX_RESULTS_BYTES) throw new InputError(`${file}: ${info.size} bytes is more than a results file may have (${MAX_RESULTS_BYTES})`)
    bytes = await handle.readFile()
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(`${file}: cannot read results (${(error as Error).message})`)
  } finally {
    await handle.close()
  }
  const decoder = new TextDecoder('utf-8', {fatal: true})
  const byHost = new Map<string, HostResult>()
  const seen = new Map<string, number>()
  const skipped: SkippedLine[] = []
  let skippedMore = 0
  let tornTail = false
  let lines = 0
  let sawResult = false
  const skip = (line: number, why: string): void => {
    if (skipped.length < MAX_NAMED_SKIPS) skipped.push({line, why})
    else skippedMore++
  }
  let start = 0
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    const complete = end !== -1
    if (!complete) end = bytes.length
    lines++
    const raw = bytes.subarray(start, end)
    start = end + 1
    let text: string
    try {
      text = decoder.decode(raw)
    } catch {
      skip(lines, 'not UTF-8 text')
      continue
    }
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      if (!complete) {
        tornTail = true
        continue
      }
      skip(lines, 'not JSON')
      continue
    }
    let result: HostResult
    try {
      result = parseResultLine(value)
    } catch (error) {
      if (error instanceof Malformed) {
        skip(lines, error.message)
        continue
      }
      // A line too deep for the checks themselves (RangeError) is no result either.
      skip(lines, 'not a scan result')
      continue
    }
    sawResult = true
    seen.set(result.host, (seen.get(result.host) ?? 0) + 1)
    byHost.delete(result.host)
    byHost.set(result.host, result)
  }
  if (!sawResult && (skipped.length > 0 || skippedMore > 0)) {
    const first = skipped[0]!
    throw new InputError(`${file}: not a kdumpcheck results file (line ${first.line}: ${first.why})`)
  }
  return {
    results: [...byHost.values()],
    input: {
      file,
      lines,
      skipped,
      skipped_more: skippedMore,
      duplicates: [...seen].filter(([, n]) => n > 1).map(([host]) => host),
      torn_tail: tornTail,
    },
  }
}

/**
 * The loaded results as scan's own output, for every scan renderer: planned hosts from the latest run
 * record (else the hosts present), and an exit code that an unreadable line or an empty file can only
 * make worse: nothing read is nothing proven.
 */
export function scanOutputFromResults(loaded: LoadedResults, top: number): ScanOutput {
  const {results, input} = loaded
  const runs = runsOf(results)
  const latest = runs.at(-1)
  const planned = Math.max(results.length, latest?.planned ?? 0)
  const summary = summarize(results, planned, top)
  const lost = input.skipped.length + input.skipped_more > 0 || input.torn_tail || results.length === 0
  if (lost) summary.exit_code = worstExitCode([summary.exit_code, EXIT_CODES.UNVERIFIED])
  const first = runs[0]
  const finish = Math.max(0, ...results.map((r) => Date.parse(r.started_at) + r.duration_ms).filter(Number.isFinite))
  const begin = first ? Date.parse(first.started_at) : Math.min(...results.map((r) => Date.parse(r.started_at)).filter(Number.isFinite))
  return {
    schema: SCAN_SCHEMA,
    tool: {name: 'kdumpcheck', version: VERSION},
    source: latest?.source ?? input.file,
    interrupted: summary.not_scanned > 0,
    resumed: 0,
    duration_ms: Number.isFinite(begin) && finish >= begin ? finish - begin : 0,
    summary,
    hosts: results,
    input,
  }
}
