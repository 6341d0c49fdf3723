/**
 * A simulated fleet behind ONE real OpenSSH server on 127.0.0.1, for scan tests and bench/ (plain
 * JavaScript so that bench scripts can use it under node without a TypeScript step).
 *
 * Every "host" is a Host alias in a generated ssh_config: HostName 127.0.0.1, the sshd's port, and
 * `SetEnv KDC_FLEET_HOST=<alias>`. sshd accepts that variable (AcceptEnv) and a ForceCommand
 * wrapper looks the alias up in hosts/<alias>.env: which fixture root and fake probe programs the
 * collector sees (KDUMPCHECK_TEST_ROOT, PATH), and how the host behaves:
 *   ok       runs what the client asked (`sh -s ...`: the collector) against the fixture
 *   hang     the same, but its fake `xl` never returns and ignores SIGTERM
 *   garbage  prints a banner and random bytes instead of a snapshot
 *   replay   prints a snapshot the real collector made from the fixture once, at setup: a host
 *            whose collection costs nothing, so that a test or benchmark of many hosts measures
 *            the scan and ssh rather than the collector's own CPU on this same machine
 *   dead     its alias points at a closed port: connection refused
 * The fakes replay a committed fixture's recorded probe output (fixtures/hosts/NAME/commands), so
 * the machine running the tests is never what the collector reads.
 *
 * Needs root (sshd, a login user) and openssh-server; .ci/run installs it.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {ensureTestUser, freePort, sshdAvailable, startOpenSsh, TEST_USER} from './openssh.mjs'

export const REPO = path.resolve(import.meta.dirname, '../..')
export const FIXTURES = path.join(REPO, 'fixtures/hosts')
export const COLLECTOR = path.join(REPO, 'collector/kdumpcheck-collect.sh')
export {SSHD} from './openssh.mjs'
export const FLEET_USER = TEST_USER
export const SFTP_SERVER = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server', '/usr/libexec/sftp-server'].find((p) => existsSync(p))

export function fleetAvailable() {
  return sshdAvailable()
}

/** The probes the collector runs, by program: how a fake tells them apart by its first argument. */
const PROBES = {
  uname: [['-r', 'uname-r'], ['-m', 'uname-m']],
  hostname: [['', 'hostname']],
  xl: [['info', 'xl-info'], ['dmesg', 'xl-dmesg']],
  xm: [['info', 'xm-info'], ['dmesg', 'xm-dmesg']],
  kexec: [['--version', 'kexec-version'], ['-S', 'kexec-status']],
  systemctl: [['', 'systemctl-kdump']],
  chkconfig: [['', 'chkconfig-kdump']],
  rpm: [['', 'rpm-q']],
  'dpkg-query': [['', 'dpkg-query']],
  df: [['', 'df']],
  ls: [['-ln', 'ls-boot'], ['-l', 'ls-services']],
  kdumpctl: [['', 'kdumpctl-status']],
  'kdump-config': [['', 'kdump-config-status']],
  service: [['', 'service-kdump-status']],
}

/** Tools the collector and Ansible's script/raw modules need; never a probe program. */
const TOOLS = ['sh', 'cat', 'head', 'dd', 'tar', 'gzip', 'date', 'mkdir', 'rm', 'mv', 'chmod', 'mktemp', 'setsid', 'sleep', 'wc', 'tr', 'sed', 'timeout', 'od', 'echo', 'printf', 'true', 'false', 'id', 'cp', 'cmp', 'ln', 'readlink']

function which(program) {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) if (existsSync(path.join(dir, program))) return path.join(dir, program)
  return undefined
}

function q(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`
}

/** A fixture root (its files/) and fake probe programs that replay its commands/. */
function buildScenario(fixture, dir, {hangXl = false, pids} = {}) {
  const source = path.join(FIXTURES, fixture)
  const root = path.join(dir, 'root')
  const bin = path.join(dir, 'bin')
  const data = path.join(dir, 'commands')
  mkdirSync(root, {recursive: true})
  mkdirSync(bin, {recursive: true})
  if (existsSync(path.join(source, 'files'))) cpSync(path.join(source, 'files'), root, {recursive: true})
  cpSync(path.join(source, 'commands'), data, {recursive: true})
  for (const [program, probes] of Object.entries(PROBES)) {
    const present = probes.filter(([, name]) => {
      const exit = path.join(data, `${name}.exit`)
      return existsSync(exit) && readFileSync(exit, 'utf8').trim() !== 'missing'
    })
    if (present.length === 0) continue
    const lines = ['#!/bin/sh', `D=${q(data)}`, 'p=']
    for (const [arg, name] of present) lines.push(arg === '' ? `[ -z "$p" ] && p=${name}` : `[ "$1" = ${q(arg)} ] && p=${name}`)
    lines.push('[ -n "$p" ] || { echo "fake: unexpected arguments: $*" >&2; exit 99; }')
    if (hangXl && program === 'xl') lines.push("trap '' TERM", `echo $$ >>${q(pids)}`, 'while :; do sleep 1; done')
    lines.push(
      '[ -f "$D/$p.out" ] && cat "$D/$p.out"',
      '[ -f "$D/$p.err" ] && cat "$D/$p.err" >&2',
      'code=$(cat "$D/$p.exit" 2>/dev/null)',
      // A recorded timeout hangs like the real probe did.
      'case $code in timeout) trap \'\' TERM; while :; do sleep 1; done ;; *[!0-9]*|"") code=0 ;; esac',
      'exit "$code"',
    )
    writeFileSync(path.join(bin, program), `${lines.join('\n')}\n`, {mode: 0o755})
  }
  return {root, bin}
}

/** Runs the real collector once over a scenario: the snapshot `replay` hosts print. */
function collectOnce(scenario, tools, file, hostname) {
  const result = spawnSync('/bin/sh', [COLLECTOR, '--deadline', '60'], {
    env: {PATH: `${scenario.bin}:${tools}`, KDUMPCHECK_TEST_ROOT: scenario.root, KDUMPCHECK_TEST_HOSTNAME: hostname, LC_ALL: 'C'},
    maxBuffer: 64 * 1024 * 1024,
  })
  if (result.status !== 0) throw new Error(`collector over ${scenario.root}: exit ${result.status}: ${result.stderr}`)
  writeFileSync(file, result.stdout)
  return file
}

/**
 * hosts: [{name, kind: 'ok'|'hang'|'garbage'|'dead', fixture}] (fixture for ok and hang).
 * Returns the fleet: the ssh_config to pass with --ssh-config, inventory writers, the server-side
 * log of collector runs (`calls()`), and stop().
 */
export async function startFleet(hosts, options = {}) {
  // Both ends of every connection run on this one machine: the default post-quantum key exchange
  // (sntrup761) costs ~0.15 s of CPU per end, which a real fleet spreads over its hosts. Tests use
  // curve25519 unless told otherwise (kex: null keeps ssh's default; bench/ measures both).
  const kex = options.kex === undefined ? 'curve25519-sha256' : options.kex
  ensureTestUser()
  const dir = mkdtempSync(path.join(options.tmp ?? tmpdir(), 'kdc-fleet-'))
  chmodSync(dir, 0o755)
  const tools = path.join(dir, 'tools')
  mkdirSync(tools)
  for (const tool of TOOLS) {
    const target = which(tool)
    if (target) symlinkSync(target, path.join(tools, tool))
  }
  // One scenario per fixture (and per fixture with a hanging xl), shared by the hosts that use it.
  const scenarios = new Map()
  const scenarioFor = (fixture, hang) => {
    const key = `${fixture}${hang ? '+hang' : ''}`
    if (!scenarios.has(key)) scenarios.set(key, buildScenario(fixture, path.join(dir, 'scenarios', key), {hangXl: hang, pids}))
    return scenarios.get(key)
  }
  // The same bytes every time (no NUL: a shell variable or Ansible's JSON could not carry one).
  const garbage = path.join(dir, 'garbage.bin')
  let seed = 12345
  writeFileSync(garbage, Buffer.from(Array.from({length: 2048}, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 255) + 1)))
  const table = path.join(dir, 'hosts')
  mkdirSync(table)
  const log = path.join(dir, 'calls.log')
  const pids = path.join(dir, 'hang.pids')
  for (const file of [log, pids]) {
    writeFileSync(file, '', {mode: 0o666})
    chmodSync(file, 0o666)
  }
  for (const host of hosts) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(host.name)) throw new Error(`bad fleet host name ${host.name}`)
    if (host.kind === 'dead') continue
    const env = [`MODE=${host.kind}`, `KDUMPCHECK_TEST_HOSTNAME=${q(host.name)}`]
    if (host.kind === 'replay') {
      const scenario = scenarioFor(host.fixture, false)
      scenario.snapshot ??= collectOnce(scenario, tools, path.join(dir, 'scenarios', host.fixture, 'snapshot.tar.gz'), host.fixture)
      env.push(`SNAPSHOT=${q(scenario.snapshot)}`)
    } else if (host.kind !== 'garbage') {
      const scenario = scenarioFor(host.fixture, host.kind === 'hang')
      env.push(`KDUMPCHECK_TEST_ROOT=${q(scenario.root)}`, `FAKE_PATH=${q(`${scenario.bin}:${tools}`)}`)
    }
    writeFileSync(path.join(table, `${host.name}.env`), `${env.join('\n')}\n`)
  }
  const wrapper = path.join(dir, 'forced-command.sh')
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      '# ForceCommand: the "remote host" is the fixture the client alias names (SetEnv KDC_FLEET_HOST).',
      'h=$KDC_FLEET_HOST',
      'case $h in "" | *[!A-Za-z0-9._-]*) echo "fleet: no or bad KDC_FLEET_HOST" >&2; exit 97 ;; esac',
      `[ -f ${q(table)}/"$h.env" ] || { echo "fleet: unknown host $h" >&2; exit 98; }`,
      `. ${q(table)}/"$h.env"`,
      `printf '%s %s\\n' "$h" "$(printf '%s' "$SSH_ORIGINAL_COMMAND" | head -c 60 | tr '\\n' ' ')" >>${q(log)}`,
      'if [ "$MODE" = replay ]; then exec cat "$SNAPSHOT"; fi',
      'if [ "$MODE" = garbage ]; then',
      "  printf 'Welcome to %s! Unauthorized access prohibited.\\n' \"$h\"",
      `  cat ${q(garbage)}`,
      '  exit 0',
      'fi',
      'export KDUMPCHECK_TEST_ROOT KDUMPCHECK_TEST_HOSTNAME',
      '# A fix script (kdumpcheck fix --script, the Ansible remediation) edits the root $KDUMPCHECK_ROOT names:',
      '# the fixture root, never this machine\'s own /, so a host without one is refused.',
      '[ -n "${KDUMPCHECK_TEST_ROOT:-}" ] || { echo "fleet: host $h has no fixture root" >&2; exit 96; }',
      'KDUMPCHECK_ROOT=${KDUMPCHECK_TEST_ROOT:-}',
      'export KDUMPCHECK_ROOT',
      'PATH=$FAKE_PATH',
      'export PATH',
      'exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"',
      '',
    ].join('\n'),
    {mode: 0o755},
  )
  spawnSync('chmod', ['-R', 'a+rX', dir])

  const deadPort = await freePort()
  const server = await startOpenSsh(dir, {
    sshd: [
      'MaxStartups 1024:100:2048',
      'MaxSessions 100',
      'LoginGraceTime 30',
      'AcceptEnv KDC_FLEET_HOST',
      ...(SFTP_SERVER ? [`Subsystem sftp ${SFTP_SERVER}`] : []),
      `ForceCommand ${wrapper}`,
    ],
    clientHosts: (port) =>
      hosts.map((h) => [`Host ${h.name}`, '  HostName 127.0.0.1', `  Port ${h.kind === 'dead' ? deadPort : port}`, `  User ${FLEET_USER}`, `  SetEnv KDC_FLEET_HOST=${h.name}`].join('\n')),
    client: ['  UserKnownHostsFile /dev/null', '  GlobalKnownHostsFile /dev/null', ...(kex ? [`  KexAlgorithms ${kex}`] : [])],
  })
  const {port, clientConfig, child} = server
  return {
    dir,
    port,
    deadPort,
    clientConfig,
    identity: path.join(dir, 'id_ed25519'),
    hosts,
    sshdPid: child.pid,
    /** Server-side record of every session: [alias, command]. */
    calls() {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)])
    },
    /** An Ansible INI inventory naming the aliases (ssh reads HostName, Port, SetEnv from clientConfig). */
    writeAnsibleInventory(file, names = hosts.map((h) => h.name)) {
      writeFileSync(
        file,
        [
          '[fleet]',
          ...names,
          '',
          '[fleet:vars]',
          `ansible_ssh_common_args=-F ${clientConfig}`,
          'ansible_host_key_checking=false',
          '',
        ].join('\n'),
      )
      return file
    },
    async stop() {
      await server.stop()
      // Hanging fakes that outlived their session (the collector's watchdog kills them too, later).
      for (const pid of readFileSync(pids, 'utf8').split('\n').filter((l) => /^\d+$/.test(l))) {
        try {
          process.kill(Number(pid), 'SIGKILL')
        } catch {}
      }
    },
    remove() {
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** A mixed fleet of `count` hosts: `dead`, `hang`, `garbage` are fractions; the rest rotate over `fixtures`. */
export function fleetPlan(count, {dead = 0, hang = 0, garbage = 0, fixtures = ['good-pvops-debian12'], prefix = 'dom0-', kind = 'ok'} = {}) {
  const width = String(count).length
  const hosts = []
  const nDead = Math.round(count * dead)
  const nHang = Math.round(count * hang)
  const nGarbage = Math.round(count * garbage)
  for (let i = 0; i < count; i++) {
    // Spread the bad hosts through the list (every k-th), as a real fleet would have them.
    const name = `${prefix}${String(i + 1).padStart(width, '0')}`
    hosts.push({name, kind, fixture: fixtures[i % fixtures.length]})
  }
  const mark = (n, kind, offset) => {
    let marked = 0
    for (let i = offset; marked < n && i < count * 4; i += Math.max(1, Math.floor(count / Math.max(1, n)))) {
      const h = hosts[i % count]
      if (h.kind === 'ok' || h.kind === 'replay') {
        h.kind = kind
        // A hang needs a fixture whose collection runs `xl` (an el5 fixture runs `xm`).
        if (kind === 'hang') h.fixture = 'good-pvops-debian12'
        marked++
      }
    }
  }
  mark(nDead, 'dead', 0)
  mark(nHang, 'hang', 1)
  mark(nGarbage, 'garbage', 2)
  return hosts
}

export function listFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).sort() : []
}
