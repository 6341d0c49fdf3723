import {describe, expect, it} from 'vitest'
import KD302 from '../../src/checks/KD302-kdump-config-invalid.js'
import {judge, ruleTester} from './rule-tester.js'

describe('KD302', () => {
  it('lists every problem with its line as evidence', async () => {
    const o = await judge(KD302, 'svc-kdumpconf-invalid-rhel9')
    expect(o.status).toBe('fail')
    expect(o.message).toContain('more than one dump target')
    expect(o.message).toContain("'path' repeats")
    expect(o.evidence.map((e) => e.line).sort()).toEqual([173, 179])
  })

  it('flags an ssh target that is not user@host and an unknown action', async () => {
    const o = await judge(KD302, 'baremetal-good-rhel9', {files: {'/etc/kdump.conf': 'ssh backup01.example.com\nsshkey /root/.ssh/kdump_id_rsa\nfailure_action reboot_now\n'}})
    expect(o.status).toBe('fail')
    expect(o.message).toContain('not user@host')
    expect(o.message).toContain('reboot_now')
  })

  it('is unknown, never pass, when a RHEL host has no kdump.conf in the snapshot', async () => {
    expect((await judge(KD302, 'baremetal-good-rhel9', {files: {'/etc/kdump.conf': null}})).status).toBe('unknown')
    const none = await judge(KD302, 'baremetal-good-rhel9', {files: {'/etc/kdump.conf': null, '/etc/sysconfig/kdump': null}})
    expect(none.status).toBe('unknown')
  })

  it('is unknown when the file exists but could not be read', async () => {
    const o = await judge(KD302, 'kexec-missing-debian12', {errors: ['/etc/default/kdump-tools: could not be read: Permission denied']})
    expect(o.status).toBe('unknown')
  })

  it('is n/a on a non-RHEL host with no kdump configuration at all', async () => {
    expect((await judge(KD302, 'kexec-missing-debian12')).status).toBe('n/a')
  })
})

ruleTester(KD302, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: '/etc/default/kdump-tools has nothing the kdump service would',
      evidence: ['files/etc/default/kdump-tools'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: '/etc/kdump.conf has nothing the kdump service would',
      evidence: ['files/etc/kdump.conf'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'n/a',
      message: 'No kdump configuration exists on this host',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the svc-kdumpconf-invalid-rhel9 fixture',
      fixture: 'svc-kdumpconf-invalid-rhel9',
      status: 'fail',
      severity: 'error',
      message: '/etc/kdump.conf has 2 problems the kdump service',
      evidence: ['files/etc/kdump.conf:179', 'files/etc/kdump.conf:173'],
    },
  ],
})
