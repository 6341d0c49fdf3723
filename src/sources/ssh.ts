/**
 * A remote host over OpenSSH: the collector goes to `sh -s` on the target through stdin, nothing is
 * installed there, and the snapshot comes back on stdout. ssh is run directly (no local shell), with
 * BatchMode so it never prompts, and the user's ~/.ssh/config applies as it would for `ssh host`.
 */
import {readFile} from 'node:fs/promises'
import {InputError} from '../errors.js'
import {OUTPUT_CAP_BYTES, runCapped} from './capped-run.js'
import {collectorArgs, COLLECTOR_PATH, DEFAULT_COLLECT, type CollectOptions} from './collector-run.js'
import {shellCommand} from './shell-quote.js'

export interface SshTarget {
  user?: string
  host: string
  port?: number
}

// Names a user or host may have; nothing that ssh could read as an option (a leading '-') or that
// a remote shell could interpret.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/

export function parseSshTarget(text: string): SshTarget {
  const fail = (why: string): never => {
    throw new InputError(`--ssh ${JSON.stringify(text)}: ${why} (expected [user@]host[:port])`)
  }
  if (text.startsWith('-')) fail('a target cannot start with "-"')
  const at = text.lastIndexOf('@')
  const user = at >= 0 ? text.slice(0, at) : undefined
  const rest = at >= 0 ? text.slice(at + 1) : text
  let host = rest
  let portText: string | undefined
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(rest)
  if (bracketed) {
    host = bracketed[1]!
    portText = bracketed[2]
  } else if (rest.split(':').length === 2) {
    ;[host, portText] = rest.split(':') as [string, string]
    if (!/^\d{1,5}$/.test(portText)) fail(`"${portText}" is not a port`)
  } else if (rest.includes(':')) {
    if (!/^[0-9A-Fa-f:.]+$/.test(rest)) fail(`"${rest}" is not a host name or address`)
  } else if (!NAME.test(rest)) {
    fail(`"${rest}" is not a host name or address`)
  }
  if (!bracketed && rest.split(':').length === 2 && !NAME.test(host)) fail(`"${host}" is not a host name or address`)
  if (user !== undefined && !NAME.test(user)) fail(`"${user}" is not a user name`)
  const port = portText === undefined ? undefined : Number(portText)
  if (port !== undefined && (port < 1 || port > 65535)) fail(`port ${port} is out of range`)
  return {...(user ? {user} : {}), host, ...(port ? {port} : {})}
}

export function describeSshTarget(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  return `ssh:${target.user ? `${target.user}@` : ''}${host}${target.port ? `:${target.port}` : ''}`
}

export interface SshOptions extends CollectOptions {
  /** Passed through as `-o OPTION` (e.g. `StrictHostKeyChecking=accept-new`, `IdentityFile=...`). */
  sshOptions: string[]
  /** Run the collector with `sudo -n` on the target (a non-root login). */
  sudo: boolean
  /** Seconds for the TCP connection and authentication. */
  connectTimeout: number
  /** An ssh_config file to use instead of ~/.ssh/config (`-F`). */
  configFile?: string
}

/**
 * The one per-host deadline, in seconds: the connection and login, the collector's own deadline, and
 * 15 s for the transfer and for ssh to wind down. `check --ssh`, `collect --ssh`, `preflight --ssh` and
 * `scan` (its default --host-timeout) all use it.
 */
export function hostDeadline(options: {connectTimeout: number; deadline: number}): number {
  return options.connectTimeout + options.deadline + 15
}

/** The remote command that runs the collector fed on stdin (`sh -s`), with `sudo -n` for a non-root login. */
export function collectorCommand(options: Pick<SshOptions, 'sudo' | 'deadline' | 'probeTimeout'>): string[] {
  return [...(options.sudo ? ['sudo', '-n'] : []), 'sh', '-s', '--', ...collectorArgs(options)]
}

/**
 * ssh's arguments: options, the target after `--`, and `remote` (default: the collector) as one
 * command line with every word shell-quoted.
 */
export function sshArgs(
  target: SshTarget,
  options: Pick<SshOptions, 'sshOptions' | 'sudo' | 'connectTimeout' | 'configFile' | 'deadline' | 'probeTimeout'>,
  remote: readonly string[] = collectorCommand(options),
): string[] {
  for (const option of options.sshOptions) {
    if (!/^[A-Za-z][A-Za-z0-9]*[= ]/.test(option)) throw new InputError(`--ssh-option ${JSON.stringify(option)}: expected Name=value, as ssh -o takes it`)
  }
  return [
    ...(options.configFile ? ['-F', options.configFile] : []),
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${options.connectTimeout}`,
    '-o', 'ServerAliveInterval=15',
    ...options.sshOptions.flatMap((o) => ['-o', o]),
    ...(target.port ? ['-p', String(target.port)] : []),
    ...(target.user ? ['-l', target.user] : []),
    '--',
    target.host,
    shellCommand(remote),
  ]
}

export interface SshResult {
  bytes: Uint8Array
  stderr: string
  exitCode?: number
  timedOut: boolean
  /** The host sent more than the snapshot size limit: ssh was ended and `bytes` is empty. */
  overflowed: boolean
}

/** The largest snapshot a host may send back: the snapshot size limit, enforced while reading. */
export const SSH_MAX_OUTPUT = OUTPUT_CAP_BYTES

export interface SshRunOptions extends SshOptions {
  maxBuffer: number
  /**
   * Run ssh in its own process group, so a Ctrl-C at the terminal reaches only kdumpcheck, which then
   * stops ssh through `signal` (scan does, to record what finished). Off for single-host commands,
   * where ssh should die with kdumpcheck.
   */
  ownProcessGroup: boolean
}

export async function runSshCollector(target: SshTarget, options: Partial<SshRunOptions> = {}, signal?: AbortSignal): Promise<SshResult> {
  const full: SshOptions = {...DEFAULT_COLLECT, sshOptions: [], sudo: false, connectTimeout: 10, ...options}
  const script = await readFile(COLLECTOR_PATH)
  return runCapped('ssh', sshArgs(target, full), {
    input: script,
    timeoutMs: hostDeadline(full) * 1000,
    cap: options.maxBuffer ?? SSH_MAX_OUTPUT,
    detached: options.ownProcessGroup ?? false,
    ...(signal ? {signal} : {}),
  })
}
