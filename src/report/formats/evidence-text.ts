import type {Evidence} from '../../snapshot/evidence.js'
import type {Finding} from '../report.js'

export function evidenceLine(evidence: Evidence): string {
  const where = evidence.line ? `${evidence.source}:${evidence.line}` : evidence.source
  return evidence.text === undefined ? where : `${where}  ${evidence.text}`
}

/** A finding as plain text for machine formats' message bodies: message, evidence, then what to do. */
export function findingBody(finding: Finding): string {
  return [
    finding.message,
    ...finding.evidence.map((e) => `evidence: ${evidenceLine(e)}`),
    ...(finding.verify ? [`verify by hand: ${finding.verify}`] : []),
    ...(finding.fix ? [`fix: ${finding.fix}`] : []),
  ].join('\n')
}
