/**
 * Reads a saved `kdumpcheck-snapshot/1` from a directory or a `.tar.gz`, validating it as a contract:
 * anything unusable becomes an InputError naming the file and the problem (exit 2), never a stack trace.
 */
import {constants, type BigIntStats, type Stats} from 'node:fs'
import {lstat, open, readdir, readlink, realpath, stat} from 'node:fs/promises'
import path from 'node:path'
import type {ReadEntry} from 'tar'
import {InputError} from '../errors.js'
import {escapeControls} from '../util/terminal.js'
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

/** Names a directory snapshot may hold, all kinds together: far above the collector's few hundred. */
export const MAX_ENTRIES = 20_000
/** Directory levels below the snapshot's root (files/ plus the deepest host path the collector reads). */
export const MAX_DEPTH = 64

/** A name from the snapshot, in a message: on one line, nothing a terminal acts on. */
const shown = (name: string): string => escapeControls(name)

const O_READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)

export async function readSnapshot(location: string): Promise<Snapshot> {
  let info
  try {
    info = await stat(location)
  } catch {
    throw new InputError(`${location}: no such snapshot (expected a directory or a .tar.gz file)`)
  }
  // A device, FIFO or socket is refused before it is opened: /dev/zero would be read forever, a FIFO waited on.
  if (!info.isDirectory() && !info.isFile()) {
    throw new InputError(`${location}: ${describeSpecial(info)}, not a snapshot (expected a directory or a .tar.gz file)`)
  }
  const entries = info.isDirectory() ? await readDirectoryEntries(location) : await readArchiveEntries(location)
  return assemble(entries, location)
}

export function describeSpecial(info: Stats | BigIntStats): string {
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  if (info.isFIFO()) return 'a FIFO'
  if (info.isSocket()) return 'a socket'
  if (info.isSymbolicLink()) return 'a symlink'
  return 'a special file'
}

/**
 * Walks the tree iteratively (no recursion, whatever the depth), each directory once by device and
 * inode (symlinked directories cannot make the walk exponential or cyclic), at most MAX_ENTRIES names.
 */
async function readDirectoryEntries(root: string): Promise<RawEntry[]> {
  const realRoot = await realpath(root)
  const inside = (p: string): boolean => p === realRoot || p.startsWith(realRoot + path.sep)
  const entries: RawEntry[] = []
  const rootInfo = await stat(realRoot, {bigint: true})
  const visited = new Set<string>([`${rootInfo.dev}:${rootInfo.ino}`])
  let total = 0
  let seen = 0
  const pending: string[] = ['']
  while (pending.length > 0) {
    const relDir = pending.pop()!
    const names = (await readdir(path.join(realRoot, relDir))).sort()
    seen += names.length
    if (seen > MAX_ENTRIES) throw new InputError(`${root}: more than ${MAX_ENTRIES} entries, not a snapshot`)
    const subdirs: string[] = []
    for (const name of names) {
      const relPath = relDir === '' ? name : `${relDir}/${name}`
      const full = path.join(realRoot, relPath)
      let info = await lstat(full, {bigint: true})
      if (info.isSymbolicLink()) {
        // Judge the link text first: a link that leaves the snapshot is refused even if its target is absent.
        const written = path.resolve(path.dirname(full), await readlink(full))
        if (!inside(written)) throw new InputError(`${root}: ${shown(relPath)}: points outside the snapshot (${shown(written)})`)
        const target = await realpath(full).catch(() => undefined)
        if (target === undefined) throw new InputError(`${root}: ${shown(relPath)}: dangling or looping symlink`)
        if (!inside(target)) throw new InputError(`${root}: ${shown(relPath)}: points outside the snapshot (${shown(target)})`)
        info = await stat(full, {bigint: true})
      }
      if (info.isDirectory()) {
        if (relPath.split('/').length > MAX_DEPTH) throw new InputError(`${root}: ${shown(relPath)}: directories nested too deep`)
        const key = `${info.dev}:${info.ino}`
        // A second way into a directory already walked (a symlink to it) adds nothing but work.
        if (visited.has(key)) continue
        visited.add(key)
        subdirs.push(relPath)
      } else if (info.isFile()) {
        const entry = await readCapped(full, relPath)
        if (!entry) continue
        total += entry.bytes.length
        if (total > TOTAL_CAP_BYTES) throw new InputError(`${root}: snapshot larger than ${TOTAL_CAP_BYTES / 1048576} MiB`)
        entries.push(entry)
      }
      // FIFOs, sockets and devices are never opened: reading one could block forever.
    }
    // Depth first, in name order.
    pending.push(...subdirs.reverse())
  }
  return entries
}

/** Opened without blocking and read only when the handle proves a regular file (it may have been swapped since the lstat). */
async function readCapped(full: string, relPath: string): Promise<RawEntry | undefined> {
  const handle = await open(full, O_READ)
  try {
    const info = await handle.stat()
    if (!info.isFile()) return undefined
    return {relPath, bytes: await readHead(handle, info.size, FILE_CAP_BYTES), truncated: info.size > FILE_CAP_BYTES}
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
  let members = 0
  let sawEnd = false
  const parser = new Parser({
    strict: true,
    onReadEntry(entry: ReadEntry) {
      if (++members > MAX_ENTRIES) {
        fail(`more than ${MAX_ENTRIES} members, not a snapshot`)
        entry.resume()
        return
      }
      if (entry.path.split('/').length > MAX_DEPTH + 1) {
        fail(`${shown(entry.path.slice(0, 120))}...: nested more than ${MAX_DEPTH} directories deep`)
        entry.resume()
        return
      }
      const relPath = normaliseArchivePath(entry.path)
      if (relPath === undefined) {
        fail(`${shown(entry.path)}: path outside the snapshot`)
        entry.resume()
        return
      }
      if (entry.type === 'Directory') {
        entry.resume()
        return
      }
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
        fail(`${shown(entry.path)}: ${entry.type} entries are not allowed (a snapshot holds regular files only)`)
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
  // tar ends an archive with zero blocks; an archive without one was cut short (a partial copy, a
  // collection interrupted between two members), and its missing members would read as absent evidence.
  parser.on('nullBlock', () => (sawEnd = true))
  parser.on('eof', () => (sawEnd = true))
  const handle = await open(file, O_READ).catch((error: Error) => {
    throw new InputError(`${file}: cannot read: ${error.message}`)
  })
  const info = await handle.stat()
  if (!info.isFile()) {
    await handle.close()
    throw new InputError(`${file}: not a regular file, not a snapshot`)
  }
  if (info.size > TOTAL_CAP_BYTES) {
    await handle.close()
    throw new InputError(`${file}: larger than ${TOTAL_CAP_BYTES / 1048576} MiB, not a snapshot`)
  }
  await new Promise<void>((resolve) => {
    const input = handle.createReadStream({start: 0})
    input.on('error', (error) => {
      fail(`cannot read: ${error.message}`)
      resolve()
    })
    parser.on('error', (error: Error) => {
      fail(
        /unexpected end of file|Truncated input/i.test(error.message)
          ? `truncated: the archive ends in the middle (${error.message})`
          : `not a readable tar.gz archive (${error.message})`,
      )
      resolve()
    })
    parser.on('abort', () => resolve())
    parser.on('end', () => resolve())
    parser.on('close', () => resolve())
    input.pipe(parser)
  })
  await handle.close().catch(() => undefined)
  if (failure) throw failure
  if (!sawEnd && members > 0) throw new InputError(`${file}: truncated: the archive ends after ${members} members without tar's end-of-archive marker`)
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
      exit: parts.exit ? parseExit(parts.exit.bytes.toString('utf8'), `${origin}/commands/${shown(name)}.exit`) : {kind: 'unrecorded'},
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
  // Absent fields read as empty (outside tools write minimal metadata); a field of the wrong type is
  // not guessed at: a number for "hostname" or a string for "errors" means the writer is not a snapshot writer.
  const field = (key: string): string => {
    const value = record[key]
    if (value === undefined) return ''
    if (typeof value !== 'string') throw new InputError(`${where}: "${key}" must be a string, found ${typeName(value)}`)
    return value
  }
  let errors: string[] = []
  if (record.errors !== undefined) {
    if (!Array.isArray(record.errors)) throw new InputError(`${where}: "errors" must be a list of strings, found ${typeName(record.errors)}`)
    const bad = record.errors.findIndex((e) => typeof e !== 'string')
    if (bad >= 0) throw new InputError(`${where}: "errors"[${bad}] must be a string, found ${typeName(record.errors[bad])}`)
    errors = record.errors as string[]
  }
  return {
    format: SNAPSHOT_FORMAT,
    hostname: field('hostname'),
    collected_at: field('collected_at'),
    kind,
    collector: field('collector'),
    errors,
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
