import {describe, expect, it} from 'vitest'
import {parseXlDmesg, type XlDmesg} from '../../src/parsers/xl-dmesg.js'
import {neverThrows} from './never-throws.js'

// Lab scenario B (Xen 4.17.7, crashkernel=256M,below=4G): the first 24 hypervisor lines, verbatim.
const LAB_B_HEAD = `(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1) (pkg-xen-devel@lists.alioth.debian.org) (x86_64-linux-gnu-gcc (Debian 12.2.0-14+deb12u1) 12.2.0) debug=n Wed Nov  4 16:52:28 UTC 2026
(XEN) build-id: 151b373fd64b321593bf987fd923cd10dabadac4
(XEN) Bootloader: qemu
(XEN) Command line: console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all noreboot crashkernel=256M,below=4G 
(XEN) Xen image load base address: 0
(XEN) Video information:
(XEN)  No VGA detected
(XEN) Disc information:
(XEN)  Found 0 MBR signatures
(XEN)  Found 1 EDD information structures
(XEN) CPU Vendor: AMD, Family 15 (0xf), Model 107 (0x6b), Stepping 1 (raw 00060fb1)
(XEN) Xen-e820 RAM map:
(XEN)  [0000000000000000, 000000000009fbff] (usable)
(XEN)  [000000000009fc00, 000000000009ffff] (reserved)
(XEN)  [00000000000f0000, 00000000000fffff] (reserved)
(XEN)  [0000000000100000, 000000007ffdcfff] (usable)
(XEN)  [000000007ffdd000, 000000007fffffff] (reserved)
(XEN)  [00000000fffc0000, 00000000ffffffff] (reserved)
(XEN)  [000000fd00000000, 000000ffffffffff] (reserved)
(XEN) New Xen image base address: 0x7f800000
(XEN) Kdump: 256MB (262144kB) at 0x69d07000
(XEN) System RAM: 2047MB (2096624kB)
(XEN) ACPI: RSDP 000F59C0, 0014 (r0 BOCHS )
(XEN) ACPI: RSDT 7FFE1B3F, 0034 (r1 BOCHS  BXPC            1 BXPC        1)
`

// Lab scenario A (no crashkernel=, noreboot): the last 63 hypervisor lines only, as a wrapped ring
// would keep them; it ends with the crash that halted the host.
const LAB_A_TAIL = `(XEN) Brought up 2 CPUs
(XEN) Scheduling granularity: cpu, 1 CPU per sched-resource
(XEN) Initializing Credit2 scheduler
(XEN)  load_precision_shift: 18
(XEN)  load_window_shift: 30
(XEN)  underload_balance_tolerance: 0
(XEN)  overload_balance_tolerance: -3
(XEN)  runqueues arrangement: socket
(XEN)  cap enforcement granularity: 10ms
(XEN) load tracking window length 1073741824 ns
(XEN) Adding cpu 0 to runqueue 0
(XEN)  First cpu on runqueue, activating
(XEN) Adding cpu 1 to runqueue 0
(XEN) mcheck_poll: Machine check polling timer started.
(XEN) mtrr: your CPUs had inconsistent fixed MTRR settings
(XEN) mtrr: your CPUs had inconsistent variable MTRR settings
(XEN) mtrr: your CPUs had inconsistent MTRRdefType settings
(XEN) mtrr: probably your BIOS does not setup all CPUs.
(XEN) mtrr: corrected configuration.
(XEN) MTRR default type: write-back
(XEN) MTRR fixed ranges enabled:
(XEN)   00000-9ffff write-back
(XEN)   a0000-bffff uncachable
(XEN)   c0000-fffff write-protect
(XEN) MTRR variable ranges enabled:
(XEN)   0 base 0080000000 mask ff80000000 uncachable
(XEN)   1 disabled
(XEN)   2 disabled
(XEN)   3 disabled
(XEN)   4 disabled
(XEN)   5 disabled
(XEN)   6 disabled
(XEN)   7 disabled
(XEN) NX (Execute Disable) protection active
(XEN) d0 has maximum 416 PIRQs
(XEN) *** Building a PV Dom0 ***
(XEN)  Xen  kernel: 64-bit, lsb
(XEN)  Dom0 kernel: 64-bit, PAE, lsb, paddr 0x1000000 -> 0x4a00000
(XEN) PHYSICAL MEMORY ARRANGEMENT:
(XEN)  Dom0 alloc.:   0000000070000000->0000000078000000 (94591 pages to be allocated)
(XEN)  Init. ramdisk: 000000007eb7f000->000000007f9ff28d
(XEN) VIRTUAL MEMORY ARRANGEMENT:
(XEN)  Loaded kernel: ffffffff81000000->ffffffff84a00000
(XEN)  Phys-Mach map: 0000008000000000->0000008000100000
(XEN)  Start info:    ffffffff84a00000->ffffffff84a004b8
(XEN)  Page tables:   ffffffff84a01000->ffffffff84a2a000
(XEN)  Boot stack:    ffffffff84a2a000->ffffffff84a2b000
(XEN)  TOTAL:         ffffffff80000000->ffffffff84c00000
(XEN)  ENTRY ADDRESS: ffffffff830791c0
(XEN) Dom0 has maximum 2 VCPUs
(XEN) Initial low memory virq threshold set at 0x4000 pages.
(XEN) Scrubbing Free RAM in background
(XEN) Std. Loglevel: All
(XEN) Guest Loglevel: All
(XEN) *** Serial input to DOM0 (type 'CTRL-a' three times to switch input)
(XEN) Freed 656kB init memory
(XEN) PCI add device 0000:00:00.0
(XEN) PCI add device 0000:00:01.0
(XEN) PCI add device 0000:00:01.1
(XEN) PCI add device 0000:00:01.3
(XEN) PCI add device 0000:00:02.0
(XEN) PCI add device 0000:00:03.0
(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting.
`

// A Xen 4.17 ring with console_timestamps=boot: the figlet banner is written without a prefix.
const XEN417_TIMESTAMPED = String.raw` __  __            _  _    _ _____  _____
 \ \/ /___ _ __   | || |  / |___  ||___ /    _ __  _ __ ___
  \  // _ \ '_ \  | || |_ | |  / /   |_ \ __| '_ \| '__/ _ \
  /  \  __/ | | | |__   _|| | / /_  ___) |__| |_) | | |  __/
 /_/\_\___|_| |_|    |_|(_)_|/_/(_)|____/   | .__/|_|  \___|
                                            |_|
(XEN) [    0.000000] Xen version 4.17.3-pre (Debian 4.17.2+76-ge1f9cb16e2-1~deb12u1) (pkg-xen-devel@lists.alioth.debian.org) (x86_64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0) debug=n Thu Jan 25 10:39:29 UTC 2024
(XEN) [    0.000000] Bootloader: GRUB 2.06-13+deb12u1
(XEN) [    0.000000] Command line: placeholder dom0_mem=4G,max:4G crashkernel=256M<4G
(XEN) [    0.000000] Xen image load base address: 0
(XEN) [    0.000000] Kdump: DISABLED (failed to reserve 256MB (262144kB) at 0)
(XEN) [    0.000000] System RAM: 65398MB (66967992kB)
`

// RHEL 5.11 `xm dmesg` (Xen 3.1.2): same banner style, Kdump printed with 0x%lx.
const RHEL5_XM_DMESG = String.raw` __  __            _____  _   ____    _  _    ___   __     _  ____
 \ \/ /___ _ __   |___ / / | |___ \  | || |  / _ \ / /_   | || ___|
  \  // _ \ '_ \    |_ \ | |   __) | | || |_| | | | '_ \  | ||___ \
  /  \  __/ | | |  ___) || |_ / __/  |__   _| |_| | (_) | | | ___) |
 /_/\_\___|_| |_| |____(_)_(_)_____|    |_|  \___/ \___/  |_||____/

(XEN) Xen version 3.1.2-406.el5 (mockbuild@redhat.com) (gcc version 4.1.2 20080704 (Red Hat 4.1.2-55)) Fri May 29 11:37:05 EDT 2015
(XEN) Latest ChangeSet: unavailable
(XEN) Command line: dom0_mem=1024M crashkernel=128M@16M
(XEN) Video information:
(XEN)  VGA is text mode 80x25, font 8x16
(XEN) Disc information:
(XEN)  Found 1 MBR signatures
(XEN)  Found 1 EDD information structures
(XEN) Xen-e820 RAM map:
(XEN)  0000000000000000 - 000000000009f000 (usable)
(XEN)  0000000000100000 - 00000003fff70000 (usable)
(XEN) Kdump: 128MB (131072kB) at 0x1000000
(XEN) System RAM: 16373MB (16766348kB)
`

// Xen 4.8/4.9 with the 4.10-only ,below= form: the option is reported, the size still reserved.
const XEN48_BELOW = `(XEN) Xen version 4.8.5 (Debian 4.8.5+shim4.10.2+xsa282-1+deb9u11) (ian.jackson@eu.citrix.com) (gcc (Debian 6.3.0-18+deb9u1) 6.3.0 20170516) debug=n  Fri Jan 17 10:05:20 UTC 2020
(XEN) Bootloader: GRUB 2.02~beta3-5+deb9u2
(XEN) Command line: placeholder dom0_mem=2G,max:2G crashkernel=256M,below=4G
(XEN) crashkernel: ',below=4G' ignored
(XEN) parameter "placeholder" unknown!
(XEN) Kdump: 256MB (262144kB) at 0x2f000000
`

function dmesg(text: string): XlDmesg {
  const result = parseXlDmesg(text)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '))
  return result.value
}

describe('parseXlDmesg', () => {
  it('reads the lab boot: version, command line, reserved region, RAM, not wrapped', () => {
    const lab = dmesg(LAB_B_HEAD)
    expect(lab.version?.version).toEqual({major: 4, minor: 17, extra: '.7', patch: 7, text: '4.17.7'})
    expect(lab.version?.debug).toBe(false)
    expect(lab.version?.line).toBe(1)
    expect(lab.commandLine).toMatchObject({line: 4, value: 'console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all noreboot crashkernel=256M,below=4G'})
    expect(lab.kdump).toEqual({line: 21, text: 'Kdump: 256MB (262144kB) at 0x69d07000', status: 'reserved', sizeMiB: 256, sizeKiB: 262144, start: 0x69d07000n})
    expect(lab.systemRamKiB).toBe(2096624)
    expect(lab.asciiBanner).toBe(false)
    expect(lab.bootStartSeen).toBe(true)
    expect(lab.wrapped).toBe(false)
    expect(lab.lineCount).toBe(24)
  })

  it('calls a log without its boot start wrapped, and finds no Kdump line in it', () => {
    const tail = dmesg(LAB_A_TAIL)
    expect(tail.wrapped).toBe(true)
    expect(tail.version).toBeUndefined()
    expect(tail.kdump).toBeUndefined()
    expect(tail.lineCount).toBe(63)
  })

  it('strips timestamps, sees the banner and reads a DISABLED reservation', () => {
    const ts = dmesg(XEN417_TIMESTAMPED)
    expect(ts.asciiBanner).toBe(true)
    expect(ts.wrapped).toBe(false)
    expect(ts.version?.version.text).toBe('4.17.3-pre')
    expect(ts.version?.line).toBe(7)
    expect(ts.commandLine?.value).toBe('placeholder dom0_mem=4G,max:4G crashkernel=256M<4G')
    expect(ts.kdump).toMatchObject({status: 'disabled', sizeMiB: 256, sizeKiB: 262144, start: 0n, line: 11})
    expect(ts.systemRamKiB).toBe(66967992)
  })

  it('accepts other timestamp styles', () => {
    const dated = dmesg('(XEN) [2024-01-30 10:49:37.123] Command line: noreboot\n(XEN) [2024-01-30 10:49:37] Kdump: 64MB (65536kB) at 0x2000000\n')
    expect(dated.commandLine?.value).toBe('noreboot')
    expect(dated.kdump?.start).toBe(0x2000000n)
  })

  it('reads an old Xen 3.1 xm dmesg', () => {
    const old = dmesg(RHEL5_XM_DMESG)
    expect(old.version?.version).toMatchObject({major: 3, minor: 1, extra: '.2-406.el5'})
    expect(old.version?.debug).toBeUndefined()
    expect(old.commandLine?.value).toBe('dom0_mem=1024M crashkernel=128M@16M')
    expect(old.kdump).toMatchObject({status: 'reserved', sizeMiB: 128, start: 0x1000000n})
    expect(old.asciiBanner).toBe(true)
    expect(old.wrapped).toBe(false)
  })

  it('collects crashkernel warnings, ignored options and parameter complaints', () => {
    const w = dmesg(XEN48_BELOW)
    expect(w.crashkernelWarnings).toEqual([{line: 4, text: "crashkernel: ',below=4G' ignored"}])
    expect(w.ignored.map((l) => l.line)).toEqual([4])
    expect(w.parameterWarnings).toEqual([{line: 5, text: 'parameter "placeholder" unknown!'}])
    expect(w.kdump?.sizeMiB).toBe(256)
  })

  it('ignores dom0 lines in a mixed console capture', () => {
    const mixed = dmesg('(XEN) Xen version 4.17.7 (x) debug=y\n[    0.000000] Command line: console=hvc0 crashkernel=256M\n(XEN) Command line: noreboot\n')
    expect(mixed.commandLine).toMatchObject({line: 3, value: 'noreboot'})
    expect(mixed.version?.debug).toBe(true)
  })

  it('treats an empty log as wrapped, with a problem', () => {
    const result = parseXlDmesg('')
    expect(result.ok && result.value.wrapped).toBe(true)
    expect(result.problems).toEqual([{message: 'empty log: nothing can be concluded from it'}])
  })

  it('never throws', () => {
    neverThrows([LAB_B_HEAD, LAB_A_TAIL, XEN417_TIMESTAMPED, RHEL5_XM_DMESG, XEN48_BELOW], parseXlDmesg)
  })
})
