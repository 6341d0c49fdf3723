/**
 * Writes a snapshot back out as a `kdumpcheck-snapshot/1` directory or .tar.gz (for `collect`), in the
 * exact layout readers expect. Used for sources that build snapshots in memory (images); evidence the
 * collector already packed is saved byte-exact instead. Every byte goes through src/io/write-atomic.ts:
 * the directory is built in a fresh temporary directory beside the target and renamed into place, and
 * no link inside it is ever followed.
 */
import path from 'node:path'
import {InputError} from '../errors.js'
import {DirectoryWriter, withScratchDirectory, writeDirectoryAtomic, writeFileAtomic} from '../io/write-atomic.js'
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

/** Writes the snapshot's members below `writer` (a directory kdumpcheck created). */
export async function writeSnapshotInto(snapshot: Snapshot, writer: DirectoryWriter, prefix = ''): Promise<void> {
  const at = (rel: string): string => (prefix ? `${prefix}/${rel}` : rel)
  await writer.writeFile(at('snapshot.json'), `${JSON.stringify(snapshot.meta, null, 2)}\n`)
  for (const hostPath of snapshot.filePaths) {
    const rel = path.posix.normalize(`files/${hostPath}`)
    if (!rel.startsWith('files/') || rel.split('/').includes('..')) throw new InputError(`${hostPath}: path outside the snapshot`)
    await writer.writeFile(at(rel), snapshot.file(hostPath)!.text)
  }
  for (const name of snapshot.probeNames) {
    const probe = snapshot.probe(name)!
    await writer.writeFile(at(`commands/${name}.out`), probe.out)
    if (probe.err !== '') await writer.writeFile(at(`commands/${name}.err`), probe.err)
    const exit = exitText(probe.exit)
    if (exit !== undefined) await writer.writeFile(at(`commands/${name}.exit`), `${exit}\n`)
  }
}

/** A snapshot directory at `dir`, built beside it and renamed into place (`force`: replace a non-empty one). */
export async function writeSnapshotDirectory(snapshot: Snapshot, dir: string, options: {force?: boolean} = {}): Promise<void> {
  await writeDirectoryAtomic(dir, (writer) => writeSnapshotInto(snapshot, writer), {force: Boolean(options.force)})
}

/** A .tar.gz whose single top directory is the snapshot, packed in a private scratch directory and written atomically. */
export async function writeSnapshotArchive(snapshot: Snapshot, file: string): Promise<void> {
  const bytes = await withScratchDirectory(async (scratch) => {
    const top = (snapshot.meta.hostname || 'snapshot').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')
    await writeSnapshotInto(snapshot, scratch, top)
    const {create} = await import('tar')
    const chunks: Buffer[] = []
    const stream = create({gzip: true, cwd: scratch.path, portable: true}, [top])
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk)
    return Buffer.concat(chunks)
  })
  await writeFileAtomic(file, bytes)
}
