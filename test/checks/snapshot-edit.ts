/**
 * Runs one check on a real fixture with a few edits: the edge cases of KD300-KD304 and KD600-KD603 start
 * from a realistic host and change only what the case is about.
 */
import path from 'node:path'
import {buildFacts} from '../../src/facts/facts.js'
import type {Check, Outcome} from '../../src/checks/types.js'
import {Snapshot, type ProbeExit, type ProbeResult, type SnapshotFile} from '../../src/snapshot/snapshot.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'

export interface Edits {
  /** New text for a host file, or null to remove it. */
  files?: Record<string, string | null>
  /** Replace a probe (exit: a number, 'missing' or 'timeout'), or null to remove it. */
  probes?: Record<string, {out?: string; err?: string; exit: number | 'missing' | 'timeout'} | null>
  /** Lines for snapshot.json's errors (files that exist but could not be read). */
  errors?: string[]
}

const root = path.resolve(import.meta.dirname, '../../fixtures/hosts')

export async function fixture(name: string, edits: Edits = {}): Promise<Snapshot> {
  const base = await readSnapshot(path.join(root, name))
  const files = new Map<string, SnapshotFile>(base.filePaths.map((p) => [p, base.file(p)!]))
  for (const [p, text] of Object.entries(edits.files ?? {})) {
    if (text === null) files.delete(p)
    else files.set(p, {path: p, text, truncated: false})
  }
  const probes = new Map<string, ProbeResult>(base.probeNames.map((n) => [n, base.probe(n)!]))
  for (const [n, probe] of Object.entries(edits.probes ?? {})) {
    if (probe === null) {
      probes.delete(n)
      continue
    }
    const exit: ProbeExit = typeof probe.exit === 'number' ? {kind: 'exited', code: probe.exit} : {kind: probe.exit}
    probes.set(n, {name: n, out: probe.out ?? '', err: probe.err ?? '', exit})
  }
  return new Snapshot({...base.meta, errors: [...base.meta.errors, ...(edits.errors ?? [])]}, files, probes, `${base.origin} (edited)`)
}

export async function outcome(check: Check, name: string, edits: Edits = {}): Promise<Outcome> {
  return check.run(buildFacts(await fixture(name, edits)))
}

/** The text of a fixture's file or probe output, for edits that change one line. */
export async function text(name: string, where: {file?: string; probe?: string}): Promise<string> {
  const base = await readSnapshot(path.join(root, name))
  if (where.file) return base.file(where.file)?.text ?? ''
  return base.probe(where.probe ?? '')?.out ?? ''
}
