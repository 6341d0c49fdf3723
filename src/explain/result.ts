/**
 * The JSON contract of `kdumpcheck explain` (`kdumpcheck-explain/1`, documented in docs/explain.md).
 * Adding fields is fine; renaming or changing the meaning of one needs a new schema version.
 */
export const EXPLAIN_SCHEMA = 'kdumpcheck-explain/1'

export type Outcome =
  | 'vmcore-written'
  | 'dump-empty'
  | 'dump-failed'
  | 'capture-kernel-failed'
  | 'nothing-loaded'
  | 'no-dump-attempted'
  | 'unknown'

/** 0 a vmcore was written, 1 no vmcore (or an empty or failed one), 3 cannot tell from these logs; 2 (no readable input) is the command's. */
export type ExplainExitCode = 0 | 1 | 3

export interface EvidenceRef {
  file: string
  line: number
  text: string
}

/** The links a crash walks, in order; the first broken one is why there is no vmcore. */
export type LinkName = 'crash' | 'region' | 'image' | 'hand-off' | 'capture-kernel' | 'collector' | 'vmcore'
export type LinkStatus = 'ok' | 'broken' | 'unknown' | 'not-reached'

export interface ChainLink {
  link: LinkName
  status: LinkStatus
  summary: string
  evidence: EvidenceRef[]
}

export interface Cause {
  /** Stable slug, e.g. `nothing-loaded`, `oops-did-not-panic`. */
  id: string
  /** `root`: the first broken link; `contributing`: made it worse or made it possible; `note`: a misconception the inputs show. */
  role: 'root' | 'contributing' | 'note'
  title: string
  detail: string
  /** kdumpcheck check IDs that would have caught this beforehand. */
  checks: string[]
  evidence: EvidenceRef[]
}

/** A fact read from incident logs: its value, how it was established, and the lines that show it. */
export interface LogFact {
  value: string
  basis: string
  evidence: EvidenceRef[]
}

export interface Verdict {
  outcome: Outcome
  headline: string
  vmcore: 'written' | 'empty' | 'not-written' | 'unknown'
  dump_attempted: boolean | null
  capture_kernel_ran: boolean | null
  host_after_crash: 'halted' | 'rebooted' | 'running' | 'unknown'
  first_broken_link: {link: LinkName; summary: string} | null
  /** The crash the verdict is about (the last one in the inputs). */
  crash: EvidenceRef | null
}

export interface TimelineEntry {
  time: {text: string; iso?: string; inferred?: 'year' | 'date'} | null
  uptime?: number
  file: string
  line: number
  kind: string
  phase: 'system' | 'capture'
  summary: string
  text: string
  quoted?: boolean
  also?: {file: string; line: number}[]
  details: Record<string, unknown>
}

export interface InputReport {
  file: string
  /** Bytes read (after gunzip). */
  bytes: number
  gzip: boolean
  lines: number
  readable_lines: number
  unreadable_lines: number
  truncated_lines: number
  formats: Record<string, number>
  events: number
  error?: string
}

export interface ExplainFacts {
  xen_version?: LogFact
  dom0_kernel?: LogFact
  trigger?: LogFact
  panic_reason?: LogFact
  host_uptime?: LogFact
}

export interface ExplainResult {
  schema: typeof EXPLAIN_SCHEMA
  tool: {name: 'kdumpcheck'; version: string}
  verdict: Verdict
  exit_code: ExplainExitCode
  chain: ChainLink[]
  causes: Cause[]
  facts: ExplainFacts
  timeline: TimelineEntry[]
  inputs: InputReport[]
  limits: {events_dropped: number; events_dropped_by_kind: Record<string, number>}
  /** With --snapshot: the host's configuration findings, and which causes they confirm. */
  configuration?: ConfigurationFindings
}

export interface ConfigurationFindings {
  origin: string
  hostname: string
  verdict: 'READY' | 'NOT_READY' | 'UNVERIFIED'
  /** Failed, warned and unverified findings, in chain order. */
  findings: Array<{id: string; status: string; title: string; message: string}>
  /** Cause id -> the check IDs among its `checks` that this snapshot fails: the logs and the configuration agree. */
  confirms: Record<string, string[]>
}
