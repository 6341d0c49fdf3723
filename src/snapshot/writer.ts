/**
 * Writes a snapshot back out as a `kdumpcheck-snapshot/1` directory or .tar.gz (for `collect`), in the
 * exact layout readers expect. Used for sources that build snapshots in memory (images); evidence the
 * collector already packed is saved byte-exact instead.
 */
import {mkdir, mkdtemp, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {InputError} from '../errors.js'
import type {ProbeExit, Snapshot} from './snapshot.js'

function exitText(exit: ProbeExit): string | undefined {
  switch (exit.kind) {
    case 'exited':
      return String(exit.code)
    case 'timeout':
    case 'missing':
      return exit.kind
    case 'unrecorded':
      return undefined
  }
}

export async function writeSnapshotDirectory(snapshot: Snapshot, dir: string): Promise<void> {
  await mkdir(dir, {recursive: true})
  await writeFile(path.join(dir, 'snapshot.json'), `${JSON.stringify(snapshot.meta, null, 2)}\n`)
  for (const hostPath of snapshot.filePaths) {
    const target = path.join(dir, 'files', hostPath)
    if (!target.startsWith(path.join(dir, 'files') + path.sep)) throw new InputError(`${hostPath}: path outside the snapshot`)
    await mkdir(path.dirname(target), {recursive: true})
    await writeFile(target, snapshot.file(hostPath)!.text)
  }
  if (snapshot.probeNames.length > 0) await mkdir(path.join(dir, 'commands'), {recursive: true})
  for (const name of snapshot.probeNames) {
    const probe = snapshot.probe(name)!
    const base = path.join(dir, 'commands', name)
    await writeFile(`${base}.out`, probe.out)
    if (probe.err !== '') await writeFile(`${base}.err`, probe.err)
    const exit = exitText(probe.exit)
    if (exit !== undefined) await writeFile(`${base}.exit`, `${exit}\n`)
  }
}

/** A .tar.gz whose single top directory is the snapshot, written beside the target and renamed into place. */
export async function writeSnapshotArchive(snapshot: Snapshot, file: string): Promise<void> {
  const work = await mkdtemp(path.join(path.dirname(path.resolve(file)), '.kdumpcheck-'))
  try {
    const top = (snapshot.meta.hostname || 'snapshot').replace(/[^A-Za-z0-9._-]/g, '_')
    await writeSnapshotDirectory(snapshot, path.join(work, top))
    const {create} = await import('tar')
    const temp = path.join(work, 'snapshot.tar.gz')
    await create({gzip: true, file: temp, cwd: work, portable: true}, [top])
    await rename(temp, file)
  } finally {
    await rm(work, {recursive: true, force: true})
  }
}
