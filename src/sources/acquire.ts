/**
 * Picks the source the flags name and returns its snapshot: a saved snapshot, a host image, a remote
 * host over ssh, or (no flag) this machine through the same collector.
 */
import {stat} from 'node:fs/promises'
import {InputError} from '../errors.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {NON_ROOT_BLIND_SPOTS, runLocalCollector, snapshotFromArchiveBytes} from './collector-run.js'
import {readSnapshot} from './snapshot-reader.js'
import {describeOverflow} from './capped-run.js'
import {describeSshTarget, hostDeadline, parseSshTarget, runSshCollector, SSH_MAX_OUTPUT} from './ssh.js'

/** Where evidence comes from: the values of the source flags (cli/source-flags.ts). */
export interface SourceFlagValues {
  snapshot?: string | undefined
  root?: string | undefined
  ssh?: string | undefined
  'ssh-option': string[]
  'ssh-config'?: string | undefined
  sudo: boolean
  timeout: number
  'probe-timeout': number
  'connect-timeout': number
}

export interface Acquired {
  snapshot: Snapshot
  /** The raw tar.gz the collector produced (live and ssh), for `collect` to save byte-exact. */
  archive?: Uint8Array
  warnings: string[]
}

export async function acquire(flags: SourceFlagValues): Promise<Acquired> {
  const collect = {deadline: flags.timeout, probeTimeout: flags['probe-timeout']}
  if (flags.snapshot) return {snapshot: await readSnapshot(flags.snapshot), warnings: []}
  if (flags.root) {
    const rootfs = await import('./rootfs.js')
    const info = await stat(flags.root).catch(() => undefined)
    if (!info) throw new InputError(`${flags.root}: no such root filesystem (expected a directory or a rootfs tarball)`)
    const snapshot = info.isDirectory() ? await rootfs.snapshotFromRoot(flags.root) : await rootfs.snapshotFromRootArchive(flags.root)
    return {snapshot, warnings: []}
  }
  if (flags.ssh) {
    const target = parseSshTarget(flags.ssh)
    const origin = describeSshTarget(target)
    const result = await runSshCollector(target, {
      ...collect,
      sshOptions: flags['ssh-option'],
      sudo: flags.sudo,
      connectTimeout: flags['connect-timeout'],
      ...(flags['ssh-config'] ? {configFile: flags['ssh-config']} : {}),
    })
    if (result.overflowed) throw new InputError(`${origin}: ${describeOverflow(SSH_MAX_OUTPUT)} (ssh)`)
    if (result.timedOut) throw new InputError(`${origin}: no answer within ${hostDeadline({connectTimeout: flags['connect-timeout'], deadline: flags.timeout})} s`)
    if (result.exitCode === 255) throw new InputError(`${origin}: ssh failed: ${lastLine(result.stderr) || 'exit 255'}`)
    const snapshot = await snapshotFromArchiveBytes(result.bytes, origin)
    return {snapshot, archive: result.bytes, warnings: []}
  }
  const warnings: string[] = []
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    warnings.push(`not running as root: the report cannot see ${NON_ROOT_BLIND_SPOTS.join('; ')}. Run as root (or with sudo) for a full verdict.`)
  }
  const {bytes} = await runLocalCollector(collect)
  return {snapshot: await snapshotFromArchiveBytes(bytes, 'local'), archive: bytes, warnings}
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? ''
}
