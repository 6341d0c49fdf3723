import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {parseDefaultGrub} from '../../src/parsers/default-grub.js'
import {expectWellFormed, mutatedSample, value} from './never-throws.js'
import {DEBIAN12_XEN_CFG} from './config-samples.js'

// Debian 12's /etc/default/grub as grub-pc installs it, plus the admin's Xen line.
const DEBIAN12_DEFAULT_GRUB = `# If you change this file, run 'update-grub' afterwards to update
# /boot/grub/grub.cfg.
# For full documentation of the options in this file, see:
#   info -f grub -n 'Simple configuration'

GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=\`lsb_release -i -s 2> /dev/null || echo Debian\`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""
GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=4G,max:4G crashkernel=256M,below=4G"

# If your computer has multiple operating systems installed, then you
# probably want to run os-prober. However, if your computer is a host
# for guest OSes installed via LVM or raw disk devices, running
# os-prober can cause damage to those guest OSes as it mounts
# filesystems to look for things.
#GRUB_DISABLE_OS_PROBER=false

# Uncomment to enable BadRAM filtering, modify to suit your needs
# This works with Linux (no patch required) and with any kernel that obtains
# the memory map information from GRUB (GNU Mach, kernel of FreeBSD ...)
#GRUB_BADRAM="0x01234567,0xfefefefe,0x89abcdef,0xefefefef"

# Uncomment to disable graphical terminal
#GRUB_TERMINAL=console

# Uncomment to disable generation of recovery mode menu entries
#GRUB_DISABLE_RECOVERY="true"

# Uncomment to get a beep at grub start
#GRUB_INIT_TUNE="480 440 1"
`

// kdump-tools 1:1.8.1 (Debian 12): /etc/default/grub.d/kdump-tools.cfg, verbatim.
const DEBIAN12_KDUMP_TOOLS_CFG = 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"\n'

// grub-common 2.06: /etc/default/grub.d/init-select.cfg, verbatim.
const DEBIAN12_INIT_SELECT_CFG = `# Work around a bug in the obsolete init-select package which broke
# grub-mkconfig when init-select was removed but not purged.  This file does
# nothing and will be removed in a later release.
#
# See:
#   https://bugs.debian.org/858528
#   https://bugs.debian.org/863801
`

// CentOS 7 with Xen4CentOS, Xen options added as its documentation suggests.
const CENTOS7_DEFAULT_GRUB = `GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR="$(sed 's, release .*$,,g' /etc/system-release)"
GRUB_DEFAULT=saved
GRUB_DISABLE_SUBMENU=true
GRUB_TERMINAL_OUTPUT="console"
GRUB_CMDLINE_LINUX="crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet"
GRUB_DISABLE_RECOVERY="true"
GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=1024M,max:1024M cpuinfo com1=115200,8n1 console=com1,tty loglvl=all guest_loglvl=all"
`

const DEBIAN_FILES = [
  {path: '/etc/default/grub', text: DEBIAN12_DEFAULT_GRUB},
  {path: '/etc/default/grub.d/init-select.cfg', text: DEBIAN12_INIT_SELECT_CFG},
  {path: '/etc/default/grub.d/kdump-tools.cfg', text: DEBIAN12_KDUMP_TOOLS_CFG},
  {path: '/etc/default/grub.d/xen.cfg', text: DEBIAN12_XEN_CFG},
]

describe('parseDefaultGrub', () => {
  it('combines Debian 12 files in sourcing order: kdump-tools appends to dom0, xen.cfg overrides GRUB_DEFAULT', () => {
    const r = parseDefaultGrub(DEBIAN_FILES)
    expect(r.problems).toEqual([])
    const g = value(r)
    expect(g.cmdlineLinuxDefault).toMatchObject({
      value: 'quiet crashkernel=384M-:128M',
      source: '/etc/default/grub.d/kdump-tools.cfg',
      line: 1,
      refs: ['GRUB_CMDLINE_LINUX_DEFAULT'],
    })
    expect(g.assignments.filter((a) => a.name === 'GRUB_CMDLINE_LINUX_DEFAULT').map((a) => [a.source, a.line, a.value])).toEqual([
      ['/etc/default/grub', 9, 'quiet'],
      ['/etc/default/grub.d/kdump-tools.cfg', 1, 'quiet crashkernel=384M-:128M'],
    ])
    expect(g.cmdlineXenDefault).toMatchObject({value: 'dom0_mem=4G,max:4G crashkernel=256M,below=4G', line: 11, source: '/etc/default/grub'})
    expect(g.cmdlineXen).toBeUndefined()
    expect(g.xenArgs).toBe('dom0_mem=4G,max:4G crashkernel=256M,below=4G')
    expect(g.xenRecoveryArgs).toBe('')
    expect(g.dom0Args).toBe('quiet crashkernel=384M-:128M')
    expect(g.linuxArgs).toBe('quiet crashkernel=384M-:128M')
    expect(g.grubDefault).toMatchObject({source: '/etc/default/grub.d/xen.cfg', line: 21, unevaluated: true, conditional: false})
    expect(g.commands.map((c) => [c.source, c.line])).toEqual([
      ['/etc/default/grub.d/xen.cfg', 5],
      ['/etc/default/grub.d/xen.cfg', 16],
    ])
  })

  it('uses the XEN_REPLACE variables for dom0 when set', () => {
    const g = value(
      parseDefaultGrub([
        {path: '/etc/default/grub', text: 'GRUB_CMDLINE_LINUX_DEFAULT="quiet splash"\nGRUB_CMDLINE_LINUX="console=ttyS0"\n'},
        {path: '/etc/default/grub.d/xen.cfg', text: 'GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT console=hvc0 earlyprintk=xen"\n'},
      ]),
    )
    expect(g.dom0Args).toBe('console=ttyS0 quiet splash console=hvc0 earlyprintk=xen')
    expect(g.linuxArgs).toBe('console=ttyS0 quiet splash')
    expect(g.cmdlineLinuxXenReplaceDefault!.line).toBe(1)
  })

  it('reads CentOS 7: saved default, Xen options, command substitution kept unevaluated', () => {
    const g = value(parseDefaultGrub([{path: '/etc/default/grub', text: CENTOS7_DEFAULT_GRUB}]))
    expect(g.grubDefault).toMatchObject({value: 'saved', line: 3, unevaluated: false})
    expect(g.xenArgs).toBe('dom0_mem=1024M,max:1024M cpuinfo com1=115200,8n1 console=com1,tty loglvl=all guest_loglvl=all')
    expect(g.linuxArgs).toBe('crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet')
    expect(g.vars.GRUB_DISTRIBUTOR!.unevaluated).toBe(true)
  })

  it('handles export, single quotes and a `<` that is plain text in the shell file', () => {
    const g = value(parseDefaultGrub([{path: '/etc/default/grub', text: "export GRUB_CMDLINE_XEN='crashkernel=256M\\<4G'  # escaped for grub.cfg\n"}]))
    expect(g.cmdlineXen).toMatchObject({value: 'crashkernel=256M\\<4G', exported: true, raw: "'crashkernel=256M\\<4G'"})
  })

  it('prefixes problems with the file they belong to', () => {
    const r = parseDefaultGrub([{path: '/etc/default/grub.d/broken.cfg', text: 'GRUB_CMDLINE_XEN="unterminated\n'}])
    expect(r.problems[0]).toEqual({line: 1, message: '/etc/default/grub.d/broken.cfg: unterminated double quote'})
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.array(mutatedSample([DEBIAN12_DEFAULT_GRUB, DEBIAN12_KDUMP_TOOLS_CFG, DEBIAN12_XEN_CFG, CENTOS7_DEFAULT_GRUB]), {maxLength: 4}), (texts) => {
        expectWellFormed(parseDefaultGrub(texts.map((text, i) => ({path: `/etc/default/grub.d/${i}.cfg`, text}))))
      }),
      {numRuns: 400},
    )
  })
})
