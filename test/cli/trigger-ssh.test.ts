/**
 * `trigger --ssh` over a real sshd on 127.0.0.1: the remote script writes "c" only when the machine
 * ssh reached calls itself what --confirm names. The "remote host" is a fixture (collector with a
 * fixture root and fake probes; over an unprivileged login preflight CANNOT TELL, hence --force); the
 * trigger file is a temporary file, never /proc/sysrq-trigger.
 */
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeTools, runtimeFixtures, scenarioFromFixture} from '../collector/harness.js'
import {runCli} from '../helpers/cli.js'
import {openUp, sshdAvailable, startSshd, TEST_USER, type Sshd} from '../helpers/sshd.js'

describe.skipIf(!sshdAvailable() && !process.env.CI)('kdumpcheck trigger --ssh (a real sshd on 127.0.0.1)', () => {
  let work: string
  const servers = new Map<string, Sshd>()

  /** A fixture host whose evidence gives `evidenceName` as its host name. */
  async function host(evidenceName: string): Promise<Sshd> {
    const fixture = runtimeFixtures().find((f) => f.name === 'good-pvops-debian12')!
    const dir = path.join(work, `host-${servers.size}`)
    const scenario = scenarioFromFixture(fixture, dir)
    const tools = makeTools(path.join(dir, 'tools'), {flavour: 'gnu'})
    const wrapper = path.join(dir, 'forced.sh')
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexport KDUMPCHECK_TEST_ROOT='${scenario.root}' PATH='${scenario.bin}:${tools}' KDUMPCHECK_TEST_HOSTNAME='${evidenceName}'\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`,
      {mode: 0o755},
    )
    openUp(work)
    const server = await startSshd({forceCommand: wrapper})
    servers.set(evidenceName, server)
    return server
  }

  function triggerFile(): string {
    const file = path.join(mkdtempSync(path.join(work, 'sysrq-')), 'sysrq-trigger')
    writeFileSync(file, '')
    chmodSync(path.dirname(file), 0o755)
    chmodSync(file, 0o666)
    return file
  }

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'kdc-trigger-ssh-'))
  })

  afterAll(async () => {
    for (const server of servers.values()) await server.stop()
  })

  it('refuses, and writes nothing, when the host ssh reaches calls itself something else than the evidence and --confirm say', async () => {
    const server = await host('hv-fra1-07')
    const file = triggerFile()
    const result = runCli(['trigger', '--ssh', `${TEST_USER}@127.0.0.1:${server.port}`, '--ssh-config', server.clientConfig, '--confirm', 'hv-fra1-07', '--yes', '--force', '--trigger-file', file])
    expect(result.status, result.stderr).toBe(1)
    expect(readFileSync(file, 'utf8')).toBe('')
    expect(result.stderr).toContain(`refusing to trigger a crash: the host reached as ssh:${TEST_USER}@127.0.0.1:${server.port} calls itself ${JSON.stringify(hostname())}, not "hv-fra1-07"; nothing written`)
  })

  it('writes "c" once when the host ssh reaches is the confirmed one, and says which host it is', async () => {
    const server = await host(hostname())
    const file = triggerFile()
    const result = runCli(['trigger', '--ssh', `${TEST_USER}@127.0.0.1:${server.port}`, '--ssh-config', server.clientConfig, '--confirm', hostname(), '--yes', '--force', '--trigger-file', file])
    expect(result.status, result.stderr).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe('c')
    expect(result.stdout).toContain(`Writing "c" to ${file} on ${hostname()} (the host reached as ssh:${TEST_USER}@127.0.0.1:${server.port}).`)
  })
})
