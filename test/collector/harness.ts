/**
 * Test harness for collector/kdumpcheck-collect.sh: fixture roots built from committed snapshots,
 * fake probe programs that replay recorded outputs, a PATH of only fakes and basic tools, and a
 * runner that executes the collector under dash, busybox sh and bash --posix.
 *
 * Nothing here ever runs the collector against the real host: every run sets KDUMPCHECK_TEST_ROOT to a
 * temporary root and a PATH in which no real probe program (xl, kexec, systemctl, ...) exists.
 */
import {spawn, spawnSync} from 'node:child_process'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Parser, type ReadEntry} from 'tar'
import {expect} from 'vitest'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'

export const REPO = path.resolve(import.meta.dirname, '../..')
export const COLLECTOR = path.join(REPO, 'collector/kdumpcheck-collect.sh')
export const FIXTURES = path.join(REPO, 'fixtures/hosts')
/** In CI a missing shell or tool is a failure, not a skip. */
export const IN_CI = Boolean(process.env.CI)

// ------------------------------------------------------------------------------------------------
// Shells and tools

export type ToolFlavour = 'gnu' | 'busybox'

export interface ShellSpec {
  id: 'dash' | 'busybox' | 'bash'
  /** argv prefix: the collector script (or -s) follows. */
  argv: string[]
  /** The userland the tools dir gives it. */
  flavour: ToolFlavour
  available: boolean
}

function which(program: string): string | undefined {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']) {
    const full = path.join(dir, program)
    if (existsSync(full)) return full
  }
  return undefined
}

export const BUSYBOX = which('busybox')
export const SHELLS: ShellSpec[] = [
  {id: 'dash', argv: [which('dash') ?? 'dash'], flavour: 'gnu', available: which('dash') !== undefined},
  {id: 'busybox', argv: [BUSYBOX ?? 'busybox', 'sh'], flavour: 'busybox', available: BUSYBOX !== undefined},
  {id: 'bash', argv: [which('bash') ?? 'bash', '--posix'], flavour: 'gnu', available: which('bash') !== undefined},
]

/** The basic tools the collector (and the fakes) may use. Never a probe program. */
export const BASIC_TOOLS = [
  'sh',
  'cat',
  'head',
  'dd',
  'tar',
  'gzip',
  'date',
  'mkdir',
  'rm',
  'mv',
  'chmod',
  'mktemp',
  'setsid',
  'sleep',
  'wc',
  'tr',
  'sed',
  'timeout',
]

/** Programs the collector runs as probes: the tools dir must never provide one. */
export const PROBE_PROGRAMS = [
  'uname',
  'hostname',
  'xl',
  'xm',
  'kexec',
  'systemctl',
  'chkconfig',
  'rpm',
  'dpkg-query',
  'df',
  'ls',
  'kdumpctl',
  'kdump-config',
  'service',
]

export interface ToolOptions {
  flavour: ToolFlavour
  /** Provide `timeout` (GNU coreutils, or busybox's applet for the busybox flavour). Default true. */
  timeout?: boolean
  setsid?: boolean
  mktemp?: boolean
  /**
   * An older userland: `date` without %s (the collector then marks its deadline with a sleeper)
   * and `head` without -c (it reads with dd).
   */
  primitive?: boolean
}

/** A directory of symlinks to the basic tools only, named as the tools. */
export function makeTools(dir: string, options: ToolOptions): string {
  mkdirSync(dir, {recursive: true})
  for (const tool of BASIC_TOOLS) {
    if (tool === 'timeout' && options.timeout === false) continue
    if (tool === 'setsid' && options.setsid === false) continue
    if (tool === 'mktemp' && options.mktemp === false) continue
    const target = options.flavour === 'busybox' ? BUSYBOX : which(tool)
    if (target === undefined) throw new Error(`test setup: ${tool} not found`)
    if (options.primitive && (tool === 'date' || tool === 'head')) {
      const refuse = tool === 'date' ? 'case "$*" in *%s*) echo "date: bad format" >&2; exit 1 ;; esac' : 'case "$1" in -c*) echo "head: unknown option -c" >&2; exit 1 ;; esac'
      const exec = options.flavour === 'busybox' ? `exec ${target} ${tool} "$@"` : `exec ${target} "$@"`
      writeFileSync(path.join(dir, tool), `#!/bin/sh\n${refuse}\n${exec}\n`)
      chmodSync(path.join(dir, tool), 0o755)
      continue
    }
    symlinkSync(target, path.join(dir, tool))
  }
  return dir
}

// ------------------------------------------------------------------------------------------------
// Fixtures

export interface Fixture {
  name: string
  dir: string
  meta: {hostname: string; collected_at: string; kind: string; collector: string; errors: string[]}
}

export function runtimeFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((name) => existsSync(path.join(FIXTURES, name, 'snapshot.json')))
    .sort()
    .flatMap((name) => {
      const dir = path.join(FIXTURES, name)
      try {
        return [{name, dir, meta: JSON.parse(readFileSync(path.join(dir, 'snapshot.json'), 'utf8')) as Fixture['meta']}]
      } catch {
        return [] // not a snapshot the fixture runner would read either
      }
    })
    .filter((f) => f.meta.kind === 'runtime')
}

/** One probe: its name, program and the exact argv the collector must pass (ARCHITECTURE.md). */
export interface ProbeSpec {
  name: string
  program: string
  args: string[]
}

export function probeSpecs(servicesArgs: string[]): ProbeSpec[] {
  return [
    {name: 'uname-r', program: 'uname', args: ['-r']},
    {name: 'uname-m', program: 'uname', args: ['-m']},
    {name: 'hostname', program: 'hostname', args: []},
    {name: 'xl-info', program: 'xl', args: ['info']},
    {name: 'xl-dmesg', program: 'xl', args: ['dmesg']},
    {name: 'xm-info', program: 'xm', args: ['info']},
    {name: 'xm-dmesg', program: 'xm', args: ['dmesg']},
    {name: 'kexec-version', program: 'kexec', args: ['--version']},
    {name: 'kexec-status', program: 'kexec', args: ['-S']},
    {
      name: 'systemctl-kdump',
      program: 'systemctl',
      args: ['show', '-p', 'Id,LoadState,ActiveState,SubState,UnitFileState,Result', 'kdump.service', 'kdump-tools.service'],
    },
    {name: 'chkconfig-kdump', program: 'chkconfig', args: ['--list', 'kdump']},
    {
      name: 'rpm-q',
      program: 'rpm',
      args: [
        '-q',
        '--qf',
        '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\n',
        'kexec-tools',
        'kdump-utils',
        'makedumpfile',
        'crash',
        'xen',
        'xen-hypervisor',
        'kernel',
        'kernel-xen',
      ],
    },
    {
      name: 'dpkg-query',
      program: 'dpkg-query',
      args: [
        '-W',
        '-f=${Package}\\t${Version}\\t${Status}\\n',
        'kexec-tools',
        'kdump-tools',
        'makedumpfile',
        'crash',
        'xen-hypervisor-*',
        'xen-utils-*',
        'linux-image-*',
      ],
    },
    {name: 'df', program: 'df', args: ['-Pk']},
    {name: 'ls-boot', program: 'ls', args: ['-lnq', '/boot', '/var/lib/kdump']},
    {name: 'kdumpctl-status', program: 'kdumpctl', args: ['status']},
    {name: 'kdump-config-status', program: 'kdump-config', args: ['status']},
    {name: 'service-kdump-status', program: 'service', args: ['kdump', 'status']},
    {name: 'ls-services', program: 'ls', args: ['-lq', ...servicesArgs, '/etc/rc.d/rc3.d', '/etc/rc3.d']},
  ]
}

/** What a fake program does for one probe. `hang` ignores SIGTERM and never exits by itself. */
export interface Replay {
  out: Buffer
  err?: Buffer
  exit: string
  hang?: boolean
}

export interface Scenario {
  root: string
  bin: string
  /** Where fakes log their invocations, pids and unexpected arguments. */
  log: string
  probes: ProbeSpec[]
  replays: Map<string, Replay>
  /** Why a real collector could not have produced this fixture (empty when it could). */
  inconsistencies: string[]
}

/** Copies a snapshot's files/ into a root tree, turning identical menu.lst/grub.conf into a symlink. */
function buildRoot(fixtureDir: string, root: string): void {
  const files = path.join(fixtureDir, 'files')
  mkdirSync(root, {recursive: true})
  if (!existsSync(files)) return
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(files, rel)).sort()) {
      const relPath = path.join(rel, name)
      const source = path.join(files, relPath)
      const target = path.join(root, relPath)
      if (lstatSync(source).isDirectory()) {
        mkdirSync(target, {recursive: true})
        walk(relPath)
      } else {
        writeFileSync(target, readFileSync(source))
      }
    }
  }
  walk('')
  // RHEL's /boot/grub/menu.lst is a symlink to grub.conf: the collector must store it as a file.
  const menu = path.join(root, 'boot/grub/menu.lst')
  const conf = path.join(root, 'boot/grub/grub.conf')
  if (existsSync(menu) && existsSync(conf) && readFileSync(menu).equals(readFileSync(conf))) {
    rmSync(menu)
    symlinkSync('grub.conf', menu)
  }
}

/** The .wants directories the recorded `ls -l` listed: recreated so the collector's glob expands. */
function wantsDirs(fixtureDir: string): string[] {
  const file = path.join(fixtureDir, 'commands/ls-services.out')
  if (!existsSync(file)) return []
  const dirs = new Set<string>()
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\/etc\/systemd\/system\/[^/]+\.wants):$/.exec(line)
    if (m) dirs.add(m[1]!)
  }
  return [...dirs].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1))
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

/**
 * Writes one fake program per probe program that has at least one non-missing probe. Each fake
 * checks its argv exactly, logs the call, drains stdin (a collector that let a probe read stdin
 * under `sh -s` would lose the rest of its own script), and replays the recorded output.
 */
export function writeFakes(scenario: Scenario): void {
  mkdirSync(scenario.bin, {recursive: true})
  mkdirSync(scenario.log, {recursive: true})
  const data = path.join(scenario.log, 'replay')
  mkdirSync(data, {recursive: true})
  const byProgram = new Map<string, ProbeSpec[]>()
  for (const probe of scenario.probes) byProgram.set(probe.program, [...(byProgram.get(probe.program) ?? []), probe])
  for (const [program, probes] of byProgram) {
    const present = probes.filter((p) => scenario.replays.get(p.name)?.exit !== 'missing')
    if (present.length === 0) continue
    const lines = [
      '#!/bin/sh',
      `# fake ${program} for kdumpcheck collector tests`,
      `LOG=${shellQuote(scenario.log)}`,
      `DATA=${shellQuote(data)}`,
      "US=$(printf '\\037')",
      'IFS=$US',
      'args="$*"',
      'IFS=\' \'',
      `printf '%s %s\\n' ${shellQuote(program)} "$args" >>"$LOG/calls"`,
      'cat >/dev/null',
      'probe=',
    ]
    for (const probe of present) {
      lines.push(`[ "$args" = ${shellQuote(probe.args.join('\x1f'))} ] && probe=${probe.name}`)
    }
    lines.push(
      'if [ -z "$probe" ]; then',
      `  printf '%s %s\\n' ${shellQuote(program)} "$args" >>"$LOG/unexpected"`,
      '  echo "fake: unexpected arguments" >&2',
      '  exit 99',
      'fi',
      'cat "$DATA/$probe.out"',
      '[ -f "$DATA/$probe.err" ] && cat "$DATA/$probe.err" >&2',
      'if [ -f "$DATA/$probe.hang" ]; then',
      "  trap '' TERM",
      '  echo $$ >>"$LOG/pids"',
      '  sleep 1000 &',
      '  echo $! >>"$LOG/pids"',
      '  : >"$LOG/hanging.$probe"',
      '  while :; do wait; done',
      'fi',
      'exit "$(cat "$DATA/$probe.code")"',
    )
    for (const probe of present) {
      const replay = scenario.replays.get(probe.name)!
      writeFileSync(path.join(data, `${probe.name}.out`), replay.out)
      if (replay.err !== undefined) writeFileSync(path.join(data, `${probe.name}.err`), replay.err)
      if (replay.hang || replay.exit === 'timeout') writeFileSync(path.join(data, `${probe.name}.hang`), '')
      writeFileSync(path.join(data, `${probe.name}.code`), /^\d+$/.test(replay.exit) ? replay.exit : '0')
    }
    const fake = path.join(scenario.bin, program)
    writeFileSync(fake, `${lines.join('\n')}\n`)
    chmodSync(fake, 0o755)
  }
}

/**
 * A fixture root and fake programs that replay fixture `name`'s recorded probes. `work` is a fresh
 * directory; the root's path deliberately holds spaces and glob characters.
 */
export function scenarioFromFixture(fixture: Fixture, work: string, tweak?: (replays: Map<string, Replay>) => void): Scenario {
  const root = path.join(work, 'host root [x]* ?')
  buildRoot(fixture.dir, root)
  const wants = wantsDirs(fixture.dir)
  for (const dir of wants) mkdirSync(path.join(root, dir), {recursive: true})
  const probes = probeSpecs(wants.length > 0 ? wants : ['/etc/systemd/system/*.wants'])
  const replays = new Map<string, Replay>()
  const inconsistencies: string[] = []
  const commands = path.join(fixture.dir, 'commands')
  for (const probe of probes) {
    const base = path.join(commands, probe.name)
    if (!existsSync(`${base}.exit`)) {
      inconsistencies.push(`commands/${probe.name}.exit is absent (a collector records every minimum probe)`)
      continue
    }
    const exit = readFileSync(`${base}.exit`, 'utf8').trim()
    replays.set(probe.name, {
      out: existsSync(`${base}.out`) ? readFileSync(`${base}.out`) : Buffer.alloc(0),
      ...(existsSync(`${base}.err`) ? {err: readFileSync(`${base}.err`)} : {}),
      exit,
    })
  }
  // A program is installed or not: all its probes are 'missing' or none is.
  const programs = new Map<string, string[]>()
  for (const probe of probes) programs.set(probe.program, [...(programs.get(probe.program) ?? []), probe.name])
  for (const [program, names] of programs) {
    const missing = names.filter((n) => replays.get(n)?.exit === 'missing')
    if (missing.length > 0 && missing.length < names.length) {
      inconsistencies.push(`${program}: ${missing.join(', ')} 'missing' but ${names.filter((n) => !missing.includes(n)).join(', ')} ran`)
    }
  }
  const krel = replays.get('uname-r')
  if (krel && krel.exit === '0') {
    const release = krel.out.toString('utf8').split('\n')[0]!
    const configs = existsSync(path.join(fixture.dir, 'files/boot'))
      ? readdirSync(path.join(fixture.dir, 'files/boot')).filter((n) => n.startsWith('config-'))
      : []
    for (const config of configs) {
      if (config !== `config-${release}`) inconsistencies.push(`files/boot/${config} is not the running kernel's (uname -r: ${release})`)
    }
  }
  tweak?.(replays)
  const scenario: Scenario = {root, bin: path.join(work, 'fakebin'), log: path.join(work, 'log'), probes, replays, inconsistencies}
  writeFakes(scenario)
  return scenario
}

// ------------------------------------------------------------------------------------------------
// Running

export interface RunOptions {
  shell: ShellSpec
  scenario: Scenario
  tools: string
  /** Private TMPDIR for this run (checked for leftovers by the caller). */
  tmp: string
  args?: string[]
  env?: Record<string, string>
  /** Feed the script on stdin (`sh -s -- args`) instead of naming it. */
  stdin?: boolean
  /** Wrap in `ulimit -v KiB` (a memory ceiling for the whole collector). */
  memoryLimitKiB?: number
  /** Called with the child once it started (to signal it, for instance). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void
}

export interface RunResult {
  stdout: Buffer
  stderr: string
  code: number | null
  signal: NodeJS.Signals | null
  ms: number
}

export function runCollector(options: RunOptions): Promise<RunResult> {
  const {shell, scenario} = options
  const args = options.args ?? []
  let argv = options.stdin ? [...shell.argv, '-s', '--', ...args] : [...shell.argv, COLLECTOR, ...args]
  if (options.memoryLimitKiB !== undefined) {
    argv = ['/bin/sh', '-c', `ulimit -v ${options.memoryLimitKiB} && exec "$@"`, 'sh', ...argv]
  }
  const env: Record<string, string> = {
    PATH: `${scenario.bin}:${options.tools}`,
    TMPDIR: options.tmp,
    KDUMPCHECK_TEST_ROOT: scenario.root,
    ...options.env,
  }
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {env, stdio: ['pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code, signal, ms: performance.now() - started}),
    )
    if (options.stdin) child.stdin.end(readFileSync(COLLECTOR))
    else child.stdin.end()
    options.onSpawn?.(child)
  })
}

/** The members of a (gzip'd) tar archive: regular files only, by path. */
export async function untar(archive: Buffer): Promise<Map<string, Buffer>> {
  const members = new Map<string, Buffer>()
  const types = new Map<string, string>()
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      strict: true,
      onReadEntry(entry: ReadEntry) {
        const chunks: Buffer[] = []
        types.set(entry.path, entry.type)
        entry.on('data', (c: Buffer) => chunks.push(c))
        entry.on('end', () => {
          if (entry.type === 'File' || entry.type === 'OldFile') members.set(entry.path.replace(/^\.\//, ''), Buffer.concat(chunks))
        })
      },
    })
    parser.on('error', reject)
    parser.on('end', () => resolve())
    parser.end(archive)
  })
  for (const [name, type] of types) {
    if (type !== 'File' && type !== 'OldFile' && type !== 'Directory') throw new Error(`archive member ${name} is a ${type}`)
  }
  return members
}

/** A snapshot directory's files by snapshot-relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  const members = new Map<string, Buffer>()
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const relPath = rel === '' ? name : `${rel}/${name}`
      const full = path.join(dir, relPath)
      if (lstatSync(full).isDirectory()) walk(relPath)
      else members.set(relPath, readFileSync(full))
    }
  }
  walk('')
  return members
}

/** Every path under `dir` with its type, mode, size, mtime and link target: to prove nothing changed. */
export function treeState(dir: string): string[] {
  const lines: string[] = []
  const walk = (rel: string): void => {
    const full = path.join(dir, rel)
    const info = lstatSync(full, {bigint: true})
    const link = info.isSymbolicLink() ? ` -> ${readlinkSync(full)}` : ''
    lines.push(`${rel || '.'} ${info.mode.toString(8)} ${info.size} ${info.mtimeNs} ${info.ctimeNs}${link}`)
    if (info.isDirectory()) for (const name of readdirSync(full).sort()) walk(rel === '' ? name : `${rel}/${name}`)
  }
  walk('')
  return lines
}

const workDirs: string[] = []

export function workDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `kdc-collect-${prefix}-`))
  workDirs.push(dir)
  return dir
}

/** Removes every work dir this test file made (call from afterAll). */
export function removeWorkDirs(): void {
  for (const dir of workDirs.splice(0)) rmSync(dir, {recursive: true, force: true})
}

/** A fresh private TMPDIR for one collector run, its name holding a space. */
export function freshTmp(work: string, name = 'tmp dir'): string {
  const dir = path.join(work, name)
  mkdirSync(dir, {recursive: true})
  return dir
}

/** PIDs the hanging fakes recorded (the fake itself and its child). */
export function fakePids(scenario: Scenario): number[] {
  const file = path.join(scenario.log, 'pids')
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number)
}

/** A signalled process needs a moment to be scheduled and die on a loaded machine: poll until it is gone. */
export async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (alive(pid)) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    // A zombie is dead for our purposes.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) Z /.test(stat)
  } catch {
    return false
  }
}

export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

export function shellcheckPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v shellcheck'], {encoding: 'utf8'})
  return found.status === 0 ? found.stdout.trim() : undefined
}

export function fixtureByName(name: string): Fixture {
  const fixture = runtimeFixtures().find((f) => f.name === name)
  if (!fixture) throw new Error(`fixture ${name} not found`)
  return fixture
}

/** Resolves once `file` exists (polling), rejects after `ms`. */
export async function waitForFile(file: string, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} did not appear within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** snapshot.json of a collector's output, parsed. */
export function metaOf(members: Map<string, Buffer>): {hostname: string; collected_at: string; collector: string; errors: string[]} {
  const raw = members.get('snapshot.json')
  if (!raw) throw new Error('snapshot.json missing from the archive')
  return JSON.parse(raw.toString('utf8')) as ReturnType<typeof metaOf>
}

/**
 * The golden assertion: the archive equals the fixture member for member and byte for byte,
 * snapshot.json equal except `collector`; the same through the project's reader; and every probe
 * ran exactly once with ARCHITECTURE.md's command (kexec only with --version and -S).
 */
export async function expectReproduces(archive: Buffer, fixture: Fixture, scenario: Scenario, work: string): Promise<void> {
  expect(existsSync(path.join(scenario.log, 'unexpected')), 'a fake was called with unexpected arguments').toBe(false)
  const got = await untar(archive)
  const want = readTree(fixture.dir)
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
  for (const [name, bytes] of want) {
    if (name === 'snapshot.json') continue
    expect(got.get(name)?.equals(bytes), `${name} differs`).toBe(true)
  }
  const meta = metaOf(got) as unknown as Record<string, unknown>
  expect(meta.collector).toMatch(/^kdumpcheck-collect \d+\.\d+\.\d+/)
  expect({...meta, collector: ''}).toEqual({...fixture.meta, collector: ''})

  const file = path.join(work, 'snapshot.tar.gz')
  writeFileSync(file, archive)
  const mine = await readSnapshot(file)
  const theirs = await readSnapshot(fixture.dir)
  expect({...mine.meta, collector: ''}).toEqual({...theirs.meta, collector: ''})
  expect(mine.filePaths).toEqual(theirs.filePaths)
  expect(mine.probeNames).toEqual(theirs.probeNames)
  for (const p of theirs.filePaths) expect(mine.file(p)).toEqual(theirs.file(p))
  for (const p of theirs.probeNames) expect(mine.probe(p)).toEqual(theirs.probe(p))

  const callLog = path.join(scenario.log, 'calls')
  const calls = existsSync(callLog) ? readFileSync(callLog, 'utf8').trim().split('\n').filter(Boolean) : []
  const expected = scenario.probes
    .filter((p) => scenario.replays.get(p.name)?.exit !== 'missing')
    .map((p) => `${p.program} ${p.args.join('\x1f')}`)
  expect(calls.sort()).toEqual(expected.sort())
  for (const call of calls.filter((c) => c.startsWith('kexec '))) expect(['kexec --version', 'kexec -S']).toContain(call)
}
