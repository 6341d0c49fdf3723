/**
 * Which distribution a host runs, from whichever of these exist: `/etc/xensource-inventory`
 * (XenServer, Citrix Hypervisor, XCP-ng), `/etc/os-release` (RHEL 7+, Debian, SUSE, XCP-ng),
 * `/etc/redhat-release` (the only one on RHEL/CentOS 5 and 6), `/etc/debian_version`.
 * `family` names the kdump conventions that apply: kdumpctl/`kdump.conf` (rhel), kdump-tools
 * (debian), SUSE's kdump (suse), or the XenServer/XCP-ng crash-kernel tooling (xenserver).
 */
import {parseShellVars, shellValue, type ShellAssignment} from './shell-vars.js'
import {parsed, splitLines, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'

export type DistroFamily = 'rhel' | 'debian' | 'suse' | 'xenserver' | 'unknown'

export interface DistroSummary {
  family: DistroFamily
  /** Lower-case id: `rhel`, `centos`, `debian`, `sles`, `xcp-ng`, `xenserver`, `ovs`... ('' when unknown). */
  id: string
  versionId: string
  pretty: string
  /** The file the summary came from. */
  source: '/etc/xensource-inventory' | '/etc/os-release' | '/etc/redhat-release' | '/etc/debian_version' | 'none'
}

export interface OsRelease {
  vars: Record<string, ShellAssignment>
  id?: string
  idLike: string[]
  versionId?: string
  name?: string
  prettyName?: string
}

export interface RedhatRelease {
  /** The product name before ` release ` (`CentOS`, `Red Hat Enterprise Linux Server`, `XenServer`). */
  name: string
  version: string
  codename?: string
  id: string
  family: DistroFamily
}

export interface DebianVersion {
  /** As written: `12.5`, `5.0.10`, `bookworm/sid`. */
  version: string
  /** The major release when the file holds a number. */
  major?: number
}

export interface XensourceInventory {
  vars: Record<string, ShellAssignment>
  brand?: string
  productVersion?: string
  buildNumber?: string
  installationUuid?: string
  controlDomainUuid?: string
  /** Older inventories name the Xen and dom0 kernel versions. */
  xenVersion?: string
  linuxKabiVersion?: string
}

const RHEL_IDS = new Set(['rhel', 'centos', 'fedora', 'ol', 'rocky', 'almalinux', 'scientific', 'ovs', 'cloudlinux', 'eurolinux', 'virtuozzo', 'amzn'])
const DEBIAN_IDS = new Set(['debian', 'ubuntu', 'devuan', 'linuxmint', 'raspbian', 'kali', 'pop'])
const XENSERVER_IDS = new Set(['xenenterprise', 'xenserver', 'xcp-ng', 'citrix-hypervisor'])

function familyOf(ids: string[]): DistroFamily {
  for (const id of ids) {
    if (XENSERVER_IDS.has(id)) return 'xenserver'
    if (RHEL_IDS.has(id)) return 'rhel'
    if (DEBIAN_IDS.has(id)) return 'debian'
    if (id === 'suse' || id.startsWith('sle') || id.startsWith('opensuse')) return 'suse'
  }
  return 'unknown'
}

const slug = (s: string): string => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

export function parseOsRelease(text: string): Parsed<OsRelease> {
  return total('os-release', () => {
    const r = parseShellVars(text)
    if (!r.ok) return r
    const v = r.value
    const out: OsRelease = {vars: v.vars, idLike: (shellValue(v, 'ID_LIKE') ?? '').split(/\s+/).filter(Boolean)}
    const set = (key: 'id' | 'versionId' | 'name' | 'prettyName', name: string): void => {
      const x = shellValue(v, name)
      if (x !== undefined) out[key] = key === 'id' ? x.toLowerCase() : x
    }
    set('id', 'ID')
    set('versionId', 'VERSION_ID')
    set('name', 'NAME')
    set('prettyName', 'PRETTY_NAME')
    const problems = [...r.problems]
    if (out.id === undefined) problems.push({message: 'os-release has no ID'})
    return parsed(out, problems)
  })
}

export function parseRedhatRelease(text: string): Parsed<RedhatRelease> {
  return total('redhat-release', () => {
    const line = splitLines(text).find((l) => l.trim() !== '')?.trim()
    const m = line === undefined ? null : /^(.+?)\s+release\s+(\S+)(?:\s+\(([^)]*)\))?/i.exec(line)
    if (!m) return unparsable(`unrecognised release line: ${(line ?? '').slice(0, 120)}`, 1)
    const name = m[1]!
    const id = releaseId(name)
    const out: RedhatRelease = {name, version: m[2]!, id, family: familyOf([id])}
    if (m[3] !== undefined) out.codename = m[3]
    return parsed(out)
  })
}

function releaseId(name: string): string {
  const n = name.toLowerCase()
  if (n.startsWith('red hat')) return 'rhel'
  if (n.startsWith('centos')) return 'centos'
  if (n.startsWith('oracle vm')) return 'ovs'
  if (n.startsWith('oracle linux')) return 'ol'
  if (n.startsWith('scientific')) return 'scientific'
  if (n.startsWith('rocky')) return 'rocky'
  return slug(name.replace(/\s+linux(\s+server)?$/i, ''))
}

export function parseDebianVersion(text: string): Parsed<DebianVersion> {
  return total('debian_version', () => {
    const version = splitLines(text).find((l) => l.trim() !== '')?.trim()
    if (!version || !/^[A-Za-z0-9][A-Za-z0-9.+~/_-]*$/.test(version)) return unparsable(`unrecognised debian_version: ${(version ?? '').slice(0, 80)}`, 1)
    const out: DebianVersion = {version}
    const major = /^(\d+)(?:\.|$)/.exec(version)
    if (major) out.major = Number(major[1])
    return parsed(out)
  })
}

export function parseXensourceInventory(text: string): Parsed<XensourceInventory> {
  return total('xensource-inventory', () => {
    const r = parseShellVars(text)
    if (!r.ok) return r
    const v = r.value
    const out: XensourceInventory = {vars: v.vars}
    const table: [keyof Omit<XensourceInventory, 'vars'>, string][] = [
      ['brand', 'PRODUCT_BRAND'],
      ['productVersion', 'PRODUCT_VERSION'],
      ['buildNumber', 'BUILD_NUMBER'],
      ['installationUuid', 'INSTALLATION_UUID'],
      ['controlDomainUuid', 'CONTROL_DOMAIN_UUID'],
      ['xenVersion', 'XEN_VERSION'],
      ['linuxKabiVersion', 'LINUX_KABI_VERSION'],
    ]
    for (const [key, name] of table) {
      const x = shellValue(v, name)
      if (x !== undefined) out[key] = x
    }
    const problems: ParseProblem[] = [...r.problems]
    if (out.brand === undefined && out.productVersion === undefined) problems.push({message: 'inventory has neither PRODUCT_BRAND nor PRODUCT_VERSION'})
    return parsed(out, problems)
  })
}

export interface DistroFiles {
  osRelease?: string
  redhatRelease?: string
  debianVersion?: string
  xensourceInventory?: string
}

/** The most specific answer the files give: the XenServer inventory, then os-release, redhat-release, debian_version. */
export function summarizeDistro(files: DistroFiles): Parsed<DistroSummary> {
  return total<DistroSummary>('distro', () => {
    const problems: ParseProblem[] = []
    const note = <T>(path: string, r: Parsed<T>): Parsed<T> => {
      problems.push(...r.problems.map((p) => ({...p, message: `${path}: ${p.message}`})))
      return r
    }
    if (files.xensourceInventory !== undefined) {
      const inv = note('/etc/xensource-inventory', parseXensourceInventory(files.xensourceInventory))
      if (inv.ok && inv.value.brand !== undefined) {
        const versionId = inv.value.productVersion ?? ''
        return parsed({family: 'xenserver', id: slug(inv.value.brand), versionId, pretty: `${inv.value.brand} ${versionId}`.trim(), source: '/etc/xensource-inventory'}, problems)
      }
    }
    if (files.osRelease !== undefined) {
      const os = note('/etc/os-release', parseOsRelease(files.osRelease))
      if (os.ok && os.value.id !== undefined) {
        const v = os.value
        const family = familyOf([v.id!, ...v.idLike])
        const versionId = v.versionId ?? ''
        // XCP-ng and XenServer both say ID=xenenterprise; NAME tells them apart.
        const id = v.id === 'xenenterprise' && v.name ? slug(v.name) : v.id!
        return parsed({family, id, versionId, pretty: v.prettyName ?? `${v.name ?? v.id} ${versionId}`.trim(), source: '/etc/os-release'}, problems)
      }
    }
    if (files.redhatRelease !== undefined) {
      const rh = note('/etc/redhat-release', parseRedhatRelease(files.redhatRelease))
      if (rh.ok) {
        const v = rh.value
        const pretty = splitLines(files.redhatRelease).find((l) => l.trim() !== '')!.trim()
        return parsed({family: v.family, id: v.id, versionId: v.version, pretty, source: '/etc/redhat-release'}, problems)
      }
    }
    if (files.debianVersion !== undefined) {
      const dv = note('/etc/debian_version', parseDebianVersion(files.debianVersion))
      if (dv.ok) return parsed({family: 'debian', id: 'debian', versionId: dv.value.version, pretty: `Debian ${dv.value.version}`, source: '/etc/debian_version'}, problems)
    }
    return parsed({family: 'unknown', id: '', versionId: '', pretty: '', source: 'none'}, problems)
  })
}
