import {describe, expect, it} from 'vitest'
import KD602 from '../../src/checks/KD602-nmi-behaviour.js'
import {text} from '../helpers/fixture-edit.js'
import {judge, ruleTester} from './rule-tester.js'

async function withXenOption(option: string) {
  const xl = await text('good-pvops-debian12', {probe: 'xl-info'})
  return {probes: {'xl-info': {out: xl.replace(/^(xen_commandline\s*:.*)$/m, `$1 ${option}`), exit: 0}}}
}

describe('KD602 under Xen', () => {
  it('passes with nmi=fatal: Xen itself panics and runs the capture kernel', async () => {
    const o = await judge(KD602, 'good-pvops-debian12', await withXenOption('nmi=fatal'))
    expect(o.status).toBe('pass')
    expect(o.message).toContain('Xen takes the NMI and panics')
  })

  it('is info with nmi=ignore, whatever dom0 says', async () => {
    const edits = await withXenOption('nmi=ignore')
    const o = await judge(KD602, 'good-pvops-debian12', {...edits, files: {'/proc/sys/kernel/unknown_nmi_panic': '1\n'}})
    expect(o.status).toBe('info')
    expect(o.message).toContain('drops it')
  })

  it("forwards to dom0 by default on a release build, where dom0's sysctls decide", async () => {
    const off = await judge(KD602, 'good-pvops-debian12')
    expect(off.status).toBe('info')
    expect(off.message).toContain('debug=n')
    expect(off.message).toContain('Dazed and confused')
    const on = await judge(KD602, 'good-pvops-debian12', {files: {'/proc/sys/kernel/unknown_nmi_panic': '1\n'}})
    expect(on.status).toBe('pass')
    expect(on.message).toContain('forwards it to dom0')
  })

  it('defaults to fatal on a debug build of Xen', async () => {
    const dmesg = await text('good-pvops-debian12', {probe: 'xl-dmesg'})
    const o = await judge(KD602, 'good-pvops-debian12', {probes: {'xl-dmesg': {out: dmesg.replace(' debug=n ', ' debug=y '), exit: 0}}})
    expect(o.status).toBe('pass')
    expect(o.message).toContain('debug=y')
  })

  it('is unknown when the Xen command line is unknown', async () => {
    const o = await judge(KD602, 'good-pvops-debian12', {probes: {'xl-info': null, 'xl-dmesg': null, 'xm-info': null, 'xm-dmesg': null}})
    expect(o.status).toBe('unknown')
  })
})

describe('KD602 natively', () => {
  it('passes on unknown_nmi_panic=1 or panic_on_unrecovered_nmi=1', async () => {
    expect((await judge(KD602, 'proof-tested-rhel9')).status).toBe('pass')
    expect((await judge(KD602, 'baremetal-good-rhel9', {files: {'/proc/sys/kernel/panic_on_unrecovered_nmi': '1\n'}})).status).toBe('pass')
  })

  it('is info when only an IOCHK NMI would panic, and says so', async () => {
    const o = await judge(KD602, 'baremetal-good-rhel9', {files: {'/proc/sys/kernel/panic_on_io_nmi': '1\n'}})
    expect(o.status).toBe('info')
    expect(o.message).toContain('IOCHK')
  })

  it('is unknown when a deciding sysctl was not collected', async () => {
    expect((await judge(KD602, 'baremetal-good-rhel9', {files: {'/proc/sys/kernel/unknown_nmi_panic': null}})).status).toBe('unknown')
    expect((await judge(KD602, 'good-xenolinux-el5')).status).toBe('unknown')
  })

  it('uses the kernel default in an image, and the boot option unknown_nmi_panic on the entry it boots', async () => {
    expect((await judge(KD602, 'svc-image-not-enabled-debian12')).status).toBe('info')
    const grub = await text('svc-image-not-enabled-debian12', {file: '/boot/grub/grub.cfg'})
    const withOption = grub.replace(/(\tmodule2\t\/boot\/vmlinuz-6\.1\.0-50-amd64 [^\n]*)/, '$1 unknown_nmi_panic')
    expect(withOption).not.toBe(grub)
    const o = await judge(KD602, 'svc-image-not-enabled-debian12', {files: {'/boot/grub/grub.cfg': withOption}})
    expect(o.status).toBe('pass')
  })
})

ruleTester(KD602, {
  valid: [
    {
      name: 'the incident-el5xen fixture',
      fixture: 'incident-el5xen',
      status: 'pass',
      message: 'Xen takes the NMI and forwards it',
      evidence: ['commands/xm-info.out:23', 'commands/xm-dmesg.exit', 'files/proc/sys/kernel/unknown_nmi_panic:1', 'files/proc/sys/kernel/panic_on_unrecovered_nmi:1', 'files/proc/sys/kernel/panic_on_io_nmi'],
    },
    {
      name: 'the proof-tested-rhel9 fixture',
      fixture: 'proof-tested-rhel9',
      status: 'pass',
      message: 'An NMI from the BMC goes straight',
      evidence: ['files/proc/sys/kernel/unknown_nmi_panic:1', 'files/proc/sys/kernel/panic_on_unrecovered_nmi:1', 'files/proc/sys/kernel/panic_on_io_nmi:1'],
    },
    {name: 'the pv-domu fixture', fixture: 'pv-domu', status: 'n/a', message: 'An NMI from the BMC reaches the', evidence: []},
  ],
  invalid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'info',
      severity: 'info',
      message: 'Xen takes the NMI and forwards it',
      evidence: ['commands/xl-info.out:28', 'commands/xl-dmesg.exit', 'files/proc/sys/kernel/unknown_nmi_panic:1', 'files/proc/sys/kernel/panic_on_unrecovered_nmi:1', 'files/proc/sys/kernel/panic_on_io_nmi:1'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'info',
      severity: 'info',
      message: 'An NMI from the BMC goes straight',
      evidence: ['files/proc/sys/kernel/unknown_nmi_panic:1', 'files/proc/sys/kernel/panic_on_unrecovered_nmi:1', 'files/proc/sys/kernel/panic_on_io_nmi:1'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'unknown',
      severity: 'info',
      message: 'Xen takes the NMI and forwards it',
      evidence: ['commands/xm-dmesg.out:13', 'commands/xm-dmesg.exit', 'files/proc/sys/kernel/unknown_nmi_panic:1', 'files/proc/sys/kernel/panic_on_unrecovered_nmi', 'files/proc/sys/kernel/panic_on_io_nmi'],
    },
  ],
})
