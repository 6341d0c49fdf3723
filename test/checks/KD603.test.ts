import {describe, expect, it} from 'vitest'
import KD603 from '../../src/checks/KD603-distro-status-disagrees.js'
import {judge, ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

const NOT_READY = {out: 'current state   : Not ready to kdump\n', exit: 0}

describe('KD603 on a Xen dom0', () => {
  it('explains the pvops sysfs false negative when kexec -S proves the load', async () => {
    const o = await judge(KD603, 'good-pvops-debian12')
    expect(o.status).toBe('info')
    expect(o.message).toContain('pvops false negative')
    expect(o.message).toContain('/sys/kernel/kexec_crash_loaded')
    expect(o.message).toContain('always does')
    expect(o.evidence.map((e) => e.source)).toContain('commands/kdump-config-status.out')
  })

  it('does not call a "not ready" a false negative when our own view cannot prove the load', async () => {
    const o = await judge(KD603, 'pvops-xen48-unprovable')
    expect(o.status).toBe('info')
    expect(o.message).not.toContain('false negative')
    expect(o.message).toContain('no evidence either way')
  })

  it('explains a "ready" from a pvops dom0 whose Xen holds nothing: the image is in dom0\'s own kernel', async () => {
    const o = await judge(KD603, 'xen417-nothing-loaded', {
      files: {'/sys/kernel/kexec_crash_loaded': '1\n'},
      probes: {'kdump-config-status': {out: 'current state   : ready to kdump\n', exit: 0}},
    })
    expect(o.status).toBe('info')
    expect(o.message).toContain("dom0's own kernel")
  })

  it("trusts a xenolinux dom0's sysfs while its kexec-tools still load through the kernel", async () => {
    expect((await judge(KD603, 'good-xenolinux-el5')).status).toBe('pass')
  })
})

describe('KD603 natively', () => {
  it('passes when kdumpctl agrees', async () => {
    expect((await judge(KD603, 'baremetal-good-rhel9')).status).toBe('pass')
    expect((await judge(KD603, 'baremetal-bad-rhel8')).status).toBe('pass')
  })

  it('flags a service that is active without a loaded image', async () => {
    const o = await judge(KD603, 'svc-disabled-rhel9', {
      probes: {
        'service-kdump-status': {
          out: '● kdump.service - Crash recovery kernel arming\n     Loaded: loaded (/usr/lib/systemd/system/kdump.service; enabled; preset: enabled)\n     Active: active (exited) since Mon 2026-04-13 08:02:41 CEST; 2 weeks 1 day ago\n',
          err: 'Redirecting to /bin/systemctl status kdump.service\n',
          exit: 0,
        },
      },
    })
    expect(o.status).toBe('info')
    expect(o.message).toContain('active (exited)')
    expect(o.message).toContain('Agreeing')
  })

  it('says when the distribution reports a load this report does not see, and the reverse', async () => {
    const missed = await judge(KD603, 'baremetal-good-rhel9', {probes: {'kdumpctl-status': {err: 'kdump: Kdump is not operational\n', exit: 3}}})
    expect(missed.status).toBe('info')
    expect(missed.message).toContain('moments apart')
    const extra = await judge(KD603, 'svc-disabled-rhel9', {probes: {'kdumpctl-status': {err: 'kdump: Kdump is operational\n', exit: 0}}})
    expect(extra.status).toBe('info')
  })

  it("flags kdump-config's exit status 0 even when its words agree", async () => {
    const o = await judge(KD603, 'xen417-nothing-loaded', {probes: {'kdump-config-status': NOT_READY}})
    expect(o.status).toBe('info')
    expect(o.message).toContain('exits 0')
  })

  it('is n/a without a status probe that gave a verdict', async () => {
    const none = {'kdumpctl-status': null, 'kdump-config-status': null, 'service-kdump-status': null}
    expect((await judge(KD603, 'baremetal-good-rhel9', {probes: none})).status).toBe('n/a')
    expect((await judge(KD603, 'kexec-missing-debian12')).status).toBe('n/a')
  })
})

ruleTester(KD603, {
  valid: [
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'The distribution\'s own status agrees with this',
      evidence: ['commands/kdumpctl-status.err:1', 'commands/kdumpctl-status.exit', 'commands/service-kdump-status.out:3', 'commands/service-kdump-status.exit'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: 'The distribution\'s own status agrees with this',
      evidence: ['commands/service-kdump-status.out:1', 'commands/service-kdump-status.exit'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'info',
      severity: 'info',
      message: 'The distribution\'s own status differs from this',
      evidence: ['commands/kdump-config-status.out:1', 'commands/kdump-config-status.exit', 'commands/kexec-status.exit'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'info',
      severity: 'info',
      message: 'The distribution\'s own status differs from this',
      evidence: ['commands/kdump-config-status.out:1', 'commands/kdump-config-status.exit'],
    },
  ],
})
