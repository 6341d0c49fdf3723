import {describe, expect, it} from 'vitest'
import {
  allValues,
  has,
  lastToken,
  lastValue,
  parseCmdline,
  stripImagePath,
  xenBoolean,
  xenNoReboot,
  type Cmdline,
} from '../../src/parsers/cmdline.js'
import {neverThrows} from './never-throws.js'

// Lab scenario B: `xl info` xen_commandline (note the trailing space QEMU's -append left there).
const LAB_XEN = 'console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all noreboot crashkernel=256M,below=4G '
// Lab scenario C: dom0's /proc/cmdline with crashkernel= on the wrong (Linux) line.
const LAB_DOM0_C = 'console=hvc0 earlyprintk=xen crashkernel=256M lab=C \n'
// Lab scenario B: the capture kernel's command line as kexec-tools built it.
const LAB_CAPTURE =
  'console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 irqpoll nr_cpus=1 reset_devices no_timer_check lab=crash elfcorehdr=1995148K kexec_jump_back_entry=0x0000000069d08041'
const RHEL7_PROC_CMDLINE =
  'BOOT_IMAGE=/vmlinuz-3.10.0-1160.el7.x86_64 root=/dev/mapper/rhel-root ro crashkernel=auto rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet LANG=en_US.UTF-8\n'
const RHEL5_GRUB_XEN = '/xen.gz-2.6.18-406.el5 dom0_mem=1024M crashkernel=128M@16M'
const RHEL5_GRUB_DOM0 = '/vmlinuz-2.6.18-406.el5xen ro root=/dev/VolGroup00/LogVol00 rhgb quiet'
const DEBIAN12_XEN = 'placeholder dom0_mem=2G,max:2G dom0_max_vcpus=2 dom0_vcpus_pin crashkernel=256M,below=4G'
const XENSERVER8_XEN =
  'dom0_mem=4304M,max:4304M watchdog ucode=scan dom0_max_vcpus=1-16 crashkernel=256M,below=4G console=vga vga=mode-0x0311'

function parse(text: string, dialect: 'linux' | 'xen' = 'linux'): Cmdline {
  const result = parseCmdline(text, dialect)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '))
  return result.value
}

describe('parseCmdline (Linux)', () => {
  it('tokenises the lab dom0 line with keys, values, raw text and offsets', () => {
    const line = parse(LAB_DOM0_C)
    expect(line.tokens.map((t) => t.raw)).toEqual(['console=hvc0', 'earlyprintk=xen', 'crashkernel=256M', 'lab=C'])
    expect(line.tokens[2]).toEqual({key: 'crashkernel', value: '256M', raw: 'crashkernel=256M', offset: 29})
    expect(lastValue(line, 'crashkernel')).toBe('256M')
  })

  it('keeps values with commas and a boolean flag without value', () => {
    const line = parse(LAB_CAPTURE)
    expect(lastValue(line, 'earlyprintk')).toBe('serial,ttyS0,115200')
    expect(lastToken(line, 'irqpoll')).toMatchObject({key: 'irqpoll', value: undefined})
    expect(has(line, 'reset_devices')).toBe(true)
    expect(has(line, 'noreboot')).toBe(false)
    expect(lastValue(line, 'elfcorehdr')).toBe('1995148K')
  })

  it('splits on tabs and newlines and keeps RHEL7 crashkernel=auto', () => {
    const line = parse('ro\troot=/dev/sda1\n  crashkernel=auto\n')
    expect(line.tokens.map((t) => t.key)).toEqual(['ro', 'root', 'crashkernel'])
    expect(parse(RHEL7_PROC_CMDLINE).tokens[0]).toMatchObject({key: 'BOOT_IMAGE', value: '/vmlinuz-3.10.0-1160.el7.x86_64'})
    expect(lastValue(parse(RHEL7_PROC_CMDLINE), 'crashkernel')).toBe('auto')
    expect(allValues(parse(RHEL7_PROC_CMDLINE), 'rd.lvm.lv')).toEqual(['rhel/root', 'rhel/swap'])
  })

  it('handles quoted values and whole quoted tokens like next_arg()', () => {
    const line = parse('dyndbg="file drivers/usb/* +p" "acpi_osi=Windows 2009" quiet')
    expect(line.tokens).toHaveLength(3)
    expect(line.tokens[0]).toMatchObject({key: 'dyndbg', value: 'file drivers/usb/* +p', raw: 'dyndbg="file drivers/usb/* +p"', offset: 0})
    expect(line.tokens[1]).toMatchObject({key: 'acpi_osi', value: 'Windows 2009', offset: 31})
    expect(line.tokens[2]).toMatchObject({key: 'quiet', offset: 55})
  })

  it('takes the last occurrence and lists all of them', () => {
    const line = parse('console=tty0 console=ttyS0,115200n8 crashkernel=128M crashkernel=256M')
    expect(lastValue(line, 'crashkernel')).toBe('256M')
    expect(allValues(line, 'console')).toEqual(['tty0', 'ttyS0,115200n8'])
  })

  it("moves everything after a bare '--' to init's arguments", () => {
    const line = parse('root=/dev/sda1 ro -- single crashkernel=64M')
    expect(line.tokens.map((t) => t.key)).toEqual(['root', 'ro'])
    expect(line.separator?.offset).toBe(18)
    expect(line.afterSeparator.map((t) => t.raw)).toEqual(['single', 'crashkernel=64M'])
    expect(has(line, 'crashkernel')).toBe(false)
  })

  it('reports an unterminated quote but still tokenises', () => {
    const result = parseCmdline('foo="bar baz')
    expect(result.ok).toBe(true)
    expect(result.problems[0]?.message).toMatch(/unterminated double quote/)
    if (result.ok) expect(result.value.tokens).toEqual([{key: 'foo', value: 'bar baz', raw: 'foo="bar baz', offset: 0}])
  })

  it('returns no tokens for an empty line', () => {
    expect(parse('').tokens).toEqual([])
    expect(parse(' \n').tokens).toEqual([])
  })
})

describe('parseCmdline (Xen)', () => {
  it('tokenises the lab Xen line and finds noreboot', () => {
    const line = parse(LAB_XEN, 'xen')
    expect(line.tokens).toHaveLength(7)
    expect(lastValue(line, 'dom0_mem')).toBe('512M,max:512M')
    expect(lastValue(line, 'crashkernel')).toBe('256M,below=4G')
    expect(xenNoReboot(line)).toEqual({noreboot: true, cause: {key: 'noreboot', value: undefined, raw: 'noreboot', offset: 80}})
  })

  it('takes quotes literally and says so', () => {
    const result = parseCmdline('crashkernel="256M,below=4G" x', 'xen')
    expect(result.ok && result.value.tokens[0]?.value).toBe('"256M,below=4G"')
    expect(result.problems[0]?.message).toMatch(/does not interpret quotes/)
  })

  it("moves options after ' -- ' to dom0", () => {
    const line = parse('dom0_mem=1G -- console=hvc0', 'xen')
    expect(line.tokens.map((t) => t.key)).toEqual(['dom0_mem'])
    expect(line.afterSeparator.map((t) => t.raw)).toEqual(['console=hvc0'])
  })

  it('keeps Debian placeholder and XenServer options as ordinary tokens', () => {
    expect(parse(DEBIAN12_XEN, 'xen').tokens[0]).toMatchObject({key: 'placeholder', value: undefined, offset: 0})
    expect(lastValue(parse(XENSERVER8_XEN, 'xen'), 'crashkernel')).toBe('256M,below=4G')
    expect(xenNoReboot(parse(XENSERVER8_XEN, 'xen'))).toEqual({noreboot: false})
  })
})

describe('xenNoReboot and xenBoolean', () => {
  const cases: [string, boolean, string | undefined][] = [
    ['noreboot', true, 'noreboot'],
    ['reboot=no', true, 'reboot=no'],
    ['reboot=n', true, 'reboot=n'],
    ['reboot=warm,no', true, 'reboot=warm,no'],
    ['reboot=warm', false, undefined],
    ['reboot=acpi', false, undefined],
    ['noreboot noreboot=0', false, 'noreboot=0'],
    ['noreboot no-noreboot', false, 'no-noreboot'],
    ['noreboot=false reboot=no', true, 'reboot=no'],
    ['noreboot=maybe', false, undefined],
    ['noreboot=yes', true, 'noreboot=yes'],
  ]
  it.each(cases)('%s → noreboot=%s', (text, expected, cause) => {
    const result = xenNoReboot(parse(text, 'xen'))
    expect(result.noreboot).toBe(expected)
    expect(result.cause?.raw).toBe(cause)
  })

  it('replays Xen boolean options in order', () => {
    expect(xenBoolean(parse('watchdog', 'xen'), 'watchdog')?.value).toBe(true)
    expect(xenBoolean(parse('watchdog no-watchdog', 'xen'), 'watchdog')?.value).toBe(false)
    expect(xenBoolean(parse('watchdog=off', 'xen'), 'watchdog')).toMatchObject({value: false, token: {raw: 'watchdog=off'}})
    expect(xenBoolean(parse('dom0_mem=1G', 'xen'), 'watchdog')).toBeUndefined()
  })
})

describe('stripImagePath', () => {
  it('splits off grub legacy image paths (RHEL5 xen + el5xen dom0)', () => {
    expect(stripImagePath(RHEL5_GRUB_XEN)).toEqual({image: '/xen.gz-2.6.18-406.el5', rest: 'dom0_mem=1024M crashkernel=128M@16M', restOffset: 23})
    const dom0 = stripImagePath(RHEL5_GRUB_DOM0)
    expect(dom0.image).toBe('/vmlinuz-2.6.18-406.el5xen')
    expect(parse(dom0.rest).tokens.map((t) => t.key)).toEqual(['ro', 'root', 'rhgb', 'quiet'])
  })

  it('recognises device and variable prefixes and leaves plain lines alone', () => {
    expect(stripImagePath('(hd0,0)/xen.gz dom0_mem=512M').image).toBe('(hd0,0)/xen.gz')
    expect(stripImagePath('${rel_dirname}/xen-4.17-amd64.gz placeholder').rest).toBe('placeholder')
    expect(stripImagePath('/boot/xen.gz')).toEqual({image: '/boot/xen.gz', rest: '', restOffset: 12})
    expect(stripImagePath('dom0_mem=1G noreboot')).toEqual({rest: 'dom0_mem=1G noreboot', restOffset: 0})
    expect(stripImagePath('placeholder dom0_mem=1G').image).toBeUndefined()
  })
})

describe('parseCmdline properties', () => {
  const samples = [LAB_XEN, LAB_DOM0_C, LAB_CAPTURE, RHEL7_PROC_CMDLINE, RHEL5_GRUB_XEN, DEBIAN12_XEN, XENSERVER8_XEN, 'a="b c" "d=e f" -- g']
  it('never throws, in either dialect', () => {
    neverThrows(samples, (text) => parseCmdline(text, 'linux'))
    neverThrows(samples, (text) => parseCmdline(text, 'xen'))
  })

  it('Linux token offsets always point at their raw text', () => {
    neverThrows(samples, (text) => {
      const result = parseCmdline(text)
      if (result.ok) for (const token of result.value.tokens) expect(text.slice(token.offset, token.offset + token.raw.length)).toBe(token.raw)
      return result
    })
  })
})
