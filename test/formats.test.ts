/**
 * Golden tests for every output format of `check`, plus validation by real consumers' rules: JUnit
 * through an XML parser, SARIF against the SARIF 2.1.0 JSON schema, Prometheus by its line grammar.
 * A missing golden file fails; regenerate them with UPDATE_GOLDEN=1 after an intended change (refused in CI),
 * and read the diff.
 */
import {createRequire} from 'node:module'
import path from 'node:path'
import Ajv from 'ajv'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {beforeAll, describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'
import {judgeSnapshot} from '../src/pipeline.js'
import {FORMATS, renderReport, type Format} from '../src/report/formats/index.js'
import type {Report} from '../src/report/report.js'
import {readSnapshot} from '../src/sources/snapshot-reader.js'
import {PACKAGE_ROOT} from '../src/version.js'
import {expectGolden} from './helpers/golden.js'

const require = createRequire(import.meta.url)
const goldenDir = path.resolve(import.meta.dirname, 'golden')
const NOW = new Date('2026-11-29T12:00:00Z')
const EXTENSION: Record<Format, string> = {text: 'txt', json: 'json', yaml: 'yaml', junit: 'xml', sarif: 'sarif.json', prometheus: 'prom'}

let report: Report
const rendered = new Map<Format, string>()
const render = (format: Format): string => rendered.get(format)!

beforeAll(async () => {
  report = judgeSnapshot(await readSnapshot('fixtures/hosts/incident-el5xen'))
  for (const format of FORMATS) {
    rendered.set(format, (await renderReport(report, format, {color: false, verbose: true, now: NOW})).replaceAll(PACKAGE_ROOT, '<package>'))
  }
})

describe('output formats', () => {
  it.each(FORMATS.map((f) => [f]))('%s matches its golden file', (format) => {
    const file = path.join(goldenDir, `incident.${EXTENSION[format]}`)
    expectGolden(file, render(format))
  })

  it('json and yaml carry the same document', () => {
    expect(parseYaml(render('yaml'))).toEqual(JSON.parse(render('json')))
  })

  it('junit is well-formed XML with a suite for the host, a case per check and the failures', () => {
    const xml = render('junit')
    expect(XMLValidator.validate(xml)).toBe(true)
    const doc = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase'}).parse(xml)
    const suite = doc.testsuites.testsuite
    expect(suite.name).toBe('r7ae07353.cloud.cm9')
    expect(suite.testcase).toHaveLength(report.findings.length)
    expect(Number(suite.failures)).toBe(report.summary.fail)
    const kd101 = suite.testcase.find((c: {name: string}) => c.name.startsWith('KD101'))
    expect(kd101.failure.message).toMatch(/without crashkernel=/)
    expect(kd101.failure['#text']).toMatch(/evidence: commands\/xm-info\.out:\d+/)
  })

  it('sarif validates against the SARIF 2.1.0 schema and locates results at snapshot lines', () => {
    const schema = require('./schemas/sarif-2.1.0-rtm.5.json')
    const ajv = new Ajv({schemaId: 'auto', allErrors: true})
    ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'))
    const sarif = JSON.parse(render('sarif'))
    const valid = ajv.validate(schema, sarif)
    expect(ajv.errors ?? [], ajv.errorsText()).toEqual([])
    expect(valid).toBe(true)
    const run = sarif.runs[0]
    expect(run.tool.driver.rules.map((r: {id: string}) => r.id)).toContain('KD101')
    expect(run.tool.driver.rules[0].helpUri).toMatch(/^file:\/\/.*\/docs\/rules\/KD100\.md$/)
    const kd101 = run.results.find((r: {ruleId: string}) => r.ruleId === 'KD101')
    expect(kd101.level).toBe('error')
    expect(kd101.locations[0].physicalLocation.artifactLocation).toEqual({uri: 'commands/xm-info.out', uriBaseId: 'SNAPSHOT'})
    expect(kd101.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0)
  })

  it('prometheus is valid textfile exposition with the documented metrics', () => {
    const text = render('prometheus')
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) kdumpcheck_\w+ .+|kdumpcheck_\w+(\{(\w+="(?:[^"\\]|\\.)*",?)*\})? -?\d+(\.\d+)?)$/)
    }
    expect(text).toContain('kdumpcheck_ready 0\n')
    expect(text).toContain('kdumpcheck_verdict{verdict="NOT_READY"} 1\n')
    expect(text).toContain('kdumpcheck_check{id="KD101",severity="error",status="fail"} 1\n')
    expect(text).toContain(`kdumpcheck_last_run_timestamp_seconds ${NOW.getTime() / 1000}\n`)
  })
})
