/**
 * What the distribution's own kdump tooling says about this host, kept apart from our verdict so the
 * two can be compared (KD603) and a recorded test can count as proof (KD600):
 * - the status commands, as the probes `kdumpctl-status`, `kdump-config-status` and
 *   `service-kdump-status` captured them (only probes whose program ran);
 * - the last `kdumpctl test` (kdump-utils, RHEL 9.5+ / Fedora): `/var/lib/kdump/vmcore-creation.status`,
 *   or kdumpctl status's "Notice: ... vmcore creation test ..." line when the file was not collected.
 * Neither is evidence about a loaded capture kernel by itself: the status commands read dom0's sysfs,
 * which a pvops dom0 reads as 0 whatever Xen holds.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {parseKdumpStatus, type KdumpStatusReading, type KdumpStatusTool} from '../parsers/kdump-status.js'
import {parseVmcoreCreationStatus, type VmcoreTestStatus} from '../parsers/vmcore-status.js'
import type {ProbeResult, Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence, missingFile, probeEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export const STATUS_PROBES: ReadonlyArray<{probe: string; tool: KdumpStatusTool; command: string}> = [
  {probe: 'kdumpctl-status', tool: 'kdumpctl', command: 'kdumpctl status'},
  {probe: 'kdump-config-status', tool: 'kdump-config', command: 'kdump-config status'},
  {probe: 'service-kdump-status', tool: 'service', command: 'service kdump status'},
]

export interface DistroStatus {
  probe: string
  /** The command as a person would type it. */
  command: string
  /** Undefined when the output could not be read at all. */
  reading?: KdumpStatusReading
  /** The line that carried the verdict, or the exit status. */
  evidence: Evidence[]
  /** Parser complaints, such as an exit status that contradicts the printed verdict. */
  problems: string[]
}

export interface VmcoreTestRecord {
  status: VmcoreTestStatus
  /** When the test was started, seconds since the epoch, or as kdumpctl printed it. */
  when?: number | string
  testId?: string
  /** Which record said so, in words. */
  by: string
  evidence: Evidence[]
}

export interface DistroReport {
  statuses: DistroStatus[]
  /** The last vmcore creation test; known `null` when nothing on the host records one. */
  vmcoreTest: Fact<VmcoreTestRecord | null>
}

export const VMCORE_STATUS_FILE = '/var/lib/kdump/vmcore-creation.status'

function lineEvidence(probe: ProbeResult, line: {line: number; stream: 'stdout' | 'stderr'}): Evidence {
  return probeEvidence(probe, line.line, line.stream === 'stderr' ? 'err' : 'out')
}

function statuses(snapshot: Snapshot): DistroStatus[] {
  const out: DistroStatus[] = []
  for (const {probe: name, tool, command} of STATUS_PROBES) {
    const probe = snapshot.ranProbe(name)
    if (!probe) continue
    const code = probe.exit.kind === 'exited' ? probe.exit.code : undefined
    const parsed = parseKdumpStatus(tool, probe.out, probe.err, code)
    const exit = probeEvidence(probe)
    if (!parsed.ok) {
      out.push({probe: name, command, evidence: [exit], problems: parsed.problems.map((p) => p.message)})
      continue
    }
    const reading = parsed.value
    const decided = reading.decidedBy ? [lineEvidence(probe, reading.decidedBy)] : []
    out.push({probe: name, command, reading, evidence: [...decided, exit], problems: parsed.problems.map((p) => p.message)})
  }
  return out
}

function vmcoreTest(snapshot: Snapshot, kdumpctl: DistroStatus | undefined): Fact<VmcoreTestRecord | null> {
  const file = snapshot.file(VMCORE_STATUS_FILE)
  if (file) {
    const parsed = parseVmcoreCreationStatus(file.text)
    if (!parsed.ok) return unknown(`${VMCORE_STATUS_FILE} could not be read: ${parsed.problems.map((p) => p.message).join('; ')}`, [fileEvidence(file)])
    const v = parsed.value
    const record: VmcoreTestRecord = {status: v.status, by: VMCORE_STATUS_FILE, evidence: [v.line ? fileEvidence(file, v.line) : {...fileEvidence(file), text: '(empty)'}]}
    if (v.time !== undefined) record.when = v.time
    if (v.testId !== undefined) record.testId = v.testId
    return known(record, record.evidence)
  }
  const state = snapshot.fileState(VMCORE_STATUS_FILE)
  if (state.state === 'unreadable') return unknown(`${VMCORE_STATUS_FILE} exists but could not be read (${state.reason})`, [missingFile(snapshot, VMCORE_STATUS_FILE)])
  const notice = kdumpctl?.reading?.lastTest
  const probe = snapshot.ranProbe('kdumpctl-status')
  if (notice && probe) {
    const evidence = [lineEvidence(probe, notice.from)]
    return known({status: notice.result, ...(notice.at ? {when: notice.at} : {}), by: 'kdumpctl status', evidence}, evidence)
  }
  return known(null, [missingFile(snapshot, VMCORE_STATUS_FILE)])
}

export function distroReport(snapshot: Snapshot): DistroReport {
  const all = statuses(snapshot)
  return {statuses: all, vmcoreTest: vmcoreTest(snapshot, all.find((s) => s.probe === 'kdumpctl-status'))}
}
