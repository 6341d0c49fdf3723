/** The `--json` contract of `kdumpcheck scan` (and `kdumpcheck report`), apart from the renderers that read it. */
import type {HostResult} from './result.js'
import type {ScanSummary} from './summary.js'

export const SCAN_SCHEMA = 'kdumpcheck-scan/1'

export interface SkippedLine {
  line: number
  why: string
}

/** What a report says about the results file it read, beside the hosts. */
export interface ResultsInput {
  file: string
  lines: number
  skipped: SkippedLine[]
  /** Skipped lines beyond those named. */
  skipped_more: number
  /** Host names with more than one line (the last one counts). */
  duplicates: string[]
  torn_tail: boolean
}

/** The `--json` contract of `kdumpcheck scan`. */
export interface ScanOutput {
  schema: typeof SCAN_SCHEMA
  tool: {name: 'kdumpcheck'; version: string}
  /** The inventory file, `--hosts`, or the snapshots directory. */
  source: string
  interrupted: boolean
  /** Hosts taken from the results file instead of being scanned again (`--resume`). */
  resumed: number
  duration_ms: number
  summary: ScanSummary
  /** One result per host, in inventory order. */
  hosts: HostResult[]
  /** `kdumpcheck report`: the results file read, and the lines it could not use. */
  input?: ResultsInput
}
