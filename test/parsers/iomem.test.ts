import {describe, expect, it} from 'vitest'
import {findIomem, iomemSize, parseIomem, type Iomem} from '../../src/parsers/iomem.js'
import {neverThrows} from './never-throws.js'

// Lab scenario B: a pvops dom0 (Linux 6.1 on Xen 4.17) with a capture kernel loaded in Xen, and no
// crash line at all: dom0's /proc/iomem knows nothing of Xen's region.
const LAB_PVOPS_DOM0 = `00000000-00000fff : Reserved
00001000-0009efff : System RAM
0009f000-0009fbff : RAM buffer
0009fc00-000fffff : Reserved
  000a0000-000bffff : PCI Bus 0000:00
  000f0000-000fffff : System ROM
00100000-20060fff : System RAM
  01000000-01e01d31 : Kernel code
  02000000-028eafff : Kernel rodata
  02a00000-02c4897f : Kernel data
  03310000-043fffff : Kernel bss
20061000-23ffffff : RAM buffer
7ffdd000-7fffffff : Reserved
80000000-febfffff : PCI Bus 0000:00
  feb80000-febbffff : 0000:00:02.0
  febc0000-febdffff : 0000:00:02.0
  febe0000-febe0fff : 0000:00:03.0
  febfc000-febfffff : 0000:00:03.0
fec00000-fec00fff : Reserved
  fec00000-fec003ff : IOAPIC 0
fed00000-fed003ff : HPET 0
  fed00000-fed003ff : PNP0103:00
fee00000-feefffff : Reserved
  fee00000-fee00fff : Local APIC
fffc0000-ffffffff : Reserved
100000000-17fffffff : PCI Bus 0000:00
fd00000000-ffffffffff : Reserved
`

// RHEL 5 kernel-xen (xenolinux) dom0 with crashkernel=128M@32M on the Xen line: the kernel copies
// Xen's crash range, the hypervisor's own range and the per-CPU crash notes into the resource tree.
const RHEL5_XENOLINUX = `00000000-0009ffff : System RAM
000a0000-000bffff : Video RAM area
000c0000-000c7fff : Video ROM
000f0000-000fffff : System ROM
00100000-cfe4ffff : System RAM
  00200000-00470e2b : Kernel code
  00470e2c-00539a4f : Kernel data
  02000000-09ffffff : Crash kernel
  bf77d000-bf77d3ff : Crash note
  bf77d400-bf77d7ff : Crash note
  cfc00000-cfe4ffff : Hypervisor code and data
cfe50000-cfe5bfff : ACPI Tables
cfe5c000-cfefffff : reserved
d0000000-dfffffff : PCI Bus #01
  d0000000-dfffffff : 0000:01:00.0
fec00000-fec0ffff : reserved
fee00000-fee00fff : reserved
ffc00000-ffffffff : reserved
100000000-42fffffff : System RAM
`

// RHEL 7 on bare metal with crashkernel=auto (161M on this machine), read as root.
const RHEL7_NATIVE = `00000000-00000fff : reserved
00001000-0009bfff : System RAM
0009c000-0009ffff : reserved
000a0000-000bffff : PCI Bus 0000:00
000f0000-000fffff : System ROM
00100000-bf7fffff : System RAM
  01000000-0178d1c6 : Kernel code
  0178d1c7-01b6e77f : Kernel data
  01d31000-0202efff : Kernel bss
  b5000000-bf0fffff : Crash kernel
bf800000-bfffffff : reserved
100000000-83fffffff : System RAM
`

// The same kind of file read by an unprivileged user: names stay, addresses are zeroed.
const UNPRIVILEGED = `00000000-00000000 : reserved
00000000-00000000 : System RAM
00000000-00000000 : reserved
  00000000-00000000 : PCI Bus 0000:00
00000000-00000000 : System RAM
  00000000-00000000 : Kernel code
  00000000-00000000 : Crash kernel
`

function iomem(text: string): Iomem {
  const result = parseIomem(text)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '))
  expect(result.problems).toEqual([])
  return result.value
}

describe('parseIomem', () => {
  it('builds the tree of the lab dom0 and finds no crash region', () => {
    const lab = iomem(LAB_PVOPS_DOM0)
    expect(lab.nodes).toHaveLength(27)
    expect(lab.roots).toHaveLength(14)
    expect(lab.crashKernel).toEqual([])
    expect(lab.hypervisor).toEqual([])
    expect(lab.systemRamBytes).toBe(0x9e000n + 0x1ff61000n)
    expect(lab.zeroedAddresses).toBe(false)
    const pci = lab.roots.find((node) => node.name === 'PCI Bus 0000:00' && node.start === 0x80000000n)
    expect(pci?.children.map((child) => child.name)).toEqual(['0000:00:02.0', '0000:00:02.0', '0000:00:03.0', '0000:00:03.0'])
    const big = lab.roots[lab.roots.length - 1]
    expect(big).toMatchObject({start: 0xfd00000000n, end: 0xffffffffffn, name: 'Reserved', depth: 0, line: 27})
  })

  it('finds the xenolinux crash kernel, crash notes and hypervisor range', () => {
    const rhel5 = iomem(RHEL5_XENOLINUX)
    expect(rhel5.crashKernel).toHaveLength(1)
    const crash = rhel5.crashKernel[0]
    expect(crash).toMatchObject({start: 0x2000000n, end: 0x9ffffffn, depth: 1, line: 8})
    expect(crash && iomemSize(crash)).toBe(128n << 20n)
    expect(rhel5.crashNotes.map((n) => n.start)).toEqual([0xbf77d000n, 0xbf77d400n])
    expect(rhel5.hypervisor[0]).toMatchObject({start: 0xcfc00000n, end: 0xcfe4ffffn})
    expect(rhel5.systemRamBytes).toBe(0xa0000n + 0xcfd50000n + 0x330000000n)
  })

  it('finds a native crash kernel', () => {
    const native = iomem(RHEL7_NATIVE)
    const crash = native.crashKernel[0]
    expect(crash && iomemSize(crash)).toBe(161n << 20n)
    expect(findIomem(native, 'Kernel bss')[0]?.line).toBe(9)
  })

  it('flags an unprivileged read and gives no RAM total from zeros', () => {
    const hidden = iomem(UNPRIVILEGED)
    expect(hidden.zeroedAddresses).toBe(true)
    expect(hidden.crashKernel).toHaveLength(1)
    expect(hidden.systemRamBytes).toBeUndefined()
  })

  it('reports lines it cannot read and ranges that end before they start', () => {
    const result = parseIomem('00100000-0009ffff : System RAM\ngarbage\n')
    expect(result.problems).toEqual([
      {line: 1, message: 'range ends before it starts: 00100000-0009ffff : System RAM'},
      {line: 2, message: 'not an iomem line: "garbage"'},
    ])
    expect(parseIomem('').ok).toBe(false)
  })

  it('never throws', () => {
    neverThrows([LAB_PVOPS_DOM0, RHEL5_XENOLINUX, RHEL7_NATIVE, UNPRIVILEGED], parseIomem)
  })
})
