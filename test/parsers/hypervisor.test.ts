import {describe, expect, it} from 'vitest'
import {
  parseGuestType,
  parseHypervisor,
  parseHypervisorType,
  parseHypervisorVersion,
  parseXenCapabilities,
  type HypervisorFiles,
} from '../../src/parsers/hypervisor.js'
import {compareXenVersions, parseXenVersionText, xenAtLeast} from '../../src/parsers/xen-version.js'
import {propertyNeverThrows} from './fuzz-support.js'

// Lab dom0 (Debian 12, Linux 6.1 pvops, Xen 4.17.7): files as the kernel prints them.
const LAB_DOM0: HypervisorFiles = {capabilities: 'control_d\n', type: 'xen\n', major: '4\n', minor: '17\n', extra: '.7\n', guestType: 'PV\n'}
// RHEL 5 kernel-xen dom0 on Xen 3.1.2: no guest_type file on 2.6.18.
const RHEL5_DOM0: HypervisorFiles = {capabilities: 'control_d\n', type: 'xen\n', major: '3\n', minor: '1\n', extra: '.2-406.el5\n'}
// A PVH domU on Xen 4.17 (xenfs mounted, empty capabilities).
const PVH_DOMU: HypervisorFiles = {capabilities: '', type: 'xen\n', major: '4\n', minor: '17\n', extra: '.3-pre\n', guestType: 'PVH\n'}

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

describe('parseHypervisor', () => {
  it('recognises the lab pvops dom0', () => {
    expect(parseHypervisor(LAB_DOM0)).toEqual({
      ok: true,
      value: {xen: true, role: 'dom0', type: 'xen', capabilities: ['control_d'], guestType: 'PV', version: {major: 4, minor: 17, extra: '.7', patch: 7, text: '4.17.7'}},
      problems: [],
    })
  })

  it('recognises an old dom0 without guest_type and a PVH domU', () => {
    const rhel5 = parseHypervisor(RHEL5_DOM0)
    expect(rhel5.ok && rhel5.value).toMatchObject({role: 'dom0', version: {major: 3, minor: 1, extra: '.2-406.el5'}})
    expect(rhel5.ok && rhel5.value.guestType).toBeUndefined()
    const domU = parseHypervisor(PVH_DOMU)
    expect(domU.ok && domU.value).toMatchObject({xen: true, role: 'domU', guestType: 'PVH'})
  })

  it('says unknown without xenfs, and not Xen on bare metal', () => {
    const noXenfs = parseHypervisor({type: 'xen\n'})
    expect(noXenfs.ok && noXenfs.value).toEqual({xen: true, role: 'unknown', type: 'xen'})
    const bare = parseHypervisor({})
    expect(bare.ok && bare.value).toEqual({xen: false, role: 'unknown'})
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
    propertyNeverThrows(samples, parseXenCapabilities)
    propertyNeverThrows(samples, parseHypervisorType)
    propertyNeverThrows(samples, parseGuestType)
    propertyNeverThrows(samples, (text) => {
      const [major = '', minor = '', extra = ''] = text.split('\n')
      return parseHypervisorVersion(major, minor, extra)
    })
    propertyNeverThrows(samples, (text) => {
      const [capabilities, type, major, minor, extra, guestType] = text.split('\n')
      return parseHypervisor({capabilities, type, major, minor, extra, guestType})
    })
  })
})
