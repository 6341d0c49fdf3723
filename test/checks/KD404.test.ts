/** KD404: memory filesystems under the dump directory, live or at the next boot. */
import {describe, expect, it} from 'vitest'
import KD404 from '../../src/checks/KD404-target-on-tmpfs.js'
import {fixtureText} from '../helpers/fixture-edit.js'
import {judge, ruleTester} from './rule-tester.js'

const RHEL = 'baremetal-good-rhel9'
const DEB = 'good-pvops-debian12'

describe('KD404', () => {
  it('fails /var/crash that only /etc/fstab makes tmpfs (the next boot mounts it)', async () => {
    const outcome = await judge(KD404, RHEL, {files: {'/etc/fstab': `${fixtureText(RHEL, 'files/etc/fstab')}tmpfs /var/crash tmpfs defaults,size=2G 0 0\n`}})
    expect((outcome).status).toBe('fail')
    expect(outcome.message).toContain('/etc/fstab')
  })

  it('fails a live ramfs mount of the parent directory', async () => {
    const outcome = await judge(KD404, RHEL, {files: {'/proc/mounts': `${fixtureText(RHEL, 'files/proc/mounts')}none /var ramfs rw,relatime 0 0\n`}})
    expect((outcome).status).toBe('fail')
    expect(outcome.message).toContain('/var is ramfs in /proc/mounts')
  })

  it('fails a Debian KDUMP_COREDIR under /run', async () => {
    expect((await judge(KD404, DEB, {files: {'/etc/default/kdump-tools': 'USE_KDUMP=1\nKDUMP_COREDIR="/run/crash"\n'}})).status).toBe('fail')
  })

  it('passes a disk filesystem, naming both tables', async () => {
    const outcome = await judge(KD404, RHEL)
    expect(outcome.status).toBe('pass')
    expect(outcome.message).toContain('xfs at / (/proc/mounts, /etc/fstab)')
  })

  it('does not apply to NFS', async () => {
    expect((await judge(KD404, RHEL, {files: {'/etc/kdump.conf': 'nfs nas1:/srv/crash\n'}})).status).toBe('n/a')
  })

  it('is unknown without mount tables', async () => {
    expect((await judge(KD404, RHEL, {files: {'/proc/mounts': null, '/etc/fstab': null}, probes: {df: null}})).status).toBe('unknown')
  })
})

ruleTester(KD404, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The dump directory /var/crash is not on',
      evidence: ['files/etc/default/kdump-tools:37', 'files/proc/mounts:6', 'files/etc/fstab:12'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'The dump directory /var/crash is not on',
      evidence: ['files/etc/kdump.conf:177', 'files/proc/mounts:3', 'files/etc/fstab:1'],
    },
    {
      name: 'the svc-kdumpconf-invalid-rhel9 fixture',
      fixture: 'svc-kdumpconf-invalid-rhel9',
      status: 'n/a',
      message: 'The dump does not go to a',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the image-el5-xen-grub-legacy fixture',
      fixture: 'image-el5-xen-grub-legacy',
      status: 'fail',
      severity: 'error',
      message: 'The dump directory /dev/shm/crash is on a',
      evidence: ['files/etc/kdump.conf:11', 'files/etc/fstab:3'],
    },
    {
      name: 'the target-rhel9-crash-on-tmpfs fixture',
      fixture: 'target-rhel9-crash-on-tmpfs',
      status: 'fail',
      severity: 'error',
      message: 'The dump directory /var/crash is on a',
      evidence: ['files/etc/kdump.conf:177', 'files/proc/mounts:6', 'files/etc/fstab:6'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'error',
      message: 'The dump target is unknown',
      evidence: [],
    },
  ],
})
