/**
 * The Ansible remediation (contrib/ansible/kdumpcheck-fix.yml) end to end with Debian's ansible
 * against the loopback sshd fleet the scan tests use (test/helpers/fleet.mjs), after `fix --ssh --diff`
 * on one of its hosts: check mode reports
 * the changes and writes nothing; a real run applies them; the next `kdumpcheck scan` of those hosts
 * passes the checks fix repaired.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ScanOutput} from '../../src/scan/render.js'
import {FLEET_USER, fleetAvailable, startFleet} from '../helpers/fleet.mjs'
import {CLI, repoRoot, runCliAsync} from '../helpers/scan-cli.js'

const IN_CI = Boolean(process.env.CI)
const ansible = spawnSync('sh', ['-c', 'command -v ansible-playbook']).status === 0
/** Hosts whose repairs a re-collection shows at once (configuration files the checks read on a live host). */
const HOSTS = [
  {name: 'fix-usekdump', fixture: 'svc-use-kdump-off-debian12', repaired: ['KD303'], file: 'etc/default/kdump-tools'},
  {name: 'fix-unfiltered', fixture: 'target-debian12-xen-unfiltered', repaired: ['KD403'], file: 'etc/default/kdump-tools'},
  {name: 'fix-hvc0', fixture: 'hvc0-capture-cmdline', repaired: ['KD206', 'KD406'], file: 'etc/default/kdump-tools'},
]

describe.skipIf((!fleetAvailable() || !ansible) && !IN_CI)('kdumpcheck-fix.yml over a real sshd with Debian\'s ansible', () => {
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let work: string
  let inventory: string
  const rootOf = (fixture: string): string => path.join(fleet.dir, 'scenarios', fixture, 'root')

  beforeAll(async () => {
    fleet = await startFleet(HOSTS.map((h) => ({name: h.name, kind: 'ok', fixture: h.fixture})))
    work = mkdtempSync(path.join(tmpdir(), 'kdc-fix-ansible-'))
    inventory = fleet.writeAnsibleInventory(path.join(work, 'hosts.ini'))
    // The fleet's login user plays root on its "hosts": their files must be its to edit.
    for (const h of HOSTS) expect(spawnSync('chown', ['-R', FLEET_USER, rootOf(h.fixture)]).status).toBe(0)
  }, 300_000)

  afterAll(async () => {
    await fleet?.stop()
    fleet?.remove()
    if (work) rmSync(work, {recursive: true, force: true})
  })

  const playbook = (extra: string[]) => {
    const vars = JSON.stringify({
      kdumpcheck_snapshots_dir: path.join(work, 'snapshots'),
      kdumpcheck_fixes_dir: path.join(work, 'fixes'),
      kdumpcheck_command: [process.execPath, CLI],
      kdumpcheck_scan_args: ['--format', 'json', '-o', path.join(work, 'scan.json')],
      kdumpcheck_probe_timeout: 60,
    })
    return spawnSync('ansible-playbook', ['-i', inventory, path.join(repoRoot, 'contrib/ansible/kdumpcheck-fix.yml'), '-f', '8', '-e', vars, ...extra], {
      encoding: 'utf8',
      env: {...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp')},
      timeout: 900_000, // a loaded 2-core machine has taken 200 s for the check-mode run
    })
  }
  const recap = (stdout: string, host: string): string => new RegExp(`^${host}\\s+:.*$`, 'm').exec(stdout)?.[0] ?? ''

  it('fix --ssh HOST --diff collects over ssh and prints the edits; the host is not touched', async () => {
    const file = path.join(rootOf('svc-use-kdump-off-debian12'), 'etc/default/kdump-tools')
    const before = readFileSync(file, 'utf8')
    const run = await runCliAsync(['fix', '--ssh', 'fix-usekdump', '--ssh-config', fleet.clientConfig, '--probe-timeout', '60', '--diff'])
    expect(run.status, run.stderr).toBe(1)
    expect(run.stdout).toMatch(/^diff --git a\/etc\/default\/kdump-tools b\/etc\/default\/kdump-tools\n/)
    expect(run.stdout).toMatch(/^\+USE_KDUMP=1$/m)
    expect(run.stderr).toMatch(/kdumpcheck fix: ssh:fix-usekdump .*nothing is written there/)
    expect(run.stderr).toMatch(/systemctl restart kdump-tools/)
    expect(readFileSync(file, 'utf8')).toBe(before)
  }, 300_000)

  it('check mode reports what would change and writes nothing', () => {
    const before = HOSTS.map((h) => readFileSync(path.join(rootOf(h.fixture), h.file), 'utf8'))
    const run = playbook(['--check', '--diff'])
    expect(run.status, `${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`).toBe(0)
    expect(run.stdout).toMatch(/would change \/etc\/default\/kdump-tools/)
    expect(run.stdout).toMatch(/\+USE_KDUMP=1/)
    for (const h of HOSTS) expect(run.stdout, h.name).toMatch(new RegExp(`\\[${h.name}\\] => \\{\\s*"msg": \\[\\s*"would change /${h.file}"`))
    expect(HOSTS.map((h) => readFileSync(path.join(rootOf(h.fixture), h.file), 'utf8'))).toEqual(before)
  }, 1_000_000)

  it('a real run applies the edits, and the next scan passes the repaired checks', async () => {
    const run = playbook([])
    expect(run.status, `${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`).toBe(0)
    expect(run.stdout).toMatch(/changed \/etc\/default\/kdump-tools/)
    expect(readFileSync(path.join(rootOf('svc-use-kdump-off-debian12'), 'etc/default/kdump-tools'), 'utf8')).toMatch(/^USE_KDUMP=1$/m)

    const kept = path.join(work, 'kept')
    const scan = await runCliAsync(['scan', '-i', inventory, '--ssh-config', fleet.clientConfig, '--probe-timeout', '60', '--keep-snapshots', kept, '--format', 'json'])
    const out = JSON.parse(scan.stdout) as ScanOutput
    for (const h of HOSTS) {
      const host = out.hosts.find((x) => x.host === h.name)!
      expect(host.status, JSON.stringify(host).slice(0, 300)).toBe('judged')
      const check = await runCliAsync(['check', '--snapshot', path.join(kept, `${h.name}.tar.gz`), '--format', 'json'])
      const findings = (JSON.parse(check.stdout) as {findings: Array<{id: string; status: string}>}).findings
      for (const id of h.repaired) expect(findings.find((f) => f.id === id)?.status, `${h.name}: ${id} after the remediation`).toBe('pass')
    }
    for (const h of HOSTS) expect(run.stdout, h.name).toMatch(new RegExp(`\\[${h.name}\\] => \\{\\s*"msg": \\[\\s*"changed /${h.file}"`))
    expect(recap(run.stdout, 'fix-usekdump')).toMatch(/failed=0/)
  }, 2_000_000)
})
