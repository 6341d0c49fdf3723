/**
 * The report for people. The default is one screen that says the answer: the verdict, the first broken link
 * with its one fix, then one line per finding that is not a pass (status, id, title, the key evidence) in the
 * order a crash walks the chain (region -> capture kernel -> service -> target -> after-crash), then the counts
 * and how to see more. `verbose` is the full report: every check, every piece of evidence with file:line,
 * every fix. `details` is one finding in full.
 */
import {ALL_CHECKS} from '../../checks/index.js'
import type {Stage} from '../../checks/types.js'
import {InputError} from '../../errors.js'
import type {Evidence} from '../../snapshot/evidence.js'
import {escapeDeep} from '../../util/terminal.js'
import {EXIT_CODES, type Finding, type Report} from '../report.js'
import {clip, DEFAULT_WIDTH, painter, wrap, type Painter} from './layout.js'

export {wantsColor} from './layout.js'

export interface TextOptions {
  color: boolean
  /** The full report: passing and n/a checks too, every finding with its evidence and fix. */
  verbose?: boolean
  /** Columns to wrap prose to (default 80). Evidence lines are the host's words and are never wrapped. */
  width?: number
  /** One finding in full (a check ID such as KD301), instead of the report. */
  details?: string
}

const STAGE_TITLES: Record<Stage, string> = {
  host: 'Host',
  region: 'Crash region (reserved by the hypervisor or kernel at boot)',
  capture: 'Capture kernel (loaded with kexec -p)',
  service: 'Service and configuration',
  target: 'Dump target',
  'after-crash': 'After the crash',
  proof: 'Triggers and proof',
}

const VERDICT_TEXT = {
  READY: 'READY: a crash now will leave a vmcore.',
  NOT_READY: 'NOT READY: a crash now will not leave a vmcore.',
  UNVERIFIED: 'UNVERIFIED: nothing failed, but the evidence cannot prove a vmcore would be written.',
}

const STATIC_VERDICT_TEXT = {
  READY: 'READY: this image, once booted, is configured to leave a vmcore.',
  NOT_READY: 'NOT READY: this image, once booted, will not leave a vmcore.',
  UNVERIFIED: 'UNVERIFIED: nothing failed, but the image does not prove a vmcore would be written.',
}

/** Prose fields whose line breaks are the report's own (indented below); every other string is one line. */
const MULTILINE = new Set(['message', 'fix', 'verify'])

const MARK_WIDTH = 7

export function renderText(unsafe: Report, options: TextOptions): string {
  // Everything that came from the host is escaped before it reaches a terminal (src/util/terminal.ts).
  const report = escapeDeep(unsafe, MULTILINE)
  const paint = painter(options.color)
  const width = options.width ?? DEFAULT_WIDTH
  if (options.details !== undefined) return renderDetails(report, options.details, paint, width)
  const out = header(report, paint, width)
  if (options.verbose) out.push(...fullBody(report, paint, width))
  else out.push(...shortBody(report, paint, width))
  out.push(...footer(report, paint, width))
  const s = report.summary
  out.push('', paint.dim(`${s.fail} failed, ${s.warn} warnings, ${s.unknown} unknown, ${s.pass} passed, ${s.info} info, ${s['n/a']} n/a`))
  if (!options.verbose) {
    const example = report.first_broken_link ?? report.findings.find((f) => f.status !== 'pass' && f.status !== 'n/a' && f.id !== 'KD100')?.id ?? 'KD101'
    out.push(paint.dim(clip(`More: --details ${example} (one finding in full), -v (every check, evidence and fix).`, width)))
  }
  return out.join('\n')
}

function header(report: Report, paint: Painter, width: number): string[] {
  const {host} = report
  const name = host.hostname || '(unnamed host)'
  const [first = '', ...more] = wrap(`${name}  ${host.role}${host.xen_version ? ` on Xen ${host.xen_version}` : ''}`, width, 0, 2)
  const out = [
    paint.bold(name) + first.slice(name.length),
    ...more,
    ...wrap(`${host.kind} snapshot ${host.origin}${host.collected_at ? `, collected ${host.collected_at}` : ''}`, width, 0, 2).map(paint.dim),
  ]
  // The collector names the test hooks a run had set (KDUMPCHECK_TEST_*): that evidence is not the host's own.
  const hooks = /\(test hooks set: ([^)]*)\)/.exec(host.collector)
  if (hooks) out.push(...wrap(`Collected with test hooks set (${hooks[1]}): this evidence is not the host's own.`, width).map(paint.yellow))
  out.push('')
  const verdictLine = (host.kind === 'static' ? STATIC_VERDICT_TEXT : VERDICT_TEXT)[report.verdict]
  const verdictPaint = report.verdict === 'READY' ? paint.green : report.verdict === 'NOT_READY' ? paint.red : paint.yellow
  out.push(verdictPaint(paint.bold(verdictLine)))
  return out
}

/** Today's full report: every check in chain order, each with its message, evidence and fix. */
function fullBody(report: Report, paint: Painter, width: number): string[] {
  const out: string[] = []
  const first = report.findings.find((f) => f.id === report.first_broken_link)
  if (first) out.push(`First broken link: ${first.id} ${first.title}`)
  const unverified = report.findings.filter((f) => f.status === 'unknown' && f.severity === 'error')
  if (!first && unverified.length > 0) out.push(...wrap(`Could not verify: ${unverified.map((f) => `${f.id} ${f.title}`).join('; ')}`, width, 0, 2))
  out.push('')
  let stage: Stage | undefined
  for (const finding of report.findings) {
    if (finding.stage !== stage) {
      stage = finding.stage
      out.push(paint.bold(STAGE_TITLES[stage]))
    }
    out.push(...renderFinding(finding, paint, width))
  }
  return out
}

/**
 * The first screen: where the chain breaks and the one fix for it (or, with nothing broken, what could not be
 * verified and how to settle it), then one line per finding that is not a pass.
 */
function shortBody(report: Report, paint: Painter, width: number): string[] {
  const out: string[] = []
  const first = report.findings.find((f) => f.id === report.first_broken_link)
  const lead = first ?? report.findings.find((f) => f.status === 'unknown' && f.severity === 'error')
  if (lead) {
    out.push(paint.bold(`${first ? 'First broken link' : 'Could not verify'}: ${lead.id} ${lead.title}`))
    out.push(...wrap(lead.message, width, 2))
    const todo = first ? lead.fix : lead.verify
    if (todo) {
      const [head = '', ...rest] = todo.split('\n')
      out.push(...wrap(`${first ? 'Fix' : 'To settle it'}: ${head}`, width, 2, first ? 5 : 14), ...wrap(rest.join('\n'), width, 4).filter((l, i, all) => l !== '' || i < all.length - 1))
    }
  }
  const listed = report.findings.filter((f) => (f.status !== 'pass' && f.status !== 'n/a') || (f.id === 'KD100' && f.status !== 'pass'))
  if (listed.length > 0) out.push('')
  let stage: Stage | undefined
  for (const finding of listed) {
    if (finding.stage !== stage) {
      stage = finding.stage
      out.push(paint.bold(SHORT_STAGE_TITLES[stage]))
    }
    out.push(...findingLine(finding, paint, width, finding.id === first?.id))
  }
  return out
}

const SHORT_STAGE_TITLES: Record<Stage, string> = {
  host: 'Host',
  region: 'Crash region',
  capture: 'Capture kernel',
  service: 'Service and configuration',
  target: 'Dump target',
  'after-crash': 'After the crash',
  proof: 'Triggers and proof',
}

function mark(finding: Finding, paint: Painter): string {
  return {
    fail: paint.red('FAIL   '),
    warn: paint.yellow('WARN   '),
    unknown: paint.yellow('UNKNOWN'),
    pass: paint.green('PASS   '),
    info: paint.cyan('INFO   '),
    'n/a': paint.dim('N/A    '),
  }[finding.status]
}

/** One line: status, id, title and, in what room is left, the key evidence; wrapped only when the title alone is too long. */
function findingLine(finding: Finding, paint: Painter, width: number, isFirst: boolean): string[] {
  const notes = [isFirst ? 'fix above' : '', finding.waiver ? 'waived' : '', finding.policy ? `policy ${finding.policy.key}` : ''].filter(Boolean)
  const title = `${finding.title}${notes.length ? ` [${notes.join('; ')}]` : ''}`
  const prefix = 2 + MARK_WIDTH + 1 + finding.id.length + 1
  const key = keyEvidence(finding.evidence[0])
  const plain = `${title}${key ? ` (${key})` : ''}`
  const head = `  ${mark(finding, paint)} ${paint.bold(finding.id)} `
  if (prefix + plain.length <= width) return [head + title + (key ? paint.dim(` (${key})`) : '')]
  const room = width - prefix - title.length - 3
  if (key && room >= 16) return [head + title + paint.dim(` (${clip(key, room)})`)]
  // No room for the evidence beside a long title: the line stays one line (-v and --details show it).
  if (prefix + title.length <= width) return [head + title]
  // The title alone is wider than the line: wrap it under itself, and the evidence on a line of its own.
  const wrapped = wrap(title, width - prefix)
  const out = [head + wrapped[0], ...wrapped.slice(1).map((l) => ' '.repeat(prefix) + l)]
  if (!key) return out
  // The evidence goes after the title's last line when it fits there, else on a line of its own.
  const last = wrapped.at(-1)!
  const left = width - prefix - last.length - 3
  if (wrapped.length > 1 && left >= 16) out[out.length - 1] += paint.dim(` (${clip(key, left)})`)
  else out.push(paint.dim(' '.repeat(prefix) + `(${clip(key, width - prefix - 2)})`))
  return out
}

/** The key evidence in a few words: which file or command, and what it said (whitespace runs collapsed). */
export function keyEvidence(evidence: Evidence | undefined): string {
  if (!evidence) return ''
  const where = evidence.source.startsWith('files/')
    ? evidence.source.slice('files'.length)
    : evidence.source.startsWith('commands/')
      ? evidence.source.slice('commands/'.length).replace(/\.(out|err|exit)$/, '')
      : evidence.source
  const text = evidence.text?.replace(/\s+/g, ' ').trim()
  return text ? `${where}: ${text}` : where
}

function renderDetails(report: Report, id: string, paint: Painter, width: number): string {
  const wanted = id.trim().toUpperCase()
  const finding = report.findings.find((f) => f.id === wanted)
  if (!finding) throw new InputError(`--details: no check ${JSON.stringify(id)} in this report (\`kdumpcheck rules\` lists the IDs)`)
  const out = header(report, paint, width)
  out.push('', paint.bold(STAGE_TITLES[finding.stage]), ...renderFinding(finding, paint, width, true))
  const meta = ALL_CHECKS.find((c) => c.meta.id === finding.id)?.meta
  if (meta) {
    out.push('', paint.bold('Why it matters'), ...wrap(meta.why, width, 2))
    if (meta.references.length > 0) out.push('', paint.bold('References'), ...meta.references.map((r) => `  ${r}`))
  }
  out.push('', paint.dim(clip(`The rule in full: kdumpcheck rules ${finding.id}`, width)))
  return out.join('\n')
}

function footer(report: Report, paint: Painter, width: number): string[] {
  const out: string[] = []
  if (report.timed_out_probes.length > 0) {
    out.push('', ...wrap(`Probes that hung and were stopped at their timeout: ${report.timed_out_probes.join(', ')}`, width, 0, 2).map(paint.yellow), ...wrap('(a sick host: processes in D state or a stuck toolstack; their evidence is missing, not negative)', width, 2))
  }
  if (report.snapshot_errors.length > 0) {
    out.push('', paint.yellow('The source could not gather:'), ...report.snapshot_errors.map((e) => `  ${e}`))
  }
  if (report.policy.expired_waivers.length > 0) {
    out.push('', paint.yellow('Expired waivers (no longer applied):'), ...report.policy.expired_waivers.map((w) => `  ${w.id} expired ${w.expires}: ${w.reason}`))
  }
  if (report.exit_code !== EXIT_CODES[report.verdict]) {
    const waived = report.findings.filter((f) => f.waiver).map((f) => f.id)
    out.push('', ...wrap(`Policy: exit ${report.exit_code}${waived.length ? `; waived: ${waived.join(' ')}` : ''}${report.policy.fail_on === 'warning' ? '; warnings count (fail-on: warning)' : ''}${report.policy.config ? ` (${report.policy.config})` : ''}.`, width, 0, 2).map(paint.bold))
  }
  return out
}

function renderFinding(finding: Finding, paint: Painter, width: number, whole = false): string[] {
  // Titles name the problem; a passing or inapplicable check reads better as what was found.
  const quiet = finding.status === 'pass' || finding.status === 'n/a'
  const head = `${quiet ? finding.message : finding.title}${finding.waiver ? ` (waived: ${finding.waiver.reason}${finding.waiver.expires ? `, until ${finding.waiver.expires}` : ''})` : ''}`
  const [first = '', ...more] = wrap(head, width - 16)
  const lines = [`  ${mark(finding, paint)} ${paint.bold(finding.id)} ${first}`, ...more.map((l) => ' '.repeat(10 + finding.id.length) + l)]
  if (finding.default_severity) lines.push(paint.dim(`          severity ${finding.severity} by configuration (default ${finding.default_severity})`))
  if (finding.policy) lines.push(...wrap(`policy ${finding.policy.key}: ${finding.policy.requirement}`, width, 10, 2).map(paint.dim))
  if (!quiet || whole) lines.push(...wrap(finding.message, width, 10))
  for (const evidence of finding.evidence) {
    const where = evidence.line ? `${evidence.source}:${evidence.line}` : evidence.source
    lines.push(paint.dim(`          evidence: ${where}${evidence.text !== undefined ? `  ${evidence.text}` : ''}`))
  }
  if (finding.verify) lines.push(`          verify by hand:`, ...wrap(finding.verify, width, 12))
  if (finding.fix && (finding.status === 'fail' || finding.status === 'warn' || finding.status === 'info')) {
    lines.push(`          fix:`, ...wrap(finding.fix, width, 12))
  }
  return lines
}
