/**
 * One fleet member over OpenSSH: one `ssh` process (no shell in between) with the collector on its
 * standard input, bounded by the per-host deadline, and every way it can go wrong turned into an
 * `unreachable` result with its reason. Never throws for a host's fault.
 */
import type {Config} from '../config/config.js'
import {InputError} from '../errors.js'
import {snapshotFromArchiveBytes} from '../sources/collector-run.js'
import {describeOverflow} from '../sources/capped-run.js'
import {describeSshTarget, runSshCollector, SSH_MAX_OUTPUT, type SshTarget} from '../sources/ssh.js'
import type {InventoryHost} from './inventory.js'
import type {SnapshotKeeper} from './keep.js'
import {judgedResult, unreachableResult, type HostIdentity} from './judge.js'
import type {FailureKind, HostResult} from './result.js'

export interface SshScanOptions {
  config: Config
  /** Seconds for the whole host: connection, login, collection and transfer. */
  hostTimeout: number
  connectTimeout: number
  /** The collector's own --deadline and --probe-timeout on the host. */
  deadline: number
  probeTimeout: number
  sshConfig?: string
  sshOptions: string[]
  sudo: boolean
  /** `--keep-snapshots DIR`. */
  keeper?: SnapshotKeeper
  /** Where a warning goes (a snapshot that could not be kept does not fail the host). */
  notify?: (message: string) => void
}

/** Marks the interrupt (SIGINT) apart from the per-host deadline. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted')
  }
}

export function sshTargetOf(host: InventoryHost): SshTarget {
  return {host: host.address, ...(host.user ? {user: host.user} : {}), ...(host.port ? {port: host.port} : {})}
}

/**
 * Scans one host. Returns undefined when `interrupt` fired before the host finished: that host was
 * not scanned (its ssh was killed), so nothing is recorded and `--resume` will scan it.
 */
export async function scanHostOverSsh(host: InventoryHost, options: SshScanOptions, interrupt: AbortSignal): Promise<HostResult | undefined> {
  const started = new Date()
  const target = sshTargetOf(host)
  const identity: HostIdentity = {name: host.name, target: describeSshTarget(target), groups: host.groups}
  if (interrupt.aborted) return undefined
  const deadline = AbortSignal.timeout(options.hostTimeout * 1000)
  const signal = AbortSignal.any([interrupt, deadline])
  let result
  try {
    result = await runSshCollector(
      target,
      {
        deadline: options.deadline,
        probeTimeout: options.probeTimeout,
        connectTimeout: options.connectTimeout,
        sshOptions: [...options.sshOptions, ...(host.sshOptions ?? [])],
        sudo: options.sudo || Boolean(host.sudo),
        ownProcessGroup: true,
        ...(options.sshConfig ? {configFile: options.sshConfig} : {}),
      },
      signal,
    )
  } catch (error) {
    // runSshCollector does not reject on a failed ssh; this is ssh missing or an option refused.
    if (interrupt.aborted) return undefined
    if (error instanceof InputError) throw error
    return unreachableResult(identity, 'ssh', `cannot run ssh: ${(error as Error).message}`, started)
  }
  if (interrupt.aborted) return undefined
  if (result.overflowed) return unreachableResult(identity, 'garbage', describeOverflow(SSH_MAX_OUTPUT), started)
  if (deadline.aborted || result.timedOut) {
    const said = lastLine(result.stderr)
    return unreachableResult(identity, 'timeout', `no complete answer within ${options.hostTimeout} s${said ? ` (ssh said: ${said})` : ''}`, started)
  }
  // ssh killed by a signal from outside (not our deadline): an interrupt, not the host's fault.
  if (/Killed by signal \d+/.test(result.stderr)) return undefined
  if (result.exitCode === 255) {
    const said = lastLine(result.stderr) || 'ssh exited with status 255'
    return unreachableResult(identity, classifySshFailure(result.stderr), said, started)
  }
  let snapshot
  try {
    snapshot = await snapshotFromArchiveBytes(result.bytes, identity.target)
  } catch (error) {
    const said = lastLine(result.stderr)
    const exit = result.exitCode ? ` (exit status ${result.exitCode})` : ''
    const failure: FailureKind = result.bytes.length === 0 && /sudo|password|permission denied/i.test(result.stderr) ? 'auth' : 'garbage'
    return unreachableResult(identity, failure, `${(error as Error).message}${exit}${said ? `; stderr: ${said}` : ''}`, started)
  }
  let judged: HostResult
  try {
    judged = judgedResult(identity, snapshot, options.config, started)
  } catch (error) {
    return unreachableResult(identity, 'internal', `internal error while judging: ${(error as Error).message}`, started)
  }
  if (options.keeper) {
    try {
      judged.snapshot = await options.keeper.keep(host.name, result.bytes)
    } catch (error) {
      // The verdict stands; only the copy is missing, and the user is told why.
      options.notify?.(`warning: ${host.name}: snapshot not kept (${(error as Error).message})`)
    }
  }
  return judged
}

export function classifySshFailure(stderr: string): FailureKind {
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)) return 'hostkey'
  if (/Permission denied|Too many authentication failures|Authentication failed/i.test(stderr)) return 'auth'
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/i.test(stderr)) return 'dns'
  if (/timed out|expected time frame|due to timeout/i.test(stderr)) return 'timeout'
  // Ansible's words for a host whose output was binary junk.
  if (/embedded null byte|not a snapshot|did not produce a snapshot/i.test(stderr)) return 'garbage'
  if (/Connection refused|No route to host|Network is unreachable|Connection reset|Connection closed|kex_exchange_identification/i.test(stderr)) return 'refused'
  return 'ssh'
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  ).slice(0, 500)
}
