/**
 * Runs the checks over facts and turns outcomes into findings and a host verdict, per ARCHITECTURE.md:
 * NOT READY when an error-severity check failed; UNVERIFIED when none failed but one could not be decided;
 * READY only when every applicable error-severity check passed on evidence.
 */
import type {Check, Evidence, Severity, Stage, Status} from '../checks/types.js'
import type {Facts} from '../facts/facts.js'

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
}

const STAGE_ORDER: Stage[] = ['host', 'region', 'capture', 'service', 'target', 'after-crash', 'proof']

export function runChecks(checks: readonly Check[], facts: Facts): Finding[] {
  const findings = checks.map((check) => judge(check, facts))
  return findings.sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) || (a.id < b.id ? -1 : 1))
}

function judge(check: Check, facts: Facts): Finding {
  const {meta} = check
  const base = {id: meta.id, title: meta.title, stage: meta.stage}
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
        fix: outcome.fix ?? meta.fix,
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

export function buildReport(findings: Finding[], host: HostSummary, snapshotErrors: string[], version: string): Report {
  const verdict = verdictOf(findings)
  const summary: Record<Status, number> = {fail: 0, warn: 0, pass: 0, info: 0, unknown: 0, 'n/a': 0}
  for (const finding of findings) summary[finding.status]++
  const firstBroken = findings.find((f) => f.status === 'fail')
  return {
    schema: REPORT_SCHEMA,
    tool: {name: 'kdumpcheck', version},
    host,
    verdict,
    exit_code: EXIT_CODES[verdict],
    ...(firstBroken ? {first_broken_link: firstBroken.id} : {}),
    summary,
    findings,
    snapshot_errors: snapshotErrors,
  }
}
