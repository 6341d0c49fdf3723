/**
 * A table runner for checks, in the manner of ESLint's RuleTester: each check's test is a list of `valid` and
 * `invalid` cases over snapshot builders (a real fixture with a few edits), and each case states the exact
 * result. Every case goes through the engine (`runChecks` and `buildReport` in report/: scope n/a on images,
 * a thrown error as unknown, severity to status, configuration), never through `check.run` alone, and asserts:
 *
 * - the exact status (`fail`, `warn`, `info`, `unknown`, `pass`, `n/a`) and, where given, the severity;
 * - the message by key words (`message`: a string it contains, a RegExp, or a list of them; `notMessage`);
 * - the exact evidence as `source:line` (`source` when the evidence has no line), in order;
 * - `verify` and `fix` by key words where given.
 *
 * It refuses a case that cannot fail: a `valid` case must expect pass or n/a and an `invalid` one a problem or
 * unknown; an invalid case must say what it reports (message key words), and a failing, warning or info finding
 * must point at evidence. For every case it also holds the invariants every finding owes the user: a pass
 * cites evidence; each evidence line exists in the snapshot and shows the text the finding quotes; no check in
 * the report died of an internal error.
 */
import {describe, expect, it} from 'vitest'
import {ALL_CHECKS} from '../../src/checks/index.js'
import type {Check} from '../../src/checks/types.js'
import {DEFAULT_CONFIG, parseConfigText, type Config} from '../../src/config/config.js'
import {buildFacts} from '../../src/facts/facts.js'
import {policyRulings} from '../../src/report/policy.js'
import {buildReport, runChecks, type Finding} from '../../src/report/report.js'
import type {Severity, Status} from '../../src/severity.js'
import type {Evidence} from '../../src/snapshot/evidence.js'
import type {Snapshot} from '../../src/snapshot/snapshot.js'
import {fixture, type Edits} from '../helpers/fixture-edit.js'

export type Words = string | RegExp | ReadonlyArray<string | RegExp>

export interface Case {
  /** What the case is about; the test's name. */
  name: string
  /** The host fixture the case starts from (fixtures/hosts/<name>). */
  fixture: string
  edits?: Edits
  /** A .kdumpcheck.yaml, applied as `--config` would (severity overrides, policy, waivers). */
  config?: string
  status: Status
  severity?: Severity
  message?: Words
  notMessage?: Words
  /** `source:line` (or `source`) of each evidence item, in order; `[]` only for an unknown with nothing to cite. */
  evidence: string[]
  verify?: Words
  fix?: Words
}

export interface Cases {
  valid: Case[]
  invalid: Case[]
}

/** A runtime check on an image: the engine makes it n/a (the evidence only a running host has is not there). */
export const RUNTIME_ON_AN_IMAGE: Case = {
  name: 'an image: a runtime check needs a running host',
  fixture: 'image-debian12-xen-generated-broken',
  status: 'n/a',
  message: 'Needs a running host',
  evidence: [],
}

const NOW = new Date('2026-11-29T12:00:00Z')
const VALID: readonly Status[] = ['pass', 'n/a']

/** The finding the engine makes of `check` on the case's snapshot (exported for tests of the tester itself). */
export async function findingFor(check: Check, snapshot: Snapshot, configText?: string): Promise<{finding: Finding; others: Finding[]}> {
  const config: Config = configText === undefined ? DEFAULT_CONFIG : await parseConfigText(configText, '.kdumpcheck.yaml')
  const facts = buildFacts(snapshot)
  const registered = ALL_CHECKS.some((c) => c === check)
  const checks = registered ? ALL_CHECKS : [...ALL_CHECKS, check]
  const report = buildReport(
    runChecks(checks, facts),
    {
      host: {hostname: snapshot.meta.hostname, kind: snapshot.kind, origin: snapshot.origin, collected_at: snapshot.meta.collected_at, collector: snapshot.meta.collector, role: facts.roleDescription},
      snapshotErrors: snapshot.meta.errors,
      timedOutProbes: [],
      version: 'test',
      policy: policyRulings(config.policy, facts),
    },
    config,
    NOW,
  )
  const finding = report.findings.find((f) => f.id === check.meta.id)
  if (!finding) throw new Error(`the engine made no finding for ${check.meta.id}`)
  return {finding, others: report.findings.filter((f) => f !== finding)}
}

/**
 * The finding the engine makes of `check` on a fixture with edits, for the tests a table cannot hold (arithmetic
 * at a boundary, a helper's own behaviour). Statuses are the report's: fail, warn, info, unknown, pass, n/a.
 */
export async function judge(check: Check, name: string, edits: Edits = {}, configText?: string): Promise<Finding> {
  return (await findingFor(check, await fixture(name, edits), configText)).finding
}

export function evidenceKey(e: Evidence): string {
  return e.line === undefined ? e.source : `${e.source}:${e.line}`
}

/** The text at an evidence's source and line in the snapshot, or undefined when it points at nothing. */
export function lineAt(snapshot: Snapshot, e: Evidence): string | undefined {
  if (e.line === undefined) return undefined
  let text: string | undefined
  const probe = /^commands\/(.+)\.(out|err|exit)$/.exec(e.source)
  if (e.source.startsWith('files/')) text = snapshot.file(e.source.slice('files'.length))?.text
  else if (probe) {
    const p = snapshot.probe(probe[1]!)
    if (p) text = probe[2] === 'out' ? p.out : probe[2] === 'err' ? p.err : p.exit.kind === 'exited' ? String(p.exit.code) : p.exit.kind
  }
  return text?.split('\n')[e.line - 1]
}

/** The lines from an evidence's line to the next blank one (a `systemctl show` block). */
function blockAt(snapshot: Snapshot, e: Evidence): string[] {
  const lines: string[] = []
  for (let n = e.line ?? 1; ; n++) {
    const l = lineAt(snapshot, {...e, line: n})
    if (l === undefined || l.trim() === '') return lines
    lines.push(l.trim())
  }
}

function words(value: Words | undefined): Array<string | RegExp> {
  return value === undefined ? [] : typeof value === 'string' || value instanceof RegExp ? [value] : [...value]
}

function expectWords(what: string, text: string | undefined, value: Words | undefined, present: boolean): void {
  for (const w of words(value)) {
    const found = text !== undefined && (typeof w === 'string' ? text.includes(w) : w.test(text))
    expect(found, `${what} ${present ? 'should' : 'should not'} match ${String(w)}: ${text}`).toBe(present)
  }
}

/** Why a case is refused before it runs (a case that cannot fail), or undefined. */
export function refusal(kind: 'valid' | 'invalid', c: Case): string | undefined {
  if (kind === 'valid' && !VALID.includes(c.status)) return `a valid case expects pass or n/a, not ${c.status}`
  if (kind === 'invalid' && VALID.includes(c.status)) return `an invalid case expects a problem or unknown, not ${c.status}`
  if (kind === 'invalid' && words(c.message).length === 0) return 'an invalid case must say what it reports (message key words)'
  if (kind === 'invalid' && c.status !== 'unknown' && c.evidence.length === 0) return `a ${c.status} case must point at evidence`
  if (c.status === 'pass' && c.evidence.length === 0) return 'a pass must cite evidence'
  return undefined
}

/** Runs one case and asserts everything it states and every invariant (exported for the tester's own tests). */
export async function runCase(check: Check, kind: 'valid' | 'invalid', c: Case): Promise<void> {
  const refused = process.env.RULE_TESTER_PRINT ? undefined : refusal(kind, c)
  if (refused) throw new Error(`${check.meta.id} ${kind} case "${c.name}" refused: ${refused}`)
  const snapshot = await fixture(c.fixture, c.edits)
  const {finding, others} = await findingFor(check, snapshot, c.config)
  if (process.env.RULE_TESTER_PRINT) {
    console.log(`CASE ${JSON.stringify({id: check.meta.id, name: c.name, status: finding.status, severity: finding.severity, message: finding.message, evidence: finding.evidence.map(evidenceKey), verify: finding.verify})}`)
    return
  }
  const said = `${check.meta.id} said ${finding.status} (${finding.severity}): ${finding.message} [${finding.evidence.map(evidenceKey).join(', ')}]`
  expect(finding.status, said).toBe(c.status)
  if (c.severity) expect(finding.severity, said).toBe(c.severity)
  expectWords('the message', finding.message, c.message, true)
  expectWords('the message', finding.message, c.notMessage, false)
  expect(finding.evidence.map(evidenceKey), `${check.meta.id}'s evidence; ${said}`).toEqual(c.evidence)
  expectWords('verify', finding.verify, c.verify, true)
  expectWords('fix', finding.fix, c.fix, true)
  for (const e of finding.evidence) {
    if (e.line === undefined) continue
    const line = lineAt(snapshot, e)
    expect(line, `evidence ${evidenceKey(e)} points at no line of the snapshot`).toBeDefined()
    // An excerpt longer than facts/evidence.ts keeps ends in '…'; what precedes it must be on the line.
    const quoted = e.text?.replace(/…$/, '').trim().replace(/\s+/g, ' ')
    if (!quoted) continue
    const unit = /^(\S+\.service) (\w+=\S*)$/.exec(quoted)
    if (unit && e.source === 'commands/systemctl-kdump.out') {
      // facts/service-state.ts cites a `systemctl show` block by its first line and sums it up as `<unit> KEY=value`:
      // the block starting there must be that unit's and hold that property.
      const block = blockAt(snapshot, e)
      expect(block, `evidence ${evidenceKey(e)}: the block there is not ${unit[1]}'s`).toContain(`Id=${unit[1]}`)
      expect(block, `evidence ${evidenceKey(e)}: the block there does not hold ${unit[2]}`).toContain(unit[2])
    } else expect(line!.replace(/\s+/g, ' '), `evidence ${evidenceKey(e)} quotes text its line does not show`).toContain(quoted)
  }
  const crashed = [finding, ...others].filter((f) => f.message.startsWith('internal error in '))
  expect(crashed.map((f) => `${f.id}: ${f.message}`), 'checks that threw on this snapshot').toEqual([])
}

/** Declares the tests of one check: `ruleTester(KD402, {valid: [...], invalid: [...]})`. */
export function ruleTester(check: Check, cases: Cases): void {
  describe(`${check.meta.id} (rule tester)`, () => {
    it('is registered, and has valid and invalid cases', () => {
      expect(ALL_CHECKS).toContain(check)
      expect(cases.valid.length, 'valid cases').toBeGreaterThan(0)
      expect(cases.invalid.length, 'invalid cases').toBeGreaterThan(0)
    })
    for (const kind of ['valid', 'invalid'] as const) {
      const list = cases[kind]
      if (list.length === 0) continue
      describe(kind, () => {
        it.each(list.map((c) => [`${c.status}: ${c.name}`, c] as const))('%s', async (_name, c) => {
          await runCase(check, kind, c)
        })
      })
    }
  })
}
