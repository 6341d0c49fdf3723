/** KD403: which collectors keep every page (and, on Xen without -X, every guest's memory). */
import {describe, expect, it} from 'vitest'
import KD403 from '../../src/checks/KD403-collector-unfiltered.js'
import {judge, ruleTester} from './rule-tester.js'

const XEN = 'good-pvops-debian12'
const RHEL = 'baremetal-good-rhel9'
const kdumpTools = (args: string): Record<string, string> => ({
  '/etc/default/kdump-tools': `USE_KDUMP=1\nKDUMP_COREDIR="/var/crash"\nMAKEDUMP_ARGS="${args}"\n`,
})
const kdumpConf = (collector: string): Record<string, string> => ({'/etc/kdump.conf': `path /var/crash\ncore_collector ${collector}\n`})

describe('KD403 on a Xen dom0', () => {
  it.each([
    ['-c', 'warn'],
    ['-E -d 0', 'warn'],
    ['-c -d0', 'warn'],
    ['-E -X -d 0', 'pass'],
    ['-E -X', 'pass'],
    ['-c -d 31', 'pass'],
    ['-X -d 31 -i /var/lib/kdump/vmcoreinfo', 'pass'],
  ])('MAKEDUMP_ARGS="%s" is %s', async (args, status) => {
    expect((await judge(KD403, XEN, {files: kdumpTools(args)})).status).toBe(status)
  })

  it('gives the whole machine as the expected size when nothing filters', async () => {
    const outcome = await judge(KD403, XEN, {files: kdumpTools('-E -d 0')})
    expect(outcome.message).toContain('256 GiB')
    expect(outcome.message).toContain('no -X')
  })

  it('still says that -d without -X keeps the guests whole', async () => {
    const outcome = await judge(KD403, XEN, {files: kdumpTools('-c -d 31')})
    expect(outcome.message).toMatch(/guests' memory is still dumped whole/)
  })
})

describe('KD403 natively', () => {
  it.each([
    ['makedumpfile -l --message-level 7', 'warn'],
    ['makedumpfile -l --message-level 7 -d 0', 'warn'],
    ['cp --sparse=always', 'warn'],
    ['makedumpfile -l --message-level 7 -d 31', 'pass'],
    ['makedumpfile -c -d 1', 'pass'],
    ['/usr/local/sbin/save-vmcore --fast', 'unknown'],
  ])('core_collector %s is %s', async (collector, status) => {
    expect((await judge(KD403, RHEL, {files: kdumpConf(collector)})).status).toBe(status)
  })

  it('reports the kernel\'s own memory (MemTotal) natively', async () => {
    const outcome = await judge(KD403, RHEL, {files: kdumpConf('makedumpfile -l')})
    expect(outcome.message).toContain('31.1 GiB')
    expect(outcome.message).not.toMatch(/guest/)
  })
})

ruleTester(KD403, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: '`makedumpfile -E -X -d 0 -F` drops',
      evidence: ['files/etc/default/kdump-tools:50'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: '`makedumpfile -l --message-level 7 -d 31` filters',
      evidence: ['files/etc/kdump.conf:178'],
    },
    {
      name: 'the image-xenserver65-extlinux fixture',
      fixture: 'image-xenserver65-extlinux',
      status: 'n/a',
      message: 'XenServer\'s capture side does not run a',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the target-debian12-xen-unfiltered fixture',
      fixture: 'target-debian12-xen-unfiltered',
      status: 'warn',
      severity: 'warning',
      message: '`makedumpfile -E -d 0 -F` uses -d',
      evidence: ['files/etc/default/kdump-tools:51', 'commands/xl-info.out:13'],
    },
    {
      name: 'the incident-el5xen fixture',
      fixture: 'incident-el5xen',
      status: 'unknown',
      severity: 'warning',
      message: 'The dump collector is unknown',
      evidence: ['files/etc/kdump.conf'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'warning',
      message: 'The dump collector is unknown',
      evidence: [],
    },
  ],
})
