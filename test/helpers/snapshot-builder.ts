/** Builds small snapshot directories in a temp dir for tests that need a specific shape. */
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

export interface SnapshotSpec {
  meta?: Record<string, unknown> | string
  files?: Record<string, string>
  probes?: Record<string, {out?: string; err?: string; exit?: string}>
}

export function writeSnapshotDir(spec: SnapshotSpec, dir = mkdtempSync(path.join(tmpdir(), 'kdc-snap-'))): string {
  const meta =
    spec.meta === undefined
      ? {format: 'kdumpcheck-snapshot/1', hostname: 'test', collected_at: '2026-11-29T10:00:00Z', kind: 'runtime', collector: 'test', errors: []}
      : spec.meta
  writeFileSync(path.join(dir, 'snapshot.json'), typeof meta === 'string' ? meta : JSON.stringify(meta))
  for (const [hostPath, text] of Object.entries(spec.files ?? {})) {
    const full = path.join(dir, 'files', hostPath)
    mkdirSync(path.dirname(full), {recursive: true})
    writeFileSync(full, text)
  }
  for (const [name, probe] of Object.entries(spec.probes ?? {})) {
    mkdirSync(path.join(dir, 'commands'), {recursive: true})
    if (probe.out !== undefined) writeFileSync(path.join(dir, 'commands', `${name}.out`), probe.out)
    if (probe.err !== undefined) writeFileSync(path.join(dir, 'commands', `${name}.err`), probe.err)
    if (probe.exit !== undefined) writeFileSync(path.join(dir, 'commands', `${name}.exit`), `${probe.exit}\n`)
  }
  return dir
}
