/**
 * Reads a saved `kdumpcheck-snapshot/1` from a directory or a `.tar.gz`, validating it as a contract:
 * anything unusable becomes an InputError naming the file and the problem (exit 2), never a stack trace.
 */
import {createReadStream} from 'node:fs'
import {lstat, open, readdir, readlink, realpath, stat} from 'node:fs/promises'
import path from 'node:path'
import type {ReadEntry} from 'tar'
import {InputError} from '../errors.js'
import {readHead} from './capped-read.js'
import {
  SNAPSHOT_FORMAT,
  Snapshot,
  type ProbeExit,
  type ProbeResult,
  type SnapshotFile,
  type SnapshotMeta,
} from '../snapshot/snapshot.js'
import {BOUNDS} from '../snapshot/spec.js'

/** A host file larger than this keeps only its head: evidence files are small; a runaway log must not exhaust memory. */
export const FILE_CAP_BYTES = BOUNDS.fileBytes
/** The whole snapshot: far above any real host's evidence, far below what would hurt a fleet scan. */
export const TOTAL_CAP_BYTES = BOUNDS.snapshotBytes

interface RawEntry {
  /** Path inside the snapshot, `/`-separated, no leading `./`: `files/proc/cmdline`. */
  relPath: string
  bytes: Buffer
  truncated: boolean
}

export async function readSnapshot(location: string): Promise<Snapshot> {
  let info
  try {
    info = await stat(location)
  } catch {
    throw new InputError(`${location}: no such snapshot (expected a directory or a .tar.gz file)`)
  }
  const entries = info.isDirectory() ? await readDirectoryEntries(location) : await readArchiveEntries(location)
  return assemble(entries, location)
}

async function readDirectoryEntries(root: string): Promise<RawEntry[]> {
  const realRoot = await realpath(root)
  const entries: RawEntry[] = []
  let total = 0
  async function walk(relDir: string): Promise<void> {
    const names = (await readdir(path.join(realRoot, relDir))).sort()
    for (const name of names) {
      const relPath = relDir === '' ? name : `${relDir}/${name}`
      const full = path.join(realRoot, relPath)
      let info = await lstat(full)
      if (info.isSymbolicLink()) {
        const inside = (p: string): boolean => p === realRoot || p.startsWith(realRoot + path.sep)
        // Judge the link text first: a link that leaves the snapshot is refused even if its target is absent.
        const written = path.resolve(path.dirname(full), await readlink(full))
        if (!inside(written)) throw new InputError(`${root}: ${relPath}: points outside the snapshot (${written})`)
        const target = await realpath(full).catch(() => undefined)
        if (target === undefined) throw new InputError(`${root}: ${relPath}: dangling or looping symlink`)
        if (!inside(target)) throw new InputError(`${root}: ${relPath}: points outside the snapshot (${target})`)
        info = await stat(full)
      }
      if (info.isDirectory()) {
        if (relPath.split('/').length > 64) throw new InputError(`${root}: ${relPath}: directories nested too deep`)
        await walk(relPath)
      } else if (info.isFile()) {
        const entry = await readCapped(full, relPath)
        total += entry.bytes.length
        if (total > TOTAL_CAP_BYTES) throw new InputError(`${root}: snapshot larger than ${TOTAL_CAP_BYTES / 1048576} MiB`)
        entries.push(entry)
      }
      // FIFOs, sockets and devices are never opened: reading one could block forever.
    }
  }
  await walk('')
  return entries
}

async function readCapped(full: string, relPath: string): Promise<RawEntry> {
  const handle = await open(full, 'r')
  try {
    const size = (await handle.stat()).size
    return {relPath, bytes: await readHead(handle, size, FILE_CAP_BYTES), truncated: size > FILE_CAP_BYTES}
  } finally {
    await handle.close()
  }
}

async function readArchiveEntries(file: string): Promise<RawEntry[]> {
  const entries: RawEntry[] = []
  let total = 0
  let failure: InputError | undefined
  const fail = (message: string): void => {
    failure ??= new InputError(`${file}: ${message}`)
  }
  // Loaded only for archives: a directory snapshot should not pay for the tar module at start-up.
  const {Parser} = await import('tar')
  const parser = new Parser({
    strict: true,
    onReadEntry(entry: ReadEntry) {
      const relPath = normaliseArchivePath(entry.path)
      if (relPath === undefined) {
        fail(`${entry.path}: path outside the snapshot`)
        entry.resume()
        return
      }
      if (entry.type === 'Directory') {
        entry.resume()
        return
      }
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
        fail(`${entry.path}: ${entry.type} entries are not allowed (a snapshot holds regular files only)`)
        entry.resume()
        return
      }
      const chunks: Buffer[] = []
      let kept = 0
      let truncated = false
      entry.on('data', (chunk: Buffer) => {
        const room = FILE_CAP_BYTES - kept
        if (room <= 0) {
          truncated = true
          return
        }
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk
        if (part.length < chunk.length) truncated = true
        chunks.push(Buffer.from(part))
        kept += part.length
      })
      entry.on('end', () => {
        total += kept
        if (total > TOTAL_CAP_BYTES) fail(`snapshot larger than ${TOTAL_CAP_BYTES / 1048576} MiB`)
        else entries.push({relPath, bytes: Buffer.concat(chunks), truncated})
      })
    },
  })
  await new Promise<void>((resolve) => {
    const input = createReadStream(file)
    input.on('error', (error) => {
      fail(`cannot read: ${error.message}`)
      resolve()
    })
    parser.on('error', (error: Error) => {
      fail(`not a readable tar.gz archive (${error.message})`)
      resolve()
    })
    parser.on('abort', () => resolve())
    parser.on('end', () => resolve())
    parser.on('close', () => resolve())
    input.pipe(parser)
  })
  if (failure) throw failure
  if (entries.length === 0) throw new InputError(`${file}: not a readable tar.gz archive (no files in it)`)
  return stripCommonPrefix(entries)
}

/** Archive member names are untrusted: `..` segments or absolute names never leave the snapshot. */
function normaliseArchivePath(name: string): string | undefined {
  const parts: string[] = []
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') return undefined
    parts.push(part)
  }
  if (name.startsWith('/')) return undefined
  return parts.join('/')
}

/** `tar czf host.tar.gz host/` wraps everything in one directory; a snapshot's root is where snapshot.json is. */
function stripCommonPrefix(entries: RawEntry[]): RawEntry[] {
  const marker = entries
    .filter((e) => e.relPath === 'snapshot.json' || e.relPath.endsWith('/snapshot.json'))
    .sort((a, b) => a.relPath.length - b.relPath.length)[0]
  if (!marker || marker.relPath === 'snapshot.json') return entries
  const prefix = marker.relPath.slice(0, -'snapshot.json'.length)
  return entries.filter((e) => e.relPath.startsWith(prefix)).map((e) => ({...e, relPath: e.relPath.slice(prefix.length)}))
}

function assemble(entries: RawEntry[], origin: string): Snapshot {
  const metaEntry = entries.find((e) => e.relPath === 'snapshot.json')
  if (!metaEntry) throw new InputError(`${origin}: snapshot.json is missing (not a ${SNAPSHOT_FORMAT} snapshot)`)
  const meta = parseMeta(metaEntry.bytes.toString('utf8'), `${origin}/snapshot.json`)

  const files = new Map<string, SnapshotFile>()
  const probeParts = new Map<string, Partial<Record<'out' | 'err' | 'exit', RawEntry>>>()
  for (const entry of entries) {
    if (entry.relPath.startsWith('files/')) {
      const hostPath = entry.relPath.slice('files'.length)
      files.set(hostPath, {path: hostPath, text: entry.bytes.toString('utf8'), truncated: entry.truncated})
      continue
    }
    const probe = /^commands\/([^/]+)\.(out|err|exit)$/.exec(entry.relPath)
    if (probe) {
      const [, name, stream] = probe as unknown as [string, string, 'out' | 'err' | 'exit']
      const parts = probeParts.get(name) ?? {}
      parts[stream] = entry
      probeParts.set(name, parts)
    }
  }

  const probes = new Map<string, ProbeResult>()
  for (const [name, parts] of probeParts) {
    probes.set(name, {
      name,
      out: parts.out?.bytes.toString('utf8') ?? '',
      err: parts.err?.bytes.toString('utf8') ?? '',
      exit: parts.exit ? parseExit(parts.exit.bytes.toString('utf8'), `${origin}/commands/${name}.exit`) : {kind: 'unrecorded'},
    })
  }
  return new Snapshot(meta, files, probes, origin)
}

function parseExit(text: string, where: string): ProbeExit {
  const value = text.trim()
  if (value === 'timeout') return {kind: 'timeout'}
  if (value === 'missing') return {kind: 'missing'}
  if (/^\d{1,3}$/.test(value)) return {kind: 'exited', code: Number(value)}
  throw new InputError(`${where}: expected an exit status, 'timeout' or 'missing', found ${JSON.stringify(value.slice(0, 40))}`)
}

function parseMeta(text: string, where: string): SnapshotMeta {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new InputError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${where}: expected a JSON object`)
  const record = raw as Record<string, unknown>
  if (record.format !== SNAPSHOT_FORMAT) {
    throw new InputError(
      `${where}: format ${JSON.stringify(record.format ?? null)} is not supported (this kdumpcheck reads ${SNAPSHOT_FORMAT})`,
    )
  }
  const kind = record.kind
  if (kind !== 'runtime' && kind !== 'static') throw new InputError(`${where}: "kind" must be "runtime" or "static"`)
  const errors = Array.isArray(record.errors) ? record.errors.filter((e): e is string => typeof e === 'string') : []
  return {
    format: SNAPSHOT_FORMAT,
    hostname: typeof record.hostname === 'string' ? record.hostname : '',
    collected_at: typeof record.collected_at === 'string' ? record.collected_at : '',
    kind,
    collector: typeof record.collector === 'string' ? record.collector : '',
    errors,
  }
}
