/**
 * The memory the running kernel itself manages: `MemTotal` in /proc/meminfo. Natively that is (about)
 * the machine's RAM; on a Xen dom0 it is dom0's own share (`dom0_mem=`), which is what remains of a
 * vmcore once makedumpfile `-X` has dropped the guests' pages. (The whole machine is `machineRamBytes`.)
 *
 *   MemTotal:        8071336 kB
 */
import type {Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence, missingFile} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export function kernelMemoryBytes(snapshot: Snapshot): Fact<number> {
  const meminfo = snapshot.file('/proc/meminfo')
  if (!meminfo) return unknown('/proc/meminfo was not collected', snapshot.kind === 'runtime' ? [missingFile(snapshot, '/proc/meminfo')] : [])
  const lines = meminfo.text.split('\n')
  const at = lines.findIndex((l) => /^MemTotal:\s+\d+\s+kB\s*$/.test(l))
  if (at < 0) return unknown('/proc/meminfo has no "MemTotal: <n> kB" line', [fileEvidence(meminfo)])
  const kib = Number(/(\d+)/.exec(lines[at]!)![1])
  if (!Number.isSafeInteger(kib) || kib <= 0) return unknown(`/proc/meminfo MemTotal is not a usable size: ${lines[at]!.trim()}`, [fileEvidence(meminfo, at + 1)])
  return known(kib * 1024, [fileEvidence(meminfo, at + 1)])
}
