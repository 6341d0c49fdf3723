/**
 * JUnit XML as CI systems read it (GitLab, Jenkins, GitHub test reporters): a testsuite per host, a
 * testcase per check. A failed error check is a <failure>; evidence that could not decide an error
 * check is an <error> (the verdict is UNVERIFIED); inapplicable checks are <skipped>.
 */
import type {Report} from '../report.js'
import {findingBody} from './evidence-text.js'
import {escapeXml as x} from './xml.js'

export interface JunitOptions {
  /** Treat warnings as failures (`fail-on: warning`). */
  failOnWarning?: boolean
}

export function renderJunit(reports: readonly Report[], options: JunitOptions = {}): string {
  const suites = reports.map((report) => {
    let failures = 0
    let errors = 0
    let skipped = 0
    const cases = report.findings.map((finding) => {
      const open = `    <testcase classname="kdumpcheck.${x(finding.stage)}" name="${x(`${finding.id} ${finding.title}`)}">`
      const failed = !finding.waiver && (finding.status === 'fail' || (finding.status === 'warn' && options.failOnWarning))
      if (failed) {
        failures++
        return `${open}\n      <failure type="${x(finding.severity)}" message="${x(finding.message)}">${x(findingBody(finding))}</failure>\n    </testcase>`
      }
      if (!finding.waiver && finding.status === 'unknown' && finding.severity === 'error') {
        errors++
        return `${open}\n      <error type="unknown" message="${x(finding.message)}">${x(findingBody(finding))}</error>\n    </testcase>`
      }
      if (finding.status === 'n/a') {
        skipped++
        return `${open}\n      <skipped message="${x(finding.message)}"/>\n    </testcase>`
      }
      if (finding.status === 'pass') return `${open}</testcase>`
      const waived = finding.waiver ? ` (waived: ${finding.waiver.reason})` : ''
      return `${open}\n      <system-out>${x(`${finding.status}${waived}: ${findingBody(finding)}`)}</system-out>\n    </testcase>`
    })
    const name = report.host.hostname || report.host.origin
    const attributes = `name="${x(name)}" tests="${report.findings.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`
    return [
      `  <testsuite ${attributes}>`,
      `    <properties>`,
      `      <property name="verdict" value="${x(report.verdict)}"/>`,
      `      <property name="role" value="${x(report.host.role)}"/>`,
      `      <property name="origin" value="${x(report.host.origin)}"/>`,
      `    </properties>`,
      ...cases,
      `  </testsuite>`,
    ].join('\n')
  })
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="kdumpcheck">', ...suites, '</testsuites>', ''].join('\n')
}
