/** KD406: which makedumpfile command lines can process a Xen vmcore (no dom0 VMCOREINFO in it). */
import {describe, expect, it} from 'vitest'
import KD406 from '../../src/checks/KD406-collector-cannot-read-xen-vmcore.js'
import {judge, ruleTester} from './rule-tester.js'

const XEN = 'good-pvops-debian12'
const kdumpTools = (line: string): Record<string, string> => ({'/etc/default/kdump-tools': `USE_KDUMP=1\nKDUMP_COREDIR="/var/crash"\n${line}\n`})

describe('KD406 -d / -X / -x / -i combinations on a pvops dom0', () => {
  it.each([
    ['MAKEDUMP_ARGS="-c -d 31"', 'fail'],
    ['MAKEDUMP_ARGS="-E -X -d 31"', 'fail'],
    ['MAKEDUMP_ARGS="-c -d 2"', 'fail'],
    ['MAKEDUMP_ARGS="-c -d 1,31"', 'fail'],
    ['MAKEDUMP_ARGS="-c --message-level 7 -d31"', 'fail'],
    ['MAKEDUMP_ARGS="-E -X -d 0"', 'pass'],
    ['MAKEDUMP_ARGS="-E -X"', 'pass'],
    ['MAKEDUMP_ARGS="-c -d 1"', 'pass'],
    ['MAKEDUMP_ARGS="-c -d 31 -i /var/lib/kdump/vmcoreinfo-6.1.0-50-amd64"', 'pass'],
    ['MAKEDUMP_ARGS="-c -d 31 -x /usr/lib/debug/boot/vmlinux-6.1.0-50-amd64"', 'pass'],
    ['#MAKEDUMP_ARGS="-c -d 31"', 'fail'],
  ])('%s is %s', async (line, status) => {
    expect((await judge(KD406, XEN, {files: kdumpTools(line)})).status).toBe(status)
  })

  it('names the Debian 0-byte "[ ok ]" and the lab for the kdump-tools default', async () => {
    const outcome = await judge(KD406, XEN, {files: kdumpTools('')})
    expect(outcome.status).toBe('fail')
    expect(outcome.message).toContain("/proc/vmcore doesn't contain vmcoreinfo.")
    expect(outcome.message).toContain('0-byte')
    expect(outcome.message).toContain('kdump-tools default')
    expect(outcome.message).toMatch(/Seen in the lab on a pvops dom0/)
  })
})

describe('KD406 elsewhere', () => {
  it('fails a RHEL xenolinux dom0 with -d 31 as inferred, with its failure action', async () => {
    const outcome = await judge(KD406, 'good-xenolinux-el5', {files: {'/etc/kdump.conf': 'path /var/crash\ncore_collector makedumpfile -c --message-level 1 -d 31\ndefault shell\n'}})
    expect((outcome).status).toBe('fail')
    expect(outcome.message).toMatch(/xenolinux dom0 the failure is inferred/)
    expect(outcome.message).toContain('failure action (shell)')
  })

  it('passes a plain copy on Xen', async () => {
    expect((await judge(KD406, 'good-xenolinux-el5', {files: {'/etc/kdump.conf': 'path /var/crash\ncore_collector cp --sparse=always\n'}})).status).toBe('pass')
  })

  it('is n/a off Xen even with -d 31', async () => {
    expect((await judge(KD406, 'baremetal-good-rhel9')).status).toBe('n/a')
  })

  it('is n/a on XenServer, whose capture side is not makedumpfile', async () => {
    expect((await judge(KD406, 'xenserver-8')).status).toBe('n/a')
  })

  it('is unknown (an error) on a dom0 with no kdump configuration at all', async () => {
    const outcome = await judge(KD406, 'kexec-missing-debian12')
    expect(outcome.status).toBe('unknown')
    expect(outcome.status === 'unknown' && (outcome.severity ?? KD406.meta.severity)).toBe('error')
  })
})

ruleTester(KD406, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: '`makedumpfile -E -X -d 0 -F` filters',
      evidence: ['files/etc/default/kdump-tools:50'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: '`makedumpfile -c -X --message-level 1` filters no',
      evidence: ['files/etc/kdump.conf:64'],
    },
    {name: 'the aftercrash-rhel9-shell fixture', fixture: 'aftercrash-rhel9-shell', status: 'n/a', message: 'Not a Xen PV dom0', evidence: []},
  ],
  invalid: [
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'fail',
      severity: 'error',
      message: '`makedumpfile -F -c -d 31`',
      evidence: ['files/etc/default/kdump-tools', 'files/proc/xen/capabilities:1'],
    },
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'fail',
      severity: 'error',
      message: '`makedumpfile -F -c -d 31`',
      evidence: ['files/etc/default/kdump-tools', 'files/boot/grub/grub.cfg:19'],
    },
    {
      name: 'the incident-el5xen fixture',
      fixture: 'incident-el5xen',
      status: 'unknown',
      severity: 'error',
      message: 'The dump collector is unknown',
      evidence: ['files/etc/kdump.conf'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'error',
      message: 'The dump collector is unknown',
      evidence: [],
    },
  ],
})
