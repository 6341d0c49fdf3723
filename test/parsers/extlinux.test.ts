import {describe, expect, it} from 'vitest'
import {parseExtlinux} from '../../src/parsers/extlinux.js'
import {neverThrows, value} from './never-throws.js'

// XenServer 6.2 /boot/extlinux.conf as the installer writes it.
const XENSERVER62 = `# location mbr
serial 0 115200
default xe
prompt 1
timeout 50

label xe
  # XenServer
  kernel mboot.c32
  append /boot/xen.gz dom0_mem=752M,max:752M watchdog_timeout=300 lowmem_emergency_pool=1M crashkernel=64M@32M cpuid_mask_xsave_eax=0 console=vga vga=mode-0x0311 --- /boot/vmlinuz-2.6-xen root=LABEL=root-vgdtvvie ro xencons=hvc console=hvc0 console=tty0 quiet vga=785 splash --- /boot/initrd-2.6-xen.img

label xe-serial
  # XenServer (Serial)
  kernel mboot.c32
  append /boot/xen.gz com1=115200,8n1 console=com1,vga dom0_mem=752M,max:752M watchdog_timeout=300 lowmem_emergency_pool=1M crashkernel=64M@32M cpuid_mask_xsave_eax=0 --- /boot/vmlinuz-2.6-xen root=LABEL=root-vgdtvvie ro console=tty0 xencons=hvc console=hvc0 --- /boot/initrd-2.6-xen.img

label safe
  # XenServer in Safe Mode
  kernel mboot.c32
  append /boot/xen.gz nosmp noreboot noirqbalance acpi=off noapic dom0_mem=752M,max:752M com1=115200,8n1 console=com1,vga --- /boot/vmlinuz-2.6-xen nousb root=LABEL=root-vgdtvvie ro console=tty0 xencons=hvc console=hvc0 --- /boot/initrd-2.6-xen.img

label fallback
  # XenServer (Xen 4.1.5 / Linux 2.6.32.43-0.4.1.xs1.8.0.853.170791xen)
  kernel mboot.c32
  append /boot/xen-4.1.5.gz dom0_mem=752M,max:752M watchdog_timeout=300 lowmem_emergency_pool=1M crashkernel=64M@32M --- /boot/vmlinuz-2.6.32.43-0.4.1.xs1.8.0.853.170791xen root=LABEL=root-vgdtvvie ro xencons=hvc console=hvc0 console=tty0 --- /boot/initrd-2.6.32.43-0.4.1.xs1.8.0.853.170791xen.img
`

// A menu-driven extlinux.conf with plain Linux entries (menu.c32, MENU DEFAULT, global APPEND).
const MENU_LINUX = `UI menu.c32
PROMPT 0
TIMEOUT 30
DEFAULT old
APPEND root=/dev/sda1 ro

LABEL old
    MENU LABEL Linux 4.19 (old)
    LINUX /boot/vmlinuz-4.19.0-26-amd64
    INITRD /boot/initrd.img-4.19.0-26-amd64

LABEL new
    MENU LABEL Linux 6.1
    MENU DEFAULT
    LINUX /boot/vmlinuz-6.1.0-18-amd64
    APPEND root=/dev/sda1 ro quiet crashkernel=256M initrd=/boot/initrd.img-6.1.0-18-amd64
TEXT HELP
    label inside help text is not a label
ENDTEXT
`

describe('parseExtlinux', () => {
  it('reads XenServer 6.2: Xen line, dom0 line and initrd from the mboot.c32 append', () => {
    const c = value(parseExtlinux(XENSERVER62))
    expect(c.entries.map((e) => [e.label, e.title, e.isXen])).toEqual([
      ['xe', 'XenServer', true],
      ['xe-serial', 'XenServer (Serial)', true],
      ['safe', 'XenServer in Safe Mode', true],
      ['fallback', 'XenServer (Xen 4.1.5 / Linux 2.6.32.43-0.4.1.xs1.8.0.853.170791xen)', true],
    ])
    const xe = c.default.entry!
    expect(c.default).toMatchObject({source: 'default', raw: 'xe', line: 3})
    expect(xe.label).toBe('xe')
    expect(xe.line).toBe(7)
    expect(xe.xen).toEqual({
      path: '/boot/xen.gz',
      args: 'dom0_mem=752M,max:752M watchdog_timeout=300 lowmem_emergency_pool=1M crashkernel=64M@32M cpuid_mask_xsave_eax=0 console=vga vga=mode-0x0311',
      argsRaw: 'dom0_mem=752M,max:752M watchdog_timeout=300 lowmem_emergency_pool=1M crashkernel=64M@32M cpuid_mask_xsave_eax=0 console=vga vga=mode-0x0311',
      line: 10,
    })
    expect(xe.linux).toMatchObject({path: '/boot/vmlinuz-2.6-xen', args: 'root=LABEL=root-vgdtvvie ro xencons=hvc console=hvc0 console=tty0 quiet vga=785 splash', line: 10})
    expect(xe.initrds.map((i) => i.path)).toEqual(['/boot/initrd-2.6-xen.img'])
    expect(xe.kernel!.path).toBe('mboot.c32')
    expect(c.timeout).toEqual({tenths: 50, line: 5})
    expect(c.entries[2]!.xen!.args).toContain('noreboot')
    expect(c.entries[3]!.xen!.path).toBe('/boot/xen-4.1.5.gz')
  })

  it('reads the brief one-line form with three parts', () => {
    const c = value(
      parseExtlinux(
        'default xe\nlabel xe\nkernel mboot.c32\nappend /boot/xen.gz dom0_mem=752M lowmem_emergency_pool=1M crashkernel=64M@32M console=com1 --- /boot/vmlinuz-2.6-xen root=LABEL=root-abc ro console=tty0 --- /boot/initrd-2.6-xen.img\n',
      ),
    )
    const e = c.default.entry!
    expect(e.xen!.args).toBe('dom0_mem=752M lowmem_emergency_pool=1M crashkernel=64M@32M console=com1')
    expect(e.linux!.args).toBe('root=LABEL=root-abc ro console=tty0')
    expect(e.initrds[0]!.path).toBe('/boot/initrd-2.6-xen.img')
  })

  it('prefers MENU DEFAULT under a menu UI, applies the global APPEND, reads initrd= and INITRD', () => {
    const c = value(parseExtlinux(MENU_LINUX))
    expect(c.default.source).toBe('menu default')
    expect(c.default.entry!.label).toBe('new')
    expect(c.entries).toHaveLength(2)
    const [old, neu] = c.entries
    expect(old!.title).toBe('Linux 4.19 (old)')
    expect(old!.linux).toMatchObject({path: '/boot/vmlinuz-4.19.0-26-amd64', args: 'root=/dev/sda1 ro', line: 5})
    expect(old!.initrds.map((i) => [i.path, i.line])).toEqual([['/boot/initrd.img-4.19.0-26-amd64', 10]])
    expect(neu!.isXen).toBe(false)
    expect(neu!.linux!.args).toContain('crashkernel=256M')
    expect(neu!.initrds.map((i) => i.path)).toEqual(['/boot/initrd.img-6.1.0-18-amd64'])
    expect(c.ui).toEqual({value: 'menu.c32', line: 1})
  })

  it('uses ONTIMEOUT before DEFAULT and reports a default naming no label', () => {
    const c = value(parseExtlinux('default a\nontimeout b\nlabel a\nkernel /a\nlabel b\nkernel /b\n'))
    expect(c.default).toMatchObject({source: 'ontimeout', raw: 'b'})
    const r = parseExtlinux('default vmlinuz root=/dev/sda1\nlabel a\nkernel /a\n')
    expect(value(r).default).toMatchObject({source: 'default', entry: null, unresolved: 'default "vmlinuz root=/dev/sda1" names no label'})
    expect(r.problems).toHaveLength(1)
    expect(value(parseExtlinux('# empty\n')).default).toEqual({source: 'none', entry: null, unresolved: 'no labels'})
  })

  it('treats a stray carriage return inside a line as text (found by fuzzing)', () => {
    const c = value(parseExtlinux('label a\r b\nkernel /vmlinuz\n'))
    expect(c.entries[0]!.label).toBe('a\r b')
    expect(value(parseExtlinux('\u0000\t\u0000\r\u0000')).entries).toEqual([])
  })

  it('never throws', () => {
    neverThrows([XENSERVER62, MENU_LINUX], (t) => parseExtlinux(t))
  })
})
