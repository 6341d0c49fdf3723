/**
 * The collector the capture environment will run, and how large its dump can get: facts combined from the
 * dump plan and the machine's memory. Pure functions of facts.
 */
import type {Evidence} from '../snapshot/evidence.js'
import type {Collector} from '../parsers/makedumpfile-args.js'
import {formatBytes} from '../units.js'
import type {CollectorPlan, DumpPlan} from './dump-plan.js'
import {known, unknown, type Fact} from './fact.js'

/** What dumpSize needs to know about the machine (a subset of Facts). */
export interface MemoryFacts {
  /** The host is a PV dom0 whose capture kernel sees the whole machine. */
  xenPvDom0: boolean
  machineRamBytes: Fact<number>
  kernelMemoryBytes: Fact<number>
}

export interface EffectiveCollector {
  collector: Collector
  /** As configured or defaulted, with what the service adds at run time. */
  text: string
  origin: CollectorPlan['origin']
  evidence: Evidence[]
  /** Why the effective command differs from the configured one. */
  note?: string
}

/** The collector the capture environment runs. SUSE's kdump adds `-X` itself when it dumps a Xen host. */
export function effectiveCollector(plan: DumpPlan, xenPvDom0: boolean): EffectiveCollector | undefined {
  const c = plan.collector
  if (!c) return undefined
  if (plan.family === 'suse' && xenPvDom0 && c.collector.kind === 'makedumpfile' && !c.collector.xenFilter) {
    return {collector: {...c.collector, xenFilter: true}, text: `${c.text} -X`, origin: c.origin, evidence: c.evidence, note: "SUSE's kdump adds -X on a Xen host"}
  }
  return {collector: c.collector, text: c.text, origin: c.origin, evidence: c.evidence}
}

/** The highest `-d` level makedumpfile will use (0 when none is given: makedumpfile then filters nothing). */
export function maxDumpLevel(c: Collector): number {
  return c.dumpLevels.length === 0 ? 0 : Math.max(...c.dumpLevels)
}

export interface DumpSize {
  /** The largest the dump can be: every page the collector keeps, before compression. */
  worstBytes: number
  /** What the worst case is made of, in words. */
  basis: string
  /** makedumpfile drops pages by type (`-d N`, N > 0): a typical dump is far smaller than the worst case. */
  filtered: boolean
  compressed: boolean
  /** On Xen without `-X`: every guest's memory is in the dump. */
  guests: boolean
  evidence: Evidence[]
}

/** Xen's own share of a `-X` dump (frame table, M2P, heap): about 1% of machine RAM; an estimate. */
export const XEN_SHARE = 0.01

/**
 * How large the dump can get. A capture kernel on Xen sees the whole machine, so without `-X` the dump
 * is as large as all machine RAM (xl info total_memory), guests included; `-X` leaves dom0's memory and
 * Xen's own; natively it is the kernel's RAM (MemTotal). `-d` filtering never lowers the worst case (a
 * host can use every page), and it cannot drop guest pages on Xen (dom0's page tables do not describe
 * them; only their zero pages go).
 */
export function dumpSize(facts: MemoryFacts, collector: Collector): Fact<DumpSize> {
  if (collector.kind === 'other') return unknown(`the collector ${collector.program} is neither makedumpfile nor a plain copy: its output size cannot be estimated`)
  const machine = facts.machineRamBytes
  if (!machine.known) return unknown(`the machine's RAM is unknown: ${machine.reason}`, machine.evidence)
  const makedumpfile = collector.kind === 'makedumpfile'
  const filtered = makedumpfile && maxDumpLevel(collector) > 0
  const compressed = makedumpfile && collector.compression !== 'none'
  if (facts.xenPvDom0 && makedumpfile && collector.xenFilter) {
    const dom0 = facts.kernelMemoryBytes
    if (!dom0.known) return unknown(`-X keeps dom0's memory, which is unknown: ${dom0.reason}`, [...machine.evidence, ...dom0.evidence])
    const xen = machine.value * XEN_SHARE
    const worst = Math.min(machine.value, dom0.value + xen)
    return known(
      {worstBytes: worst, basis: `dom0's ${formatBytes(dom0.value)} plus about ${formatBytes(xen)} for Xen itself (-X drops the guests' pages of the machine's ${formatBytes(machine.value)})`, filtered, compressed, guests: false, evidence: [...machine.evidence, ...dom0.evidence]},
      [...machine.evidence, ...dom0.evidence],
    )
  }
  const basis = facts.xenPvDom0
    ? `all of the machine's ${formatBytes(machine.value)} (xl info total_memory), every guest's memory included`
    : `all of the kernel's ${formatBytes(machine.value)} of RAM (MemTotal)`
  return known({worstBytes: machine.value, basis, filtered, compressed, guests: facts.xenPvDom0, evidence: machine.evidence}, machine.evidence)
}

/** `makedumpfile -F -c -d 31` (kdump-tools default: MAKEDUMP_ARGS is not set). */
