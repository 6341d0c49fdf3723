/**
 * `scan --snapshots DIR`: a directory of collected evidence judged like a live fleet. Members are
 * snapshot directories (holding snapshot.json), `.tar.gz`/`.tgz` snapshots, and `NAME.unreachable`
 * text files that a collection run (kdumpcheck scan --keep-snapshots, the Ansible playbook) leaves
 * for a host it could not reach. A host is named after its file (`dom0-01.tar.gz` is `dom0-01`), as
 * `--keep-snapshots` and the playbook name them after the inventory.
 */
import {constants, type Stats} from 'node:fs'
import {access, lstat, open, readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import type {Config} from '../config/config.js'
import {InputError} from '../errors.js'
import {readHead} from '../sources/capped-read.js'
import {readSnapshot} from '../sources/snapshot-reader.js'
import {errorResult, judgedResult, unreachableResult} from './judge.js'
import {classifySshFailure} from './ssh-host.js'
import type {FailureKind, HostResult} from './result.js'

export interface OfflineEntry {
  name: string
  path: string
  kind: 'snapshot' | 'unreachable' | 'error'
  /** Why an `error` member is no usable snapshot. */
  reason?: string
}

const FAILURES: FailureKind[] = ['refused', 'auth', 'dns', 'hostkey', 'timeout', 'garbage', 'ssh', 'internal']

export interface SnapshotListing {
  entries: OfflineEntry[]
  /** Regular files whose names claim no host (README.txt): not members, listed so the caller can say so. */
  ignored: string[]
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)'
  if (code === 'ELOOP') return 'a symbolic link loop'
  if (code === 'ENOENT') return 'a dangling symbolic link'
  return `cannot be read (${(error as Error).message})`
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  return 'not a regular file or directory'
}

/** A host's name from a member's file name: `dom0-01.tar.gz` and `dom0-01.unreachable` are `dom0-01`. */
function hostOf(name: string): string {
  return /^(.+)\.(tar\.gz|tgz|unreachable)$/.exec(name)?.[1] ?? name
}

/** What one member of the directory is: a snapshot, a marker, an error (with the reason), or ignored (undefined). */
async function classify(dir: string, name: string): Promise<OfflineEntry | undefined> {
  const full = path.join(dir, name)
  const error = (reason: string): OfflineEntry => ({name: hostOf(name), path: full, kind: 'error', reason})
  let info: Stats
  try {
    const link = await lstat(full)
    info = link.isSymbolicLink() ? await stat(full) : link
  } catch (e) {
    return error(errorText(e))
  }
  if (info.isDirectory()) {
    let members: string[]
    try {
      members = await readdir(full)
    } catch (e) {
      return error(`a directory that ${errorText(e)}`)
    }
    if (members.length === 0) return error('an empty directory, not a snapshot')
    if (!members.includes('snapshot.json')) return error('a directory without snapshot.json, not a snapshot')
    try {
      await access(path.join(full, 'snapshot.json'), constants.R_OK)
    } catch (e) {
      return error(`snapshot.json ${errorText(e)}`)
    }
    return {name, path: full, kind: 'snapshot'}
  }
  if (!info.isFile()) return error(`${kindOf(info)}, not a snapshot`)
  const archive = /^(.+)\.(tar\.gz|tgz)$/.exec(name)
  const marker = /^(.+)\.unreachable$/.exec(name)
  if (!archive && !marker) return undefined
  try {
    await access(full, constants.R_OK)
  } catch (e) {
    return error(errorText(e))
  }
  return archive ? {name: archive[1]!, path: full, kind: 'snapshot'} : {name: marker![1]!, path: full, kind: 'unreachable'}
}

/**
 * Every member of DIR (names starting with "." are skipped: they are other tools' and kdumpcheck's
 * own temporary files) gets exactly one entry: a snapshot, an unreachable marker, or an error with
 * its reason. Two snapshots for one host are an error for that host, not for the scan.
 */
export async function listSnapshotDirectory(dir: string): Promise<SnapshotListing> {
  let names: string[]
  try {
    names = (await readdir(dir)).sort()
  } catch (error) {
    throw new InputError(`${dir}: cannot read the snapshots directory (${(error as Error).message})`)
  }
  const entries = new Map<string, OfflineEntry>()
  const ignored: string[] = []
  for (const name of names) {
    if (name.startsWith('.')) continue
    const entry = await classify(dir, name)
    if (!entry) {
      ignored.push(name)
      continue
    }
    const previous = entries.get(entry.name)
    if (!previous) {
      entries.set(entry.name, entry)
    } else if (previous.kind === 'unreachable' && entry.kind !== 'unreachable') {
      // A snapshot (or an unusable one) beats an older "unreachable" marker for the same host.
      entries.set(entry.name, entry)
    } else if (entry.kind !== 'unreachable') {
      const both = `${path.basename(previous.path)}, ${path.basename(entry.path)}`
      entries.set(entry.name, {name: entry.name, path: previous.path, kind: 'error', reason: `more than one snapshot for this host (${both})`})
    }
  }
  if (entries.size === 0) throw new InputError(`${dir}: no snapshots (expected NAME.tar.gz files or snapshot directories)`)
  return {entries: [...entries.values()], ignored}
}

export async function listSnapshots(dir: string): Promise<OfflineEntry[]> {
  return (await listSnapshotDirectory(dir)).entries
}

async function readFirstBytes(file: string, cap: number): Promise<string> {
  try {
    // Never blocks on a FIFO put there after the listing, and reads nothing but a regular file.
    const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0))
    try {
      if (!(await handle.stat()).isFile()) return ''
      return (await readHead(handle, cap, cap)).toString('utf8')
    } finally {
      await handle.close()
    }
  } catch {
    return ''
  }
}

export async function judgeOffline(entry: OfflineEntry, config: Config): Promise<HostResult> {
  const started = new Date()
  const identity = {name: entry.name, target: entry.path, groups: ['all', 'ungrouped']}
  if (entry.kind === 'error') return errorResult(identity, entry.reason ?? 'not a snapshot', started)
  if (entry.kind === 'unreachable') {
    // The first line is all that is used; a marker is never read whole (it could be any size).
    const text = (await readFirstBytes(entry.path, 4096)).trim().split('\n')[0] ?? ''
    const m = /^([a-z-]+):\s*(.*)$/.exec(text)
    // `kind: reason` as kdumpcheck writes it, or free text (Ansible's message), classified like ssh's.
    if (m && FAILURES.includes(m[1] as FailureKind)) return unreachableResult(identity, m[1] as FailureKind, m[2] || 'unreachable', started)
    return unreachableResult(identity, classifySshFailure(text), text || 'unreachable (no reason recorded)', started)
  }
  let snapshot
  try {
    snapshot = await readSnapshot(entry.path)
  } catch (error) {
    // What came back is no snapshot: the same finding as a host that printed garbage over ssh.
    return unreachableResult(identity, 'garbage', (error as Error).message, started)
  }
  try {
    return {...judgedResult(identity, snapshot, config, started), snapshot: entry.path}
  } catch (error) {
    return unreachableResult(identity, 'internal', `internal error while judging: ${(error as Error).message}`, started)
  }
}
