/**
 * Which kdump service will load the capture kernel, and with what: the kernel it picks, its initrd
 * and the command line it builds. None of the distributions' services (except SUSE's and XenServer's)
 * knows about Xen: left unconfigured they copy dom0's own command line, Xen-only console included.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {parseKdumpSysconfig, parseKdumpTools, type KdumpSysconfig, type KdumpTools} from '../parsers/kdump-sysconfig.js'
import type {ShellAssignment} from '../parsers/shell-vars.js'
import type {Snapshot, SnapshotFile} from '../snapshot/snapshot.js'
import {commandLine, type CommandLine} from './command-lines.js'
import {fileEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export type KdumpFamily = 'rhel' | 'debian' | 'suse' | 'xenserver'

/** What the shell-variable parser could not read in the service's file: a quote left open tears every value after it. */
export interface TornConfig {
  line?: number
  message: string
}

export type KdumpService =
  | {family: 'debian'; file: SnapshotFile; config: KdumpTools; evidence: Evidence[]; torn?: TornConfig}
  | {family: 'rhel' | 'suse'; file?: SnapshotFile; config?: KdumpSysconfig; evidence: Evidence[]; torn?: TornConfig}
  | {family: 'xenserver'; file?: SnapshotFile; config?: KdumpSysconfig; evidence: Evidence[]; torn?: TornConfig}

export interface CaptureCommandLine {
  line: CommandLine
  /** `explicit`: configured; `copied`: the service copies the running kernel's /proc/cmdline. */
  origin: 'explicit' | 'copied'
  evidence: Evidence[]
}

export function kdumpService(snapshot: Snapshot): Fact<KdumpService> {
  const sysconfigFile = snapshot.file('/etc/sysconfig/kdump')
  const sysconfig = sysconfigFile ? parseKdumpSysconfig(sysconfigFile.text) : undefined
  const withSysconfig = sysconfigFile && sysconfig?.ok ? {file: sysconfigFile, config: sysconfig.value, ...tornOf(sysconfig.problems)} : {}
  const inventory = snapshot.file('/etc/xensource-inventory')
  if (inventory) {
    const evidence = [fileEvidence(inventory, 1)]
    return known({family: 'xenserver', ...withSysconfig, evidence}, evidence)
  }
  const debianFile = snapshot.file('/etc/default/kdump-tools')
  const debian = debianFile ? parseKdumpTools(debianFile.text) : undefined
  if (debianFile && debian?.ok) {
    const evidence = [fileEvidence(debianFile)]
    return known({family: 'debian', file: debianFile, config: debian.value, evidence, ...tornOf(debian.problems)}, evidence)
  }
  const osRelease = snapshot.file('/etc/os-release')?.text ?? ''
  const suse = /^ID_LIKE=.*suse|^ID="?(sles|opensuse)/m.test(osRelease) || (sysconfig?.ok && sysconfig.value.flavour === 'suse')
  const kdumpConf = snapshot.file('/etc/kdump.conf')
  if (sysconfigFile || kdumpConf) {
    const evidence = [fileEvidence((sysconfigFile ?? kdumpConf)!)]
    return known({family: suse ? 'suse' : 'rhel', ...withSysconfig, evidence}, evidence)
  }
  return unknown('no kdump service configuration (/etc/kdump.conf, /etc/sysconfig/kdump, /etc/default/kdump-tools) was found')
}

function tornOf(problems: readonly {line?: number; message: string}[]): {torn?: TornConfig} {
  const torn = problems.find((p) => /unterminated/i.test(p.message))
  return torn ? {torn: {...(torn.line !== undefined ? {line: torn.line} : {}), message: torn.message}} : {}
}

function at(service: KdumpService, assignment: ShellAssignment | undefined): Evidence | undefined {
  return assignment && service.file ? fileEvidence(service.file, assignment.line) : undefined
}

/** The capture kernel's command line as the service will build it at load time. */
export function captureCommandLine(service: KdumpService, dom0Line: Fact<CommandLine>): Fact<CaptureCommandLine> {
  if (service.family === 'xenserver') return unknown('XenServer builds the capture command line itself')
  let base: ShellAssignment | undefined
  let append: string | undefined
  let appendSetting: ShellAssignment | undefined
  if (service.family === 'debian') {
    base = service.config.cmdline
    append = service.config.cmdlineAppend
    appendSetting = service.config.cmdlineAppendSetting
  } else {
    base = service.config?.commandline
    appendSetting = service.config?.commandlineAppend
    append = appendSetting?.value
  }
  const evidence = [at(service, base), at(service, appendSetting)].filter((e): e is Evidence => e !== undefined)
  if (service.torn && service.file) {
    // A quote left open swallows the lines after it: where the command line (or its append) ends cannot be read.
    return unknown(`${service.file.path} has an ${service.torn.message}${service.torn.line ? ` (line ${service.torn.line})` : ''}: the capture command line it sets cannot be read`, [...evidence, ...(service.torn.line ? [fileEvidence(service.file, service.torn.line)] : [])])
  }
  if (base && base.value.trim() !== '') {
    const text = `${base.value} ${append ?? ''}`.trim()
    return known({line: commandLine(text, 'linux', at(service, base)!), origin: 'explicit', evidence}, evidence)
  }
  if (!dom0Line.known) return unknown(`no capture command line is configured, so the service copies /proc/cmdline, which is unknown: ${dom0Line.reason}`, evidence)
  // The services drop crashkernel= (and RHEL some memory options) from the copy; the console stays.
  const copied = dom0Line.value.parsed.tokens
    .filter((t) => t.key !== 'crashkernel' && t.key !== 'BOOT_IMAGE')
    .map((t) => t.raw)
    .join(' ')
  const text = `${copied} ${append ?? ''}`.trim()
  const all = [dom0Line.value.evidence, ...evidence]
  return known({line: commandLine(text, 'linux', dom0Line.value.evidence), origin: 'copied', evidence: all}, all)
}

export function hasToken(line: CommandLine, key: string, value?: RegExp): boolean {
  return line.parsed.tokens.some((t) => t.key === key && (value === undefined || value.test(t.value ?? '')))
}
