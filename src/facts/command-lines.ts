/**
 * The command lines that decide whether a region exists: the Xen line the hypervisor is running with
 * (crashkernel= must be there on Xen), dom0's or the native kernel's own line, and the crashkernel=
 * value each carries.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {lastToken, parseCmdline, type Cmdline, type CmdlineDialect, type CmdlineToken} from '../parsers/cmdline.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'
import {xlInfoEvidence, xlInfoOf} from './host.js'
import type {XenBootLogFact} from './xen-boot-log.js'

export interface CommandLine {
  text: string
  dialect: CmdlineDialect
  parsed: Cmdline
  /** Where the line was read, for every finding that quotes it. */
  evidence: Evidence
}

export function commandLine(text: string, dialect: CmdlineDialect, evidence: Evidence): CommandLine {
  const result = parseCmdline(text, dialect)
  // The tokenizer is total; a failed parse still leaves an empty line rather than a missing one.
  const parsed = result.ok ? result.value : {dialect, tokens: [], afterSeparator: []}
  return {text, dialect, parsed, evidence}
}

/** The last `crashkernel=` token: the one Xen and Linux act on. */
export function crashkernelToken(line: CommandLine): CmdlineToken | undefined {
  return lastToken(line.parsed, 'crashkernel')
}

export function runningXenLine(snapshot: Snapshot, bootLog: XenBootLogFact): Fact<CommandLine> {
  const xl = xlInfoOf(snapshot)
  if (xl?.info.xenCommandline !== undefined) {
    return known(commandLine(xl.info.xenCommandline, 'xen', xlInfoEvidence(snapshot, xl, 'xen_commandline')))
  }
  if (bootLog.known && bootLog.value.commandLine) {
    const {text, evidence} = bootLog.value.commandLine
    return known(commandLine(text, 'xen', evidence))
  }
  const why = xl
    ? 'xl info has no xen_commandline (Xen 3.x) and the Xen boot log has no Command line: line'
    : 'neither xl info nor the Xen boot log (xl dmesg) was collected'
  return unknown(why)
}

export function runningLinuxLine(snapshot: Snapshot): Fact<CommandLine> {
  const file = snapshot.file('/proc/cmdline')
  if (!file) return unknown('/proc/cmdline was not collected')
  return known(commandLine(file.text.replace(/\n$/, ''), 'linux', fileEvidence(file, 1)))
}
