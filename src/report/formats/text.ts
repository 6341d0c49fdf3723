/**
 * The report for people: the verdict first, then the dump chain in the order a crash walks it
 * (region -> capture kernel -> service -> target -> after-crash), each problem with its evidence and fix.
 */
import type {Stage} from '../../checks/types.js'
import {escapeDeep} from '../../util/terminal.js'
import {EXIT_CODES, type Finding, type Report} from '../report.js'

export interface TextOptions {
  color: boolean
  /** Also list passing and n/a checks (they are summarised otherwise). */
  verbose?: boolean
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

export function renderText(unsafe: Report, options: TextOptions): string {
  // Everything that came from the host is escaped before it reaches a terminal (src/util/terminal.ts).
  const report = escapeDeep(unsafe, MULTILINE)
  const paint = painter(options.color)
  const out: string[] = []
  const {host} = report
  out.push(
    `${paint.bold(host.hostname || '(unnamed host)')}  ${host.role}${host.xen_version ? ` on Xen ${host.xen_version}` : ''}`,
    paint.dim(`${host.kind} snapshot ${host.origin}${host.collected_at ? `, collected ${host.collected_at}` : ''}`),
  )
  // The collector names the test hooks a run had set (KDUMPCHECK_TEST_*): that evidence is not the host's own.
  const hooks = /\(test hooks set: ([^)]*)\)/.exec(host.collector)
  if (hooks) out.push(paint.yellow(`Collected with test hooks set (${hooks[1]}): this evidence is not the host's own.`))
  out.push('')
  const verdictLine = (host.kind === 'static' ? STATIC_VERDICT_TEXT : VERDICT_TEXT)[report.verdict]
  const verdictPaint = report.verdict === 'READY' ? paint.green : report.verdict === 'NOT_READY' ? paint.red : paint.yellow
  out.push(verdictPaint(paint.bold(verdictLine)))
  const first = report.findings.find((f) => f.id === report.first_broken_link)
  if (first) out.push(`First broken link: ${first.id} ${first.title}`)
  const unverified = report.findings.filter((f) => f.status === 'unknown' && f.severity === 'error')
  if (!first && unverified.length > 0) out.push(`Could not verify: ${unverified.map((f) => `${f.id} ${f.title}`).join('; ')}`)
  out.push('')

  let stage: Stage | undefined
  for (const finding of report.findings) {
    const shown = options.verbose || !['pass', 'n/a'].includes(finding.status) || finding.id === 'KD100'
    if (!shown) continue
    if (finding.stage !== stage) {
      stage = finding.stage
      out.push(paint.bold(STAGE_TITLES[stage]))
    }
    out.push(...renderFinding(finding, paint))
  }
  const quiet = report.findings.filter((f) => f.status === 'pass' && f.id !== 'KD100')
  if (!options.verbose && quiet.length > 0) {
    out.push('', paint.dim(`Passed: ${quiet.map((f) => f.id).join(' ')} (--verbose shows them)`))
  }
  if (report.timed_out_probes.length > 0) {
    out.push('', paint.yellow(`Probes that hung and were stopped at their timeout: ${report.timed_out_probes.join(', ')}`), '  (a sick host: processes in D state or a stuck toolstack; their evidence is missing, not negative)')
  }
  if (report.snapshot_errors.length > 0) {
    out.push('', paint.yellow('The source could not gather:'), ...report.snapshot_errors.map((e) => `  ${e}`))
  }
  if (report.policy.expired_waivers.length > 0) {
    out.push('', paint.yellow('Expired waivers (no longer applied):'), ...report.policy.expired_waivers.map((w) => `  ${w.id} expired ${w.expires}: ${w.reason}`))
  }
  if (report.exit_code !== EXIT_CODES[report.verdict]) {
    const waived = report.findings.filter((f) => f.waiver).map((f) => f.id)
    out.push('', paint.bold(`Policy: exit ${report.exit_code}${waived.length ? `; waived: ${waived.join(' ')}` : ''}${report.policy.fail_on === 'warning' ? '; warnings count (fail-on: warning)' : ''}${report.policy.config ? ` (${report.policy.config})` : ''}.`))
  }
  const s = report.summary
  out.push('', paint.dim(`${s.fail} failed, ${s.warn} warnings, ${s.unknown} unknown, ${s.pass} passed, ${s.info} info, ${s['n/a']} n/a`))
  return out.join('\n')
}

function renderFinding(finding: Finding, paint: Painter): string[] {
  const mark = {
    fail: paint.red('FAIL   '),
    warn: paint.yellow('WARN   '),
    unknown: paint.yellow('UNKNOWN'),
    pass: paint.green('PASS   '),
    info: paint.cyan('INFO   '),
    'n/a': paint.dim('N/A    '),
  }[finding.status]
  // Titles name the problem; a passing or inapplicable check reads better as what was found.
  const quiet = finding.status === 'pass' || finding.status === 'n/a'
  const lines = [`  ${mark} ${paint.bold(finding.id)} ${quiet ? finding.message : finding.title}${finding.waiver ? paint.dim(` (waived: ${finding.waiver.reason}${finding.waiver.expires ? `, until ${finding.waiver.expires}` : ''})`) : ''}`]
  if (finding.default_severity) lines.push(paint.dim(`          severity ${finding.severity} by configuration (default ${finding.default_severity})`))
  if (finding.policy) lines.push(paint.dim(`          policy ${finding.policy.key}: ${finding.policy.requirement}`))
  if (!quiet) lines.push(...indent(finding.message, 10))
  for (const evidence of finding.evidence) {
    const where = evidence.line ? `${evidence.source}:${evidence.line}` : evidence.source
    lines.push(paint.dim(`          evidence: ${where}${evidence.text !== undefined ? `  ${evidence.text}` : ''}`))
  }
  if (finding.verify) lines.push(`          verify by hand:`, ...indent(finding.verify, 12))
  if (finding.fix && (finding.status === 'fail' || finding.status === 'warn' || finding.status === 'info')) {
    lines.push(`          fix:`, ...indent(finding.fix, 12))
  }
  return lines
}

function indent(text: string, width: number): string[] {
  const pad = ' '.repeat(width)
  return text.split('\n').map((line) => (line === '' ? '' : pad + line))
}

type Painter = ReturnType<typeof painter>

function painter(enabled: boolean) {
  const wrap = (open: number, close: number) => (text: string) => (enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text)
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  }
}

/** Colours only for a person at a terminal, and never when NO_COLOR is set (no-color.org). */
export function wantsColor(stream: NodeJS.WriteStream, toFile: boolean): boolean {
  if (toFile) return false
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
  return Boolean(stream.isTTY)
}
