/**
 * Xen's boot log (`xl dmesg`, `xm dmesg`): the only place that says whether Xen really reserved the
 * crash region. On a long-running host the ring buffer wraps, and then a missing line proves nothing.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {parseXlDmesg, type XlDmesg} from '../parsers/xl-dmesg.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {probeEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export type KdumpReservation =
  | {kind: 'reserved'; sizeBytes: number; start: bigint; evidence: Evidence}
  | {kind: 'disabled'; evidence: Evidence}

export interface XenBootLog {
  probe: string
  parsed: XlDmesg
  /** The buffer no longer holds the start of boot (or the probe was cut short): absences prove nothing. */
  wrapped: boolean
  commandLine?: {text: string; evidence: Evidence}
  kdump?: KdumpReservation
  /** Xen's own complaints about crashkernel= (`crashkernel: '-' expected`, `'...' ignored`), verbatim. */
  crashkernelWarnings: Evidence[]
}

export type XenBootLogFact = Fact<XenBootLog>

export function xenBootLog(snapshot: Snapshot): XenBootLogFact {
  for (const name of ['xl-dmesg', 'xm-dmesg']) {
    const probe = snapshot.probe(name)
    if (!probe || probe.exit.kind === 'missing' || probe.out.trim() === '') continue
    const result = parseXlDmesg(probe.out)
    if (!result.ok) continue
    const log = result.value
    const at = (line: number): Evidence => probeEvidence(probe, line)
    const kdump: KdumpReservation | undefined = log.kdump
      ? log.kdump.status === 'reserved'
        ? {kind: 'reserved', sizeBytes: log.kdump.sizeKiB * 1024, start: log.kdump.start, evidence: at(log.kdump.line)}
        : {kind: 'disabled', evidence: at(log.kdump.line)}
      : undefined
    const warnings = [...log.crashkernelWarnings, ...log.ignored.filter((l) => /crashkernel|below/.test(l.text))]
    return known(
      {
        probe: name,
        parsed: log,
        wrapped: log.wrapped || probe.exit.kind === 'timeout',
        ...(log.commandLine ? {commandLine: {text: log.commandLine.value, evidence: at(log.commandLine.line)}} : {}),
        ...(kdump ? {kdump} : {}),
        crashkernelWarnings: warnings.sort((a, b) => a.line - b.line).map((w) => at(w.line)),
      },
      [probeEvidence(probe)],
    )
  }
  return unknown('the Xen boot log (xl dmesg / xm dmesg) was not collected')
}
