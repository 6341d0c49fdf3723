/** Filesystems and free space: where a dump path lands, and whether it fits. */
import type {Evidence} from '../snapshot/evidence.js'
import {mountFor, parseDf, type DfRow} from '../parsers/df.js'
import {parseFstab, parseProcMounts, resolveMount, type MountEntry} from '../parsers/mounts.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence, probeEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export interface Storage {
  df?: DfRow[]
  mounts?: MountEntry[]
  fstab?: MountEntry[]
  /** The df row holding a path, with its evidence. */
  spaceFor(path: string): {row: DfRow; evidence: Evidence} | undefined
  /** The mount (live, else fstab) holding a path. */
  mountFor(path: string): {entry: MountEntry; evidence: Evidence; source: 'mounts' | 'fstab'} | undefined
  /** Evidence for an entry of /proc/mounts or /etc/fstab: its line. */
  entryEvidence(entry: MountEntry, table: 'mounts' | 'fstab'): Evidence
}

export function storage(snapshot: Snapshot): Fact<Storage> {
  const dfProbe = snapshot.ranProbe('df')
  const df = dfProbe ? parseDf(dfProbe.out) : undefined
  const mountsFile = snapshot.file('/proc/mounts')
  const mounts = mountsFile ? parseProcMounts(mountsFile.text) : undefined
  const fstabFile = snapshot.file('/etc/fstab')
  const fstab = fstabFile ? parseFstab(fstabFile.text) : undefined
  if (!df?.ok && !mounts?.ok && !fstab?.ok) return unknown('neither df, /proc/mounts nor /etc/fstab was collected')
  const value: Storage = {
    ...(df?.ok ? {df: df.value} : {}),
    ...(mounts?.ok ? {mounts: mounts.value.entries} : {}),
    ...(fstab?.ok ? {fstab: fstab.value.entries} : {}),
    spaceFor(path) {
      if (!df?.ok || !dfProbe) return undefined
      const row = mountFor(df.value, path)
      return row ? {row, evidence: probeEvidence(dfProbe, row.line)} : undefined
    },
    mountFor(path) {
      if (mounts?.ok && mountsFile) {
        const hit = resolveMount(mounts.value.entries, path)
        if (hit) return {entry: hit.entry, evidence: fileEvidence(mountsFile, hit.entry.line), source: 'mounts'}
      }
      if (fstab?.ok && fstabFile) {
        const hit = resolveMount(fstab.value.entries, path)
        if (hit) return {entry: hit.entry, evidence: fileEvidence(fstabFile, hit.entry.line), source: 'fstab'}
      }
      return undefined
    },
    entryEvidence(entry, table) {
      const file = table === 'mounts' ? mountsFile : fstabFile
      return file ? fileEvidence(file, entry.line) : {source: `files${table === 'mounts' ? '/proc/mounts' : '/etc/fstab'}`, line: entry.line}
    },
  }
  return known(value)
}
