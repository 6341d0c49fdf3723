/**
 * `scan --keep-snapshots DIR`: each host's raw snapshot as DIR/NAME.tar.gz, or DIR/NAME.unreachable
 * for a host that gave none, for `scan --snapshots DIR` later. Written through src/io/write-atomic.ts
 * relative to DIR's open descriptor: a link planted at a host's (predictable) name is refused, never
 * written through, and DIR itself must not be a link. A name is made safe for a file name, and a name
 * that had to be changed (`../x`, a newline, `a/b`) gets a short hash of the original so that two hosts
 * never share a file.
 */
import {createHash} from 'node:crypto'
import {lstat} from 'node:fs/promises'
import {InputError} from '../errors.js'
import {DirectoryWriter, writeDirectoryAtomic} from '../io/write-atomic.js'
import type {HostResult} from './result.js'

/** A host's file name in --keep-snapshots: its inventory name, made safe and kept distinct. */
export function snapshotFileName(name: string): string {
  let safe = name.replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\.+/, '_')
  if (safe === '') safe = '_'
  if (safe === name && safe.length <= 200) return safe
  return `${safe.slice(0, 200)}-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`
}

export class SnapshotKeeper {
  private constructor(
    private readonly writer: DirectoryWriter,
    readonly dir: string,
  ) {}

  /** Opens DIR, creating it (atomically, empty) when absent; a link or a non-directory is refused. */
  static async open(dir: string): Promise<SnapshotKeeper> {
    const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw new InputError(`${dir}: cannot use as the snapshots directory (${error.message})`)
    })
    if (!info) await writeDirectoryAtomic(dir, async () => {})
    else if (info.isSymbolicLink()) throw new InputError(`${dir}: is a symbolic link; name the snapshots directory itself`)
    else if (!info.isDirectory()) throw new InputError(`${dir}: exists and is not a directory`)
    return new SnapshotKeeper(await DirectoryWriter.open(dir, {follow: false}), dir)
  }

  /** Saves a host's snapshot (mode 0600: it is the host's configuration) and drops a stale marker. */
  async keep(host: string, bytes: Uint8Array): Promise<string> {
    const base = snapshotFileName(host)
    await this.writer.replaceFile(`${base}.tar.gz`, bytes, {mode: 0o600})
    await this.writer.removeFile(`${base}.unreachable`)
    return `${this.dir.replace(/\/+$/, '')}/${base}.tar.gz`
  }

  /**
   * Records an unreachable host, so that `scan --snapshots DIR` counts it too. An older snapshot of
   * the host goes: evidence from an earlier run must not stand in for a host that gave none now.
   */
  async unreachable(result: HostResult): Promise<void> {
    const base = snapshotFileName(result.host)
    const reason = (result.reason ?? '').replace(/[\r\n]+/g, ' ')
    await this.writer.replaceFile(`${base}.unreachable`, `${result.failure}: ${reason}\n`, {mode: 0o644})
    await this.writer.removeFile(`${base}.tar.gz`)
  }

  async close(): Promise<void> {
    await this.writer.close()
  }
}
