/**
 * Issue 11, class 1: the host role from partial evidence. Any one witness that only a Xen control domain produces
 * (xl info's xen_* fields, Xen's console ring from xl dmesg, /proc/xen/capabilities = control_d) makes a Xen dom0;
 * a kernel flavour nobody can tell (xenolinux or pvops) never makes the Xen-line checks unknown. Built on the
 * real-world corpus (fixtures/real-world/) and reductions of the project's own host fixtures.
 */
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG} from '../../src/config/config.js'
import {buildFacts} from '../../src/facts/facts.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import type {Report} from '../../src/report/report.js'
import {Snapshot} from '../../src/snapshot/snapshot.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {fixture} from '../helpers/fixture-edit.js'

const corpus = path.resolve(import.meta.dirname, '../../fixtures/real-world')
const NOW = new Date('2026-11-29T10:00:00Z')

async function realWorld(item: string): Promise<Snapshot> {
  return readSnapshot(path.join(corpus, item, 'snapshot'))
}

function judge(s: Snapshot): Report {
  return judgeSnapshot(s, DEFAULT_CONFIG, NOW)
}

function status(r: Report, id: string): string | undefined {
  return r.findings.find((f) => f.id === id)?.status
}

/** The same snapshot holding only these files and probes (no errors). */
function only(s: Snapshot, files: string[], probes: string[]): Snapshot {
  return new Snapshot(
    {...s.meta, errors: []},
    new Map(files.filter((p) => s.file(p)).map((p) => [p, s.file(p)!])),
    new Map(probes.filter((n) => s.probe(n)).map((n) => [n, s.probe(n)!])),
    s.origin,
  )
}

describe('a single Xen witness makes a dom0 (issue 11 class 1, real artifacts)', () => {
  it('one grepped xl info line (xen_commandline) is a dom0, and Xen\'s own line is judged: linuxboot/heads#536', async () => {
    const r = judge(await realWorld('qubes-heads-536-xl-info-grep'))
    expect(r.host.role).toMatch(/^Xen dom0 \(kernel flavour unknown/)
    expect(status(r, 'KD100')).toBe('pass')
    expect(status(r, 'KD101')).toBe('fail')
    // reboot=no on Xen's line halts the host on a crash: the flavour does not matter.
    expect(status(r, 'KD500')).toBe('warn')
    expect(r.verdict).toBe('NOT_READY')
  })

  it('xl info with crashkernel=380M<4G on Xen\'s line passes KD101 whatever the flavour: a SUSE dom0\'s notes', async () => {
    const r = judge(await realWorld('suse-xen-cheatsheet-dom0-config'))
    expect(r.host.role).toMatch(/^Xen dom0/)
    expect(status(r, 'KD101')).toBe('pass')
    expect(status(r, 'KD103')).not.toBe('n/a')
  })

  it('an xl dmesg boot log alone is a dom0, judged on its "Command line:": sysml/clickos#4, QubesOS#1491', async () => {
    for (const item of ['clickos-4-xl-dmesg-xen441-debian', 'qubes-1491-xl-dmesg-xen443']) {
      const r = judge(await realWorld(item))
      expect(r.host.role, item).toMatch(/^Xen dom0/)
      expect(status(r, 'KD101'), item).toBe('fail')
      expect(status(r, 'KD500'), item).toBe('pass')
      expect(r.verdict, item).toBe('NOT_READY')
    }
  })

  it('/proc/xen/capabilities = control_d alone is a dom0 whose Xen line is unknown, never dom0\'s own line', async () => {
    const r = judge(await realWorld('debian-selfbuilt-3023-proc-xen-capabilities'))
    expect(r.host.role).toMatch(/^Xen dom0 \(kernel flavour unknown/)
    expect(status(r, 'KD101')).toBe('unknown')
  })

  it('a running line with earlyprintk=xen and a boot configuration that starts Xen is a dom0, not "Linux without Xen"', async () => {
    const r = judge(await realWorld('suse-xen-on-kvm-virthost'))
    expect(r.host.role).toMatch(/^Xen dom0/)
    expect(r.verdict).not.toBe('READY')
  })

  it('console=hvc0 alone proves nothing about Xen (virtio and POWER consoles are hvc0 too)', async () => {
    const base = await realWorld('suse-xen-on-kvm-virthost')
    const s = new Snapshot(base.meta, new Map([['/proc/cmdline', {path: '/proc/cmdline', text: 'root=/dev/vda1 console=hvc0\n', truncated: false}]]), new Map(), base.origin)
    expect(judge(s).host.role).toMatch(/^Linux without Xen/)
  })
})

describe('the incident\'s pitfall: dom0\'s own crashkernel= never stands in for Xen\'s line', () => {
  it('dom0-line-only-debian12 reduced to xl dmesg + /proc/cmdline: KD101 fails on Xen\'s boot line', async () => {
    const full = await fixture('dom0-line-only-debian12')
    expect(full.file('/proc/cmdline')?.text).toMatch(/crashkernel=/)
    const r = judge(only(full, ['/proc/cmdline'], ['xl-dmesg']))
    expect(r.host.role).toMatch(/^Xen dom0/)
    const kd101 = r.findings.find((f) => f.id === 'KD101')!
    expect(kd101.status).toBe('fail')
    expect(kd101.evidence.map((e) => e.source)).toContain('commands/xl-dmesg.out')
  })

  it('the incident host reduced to /proc/xen/capabilities + /proc/cmdline: Xen dom0, KD101 unknown', async () => {
    const r = judge(only(await fixture('incident-el5xen'), ['/proc/cmdline', '/proc/xen/capabilities'], []))
    expect(r.host.role).toMatch(/^Xen dom0/)
    expect(status(r, 'KD101')).toBe('unknown')
  })

  it('flavour-dependent evidence stays untrusted: a dom0 of unknown flavour never believes its own sysfs', async () => {
    const full = await fixture('good-pvops-debian12', {
      files: {'/boot/config-6.1.0-50-amd64': null, '/sys/kernel/kexec_crash_loaded': '1\n'},
      probes: {'uname-r': null, 'kexec-status': null},
    })
    const facts = buildFacts(only(full, [...full.filePaths], full.probeNames.filter((n) => n !== 'xl-info')))
    expect(facts.role.known && facts.role.value).toMatchObject({kind: 'xen-dom0', kernel: 'unknown'})
    expect(facts.captureLoaded.known).toBe(false)
  })
})

describe('a lost Xen witness never makes "Linux without Xen"', () => {
  it('an unreadable /proc/xen/capabilities leaves the role unknown', async () => {
    const s = await fixture('baremetal-good-rhel9', {errors: ['/proc/xen/capabilities: could not be read: Permission denied']})
    const facts = buildFacts(s)
    expect(facts.role.known).toBe(false)
    expect(facts.role.known ? '' : facts.role.reason).toContain('/proc/xen/capabilities')
  })

  it('a timed-out xl dmesg leaves the role unknown', async () => {
    const s = await fixture('baremetal-good-rhel9', {probes: {'xl-dmesg': {exit: 'timeout'}}, errors: ['probe xl-dmesg (xl dmesg): timed out after 10 s']})
    expect(buildFacts(s).role.known).toBe(false)
  })
})
