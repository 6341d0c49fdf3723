/**
 * Is a crash region reserved, and how large? On Xen only the hypervisor knows (its boot log, and a
 * xenolinux dom0's /proc/iomem copy of it); a pvops dom0's own sysfs and iomem read 0 whatever Xen did.
 * Natively, the kernel's /proc/iomem and /sys/kernel/kexec_crash_size tell the truth.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {iomemSize, parseIomem} from '../parsers/iomem.js'
import {parseSysfsBytes} from '../parsers/kexec-sysfs.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import type {CommandLine} from './command-lines.js'
import {crashkernelToken} from './command-lines.js'
import {fileEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'
import type {Dom0Flavour, HostRole} from './host.js'
import type {XenBootLogFact} from './xen-boot-log.js'

export type CrashRegion =
  | {reserved: true; sizeBytes: number; start?: bigint}
  | {reserved: false; why: string}

interface IomemCrash {
  sizeBytes: number
  start: bigint
  evidence: Evidence
}

/** The `Crash kernel` range of /proc/iomem; addresses read as zeros by a non-root reader say nothing. */
export function iomemCrashKernel(snapshot: Snapshot): {found?: IomemCrash; readable: boolean; evidence?: Evidence} {
  const file = snapshot.file('/proc/iomem')
  if (!file) return {readable: false}
  const result = parseIomem(file.text)
  if (!result.ok) return {readable: false, evidence: {...fileEvidence(file, 1), text: 'unparsable'}}
  const iomem = result.value
  if (iomem.zeroedAddresses) return {readable: false, evidence: {...fileEvidence(file, 1), text: 'addresses hidden (read without root)'}}
  const crash = iomem.crashKernel
  if (crash.length === 0) return {readable: true, evidence: {source: fileEvidence(file).source, text: 'no "Crash kernel" range'}}
  const sizeBytes = crash.reduce((sum, node) => sum + Number(iomemSize(node)), 0)
  return {readable: true, found: {start: crash[0]!.start, sizeBytes, evidence: fileEvidence(file, crash[0]!.line)}}
}

export function crashRegion(
  snapshot: Snapshot,
  role: Fact<HostRole>,
  runningXen: Fact<CommandLine>,
  runningLinux: Fact<CommandLine>,
  bootLog: XenBootLogFact,
): Fact<CrashRegion> {
  if (!role.known) return unknown(`the host role is unknown (${role.reason})`)
  const r = role.value
  if (r.kind === 'xen-dom0' && r.mode === 'PV') return xenRegion(snapshot, r.kernel, runningXen, bootLog)
  return nativeRegion(snapshot, runningLinux)
}

function xenRegion(snapshot: Snapshot, kernel: Dom0Flavour, runningXen: Fact<CommandLine>, bootLog: XenBootLogFact): Fact<CrashRegion> {
  if (bootLog.known && bootLog.value.kdump) {
    const kdump = bootLog.value.kdump
    if (kdump.kind === 'reserved') return known({reserved: true, sizeBytes: kdump.sizeBytes, start: kdump.start}, [kdump.evidence])
    return known({reserved: false, why: 'Xen could not reserve the requested region'}, [kdump.evidence])
  }
  if (kernel === 'xenolinux') {
    const iomem = iomemCrashKernel(snapshot)
    if (iomem.found) return known({reserved: true, sizeBytes: iomem.found.sizeBytes, start: iomem.found.start}, [iomem.found.evidence])
  }
  if (runningXen.known && !crashkernelToken(runningXen.value)) {
    return known({reserved: false, why: 'no crashkernel= on the running Xen command line: Xen reserves nothing by default'}, [
      runningXen.value.evidence,
    ])
  }
  if (bootLog.known && !bootLog.value.wrapped) {
    return known({reserved: false, why: 'the complete Xen boot log has no Kdump: line: the region was not placed'}, bootLog.evidence)
  }
  const why = bootLog.known
    ? 'the Xen boot log has wrapped, so a missing Kdump: line proves nothing'
    : 'the Xen boot log (xl dmesg) was not collected'
  const blind = kernel === 'pvops' ? "; a pvops dom0's own /proc/iomem and sysfs cannot see Xen's region" : kernel === 'unknown' ? "; dom0's kernel flavour is unknown, so its own /proc/iomem and sysfs cannot be trusted to show Xen's region" : ''
  return unknown(`${why}${blind}`)
}

function nativeRegion(snapshot: Snapshot, runningLinux: Fact<CommandLine>): Fact<CrashRegion> {
  const iomem = iomemCrashKernel(snapshot)
  if (iomem.found) return known({reserved: true, sizeBytes: iomem.found.sizeBytes, start: iomem.found.start}, [iomem.found.evidence])
  const sizeFile = snapshot.file('/sys/kernel/kexec_crash_size')
  const parsedSize = sizeFile ? parseSysfsBytes(sizeFile.text) : undefined
  const size = parsedSize?.ok ? Number(parsedSize.value) : Number.NaN
  if (sizeFile && size > 0) return known({reserved: true, sizeBytes: size}, [fileEvidence(sizeFile, 1)])
  if (sizeFile && size === 0) return known({reserved: false, why: 'the kernel reports a crash region of 0 bytes'}, [fileEvidence(sizeFile, 1)])
  if (iomem.readable && iomem.evidence) return known({reserved: false, why: 'no Crash kernel range in /proc/iomem'}, [iomem.evidence])
  if (runningLinux.known && !crashkernelToken(runningLinux.value)) {
    return known({reserved: false, why: 'no crashkernel= on the kernel command line'}, [runningLinux.value.evidence])
  }
  return unknown('neither /proc/iomem (as root) nor /sys/kernel/kexec_crash_size was collected')
}
