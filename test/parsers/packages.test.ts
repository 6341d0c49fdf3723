import {describe, expect, it} from 'vitest'
import {compareUpstream, installedPackages, parseDpkgQuery, parseRpmQuery, upstreamVersion} from '../../src/parsers/packages.js'
import {neverThrows, value} from './never-throws.js'

// rpm -q --qf '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\n' kexec-tools kdump-utils makedumpfile crash xen xen-hypervisor kernel kernel-xen
const CENTOS5_XEN = `kexec-tools\t(none):2.0.0-273.el5
package kdump-utils is not installed
package makedumpfile is not installed
crash\t(none):5.1.8-3.el5.centos
xen\t(none):3.0.3-148.el5
package xen-hypervisor is not installed
kernel\t(none):2.6.18-406.el5
kernel-xen\t(none):2.6.18-406.el5
kernel-xen\t(none):2.6.18-398.el5
`

const CENTOS7_XEN4CENTOS = `kexec-tools\t(none):2.0.15-51.el7_9.3
package kdump-utils is not installed
package makedumpfile is not installed
crash\t(none):7.2.3-11.el7_9.1
xen\t(none):4.12.4.95.g5ac4a9b-1.el7
xen-hypervisor\t(none):4.12.4.95.g5ac4a9b-1.el7
kernel\t(none):3.10.0-1160.119.1.el7
package kernel-xen is not installed
`

const RHEL9 = `kexec-tools\t(none):2.0.27-8.el9
kdump-utils\t(none):1.0.42-3.el9
makedumpfile\t(none):1.7.5-12.el9
package crash is not installed
package xen is not installed
package xen-hypervisor is not installed
kernel\t(none):5.14.0-427.13.1.el9_4
kernel\t(none):5.14.0-503.11.1.el9_5
package kernel-xen is not installed
`

const ORACLE_VM_34 = `kexec-tools\t(none):2.0.7-38.0.14.el6
xen\t(none):4.4.4-222.0.36.el6
kernel-uek\t2:4.1.12-124.48.6.el6uek
`

// dpkg-query -W -f='${Package}\t${Version}\t${Status}\n' kexec-tools kdump-tools makedumpfile crash 'xen-hypervisor-*' 'xen-utils-*' 'linux-image-*'
const DEBIAN12 = `kexec-tools\t1:2.0.25-3+deb12u3\tinstall ok installed
kdump-tools\t1:1.8.1\tinstall ok installed
makedumpfile\t1:1.7.2-1\tinstall ok installed
xen-hypervisor-4.17-amd64\t4.17.3+10-g091466ba55-1~deb12u1\tinstall ok installed
xen-hypervisor-common\t4.17.3+10-g091466ba55-1~deb12u1\tinstall ok installed
xen-utils-4.17\t4.17.3+10-g091466ba55-1~deb12u1\tinstall ok installed
xen-utils-common\t4.17.3+10-g091466ba55-1~deb12u1\tinstall ok installed
linux-image-6.1.0-10-amd64\t6.1.38-2\tdeinstall ok config-files
linux-image-6.1.0-18-amd64\t6.1.76-1\tinstall ok installed
linux-image-6.1.0-9-amd64\t\tunknown ok not-installed
linux-image-amd64\t6.1.76-1\tinstall ok installed
`
const DEBIAN12_ERR = 'dpkg-query: no packages found matching crash\n'

describe('parseRpmQuery', () => {
  it('reads a CentOS 5 Xen host: (none) epochs, missing packages, two kernel-xen', () => {
    const list = value(parseRpmQuery(CENTOS5_XEN))
    expect(list.manager).toBe('rpm')
    expect(list.packages).toHaveLength(9)
    expect(list.packages[0]).toEqual({
      name: 'kexec-tools',
      epoch: null,
      version: '2.0.0',
      release: '273.el5',
      raw: '(none):2.0.0-273.el5',
      installed: true,
      manager: 'rpm',
      line: 1,
      stream: 'stdout',
    })
    expect(list.packages[1]).toMatchObject({name: 'kdump-utils', installed: false, version: '', line: 2})
    expect(installedPackages(list, 'kernel-xen').map((p) => p.release)).toEqual(['406.el5', '398.el5'])
    expect(installedPackages(list, 'makedumpfile')).toEqual([])
  })

  it('keeps an epoch and a version with dots and letters', () => {
    const list = value(parseRpmQuery(ORACLE_VM_34 + CENTOS7_XEN4CENTOS))
    expect(list.packages.find((p) => p.name === 'kernel-uek')).toMatchObject({epoch: 2, version: '4.1.12', release: '124.48.6.el6uek'})
    expect(list.packages.find((p) => p.name === 'xen-hypervisor')).toMatchObject({version: '4.12.4.95.g5ac4a9b', release: '1.el7'})
  })

  it('reads RHEL 9 with kdump-utils split out of kexec-tools', () => {
    const list = value(parseRpmQuery(RHEL9))
    expect(installedPackages(list, 'kdump-utils')[0]!.version).toBe('1.0.42')
    expect(installedPackages(list, 'kernel')).toHaveLength(2)
  })

  it('reports a line in another format as a problem and keeps the rest', () => {
    const r = parseRpmQuery('kexec-tools-2.0.0-273.el5.x86_64\nkernel\t(none):2.6.18-406.el5\n', 'error: rpmdb: damaged header #123 retrieved -- skipping.\n')
    expect(r.ok).toBe(true)
    expect(value(r).packages.map((p) => p.name)).toEqual(['kernel'])
    expect(r.problems).toEqual([
      {line: 1, message: 'unrecognised rpm -q line: kexec-tools-2.0.0-273.el5.x86_64'},
      {message: 'rpm: error: rpmdb: damaged header #123 retrieved -- skipping.'},
    ])
  })

  it('never throws', () => {
    neverThrows([CENTOS5_XEN, CENTOS7_XEN4CENTOS, RHEL9, ORACLE_VM_34], (t) => parseRpmQuery(t, t))
  })
})

describe('parseDpkgQuery', () => {
  it('reads Debian 12 with Xen 4.17, config-files leftovers and stderr misses', () => {
    const list = value(parseDpkgQuery(DEBIAN12, DEBIAN12_ERR))
    expect(list.manager).toBe('dpkg')
    expect(list.packages[0]).toEqual({
      name: 'kexec-tools',
      epoch: 1,
      version: '2.0.25',
      release: '3+deb12u3',
      raw: '1:2.0.25-3+deb12u3',
      installed: true,
      status: 'install ok installed',
      manager: 'dpkg',
      line: 1,
      stream: 'stdout',
    })
    expect(list.packages[1]).toMatchObject({name: 'kdump-tools', epoch: 1, version: '1.8.1', release: ''})
    expect(list.packages[3]).toMatchObject({version: '4.17.3+10-g091466ba55', release: '1~deb12u1'})
    expect(list.packages.find((p) => p.name === 'linux-image-6.1.0-10-amd64')!.installed).toBe(false)
    expect(list.packages.find((p) => p.name === 'linux-image-6.1.0-9-amd64')).toMatchObject({installed: false, raw: '', status: 'unknown ok not-installed'})
    expect(list.packages[list.packages.length - 1]).toEqual({
      name: 'crash',
      epoch: null,
      version: '',
      release: '',
      raw: '',
      installed: false,
      manager: 'dpkg',
      line: 1,
      stream: 'stderr',
    })
  })

  it('counts triggers-pending as installed and half-installed as not', () => {
    const list = value(parseDpkgQuery('kexec-tools\t1:2.0.25-3\tinstall ok triggers-pending\nmakedumpfile\t1:1.7.2-1\tinstall reinstreq half-installed\n'))
    expect(list.packages.map((p) => p.installed)).toEqual([true, false])
  })

  it('reports lines that are not three tab-separated fields', () => {
    const r = parseDpkgQuery('kexec-tools 1:2.0.25-3 install ok installed\n')
    expect(value(r).packages).toEqual([])
    expect(r.problems[0]!.line).toBe(1)
  })

  it('never throws', () => {
    neverThrows([DEBIAN12, DEBIAN12_ERR], (t) => parseDpkgQuery(t, t))
  })
})

describe('upstreamVersion', () => {
  it.each([
    ['1:2.0.25-3+deb12u3', '2.0.25'],
    ['(none):2.0.0-273.el5', '2.0.0'],
    ['2.0.0-273.el5', '2.0.0'],
    ['2.0.15-21.el7', '2.0.15'],
    ['1.101-0.1', '1.101.0'],
    ['1.102pre-164.el5', '1.102.0-pre'],
    ['20070330-1', '1.999.20070330'],
    ['1:20070330-1', '1.999.20070330'],
    ['2.0.26~rc1-1', '2.0.26-rc1'],
    ['1:2.0.2+dfsg-1', '2.0.2'],
    ['4.17.3+10-g091466ba55-1~deb12u1', '4.17.3'],
    ['4.12.4.95.g5ac4a9b-1.el7', '4.12.4'],
    ['2.6.18-406.el5', '2.6.18'],
    ['6.1.76-1', '6.1.76'],
    ['7', '7.0.0'],
  ])('%s → %s', (raw, expected) => {
    expect(upstreamVersion(raw)).toBe(expected)
  })

  it.each(['', '(none):', 'abc-1', '-'])('%j has no upstream version', (raw) => {
    expect(upstreamVersion(raw)).toBeNull()
  })
})

describe('compareUpstream', () => {
  it('orders kexec-tools history: 1.101 < 1.102pre < testing snapshots < 2.0.0 < 2.0.5 < 2.0.15', () => {
    const history = ['1.101-0.1', '1.102pre-164.el5', '20070330-1', '(none):2.0.0-273.el5', '2.0.5-1', '2.0.15-21.el7', '1:2.0.25-3+deb12u3']
    for (let i = 1; i < history.length; i++) expect(compareUpstream(history[i - 1]!, history[i]!)).toBe(-1)
  })

  it('ignores distribution revisions and epochs', () => {
    expect(compareUpstream('1:2.0.25-3+deb12u3', '(none):2.0.25-1.el9')).toBe(0)
    expect(compareUpstream('2.0.26~rc1-1', '2.0.26-1')).toBe(-1)
    expect(compareUpstream('2.0.15-1', '2.0.5-99')).toBe(1)
  })

  it('is null when either side has no version', () => {
    expect(compareUpstream('', '2.0.5')).toBeNull()
  })

  it('never throws on arbitrary strings', async () => {
    const fc = (await import('fast-check')).default
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const r = compareUpstream(a, b)
        expect(r === null || r === -1 || r === 0 || r === 1).toBe(true)
      }),
      {numRuns: 1000},
    )
  })
})
