/**
 * What a Linux guest of Xen says about its hypervisor and its own role:
 * - /proc/xen/capabilities (xenfs): `control_d` in dom0, empty in a domU, absent when xenfs is not mounted;
 * - /sys/hypervisor/type: `xen`;
 * - /sys/hypervisor/version/{major,minor,extra}: `4`, `17`, `.7` (extra keeps its leading dot);
 * - /sys/hypervisor/guest_type (Linux 4.11+; absent on older kernels): `PV`, `PVH`, `HVM`, or `Xen`
 *   for an ARM domain.
 * Each file has its own small parser; facts/host.ts combines them, with the xl probes, into the host's role.
 */
import {parsed, total, unparsable, type Parsed} from './parse-result.js'
import {makeXenVersion, type XenVersion} from './xen-version.js'

export type XenGuestType = 'PV' | 'PVH' | 'HVM' | 'Xen'

export interface XenCapabilities {
  /** `control_d` present: this is the control domain (dom0). */
  controlDomain: boolean
  capabilities: string[]
}

export function parseXenCapabilities(text: string): Parsed<XenCapabilities> {
  return total<XenCapabilities>('xen-capabilities', () => {
    const capabilities = text.split(/[\s,]+/).filter(Boolean)
    return parsed({controlDomain: capabilities.includes('control_d'), capabilities})
  })
}

export function parseHypervisorType(text: string): Parsed<string> {
  return total<string>('hypervisor-type', () => {
    const type = text.trim()
    return type === '' ? unparsable('/sys/hypervisor/type is empty') : parsed(type)
  })
}

export function parseGuestType(text: string): Parsed<XenGuestType | string> {
  return total<XenGuestType | string>('guest-type', () => {
    const type = text.trim()
    if (type === '') return unparsable('/sys/hypervisor/guest_type is empty')
    const known = ['PV', 'PVH', 'HVM', 'Xen'].includes(type)
    return parsed(type, known ? [] : [{message: `unknown guest type ${JSON.stringify(type)}`}])
  })
}

export function parseHypervisorVersion(major: string, minor: string, extra = ''): Parsed<XenVersion> {
  return total<XenVersion>('hypervisor-version', () => {
    const m = major.trim()
    const n = minor.trim()
    if (!/^\d{1,4}$/.test(m) || !/^\d{1,4}$/.test(n)) {
      return unparsable(`/sys/hypervisor/version is not numeric: major ${JSON.stringify(m)}, minor ${JSON.stringify(n)}`)
    }
    return parsed(makeXenVersion(Number(m), Number(n), extra.replace(/\s+$/, '')))
  })
}
