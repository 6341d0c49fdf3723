/**
 * `kdumpcheck fix` as a user runs it (the built CLI), and as a hostile image would try to abuse it:
 * exit codes, refusing a live root, tarballs, --only, JSON, and images whose files are symlinks out
 * of the root, FIFOs, CRLF files or quoted values with embedded quotes.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {openRootWriter, WriteRefused} from '../../src/fix/io/confined-write.js'
import {runCli} from '../helpers/cli.js'
import {REPO} from './discover.js'
import {materializeRoot} from './materialize.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-fix-cli-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))
let n = 0
const fixtureRoot = (name: string): string => {
  const root = path.join(work, `${name}-${n++}`)
  materializeRoot(path.join(REPO, 'fixtures/hosts', name), root)
  return root
}
const json = (args: string[]) => JSON.parse(runCli([...args, '--json']).stdout) as {items: Array<{findings: string[]; repairs: string[]}>; people: Array<{finding: string}>; exit_code: number; recheck?: Array<{id: string; status: string}>}

describe('fix --root DIR', () => {
  it('repairs the image, says what it did, and a second run finds nothing to do (exit 1, then 0)', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    const first = runCli(['fix', '--root', root])
    expect(first.status, first.stderr).toBe(1)
    expect(first.stdout).toMatch(/Fixed in the image:/)
    expect(first.stdout).toMatch(/KD107 +crashkernel=256M,below=4G on the Xen line/)
    expect(first.stdout).toMatch(/Judged again after the edit: .*KD107 pass/)
    const check = runCli(['check', '--root', root, '--format', 'json'])
    const findings = (JSON.parse(check.stdout) as {findings: Array<{id: string; status: string}>}).findings
    for (const id of ['KD107', 'KD206', 'KD303', 'KD406', 'KD500', 'KD502']) expect(findings.find((f) => f.id === id)?.status, id).toBe('pass')
    const second = runCli(['fix', '--root', root])
    expect(second.status, second.stdout).toBe(0)
    expect(second.stdout).toMatch(/Nothing to fix/)
  })

  it('exits 3 when something needs a person, and says what', () => {
    const root = fixtureRoot('image-el5-xen-grub-legacy')
    const run = runCli(['fix', '--root', root])
    expect(run.status).toBe(3)
    expect(run.stdout).toMatch(/Needs a person:\n {2}KD300 +This image starts services from \/etc\/rc\.d \(SysV\)/)
    expect(readFileSync(path.join(root, 'boot/grub/grub.conf'), 'utf8')).toMatch(/kernel \/xen\.gz-2\.6\.18-419\.el5 dom0_mem=2048M com1=115200,8n1 console=com1 crashkernel=256M@64M\n\tmodule \/vmlinuz-2\.6\.18-419\.el5xen ro root=\/dev\/VolGroup00\/LogVol00 console=xvc0\n/)
  })

  it('-o: an empty diff is an empty file; a directory root takes no -o', () => {
    const root = fixtureRoot('image-debian12-xen-good')
    const out = path.join(work, `empty-${n++}.diff`)
    const run = runCli(['fix', '--root', root, '--diff', '-o', out])
    expect(run.status, run.stderr).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe('')
    const bad = runCli(['fix', '--root', root, '-o', out])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^kdumpcheck: error: -o: .* is a directory, edited in place/)
  })

  it('leaves a waived finding alone (policy allow-noreboot: true)', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    const config = path.join(work, `kdc-${n++}.yaml`)
    writeFileSync(config, 'policy:\n  allow-noreboot: true\n')
    const plan = json(['fix', '--root', root, '--diff', '-c', config])
    expect(plan.items.map((i) => i.findings.join(' '))).not.toContain('KD500')
    // KD107's edit (crashkernel= onto Xen's line) also answers KD102 (it was on dom0's line only), now judged on images
    expect(plan.items.map((i) => i.findings)).toContainEqual(expect.arrayContaining(['KD107']))
  })

  it('refuses the running system\'s root without --diff, in one line', () => {
    const run = runCli(['fix', '--root', '/'])
    expect(run.status).toBe(2)
    expect(run.stderr).toBe("kdumpcheck: error: / is the running system's own root: kdumpcheck fix never edits a live host. Use --diff (and review, then apply it yourself)\n")
  })

  it('--only limits the fixes and rejects what it does not know', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    const only = json(['fix', '--root', root, '--diff', '--only', 'KD500,kd303'])
    expect(only.items.map((i) => i.findings.join(' ')).sort()).toEqual(['KD303', 'KD500'])
    const bad = runCli(['fix', '--root', root, '--only', 'KD999'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^kdumpcheck: error: --only: "KD999" is not a check fix repairs/)
    expect(runCli(['fix', '--root', root, '--only', ' , ']).stderr).toMatch(/--only: give check ids/)
  })

  it('follows a symlink only inside the image, and never writes outside it', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    const outside = path.join(work, `outside-${n++}`)
    mkdirSync(outside)
    const original = readFileSync(path.join(root, 'etc/default/grub.d/xen.cfg'), 'utf8')
    writeFileSync(path.join(outside, 'xen.cfg'), original)
    // A relative link that climbs out of the root on this machine, and inside the image stops at its root.
    mkdirSync(path.join(root, 'outside'), {recursive: true})
    writeFileSync(path.join(root, 'outside/xen.cfg'), original)
    unlinkSync(path.join(root, 'etc/default/grub.d/xen.cfg'))
    symlinkSync(`../../../${path.relative(path.join(root, 'etc/default/grub.d'), outside).split('/').map(() => '..').join('/')}/outside/xen.cfg`, path.join(root, 'etc/default/grub.d/xen.cfg'))
    // An absolute link to the outside file's path: inside the image that path does not exist.
    unlinkSync(path.join(root, 'etc/default/kdump-tools'))
    writeFileSync(path.join(outside, 'kdump-tools'), 'USE_KDUMP=0\n')
    symlinkSync(path.join(outside, 'kdump-tools'), path.join(root, 'etc/default/kdump-tools'))
    const run = runCli(['fix', '--root', root])
    expect([1, 3]).toContain(run.status)
    expect(readFileSync(path.join(outside, 'xen.cfg'), 'utf8')).toBe(original)
    expect(readFileSync(path.join(outside, 'kdump-tools'), 'utf8')).toBe('USE_KDUMP=0\n')
    expect(readFileSync(path.join(root, 'outside/xen.cfg'), 'utf8')).toMatch(/crashkernel=256M,below=4G/)
    expect(lstatSync(path.join(root, 'etc/default/grub.d/xen.cfg')).isSymbolicLink()).toBe(true)
    expect(run.stdout).toMatch(/\/etc\/default\/grub\.d\/xen\.cfg \(resolves to \/outside\/xen\.cfg in the image\)/)
  })

  it('a file hard-linked from outside the image is replaced, never written through', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    const outside = path.join(work, `outside-${n++}`)
    mkdirSync(outside)
    const file = path.join(root, 'etc/default/kdump-tools')
    const original = readFileSync(file, 'utf8')
    rmSync(path.join(outside, 'kdump-tools'), {force: true})
    expect(spawnSync('ln', [file, path.join(outside, 'kdump-tools')]).status).toBe(0)
    expect(runCli(['fix', '--root', root, '--only', 'KD303']).status).toBe(1)
    expect(readFileSync(file, 'utf8')).toMatch(/^USE_KDUMP=1$/m)
    expect(readFileSync(path.join(outside, 'kdump-tools'), 'utf8')).toBe(original)
  })

  it('a grub.cfg that is a FIFO is not read and does not hang; the defaults are still fixed', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    unlinkSync(path.join(root, 'boot/grub/grub.cfg'))
    expect(spawnSync('mkfifo', [path.join(root, 'boot/grub/grub.cfg')]).status).toBe(0)
    const run = runCli(['fix', '--root', root])
    expect(run.status, run.stderr).toBe(1)
    expect(lstatSync(path.join(root, 'boot/grub/grub.cfg')).isFIFO()).toBe(true)
    expect(readFileSync(path.join(root, 'etc/default/grub.d/xen.cfg'), 'utf8')).toMatch(/crashkernel=256M,below=4G'/)
  })

  it('keeps CRLF line endings, a duplicate key\'s other copy and a value with embedded quotes', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    rmSync(path.join(root, 'boot/grub/grub.cfg'))
    const file = path.join(root, 'etc/default/grub.d/xen.cfg')
    writeFileSync(file, '# crlf\r\nGRUB_CMDLINE_XEN_DEFAULT="dom0_mem=1G"\r\nGRUB_CMDLINE_XEN_DEFAULT="dom0_mem=8G \\"x y\\" noreboot"\r\n')
    chmodSync(file, 0o640)
    const run = runCli(['fix', '--root', root, '--only', 'KD107,KD500'])
    expect(run.status, run.stdout + run.stderr).toBe(1)
    expect(readFileSync(file, 'utf8')).toBe('# crlf\r\nGRUB_CMDLINE_XEN_DEFAULT="dom0_mem=1G"\r\nGRUB_CMDLINE_XEN_DEFAULT="dom0_mem=8G \\"x y\\" crashkernel=256M,below=4G"\r\n')
    expect(lstatSync(file).mode & 0o777).toBe(0o640)
  })

  it('writes the .wants link a unit\'s [Install] section asks for', () => {
    const root = fixtureRoot('svc-image-not-enabled-debian12')
    mkdirSync(path.join(root, 'lib/systemd/system'), {recursive: true})
    writeFileSync(path.join(root, 'lib/systemd/system/kdump-tools.service'), '[Unit]\nDescription=x\n\n[Install]\nWantedBy=multi-user.target\n')
    const run = runCli(['fix', '--root', root])
    expect(run.status, run.stdout).toBe(1)
    expect(readlinkSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/kdump-tools.service'))).toBe('/lib/systemd/system/kdump-tools.service')
    expect(existsSync(path.join(root, 'etc/systemd/system/basic.target.wants/kdump-tools.service'))).toBe(false)
  })

  it('refuses to write through a directory that is a symlink out of the image, before writing anything', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    const outside = path.join(work, `outside-${n++}`)
    mkdirSync(outside)
    symlinkSync(outside, path.join(root, 'etc/sysctl.d'))
    const before = readFileSync(path.join(root, 'etc/default/kdump-tools'), 'utf8')
    const run = runCli(['fix', '--root', root])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/^kdumpcheck: error: \/etc\/sysctl\.d\/90-kdump\.conf: .*cannot be resolved inside the image/)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(readFileSync(path.join(root, 'etc/default/kdump-tools'), 'utf8')).toBe(before)
    expect(existsSync(path.join(outside, '90-kdump.conf'))).toBe(false)
  })
})

describe('the confined writer', () => {
  it('does not overwrite a file that changed since it was read', async () => {
    const root = path.join(work, `w-${n++}`)
    mkdirSync(path.join(root, 'etc'), {recursive: true})
    writeFileSync(path.join(root, 'etc/a'), 'changed by someone\n')
    const writer = await openRootWriter(root)
    try {
      await expect(writer.replaceFile('/etc/a', Buffer.from('as read\n'), Buffer.from('new\n'))).rejects.toThrow(WriteRefused)
      await expect(writer.replaceFile('/etc/new', undefined, Buffer.from('x\n'))).resolves.toBe('/etc/new')
      await expect(writer.replaceFile('/etc/new', undefined, Buffer.from('y\n'))).rejects.toThrow(/changed since it was read/)
    } finally {
      await writer.close()
    }
    expect(readFileSync(path.join(root, 'etc/a'), 'utf8')).toBe('changed by someone\n')
    expect(readFileSync(path.join(root, 'etc/new'), 'utf8')).toBe('x\n')
  })
})

describe('fix --root TAR', () => {
  it('writes a repaired tarball with -o, leaves the input alone, and the result needs no further fix', () => {
    const root = fixtureRoot('image-debian12-xen-generated-broken')
    // Kernels and initrds are laid out sparse at their listed size; a tarball would carry them whole.
    for (const big of ['initrd.img-6.1.0-50-amd64', 'initrd.img-6.1.0-27-amd64', 'vmlinuz-6.1.0-50-amd64', 'vmlinuz-6.1.0-27-amd64']) rmSync(path.join(root, 'boot', big), {force: true})
    const tar = path.join(work, 'image.tar.gz')
    expect(spawnSync('tar', ['-C', root, '-czf', tar, '.']).status).toBe(0)
    const inputBytes = readFileSync(tar)
    expect(runCli(['fix', '--root', tar]).stderr).toMatch(/is a tarball, which fix does not edit in place: give -o FILE/)
    const out = path.join(work, 'fixed.tar.gz')
    const run = runCli(['fix', '--root', tar, '-o', out])
    expect(run.status, run.stderr).toBe(1)
    expect(readFileSync(tar).equals(inputBytes)).toBe(true)
    const listing = spawnSync('tar', ['-tzvf', out], {encoding: 'utf8'})
    expect(listing.status).toBe(0)
    expect(listing.stdout).toMatch(/etc\/sysctl\.d\/90-kdump\.conf/)
    const xen = spawnSync('tar', ['-xzOf', out, './etc/default/grub.d/xen.cfg'], {encoding: 'utf8'}).stdout
    expect(xen).toMatch(/GRUB_CMDLINE_XEN_DEFAULT='dom0_mem=8192M,max:8192M dom0_max_vcpus=8 dom0_vcpus_pin com2=57600,8n1 console=com2,vga crashkernel=256M,below=4G'/)
    const again = runCli(['fix', '--root', out, '--diff'])
    expect(again.status, again.stderr).toBe(0)
    expect(again.stdout).toBe('')
  })
})

describe('fix --snapshot', () => {
  it('prints the diff on stdout and the plan with the activation commands on stderr; never writes', () => {
    const dir = path.join(REPO, 'fixtures/hosts/xen48-below')
    const run = runCli(['fix', '--snapshot', dir, '--diff'])
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^diff --git a\/boot\/grub\/grub\.cfg b\/boot\/grub\/grub\.cfg\n/)
    expect(run.stdout).toMatch(/\+GRUB_CMDLINE_XEN_DEFAULT=.*crashkernel=256M\\\\<4G/)
    expect(run.stderr).toMatch(/Then, on the host .*:\n {2}update-grub\n {2}reboot/)
    expect(spawnSync('git', ['status', '--porcelain', dir], {cwd: REPO, encoding: 'utf8'}).stdout).toBe('')
  })

  it('--script gives a POSIX sh script that applies the same edits, refuses a changed file, and is idempotent', () => {
    const dir = path.join(REPO, 'fixtures/hosts/svc-use-kdump-off-debian12')
    const script = path.join(work, 'fix.sh')
    expect(runCli(['fix', '--snapshot', dir, '--script', '-o', script]).status).toBe(1)
    const root = path.join(work, `script-root-${n++}`)
    materializeRoot(dir, root)
    const sh = (args: string[]) => spawnSync('sh', [script, ...args], {encoding: 'utf8', env: {...process.env, KDUMPCHECK_ROOT: root}})
    const check = sh(['--check'])
    expect(check.status).toBe(1)
    expect(check.stdout).toMatch(/would change \/etc\/default\/kdump-tools/)
    expect(readFileSync(path.join(root, 'etc/default/kdump-tools'), 'utf8')).toMatch(/^USE_KDUMP=0/m)
    const apply = sh([])
    expect(apply.status, apply.stderr).toBe(1)
    expect(readFileSync(path.join(root, 'etc/default/kdump-tools'), 'utf8')).toMatch(/^USE_KDUMP=1/m)
    expect(apply.stdout).toMatch(/then run: systemctl restart kdump-tools/)
    expect(sh([]).status).toBe(0)
    writeFileSync(path.join(root, 'etc/default/kdump-tools'), 'USE_KDUMP=0\n# edited by hand since\n')
    const refused = sh([])
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(/changed since the collection; not overwritten/)
  })
})
