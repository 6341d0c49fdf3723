import {describe, expect, it} from 'vitest'
import KD300 from '../../src/checks/KD300-service-not-enabled.js'
import {outcome} from './snapshot-edit.js'

const NO_ENABLEMENT = {'systemctl-kdump': null, 'chkconfig-kdump': null, 'ls-services': null}

describe('KD300', () => {
  it('is an error on an image and on a live host with nothing loaded', async () => {
    const image = await outcome(KD300, 'svc-image-not-enabled-debian12')
    expect(image).toMatchObject({status: 'problem'})
    expect(image.status === 'problem' && image.severity).toBeFalsy()
    const live = await outcome(KD300, 'svc-disabled-rhel9')
    expect(live.status === 'problem' && live.severity).toBeFalsy()
  })

  it('is only a warning while a capture kernel is proven loaded', async () => {
    const o = await outcome(KD300, 'svc-loaded-by-hand-debian12')
    expect(o).toMatchObject({status: 'problem', severity: 'warning'})
    expect(o.message).toContain('next reboot')
  })

  it('does not take an unprovable load as proof: a disabled service on pvops Xen 4.8 stays an error', async () => {
    const o = await outcome(KD300, 'pvops-xen48-unprovable', {
      probes: {'systemctl-kdump': {out: 'Result=success\nId=kdump-tools.service\nLoadState=loaded\nActiveState=active\nSubState=exited\nUnitFileState=disabled\n', exit: 0}},
    })
    expect(o.status).toBe('problem')
    expect(o.status === 'problem' && o.severity).toBeFalsy()
  })

  it('is unknown without enablement evidence, at warning severity when the load is proven', async () => {
    expect(await outcome(KD300, 'good-pvops-debian12', {probes: NO_ENABLEMENT})).toMatchObject({status: 'unknown', severity: 'warning'})
    expect(await outcome(KD300, 'xen417-nothing-loaded', {probes: NO_ENABLEMENT})).toMatchObject({status: 'unknown', severity: 'error'})
  })

  it('reads RHEL 5/6 chkconfig', async () => {
    expect((await outcome(KD300, 'good-xenolinux-el5')).status).toBe('pass')
    expect((await outcome(KD300, 'incident-el5xen')).status).toBe('problem')
  })

  it('is n/a in a PV domU', async () => {
    expect((await outcome(KD300, 'pv-domu')).status).toBe('n/a')
  })
})
