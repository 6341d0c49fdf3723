import {describe, expect, it} from 'vitest'
import {parseGuestType, parseHypervisorType, parseHypervisorVersion, parseXenCapabilities} from '../../src/parsers/hypervisor.js'
import {compareXenVersions, parseXenVersionText, xenAtLeast} from '../../src/parsers/xen-version.js'
import {neverThrows} from './never-throws.js'

interface Files {
  capabilities: string
  type: string
  major: string
  minor: string
  extra: string
  guestType?: string
}
// Lab dom0 (Debian 12, Linux 6.1 pvops, Xen 4.17.7): files as the kernel prints them.
const LAB_DOM0: Files = {capabilities: 'control_d\n', type: 'xen\n', major: '4\n', minor: '17\n', extra: '.7\n', guestType: 'PV\n'}
// RHEL 5 kernel-xen dom0 on Xen 3.1.2: no guest_type file on 2.6.18.
const RHEL5_DOM0: Files = {capabilities: 'control_d\n', type: 'xen\n', major: '3\n', minor: '1\n', extra: '.2-406.el5\n'}
// A PVH domU on Xen 4.17 (xenfs mounted, empty capabilities).
const PVH_DOMU: Files = {capabilities: '', type: 'xen\n', major: '4\n', minor: '17\n', extra: '.3-pre\n', guestType: 'PVH\n'}

describe('real hosts, file by file (facts/host.ts combines them)', () => {
  it.each([
    ['the lab pvops dom0', LAB_DOM0, true, '4.17.7', 'PV'],
    ['a RHEL 5 dom0', RHEL5_DOM0, true, '3.1.2-406.el5', undefined],
    ['a PVH domU', PVH_DOMU, false, '4.17.3-pre', 'PVH'],
  ])('reads %s', (_name, files, dom0, version, guest) => {
    const caps = parseXenCapabilities(files.capabilities)
    expect(caps.ok && caps.value.controlDomain).toBe(dom0)
    expect(parseHypervisorType(files.type)).toMatchObject({ok: true, value: 'xen'})
    const v = parseHypervisorVersion(files.major, files.minor, files.extra)
    expect(v.ok && v.value.text).toBe(version)
    if (guest === undefined) expect(files.guestType).toBeUndefined()
    else expect(parseGuestType(files.guestType!)).toMatchObject({ok: true, value: guest, problems: []})
  })
})

describe('per-file parsers', () => {
  it('reads capabilities', () => {
    expect(parseXenCapabilities('control_d\n')).toEqual({ok: true, value: {controlDomain: true, capabilities: ['control_d']}, problems: []})
    expect(parseXenCapabilities('')).toEqual({ok: true, value: {controlDomain: false, capabilities: []}, problems: []})
  })

  it('reads type and guest type', () => {
    expect(parseHypervisorType('xen\n')).toEqual({ok: true, value: 'xen', problems: []})
    expect(parseHypervisorType('\n').ok).toBe(false)
    expect(parseGuestType('HVM\n')).toEqual({ok: true, value: 'HVM', problems: []})
    expect(parseGuestType('Xen\n').problems).toEqual([])
    expect(parseGuestType('weird').problems).toEqual([{message: 'unknown guest type "weird"'}])
  })

  it('reads the version files, keeping extra verbatim', () => {
    expect(parseHypervisorVersion('4\n', '17\n', '.7\n')).toEqual({ok: true, value: {major: 4, minor: 17, extra: '.7', patch: 7, text: '4.17.7'}, problems: []})
    expect(parseHypervisorVersion('4', '17', '.3-pre').ok && parseHypervisorVersion('4', '17', '.3-pre')).toMatchObject({value: {extra: '.3-pre', patch: 3}})
    expect(parseHypervisorVersion('4', 'x').ok).toBe(false)
  })
})

describe('xen-version helpers', () => {
  it('parses and compares versions', () => {
    expect(parseXenVersionText('4.17.3-pre')).toEqual({major: 4, minor: 17, extra: '.3-pre', patch: 3, text: '4.17.3-pre'})
    expect(parseXenVersionText('4.20-unstable')).toEqual({major: 4, minor: 20, extra: '-unstable', text: '4.20-unstable'})
    expect(parseXenVersionText('xen')).toBeUndefined()
    expect(compareXenVersions({major: 4, minor: 9}, {major: 4, minor: 10})).toBeLessThan(0)
    expect(xenAtLeast({major: 4, minor: 17}, 4, 10)).toBe(true)
    expect(xenAtLeast({major: 3, minor: 4}, 4, 1)).toBe(false)
  })
})

describe('hypervisor properties', () => {
  it('never throws', () => {
    const samples = ['control_d\n', 'xen\n', 'PV\n', '.7\n', '4\n17\n.3-pre\n']
    neverThrows(samples, parseXenCapabilities)
    neverThrows(samples, parseHypervisorType)
    neverThrows(samples, parseGuestType)
    neverThrows(samples, (text) => {
      const [major = '', minor = '', extra = ''] = text.split('\n')
      return parseHypervisorVersion(major, minor, extra)
    })
  })
})
