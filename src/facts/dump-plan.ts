/**
 * Where and how the capture kernel will write the vmcore, and what it does afterwards, as the host's
 * kdump service is configured: RHEL's kdump.conf, Debian's kdump-tools, SUSE's sysconfig, XenServer's.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {parseKdumpConf, type KdumpDirective, type KdumpTarget} from '../parsers/kdump-conf.js'
import {parseCoreCollector, parseMakedumpfileArgs, type Collector} from '../parsers/makedumpfile-args.js'
import type {ShellAssignment} from '../parsers/shell-vars.js'
import type {Snapshot, SnapshotFile} from '../snapshot/snapshot.js'
import {fileEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'
import type {KdumpService} from './kdump-service.js'

export interface DumpTarget {
  kind: 'local' | 'fs' | 'raw' | 'nfs' | 'ssh' | 'virtiofs'
  /** In words, for the report: `/var/crash on the root filesystem`, `nfs server:/export`. */
  description: string
  /** The directory the dump goes to (on the target filesystem, or locally). */
  path: string
  target?: KdumpTarget
  evidence: Evidence[]
}

export interface CollectorPlan {
  collector: Collector
  text: string
  /** `configured` in the file, or the service's built-in default. */
  origin: 'configured' | 'default'
  evidence: Evidence[]
}

export interface Action {
  value: string
  origin: 'configured' | 'default'
  evidence: Evidence[]
}

export interface DumpPlan {
  family: KdumpService['family']
  target: DumpTarget
  collector?: CollectorPlan
  /** Why `collector` is absent, in words the checks can quote. */
  collectorUnknown?: string
  failureAction?: Action
  finalAction?: Action
  /** Configuration problems the service itself would refuse or misread (kdump.conf). */
  problems: Array<{message: string; evidence: Evidence}>
  /** Debian: USE_KDUMP; kdump-config does nothing unless it is 1. */
  useKdump?: {value: boolean; evidence: Evidence[]}
  /** XenServer/XCP-ng: whether the capture side keeps a vmcore at all (CRASH_COREDUMP). */
  keepsVmcore?: {value: boolean; evidence: Evidence[]}
}

function at(file: SnapshotFile | undefined, assignment: ShellAssignment | undefined): Evidence[] {
  return file && assignment ? [fileEvidence(file, assignment.line)] : file ? [fileEvidence(file)] : []
}

export function dumpPlan(snapshot: Snapshot, service: Fact<KdumpService>): Fact<DumpPlan> {
  if (!service.known) return unknown(service.reason)
  const s = service.value
  switch (s.family) {
    case 'rhel':
      return rhelPlan(snapshot, s)
    case 'debian':
      return debianPlan(s)
    case 'suse':
      return susePlan(s)
    case 'xenserver':
      return xenserverPlan(s)
  }
}

function rhelPlan(snapshot: Snapshot, service: KdumpService): Fact<DumpPlan> {
  const file = snapshot.file('/etc/kdump.conf')
  if (!file) {
    return unknown('/etc/kdump.conf was not collected', service.evidence)
  }
  const parsed = parseKdumpConf(file.text)
  if (!parsed.ok) return unknown(`/etc/kdump.conf could not be read: ${parsed.problems.map((p) => p.message).join('; ')}`, [fileEvidence(file)])
  const {summary} = parsed.value
  const ev = (line: number | undefined): Evidence[] => (line ? [fileEvidence(file, line)] : [{...fileEvidence(file), text: 'default (not set)'}])
  const t = summary.target
  const path = summary.path.value
  const target: DumpTarget = t
    ? {
        kind: t.kind,
        description:
          t.kind === 'nfs' ? `nfs ${t.spec}${path}` : t.kind === 'ssh' ? `ssh ${t.spec}:${path}` : t.kind === 'raw' ? `raw device ${t.spec}` : `${path} on ${t.fstype ?? ''} ${t.spec}`.replace(/\s+/g, ' '),
        path,
        target: t,
        evidence: [fileEvidence(file, t.line), ...ev(summary.path.line)],
      }
    : {kind: 'local', description: `${path} on the root filesystem`, path, evidence: ev(summary.path.line)}
  // The built-in collector changed with the era; RHEL 5's mkdumprd default is not known well enough to judge.
  const major = rhelMajor(snapshot)
  // An unknown release is an unknown era (the release file unread, or none): its default is not assumed to be today's.
  const eraDefault = Number.isNaN(major) || major === 5 ? undefined : major === 6 ? 'makedumpfile -c --message-level 1 -d 31' : major === 7 || major === 8 ? 'makedumpfile -l --message-level 1 -d 31' : summary.coreCollector.value
  const collectorText = summary.coreCollector.line ? summary.coreCollector.value : eraDefault
  const collector = collectorText === undefined ? {ok: false as const} : parseCoreCollector(collectorText)
  const noDefault = Number.isNaN(major)
    ? `no core_collector is set, and the built-in default changed with the release, which is unknown (${releaseState(snapshot)})`
    : "no core_collector is set, and RHEL 5's built-in default is not known well enough to judge"
  return known(
    {
      family: 'rhel',
      target,
      ...(collector.ok
        ? {collector: {collector: collector.value, text: collectorText!, origin: summary.coreCollector.line ? 'configured' : 'default', evidence: ev(summary.coreCollector.line)}}
        : {collectorUnknown: collectorText === undefined ? noDefault : `core_collector "${collectorText}" could not be read`}),
      failureAction: {value: summary.failureAction.value, origin: summary.failureAction.line ? 'configured' : 'default', evidence: ev(summary.failureAction.line)},
      finalAction: {value: summary.finalAction.value, origin: summary.finalAction.line ? 'configured' : 'default', evidence: ev(summary.finalAction.line)},
      problems: [
        ...parsed.problems.map((p) => ({message: p.message, evidence: p.line ? fileEvidence(file, p.line) : fileEvidence(file)})),
        ...refusedByThisEra(snapshot, parsed.value.directives).map((d) => ({message: `'${d.name}': ${d.deprecated}`, evidence: fileEvidence(file, d.line)})),
      ],
    },
    [fileEvidence(file)],
  )
}

/**
 * Directives of another era that this host's kdumpctl refuses (RHEL 7+ stops at `net`, `options`,
 * `link_delay`...). On RHEL 5/6 they are still valid; when the release is unknown they are not judged.
 */
function rhelMajor(snapshot: Snapshot): number {
  const release = snapshot.file('/etc/redhat-release')?.text ?? ''
  const osRelease = /^VERSION_ID="?(\d+)/m.exec(snapshot.file('/etc/os-release')?.text ?? '')?.[1]
  return Number(/release (\d+)/.exec(release)?.[1] ?? osRelease ?? Number.NaN)
}

function releaseState(snapshot: Snapshot): string {
  return ['/etc/redhat-release', '/etc/os-release']
    .map((path) => {
      const state = snapshot.fileState(path)
      return `${path} ${state.state === 'unreadable' ? 'could not be read' : state.state === 'absent' ? 'is absent' : 'names no release'}`
    })
    .join(', ')
}

function refusedByThisEra(snapshot: Snapshot, directives: KdumpDirective[]): KdumpDirective[] {
  const major = rhelMajor(snapshot)
  if (Number.isNaN(major) || major < 7) return []
  return directives.filter((d) => d.deprecated && /refuses|rejects/.test(d.deprecated) && (major >= 8 || !/RHEL 7 only/.test(d.deprecated)))
}

function debianPlan(service: Extract<KdumpService, {family: 'debian'}>): Fact<DumpPlan> {
  const {file, config} = service
  const nfs = config.nfs?.value
  const ssh = config.ssh?.value
  const coreDir = config.coreDir
  const target: DumpTarget = nfs
    ? {kind: 'nfs', description: `nfs ${nfs}`, path: coreDir, evidence: at(file, config.nfs)}
    : ssh
      ? {kind: 'ssh', description: `ssh ${ssh}:${coreDir}`, path: coreDir, evidence: at(file, config.ssh)}
      : {kind: 'local', description: `${coreDir} on the local filesystem`, path: coreDir, evidence: at(file, config.coreDirSetting)}
  const collector = parseMakedumpfileArgs(config.makedumpArgs)
  const failCmd = config.failCmd?.value
  return known(
    {
      family: 'debian',
      target,
      ...(collector.ok
        ? {collector: {collector: collector.value, text: `makedumpfile ${config.makedumpArgs}`, origin: config.makedumpArgsSetting ? 'configured' : 'default', evidence: at(file, config.makedumpArgsSetting)}}
        : {}),
      // kdump-config reboots after saving, and runs KDUMP_FAIL_CMD (default: reboot) when saving fails.
      failureAction: failCmd
        ? {value: failCmd, origin: 'configured', evidence: at(file, config.failCmd)}
        : {value: 'reboot', origin: 'default', evidence: at(file, undefined)},
      finalAction: {value: 'reboot', origin: 'default', evidence: at(file, undefined)},
      problems: [],
      useKdump: {value: config.useKdump, evidence: at(file, config.useKdumpSetting)},
    },
    [fileEvidence(file)],
  )
}

function susePlan(service: KdumpService): Fact<DumpPlan> {
  const config = service.family === 'suse' ? service.config : undefined
  const file = service.file
  const saveDir = config?.saveDir?.value || '/var/crash'
  const url = /^(\w+):\/\/(.*)$/.exec(saveDir)
  const scheme = url?.[1] ?? 'file'
  const kind: DumpTarget['kind'] = scheme === 'nfs' ? 'nfs' : scheme === 'ssh' || scheme === 'sftp' ? 'ssh' : 'local'
  const level = config?.dumpLevel?.value || '31'
  const format = config?.dumpFormat?.value || 'compressed'
  const args = `-d ${level}${format === 'ELF' ? ' -E' : format === 'lzo' ? ' -l' : format === 'compressed' ? ' -c' : ''}`
  const collector = parseMakedumpfileArgs(args)
  return known({
    family: 'suse',
    target: {kind, description: saveDir, path: kind === 'local' ? (url?.[2] ? `/${url[2].replace(/^\/+/, '')}` : saveDir) : saveDir, evidence: at(file, config?.saveDir)},
    ...(collector.ok ? {collector: {collector: collector.value, text: `makedumpfile ${args}`, origin: config?.dumpLevel ? 'configured' : 'default', evidence: at(file, config?.dumpLevel)}} : {}),
    problems: [],
  })
}

function xenserverPlan(service: KdumpService): Fact<DumpPlan> {
  const config = service.family === 'xenserver' ? service.config : undefined
  const coredump = config?.crashCoredump
  return known({
    family: 'xenserver',
    target: {kind: 'local', description: '/var/crash on the control domain', path: '/var/crash', evidence: service.evidence},
    problems: [],
    keepsVmcore: {value: /^(yes|true|1)$/i.test(coredump?.value ?? 'no'), evidence: at(service.file, coredump)},
  })
}
