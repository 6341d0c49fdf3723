import {describe, expect, it} from 'vitest'
import KD206 from '../../src/checks/KD206-xen-only-console.js'
import {consoleSet} from '../../src/parsers/cmdline.js'
import {judge} from './rule-tester.js'

const TOOLS = 'USE_KDUMP=1\nKDUMP_KERNEL=/var/lib/kdump/vmlinuz\nKDUMP_INITRD=/var/lib/kdump/initrd.img\nKDUMP_COREDIR="/var/crash"\n'

describe('KD206 blames the console only when the console set is Xen-only (issue 11, class 4)', () => {
  it("fails dom0's own console=hvc0 earlyprintk=xen copied into the capture kernel", async () => {
    const o = await judge(KD206, 'hvc0-capture-cmdline')
    expect(o.status).toBe('fail')
  })

  it('passes a capture line that has a real serial or VGA console beside hvc0', async () => {
    // The console set of the SUSE Xen cheat sheet (fixtures/real-world/suse-xen-cheatsheet-dom0-config).
    const o = await judge(KD206, 'hvc0-capture-cmdline', {files: {'/etc/default/kdump-tools': `${TOOLS}KDUMP_CMDLINE="root=/dev/sda1 console=tty0 console=hvc0 console=ttyS0,38400 irqpoll nr_cpus=1"\n`}})
    expect(o.status).toBe('pass')
    expect(o.message).toContain('not Xen-only')
  })

  it('still fails hvc0 with nothing real beside it', async () => {
    const o = await judge(KD206, 'hvc0-capture-cmdline', {files: {'/etc/default/kdump-tools': `${TOOLS}KDUMP_CMDLINE="root=/dev/sda1 console=hvc0 irqpoll nr_cpus=1"\n`}})
    expect(o.status).toBe('fail')
  })

  it('is unknown when a quote left open tears the configuration that sets the capture line', async () => {
    const o = await judge(KD206, 'hvc0-capture-cmdline', {files: {'/etc/default/kdump-tools': `${TOOLS}KDUMP_CMDLINE="root=/dev/sda1 console=ttyS0\nKDUMP_FOO=1\n`}})
    expect(o.status).toBe('unknown')
  })
})

describe('consoleSet', () => {
  it.each([
    ['console=hvc0 earlyprintk=xen', true],
    ['console=hvc0', true],
    ['earlyprintk=xen console=xvc0', true],
    ['console=tty0 console=hvc0 console=ttyS0,38400', false],
    ['console=hvc0 console=ttyS0,115200n8', false],
    // no console= at all: the kernel gets the VGA console
    ['earlyprintk=xen root=/dev/sda1', false],
    ['root=/dev/sda1', false],
    ['', false],
  ])('%j Xen-only: %s', (line, xenOnly) => {
    expect(consoleSet(line).xenOnly).toBe(xenOnly)
  })
})
