/**
 * The collector under hostile conditions, under dash, busybox sh and bash --posix: hung probes,
 * the global deadline, FIFOs and huge files in the root, signals mid-run, a read-only host, the
 * script arriving on stdin, and its options.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {
  BASIC_TOOLS,
  COLLECTOR,
  PROBE_PROGRAMS,
  IN_CI,
  REPO,
  SHELLS,
  alive,
  goneWithin,
  expectReproduces,
  fakePids,
  fixtureByName,
  freshTmp,
  killAll,
  makeTools,
  metaOf,
  removeWorkDirs,
  runCollector,
  scenarioFromFixture,
  shellcheckPath,
  treeState,
  untar,
  waitForFile,
  workDir,
  type Replay,
  type ShellSpec,
  type ToolOptions,
} from './harness.js'

// The tests wait on events (a file appearing, a process gone) with generous bounds; this only keeps a run that is
// stuck from holding the suite, and leaves a loaded 2-core machine all the time it needs.
vi.setConfig({testTimeout: 300_000})

/** Node has no mkfifo: coreutils' does it. */
function mkfifo(file: string): void {
  execFileSync('mkfifo', [file])
}

const leftovers: number[] = []
afterAll(() => {
  killAll(leftovers)
  removeWorkDirs()
})

function defaultTools(shell: ShellSpec): ToolOptions {
  return {flavour: shell.flavour, timeout: shell.id !== 'bash', mktemp: shell.id !== 'bash'}
}

const hang = (out = 'partial output before the hang\n'): Replay => ({out: Buffer.from(out), exit: '0', hang: true})

for (const shell of SHELLS) {
  const run = it.skipIf(!shell.available && !IN_CI)

  describe(`collector under ${shell.id}`, () => {
    const variants: Array<{label: string; tools: ToolOptions; group: boolean}> = [
      {label: 'default tools', tools: defaultTools(shell), group: true},
      ...(shell.flavour === 'gnu'
        ? [
            {label: 'GNU timeout', tools: {flavour: shell.flavour, timeout: true}, group: true},
            {label: 'watchdog + setsid, no timeout', tools: {flavour: shell.flavour, timeout: false}, group: true},
          ]
        : []),
      ...(shell.id === 'dash' ? [{label: 'neither timeout nor setsid', tools: {flavour: shell.flavour, timeout: false, setsid: false}, group: false}] : []),
    ]

    for (const variant of variants) {
      run(`a probe that ignores SIGTERM and never ends costs its timeout and is named (${variant.label})`, async () => {
        const fixture = fixtureByName('good-pvops-debian12')
        const baseWork = workDir(`base-${shell.id}`)
        const baseScenario = scenarioFromFixture(fixture, baseWork)
        const base = await runCollector({
          shell,
          scenario: baseScenario,
          tools: makeTools(path.join(baseWork, 'tools'), variant.tools),
          tmp: freshTmp(baseWork),
          args: ['--probe-timeout', '2'],
        })
        expect(base.code).toBe(0)

        const work = workDir(`hung-${shell.id}`)
        const scenario = scenarioFromFixture(fixture, work, (replays) => replays.set('xl-info', hang()))
        const tmp = freshTmp(work)
        const result = await runCollector({
          shell,
          scenario,
          tools: makeTools(path.join(work, 'tools'), variant.tools),
          tmp,
          args: ['--probe-timeout', '2'],
        })
        const pids = fakePids(scenario)
        leftovers.push(...pids)
        expect(result.code, result.stderr).toBe(0)
        // The probe never ends by itself and ignores SIGTERM: that the run ended at all proves the kill, and the .exit
        // below says it was a timeout. Only the lower bound is timing, and a busy machine can only make it longer:
        // the probe was not stopped before its 2 s.
        expect(result.ms).toBeGreaterThanOrEqual(2000)
        const members = await untar(result.stdout)
        expect(members.get('commands/xl-info.exit')?.toString()).toBe('timeout\n')
        expect(members.get('commands/xl-info.out')?.toString()).toBe('partial output before the hang\n')
        expect(members.get('commands/xl-dmesg.exit')?.toString()).toBe('0\n')
        expect(metaOf(members).errors).toEqual(['probe xl-info (xl info): timed out after 2 s'])
        expect(readdirSync(tmp)).toEqual([])
        // With a process group of its own (setsid or GNU timeout) the probe's children die too.
        expect(pids.length).toBe(2)
        if (variant.group) for (const pid of pids) expect(await goneWithin(pid, 60_000), `pid ${pid} survived`).toBe(true)
        else expect(await goneWithin(pids[0]!, 60_000), 'the hung probe itself survived').toBe(true)
      })
    }

    run('a probe that even SIGKILL cannot end (state D) is left behind when the watchdog says so', async () => {
      // A real D-state process cannot be made in a test: play the watchdog's part instead, which
      // marks the task abandoned and sends the main shell SIGUSR1; it must stop waiting at once.
      const work = workDir(`abandon-${shell.id}`)
      const scenario = scenarioFromFixture(fixtureByName('good-pvops-debian12'), work, (replays) => replays.set('xl-info', hang()))
      const tmp = freshTmp(work)
      let signalledAt = 0
      const result = await runCollector({
        shell,
        scenario,
        tools: makeTools(path.join(work, 'tools'), defaultTools(shell)),
        tmp,
        // A probe timeout far beyond the wait below, so that "abandoned at once" and "waited for the timeout"
        // differ by minutes, not by what a busy machine can add.
        args: ['--probe-timeout', '240', '--deadline', '600'],
        onSpawn: (child) => {
          void waitForFile(path.join(scenario.log, 'hanging.xl-info'), 120_000).then(() => {
            const [dir] = readdirSync(tmp)
            writeFileSync(path.join(tmp, dir!, 'work/abandoned'), '')
            signalledAt = performance.now()
            child.kill('SIGUSR1')
          })
        },
      })
      const pids = fakePids(scenario)
      leftovers.push(...pids)
      expect(result.code, result.stderr).toBe(0)
      expect(signalledAt).toBeGreaterThan(0)
      expect(performance.now() - signalledAt, 'abandoned at once, not after its 240 s').toBeLessThan(120_000)
      const members = await untar(result.stdout)
      expect(members.get('commands/xl-info.exit')?.toString()).toBe('timeout\n')
      expect(members.get('commands/xl-dmesg.exit')?.toString()).toBe('0\n')
      expect(metaOf(members).errors).toEqual(['probe xl-info (xl info): timed out after 240 s'])
      expect(readdirSync(tmp)).toEqual([])
      // It was left behind, not killed.
      expect(alive(pids[0]!)).toBe(true)
      killAll(pids)
    })

    run('the global deadline holds: probes not started in time are recorded as timeout without running', async () => {
      const work = workDir(`deadline-${shell.id}`)
      const scenario = scenarioFromFixture(fixtureByName('good-pvops-debian12'), work, (replays) => {
        replays.set('xl-info', hang())
        replays.set('xl-dmesg', hang())
        replays.set('kexec-version', hang())
      })
      const tmp = freshTmp(work)
      const result = await runCollector({
        shell,
        scenario,
        tools: makeTools(path.join(work, 'tools'), defaultTools(shell)),
        tmp,
        // Three hanging probes of 20 s each always outlast the 30 s budget, and the first of them starts well
        // inside it however busy the machine is; no elapsed time is asserted, the snapshot's record proves it.
        args: ['--probe-timeout', '20', '--deadline', '30'],
      })
      leftovers.push(...fakePids(scenario))
      expect(result.code, result.stderr).toBe(0)
      const members = await untar(result.stdout)
      const errors = metaOf(members).errors
      // Started in time: cut off at its timeout, shortened to what was left of the budget (whole seconds).
      const timedOut = /^probe xl-info \(xl info\): timed out after (\d+) s$/m.exec(errors.join('\n'))
      expect(timedOut, errors.join('\n')).not.toBeNull()
      expect(Number(timedOut![1])).toBeGreaterThanOrEqual(1)
      expect(Number(timedOut![1])).toBeLessThanOrEqual(20)
      // The next hanging probes get what is left, or nothing once it is gone.
      for (const [name, command] of [['xl-dmesg', 'xl dmesg'], ['kexec-version', 'kexec --version']]) {
        const said = errors.filter((e) => e.startsWith(`probe ${name} (${command}): `))
        expect(said, name).toHaveLength(1)
        expect(said[0]!.slice(`probe ${name} (${command}): `.length), name).toMatch(/^(timed out after \d+ s|not run, the 30 s deadline had passed)$/)
      }
      for (const name of ['kexec-status', 'systemctl-kdump', 'dpkg-query', 'df', 'ls-boot', 'ls-services']) {
        expect(members.get(`commands/${name}.exit`)?.toString(), name).toBe('timeout\n')
        expect(members.get(`commands/${name}.out`)?.length, name).toBe(0)
        expect(errors.some((e) => e.startsWith(`probe ${name} (`) && e.endsWith('not run, the 30 s deadline had passed'))).toBe(true)
      }
      // Programs that are not installed are still recorded as such, even after the deadline.
      expect(members.get('commands/rpm-q.exit')?.toString()).toBe('missing\n')
      expect(members.get('commands/kdumpctl-status.exit')?.toString()).toBe('missing\n')
      // Files are read before the probes that may hang.
      expect(members.has('files/proc/cmdline')).toBe(true)
      const calls = readFileSync(path.join(scenario.log, 'calls'), 'utf8')
      expect(calls).not.toContain('kexec -S')
      expect(calls).not.toContain('systemctl')
      expect(readdirSync(tmp)).toEqual([])
    })

    run('an older userland (no date +%s, no head -c): same snapshot, and the deadline still holds', async () => {
      const fixture = fixtureByName('incident-el5xen')
      const work = workDir(`primitive-${shell.id}`)
      const scenario = scenarioFromFixture(fixture, work)
      const tools = makeTools(path.join(work, 'tools'), {flavour: shell.flavour, timeout: false, mktemp: false, primitive: true})
      const result = await runCollector({shell, scenario, tools, tmp: freshTmp(work), env: {KDUMPCHECK_TEST_COLLECTED_AT: fixture.meta.collected_at}})
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      await expectReproduces(result.stdout, fixture, scenario, work)

      // Without a clock the per-probe timeout is not shortened near the deadline: a probe started
      // just before it may still take its whole timeout.
      const hung = workDir(`primitive-deadline-${shell.id}`)
      const slow = scenarioFromFixture(fixture, hung, (replays) => {
        replays.set('xm-info', hang())
        replays.set('xm-dmesg', hang())
        replays.set('kexec-version', hang())
      })
      const tmp = freshTmp(hung)
      const bounded = await runCollector({
        shell,
        scenario: slow,
        tools: makeTools(path.join(hung, 'tools'), {flavour: shell.flavour, timeout: false, primitive: true}),
        tmp,
        args: ['--probe-timeout', '2', '--deadline', '4'],
      })
      leftovers.push(...fakePids(slow))
      expect(bounded.code, bounded.stderr).toBe(0)
      const members = await untar(bounded.stdout)
      expect(members.get('commands/xm-info.exit')?.toString()).toBe('timeout\n')
      expect(members.get('commands/kexec-status.exit')?.toString()).toBe('timeout\n')
      expect(metaOf(members).errors.some((e) => e.endsWith('not run, the 4 s deadline had passed'))).toBe(true)
      expect(readdirSync(tmp)).toEqual([])
      rmSync(work, {recursive: true, force: true})
    })

    run('a hostile root (FIFOs, a 5 GB sparse file, directories, dangling and looping symlinks) neither hangs nor exhausts memory', async () => {
      const work = workDir(`hostile-${shell.id}`)
      const big = Buffer.alloc(9 * 1024 * 1024, 'x')
      const scenario = scenarioFromFixture(fixtureByName('good-pvops-debian12'), work, (replays) =>
        replays.set('xl-dmesg', {out: big, err: Buffer.from(''), exit: '0'}),
      )
      const root = scenario.root
      rmSync(path.join(root, 'proc/iomem'))
      writeFileSync(path.join(root, 'proc/iomem'), '')
      truncateSync(path.join(root, 'proc/iomem'), 5 * 1024 ** 3)
      mkfifo(path.join(root, 'etc/kdump.conf'))
      mkdirSync(path.join(root, 'boot/grub'), {recursive: true})
      mkfifo(path.join(root, 'boot/grub/fifo'))
      symlinkSync('fifo', path.join(root, 'boot/grub/menu.lst'))
      mkdirSync(path.join(root, 'etc/sysctl.d/a-directory.conf'), {recursive: true})
      mkfifo(path.join(root, 'etc/sysctl.d/we"ird\\name.conf'))
      symlinkSync('nowhere', path.join(root, 'etc/redhat-release'))
      symlinkSync('loop-b', path.join(root, 'etc/xensource-inventory'))
      symlinkSync('xensource-inventory', path.join(root, 'etc/loop-b'))
      const before = [...treeState(root), ...treeState(scenario.bin)]
      const tmp = freshTmp(work)
      const result = await runCollector({
        shell,
        scenario,
        tools: makeTools(path.join(work, 'tools'), defaultTools(shell)),
        tmp,
        memoryLimitKiB: 200 * 1024,
      })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout.length).toBeLessThan(2 * 1024 * 1024)
      const members = await untar(result.stdout)
      const iomem = members.get('files/proc/iomem')
      expect(iomem?.length).toBe(8 * 1024 * 1024)
      expect(members.get('commands/xl-dmesg.out')?.length).toBe(8 * 1024 * 1024)
      for (const absent of ['etc/kdump.conf', 'boot/grub/menu.lst', 'etc/sysctl.d/a-directory.conf', 'etc/redhat-release', 'etc/xensource-inventory']) {
        expect(members.has(`files/${absent}`), absent).toBe(false)
      }
      expect(metaOf(members).errors.sort()).toEqual(
        [
          '/proc/iomem: larger than 8388608 bytes, only the first 8388608 bytes were kept',
          '/etc/kdump.conf: not a regular file, not read',
          '/boot/grub/menu.lst: not a regular file, not read',
          '/etc/sysctl.d/a-directory.conf: not a regular file, not read',
          '/etc/sysctl.d/we"ird\\name.conf: not a regular file, not read',
          '/etc/redhat-release: a symlink that does not resolve (dangling or a loop), not read',
          '/etc/xensource-inventory: a symlink that does not resolve (dangling or a loop), not read',
          'commands/xl-dmesg.out: larger than 8388608 bytes, only the first 8388608 bytes were kept',
        ].sort(),
      )
      expect([...treeState(root), ...treeState(scenario.bin)]).toEqual(before)
      expect(readdirSync(tmp)).toEqual([])
      rmSync(work, {recursive: true, force: true})
    })

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      run(`${signal} mid-run: prompt exit, the probe's process group killed, the private temp dir removed`, async () => {
        const work = workDir(`signal-${shell.id}`)
        const scenario = scenarioFromFixture(fixtureByName('incident-el5xen'), work, (replays) => replays.set('kexec-status', hang()))
        const before = [...treeState(scenario.root), ...treeState(scenario.bin)]
        const tmp = freshTmp(work)
        let signalledAt = 0
        let tmpEntries: string[] = []
        let tmpMode = 0
        const result = await runCollector({
          shell,
          scenario,
          tools: makeTools(path.join(work, 'tools'), defaultTools(shell)),
          tmp,
          onSpawn: (child) => {
            void waitForFile(path.join(scenario.log, 'hanging.kexec-status'), 120_000).then(() => {
              tmpEntries = readdirSync(tmp)
              if (tmpEntries.length === 1) tmpMode = statSync(path.join(tmp, tmpEntries[0]!)).mode & 0o777
              signalledAt = performance.now()
              child.kill(signal)
            })
          },
        })
        const pids = fakePids(scenario)
        leftovers.push(...pids)
        expect(tmpEntries).toHaveLength(1)
        expect(tmpEntries[0]).toMatch(/^kdumpcheck\./)
        expect(tmpMode.toString(8)).toBe('700')
        expect(signalledAt).toBeGreaterThan(0)
        expect(result.code, `signal ${String(result.signal)}, stderr: ${result.stderr}`).toBe(signal === 'SIGTERM' ? 143 : 130)
        // The probe ignores SIGTERM and never ends: that the collector exited at all means it killed it.
        expect(readdirSync(tmp)).toEqual([])
        for (const pid of pids) expect(await goneWithin(pid, 60_000), `pid ${pid} survived`).toBe(true)
        expect([...treeState(scenario.root), ...treeState(scenario.bin)]).toEqual(before)
      })
    }

    run('writes nothing outside its temp dir: the root, the fakes and the tools are unchanged', async () => {
      const work = workDir(`readonly-${shell.id}`)
      const scenario = scenarioFromFixture(fixtureByName('good-xenolinux-el5'), work)
      const tools = makeTools(path.join(work, 'tools'), defaultTools(shell))
      const before = [...treeState(scenario.root), ...treeState(scenario.bin), ...treeState(tools)]
      const tmp = freshTmp(work)
      const result = await runCollector({shell, scenario, tools, tmp, env: {KDUMPCHECK_TEST_COLLECTED_AT: '2016-03-07T14:21:40-05:00'}})
      expect(result.code).toBe(0)
      expect([...treeState(scenario.root), ...treeState(scenario.bin), ...treeState(tools)]).toEqual(before)
      expect(readdirSync(tmp)).toEqual([])
      rmSync(work, {recursive: true, force: true})
    })

    run('the script read from stdin (`sh -s -- args`) gives the same snapshot; probes never see that stdin', async () => {
      const fixture = fixtureByName('incident-el5xen')
      const work = workDir(`stdin-${shell.id}`)
      const scenario = scenarioFromFixture(fixture, work)
      const tmp = freshTmp(work)
      const result = await runCollector({
        shell,
        scenario,
        tools: makeTools(path.join(work, 'tools'), defaultTools(shell)),
        tmp,
        stdin: true,
        args: ['--probe-timeout', '5', '--deadline', '50'],
        env: {KDUMPCHECK_TEST_COLLECTED_AT: fixture.meta.collected_at},
      })
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      await expectReproduces(result.stdout, fixture, scenario, work)
      expect(readdirSync(tmp)).toEqual([])
      rmSync(work, {recursive: true, force: true})
    })

    run('fills in hostname and collected_at itself when no override is given', async () => {
      const work = workDir(`meta-${shell.id}`)
      const scenario = scenarioFromFixture(fixtureByName('good-pvops-debian12'), work)
      const result = await runCollector({shell, scenario, tools: makeTools(path.join(work, 'tools'), defaultTools(shell)), tmp: freshTmp(work)})
      const meta = metaOf(await untar(result.stdout))
      expect(meta.hostname).toBe('hv-fra1-07')
      expect(meta.collected_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)$/)
      expect(Math.abs(new Date(meta.collected_at).getTime() - Date.now())).toBeLessThan(120_000)
      const overridden = await runCollector({
        shell,
        scenario,
        tools: path.join(work, 'tools'),
        tmp: freshTmp(work, 'tmp2'),
        env: {KDUMPCHECK_TEST_HOSTNAME: 'x"y\\z', KDUMPCHECK_TEST_COLLECTED_AT: '2030-01-02T03:04:05Z'},
      })
      const meta2 = metaOf(await untar(overridden.stdout))
      expect(meta2.hostname).toBe('x"y\\z')
      expect(meta2.collected_at).toBe('2030-01-02T03:04:05Z')
      rmSync(work, {recursive: true, force: true})
    })

    run('options: --help, --version, and usage errors exit 2 without output on stdout', async () => {
      const work = workDir(`options-${shell.id}`)
      const scenario = scenarioFromFixture(fixtureByName('good-pvops-debian12'), work)
      const tools = makeTools(path.join(work, 'tools'), defaultTools(shell))
      const tmp = freshTmp(work)
      const go = (args: string[], env: Record<string, string> = {}) => runCollector({shell, scenario, tools, tmp, args, env})
      const help = await go(['--help'])
      expect(help.code).toBe(0)
      expect(help.stdout.toString()).toContain('--probe-timeout N')
      const version = await go(['--version'])
      const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {version: string}
      expect(version.stdout.toString()).toBe(`kdumpcheck-collect ${pkg.version}\n`)
      for (const [args, env, message] of [
        [['--bogus'], {}, "unknown argument '--bogus'"],
        [['--probe-timeout', 'abc'], {}, '--probe-timeout needs a whole number of seconds'],
        [['--deadline', '0'], {}, '--deadline needs at least 1 second'],
        [['--deadline'], {}, '--deadline needs a value'],
        [[], {KDUMPCHECK_PROBE_TIMEOUT: '-1'}, '--probe-timeout needs a whole number of seconds'],
      ] as Array<[string[], Record<string, string>, string]>) {
        const bad = await go(args, env)
        expect(bad.code, args.join(' ')).toBe(2)
        expect(bad.stdout.length).toBe(0)
        expect(bad.stderr).toContain(message)
      }
      const alias = await go(['--timeout=30', '--probe-timeout=3'])
      expect(alias.code).toBe(0)
      expect(readdirSync(tmp)).toEqual([])
      rmSync(work, {recursive: true, force: true})
    })
  })
}

const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p))
const dash = SHELLS.find((s) => s.id === 'dash')!
describe('collector as an unprivileged user', () => {
  it.skipIf(process.getuid?.() !== 0 || setpriv === undefined || !dash.available)(
    'names a file that exists but cannot be read in errors and leaves it out',
    async () => {
      const work = workDir('nonroot')
      const scenario = scenarioFromFixture(fixtureByName('incident-el5xen'), work)
      chmodSync(path.join(scenario.root, 'etc/kdump.conf'), 0o000)
      const tools = makeTools(path.join(work, 'tools'), defaultTools(dash))
      const tmp = freshTmp(work)
      for (const dir of [work, scenario.root, tmp, scenario.log]) chmodSync(dir, 0o777)
      const result = await runCollector({
        shell: {...dash, argv: [setpriv!, '--reuid=65534', '--regid=65534', '--clear-groups', ...dash.argv]},
        scenario,
        tools,
        tmp,
        // On stdin, as over ssh: the checkout may sit in a directory the unprivileged user cannot enter.
        stdin: true,
      })
      expect(result.code, result.stderr).toBe(0)
      const members = await untar(result.stdout)
      expect(members.has('files/etc/kdump.conf')).toBe(false)
      expect(members.has('files/etc/sysconfig/kdump')).toBe(true)
      expect(metaOf(members).errors).toEqual(['/etc/kdump.conf: could not be read: Permission denied'])
      expect(readdirSync(tmp)).toEqual([])
      rmSync(work, {recursive: true, force: true})
    },
  )
})

describe('collector script hygiene', () => {
  it('the test PATH never offers a probe program: the tools are basic ones only', () => {
    expect(BASIC_TOOLS.filter((t) => PROBE_PROGRAMS.includes(t))).toEqual([])
  })

  it('is one POSIX sh script with a #!/bin/sh line, shipped under collector/', () => {
    const text = readFileSync(COLLECTOR, 'utf8')
    expect(text.startsWith('#!/bin/sh\n')).toBe(true)
    expect(statSync(COLLECTOR).mode & 0o111).not.toBe(0)
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {files: string[]}
    expect(pkg.files).toContain('collector')
  })

  const shellcheck = shellcheckPath() ?? ''
  it.skipIf(shellcheck === '' && !IN_CI)('is clean under shellcheck -s sh', () => {
    expect(shellcheck, 'shellcheck missing: apt-get install -y shellcheck').not.toBe('')
    const result = spawnSync(shellcheck, ['-s', 'sh', COLLECTOR], {encoding: 'utf8'})
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  })
})
