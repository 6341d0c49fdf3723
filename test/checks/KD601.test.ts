import {describe, expect, it} from 'vitest'
import KD601, {describeSysrq, keyboardCrashAllowed} from '../../src/checks/KD601-keyboard-sysrq-masked.js'
import {text} from '../helpers/fixture-edit.js'
import {judge, ruleTester} from './rule-tester.js'

describe('kernel.sysrq arithmetic', () => {
  it("allows 'c' only for 1 or a mask with the debugging-dumps bit 0x8", () => {
    expect(keyboardCrashAllowed(1)).toBe(true)
    expect(keyboardCrashAllowed(0)).toBe(false)
    // RHEL's default (sync only) and Debian's/systemd's 0x01b6 both lack 0x8.
    expect(keyboardCrashAllowed(16)).toBe(false)
    expect(keyboardCrashAllowed(438)).toBe(false)
    // 0x80 is reboot/poweroff, not crash: sysrq_crash_op carries SYSRQ_ENABLE_DUMP.
    expect(keyboardCrashAllowed(128)).toBe(false)
    expect(keyboardCrashAllowed(8)).toBe(true)
    expect(keyboardCrashAllowed(24)).toBe(true)
    expect(keyboardCrashAllowed(446)).toBe(true)
    expect(keyboardCrashAllowed(-1)).toBe(false)
  })

  it('names the groups a mask enables', () => {
    expect(describeSysrq(16)).toBe('only sync')
    expect(describeSysrq(0x1b6)).toBe('only console log level, keyboard control (SAK, unraw), sync, remount read-only, reboot/poweroff, nicing RT tasks')
    expect(describeSysrq(1)).toBe('every SysRq function enabled')
    expect(describeSysrq(0)).toBe('every SysRq function disabled')
  })
})

describe('KD601 on hosts', () => {
  it('passes with kernel.sysrq=1 and with a mask that includes 0x8', async () => {
    expect((await judge(KD601, 'good-pvops-debian12', {files: {'/proc/sys/kernel/sysrq': '1\n'}})).status).toBe('pass')
    expect((await judge(KD601, 'good-pvops-debian12', {files: {'/proc/sys/kernel/sysrq': '446\n'}})).status).toBe('pass')
  })

  it("is info on Debian's 438 and says the proc trigger ignores the mask", async () => {
    const o = await judge(KD601, 'good-pvops-debian12')
    expect(o.status).toBe('info')
    expect(o.message).toContain('kernel.sysrq=438 (0x1b6)')
    expect(o.message).toContain('/proc/sysrq-trigger')
    expect(o.message).toContain('ignores the mask')
  })

  it('passes when sysrq_always_enabled is on the running kernel line, whatever the mask', async () => {
    const cmdline = await text('baremetal-good-rhel9', {file: '/proc/cmdline'})
    const o = await judge(KD601, 'baremetal-good-rhel9', {files: {'/proc/cmdline': `${cmdline.trim()} sysrq_always_enabled\n`}})
    expect(o.status).toBe('pass')
    expect((await judge(KD601, 'baremetal-good-rhel9')).status).toBe('info')
  })

  it('reads a hex value from an image sysctl file, else the kernel build default', async () => {
    const image = await judge(KD601, 'svc-image-not-enabled-debian12')
    expect(image.status).toBe('info')
    expect(image.message).toContain('CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE')
    const set = await judge(KD601, 'svc-image-not-enabled-debian12', {files: {'/etc/sysctl.d/90-sysrq.conf': 'kernel.sysrq = 0x1be\n'}})
    expect(set.status).toBe('pass')
    expect(set.message).toContain('kernel.sysrq=0x1be (446)')
  })

  it('is unknown, never pass, when the live value was not collected', async () => {
    const o = await judge(KD601, 'good-pvops-debian12', {files: {'/proc/sys/kernel/sysrq': null}})
    expect(o.status).toBe('unknown')
  })
})

ruleTester(KD601, {
  valid: [
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: 'kernel.sysrq=1',
      evidence: ['files/proc/sys/kernel/sysrq:1'],
    },
    {name: 'the pv-domu fixture', fixture: 'pv-domu', status: 'n/a', message: 'A PV domU is dumped from dom0', evidence: []},
  ],
  invalid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'info',
      severity: 'info',
      message: 'kernel.sysrq=438',
      evidence: ['files/proc/sys/kernel/sysrq:1'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'info',
      severity: 'info',
      message: 'kernel.sysrq=16',
      evidence: ['files/proc/sys/kernel/sysrq:1'],
    },
    {
      name: 'the image-xenserver65-extlinux fixture',
      fixture: 'image-xenserver65-extlinux',
      status: 'unknown',
      severity: 'info',
      message: 'kernel.sysrq is unknown',
      evidence: [],
    },
  ],
})
