/**
 * The collector against hostile hosts and stray environments (issue 12): an unreadable directory a
 * glob lists is named in errors (item 4), and its test hooks are namespaced and announced (item 14),
 * under dash, busybox sh and bash --posix. The `ls -q` listings are covered with the machine's real
 * ls in test/cli/forged-listing.test.ts; here the fake ls of the harness checks the exact argv.
 */
import {chmodSync, existsSync, mkdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {
  fixtureByName,
  freshTmp,
  IN_CI,
  makeTools,
  metaOf,
  removeWorkDirs,
  runCollector,
  scenarioFromFixture,
  SHELLS,
  untar,
  workDir,
  type ShellSpec,
} from './harness.js'
import {runCli} from '../helpers/cli.js'

afterAll(() => removeWorkDirs())

const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p))
const tools = (shell: ShellSpec, work: string): string =>
  makeTools(path.join(work, 'tools'), {flavour: shell.flavour, timeout: shell.id !== 'bash', mktemp: shell.id !== 'bash'})

for (const shell of SHELLS) {
  const run = it.skipIf(!shell.available && !IN_CI)
  describe(`collector under ${shell.id}`, () => {
    it.skipIf(process.getuid?.() !== 0 || setpriv === undefined || !shell.available)(
      'names a directory its glob cannot read (/etc/sysctl.d mode 000, as an unprivileged user)',
      async () => {
        const work = workDir(`unreadable-dir-${shell.id}`)
        const scenario = scenarioFromFixture(fixtureByName('good-pvops-debian12'), work)
        const sysctl = path.join(scenario.root, 'etc/sysctl.d')
        mkdirSync(sysctl, {recursive: true})
        chmodSync(sysctl, 0o000)
        const tmp = freshTmp(work)
        for (const dir of [work, scenario.root, tmp, scenario.log]) chmodSync(dir, 0o777)
        const result = await runCollector({
          shell: {...shell, argv: [setpriv!, '--reuid=65534', '--regid=65534', '--clear-groups', ...shell.argv]},
          scenario,
          tools: tools(shell, work),
          tmp,
          stdin: true,
        })
        expect(result.code, result.stderr).toBe(0)
        expect(metaOf(await untar(result.stdout)).errors).toContain('/etc/sysctl.d: could not be read: Permission denied')
        chmodSync(sysctl, 0o755)
      },
    )

    run('says in snapshot.json that test hooks were set, and ignores the old unprefixed names', async () => {
      const work = workDir(`hooks-${shell.id}`)
      const scenario = scenarioFromFixture(fixtureByName('incident-el5xen'), work)
      const empty = path.join(work, 'empty root')
      mkdirSync(empty, {recursive: true})
      const result = await runCollector({
        shell,
        scenario,
        tools: tools(shell, work),
        tmp: freshTmp(work),
        // The old name points at the fixture, the namespaced one at an empty root: only the latter counts.
        env: {KDUMPCHECK_ROOT: scenario.root, KDUMPCHECK_TEST_ROOT: empty, KDUMPCHECK_HOSTNAME: 'old-name'},
      })
      expect(result.code, result.stderr).toBe(0)
      const members = await untar(result.stdout)
      const meta = metaOf(members)
      expect(meta.collector).toMatch(/^kdumpcheck-collect \d+\.\d+\.\d+ \(test hooks set: KDUMPCHECK_TEST_ROOT\)$/)
      expect(meta.hostname).not.toBe('old-name')
      expect([...members.keys()].filter((m) => m.startsWith('files/'))).toEqual([])
      rmSync(work, {recursive: true, force: true})
    })
  })
}

describe('a run with test hooks set is announced in the report', () => {
  const dash = SHELLS.find((s) => s.id === 'dash')!
  it.skipIf(!dash.available && !IN_CI)('check (this machine, through the collector) prints that the evidence is not the host\'s own', () => {
    const work = workDir('hooks-cli')
    const scenario = scenarioFromFixture(fixtureByName('incident-el5xen'), work)
    const env = {KDUMPCHECK_TEST_ROOT: scenario.root, KDUMPCHECK_TEST_HOSTNAME: 'r7ae07353.cloud.cm9', PATH: `${scenario.bin}:${tools(dash, work)}`}
    const text = runCli(['check'], {env})
    // The text report wraps at the terminal's width: the sentence is compared with its line breaks undone.
    expect(text.stdout.replace(/\n\s*/g, ' ')).toContain('Collected with test hooks set (KDUMPCHECK_TEST_ROOT, KDUMPCHECK_TEST_HOSTNAME): this evidence is not the host\'s own.')
    const json = JSON.parse(runCli(['check', '--format', 'json'], {env}).stdout) as {host: {collector: string}}
    expect(json.host.collector).toMatch(/\(test hooks set: KDUMPCHECK_TEST_ROOT, KDUMPCHECK_TEST_HOSTNAME\)$/)
  })
})
