/** KD400: the one-line destination, info when it shares the root filesystem. */
import {describe, expect, it} from 'vitest'
import KD400 from '../../src/checks/KD400-dump-destination.js'
import {fixtureText} from '../helpers/fixture-edit.js'
import {judge, ruleTester} from './rule-tester.js'

const RHEL = 'baremetal-good-rhel9'

describe('KD400', () => {
  it('is info for /var/crash on /, naming target, filesystem and collector', async () => {
    const outcome = await judge(KD400, RHEL)
    expect((outcome).status).toBe('info')
    expect(outcome.message).toContain('/var/crash on /dev/mapper/rhel-root (xfs, mounted at /)')
    expect(outcome.message).toContain('makedumpfile -l --message-level 7 -d 31')
  })

  it('passes a dump disk mounted elsewhere', async () => {
    const uuid = '5e0c9a7d-2b41-4f6e-9d83-0a1c7b6e4f29'
    const outcome = await judge(KD400, RHEL, {
      files: {'/etc/kdump.conf': `xfs UUID=${uuid}\npath /var/crash\n`, '/etc/fstab': `${fixtureText(RHEL, 'files/etc/fstab')}UUID=${uuid} /data xfs defaults 0 0\n`},
    })
    expect(outcome.status).toBe('pass')
    expect(outcome.message).toContain('/data/var/crash')
  })

  it('passes a remote target and says whose default collector runs', async () => {
    const outcome = await judge(KD400, RHEL, {files: {'/etc/kdump.conf': 'ssh kdump@dumps.example.com\n'}})
    expect(outcome.status).toBe('pass')
    expect(outcome.message).toContain('ssh kdump@dumps.example.com:/var/crash')
    expect(outcome.message).toContain('makedumpfile -F -l --message-level 7 -d 31` (kdump.conf default')
  })

  it('is unknown without a kdump configuration', async () => {
    expect((await judge(KD400, 'kexec-missing-debian12')).status).toBe('unknown')
  })
})

ruleTester(KD400, {
  valid: [
    {
      name: 'the image-el5-xen-grub-legacy fixture',
      fixture: 'image-el5-xen-grub-legacy',
      status: 'pass',
      message: 'The vmcore goes to local path /dev/shm/crash',
      evidence: ['files/etc/kdump.conf:11', 'files/etc/fstab:3', 'files/etc/kdump.conf:12'],
    },
    {
      name: 'the svc-kdumpconf-invalid-rhel9 fixture',
      fixture: 'svc-kdumpconf-invalid-rhel9',
      status: 'pass',
      message: 'The vmcore goes to ssh kdump@backup01.corp.example.com',
      evidence: ['files/etc/kdump.conf:173', 'files/etc/kdump.conf:179', 'files/etc/kdump.conf:178'],
    },
  ],
  invalid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'info',
      severity: 'info',
      message: 'The vmcore goes to local path /var/crash',
      evidence: ['files/etc/default/kdump-tools:37', 'files/proc/mounts:6', 'files/etc/default/kdump-tools:50'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'info',
      severity: 'info',
      message: 'The vmcore goes to local path /var/crash',
      evidence: ['files/etc/kdump.conf:177', 'files/proc/mounts:3', 'files/etc/kdump.conf:178'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'info',
      message: 'Where a dump would go is unknown',
      evidence: [],
    },
  ],
})
