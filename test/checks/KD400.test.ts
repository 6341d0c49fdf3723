/** KD400: the one-line destination, info when it shares the root filesystem. */
import {describe, expect, it} from 'vitest'
import KD400 from '../../src/checks/KD400-dump-destination.js'
import {fixtureText, judge, statusOf} from './target-support.js'

const RHEL = 'baremetal-good-rhel9'

describe('KD400', () => {
  it('is info for /var/crash on /, naming target, filesystem and collector', async () => {
    const outcome = await judge(KD400, RHEL)
    expect(statusOf(outcome, KD400)).toBe('info')
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
