import {describe, expect, it} from 'vitest'
import {parseXlInfo, type XlInfo} from '../../src/parsers/xl-info.js'
import {neverThrows} from './never-throws.js'

// Lab scenario B (Xen 4.17.7, Debian 12 dom0): `xl info | grep -E ...`, verbatim, trailing space included.
const LAB_B_GREP = `release                : 6.1.0-56-amd64
nr_cpus                : 2
total_memory           : 2047
free_memory            : 1256
xen_version            : 4.17.7
xen_commandline        : console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all noreboot crashkernel=256M,below=4G 
`

// A full Xen 4.17 `xl info` from a Debian 12 host.
const XL_INFO_417 = `host                   : xen-lab-01
release                : 6.1.0-18-amd64
version                : #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)
machine                : x86_64
nr_cpus                : 16
max_cpu_id             : 15
nr_nodes               : 1
cores_per_socket       : 8
threads_per_core       : 2
cpu_mhz                : 2894.562
hw_caps                : 178bf3ff:f6d8320b:2e500800:244037ff:0000000f:219c91a9:00400004:00000780
virt_caps              : pv hvm hvm_directio pv_directio hap shadow iommu_hap_pt_share gnttab-v1 gnttab-v2
total_memory           : 65398
free_memory            : 58763
sharing_freed_memory   : 0
sharing_used_memory    : 0
outstanding_claims     : 0
free_cpus              : 0
xen_major              : 4
xen_minor              : 17
xen_extra              : .3-pre
xen_version            : 4.17.3-pre
xen_caps               : xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64
xen_scheduler          : credit2
xen_pagesize           : 4096
platform_params        : virt_start=0xffff800000000000
xen_changeset          : 
xen_commandline        : placeholder dom0_mem=4G,max:4G crashkernel=256M,below=4G
cc_compiler            : x86_64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0
cc_compile_by          : pkg-xen-devel
cc_compile_domain      : lists.alioth.debian.org
cc_compile_date        : Fri Dec  8 19:20:36 UTC 2023
build_id               : 2d3c7f08e5b4f0b33af0ab1d6d4bf5a3ed2b40dd
xend_config_format     : 4
`

// `xm info` on RHEL 5.11 (Xen 3.1.2 + RHEL patches): no xen_version, no xen_commandline, no virt_caps.
const XM_INFO_RHEL5 = `host                   : rhel5-xen
release                : 2.6.18-406.el5xen
version                : #1 SMP Fri May 29 12:00:00 EDT 2015
machine                : x86_64
nr_cpus                : 8
nr_nodes               : 1
sockets_per_node       : 1
cores_per_socket       : 4
threads_per_core       : 2
cpu_mhz                : 2400
hw_caps                : bfebfbff:20100800:00000000:00000940:0098e3fd:00000000:00000001
total_memory           : 16373
free_memory            : 14847
node_to_cpu            : node0:0-7
xen_major              : 3
xen_minor              : 1
xen_extra              : .2-406.el5
xen_caps               : xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 
xen_pagesize           : 4096
platform_params        : virt_start=0xffff800000000000
xen_changeset          : unavailable
cc_compiler            : gcc version 4.1.2 20080704 (Red Hat 4.1.2-55)
cc_compile_by          : mockbuild
cc_compile_domain      : redhat.com
cc_compile_date        : Fri May 29 11:37:05 EDT 2015
xend_config_format     : 2
`

// `xm info` on Debian 7 (Xen 4.1.4, xend toolstack): xen_extra `.4`, xen_commandline present.
const XM_INFO_41 = `host                   : wheezy-dom0
release                : 3.2.0-4-amd64
version                : #1 SMP Debian 3.2.96-2
machine                : x86_64
nr_cpus                : 4
nr_nodes               : 1
cores_per_socket       : 4
threads_per_core       : 1
cpu_mhz                : 3192
hw_caps                : bfebfbff:28100800:00000000:00003f40:179ae3bf:00000000:00000001:00000000
virt_caps              : hvm
total_memory           : 8190
free_memory            : 6911
free_cpus              : 0
xen_major              : 4
xen_minor              : 1
xen_extra              : .4
xen_caps               : xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64
xen_scheduler          : credit
xen_pagesize           : 4096
platform_params        : virt_start=0xffff800000000000
xen_changeset          : unavailable
xen_commandline        : dom0_mem=1024M crashkernel=128M@64M
cc_compiler            : gcc version 4.7.2 (Debian 4.7.2-5) 
cc_compile_by          : ultrotter
cc_compile_domain      : debian.org
cc_compile_date        : Fri Jan 10 09:40:43 UTC 2014
xend_config_format     : 4
`

// The tail of `xl info -n`: topology tables that are not fields.
const XL_INFO_N_TAIL = `xen_version            : 4.17.3-pre
cpu_topology           :
cpu:    core    socket     node
  0:       0        0        0
  1:       0        0        0
numa_info              :
node:    memsize    memfree    distances
   0:     65398      58763      10
`

function info(text: string): XlInfo {
  const result = parseXlInfo(text)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '))
  expect(result.problems).toEqual([])
  return result.value
}

describe('parseXlInfo', () => {
  it('reads the lab grep output', () => {
    const lab = info(LAB_B_GREP)
    expect(lab.release).toBe('6.1.0-56-amd64')
    expect(lab.totalMemoryMiB).toBe(2047)
    expect(lab.freeMemoryMiB).toBe(1256)
    expect(lab.xenVersion).toEqual({major: 4, minor: 17, extra: '.7', patch: 7, text: '4.17.7'})
    expect(lab.xenCommandline).toBe('console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all noreboot crashkernel=256M,below=4G')
    expect(lab.lineOf.xen_commandline).toBe(6)
    expect(lab.host).toBeUndefined()
  })

  it('reads a full Xen 4.17 xl info', () => {
    const full = info(XL_INFO_417)
    expect(full.host).toBe('xen-lab-01')
    expect(full.xenVersion).toEqual({major: 4, minor: 17, extra: '.3-pre', patch: 3, text: '4.17.3-pre'})
    expect(full.virtCaps).toEqual(['pv', 'hvm', 'hvm_directio', 'pv_directio', 'hap', 'shadow', 'iommu_hap_pt_share', 'gnttab-v1', 'gnttab-v2'])
    expect(full.fields.hw_caps).toBe('178bf3ff:f6d8320b:2e500800:244037ff:0000000f:219c91a9:00400004:00000780')
    expect(full.fields.cc_compile_date).toBe('Fri Dec  8 19:20:36 UTC 2023')
    expect(full.fields.xen_changeset).toBe('')
    expect(Object.keys(full.fields)).toHaveLength(34)
  })

  it('rebuilds the version of an old xm info and has no command line on Xen 3.x', () => {
    const rhel5 = info(XM_INFO_RHEL5)
    expect(rhel5.xenVersion).toEqual({major: 3, minor: 1, extra: '.2-406.el5', patch: 2, text: '3.1.2-406.el5'})
    expect(rhel5.xenCommandline).toBeUndefined()
    expect(rhel5.virtCaps).toBeUndefined()
    expect(rhel5.release).toBe('2.6.18-406.el5xen')
    expect(rhel5.totalMemoryMiB).toBe(16373)
  })

  it('reads Xen 4.1 xm info with its command line', () => {
    const old = info(XM_INFO_41)
    expect(old.xenVersion?.text).toBe('4.1.4')
    expect(old.xenCommandline).toBe('dom0_mem=1024M crashkernel=128M@64M')
    expect(old.virtCaps).toEqual(['hvm'])
  })

  it('skips the xl info -n topology tables', () => {
    const topo = info(XL_INFO_N_TAIL)
    expect(Object.keys(topo.fields)).toEqual(['xen_version', 'cpu_topology', 'numa_info'])
  })

  it('reports disagreeing or malformed values', () => {
    const result = parseXlInfo('xen_major              : 4\nxen_minor              : 17\nxen_extra              : .2\nxen_version            : 4.17.3\ntotal_memory           : lots\n')
    expect(result.ok && result.value.xenVersion?.text).toBe('4.17.3')
    expect(result.ok && result.value.totalMemoryMiB).toBeUndefined()
    expect(result.problems).toEqual([
      {line: 5, message: 'total_memory is not a number of MiB: "lots"'},
      {line: 4, message: 'xen_version 4.17.3 disagrees with xen_major/minor/extra 4.17.2'},
    ])
  })

  it('is unparsable without any field (xl run outside dom0 prints only to stderr)', () => {
    expect(parseXlInfo('').ok).toBe(false)
    const garbage = parseXlInfo('xc: error: Could not obtain handle on privileged command interface\n')
    expect(garbage.ok).toBe(false)
  })

  it('never throws', () => {
    neverThrows([LAB_B_GREP, XL_INFO_417, XM_INFO_RHEL5, XM_INFO_41, XL_INFO_N_TAIL], parseXlInfo)
  })
})
