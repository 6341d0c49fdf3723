/**
 * A real OpenSSH server on 127.0.0.1 for tests and bench/: fresh host and client keys in a temp dir, a free port,
 * one unprivileged login user, and the sshd_config and ssh_config every caller shares. test/helpers/sshd.ts (one
 * server whose ForceCommand is a fixture) and test/helpers/fleet.mjs (many hosts behind one server) add their own
 * lines. Plain JavaScript so that bench scripts can use it under node without a TypeScript step.
 *
 * Needs root (to start sshd and create the user) and openssh-server; .ci/run installs it.
 */
import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {connect, createServer} from 'node:net'
import path from 'node:path'

export const SSHD = '/usr/sbin/sshd'
export const TEST_USER = 'kdctest'

export function sshdAvailable() {
  return existsSync(SSHD) && typeof process.getuid === 'function' && process.getuid() === 0
}

export function run(command, args) {
  const result = spawnSync(command, args, {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.stdout}`)
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The login user, created once; another test file may be creating it at this very moment. */
export function ensureTestUser() {
  if (spawnSync('id', [TEST_USER]).status !== 0) {
    const made = spawnSync('useradd', ['--system', '--create-home', '--shell', '/bin/sh', TEST_USER], {encoding: 'utf8'})
    if (made.status !== 0 && spawnSync('id', [TEST_USER]).status !== 0) throw new Error(`useradd ${TEST_USER}: ${made.stderr}`)
  }
  // useradd leaves the password locked ('!'), and sshd without PAM refuses locked accounts even for keys; '*'
  // means "no password login" without the lock.
  run('usermod', ['-p', '*', TEST_USER])
}

function bannerSeen(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(5000, () => done(false))
    socket.on('error', () => done(false))
    socket.on('data', (chunk) => done(chunk.toString().startsWith('SSH-')))
  })
}

/**
 * Starts sshd on a free port with keys in `dir` (which must exist and be readable by the login user), and
 * writes `dir/ssh_config` for the client. `sshd`: more sshd_config lines; `clientHosts(port)`: Host blocks
 * before `Host *`; `client`: more lines under `Host *`. Resolves once sshd answers with its banner (a
 * generous bound: the machine may be busy), and rejects with sshd's own words when it exits first.
 */
export async function startOpenSsh(dir, {sshd = [], clientHosts = () => [], client = []} = {}) {
  ensureTestUser()
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')])
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id_ed25519')])
  cpSync(path.join(dir, 'id_ed25519.pub'), path.join(dir, 'authorized_keys'))
  chmodSync(path.join(dir, 'authorized_keys'), 0o644)
  chmodSync(path.join(dir, 'id_ed25519'), 0o600)
  mkdirSync('/run/sshd', {recursive: true})
  const port = await freePort()
  const sshdConfig = path.join(dir, 'sshd_config')
  writeFileSync(
    sshdConfig,
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
      'UseDNS no',
      'LogLevel ERROR',
      ...sshd,
      '',
    ].join('\n'),
  )
  const clientConfig = path.join(dir, 'ssh_config')
  writeFileSync(
    clientConfig,
    [...clientHosts(port), 'Host *', `  IdentityFile ${path.join(dir, 'id_ed25519')}`, '  IdentitiesOnly yes', '  StrictHostKeyChecking no', ...client, '  LogLevel ERROR', ''].join('\n'),
  )
  const child = spawn(SSHD, ['-D', '-e', '-f', sshdConfig], {stdio: ['ignore', 'ignore', 'pipe']})
  let log = ''
  child.stderr.on('data', (chunk) => (log += chunk.toString()))
  const exited = new Promise((resolve) => child.once('exit', () => resolve(true)))
  const until = Date.now() + 120_000
  while (!(await bannerSeen(port))) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${log}`)
    if (Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error(`sshd did not answer on port ${port} within 120 s: ${log}`)
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 100))])
  }
  return {
    port,
    clientConfig,
    identity: path.join(dir, 'id_ed25519'),
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}
