/**
 * What a results line says about the scan that produced it (`HostResult.scan`): when that run
 * started, the tool's version, the inventory, concurrency, --limit, the configuration and how many
 * hosts it planned. Every line of one run carries the same record, so the file stays one JSON line
 * per host (`wc -l`, `jq` and older readers keep working) while `kdumpcheck report` can still say how
 * the scan ran, and how many planned hosts never got a line. Absent in files written before it.
 */
export interface ScanRunInfo {
  /** When the run began (a `--resume` run is a run of its own). */
  started_at: string
  /** The kdumpcheck version that ran the scan. */
  version: string
  /** `ssh` (an inventory or --hosts) or `offline` (--snapshots DIR). */
  mode: 'ssh' | 'offline'
  /** The inventory file, `--hosts`, or the snapshots directory. */
  source: string
  concurrency: number
  limit?: string
  /** The configuration file applied to every host (waivers, overrides), when there was one. */
  config?: string
  fail_on: 'error' | 'warning'
  /** True when this run continued an earlier one recorded in the same file. */
  resume: boolean
  /** How many hosts the inventory and --limit selected. */
  planned: number
}
