/** `kdumpcheck --version`: the version, and the versioned formats this build reads and writes. */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {EXPLAIN_SCHEMA} from '../../src/explain/result.js'
import {PREFLIGHT_SCHEMA} from '../../src/preflight/story.js'
import {REPORT_SCHEMA} from '../../src/report/report.js'
import {SCAN_SCHEMA} from '../../src/scan/render.js'
import {SCAN_RESULT_SCHEMA} from '../../src/scan/result.js'
import {SNAPSHOT_FORMAT} from '../../src/snapshot/snapshot.js'
import {FORMATS} from '../../src/version.js'
import {repoRoot, runCli} from '../helpers/cli.js'

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string}).version
// The constants the code that reads and writes each format uses.
const spoken = [SNAPSHOT_FORMAT, REPORT_SCHEMA, PREFLIGHT_SCHEMA, EXPLAIN_SCHEMA, SCAN_SCHEMA, SCAN_RESULT_SCHEMA]

describe('kdumpcheck --version', () => {
  it('lists exactly the formats the code speaks', () => {
    expect(FORMATS.map((f) => f.id).sort()).toEqual([...spoken].sort())
  })

  it("prints oclif's version line, then one line per format", () => {
    const result = runCli(['--version'])
    expect(result.status).toBe(0)
    expect(result.stderr).toBe('')
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(`kdumpcheck/${version} ${process.platform}-${process.arch} node-${process.version}`)
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0]).sort()).toEqual([...spoken].sort())
    expect(lines.find((l) => l.startsWith(REPORT_SCHEMA))).toContain('check --json')
  })

  it('prints the same as JSON with --json', () => {
    const result = runCli(['--version', '--json'])
    expect(result.status).toBe(0)
    const json = JSON.parse(result.stdout) as {name: string; version: string; node: string; formats: Record<string, string>}
    expect(json).toMatchObject({name: 'kdumpcheck', version, node: process.version})
    expect(json.formats).toMatchObject({snapshot: SNAPSHOT_FORMAT, report: REPORT_SCHEMA, 'scan-result': SCAN_RESULT_SCHEMA})
    expect(Object.values(json.formats).sort()).toEqual([...spoken].sort())
  })

  it('is the version a report carries', () => {
    const report = JSON.parse(runCli(['check', '--snapshot', path.join(repoRoot, 'fixtures/hosts/incident-el5xen'), '--json']).stdout) as {
      schema: string
      tool: {version: string}
    }
    expect(report).toMatchObject({schema: REPORT_SCHEMA, tool: {version}})
  })
})
