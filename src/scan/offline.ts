/**
 * `scan --snapshots DIR`: a directory of collected evidence judged like a live fleet. Members are
 * snapshot directories (holding snapshot.json), `.tar.gz`/`.tgz` snapshots, and `NAME.unreachable`
 * text files that a collection run (kdumpcheck scan --keep-snapshots, the Ansible playbook) leaves
 * for a host it could not reach. A host is named after its file (`dom0-01.tar.gz` is `dom0-01`), as
 * `--keep-snapshots` and the playbook name them after the inventory.
 */
import {readdir, readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import type {Config} from '../config/config.js'
import {InputError} from '../errors.js'
import {readSnapshot} from '../sources/snapshot-reader.js'
import {judgedResult, unreachableResult} from './judge.js'
import {classifySshFailure} from './ssh-host.js'
import type {FailureKind, HostResult} from './result.js'

export interface OfflineEntry {
  name: string
  path: string
  kind: 'snapshot' | 'unreachable'
}

const FAILURES: FailureKind[] = ['refused', 'auth', 'dns', 'hostkey', 'timeout', 'garbage', 'ssh', 'internal']

export async function listSnapshots(dir: string): Promise<OfflineEntry[]> {
  let names: string[]
  try {
    names = (await readdir(dir)).sort()
  } catch (error) {
    throw new InputError(`${dir}: cannot read the snapshots directory (${(error as Error).message})`)
  }
  const entries = new Map<string, OfflineEntry>()
  const add = (entry: OfflineEntry): void => {
    const previous = entries.get(entry.name)
    if (previous) {
      // A snapshot beats an older "unreachable" marker for the same host; two snapshots are ambiguous.
      if (previous.kind === 'unreachable' && entry.kind === 'snapshot') entries.set(entry.name, entry)
      else if (!(previous.kind === 'snapshot' && entry.kind === 'unreachable')) {
        throw new InputError(`${dir}: two snapshots for host "${entry.name}" (${path.basename(previous.path)}, ${path.basename(entry.path)})`)
      }
      return
    }
    entries.set(entry.name, entry)
  }
  for (const name of names) {
    if (name.startsWith('.')) continue
    const full = path.join(dir, name)
    const info = await stat(full).catch(() => undefined)
    if (!info) continue
    if (info.isDirectory()) {
      if (await stat(path.join(full, 'snapshot.json')).catch(() => undefined)) add({name, path: full, kind: 'snapshot'})
    } else if (info.isFile()) {
      const archive = /^(.+)\.(tar\.gz|tgz)$/.exec(name)
      const marker = /^(.+)\.unreachable$/.exec(name)
      if (archive) add({name: archive[1]!, path: full, kind: 'snapshot'})
      else if (marker) add({name: marker[1]!, path: full, kind: 'unreachable'})
    }
  }
  if (entries.size === 0) throw new InputError(`${dir}: no snapshots (expected NAME.tar.gz files or snapshot directories)`)
  return [...entries.values()]
}

export async function judgeOffline(entry: OfflineEntry, config: Config): Promise<HostResult> {
  const started = new Date()
  const identity = {name: entry.name, target: entry.path, groups: ['all', 'ungrouped']}
  if (entry.kind === 'unreachable') {
    const text = (await readFile(entry.path, 'utf8').catch(() => '')).trim().split('\n')[0] ?? ''
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
