/**
 * The memory the running kernel itself manages: `MemTotal` in /proc/meminfo (parsers/meminfo.ts). Natively
 * that is (about) the machine's RAM; on a Xen dom0 it is dom0's own share (`dom0_mem=`), which is what
 * remains of a vmcore once makedumpfile `-X` has dropped the guests' pages. (The whole machine is
 * `machineRamBytes`.)
 */
import {parseMeminfo} from '../parsers/meminfo.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {KiB} from '../units.js'
import {fileEvidence, missingFile} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export function kernelMemoryBytes(snapshot: Snapshot): Fact<number> {
  const meminfo = snapshot.file('/proc/meminfo')
  if (!meminfo) return unknown('/proc/meminfo was not collected', snapshot.kind === 'runtime' ? [missingFile(snapshot, '/proc/meminfo')] : [])
  const parsed = parseMeminfo(meminfo.text)
  const total = parsed.ok ? parsed.value.get('MemTotal') : undefined
  if (!total || !total.kB) return unknown('/proc/meminfo has no "MemTotal: <n> kB" line', [fileEvidence(meminfo)])
  if (total.value <= 0) return unknown(`/proc/meminfo MemTotal is not a usable size: ${total.value} kB`, [fileEvidence(meminfo, total.line)])
  return known(total.value * KiB, [fileEvidence(meminfo, total.line)])
}
