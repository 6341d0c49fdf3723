/** One host's outcome in a scan: the unit of the results file, the summary and every output format. */
import type {Report, Verdict} from '../report/report.js'
import type {ScanRunInfo} from './run-record.js'

export const SCAN_RESULT_SCHEMA = 'kdumpcheck-scan-result/1'

/** Why a host gave no verdict. */
export type FailureKind =
  | 'refused' // nothing listens, or a firewall rejects
  | 'auth' // the login was refused (key, user, sudo)
  | 'dns' // the name does not resolve
  | 'hostkey' // host key verification failed
  | 'timeout' // no complete answer within the per-host deadline (connect or collection)
  | 'garbage' // ssh succeeded but what came back is not a snapshot (or a saved one cannot be read)
  | 'ssh' // any other ssh failure
  | 'internal' // a kdumpcheck bug while judging (never a pass)

export interface HostResult {
  schema: typeof SCAN_RESULT_SCHEMA
  /** The inventory name (the results file's key). */
  host: string
  /** Where the evidence came from: `ssh:user@address:port`, or a snapshot path. */
  target: string
  groups: string[]
  /**
   * `judged`; `unreachable` (no evidence came back: `failure` says why); `error` (a member of
   * `scan --snapshots DIR` that is no usable snapshot: an empty directory, one without snapshot.json,
   * a dangling link, a FIFO, an unreadable entry; `reason` says which).
   */
  status: 'judged' | 'unreachable' | 'error'
  /** Unreachable and error hosts are UNVERIFIED: nothing proves a dump would be written. */
  verdict: Verdict
  /** The exit code this host asks for under the configuration (3 for unreachable hosts). */
  exit_code: number
  failure?: FailureKind
  reason?: string
  /** `debian 12`, `rhel 7`, `xenserver 8.2`... (`unknown` when the evidence does not say). */
  distribution?: string
  /** The running Xen version (`4.17.3`), absent when the host is not a Xen host or it is unknown. */
  xen_version?: string
  started_at: string
  duration_ms: number
  /** Where `--keep-snapshots` saved the raw snapshot. */
  snapshot?: string
  report?: Report
  /** The scan run that produced this line (absent in results written before it existed). */
  scan?: ScanRunInfo
}
