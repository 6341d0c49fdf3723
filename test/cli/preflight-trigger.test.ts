/**
 * preflight tells the story; trigger refuses every unsafe case and, when everything agrees, writes
 * exactly "c" once to the trigger file. The trigger file here is always a temporary file: no test may
 * crash the machine it runs on.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {makeTools, runtimeFixtures, scenarioFromFixture} from '../collector/harness.js'
import {CLI, runCli, type CliResult} from '../helpers/cli.js'

describe('kdumpcheck preflight', () => {
  it('says GO for the good pvops dom0 and tells the whole story', () => {
    // Wide enough that no step is wrapped (the text wraps to COLUMNS, 80 through a pipe).
    const {status, stdout} = runCli(['preflight', '--snapshot', 'fixtures/hosts/good-pvops-debian12'], {env: {COLUMNS: '300'}})
    expect(status).toBe(0)
    expect(stdout).toMatch(/^GO {2}hv-fra1-07/)
    expect(stdout).toContain('Xen 4.17.5 executes the capture kernel loaded in the 256 MiB region at 0x5af36000')
    expect(stdout).toMatch(/it boots on bare metal with `root=UUID=.* console=ttyS0,115200n8/)
    expect(stdout).toMatch(/`makedumpfile -E -X -d 0.*` writes about [\d.]+ GiB to \/var\/crash .*free on \//)
    expect(stdout).toContain('the host reboots (final action reboot)')
    expect(stdout).toContain('echo c > /proc/sysrq-trigger')
  })

  it("says NO-GO for the incident host, names the missing Xen crashkernel= and the 'noreboot' halt", () => {
    const {status, stdout} = runCli(['preflight', '--snapshot', 'fixtures/hosts/incident-el5xen'])
    expect(status).toBe(1)
    expect(stdout).toMatch(/^NO-GO/)
    expect(stdout).toContain('It breaks at KD101: No crashkernel= on the running Xen command line')
    expect(stdout).toContain("Xen halts: 'noreboot' is set")
    expect(stdout).toContain("(XEN) Domain 0 crashed: 'noreboot' set - not rebooting.")
    expect(stdout).toContain('out-of-band reset')
    expect(stdout).not.toContain('writes about')
  })

  it('says CANNOT TELL for the unprovable Xen 4.8 dom0, with the manual steps', () => {
    const {status, stdout} = runCli(['preflight', '--snapshot', 'fixtures/hosts/pvops-xen48-unprovable'])
    expect(status).toBe(3)
    expect(stdout).toMatch(/^CANNOT TELL/)
    expect(stdout).toContain('kexec -p -S; echo $?')
    expect(stdout).toContain('xl dmesg | grep Kdump')
  })

  it('refuses an image', () => {
    const {status, stderr} = runCli(['preflight', '--snapshot', 'fixtures/hosts/image-debian12-xen-good'])
    expect(status).toBe(2)
    expect(stderr).toMatch(/cannot be crashed/)
  })

  it('prints a versioned JSON result with --json', () => {
    const result = JSON.parse(runCli(['preflight', '--snapshot', 'fixtures/hosts/good-pvops-debian12', '--json']).stdout)
    expect(result).toMatchObject({schema: 'kdumpcheck-preflight/1', decision: 'GO', exit_code: 0, hostname: 'hv-fra1-07'})
    expect(result.steps).toHaveLength(5)
  })
})

/** `unshare -u` works (root): trigger tests give the machine a name in a private UTS namespace. */
const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p)) ?? 'unshare'
const HOSTNAME = ['/usr/bin/hostname', '/bin/hostname'].find((p) => existsSync(p)) ?? 'hostname'
const utsNamespace = typeof process.getuid === 'function' && process.getuid() === 0 && spawnSync(UNSHARE, ['-u', 'true']).status === 0

/**
 * Runs the built CLI in a private UTS namespace whose host name is `machine`: the name trigger checks
 * before it writes (never this machine's real name, which tests must not change).
 */
function runAsMachine(machine: string, args: string[], env: Record<string, string>): CliResult {
  const result = spawnSync(UNSHARE, ['-u', '/bin/sh', '-c', `${HOSTNAME} "$0" && exec "$@"`, machine, process.execPath, CLI, ...args], {
    encoding: 'utf8',
    input: '',
    env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', ...env},
    timeout: 60_000,
  })
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}

describe.skipIf(!utsNamespace)('kdumpcheck trigger (against a fake trigger file)', () => {
  const hosts = new Map<string, {env: Record<string, string>; hostname: string}>()
  let work: string

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'kdc-trigger-'))
    const tools = makeTools(path.join(work, 'tools'), {flavour: 'gnu'})
    const extra = path.join(work, 'extra')
    mkdirSync(extra)
    // A logger that records instead of writing to the machine's syslog.
    writeFileSync(path.join(extra, 'logger'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${path.join(work, 'logger.calls')}"\n`, {mode: 0o755})
    writeFileSync(path.join(extra, 'sync'), '#!/bin/sh\nexit 0\n', {mode: 0o755})
    for (const fixture of runtimeFixtures().filter((f) => ['good-pvops-debian12', 'incident-el5xen', 'pvops-xen48-unprovable'].includes(f.name))) {
      const scenario = scenarioFromFixture(fixture, path.join(work, fixture.name))
      hosts.set(fixture.name, {
        hostname: fixture.meta.hostname,
        env: {KDUMPCHECK_TEST_ROOT: scenario.root, PATH: `${extra}:${scenario.bin}:${tools}`, KDUMPCHECK_TEST_HOSTNAME: fixture.meta.hostname},
      })
    }
  })

  /** Triggers against a fake trigger file on a machine named like the fixture (or `machine`). */
  const trigger = (name: string, args: string[], machine?: string) => {
    const host = hosts.get(name)!
    // Like /proc/sysrq-trigger, the file exists: trigger writes into it and never creates one.
    const file = path.join(mkdtempSync(path.join(work, 'sysrq-')), 'sysrq-trigger')
    writeFileSync(file, '')
    const result = runAsMachine(machine ?? host.hostname, ['trigger', '--trigger-file', file, ...args], host.env)
    return {...result, written: readFileSync(file, 'utf8') || undefined}
  }

  it('writes exactly "c" once when preflight is GO, the name matches and --yes is given', () => {
    const result = trigger('good-pvops-debian12', ['--confirm', 'hv-fra1-07', '--yes'])
    expect(result.status, result.stderr).toBe(0)
    expect(result.written).toBe('c')
    expect(result.stdout).toMatch(/^GO/)
    expect(readFileSync(path.join(work, 'logger.calls'), 'utf8')).toMatch(/-t kdumpcheck -p user\.crit kdumpcheck trigger: crashing hv-fra1-07 on purpose/)
  })

  it('refuses NO-GO, even with --force, and writes nothing', () => {
    const result = trigger('incident-el5xen', ['--confirm', 'r7ae07353.cloud.cm9', '--yes', '--force'])
    expect(result.status).toBe(1)
    expect(result.written).toBeUndefined()
    expect(result.stderr).toMatch(/refusing to trigger a crash: preflight says NO-GO \(KD101/)
  })

  it('refuses a confirmation that is not the host name', () => {
    const result = trigger('good-pvops-debian12', ['--confirm', 'hv-fra1-08', '--yes'])
    expect(result.status).toBe(1)
    expect(result.written).toBeUndefined()
    expect(result.stderr).toMatch(/does not match the host's name "hv-fra1-07"/)
  })

  it('refuses without a terminal unless --yes is given', () => {
    const result = trigger('good-pvops-debian12', ['--confirm', 'hv-fra1-07'])
    expect(result.status).toBe(1)
    expect(result.written).toBeUndefined()
    expect(result.stderr).toMatch(/no terminal to confirm at/)
  })

  it('refuses CANNOT TELL without --force, and accepts it with --force', () => {
    const refused = trigger('pvops-xen48-unprovable', ['--confirm', 'hv-old-07', '--yes'])
    expect(refused.status).toBe(1)
    expect(refused.written).toBeUndefined()
    const forced = trigger('pvops-xen48-unprovable', ['--confirm', 'hv-old-07', '--yes', '--force'])
    expect(forced.status, forced.stderr).toBe(0)
    expect(forced.written).toBe('c')
  })

  it('refuses when this machine is not the host --confirm names, even when the evidence says it is, and says which host that is', () => {
    // The evidence (a test hook, or a copied snapshot) says hv-fra1-07; the machine that would crash is "realbox".
    const result = trigger('good-pvops-debian12', ['--confirm', 'hv-fra1-07', '--yes'], 'realbox')
    expect(result.status).toBe(1)
    expect(result.written).toBeUndefined()
    expect(result.stderr).toMatch(/refusing to trigger a crash: --confirm "hv-fra1-07" does not name the host this would crash: this machine is "realbox"/)
    const named = trigger('good-pvops-debian12', ['--confirm', 'realbox', '--yes'], 'realbox')
    expect(named.status).toBe(1)
    expect(named.written).toBeUndefined()
    expect(named.stderr).toMatch(/does not match the host's name "hv-fra1-07" \(the host this would crash is this machine\)/)
  })

  it('never writes "c" over a file with content (a trigger file reads as empty)', () => {
    const host = hosts.get('good-pvops-debian12')!
    const file = path.join(mkdtempSync(path.join(work, 'sysrq-')), 'not-a-trigger')
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/sh\n')
    const result = runAsMachine(host.hostname, ['trigger', '--trigger-file', file, '--confirm', host.hostname, '--yes'], host.env)
    expect(result.status).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe('root:x:0:0:root:/root:/bin/sh\n')
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/not-a-trigger: has content: not a trigger file; nothing written$/)
  })

  it.each(['', ' '])('refuses --ssh %j with exit 2 before anything runs (it would crash this machine instead)', (value) => {
    const result = trigger('good-pvops-debian12', ['--ssh', value, '--confirm', 'hv-fra1-07', '--yes'])
    expect(result.status).toBe(2)
    expect(result.written).toBeUndefined()
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kdumpcheck: error: --ssh "\s*": an? (empty|blank) value/)])
  })
})
