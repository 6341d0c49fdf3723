/**
 * A real OpenSSH server on 127.0.0.1 for tests: a free port, host and client keys generated at test
 * time, one unprivileged login user, and a ForceCommand that points the collector at a fixture root
 * and a PATH of fake probe programs (so the "remote host" is a fixture, never this machine).
 * Needs root (to start sshd and create the user) and openssh-server; .ci/run installs it.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {connect, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

export const SSHD = '/usr/sbin/sshd'
export const TEST_USER = 'kdctest'

export function sshdAvailable(): boolean {
  return existsSync(SSHD) && typeof process.getuid === 'function' && process.getuid() === 0
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.stdout}`)
}

export function ensureTestUser(): void {
  if (spawnSync('id', [TEST_USER]).status !== 0) run('useradd', ['--system', '--create-home', '--shell', '/bin/sh', TEST_USER])
  // useradd leaves the password locked ('!'), and sshd without PAM refuses locked accounts even for
  // keys; '*' means "no password login" without the lock.
  run('usermod', ['-p', '*', TEST_USER])
}

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
  ensureTestUser()
  const dir = mkdtempSync(path.join(tmpdir(), 'kdc-sshd-'))
  chmodSync(dir, 0o755)
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')])
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id_ed25519')])
  run('cp', [path.join(dir, 'id_ed25519.pub'), path.join(dir, 'authorized_keys')])
  chmodSync(path.join(dir, 'authorized_keys'), 0o644)
  mkdirSync('/run/sshd', {recursive: true})
  const port = await freePort()
  const config = path.join(dir, 'sshd_config')
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_key')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${TEST_USER}`,
      'UsePAM no',
      'StrictModes no',
      'MaxStartups 200:30:400',
      'MaxSessions 200',
      'LogLevel ERROR',
      ...(options.forceCommand ? [`ForceCommand ${options.forceCommand}`] : []),
      '',
    ].join('\n'),
  )
  const clientConfig = path.join(dir, 'ssh_config')
  writeFileSync(
    clientConfig,
    [
      'Host *',
      `  IdentityFile ${path.join(dir, 'id_ed25519')}`,
      '  IdentitiesOnly yes',
      '  StrictHostKeyChecking no',
      `  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`,
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  )
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']})
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const deadline = Date.now() + 10_000
  while (!(await bannerSeen(port))) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${log}`)
    if (Date.now() > deadline) throw new Error(`sshd did not answer on port ${port}: ${log}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    port,
    dir,
    clientConfig,
    identity: path.join(dir, 'id_ed25519'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
    },
  }
}

function bannerSeen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.on('error', () => done(false))
    socket.on('data', (chunk: Buffer) => done(chunk.toString().startsWith('SSH-')))
  })
}
