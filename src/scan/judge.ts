/** A snapshot in, one host's judged result out: the pipeline's report plus what the fleet summary groups by. */
import type {Config} from '../config/config.js'
import {summarizeDistro} from '../parsers/os-release.js'
import {assess} from '../pipeline.js'
import {EXIT_CODES} from '../report/report.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {SCAN_RESULT_SCHEMA, type FailureKind, type HostResult} from './result.js'

export interface HostIdentity {
  name: string
  target: string
  groups: string[]
}

export function judgedResult(host: HostIdentity, snapshot: Snapshot, config: Config, started: Date): HostResult {
  const {facts, report} = assess(snapshot, config)
  const distro = summarizeDistro({
    osRelease: snapshot.file('/etc/os-release')?.text,
    redhatRelease: snapshot.file('/etc/redhat-release')?.text,
    debianVersion: snapshot.file('/etc/debian_version')?.text,
    xensourceInventory: snapshot.file('/etc/xensource-inventory')?.text,
  })
  let distribution = 'unknown'
  if (distro.ok && distro.value.id) {
    const {id, versionId, family} = distro.value
    // Majors are what fleets are planned by; XenServer/XCP-ng versions are product versions (8.2).
    const version = family === 'xenserver' ? versionId.split('.').slice(0, 2).join('.') : versionId.split('.')[0]
    distribution = `${id}${version ? ` ${version}` : ''}`
  }
  return {
    schema: SCAN_RESULT_SCHEMA,
    host: host.name,
    target: host.target,
    groups: host.groups,
    status: 'judged',
    verdict: report.verdict,
    exit_code: report.exit_code,
    distribution,
    ...(facts.xenVersion.known ? {xen_version: facts.xenVersion.value.text} : {}),
    started_at: started.toISOString(),
    duration_ms: Date.now() - started.getTime(),
    report,
  }
}

export function unreachableResult(host: HostIdentity, failure: FailureKind, reason: string, started: Date): HostResult {
  return {
    schema: SCAN_RESULT_SCHEMA,
    host: host.name,
    target: host.target,
    groups: host.groups,
    status: 'unreachable',
    verdict: 'UNVERIFIED',
    exit_code: EXIT_CODES.UNVERIFIED,
    failure,
    reason,
    started_at: started.toISOString(),
    duration_ms: Date.now() - started.getTime(),
  }
}

/** A `scan --snapshots` member that is no usable snapshot: one result line, UNVERIFIED, with the reason. */
export function errorResult(host: HostIdentity, reason: string, started: Date): HostResult {
  return {
    schema: SCAN_RESULT_SCHEMA,
    host: host.name,
    target: host.target,
    groups: host.groups,
    status: 'error',
    verdict: 'UNVERIFIED',
    exit_code: EXIT_CODES.UNVERIFIED,
    reason,
    started_at: started.toISOString(),
    duration_ms: Date.now() - started.getTime(),
  }
}
