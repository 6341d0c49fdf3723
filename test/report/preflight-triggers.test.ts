/**
 * Trigger advice true for this host (issue 16): on a NO-GO or CANNOT TELL host, preflight says what each way of
 * crashing it leads to here (a halt, a reboot without a dump), never that "the dump runs".
 */
import {describe, expect, it} from 'vitest'
import {assess} from '../../src/pipeline.js'
import {preflight, renderPreflight} from '../../src/preflight/story.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'

async function story(fixture: string) {
  const {facts, report} = assess(await readSnapshot(fixture))
  return preflight(facts, report)
}

describe('preflight: how to trigger a crash, and what it leads to on this host', () => {
  it('on the incident host (NO-GO, nothing loaded, noreboot) every trigger leads to a halt without a dump', async () => {
    const result = await story('fixtures/hosts/incident-el5xen')
    expect(result.decision).toBe('NO-GO')
    const triggers = result.triggers.join('\n')
    expect(triggers).not.toMatch(/so the dump runs|run the capture kernel|dump is written/)
    expect(result.triggers.find((t) => t.includes('sysrq-trigger'))).toMatch(/here: a halt without a dump/)
    expect(result.triggers.find((t) => t.includes('NMI'))).toMatch(/panics \(unknown_nmi_panic=1\), here: a halt without a dump/)
    // The toolstack the host answered: xm on this Xen 4.1 host.
    expect(result.triggers.find((t) => t.includes('debug-keys'))).toMatch(/^`xm debug-keys C` makes Xen itself crash, here: a halt without a dump/)
    const text = renderPreflight(result, {width: 100})
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100)
    expect(text.split('\n')[0]).toMatch(/^NO-GO {2}r7ae07353/)
  })

  it('on a GO host the triggers run the dump', async () => {
    const result = await story('fixtures/hosts/good-pvops-debian12')
    expect(result.decision).toBe('GO')
    expect(result.triggers.find((t) => t.includes('sysrq-trigger'))).toMatch(/the capture kernel runs and the dump is written/)
    expect(result.triggers.find((t) => t.includes('debug-keys'))).toMatch(/run the capture kernel/)
  })

  it('on a CANNOT TELL host the dump is promised only if the unverified links hold', async () => {
    const result = await story('fixtures/hosts/pvops-xen48-unprovable')
    expect(result.decision).toBe('CANNOT TELL')
    const triggers = result.triggers.join('\n')
    expect(triggers).not.toMatch(/so the dump runs|makes Xen crash and run the capture kernel/)
    expect(result.triggers.find((t) => t.includes('sysrq-trigger'))).toMatch(/here: a dump only if KD\d{3}(, KD\d{3})* holds?; if not, a (reboot|halt)/)
  })
})
