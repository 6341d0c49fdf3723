import {describe, expect, it} from 'vitest'
import KD301 from '../../src/checks/KD301-service-not-running.js'
import {judge, ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

describe('KD301', () => {
  it('passes an active service on a Xen dom0 whose load is unproven, but says that proves nothing', async () => {
    const o = await judge(KD301, 'pvops-xen48-unprovable')
    expect(o.status).toBe('pass')
    expect(o.message).toContain('proves nothing about a loaded capture kernel')
    expect(o.message).toContain('KD202')
  })

  it('carries no Xen caveat when the load is proven', async () => {
    const o = await judge(KD301, 'good-pvops-debian12')
    expect(o.status).toBe('pass')
    expect(o.message).not.toContain('proves nothing')
  })

  it('passes a stopped service when the load is proven, and fails it when the load is unknown or absent', async () => {
    expect((await judge(KD301, 'svc-loaded-by-hand-debian12')).status).toBe('pass')
    expect((await judge(KD301, 'old-kexec-shadowing-debian12')).status).toBe('fail')
    expect((await judge(KD301, 'svc-disabled-rhel9')).status).toBe('fail')
  })

  it('is unknown when neither the state nor the load is known', async () => {
    const o = await judge(KD301, 'pvops-xen48-unprovable', {probes: {'systemctl-kdump': null, 'service-kdump-status': null}})
    expect(o.status).toBe('unknown')
  })

  it('reads the RHEL 5/6 init script', async () => {
    expect((await judge(KD301, 'good-xenolinux-el5')).status).toBe('pass')
    expect((await judge(KD301, 'incident-el5xen')).status).toBe('fail')
  })
})

ruleTester(KD301, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'kdump-tools is running',
      evidence: ['commands/systemctl-kdump.out:8', 'commands/kexec-status.exit'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: 'kdump is running',
      evidence: ['commands/service-kdump-status.out:1', 'files/sys/kernel/kexec_crash_loaded:1', 'commands/kexec-version.out:1'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'fail',
      severity: 'error',
      message: 'kdump is not running and no capture',
      evidence: ['commands/systemctl-kdump.out:1', 'files/sys/kernel/kexec_crash_loaded:1'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'fail',
      severity: 'error',
      message: 'kdump-tools is not running and no capture',
      evidence: ['commands/systemctl-kdump.out:8', 'commands/kexec-status.exit', 'commands/xl-info.out:22'],
    },
  ],
})
