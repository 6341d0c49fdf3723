/**
 * A real OpenSSH server on 127.0.0.1 for tests (test/helpers/openssh.mjs: keys, user, configuration): a
 * ForceCommand points the collector at a fixture root and a PATH of fake probe programs (so the "remote host"
 * is a fixture, never this machine). Needs root and openssh-server; .ci/run installs it.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {startOpenSsh} from './openssh.mjs'

export {freePort, sshdAvailable, SSHD, TEST_USER} from './openssh.mjs'

export interface Sshd {
  port: number
  dir: string
  /** An ssh_config for `--ssh-config`: key, no host-key prompts, known_hosts in the temp dir. */
  clientConfig: string
  identity: string
  stop(): Promise<void>
}

export interface SshdOptions {
  /** The command the login runs instead of the client's (see sshd_config ForceCommand). */
  forceCommand?: string
}

/** Everything under `dir` must be readable by the unprivileged login user. */
export function openUp(dir: string): void {
  spawnSync('chmod', ['-R', 'a+rX', dir])
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdc-sshd-'))
  chmodSync(dir, 0o755)
  const server = await startOpenSsh(dir, {
    sshd: ['MaxStartups 200:30:400', 'MaxSessions 200', ...(options.forceCommand ? [`ForceCommand ${options.forceCommand}`] : [])],
    client: [`  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`],
  })
  return {port: server.port, dir, clientConfig: server.clientConfig, identity: server.identity, stop: () => server.stop()}
}
