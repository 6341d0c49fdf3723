/**
 * KD402: the expected dump size (whole machine on Xen, dom0 + Xen with -X, MemTotal natively) against df on
 * the filesystem that really receives the dump, including a kdump.conf dump disk mounted elsewhere.
 */
import {describe, expect, it} from 'vitest'
import KD402 from '../../src/checks/KD402-not-enough-space.js'
import {dfOut, fixtureText, GiB_KiB, type Edits} from '../helpers/fixture-edit.js'
import {judge, ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

const XEN = 'good-pvops-debian12'
const RHEL = 'baremetal-good-rhel9'

/** A 256 GiB Xen machine (xl info total_memory 262144 MiB) with an 8 GiB dom0 (MemTotal 8388608 kB). */
function xenHost(makedumpArgs: string, rootAvailKiB: number): Edits {
  return {
    probes: {
      'xl-info': fixtureText(XEN, 'commands/xl-info.out').replace(/^total_memory\s*:.*$/m, 'total_memory           : 262144'),
      df: dfOut([
        ['udev', 4047772, 0, 4047772, '/dev'],
        ['/dev/sda2', 2000 * GiB_KiB, 2000 * GiB_KiB - rootAvailKiB, rootAvailKiB, '/'],
      ]),
    },
    files: {
      '/proc/meminfo': fixtureText(XEN, 'files/proc/meminfo').replace(/^MemTotal:.*$/m, 'MemTotal:        8388608 kB'),
      '/etc/default/kdump-tools': `USE_KDUMP=1\nKDUMP_COREDIR="/var/crash"\nMAKEDUMP_ARGS="${makedumpArgs}"\nKDUMP_CMDLINE="root=UUID=3f1d1c4e-8b5e-4d0a-9a57-6b1c2f0e9d41 ro console=ttyS0,115200n8"\n`,
    },
  }
}

describe('KD402 size arithmetic on Xen', () => {
  // -X keeps dom0 (8 GiB) plus 1% of the machine for Xen (2.56 GiB): 11072962.56 KiB.
  it('counts Xen\'s share on top of dom0 with -X, to the KiB', async () => {
    expect((await judge(KD402, XEN, xenHost('-E -X -d 0', 11072963))).status).toBe('pass')
    const short = await judge(KD402, XEN, xenHost('-E -X -d 0', 11072962))
    expect((short).status).toBe('fail')
    expect(short.message).toContain('10.6 GiB')
  })

  it('does not mistake dom0 alone for the dump: 9 GiB free is too little for an 8 GiB dom0 with -X', async () => {
    expect((await judge(KD402, XEN, xenHost('-E -X -d 0', 9 * GiB_KiB))).status).toBe('fail')
  })

  it('expects the whole machine without -X, never dom0\'s MemTotal', async () => {
    const outcome = await judge(KD402, XEN, xenHost('-E -d 0', 200 * GiB_KiB))
    expect((outcome).status).toBe('fail')
    expect(outcome.message).toContain('256 GiB')
    expect(outcome.message).toMatch(/every guest/)
    expect((await judge(KD402, XEN, xenHost('-E -d 0', 256 * GiB_KiB))).status).toBe('pass')
  })

  it('warns (never fails) when a filtered dump only might not fit, and says -d cannot drop guest pages', async () => {
    const outcome = await judge(KD402, XEN, xenHost('-c -d 31', 100 * GiB_KiB))
    expect((outcome).status).toBe('warn')
    expect(outcome.message).toMatch(/typical dump is far smaller/)
    expect(outcome.message).toMatch(/add -X/)
  })

  it('treats -d 1 as filtering but keeps the worst case at the full size', async () => {
    expect((await judge(KD402, XEN, xenHost('-E -d 1', 100 * GiB_KiB))).status).toBe('warn')
  })

  it('is unknown, never pass, when xl info total_memory is missing', async () => {
    const outcome = await judge(KD402, XEN, {...xenHost('-E -d 0', 2000 * GiB_KiB), probes: {...xenHost('-E -d 0', 2000 * GiB_KiB).probes, 'xl-info': null}})
    expect(outcome.status).toBe('unknown')
  })

  it('is unknown when df was not collected', async () => {
    const o = xenHost('-E -X -d 0', 100 * GiB_KiB)
    const outcome = await judge(KD402, XEN, {...o, probes: {...o.probes, df: null}})
    expect(outcome.status).toBe('unknown')
    expect(outcome.status === 'unknown' && outcome.severity).toBe('error')
  })
})

describe('KD402 natively', () => {
  const rhel = (collector: string, rootAvailKiB: number, extra: Edits = {}): Edits => ({
    ...extra,
    files: {'/etc/kdump.conf': `path /var/crash\ncore_collector ${collector}\n`, ...extra.files},
    probes: {df: dfOut([['/dev/mapper/rhel-root', 100 * GiB_KiB, 100 * GiB_KiB - rootAvailKiB, rootAvailKiB, '/']]), ...extra.probes},
  })

  it('uses MemTotal (32589012 kB) as the worst case', async () => {
    expect((await judge(KD402, RHEL, rhel('makedumpfile -l --message-level 7 -d 0', 32589012))).status).toBe('pass')
    expect((await judge(KD402, RHEL, rhel('makedumpfile -l --message-level 7 -d 0', 32589011))).status).toBe('fail')
    expect((await judge(KD402, RHEL, rhel('makedumpfile -l --message-level 7 -d 31', 32589011))).status).toBe('warn')
  })

  it('treats a plain copy as unfiltered', async () => {
    expect((await judge(KD402, RHEL, rhel('cp --sparse=always', 10 * GiB_KiB))).status).toBe('fail')
  })

  it('is unknown (a warning) for an NFS target: the server\'s space cannot be seen', async () => {
    const outcome = await judge(KD402, RHEL, {files: {'/etc/kdump.conf': 'nfs nfs01.example.com:/export/crash\npath /var/crash\n'}})
    expect(outcome.status).toBe('unknown')
    expect(outcome.status === 'unknown' && outcome.severity).toBe('warning')
    expect(outcome.status === 'unknown' && outcome.verify).toContain('mount -t nfs nfs01.example.com:/export/crash')
  })
})

describe('KD402 resolves a kdump.conf dump disk mounted elsewhere', () => {
  const UUID = '5e0c9a7d-2b41-4f6e-9d83-0a1c7b6e4f29'
  const fstab = `${fixtureText(RHEL, 'files/etc/fstab')}UUID=${UUID} /data xfs defaults 0 0\n`
  const mounts = `${fixtureText(RHEL, 'files/proc/mounts')}/dev/sdc1 /data xfs rw,seclabel,relatime,attr2,inode64,noquota 0 0\n`
  const host = (rootAvail: number, dataAvail: number | undefined, mounted = true): Edits => ({
    files: {
      '/etc/kdump.conf': `xfs UUID=${UUID}\npath /var/crash\ncore_collector makedumpfile -l --message-level 7 -d 0\n`,
      '/etc/fstab': fstab,
      '/proc/mounts': mounted ? mounts : fixtureText(RHEL, 'files/proc/mounts'),
    },
    probes: {
      df: dfOut([
        ['/dev/mapper/rhel-root', 1000 * GiB_KiB, 1000 * GiB_KiB - rootAvail, rootAvail, '/'],
        ...(dataAvail === undefined ? [] : [['/dev/sdc1', 1000 * GiB_KiB, 1000 * GiB_KiB - dataAvail, dataAvail, '/data'] as [string, number, number, number, string]]),
      ]),
    },
  })

  it('judges the space on /data, where path /var/crash lands, not on /', async () => {
    const roomyData = await judge(KD402, RHEL, host(1 * GiB_KiB, 500 * GiB_KiB))
    expect((roomyData).status).toBe('pass')
    expect(roomyData.message).toContain('/data/var/crash')
    expect((await judge(KD402, RHEL, host(500 * GiB_KiB, 1 * GiB_KiB))).status).toBe('fail')
  })

  it('never borrows the parent filesystem\'s df row when the dump disk is not mounted now', async () => {
    const outcome = await judge(KD402, RHEL, host(500 * GiB_KiB, undefined, false))
    expect(outcome.status).toBe('unknown')
    expect(outcome.message).toMatch(/not mounted now/)
  })
})

ruleTester(KD402, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The dump\'s worst case',
      evidence: ['files/etc/default/kdump-tools:37', 'files/proc/mounts:6', 'commands/df.out:4', 'commands/xl-info.out:13', 'files/proc/meminfo:1', 'files/etc/default/kdump-tools:50'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'The dump\'s worst case',
      evidence: ['files/etc/kdump.conf:177', 'files/proc/mounts:3', 'commands/df.out:5', 'files/proc/meminfo:1', 'files/etc/kdump.conf:178'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the target-debian12-small-var fixture',
      fixture: 'target-debian12-small-var',
      status: 'fail',
      severity: 'error',
      message: 'The dump with `makedumpfile -E -X -d',
      evidence: ['files/etc/default/kdump-tools:37', 'files/proc/mounts:21', 'commands/df.out:7', 'commands/xl-info.out:13', 'files/proc/meminfo:1', 'files/etc/default/kdump-tools:50'],
    },
    {
      name: 'the target-debian12-xen-unfiltered fixture',
      fixture: 'target-debian12-xen-unfiltered',
      status: 'fail',
      severity: 'error',
      message: 'The dump with `makedumpfile -E -d 0',
      evidence: ['files/etc/default/kdump-tools:37', 'files/proc/mounts:6', 'commands/df.out:4', 'commands/xl-info.out:13', 'files/etc/default/kdump-tools:51'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'warn',
      severity: 'warning',
      message: 'The dump with `makedumpfile -F -c -d',
      evidence: ['files/etc/default/kdump-tools:37', 'files/proc/mounts:6', 'commands/df.out:4', 'commands/xl-info.out:13', 'files/etc/default/kdump-tools'],
    },
    {
      name: 'the target-rhel9-crash-on-tmpfs fixture',
      fixture: 'target-rhel9-crash-on-tmpfs',
      status: 'warn',
      severity: 'warning',
      message: 'The dump with `makedumpfile -l --message-level 7',
      evidence: ['files/etc/kdump.conf:177', 'files/proc/mounts:6', 'commands/df.out:8', 'files/proc/meminfo:1', 'files/etc/kdump.conf:178'],
    },
    {
      name: 'the incident-el5xen fixture',
      fixture: 'incident-el5xen',
      status: 'unknown',
      severity: 'warning',
      message: 'All memory is 96.0 GiB and /dev/sda2',
      evidence: ['files/etc/kdump.conf', 'files/proc/mounts:2', 'commands/df.out:2', 'commands/xm-info.out:12'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'error',
      message: 'The dump plan is unknown',
      evidence: [],
    },
  ],
})
