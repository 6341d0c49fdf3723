/**
 * node_exporter textfile-collector format. One host (`check`) carries no host label: node_exporter
 * adds the instance. Several hosts (`scan`) carry `host`.
 */
import type {Report, Verdict} from '../report.js'

export interface PrometheusOptions {
  now: Date
  hostLabel: boolean
}

const VERDICTS: Verdict[] = ['READY', 'NOT_READY', 'UNVERIFIED']
const VERDICT_VALUE: Record<Verdict, number> = {READY: 0, NOT_READY: 1, UNVERIFIED: 3}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`)
    .join(',')
  return body ? `{${body}}` : ''
}

export function renderPrometheus(reports: readonly Report[], options: PrometheusOptions): string {
  const host = (r: Report): Record<string, string> => (options.hostLabel ? {host: r.host.hostname || r.host.origin} : {})
  const out: string[] = [
    '# HELP kdumpcheck_ready 1 when a crash now would leave a vmcore (verdict READY), else 0.',
    '# TYPE kdumpcheck_ready gauge',
    ...reports.map((r) => `kdumpcheck_ready${labels(host(r))} ${r.verdict === 'READY' ? 1 : 0}`),
    '# HELP kdumpcheck_verdict The verdict as a state set: 1 on the current verdict, 0 on the others.',
    '# TYPE kdumpcheck_verdict gauge',
    ...reports.flatMap((r) => VERDICTS.map((v) => `kdumpcheck_verdict${labels({...host(r), verdict: v})} ${r.verdict === v ? 1 : 0}`)),
    '# HELP kdumpcheck_verdict_code The verdict as its exit code: 0 READY, 1 NOT READY, 3 UNVERIFIED.',
    '# TYPE kdumpcheck_verdict_code gauge',
    ...reports.map((r) => `kdumpcheck_verdict_code${labels(host(r))} ${VERDICT_VALUE[r.verdict]}`),
    '# HELP kdumpcheck_check 1 for each check with its current status.',
    '# TYPE kdumpcheck_check gauge',
    ...reports.flatMap((r) => r.findings.map((f) => `kdumpcheck_check${labels({...host(r), id: f.id, severity: f.severity, status: f.status})} 1`)),
    '# HELP kdumpcheck_last_run_timestamp_seconds When kdumpcheck last judged the host.',
    '# TYPE kdumpcheck_last_run_timestamp_seconds gauge',
    ...reports.map((r) => `kdumpcheck_last_run_timestamp_seconds${labels(host(r))} ${Math.floor(options.now.getTime() / 1000)}`),
  ]
  return `${out.join('\n')}\n`
}
