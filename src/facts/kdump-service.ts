/**
 * Which kdump service will load the capture kernel, and with what: the kernel it picks and the
 * command line it builds. None of the distributions' services (except SUSE's and XenServer's) knows
 * about Xen: left unconfigured they copy dom0's own command line, Xen-only console included.
 */
import type {Evidence} from '../checks/types.js'
import {parseShellVars, type ShellVars} from '../parsers/shell-vars.js'
import type {Snapshot, SnapshotFile} from '../snapshot/snapshot.js'
import type {CommandLine} from './command-lines.js'
import {commandLine} from './command-lines.js'
import {fileEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export type KdumpFamily = 'rhel' | 'debian' | 'suse' | 'xenserver'

export interface CaptureCommandLine {
  line: CommandLine
  /** `explicit`: configured; `copied`: the service copies the running kernel's /proc/cmdline. */
  origin: 'explicit' | 'copied'
  evidence: Evidence[]
}

export interface KdumpService {
  family: KdumpFamily
  config?: {file: SnapshotFile; vars: ShellVars}
  evidence: Evidence[]
}

function shellFile(snapshot: Snapshot, path: string): {file: SnapshotFile; vars: ShellVars} | undefined {
  const file = snapshot.file(path)
  if (!file) return undefined
  const result = parseShellVars(file.text, {source: path})
  return result.ok ? {file, vars: result.value} : undefined
}

export function kdumpService(snapshot: Snapshot): Fact<KdumpService> {
  const inventory = snapshot.file('/etc/xensource-inventory')
  if (inventory) return known({family: 'xenserver', evidence: [fileEvidence(inventory, 1)]}, [fileEvidence(inventory, 1)])
  const debian = shellFile(snapshot, '/etc/default/kdump-tools')
  if (debian) return known({family: 'debian', config: debian, evidence: [fileEvidence(debian.file)]}, [fileEvidence(debian.file)])
  const sysconfig = shellFile(snapshot, '/etc/sysconfig/kdump')
  const osRelease = snapshot.file('/etc/os-release')?.text ?? ''
  const suse = /^ID_LIKE=.*suse|^ID="?(sles|opensuse)/m.test(osRelease) || (sysconfig?.vars.vars.KDUMP_SAVEDIR !== undefined && !snapshot.file('/etc/kdump.conf'))
  if (sysconfig && suse) return known({family: 'suse', config: sysconfig, evidence: [fileEvidence(sysconfig.file)]}, [fileEvidence(sysconfig.file)])
  const kdumpConf = snapshot.file('/etc/kdump.conf')
  if (sysconfig || kdumpConf) {
    const evidence = [fileEvidence((sysconfig?.file ?? kdumpConf)!)]
    return known({family: 'rhel', ...(sysconfig ? {config: sysconfig} : {}), evidence}, evidence)
  }
  return unknown('no kdump service configuration (/etc/kdump.conf, /etc/sysconfig/kdump, /etc/default/kdump-tools) was found')
}

function configured(service: KdumpService, name: string): {value: string; evidence: Evidence} | undefined {
  const assignment = service.config?.vars.vars[name]
  if (!assignment || !service.config) return undefined
  return {value: assignment.value, evidence: fileEvidence(service.config.file, assignment.line)}
}

/** The capture kernel's command line as the service will build it at load time. */
export function captureCommandLine(service: KdumpService, runningLinux: Fact<CommandLine>): Fact<CaptureCommandLine> {
  const names = {
    debian: ['KDUMP_CMDLINE', 'KDUMP_CMDLINE_APPEND'],
    rhel: ['KDUMP_COMMANDLINE', 'KDUMP_COMMANDLINE_APPEND'],
    suse: ['KDUMP_COMMANDLINE', 'KDUMP_COMMANDLINE_APPEND'],
    xenserver: ['', ''],
  }[service.family]
  if (service.family === 'xenserver') return unknown('XenServer builds the capture command line itself')
  const [baseName, appendName] = names as [string, string]
  const base = configured(service, baseName)
  const append = configured(service, appendName)
  const evidence = [base?.evidence, append?.evidence].filter((e): e is Evidence => e !== undefined)
  if (base && base.value.trim() !== '') {
    const text = `${base.value} ${append?.value ?? ''}`.trim()
    return known({line: commandLine(text, 'linux', base.evidence), origin: 'explicit', evidence}, evidence)
  }
  if (!runningLinux.known) return unknown(`${baseName} is not set, so the service copies /proc/cmdline, which was not collected`, evidence)
  // Both services drop crashkernel= (and RHEL some memory options) from the copy; the console stays.
  const copied = runningLinux.value.parsed.tokens
    .filter((t) => t.key !== 'crashkernel' && t.key !== 'BOOT_IMAGE')
    .map((t) => t.raw)
    .join(' ')
  const text = `${copied} ${append?.value ?? ''}`.trim()
  const all = [runningLinux.value.evidence, ...evidence]
  return known({line: commandLine(text, 'linux', runningLinux.value.evidence), origin: 'copied', evidence: all}, all)
}

export function hasToken(line: CommandLine, key: string, value?: RegExp): boolean {
  return line.parsed.tokens.some((t) => t.key === key && (value === undefined || value.test(t.value ?? '')))
}

