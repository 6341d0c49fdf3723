/**
 * scan's pieces without a network: --snapshots over the committed fixtures, every output format
 * (validated by real parsers: an XML parser, the SARIF 2.1.0 schema, CSV rules), the summary and
 * worst-host exit code, the results file (torn tails, resume), and ssh failure classification.
 */
import {createRequire} from 'node:module'
import {mkdtempSync, readFileSync, writeFileSync, cpSync, appendFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import Ajv from 'ajv'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG} from '../../src/config/config.js'
import {listSnapshots} from '../../src/scan/offline.js'
import {NO_PROGRESS} from '../../src/scan/progress.js'
import {csvCell, renderScan, SCAN_FORMATS, type ScanOutput} from '../../src/scan/render.js'
import {SCAN_RESULT_SCHEMA, type HostResult} from '../../src/scan/result.js'
import {readResultsFile, ResultsWriter} from '../../src/scan/results-file.js'
import {runScan, type ScanOptions} from '../../src/scan/scan.js'
import {classifySshFailure} from '../../src/scan/ssh-host.js'
import {worstExitCode} from '../../src/scan/summary.js'

const require = createRequire(import.meta.url)
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/hosts')
const PICK = ['good-pvops-debian12', 'incident-el5xen', 'pvops-xen48-unprovable', 'xenserver-8', 'kdump-disabled', 'image-debian12-xen-good']

function options(extra: Partial<ScanOptions> = {}): ScanOptions {
  return {concurrency: 4, resume: false, retryUnreachable: false, progress: NO_PROGRESS, top: 10, notify: () => {}, handleSignals: false, ...extra}
}

/** A snapshots directory as the playbook or --keep-snapshots leaves it: dirs, a .tar.gz-less garbage file, a marker. */
function snapshotsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdc-scan-offline-'))
  for (const name of PICK) cpSync(path.join(FIXTURES, name), path.join(dir, name), {recursive: true})
  writeFileSync(path.join(dir, 'dom0-garbage.tar.gz'), 'Welcome!\n')
  writeFileSync(path.join(dir, 'dom0-dead.unreachable'), 'Failed to connect to the host via ssh: ssh: connect to host 192.0.2.9 port 22: Connection refused\n')
  writeFileSync(path.join(dir, 'dom0-slow.unreachable'), 'timeout: no complete answer within 90 s\n')
  writeFileSync(path.join(dir, 'README.txt'), 'not a snapshot')
  return dir
}

async function offlineScan(dir: string, extra: Partial<ScanOptions> = {}): Promise<ScanOutput> {
  const entries = await listSnapshots(dir)
  return runScan({mode: 'offline', source: dir, entries, config: DEFAULT_CONFIG}, options(extra))
}

describe('scan --snapshots', () => {
  it('judges every member, records the unusable ones as unreachable, and summarises', async () => {
    const out = await offlineScan(snapshotsDir())
    const byHost = new Map(out.hosts.map((h) => [h.host, h]))
    expect(out.hosts).toHaveLength(PICK.length + 3)
    for (const name of PICK) {
      const expected = /verdict: (\w+)/.exec(readFileSync(path.join(FIXTURES, `${name}.expect.yaml`), 'utf8'))![1]
      expect(byHost.get(name)?.verdict, name).toBe(expected)
    }
    expect(byHost.get('dom0-garbage')).toMatchObject({status: 'unreachable', failure: 'garbage', verdict: 'UNVERIFIED', exit_code: 3})
    expect(byHost.get('dom0-dead')).toMatchObject({status: 'unreachable', failure: 'refused'})
    expect(byHost.get('dom0-slow')).toMatchObject({failure: 'timeout', reason: 'no complete answer within 90 s'})
    // The fixtures' own expectations decide the counts (their verdicts are the checks' business).
    const counts = {READY: 0, NOT_READY: 0, UNVERIFIED: 3}
    for (const name of PICK) counts[/verdict: (\w+)/.exec(readFileSync(path.join(FIXTURES, `${name}.expect.yaml`), 'utf8'))![1] as keyof typeof counts]++
    expect(out.summary.verdicts).toEqual(counts)
    expect(out.summary).toMatchObject({planned: 9, hosts: 9, not_scanned: 0, unreachable: 3, exit_code: counts.NOT_READY > 0 ? 1 : 3})
    expect(out.summary.unreachable_by_failure).toEqual({garbage: 1, refused: 1, timeout: 1})
    expect(out.summary.by_distribution.find((b) => b.key === 'debian 12')).toMatchObject({hosts: 3})
    expect(out.summary.by_distribution.find((b) => b.key === 'unreachable')).toMatchObject({hosts: 3, UNVERIFIED: 3})
    expect(out.summary.by_xen_version.find((b) => b.key === 'Xen 4.17')).toBeDefined()
    expect(out.summary.worst_hosts[0]).toMatchObject({verdict: 'NOT_READY', status: 'judged'})
    expect(out.summary.worst_hosts[0]!.failed.length).toBeGreaterThan(0)
    expect(out.summary.failing_checks[0]!.hosts).toBeGreaterThanOrEqual(1)
  })

  it('renders text, json, yaml, junit, sarif, prometheus and csv that their readers accept', async () => {
    const out = await offlineScan(snapshotsDir())
    const render = (format: (typeof SCAN_FORMATS)[number]) => renderScan(out, format, {now: new Date('2026-01-01T00:00:00Z'), failOnWarning: false})

    const text = await render('text')
    expect(text).toMatch(/Hosts by verdict/)
    expect(text).toMatch(/Most common failing checks/)
    expect(text).toMatch(/By Xen version/)
    expect(text).toMatch(/By distribution/)
    expect(text).toMatch(/Worst hosts\n.*\n {2}\S+ +NOT READY +fails KD\d{3}/)
    expect(text).toMatch(/Exit code 1: a host is NOT READY/)

    expect(JSON.parse(await render('json'))).toMatchObject({schema: 'kdumpcheck-scan/1', summary: {hosts: 9}})
    expect((await import('yaml')).parse(await render('yaml'))).toMatchObject({summary: {hosts: 9}})

    const xml = await render('junit')
    expect(XMLValidator.validate(xml)).toBe(true)
    const doc = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase'}).parse(xml)
    const suites = doc.testsuites.testsuite as Array<Record<string, unknown>>
    expect(suites.map((s) => s.name)).toEqual(out.hosts.map((h) => h.host))
    const dead = suites.find((s) => s.name === 'dom0-dead') as {errors: string; testcase: Array<{error: {type: string}}>}
    expect(dead.errors).toBe('1')
    expect(dead.testcase[0]!.error.type).toBe('refused')

    const schema = require('../schemas/sarif-2.1.0-rtm.5.json')
    const ajv = new Ajv({schemaId: 'auto', allErrors: true})
    ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'))
    const sarif = JSON.parse(await render('sarif'))
    ajv.validate(schema, sarif)
    expect(ajv.errors ?? [], ajv.errorsText()).toEqual([])
    expect(sarif.runs).toHaveLength(9)
    const failedRun = sarif.runs.find((r: {automationDetails: {id: string}}) => r.automationDetails.id === 'kdumpcheck/dom0-garbage/')
    expect(failedRun.invocations[0].executionSuccessful).toBe(false)

    const prom = await render('prometheus')
    for (const line of prom.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?\d+(\.\d+)?)$/)
    expect(prom).toContain('kdumpcheck_verdict_code{host="dom0-dead"} 3')
    expect(prom).toContain('kdumpcheck_scan_host_reachable{host="dom0-dead"} 0')
    expect(prom).toContain('kdumpcheck_ready{host="good-pvops-debian12"} 1')
    expect(prom).toContain('kdumpcheck_scan_hosts{verdict="NOT_READY"} 2')
    // One family is never split: each # TYPE appears once.
    const types = prom.split('\n').filter((l) => l.startsWith('# TYPE'))
    expect(new Set(types).size).toBe(types.length)

    const csv = await render('csv')
    const rows = csv.trimEnd().split('\r\n')
    expect(rows[0]).toBe('host,target,groups,status,verdict,exit_code,failed_checks,unverified_checks,warnings,xen,distribution,role,failure,reason,duration_ms')
    expect(rows).toHaveLength(10)
    expect(rows.find((r) => r.startsWith('incident-el5xen,'))).toMatch(/,judged,NOT_READY,1,KD\d{3}( KD\d{3})*,/)
  })

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('-1')).toBe("'-1")
  })
})

describe('the results file', () => {
  const result = (host: string, extra: Partial<HostResult> = {}): HostResult => ({
    schema: SCAN_RESULT_SCHEMA,
    host,
    target: host,
    groups: ['all'],
    status: 'unreachable',
    verdict: 'UNVERIFIED',
    exit_code: 3,
    failure: 'refused',
    reason: 'x',
    started_at: '2026-01-01T00:00:00.000Z',
    duration_ms: 1,
    ...extra,
  })

  it('appends one line per host, refuses to overwrite, and resumes past a torn last line', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-results-')), 'r.jsonl')
    const writer = await ResultsWriter.open(file, false)
    await Promise.all(['a', 'b', 'c'].map((h) => writer.append(result(h))))
    await writer.close()
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).host)).toEqual(['a', 'b', 'c'])
    await expect(ResultsWriter.open(file, false)).rejects.toThrow(/exists; pass --resume/)

    // The process died mid-write: half a line at the end.
    appendFileSync(file, JSON.stringify(result('d')).slice(0, 40))
    const read = await readResultsFile(file)
    expect([...read.results.keys()]).toEqual(['a', 'b', 'c'])
    expect(read.tornTail).toBe(true)
    const again = await ResultsWriter.open(file, true)
    await again.append(result('d', {status: 'judged', verdict: 'READY', exit_code: 0}))
    await again.close()
    const after = await readResultsFile(file)
    expect([...after.results.keys()]).toEqual(['a', 'b', 'c', 'd'])
    expect(after.tornTail).toBe(false)

    writeFileSync(file, `${JSON.stringify(result('a'))}\nnot json\n${JSON.stringify(result('b'))}\n`)
    await expect(readResultsFile(file)).rejects.toThrow(/r\.jsonl:2: not a scan result/)
  })

  it('--resume judges only what the file lacks, and the summary covers both', async () => {
    const dir = snapshotsDir()
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-results-')), 'r.jsonl')
    const writer = await ResultsWriter.open(file, false)
    await writer.append(result('incident-el5xen', {status: 'judged', verdict: 'NOT_READY', exit_code: 1}))
    await writer.close()
    const out = await offlineScan(dir, {resultsFile: file, resume: true})
    expect(out.resumed).toBe(1)
    expect(out.summary.hosts).toBe(9)
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).host)
    expect(lines).toHaveLength(9)
    expect(new Set(lines).size).toBe(9)
  })
})

describe('verdict arithmetic and failure reasons', () => {
  it('worst host wins: NOT READY over UNVERIFIED over READY', () => {
    expect(worstExitCode([0, 0])).toBe(0)
    expect(worstExitCode([0, 3, 0])).toBe(3)
    expect(worstExitCode([3, 1, 0])).toBe(1)
    expect(worstExitCode([])).toBe(0)
  })

  it('classifies what ssh (and Ansible) say', () => {
    expect(classifySshFailure('ssh: connect to host 10.0.0.1 port 22: Connection refused')).toBe('refused')
    expect(classifySshFailure('kdctest@127.0.0.1: Permission denied (publickey).')).toBe('auth')
    expect(classifySshFailure('ssh: connect to host 10.0.0.1 port 22: Connection timed out')).toBe('timeout')
    expect(classifySshFailure('ssh: Could not resolve hostname nosuch: Name or service not known')).toBe('dns')
    expect(classifySshFailure('Host key verification failed.')).toBe('hostkey')
    expect(classifySshFailure('The ansible.builtin.script action failed to execute in the expected time frame (8) and was terminated')).toBe('timeout')
    expect(classifySshFailure('something else')).toBe('ssh')
  })
})

