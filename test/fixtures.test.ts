/**
 * The table-driven fixture runner: every snapshot directory in fixtures/hosts/ is judged and compared
 * with the expectations written beside it (<name>.expect.yaml). Like ESLint's RuleTester, it refuses
 * a fixture that expects nothing, and it checks that every check has a failing and a passing fixture.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {ALL_CHECKS} from '../src/checks/index.js'
import {judgeSnapshot} from '../src/pipeline.js'
import type {Status} from '../src/severity.js'
import {readSnapshot} from '../src/sources/snapshot-reader.js'

interface Expectation {
  description: string
  verdict: 'READY' | 'NOT_READY' | 'UNVERIFIED'
  fail?: string[]
  warn?: string[]
  info?: string[]
  pass?: string[]
  unknown?: string[]
  na?: string[]
  /** The id the report must name as its first broken link. */
  first?: string
}

const root = path.resolve(import.meta.dirname, '../fixtures/hosts')
const fixtures = readdirSync(root)
  .filter((name) => statSync(path.join(root, name)).isDirectory())
  .sort()
  .map((name) => ({name, expect: parse(readFileSync(path.join(root, `${name}.expect.yaml`), 'utf8')) as Expectation}))

const LISTS: Array<[keyof Expectation, Status]> = [
  ['fail', 'fail'],
  ['warn', 'warn'],
  ['info', 'info'],
  ['pass', 'pass'],
  ['unknown', 'unknown'],
  ['na', 'n/a'],
]

describe('host fixtures', () => {
  it('has the fixtures the foundation issue asks for', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12)
  })

  it.each(fixtures)('$name', async ({name, expect: expected}) => {
    const listed = LISTS.flatMap(([key]) => (expected[key] as string[] | undefined) ?? [])
    expect(listed.length, `${name}.expect.yaml expects no check status at all`).toBeGreaterThan(0)
    expect(expected.description?.length ?? 0, `${name}.expect.yaml needs a description`).toBeGreaterThan(20)
    const report = judgeSnapshot(await readSnapshot(path.join(root, name)))
    const statusOf = Object.fromEntries(report.findings.map((f) => [f.id, f.status]))
    for (const [key, status] of LISTS) {
      for (const id of (expected[key] as string[] | undefined) ?? []) {
        const finding = report.findings.find((f) => f.id === id)
        expect(statusOf[id], `${name}: ${id} should be ${status}; it said: ${finding?.message}`).toBe(status)
      }
    }
    expect(report.verdict, `${name}: findings ${JSON.stringify(statusOf)}`).toBe(expected.verdict)
    if (expected.first) expect(report.first_broken_link).toBe(expected.first)
  })

  it('gives every check at least one failing and one passing fixture', () => {
    const failing = new Set(fixtures.flatMap((f) => [...(f.expect.fail ?? []), ...(f.expect.warn ?? []), ...(f.expect.info ?? [])]))
    const passing = new Set(fixtures.flatMap((f) => f.expect.pass ?? []))
    const ids = ALL_CHECKS.map((c) => c.meta.id)
    expect(ids.filter((id) => !failing.has(id)), 'checks without a failing fixture').toEqual([])
    expect(ids.filter((id) => !passing.has(id)), 'checks without a passing fixture').toEqual([])
  })
})
