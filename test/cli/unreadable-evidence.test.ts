/**
 * Unreadable evidence never passes (issue 12, item 4): an image whose /etc/sysctl.d cannot be read
 * (mode 000, read by an unprivileged user, since root reads everything) names the directory in the
 * snapshot's errors, and KD502 may not pass on a lower-priority file that the hidden directory
 * would override (src/facts/sysctl.ts: an unreadable sysctl location makes the configured value unknown).
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {snapshotFromRoot} from '../../src/sources/rootfs.js'
import {repoRoot} from '../helpers/cli.js'

const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p))
const isRoot = process.getuid?.() === 0
const work = mkdtempSync(path.join(tmpdir(), 'kdc-unreadable-'))
chmodSync(work, 0o755)
afterAll(() => rmSync(work, {recursive: true, force: true}))

/** The committed good Debian Xen image, /etc/sysctl.d/99 setting panic_on_oops=0 and a lower-priority file setting 1. */
function image(name: string, kdumpToolsAtBoot = true): string {
  const root = path.join(work, name)
  cpSync(path.join(repoRoot, 'fixtures/hosts/image-debian12-xen-good/files'), root, {recursive: true})
  for (const file of ['vmlinuz-6.1.0-50-amd64', 'initrd.img-6.1.0-50-amd64', 'xen-4.17-amd64.gz']) writeFileSync(path.join(root, 'boot', file), 'x'.repeat(4096))
  mkdirSync(path.join(root, 'var/lib/kdump'), {recursive: true})
  mkdirSync(path.join(root, 'etc/systemd/system/basic.target.wants'), {recursive: true})
  if (kdumpToolsAtBoot) symlinkSync('/lib/systemd/system/kdump-tools.service', path.join(root, 'etc/systemd/system/basic.target.wants/kdump-tools.service'))
  writeFileSync(path.join(root, 'etc/sysctl.d/99-no-oops-panic.conf'), 'kernel.panic_on_oops = 0\n')
  mkdirSync(path.join(root, 'usr/lib/sysctl.d'), {recursive: true})
  writeFileSync(path.join(root, 'usr/lib/sysctl.d/10-oops.conf'), 'kernel.panic_on_oops = 1\n')
  return root
}

function asNobody(args: string[]): {status: number | null; stdout: string; stderr: string} {
  const home = path.join(work, 'home')
  mkdirSync(home, {recursive: true, mode: 0o777})
  chmodSync(home, 0o777)
  const r = spawnSync(setpriv!, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.join(repoRoot, 'bin/run.js'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NODE_ENV: 'production', NO_COLOR: '1'},
    timeout: 60_000,
  })
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

// The user must be able to run the built CLI from this checkout (a clone in a mode-700 home cannot).
const nobodyCanRun = isRoot && setpriv !== undefined && asNobody(['--version']).status === 0

describe.runIf(isRoot)('an unreadable directory in an image', () => {
  it('is named in the snapshot errors by the image reader ("path: could not be read: reason")', async () => {
    const root = image('reader')
    chmodSync(path.join(root, 'etc/sysctl.d'), 0o000)
    process.seteuid!(65534)
    let errors: string[]
    try {
      errors = (await snapshotFromRoot(root)).meta.errors
    } finally {
      process.seteuid!(0)
    }
    expect(errors).toContain('/etc/sysctl.d: could not be read: Permission denied')
  })

  it.runIf(nobodyCanRun)('keeps KD502 from passing on the lower-priority file, and the exit code from 0 under require-panic-on-oops (check --root as an unprivileged user)', () => {
    // kdump-tools not started at boot: kdump-config load (which sets panic_on_oops=1 itself, whatever the sysctl
    // files say: lab, issue 14) does not run, so the sysctl files alone decide KD502 here.
    const root = image('cli', false)
    chmodSync(path.join(root, 'etc/sysctl.d'), 0o000)
    const config = path.join(work, 'require-oops-panic.yaml')
    writeFileSync(config, 'policy:\n  require-panic-on-oops: true\n')
    const {status, stdout, stderr} = asNobody(['check', '--root', root, '--format', 'json', '--config', config])
    const report = JSON.parse(stdout) as {verdict: string; snapshot_errors: string[]; findings: Array<{id: string; status: string}>}
    expect(report.snapshot_errors, stderr).toContain('/etc/sysctl.d: could not be read: Permission denied')
    // Never a pass on the lower-priority file. The sysctl fact is unknown; KD502 then falls back, as for an
    // image whose files set nothing, to the kernel's build default (CONFIG_PANIC_ON_OOPS_VALUE=0): a fail.
    const kd502 = report.findings.find((f) => f.id === 'KD502')?.status
    expect(kd502).not.toBe('pass')
    expect(['unknown', 'fail']).toContain(kd502)
    // KD502 is a warning, so the verdict (error-severity checks only) stands; the site policy that requires
    // panic_on_oops makes it count: the exit code is not READY's 0.
    expect(status).not.toBe(0)
  })
})
