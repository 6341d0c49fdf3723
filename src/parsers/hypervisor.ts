/**
 * What a Linux guest of Xen says about its hypervisor and its own role:
 * - /proc/xen/capabilities (xenfs): `control_d` in dom0, empty in a domU, absent when xenfs is not mounted;
 * - /sys/hypervisor/type: `xen`;
 * - /sys/hypervisor/version/{major,minor,extra}: `4`, `17`, `.7` (extra keeps its leading dot);
 * - /sys/hypervisor/guest_type (Linux 4.11+; absent on older kernels): `PV`, `PVH`, `HVM`, or `Xen`
 *   for an ARM domain.
 * Each file has its own small parser; `parseHypervisor` combines whichever were collected.
 */
import {parsed, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'
import {makeXenVersion, type XenVersion} from './xen-version.js'

export type XenRole = 'dom0' | 'domU' | 'unknown'
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

export interface HypervisorFiles {
  /** /proc/xen/capabilities */
  capabilities?: string
  /** /sys/hypervisor/type */
  type?: string
  /** /sys/hypervisor/version/major, minor, extra */
  major?: string
  minor?: string
  extra?: string
  /** /sys/hypervisor/guest_type */
  guestType?: string
}

export interface Hypervisor {
  type?: string
  /** Some evidence says this kernel runs on Xen. */
  xen: boolean
  role: XenRole
  capabilities?: string[]
  version?: XenVersion
  guestType?: string
}

export function parseHypervisor(files: HypervisorFiles): Parsed<Hypervisor> {
  return total<Hypervisor>('hypervisor', () => {
    const problems: ParseProblem[] = []
    const take = <T>(result: Parsed<T> | undefined): T | undefined => {
      if (!result) return undefined
      problems.push(...result.problems)
      return result.ok ? result.value : undefined
    }
    const out: Hypervisor = {xen: false, role: 'unknown'}
    const type = take(files.type === undefined ? undefined : parseHypervisorType(files.type))
    const caps = take(files.capabilities === undefined ? undefined : parseXenCapabilities(files.capabilities))
    const guestType = take(files.guestType === undefined ? undefined : parseGuestType(files.guestType))
    if (files.major !== undefined || files.minor !== undefined) {
      out.version = take(parseHypervisorVersion(files.major ?? '', files.minor ?? '', files.extra ?? ''))
    }
    if (type !== undefined) out.type = type
    if (guestType !== undefined) out.guestType = guestType
    if (caps) {
      out.capabilities = caps.capabilities
      // xenfs exists only under Xen; an empty capabilities file is what every domU reads.
      out.role = caps.controlDomain ? 'dom0' : 'domU'
    }
    out.xen = type === 'xen' || caps !== undefined || guestType !== undefined
    if (type !== undefined && type !== 'xen' && caps !== undefined) {
      problems.push({message: `/sys/hypervisor/type says ${JSON.stringify(type)} but /proc/xen exists`})
    }
    return parsed(out, problems)
  })
}
