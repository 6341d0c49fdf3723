/**
 * The in-memory form of a `kdumpcheck-snapshot/1`: raw evidence, byte-exact, as ARCHITECTURE.md defines it.
 * Checks never read a host; they read this.
 */
import {EvidenceStates, type FileState, type ProbeRunState} from './evidence-state.js'

export const SNAPSHOT_FORMAT = 'kdumpcheck-snapshot/1'

export type SnapshotKind = 'runtime' | 'static'

export interface SnapshotMeta {
  format: string
  hostname: string
  collected_at: string
  kind: SnapshotKind
  collector: string
  errors: string[]
}

export type ProbeExit = {kind: 'exited'; code: number} | {kind: 'timeout'} | {kind: 'missing'} | {kind: 'unrecorded'}

export interface ProbeResult {
  name: string
  out: string
  err: string
  exit: ProbeExit
}

export interface SnapshotFile {
  /** The host path, absolute: `/proc/cmdline`. */
  path: string
  text: string
  /** True when the file was larger than the reader's cap and only its head was kept. */
  truncated: boolean
}

export class Snapshot {
  private states?: EvidenceStates

  constructor(
    readonly meta: SnapshotMeta,
    private readonly fileMap: ReadonlyMap<string, SnapshotFile>,
    private readonly probeMap: ReadonlyMap<string, ProbeResult>,
    /** Where the snapshot was read from, for messages. */
    readonly origin: string,
  ) {}

  /** The same evidence, named after where it really came from (`ssh:root@host`, `local`). */
  withOrigin(origin: string): Snapshot {
    return new Snapshot(this.meta, this.fileMap, this.probeMap, origin)
  }

  get kind(): SnapshotKind {
    return this.meta.kind
  }

  file(path: string): SnapshotFile | undefined {
    return this.fileMap.get(path)
  }

  /** Present, absent, or unreadable with the reason the source recorded (snapshot/evidence-state.ts). */
  fileState(path: string): FileState {
    return this.evidenceStates.file(path, this.fileMap.get(path))
  }

  /** Ran, missing, timed out, not run, or absent. */
  probeState(name: string): ProbeRunState {
    return this.evidenceStates.probe(name, this.probeMap.get(name)?.exit.kind)
  }

  /** `meta.errors`, parsed once. */
  get evidenceStates(): EvidenceStates {
    this.states ??= new EvidenceStates(this.meta.errors)
    return this.states
  }

  /** Files whose host path matches, sorted by path: `filesMatching(/^\/etc\/sysctl\.d\/[^/]+\.conf$/)`. */
  filesMatching(pattern: RegExp): SnapshotFile[] {
    return [...this.fileMap.values()].filter((f) => pattern.test(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1))
  }

  probe(name: string): ProbeResult | undefined {
    return this.probeMap.get(name)
  }

  /** A probe that ran to completion and whose program exists. */
  ranProbe(name: string): ProbeResult | undefined {
    const probe = this.probeMap.get(name)
    return probe && probe.exit.kind === 'exited' ? probe : undefined
  }

  get filePaths(): string[] {
    return [...this.fileMap.keys()].sort()
  }

  get probeNames(): string[] {
    return [...this.probeMap.keys()].sort()
  }
}

/** Snapshot-relative location of evidence, as reports print it: `files/proc/cmdline`, `commands/xl-info.out`. */
export function fileSource(path: string): string {
  return `files${path}`
}

export function probeSource(name: string, stream: 'out' | 'err' | 'exit' = 'out'): string {
  return `commands/${name}.${stream}`
}
