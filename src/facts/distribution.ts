/**
 * Which distribution the host (or image) runs, from /etc/xensource-inventory, /etc/os-release,
 * /etc/redhat-release and /etc/debian_version (parsers/os-release.ts), and the state of the files the
 * kdump services read their configuration from.
 */
import {summarizeDistro, type DistroSummary} from '../parsers/os-release.js'
import type {FileState} from '../snapshot/evidence-state.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

const DISTRO_FILES = ['/etc/xensource-inventory', '/etc/os-release', '/etc/redhat-release', '/etc/debian_version'] as const

export function distribution(snapshot: Snapshot): Fact<DistroSummary> {
  const text = (path: string): string | undefined => snapshot.file(path)?.text
  const summary = summarizeDistro({
    xensourceInventory: text('/etc/xensource-inventory'),
    osRelease: text('/etc/os-release'),
    redhatRelease: text('/etc/redhat-release'),
    debianVersion: text('/etc/debian_version'),
  })
  if (!summary.ok || summary.value.source === 'none') {
    return unknown(`none of ${DISTRO_FILES.join(', ')} names a distribution`)
  }
  const file = snapshot.file(summary.value.source)
  return known(summary.value, file ? [fileEvidence(file)] : [])
}

/** The files the kdump services read their configuration from (RHEL, SUSE and XenServer, Debian). */
export const KDUMP_CONFIG_FILES = ['/etc/kdump.conf', '/etc/sysconfig/kdump', '/etc/default/kdump-tools'] as const
export type KdumpConfigFile = (typeof KDUMP_CONFIG_FILES)[number]

export function kdumpConfigFiles(snapshot: Snapshot): Record<KdumpConfigFile, FileState> {
  return Object.fromEntries(KDUMP_CONFIG_FILES.map((path) => [path, snapshot.fileState(path)])) as Record<KdumpConfigFile, FileState>
}
