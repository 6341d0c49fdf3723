/**
 * SARIF 2.1.0 for code-scanning dashboards: one rule per check (with its documentation page), one
 * result per finding that needs attention, located at the snapshot file and line it rests on.
 */
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import type {CheckMeta} from '../../checks/types.js'
import type {Finding, Report} from '../report.js'
import {ruleDocPath} from '../rule-doc.js'
import {findingBody} from './evidence-text.js'

export interface SarifOptions {
  rules: readonly CheckMeta[]
  /** The installed package's root, where docs/rules/ lives. */
  packageRoot: string
  version: string
}

const LEVEL = {error: 'error', warning: 'warning', info: 'note'} as const

export function renderSarif(reports: readonly Report[], options: SarifOptions): string {
  const rules = options.rules.map((meta) => ({
    id: meta.id,
    name: meta.title,
    shortDescription: {text: meta.title},
    fullDescription: {text: meta.why},
    help: {text: meta.fix, markdown: meta.fix},
    helpUri: pathToFileURL(path.join(options.packageRoot, ruleDocPath(meta.id))).href,
    defaultConfiguration: {level: LEVEL[meta.severity]},
    properties: {scope: meta.scope, stage: meta.stage},
  }))
  const runs = reports.map((report) => ({
    tool: {driver: {name: 'kdumpcheck', version: options.version, semanticVersion: options.version, rules}},
    originalUriBaseIds: {SNAPSHOT: {uri: snapshotBase(report.host.origin)}},
    automationDetails: {id: `kdumpcheck/${report.host.hostname || report.host.origin}/`},
    properties: {verdict: report.verdict, host: report.host},
    results: report.findings.filter((f) => f.status !== 'pass' && f.status !== 'n/a').map((f) => result(f, options.rules)),
  }))
  return JSON.stringify({$schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs}, null, 2)
}

function snapshotBase(origin: string): string {
  const href = pathToFileURL(path.resolve(origin)).href
  return href.endsWith('/') ? href : `${href}/`
}

function result(finding: Finding, rules: readonly CheckMeta[]) {
  const locations = finding.evidence
    .filter((e) => /^(files|commands)\//.test(e.source))
    .map((e) => ({
      physicalLocation: {
        artifactLocation: {uri: e.source.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SNAPSHOT'},
        ...(e.line ? {region: {startLine: e.line, ...(e.text ? {snippet: {text: e.text}} : {})}} : {}),
      },
    }))
  return {
    ruleId: finding.id,
    ruleIndex: rules.findIndex((r) => r.id === finding.id),
    kind: finding.status === 'unknown' ? 'review' : finding.status === 'info' ? 'informational' : 'fail',
    level: finding.status === 'unknown' ? 'warning' : LEVEL[finding.severity],
    message: {text: findingBody(finding)},
    ...(locations.length > 0 ? {locations} : {}),
    ...(finding.waiver ? {suppressions: [{kind: 'external', status: 'accepted', justification: finding.waiver.reason}]} : {}),
    properties: {status: finding.status, severity: finding.severity},
  }
}
