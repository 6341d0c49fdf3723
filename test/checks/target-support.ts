/**
 * For the KD40x unit tests: a real fixture copied to a temp directory, with the files and probes a case
 * needs replaced (or removed with null), judged by one check. Starting from real snapshots keeps every
 * other fact as a host really shows it.
 */
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Check, Outcome} from '../../src/checks/types.js'
import {buildFacts, type Facts} from '../../src/facts/facts.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/hosts')

export interface Overrides {
  /** Host path → new content, or null to remove the file. */
  files?: Record<string, string | null>
  /** Probe name → new stdout (exit 0), or null to remove the probe. */
  probes?: Record<string, string | null>
}

export async function factsFrom(fixture: string, overrides: Overrides = {}): Promise<Facts> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdc-kd40x-'))
  try {
    cpSync(path.join(FIXTURES, fixture), dir, {recursive: true})
    for (const [hostPath, text] of Object.entries(overrides.files ?? {})) {
      const full = path.join(dir, 'files', hostPath)
      if (text === null) rmSync(full, {force: true})
      else {
        mkdirSync(path.dirname(full), {recursive: true})
        writeFileSync(full, text)
      }
    }
    for (const [name, out] of Object.entries(overrides.probes ?? {})) {
      const base = path.join(dir, 'commands', name)
      for (const ext of ['.out', '.err', '.exit']) rmSync(base + ext, {force: true})
      if (out !== null) {
        writeFileSync(`${base}.out`, out)
        writeFileSync(`${base}.exit`, '0\n')
      }
    }
    return buildFacts(await readSnapshot(dir))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

export async function judge(check: Check, fixture: string, overrides: Overrides = {}): Promise<Outcome> {
  return check.run(await factsFrom(fixture, overrides))
}

/** The status a report would show: problems by their effective severity. */
export function statusOf(outcome: Outcome, check: Check): string {
  if (outcome.status !== 'problem') return outcome.status
  const severity = outcome.severity ?? check.meta.severity
  return severity === 'error' ? 'fail' : severity === 'warning' ? 'warn' : 'info'
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

/** A fixture's file as collected (`files/etc/fstab`, `commands/xl-info.out`). */
export function fixtureText(fixture: string, rel: string): string {
  return readFileSync(path.join(FIXTURES, fixture, rel), 'utf8')
}
