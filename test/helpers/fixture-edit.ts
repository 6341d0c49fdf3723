/**
 * Snapshot builders for check and fact tests: a real host fixture (fixtures/hosts/<name>) with a few edits, in
 * memory. Starting from a realistic host and changing only what a case is about keeps every other fact as a
 * host really shows it. (One module for what were snapshot-edit.ts and target-support.ts.)
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Snapshot, type ProbeExit, type ProbeResult, type SnapshotFile} from '../../src/snapshot/snapshot.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/hosts')

/** A probe's replacement: its stdout (exit 0, no stderr), or all three parts (exit: a number, 'missing' or 'timeout'). */
export type ProbeEdit = string | {out?: string; err?: string; exit: number | 'missing' | 'timeout'}

export interface Edits {
  /** Host path → new text, or null to remove the file. */
  files?: Record<string, string | null>
  /** Probe name → replacement, or null to remove the probe. */
  probes?: Record<string, ProbeEdit | null>
  /** Lines added to snapshot.json's errors (files that exist but could not be read), as the collector writes them. */
  errors?: string[]
}

const cache = new Map<string, Promise<Snapshot>>()

/** The fixture as committed (read once per test file). */
export function baseFixture(name: string): Promise<Snapshot> {
  let snapshot = cache.get(name)
  if (!snapshot) {
    snapshot = readSnapshot(path.join(FIXTURES, name))
    cache.set(name, snapshot)
  }
  return snapshot
}

/** The fixture with the edits applied. */
export async function fixture(name: string, edits: Edits = {}): Promise<Snapshot> {
  const base = await baseFixture(name)
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
    const {out = '', err = '', exit} = typeof probe === 'string' ? {out: probe, exit: 0} : probe
    const kind: ProbeExit = typeof exit === 'number' ? {kind: 'exited', code: exit} : {kind: exit}
    probes.set(n, {name: n, out, err, exit: kind})
  }
  return new Snapshot({...base.meta, errors: [...base.meta.errors, ...(edits.errors ?? [])]}, files, probes, `${base.origin} (edited)`)
}

/** A fixture's file or probe output as collected: `fixtureText(name, 'files/etc/fstab')`, `'commands/xl-info.out'`. */
export function fixtureText(name: string, rel: string): string {
  return readFileSync(path.join(FIXTURES, name, rel), 'utf8')
}

/** A fixture's file (`{file: '/etc/fstab'}`) or probe output (`{probe: 'xl-info'}`), for edits that change one line. */
export async function text(name: string, where: {file?: string; probe?: string}): Promise<string> {
  const base = await baseFixture(name)
  if (where.file !== undefined) return base.file(where.file)?.text ?? ''
  return base.probe(where.probe ?? '')?.out ?? ''
}

/** `df -Pk` as GNU df prints it (columns aligned to the widest value). */
export function dfOut(rows: Array<[string, number, number, number, string]>): string {
  for (const [fs, size, used, avail] of rows) if (used < 0 || avail < 0 || used + avail > size) throw new Error(`impossible df row for ${fs}`)
  const cells = rows.map(([fs, size, used, avail, mp]) => [fs, String(size), String(used), String(avail), `${size === 0 ? 0 : Math.ceil((used * 100) / (used + avail))}%`, mp])
  const head = ['Filesystem', '1024-blocks', 'Used', 'Available', 'Capacity', 'Mounted on']
  const w = [0, 1, 2, 3, 4].map((i) => Math.max(head[i]!.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]): string => [c[0]!.padEnd(w[0]!), ...[1, 2, 3, 4].map((i) => c[i]!.padStart(w[i]!)), c[5]].join(' ')
  return `${[head, ...cells].map(line).join('\n')}\n`
}

export const GiB_KiB = 1024 * 1024
