/**
 * Joins an incident's story with the host's configuration (a snapshot, judged by the checks): the
 * logs say what happened, the findings say why it was bound to happen, and a cause whose checks fail
 * on the snapshot is confirmed from both sides.
 */
import type {Report} from '../report/report.js'
import type {ConfigurationFindings, ExplainResult} from './result.js'

export function joinConfiguration(result: ExplainResult, report: Report): ExplainResult {
  const findings = report.findings
    .filter((f) => f.status === 'fail' || f.status === 'warn' || (f.status === 'unknown' && f.severity === 'error'))
    .map((f) => ({id: f.id, status: f.status, title: f.title, message: f.message}))
  const failing = new Set(findings.map((f) => f.id))
  const confirms: Record<string, string[]> = {}
  for (const cause of result.causes) {
    const ids = cause.checks.filter((id) => failing.has(id))
    if (ids.length > 0) confirms[cause.id] = ids
  }
  const configuration: ConfigurationFindings = {origin: report.host.origin, hostname: report.host.hostname, verdict: report.verdict, findings, confirms}
  return {...result, configuration}
}

export function configurationLines(configuration: ConfigurationFindings): string[] {
  const out = [`Host configuration (${configuration.hostname || configuration.origin}, judged by kdumpcheck check): ${configuration.verdict.replace('_', ' ')}`]
  for (const f of configuration.findings) out.push(`  ${f.status.toUpperCase().padEnd(7)} ${f.id} ${f.title}`)
  for (const [cause, ids] of Object.entries(configuration.confirms)) out.push(`  confirms cause "${cause}": ${ids.join(', ')} flagged on this host`)
  return out
}
