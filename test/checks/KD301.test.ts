import {describe, expect, it} from 'vitest'
import KD301 from '../../src/checks/KD301-service-not-running.js'
import {outcome} from './snapshot-edit.js'

describe('KD301', () => {
  it('passes an active service on a Xen dom0 whose load is unproven, but says that proves nothing', async () => {
    const o = await outcome(KD301, 'pvops-xen48-unprovable')
    expect(o.status).toBe('pass')
    expect(o.message).toContain('proves nothing about a loaded capture kernel')
    expect(o.message).toContain('KD202')
  })

  it('carries no Xen caveat when the load is proven', async () => {
    const o = await outcome(KD301, 'good-pvops-debian12')
    expect(o.status).toBe('pass')
    expect(o.message).not.toContain('proves nothing')
  })

  it('passes a stopped service when the load is proven, and fails it when the load is unknown or absent', async () => {
    expect((await outcome(KD301, 'svc-loaded-by-hand-debian12')).status).toBe('pass')
    expect((await outcome(KD301, 'old-kexec-shadowing-debian12')).status).toBe('problem')
    expect((await outcome(KD301, 'svc-disabled-rhel9')).status).toBe('problem')
  })

  it('is unknown when neither the state nor the load is known', async () => {
    const o = await outcome(KD301, 'pvops-xen48-unprovable', {probes: {'systemctl-kdump': null, 'service-kdump-status': null}})
    expect(o.status).toBe('unknown')
  })

  it('reads the RHEL 5/6 init script', async () => {
    expect((await outcome(KD301, 'good-xenolinux-el5')).status).toBe('pass')
    expect((await outcome(KD301, 'incident-el5xen')).status).toBe('problem')
  })
})
