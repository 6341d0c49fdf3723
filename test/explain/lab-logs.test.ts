/**
 * The lab's real Xen 4.17 + Linux 6.1 serial logs: each scenario's verdict is known from what
 * happened to the disk (times.txt), so explain must reach the same one from the log alone.
 */
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {explainInputs} from '../../src/explain/explain.js'
import type {ExplainResult} from '../../src/explain/result.js'

const lab = (scenario: string) => path.resolve(import.meta.dirname, '../../fixtures/lab-logs', scenario, 'serial.log')
const explain = (scenario: string) => explainInputs([lab(scenario)])
const causeIds = (r: ExplainResult) => r.causes.map((c) => c.id)
const link = (r: ExplainResult, name: string) => r.chain.find((l) => l.link === name)!

describe('lab scenario A: no crashkernel on Xen, noreboot', () => {
  it('halted with nothing loaded, the region never reserved', async () => {
    const r = await explain('A')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', vmcore: 'not-written', capture_kernel_ran: false, host_after_crash: 'halted', dump_attempted: true})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('region')
    expect(link(r, 'image').evidence[0]?.text).toBe("(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting.")
    expect(r.causes[0]).toMatchObject({id: 'no-crashkernel-on-xen', role: 'root', checks: expect.arrayContaining(['KD101'])})
    expect(causeIds(r)).toEqual(expect.arrayContaining(['nothing-loaded', 'noreboot-halted']))
    expect(r.causes.find((c) => c.id === 'noreboot-halted')?.checks).toContain('KD500')
    expect(r.facts.xen_version?.value).toBe('4.17.7')
    expect(r.facts.dom0_kernel?.value).toBe('6.1.0-56-amd64 (pvops dom0)')
  })
})

describe('lab scenario A0: no crashkernel, no noreboot', () => {
  it('rebooted with nothing loaded', async () => {
    const r = await explain('A0')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', host_after_crash: 'rebooted', capture_kernel_ran: false})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.crash?.text).toContain('Kernel panic - not syncing: sysrq triggered crash')
    expect(causeIds(r)).not.toContain('noreboot-halted')
    expect(r.timeline.at(-1)?.text).toBe('(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.')
  })
})

describe('lab scenario B: crashkernel on Xen, kexec -p, the lab capture initrd', () => {
  it('capture kernel ran and a vmcore was written', async () => {
    const r = await explain('B')
    expect(r.verdict).toMatchObject({outcome: 'vmcore-written', vmcore: 'written', capture_kernel_ran: true, host_after_crash: 'rebooted', first_broken_link: null})
    expect(r.exit_code).toBe(0)
    expect(r.chain.every((l) => l.status === 'ok')).toBe(true)
    expect(link(r, 'region').evidence[0]?.text).toBe('(XEN) Kdump: 256MB (262144kB) at 0x69d07000')
    expect(link(r, 'image').evidence[0]?.text).toBe('(XEN) Hardware Dom0 crashed: Executing kexec image on cpu0')
    expect(link(r, 'vmcore').evidence[0]?.text).toContain('vmcore copied to /dev/vda')
    const capture = r.timeline.find((t) => t.kind === 'kernel-cmdline' && t.phase === 'capture')
    expect(capture?.text).toContain('elfcorehdr=1995148K')
    // No cause is root when the dump worked; the notes say what the lab also showed.
    expect(r.causes.every((c) => c.role !== 'root')).toBe(true)
    expect(causeIds(r)).toEqual(expect.arrayContaining(['distribution-status-wrong', 'xen-vmcore-without-vmcoreinfo']))
  })
})

describe('lab scenario B-kdt: Debian kdump-tools in the capture kernel', () => {
  it('capture kernel ran but the dump is empty: makedumpfile had no vmcoreinfo, kdump-config claimed success', async () => {
    const r = await explain('B-kdt')
    expect(r.verdict).toMatchObject({outcome: 'dump-empty', vmcore: 'empty', capture_kernel_ran: true})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('collector')
    expect(r.causes[0]).toMatchObject({id: 'collector-needs-vmcoreinfo', role: 'root', checks: ['KD406']})
    expect(r.causes[0]!.evidence.map((e) => e.text).join('\n')).toContain("/proc/vmcore doesn't contain vmcoreinfo.")
    const falseSuccess = r.causes.find((c) => c.id === 'false-success')!
    expect(falseSuccess.role).toBe('contributing')
    expect(falseSuccess.evidence.map((e) => e.text).join('\n')).toMatch(/\[ ok \] kdump-config: saved vmcore in \/var\/crash\/202611290921[\s\S]*dump\.202611290921/)
    // The --dump-dmesg failure is reported as such, not as the dump's failure.
    expect(r.timeline.find((t) => t.line === 1061)?.kind).toBe('collector-dmesg-failed')
  })
})

describe("lab scenario C: crashkernel on dom0's line only", () => {
  it('nothing loaded: Xen never reserved a region, dom0 ignored its crashkernel=, kexec -p failed', async () => {
    const r = await explain('C')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', host_after_crash: 'halted', capture_kernel_ran: false})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('region')
    const dom0 = r.causes.find((c) => c.id === 'crashkernel-on-dom0-line')!
    expect(dom0.checks).toContain('KD102')
    expect(dom0.evidence.map((e) => e.text).join('\n')).toContain('Ignoring crashkernel for a Xen PV domain')
    const loaded = r.causes.find((c) => c.id === 'nothing-loaded')!
    expect(loaded.detail).toContain('Cannot load /crash/vmlinuz')
    expect(loaded.checks).toContain('KD202')
  })
})
