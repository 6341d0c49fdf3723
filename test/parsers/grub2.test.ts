import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {parseGrub2, parseGrubenv} from '../../src/parsers/grub2.js'
import {CENTOS7_XEN4CENTOS, DEBIAN12_XEN, RHEL8_BLS, RHEL8_GRUBENV, XCPNG82, XENSERVER71} from './grub2-samples.js'
import {expectWellFormed, mutatedSample, neverThrows, value} from './never-throws.js'

const UUID = '0c1ae2f4-3c1d-4c7b-9d1e-5a0d6f0e7c11'

describe('parseGrub2: Debian 12 with Xen 4.17', () => {
  const cfg = value(parseGrub2(DEBIAN12_XEN))

  it('lists entries with submenu paths, ids and positions', () => {
    expect(cfg.entries.map((e) => [e.title, e.indexPath, e.isXen])).toEqual([
      ['Debian GNU/Linux', [0], false],
      ['Debian GNU/Linux, with Linux 6.1.0-18-amd64', [1, 0], false],
      ['Debian GNU/Linux, with Linux 6.1.0-18-amd64 (recovery mode)', [1, 1], false],
      ['Debian GNU/Linux, with Xen hypervisor', [2], true],
      ['Debian GNU/Linux, with Xen 4.17-amd64 and Linux 6.1.0-18-amd64', [3, 0, 0], true],
      ['Debian GNU/Linux, with Xen 4.17-amd64 and Linux 6.1.0-18-amd64 (recovery mode)', [3, 0, 1], true],
      ['UEFI Firmware Settings', [4], false],
    ])
    expect(cfg.entries[4]!.submenuPath).toEqual(['Advanced options for Debian GNU/Linux (with Xen hypervisor)', 'Xen hypervisor, version 4.17-amd64'])
    expect(cfg.entries[3]!.id).toBe(`xen-gnulinux-simple-${UUID}`)
    expect(cfg.entries[3]!.classes).toEqual(['debian', 'gnu-linux', 'gnu', 'os', 'xen'])
    expect(cfg.submenus.map((s) => [s.title, s.indexPath, s.line, s.endLine])).toEqual([
      ['Advanced options for Debian GNU/Linux', [1], 118, 139],
      ['Advanced options for Debian GNU/Linux (with Xen hypervisor)', [3], 165, 200],
      ['Xen hypervisor, version 4.17-amd64', [3, 0], 166, 199],
    ])
    // Only defined when grub_platform is efi, which grub.cfg alone cannot tell.
    expect(cfg.entries[6]!.conditional).toBe(true)
    expect(cfg.usesBls).toBe(false)
  })

  it('reads the Xen line: placeholder dropped, ${xen_rm_opts} unresolved, raw text kept', () => {
    const e = cfg.entries[3]!
    expect(e.line).toBe(144)
    expect(e.endLine).toBe(164)
    expect(e.xen).toEqual({
      path: '/boot/xen-4.17-amd64.gz',
      args: 'dom0_mem=4G,max:4G crashkernel=256M,below=4G',
      argsRaw: 'placeholder dom0_mem=4G,max:4G crashkernel=256M,below=4G ${xen_rm_opts}',
      line: 159,
      redirections: [],
      unresolvedVars: ['xen_rm_opts'],
    })
    expect(e.linux).toMatchObject({path: '/boot/vmlinuz-6.1.0-18-amd64', args: `root=UUID=${UUID} ro quiet crashkernel=384M-:128M`, line: 161})
    expect(e.linux!.argsRaw).toBe(`placeholder root=UUID=${UUID} ro  quiet crashkernel=384M-:128M`)
    expect(e.initrds.map((i) => [i.path, i.line])).toEqual([['/boot/initrd.img-6.1.0-18-amd64', 163]])
    expect(cfg.entries[5]!.xen!.args).toBe('')
  })

  it('reads plain linux/initrd entries', () => {
    const e = cfg.entries[0]!
    expect(e.xen).toBeUndefined()
    expect(e.linux).toMatchObject({path: '/boot/vmlinuz-6.1.0-18-amd64', line: 114, args: `root=UUID=${UUID} ro quiet crashkernel=384M-:128M`})
    expect(e.initrds[0]!.path).toBe('/boot/initrd.img-6.1.0-18-amd64')
  })

  it("resolves xen.cfg's title default, uncertain without a grubenv (next_entry may override it)", () => {
    expect(cfg.default).toMatchObject({value: 'Debian GNU/Linux, with Xen hypervisor', line: 19, certain: false, fellBack: false})
    expect(cfg.default.entry!.index).toBe(3)
  })

  it('is certain once the grubenv shows no next_entry', () => {
    const c = value(parseGrub2(DEBIAN12_XEN, '# GRUB Environment Block\n#####\n'))
    expect(c.default.certain).toBe(true)
    expect(c.default.entry!.title).toBe('Debian GNU/Linux, with Xen hypervisor')
  })

  it('follows a one-shot next_entry from grubenv (grub-reboot)', () => {
    const c = value(parseGrub2(DEBIAN12_XEN, `next_entry=gnulinux-advanced-${UUID}>gnulinux-6.1.0-18-amd64-advanced-${UUID}\n`))
    expect(c.default.entry!.title).toBe('Debian GNU/Linux, with Linux 6.1.0-18-amd64')
    expect(c.default.envRefs).toContain('next_entry')
  })

  it('resolves saved defaults by id path, by title path with >> escapes, and by number path', () => {
    const saved = DEBIAN12_XEN.replace('set default="Debian GNU/Linux, with Xen hypervisor"', 'set default="${saved_entry}"')
    const byId = value(parseGrub2(saved, `saved_entry=gnulinux-advanced-${UUID}>gnulinux-6.1.0-18-amd64-recovery-${UUID}\n`))
    expect(byId.default.entry!.indexPath).toEqual([1, 1])
    expect(byId.default.certain).toBe(true)
    // 10_linux and 20_linux_xen give their submenus the same id, and GRUB takes the first match:
    // an id path into the Xen submenu finds nothing there and GRUB boots entry 0 instead.
    const xenById = value(parseGrub2(saved, `saved_entry=gnulinux-advanced-${UUID}>xen-hypervisor-4.17-amd64-${UUID}>xen-gnulinux-6.1.0-18-amd64-recovery-${UUID}\n`))
    expect(xenById.default).toMatchObject({fellBack: true})
    expect(xenById.default.entry!.title).toBe('Debian GNU/Linux')
    const byTitle = value(
      parseGrub2(saved, 'saved_entry=Advanced options for Debian GNU/Linux (with Xen hypervisor)>Xen hypervisor, version 4.17-amd64>Debian GNU/Linux, with Xen 4.17-amd64 and Linux 6.1.0-18-amd64\n'),
    )
    expect(byTitle.default.entry!.indexPath).toEqual([3, 0, 0])
    const byNumber = value(parseGrub2(saved, 'saved_entry=1>1\n'))
    expect(byNumber.default.entry!.title).toBe('Debian GNU/Linux, with Linux 6.1.0-18-amd64 (recovery mode)')
    const escaped = value(parseGrub2("menuentry 'a>b' {\n linux /vmlinuz\n}\nset default='a>>b'\n"))
    expect(escaped.default.entry!.title).toBe('a>b')
  })

  it('falls back to the first entry when the default names nothing, as GRUB does', () => {
    const saved = DEBIAN12_XEN.replace('set default="Debian GNU/Linux, with Xen hypervisor"', 'set default="${saved_entry}"')
    const c = value(parseGrub2(saved, 'saved_entry=Debian GNU/Linux, with Xen 4.16\n'))
    expect(c.default).toMatchObject({value: 'Debian GNU/Linux, with Xen 4.16', fellBack: true})
    expect(c.default.entry!.index).toBe(0)
  })

  it('reports a default that names a submenu', () => {
    const c = value(parseGrub2(DEBIAN12_XEN.replace('set default="Debian GNU/Linux, with Xen hypervisor"', 'set default="1"')))
    expect(c.default.entry).toBeNull()
    expect(c.default.unresolved).toBe('default "1" names a submenu, not an entry')
  })
})

describe('parseGrub2: XenServer and XCP-ng', () => {
  it('reads XenServer 7.1: multiboot2 without placeholder, default 0', () => {
    const c = value(parseGrub2(XENSERVER71))
    expect(c.entries).toHaveLength(4)
    const d = c.default.entry!
    expect(c.default).toMatchObject({value: '0', certain: true, line: 4})
    expect(d.title).toBe('XenServer')
    expect(d.xen!.args).toBe('dom0_mem=4096M,max:4096M watchdog ucode=scan dom0_max_vcpus=1-16 crashkernel=192M,below=4G console=vga vga=mode-0x0311')
    expect(d.linux!.path).toBe('/boot/vmlinuz-4.4-xen')
    expect(d.initrds.map((i) => i.path)).toEqual(['/boot/initrd-4.4-xen.img'])
    expect(c.entries[2]!.xen!.args).toMatch(/^nosmp noreboot /)
    expect(c.timeout).toEqual({value: '5', line: 5})
  })

  it('reads XCP-ng 8.2: the grubenv override picks the fallback entry by id', () => {
    const plain = value(parseGrub2(XCPNG82))
    expect(plain.default).toMatchObject({value: '0', certain: false})
    expect(plain.default.entry!.title).toBe('XCP-ng')
    const withEnv = value(parseGrub2(XCPNG82, 'override_entry=\n'))
    expect(withEnv.default.certain).toBe(true)
    const once = value(parseGrub2(XCPNG82, 'override_entry=fallback\n'))
    expect(once.default.entry!.title).toBe('XCP-ng (Xen 4.13.5 / Linux 4.19.0+1)')
    expect(once.default.line).toBe(11)
    expect(once.default.entry!.xen!.path).toBe('/boot/xen-fallback.gz')
  })
})

describe('parseGrub2: CentOS 7 (Xen4CentOS) and RHEL 8', () => {
  it('reads multiboot/module v1 lines and flags the unescaped < that eats the crashkernel bound', () => {
    const c = value(parseGrub2(CENTOS7_XEN4CENTOS, 'saved_entry=CentOS Linux, with Xen hypervisor\n'))
    const e = c.default.entry!
    expect(e.title).toBe('CentOS Linux, with Xen hypervisor')
    expect(c.default.certain).toBe(true)
    expect(e.xen!.path).toBe('/xen-4.12.4.95.g5ac4a9b-1.el7.gz')
    expect(e.xen!.args).toBe('dom0_mem=1024M,max:1024M cpuinfo com1=115200,8n1 console=com1,tty loglvl=all guest_loglvl=all crashkernel=256M')
    expect(e.xen!.argsRaw).toContain('crashkernel=256M<4G ${xen_rm_opts}')
    expect(e.xen!.redirections).toEqual([{op: '<', target: '4G'}])
    expect(e.linux!.args).toContain('crashkernel=auto')
    expect(e.initrds.map((i) => i.path)).toEqual(['/initramfs-4.9.215-36.el7.x86_64.img'])
    expect(c.entries[0]!.linux!.path).toBe('/vmlinuz-3.10.0-1160.119.1.el7.x86_64')
    expect(c.entries[0]!.initrds[0]!.path).toBe('/initramfs-3.10.0-1160.119.1.el7.x86_64.img')
  })

  it('keeps an escaped or quoted < as text', () => {
    for (const arg of ['crashkernel=256M\\<4G', '"crashkernel=256M<4G"', "'crashkernel=256M<4G'"]) {
      const c = value(parseGrub2(`menuentry 'x' {\n multiboot2 /boot/xen.gz ${arg} noreboot\n module2 /boot/vmlinuz root=/dev/sda1\n}\n`))
      expect(c.entries[0]!.xen).toMatchObject({args: 'crashkernel=256M<4G noreboot', argsRaw: `${arg} noreboot`, redirections: []})
    }
  })

  it('cannot resolve a saved default without the grubenv', () => {
    const c = value(parseGrub2(CENTOS7_XEN4CENTOS))
    expect(c.default.entry).toBeNull()
    expect(c.default.unresolved).toBe('default needs saved_entry from grubenv, which was not given')
  })

  it('sees that RHEL 8 builds its menu from BLS snippets', () => {
    const c = value(parseGrub2(RHEL8_BLS, RHEL8_GRUBENV))
    expect(c.usesBls).toBe(true)
    expect(c.entries).toEqual([])
    expect(c.default.value).toBe('3b1ac0e4b3b04b6d9d1e0f8c2a7d5e61-4.18.0-513.24.1.el8_9.x86_64')
    expect(c.default.entry).toBeNull()
    expect(c.default.unresolved).toMatch(/blscfg/)
    expect(c.env.kernelopts).toContain('crashkernel=auto')
  })
})

describe('parseGrub2: script details', () => {
  it('does not count entries inside functions or false branches', () => {
    const c = value(parseGrub2("function f {\n menuentry 'in f' { linux /a; }\n}\nif false; then\n menuentry 'never' {\n linux /b\n }\nfi\nmenuentry 'real' {\n linux /c ro\n}\n"))
    expect(c.entries.map((e) => [e.title, e.indexPath])).toEqual([['real', [0]]])
    expect(c.entries[0]!.linux!.args).toBe('ro')
  })

  it('expands variables set at top level and from grubenv in image arguments', () => {
    const c = value(parseGrub2("set xenopts=\"dom0_mem=2G crashkernel=256M,below=4G\"\nmenuentry 'x' --id=xid {\n multiboot2 /xen.gz placeholder $xenopts ${extra}\n module2 /vmlinuz placeholder $kernelopts\n}\n", 'kernelopts=root=/dev/sda1 ro\n'))
    const e = c.entries[0]!
    expect(e.id).toBe('xid')
    expect(e.xen!.args).toBe('dom0_mem=2G crashkernel=256M,below=4G')
    expect(e.xen!.unresolvedVars).toEqual([])
    expect(e.linux!.args).toBe('root=/dev/sda1 ro')
  })

  it('reads a menuentry whose { is on the next line, and several initrd files', () => {
    const c = value(parseGrub2("menuentry 'x'\n{\n linux16 /vmlinuz ro\n initrd16 /ucode.img /initramfs.img\n}\n"))
    expect(c.entries[0]!.initrds.map((i) => i.path)).toEqual(['/ucode.img', '/initramfs.img'])
  })

  it('reports unbalanced braces', () => {
    const r = parseGrub2("menuentry 'x' {\n linux /vmlinuz\n")
    expect(r.problems.map((p) => p.message)).toContain('unclosed entry block at end of file')
    expect(value(r).entries).toHaveLength(1)
    expect(parseGrub2('}\n').problems.map((p) => p.message)).toContain('unmatched }')
  })

  it('parses grubenv blocks', () => {
    const env = value(parseGrubenv(RHEL8_GRUBENV))
    expect(env.saved_entry).toBe('3b1ac0e4b3b04b6d9d1e0f8c2a7d5e61-4.18.0-513.24.1.el8_9.x86_64')
    expect(env.boot_success).toBe('0')
  })

  it('bounds nesting on one line instead of overflowing the stack', () => {
    const r = parseGrub2("menuentry 'a' { ".repeat(3000) + '\n')
    expect(r.problems.map((p) => p.message)).toContain('too many keywords on one line; rest of the line ignored')
  })

  it('never throws', () => {
    const samples = [DEBIAN12_XEN, XENSERVER71, XCPNG82, CENTOS7_XEN4CENTOS, RHEL8_BLS]
    neverThrows(samples, (t) => parseGrub2(t), 300)
    fc.assert(
      fc.property(mutatedSample(samples), mutatedSample([RHEL8_GRUBENV, 'saved_entry=1>0\nnext_entry=\n']), (cfg, env) => {
        expectWellFormed(parseGrub2(cfg, env))
      }),
      {numRuns: 300},
    )
  })
})
