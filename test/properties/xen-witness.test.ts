/**
 * Issue 11 property "a Xen witness is enough": for every fixture that holds a Xen witness, a snapshot reduced to that
 * one witness plus dom0's /proc/cmdline (when the fixture has it) yields the role "Xen dom0" and judges KD101 on Xen's
 * line: pass or fail, as on the full fixture, when the witness carries Xen's command line (xl info xen_commandline,
 * the boot log's `Command line:`), otherwise unknown, and never on dom0's own line.
 *
 * Witnesses (each tried on its own): `xl dmesg`/`xm dmesg` output with `(XEN)` lines; `xl info`/`xm info` with xen_*
 * fields; /proc/xen/capabilities holding `control_d`.
 */
import {describe, expect, it} from 'vitest'
import type {Snapshot} from '../../src/snapshot/snapshot.js'
import {filesOf, fixtureNames, fixtures, judge, knownKeys, loadKnownViolations, rebuild, statusesOf} from './support.js'

interface Witness {
  name: string
  reduced: Snapshot
  /** The reduced snapshot still holds Xen's running command line. */
  hasXenLine: boolean
}

export function witnessesOf(s: Snapshot): Witness[] {
  const cmdline = filesOf(s).filter((f) => f.path === '/proc/cmdline')
  const out: Witness[] = []
  for (const name of ['xl-dmesg', 'xm-dmesg']) {
    const p = s.probe(name)
    if (p && /^\(XEN\) /m.test(p.out))
      out.push({name, reduced: rebuild(s, cmdline, [p], {errors: []}), hasXenLine: /^\(XEN\)( \[[^\]]*\])? Command line: /m.test(p.out)})
  }
  for (const name of ['xl-info', 'xm-info']) {
    const p = s.probe(name)
    if (p && /^xen_(major|version|commandline|caps)\s*:/m.test(p.out))
      out.push({name, reduced: rebuild(s, cmdline, [p], {errors: []}), hasXenLine: /^xen_commandline\s*:/m.test(p.out)})
  }
  const caps = s.file('/proc/xen/capabilities')
  if (caps && /control_d/.test(caps.text))
    out.push({name: 'capabilities', reduced: rebuild(s, [...cmdline, caps], [], {errors: []}), hasXenLine: false})
  return out
}

export function witnessViolations(s: Snapshot): string[] {
  if (s.kind !== 'runtime') return []
  const fullKd101 = statusesOf(judge(s)).KD101
  const out: string[] = []
  for (const w of witnessesOf(s)) {
    const r = judge(w.reduced)
    const kd101 = r.findings.find((f) => f.id === 'KD101')
    if (!/^Xen (PVH )?dom0/.test(r.host.role)) out.push(`${w.name}: role "${r.host.role.replace(/ kernel .*$/, ' kernel ...')}"`)
    const status = kd101?.status ?? 'absent'
    if (w.hasXenLine) {
      if (status !== 'pass' && status !== 'fail') out.push(`${w.name}: KD101 ${status} with Xen's line in hand`)
      else if ((fullKd101 === 'pass' || fullKd101 === 'fail') && status !== fullKd101) out.push(`${w.name}: KD101 ${status}, full fixture ${fullKd101}`)
    } else if (status !== 'unknown') out.push(`${w.name}: KD101 ${status} without Xen's line`)
    const sources = (kd101?.evidence ?? []).map((e) => e.source)
    if ((status === 'pass' || status === 'fail') && sources.length > 0 && sources.every((src) => src === 'files/proc/cmdline'))
      out.push(`${w.name}: KD101 judged on dom0's /proc/cmdline`)
  }
  return out.sort()
}

const known = loadKnownViolations()

describe('property: a Xen witness is enough (issue 11)', () => {
  it('finds witnesses in the Xen fixtures and none in native ones', async () => {
    const all = await fixtures()
    const byName = (n: string) => all.find((f) => f.name === n)!.snapshot
    expect(witnessesOf(byName('hosts/incident-el5xen')).map((w) => w.name).sort()).toEqual(['capabilities', 'xm-dmesg', 'xm-info'])
    expect(witnessesOf(byName('hosts/baremetal-good-rhel9'))).toEqual([])
    const withWitness = all.filter((f) => f.snapshot.kind === 'runtime' && witnessesOf(f.snapshot).length > 0)
    expect(withWitness.length).toBeGreaterThanOrEqual(20)
  })
})

describe('a Xen witness is enough, per fixture (known violations: test/properties/known-violations.yaml)', () => {
  for (const name of fixtureNames()) {
    const expected = knownKeys(known, 'xen-witness', name)
    it(`${name}${expected.length ? ` (${expected.length} known)` : ''}`, async () => {
      const fixture = (await fixtures()).find((f) => f.name === name)!
      expect(witnessViolations(fixture.snapshot)).toEqual(expected)
    })
  }
})

describe('known-violations.yaml', () => {
  it('describes every kind of violation it lists, with a defect class and a reason', async () => {
    const {usedKinds} = await import('./support.js')
    for (const kind of usedKinds(known)) {
      const k = known.kinds[kind]
      expect(k, `kind ${kind} is described under kinds:`).toBeDefined()
      expect(String(k!.class)).toMatch(/^(1|2|3|4|5|new-[a-z0-9-]+)$/)
      expect(k!.why.length).toBeGreaterThan(20)
    }
  })
})
