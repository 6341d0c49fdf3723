/**
 * Runs the checks over facts and turns outcomes into findings and a host verdict, per ARCHITECTURE.md:
 * NOT READY when an error-severity check failed; UNVERIFIED when none failed but one could not be decided;
 * READY only when every applicable error-severity check passed on evidence.
 */
import type {Check, Stage} from '../checks/types.js'
import type {Evidence} from '../snapshot/evidence.js'
import type {Severity, Status} from '../severity.js'
import {DEFAULT_CONFIG, hostMatches, type Config} from '../config/config.js'
import type {Facts} from '../facts/facts.js'
import {hostContext, tailorAdvice, type HostContext} from '../checks/shared/host-wording.js'
import type {PolicyKey, PolicyRuling} from './policy.js'

export const REPORT_SCHEMA = 'kdumpcheck-report/1'

export type Verdict = 'READY' | 'NOT_READY' | 'UNVERIFIED'

export const EXIT_CODES: Record<Verdict, number> = {READY: 0, NOT_READY: 1, UNVERIFIED: 3}

export interface Finding {
  id: string
  status: Status
  severity: Severity
  title: string
  stage: Stage
  message: string
  evidence: Evidence[]
  fix?: string
  /** For `unknown`: how a person can settle it by hand. */
  verify?: string
  /** The check's own severity, present when configuration overrode it. */
  default_severity?: Severity
  /** Present when a waiver in the configuration (or a policy that accepts it) accepts this finding. */
  waiver?: {reason: string; expires?: string; source?: string}
  /** Present when the site policy ruled on this finding: which key, and what it requires. */
  policy?: {key: PolicyKey; requirement: string}
}

export interface HostSummary {
  hostname: string
  kind: 'runtime' | 'static'
  origin: string
  collected_at: string
  collector: string
  role: string
  xen_version?: string
}

export interface Report {
  schema: typeof REPORT_SCHEMA
  tool: {name: 'kdumpcheck'; version: string}
  host: HostSummary
  verdict: Verdict
  exit_code: number
  /** The first failed error-severity finding in chain order: where the dump chain breaks. */
  first_broken_link?: string
  summary: Record<Status, number>
  findings: Finding[]
  /** Evidence the source could not gather (unreadable files), as the snapshot recorded them. */
  snapshot_errors: string[]
  /** Probes that did not finish within their timeout on the host (a hung xl, kexec or systemctl). */
  timed_out_probes: string[]
  /** Configuration that shaped exit_code: the file, fail-on, and waivers that matched but had expired. */
  policy: {config?: string; fail_on: 'error' | 'warning'; expired_waivers: Array<{id: string; reason: string; expires?: string}>}
}

const STAGE_ORDER: Stage[] = ['host', 'region', 'capture', 'service', 'target', 'after-crash', 'proof']

export function runChecks(checks: readonly Check[], facts: Facts): Finding[] {
  const host = hostContext(facts)
  const findings = checks.map((check) => judge(check, facts, host))
  return findings.sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) || (a.id < b.id ? -1 : 1))
}

function judge(check: Check, facts: Facts, host: HostContext): Finding {
  const {meta} = check
  // The title and fix in this host's words: no Xen on a host without it, only its own distribution's commands.
  const title = host.xen === false && meta.nativeTitle ? meta.nativeTitle : meta.title
  const base = {id: meta.id, title, stage: meta.stage}
  if (meta.scope === 'runtime' && facts.kind === 'static') {
    return {...base, status: 'n/a', severity: meta.severity, message: 'Needs a running host; this is an image.', evidence: []}
  }
  let outcome
  try {
    outcome = check.run(facts)
  } catch (error) {
    // A check bug must never turn into a pass: it becomes unknown evidence, visibly.
    outcome = {
      status: 'unknown' as const,
      message: `internal error in ${meta.id}: ${error instanceof Error ? error.message : String(error)}`,
      evidence: [],
    }
  }
  switch (outcome.status) {
    case 'pass':
      return {...base, status: 'pass', severity: meta.severity, message: outcome.message, evidence: outcome.evidence}
    case 'n/a':
      return {...base, status: 'n/a', severity: meta.severity, message: outcome.message, evidence: outcome.evidence ?? []}
    case 'unknown':
      return {
        ...base,
        status: 'unknown',
        severity: outcome.severity ?? meta.severity,
        message: outcome.message,
        evidence: outcome.evidence,
        ...(outcome.verify ? {verify: outcome.verify} : {}),
      }
    case 'problem': {
      const severity = outcome.severity ?? meta.severity
      return {
        ...base,
        status: statusForProblem(severity),
        severity,
        message: outcome.message,
        evidence: outcome.evidence,
        fix: tailorAdvice(outcome.fix ?? meta.fixFor?.(host) ?? meta.fix, host),
      }
    }
  }
}

export function statusForProblem(severity: Severity): Status {
  return severity === 'error' ? 'fail' : severity === 'warning' ? 'warn' : 'info'
}

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.status === 'fail')) return 'NOT_READY'
  if (findings.some((f) => f.status === 'unknown' && f.severity === 'error')) return 'UNVERIFIED'
  return 'READY'
}

export interface ReportInputs {
  host: HostSummary
  snapshotErrors: string[]
  timedOutProbes: string[]
  version: string
  /** The site policy's rulings on these findings (report/policy.ts), applied with the overrides and waivers. */
  policy?: PolicyRuling[]
}

export function buildReport(findings: Finding[], inputs: ReportInputs, config: Config = DEFAULT_CONFIG, now = new Date()): Report {
  const {host} = inputs
  // The verdict answers "will a dump be written" from the checks' own severities; configuration
  // (waivers, overrides, fail-on) may change what the exit code demands, never that answer.
  const verdict = verdictOf(findings)
  const {findings: judged, expired} = applyConfig(findings, config, inputs.policy ?? [], host.hostname, now)
  const summary: Record<Status, number> = {fail: 0, warn: 0, pass: 0, info: 0, unknown: 0, 'n/a': 0}
  for (const finding of judged) summary[finding.status]++
  const firstBroken = findings.find((f) => f.status === 'fail')
  return {
    schema: REPORT_SCHEMA,
    tool: {name: 'kdumpcheck', version: inputs.version},
    host,
    verdict,
    exit_code: policyExitCode(judged, config.failOn),
    ...(firstBroken ? {first_broken_link: firstBroken.id} : {}),
    summary,
    findings: judged,
    snapshot_errors: inputs.snapshotErrors,
    timed_out_probes: inputs.timedOutProbes,
    policy: {...(config.source ? {config: config.source} : {}), fail_on: config.failOn, expired_waivers: expired},
  }
}

/** Exit code under the configuration: waived findings do not count; `fail-on: warning` counts warnings. */
export function policyExitCode(findings: readonly Finding[], failOn: 'error' | 'warning'): number {
  const live = findings.filter((f) => !f.waiver)
  if (live.some((f) => f.status === 'fail' || (failOn === 'warning' && f.status === 'warn'))) return EXIT_CODES.NOT_READY
  if (live.some((f) => f.status === 'unknown' && f.severity === 'error')) return EXIT_CODES.UNVERIFIED
  return EXIT_CODES.READY
}

/**
 * Configuration in the order a reader expects it to win: severity overrides, then the policy's rulings
 * (a policy requirement is stronger than a taste in severities), then waivers.
 */
function applyConfig(findings: Finding[], config: Config, rulings: readonly PolicyRuling[], hostname: string, now: Date) {
  const expired: Report['policy']['expired_waivers'] = []
  const judged = findings.map((finding) => {
    let result = withSeverity(finding, config.severity[finding.id])
    for (const ruling of rulings.filter((r) => r.id === finding.id)) result = applyRuling(result, ruling, config.source)
    const waiver = config.ignore.find((w) => w.id === finding.id && (!w.hosts || w.hosts.some((h) => hostMatches(h, hostname))))
    if (waiver) {
      if (waiver.expires && Date.parse(`${waiver.expires}T00:00:00Z`) <= now.getTime()) {
        expired.push({id: waiver.id, reason: waiver.reason, expires: waiver.expires})
      } else {
        result = {...result, waiver: {reason: waiver.reason, ...(waiver.expires ? {expires: waiver.expires} : {}), ...(config.source ? {source: config.source} : {})}}
      }
    }
    return result
  })
  return {findings: judged, expired}
}

const isProblem = (status: Status): boolean => status === 'fail' || status === 'warn' || status === 'info'

/** The finding at another severity: a problem's status follows it; pass, n/a and unknown keep theirs. */
function withSeverity(finding: Finding, severity: Severity | undefined): Finding {
  if (!severity || severity === finding.severity) return finding
  return {
    ...finding,
    default_severity: finding.default_severity ?? finding.severity,
    severity,
    ...(isProblem(finding.status) ? {status: statusForProblem(severity)} : {}),
  }
}

function applyRuling(finding: Finding, ruling: PolicyRuling, source: string | undefined): Finding {
  const policy = {key: ruling.key, requirement: ruling.requirement}
  switch (ruling.kind) {
    case 'severity':
      if (finding.status === 'pass' || finding.status === 'n/a') return finding
      return {...withSeverity(finding, ruling.severity), policy}
    case 'waive':
      if (finding.status === 'pass' || finding.status === 'n/a') return finding
      return {...finding, policy, waiver: {reason: ruling.requirement, ...(source ? {source} : {})}}
    case 'violation':
      return {
        ...finding,
        status: 'fail',
        severity: 'error',
        ...(finding.severity !== 'error' ? {default_severity: finding.default_severity ?? finding.severity} : {}),
        policy,
        fix: finding.fix ?? `Meet the site policy (${ruling.key} in ${source ?? 'the configuration'}), or change the policy.`,
      }
  }
}
