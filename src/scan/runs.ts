/** The scan runs a set of results records (one per distinct start: a `--resume` is a run of its own). */
import type {HostResult} from './result.js'
import type {ScanRunInfo} from './run-record.js'

/** The runs recorded in the results, oldest first (one per distinct start time). */
export function runsOf(results: readonly HostResult[]): ScanRunInfo[] {
  const runs = new Map<string, ScanRunInfo>()
  for (const r of results) if (r.scan && !runs.has(r.scan.started_at)) runs.set(r.scan.started_at, r.scan)
  return [...runs.values()].sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : 0))
}
