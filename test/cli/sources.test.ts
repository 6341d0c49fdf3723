/**
 * The three live sources end to end, through the built CLI: this machine (no source flag), a remote
 * host over a real sshd on 127.0.0.1, and `collect`. The "host" is always a fixture root with fake
 * probe programs (the collector test harness), never the machine running the tests.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FIXTURES, makeTools, runtimeFixtures, scenarioFromFixture, type Scenario} from '../collector/harness.js'
import {runCli} from '../helpers/cli.js'
import {openUp, sshdAvailable, startSshd, TEST_USER, type Sshd} from '../helpers/sshd.js'

const FIXTURE_NAMES = ['incident-el5xen', 'good-pvops-debian12', 'pvops-xen48-unprovable']

interface Host {
  name: string
  scenario: Scenario
  env: Record<string, string>
}

let work: string
let tools: string
const hosts = new Map<string, Host>()

function verdictOf(args: string[], env: Record<string, string> = {}) {
  const result = runCli([...args, '--json'], {env})
  const report = result.stdout ? JSON.parse(result.stdout) : undefined
  return {status: result.status, verdict: report?.verdict as string | undefined, report, stderr: result.stderr}
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'kdc-sources-'))
  tools = makeTools(path.join(work, 'tools'), {flavour: 'gnu'})
  for (const fixture of runtimeFixtures().filter((f) => FIXTURE_NAMES.includes(f.name))) {
    const scenario = scenarioFromFixture(fixture, path.join(work, fixture.name))
    hosts.set(fixture.name, {
      name: fixture.name,
      scenario,
      env: {KDUMPCHECK_TEST_ROOT: scenario.root, PATH: `${scenario.bin}:${tools}`, KDUMPCHECK_TEST_HOSTNAME: fixture.meta.hostname},
    })
  }
  openUp(work)
})

describe('kdumpcheck check with no source (this machine, through the collector)', () => {
  it.each(FIXTURE_NAMES)('gives %s the same verdict as its saved snapshot', (name) => {
    const host = hosts.get(name)!
    const saved = verdictOf(['check', '--snapshot', path.join(FIXTURES, name)])
    const live = verdictOf(['check'], host.env)
    expect(live.stderr).not.toMatch(/error/)
    expect(live.verdict).toBe(saved.verdict)
    expect(live.status).toBe(saved.status)
    expect(live.report.host.origin).toBe('local')
    expect(live.report.findings.map((f: {id: string; status: string}) => `${f.id}:${f.status}`)).toEqual(
      saved.report.findings.map((f: {id: string; status: string}) => `${f.id}:${f.status}`),
    )
  })
})

describe('kdumpcheck collect', () => {
  it('saves a .tar.gz and a directory that judge like the host', () => {
    const host = hosts.get('incident-el5xen')!
    const out = mkdtempSync(path.join(tmpdir(), 'kdc-collect-'))
    const archive = path.join(out, 'host.tar.gz')
    const collected = runCli(['collect', '-o', archive], {env: host.env})
    expect(collected.status, collected.stderr).toBe(0)
    expect(collected.stderr).toMatch(/wrote .*host\.tar\.gz \(runtime snapshot of r7ae07353/)
    expect(verdictOf(['check', '--snapshot', archive]).verdict).toBe('NOT_READY')
    const dir = path.join(out, 'snapdir')
    expect(runCli(['collect', '-o', dir], {env: host.env}).status).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['commands', 'files', 'snapshot.json'])
    expect(verdictOf(['check', '--snapshot', dir]).verdict).toBe('NOT_READY')
  })
})

describe.skipIf(!sshdAvailable() && !process.env.CI)('kdumpcheck check --ssh (a real sshd on 127.0.0.1)', () => {
  const servers = new Map<string, Sshd>()

  beforeAll(async () => {
    for (const host of hosts.values()) {
      // The fakes log their calls; over ssh they run as the unprivileged login user.
      spawnSync('chmod', ['-R', 'a+rwX', host.scenario.log])
      const wrapper = path.join(work, `${host.name}-forced.sh`)
      // The "remote host" is a fixture: the forced command runs what the client asked (sh -s ...) with
      // the fixture root and fake probe programs in place of the real ones.
      writeFileSync(
        wrapper,
        `#!/bin/sh\nexport KDUMPCHECK_TEST_ROOT='${host.scenario.root.replace(/'/g, `'\\''`)}' PATH='${host.env.PATH}' KDUMPCHECK_TEST_HOSTNAME='${host.env.KDUMPCHECK_TEST_HOSTNAME}'\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`,
        {mode: 0o755},
      )
      servers.set(host.name, await startSshd({forceCommand: wrapper}))
    }
  }, 60_000)

  afterAll(async () => {
    for (const server of servers.values()) await server.stop()
  })

  it.each(FIXTURE_NAMES)('gives %s the same verdict as checking the same root locally', (name) => {
    const server = servers.get(name)!
    const host = hosts.get(name)!
    const local = verdictOf(['check'], host.env)
    const remote = verdictOf(['check', '--ssh', `${TEST_USER}@127.0.0.1:${server.port}`, '--ssh-config', server.clientConfig])
    expect(remote.stderr, JSON.stringify(remote).slice(0, 600)).toBe('')
    expect(remote.verdict, JSON.stringify(remote).slice(0, 600)).toBeDefined()
    const brief = (r: typeof remote) => r.report.findings.map((f: {id: string; status: string; message: string}) => `${f.id}:${f.status}:${f.message}`)
    expect(brief(remote)).toEqual(brief(local))
    expect(remote.verdict).toBe(local.verdict)
    expect(remote.status).toBe(local.status)
    expect(remote.report.host.origin).toBe(`ssh:${TEST_USER}@127.0.0.1:${server.port}`)
  })

  it('fails cleanly (exit 2, one line) when nothing listens', () => {
    const result = runCli(['check', '--ssh', `${TEST_USER}@127.0.0.1:1`, '--connect-timeout', '3'])
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/^kdumpcheck: error: ssh:kdctest@127\.0\.0\.1:1: ssh failed: .*(refused|Connection)/)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('refuses a target ssh could read as an option, before running ssh', () => {
    const result = runCli(['check', '--ssh=-oProxyCommand=touch /tmp/kdc-pwned', '--connect-timeout', '3'])
    // oclif itself refuses a flag value that starts with '-'; parseSshTarget refuses it too (unit test).
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/--ssh expects a value|cannot start with "-"/)
  })
})
