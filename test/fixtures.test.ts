/**
 * The table-driven fixture runner: every snapshot directory in fixtures/hosts/ is judged and compared
 * with the expectations written beside it (<name>.expect.yaml). Like ESLint's RuleTester, which asserts
 * the exact errors, it refuses a fixture that does not pin the status of every check in the catalogue
 * (a new check makes every fixture state its status: `node scripts/pin-fixtures.mjs` shows what is
 * missing and what the tool says), and it checks that every check has a failing and a passing fixture.
 *
 * `known_wrong: {KD123: {today: <status>, why: <text>}}` marks a pin the tool does not honour yet: the
 * lists hold the right status, and the runner holds the tool to `today`, so both a fix (remove the
 * entry) and any other change fail the test. `known_wrong.verdict` does the same for the verdict.
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
  /** Pins the tool gets wrong today: what it says instead, and why the pin is right. */
  known_wrong?: Record<string, {today: string; why: string}>
}

const KEYS = new Set(['description', 'verdict', 'fail', 'warn', 'info', 'pass', 'unknown', 'na', 'first', 'known_wrong'])

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
    expect(Object.keys(expected).filter((k) => !KEYS.has(k)), `${name}.expect.yaml: unknown keys`).toEqual([])
    const listed = LISTS.flatMap(([key]) => (expected[key] as string[] | undefined) ?? [])
    expect(expected.description?.length ?? 0, `${name}.expect.yaml needs a description`).toBeGreaterThan(20)
    const catalogue = ALL_CHECKS.map((c) => c.meta.id)
    expect(catalogue.filter((id) => !listed.includes(id)), `${name}.expect.yaml must pin these checks (node scripts/pin-fixtures.mjs ${name})`).toEqual([])
    expect(listed.filter((id, i) => listed.indexOf(id) !== i), `${name}.expect.yaml pins these checks twice`).toEqual([])
    expect(listed.filter((id) => !catalogue.includes(id)), `${name}.expect.yaml pins checks that do not exist`).toEqual([])
    const knownWrong = expected.known_wrong ?? {}
    expect(Object.keys(knownWrong).filter((id) => id !== 'verdict' && !catalogue.includes(id)), `${name}: known_wrong names checks that do not exist`).toEqual([])
    const report = judgeSnapshot(await readSnapshot(path.join(root, name)))
    const statusOf = Object.fromEntries(report.findings.map((f) => [f.id, f.status]))
    for (const [key, status] of LISTS) {
      for (const id of (expected[key] as string[] | undefined) ?? []) {
        const finding = report.findings.find((f) => f.id === id)
        const wrong = knownWrong[id]
        if (wrong) {
          expect(wrong.why?.length ?? 0, `${name}: known_wrong ${id} needs a why`).toBeGreaterThan(20)
          expect(wrong.today, `${name}: known_wrong ${id} says the tool is wrong, but the pin agrees with today`).not.toBe(status)
          expect(
            statusOf[id],
            `${name}: ${id} is pinned ${status} with the tool known to say ${wrong.today}; it now says ${statusOf[id]} (fixed? remove known_wrong.${id}): ${finding?.message}`,
          ).toBe(wrong.today)
        } else {
          expect(statusOf[id], `${name}: ${id} should be ${status}; it said: ${finding?.message}`).toBe(status)
        }
      }
    }
    if (knownWrong.verdict) {
      expect(knownWrong.verdict.today, `${name}: known_wrong.verdict agrees with the pinned verdict`).not.toBe(expected.verdict)
      expect(report.verdict, `${name}: the verdict is pinned ${expected.verdict}, known to be ${knownWrong.verdict.today} today (fixed? remove known_wrong.verdict)`).toBe(knownWrong.verdict.today)
    } else {
      expect(report.verdict, `${name}: findings ${JSON.stringify(statusOf)}`).toBe(expected.verdict)
    }
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
