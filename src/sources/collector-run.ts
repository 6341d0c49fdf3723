/**
 * Runs the POSIX collector (collector/kdumpcheck-collect.sh, shipped in the package) and reads the
 * gzip'd tar snapshot it prints. Locally it runs under /bin/sh; over ssh (ssh.ts) the same script is
 * fed to `sh -s` on the target. One implementation of evidence gathering, whatever the transport.
 */
import path from 'node:path'
import {InputError} from '../errors.js'
import {withScratchDirectory} from '../io/write-atomic.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {PACKAGE_ROOT} from '../version.js'
import {describeOverflow, OUTPUT_CAP_BYTES, runCapped} from './capped-run.js'
import {readSnapshot} from './snapshot-reader.js'

export const COLLECTOR_PATH = path.join(PACKAGE_ROOT, 'collector', 'kdumpcheck-collect.sh')

export interface CollectOptions {
  /** Seconds the whole collection may take on the host (the collector's own --deadline). */
  deadline: number
  /** Seconds one probe may take. */
  probeTimeout: number
}

export const DEFAULT_COLLECT: CollectOptions = {deadline: 60, probeTimeout: 10}

export function collectorArgs(options: CollectOptions): string[] {
  return ['--deadline', String(options.deadline), '--probe-timeout', String(options.probeTimeout)]
}

/** Reads the collector's stdout (a tar.gz) as a snapshot; `origin` names where it came from. */
export async function snapshotFromArchiveBytes(bytes: Uint8Array, origin: string): Promise<Snapshot> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    const text = Buffer.from(bytes.subarray(0, 200)).toString('utf8').replace(/\s+/g, ' ').trim()
    throw new InputError(`${origin}: the collector did not produce a snapshot${text ? ` (it printed: ${JSON.stringify(text)})` : ' (no output)'}`)
  }
  return withScratchDirectory(async (scratch) => {
    await scratch.writeFile('snapshot.tar.gz', bytes, {mode: 0o600})
    const snapshot = await readSnapshot(path.join(scratch.path, 'snapshot.tar.gz'))
    return snapshot.withOrigin(origin)
  })
}

/** The local collector's bound: its own deadline, and 30 s for a collector that cannot keep it (a frozen shell). */
export function localDeadline(options: CollectOptions): number {
  return options.deadline + 30
}

export async function runLocalCollector(options: CollectOptions = DEFAULT_COLLECT): Promise<{bytes: Uint8Array; stderr: string}> {
  const result = await runCapped('/bin/sh', [COLLECTOR_PATH, ...collectorArgs(options)], {timeoutMs: localDeadline(options) * 1000, env: {LC_ALL: 'C'}})
  if (result.timedOut) throw new InputError(`the local collector did not finish within ${localDeadline(options)} s`)
  if (result.overflowed) throw new InputError(`the local collector ${describeOverflow(OUTPUT_CAP_BYTES)}`)
  return {bytes: result.bytes, stderr: result.stderr}
}

/** What a non-root collection cannot see, so the report can say why evidence is missing. */
export const NON_ROOT_BLIND_SPOTS = [
  'xl info / xl dmesg (need root for /dev/xen/privcmd): the running Xen line and the Kdump: reservation',
  'kexec -S (needs root): whether a capture kernel is loaded',
  '/proc/iomem addresses (read as zeros): the Crash kernel range',
]
