/** KD404: memory filesystems under the dump directory, live or at the next boot. */
import {describe, expect, it} from 'vitest'
import KD404 from '../../src/checks/KD404-target-on-tmpfs.js'
import {fixtureText, judge, statusOf} from './target-support.js'

const RHEL = 'baremetal-good-rhel9'
const DEB = 'good-pvops-debian12'

describe('KD404', () => {
  it('fails /var/crash that only /etc/fstab makes tmpfs (the next boot mounts it)', async () => {
    const outcome = await judge(KD404, RHEL, {files: {'/etc/fstab': `${fixtureText(RHEL, 'files/etc/fstab')}tmpfs /var/crash tmpfs defaults,size=2G 0 0\n`}})
    expect(statusOf(outcome, KD404)).toBe('fail')
    expect(outcome.message).toContain('/etc/fstab')
  })

  it('fails a live ramfs mount of the parent directory', async () => {
    const outcome = await judge(KD404, RHEL, {files: {'/proc/mounts': `${fixtureText(RHEL, 'files/proc/mounts')}none /var ramfs rw,relatime 0 0\n`}})
    expect(statusOf(outcome, KD404)).toBe('fail')
    expect(outcome.message).toContain('/var is ramfs in /proc/mounts')
  })

  it('fails a Debian KDUMP_COREDIR under /run', async () => {
    expect(statusOf(await judge(KD404, DEB, {files: {'/etc/default/kdump-tools': 'USE_KDUMP=1\nKDUMP_COREDIR="/run/crash"\n'}}), KD404)).toBe('fail')
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
