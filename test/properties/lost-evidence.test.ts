/**
 * Issue 11 property "lost evidence never helps": for every fixture, and for every file and probe in it, a snapshot in
 * which that one piece of evidence was lost the way the collector records a loss must not be READY unless the full
 * fixture is READY, and must not move any check from fail, warn or unknown to pass.
 *
 * A loss is recorded as collector/kdumpcheck-collect.sh records it: a file that exists but cannot be read is absent
 * from files/ and named in snapshot.json's errors (`PATH: could not be read: Permission denied`); a probe that runs out
 * of time has exit `timeout`, keeps no output, and is named in errors (`probe NAME (COMMAND): timed out after N s`).
 * A file simply absent means the host lacks it, a different host: not this property.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import type {Report} from '../../src/report/report.js'
import type {Snapshot} from '../../src/snapshot/snapshot.js'
import {
  filesOf,
  fixtureNames,
  fixtures,
  judge,
  knownKeys,
  loadKnownViolations,
  loseFile,
  probesOf,
  repoRoot,
  statusesOf,
  timeOutProbe,
} from './support.js'

const UNFAVOURABLE = new Set(['fail', 'warn', 'unknown'])

/** Every single loss that helps, as stable keys: `lose file P: KD107 fail->pass`, `time out probe N: verdict X->READY`. */
export function lostEvidenceViolations(s: Snapshot, judgeFn: (s: Snapshot) => Report = judge): string[] {
  const full = judgeFn(s)
  const before = statusesOf(full)
  const out = new Set<string>()
  const compare = (label: string, changed: Snapshot): void => {
    const r = judgeFn(changed)
    if (r.verdict === 'READY' && full.verdict !== 'READY') out.add(`${label}: verdict ${full.verdict}->READY`)
    for (const [id, status] of Object.entries(statusesOf(r)))
      if (status === 'pass' && UNFAVOURABLE.has(before[id] ?? '')) out.add(`${label}: ${id} ${before[id]}->pass`)
  }
  for (const f of filesOf(s)) compare(`lose file ${f.path}`, loseFile(s, f.path))
  for (const p of probesOf(s)) if (p.exit.kind !== 'timeout') compare(`time out probe ${p.name}`, timeOutProbe(s, p.name))
  return [...out].sort()
}

const known = loadKnownViolations()

describe('property: lost evidence never helps (issue 11)', () => {
  it('covers every host fixture and every real-world snapshot and image', async () => {
    const all = await fixtures()
    expect(all.map((f) => f.name)).toEqual(fixtureNames())
    expect(all.filter((f) => f.name.startsWith('hosts/')).length).toBeGreaterThanOrEqual(30)
    expect(all.filter((f) => f.name.startsWith('real-world/')).length).toBeGreaterThanOrEqual(15)
  })

  it('records losses in the collector\'s own words', async () => {
    const collector = readFileSync(path.join(repoRoot, 'collector/kdumpcheck-collect.sh'), 'utf8')
    expect(collector).toContain('kdc_error "$1: could not be read: Permission denied"')
    expect(collector).toContain('kdc_error "probe $_kp_name ($*): timed out after $KDC_T s"')
    const s = (await fixtures()).find((f) => f.name === 'hosts/incident-el5xen')!.snapshot
    const lost = loseFile(s, '/proc/cmdline')
    expect(lost.file('/proc/cmdline')).toBeUndefined()
    expect(lost.meta.errors).toContain('/proc/cmdline: could not be read: Permission denied')
    const timed = timeOutProbe(s, 'xm-info')
    expect(timed.probe('xm-info')).toMatchObject({out: '', exit: {kind: 'timeout'}})
    expect(timed.meta.errors).toContain('probe xm-info (xm info): timed out after 10 s')
  })

  it('reports a loss that helps (a judge that passes what it cannot see)', async () => {
    const s = (await fixtures()).find((f) => f.name === 'hosts/incident-el5xen')!.snapshot
    const real = judge(s)
    const gullible = (x: Snapshot): Report =>
      x.file('/proc/cmdline') ? real : {...real, verdict: 'READY', findings: real.findings.map((f) => ({...f, status: 'pass'}))}
    const found = lostEvidenceViolations(s, gullible)
    expect(found).toContain('lose file /proc/cmdline: verdict NOT_READY->READY')
    expect(found).toContain('lose file /proc/cmdline: KD101 fail->pass')
  })
})

describe('lost evidence, per fixture (known violations: test/properties/known-violations.yaml)', () => {
  for (const name of fixtureNames()) {
    const expected = knownKeys(known, 'lost-evidence', name)
    it(`${name}${expected.length ? ` (${expected.length} known)` : ''}`, async () => {
      const fixture = (await fixtures()).find((f) => f.name === name)!
      expect(lostEvidenceViolations(fixture.snapshot)).toEqual(expected)
    })
  }
})
