/**
 * `check --root` through the built CLI, as a CI job would lint a host image: a root filesystem made
 * from the committed image fixture's files (Debian's /etc/os-release as its real relative symlink, a
 * /boot with kernel and Xen files), as a directory and as a docker-export-style tarball.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {repoRoot, runCli} from '../helpers/cli.js'

let goodRoot: string
let badRoot: string
let goodTar: string

function makeRoot(dir: string, withCrashkernel: boolean): string {
  const fixture = path.join(repoRoot, 'fixtures/hosts/image-debian12-xen-good/files')
  cpSync(fixture, dir, {recursive: true})
  // Debian ships /etc/os-release as a link into /usr/lib: it must resolve inside the image.
  mkdirSync(path.join(dir, 'usr/lib'), {recursive: true})
  cpSync(path.join(dir, 'etc/os-release'), path.join(dir, 'usr/lib/os-release'))
  rmSync(path.join(dir, 'etc/os-release'))
  symlinkSync('../usr/lib/os-release', path.join(dir, 'etc/os-release'))
  for (const name of ['vmlinuz-6.1.0-50-amd64', 'initrd.img-6.1.0-50-amd64', 'xen-4.17-amd64.gz']) writeFileSync(path.join(dir, 'boot', name), 'x'.repeat(4096))
  mkdirSync(path.join(dir, 'var/lib/kdump'), {recursive: true})
  mkdirSync(path.join(dir, 'etc/systemd/system/basic.target.wants'), {recursive: true})
  symlinkSync('/lib/systemd/system/kdump-tools.service', path.join(dir, 'etc/systemd/system/basic.target.wants/kdump-tools.service'))
  if (!withCrashkernel) {
    for (const file of ['etc/default/grub.d/xen.cfg', 'boot/grub/grub.cfg']) {
      const full = path.join(dir, file)
      writeFileSync(full, readFileSync(full, 'utf8').replaceAll(' crashkernel=256M,below=4G', ''))
    }
  }
  return dir
}

beforeAll(() => {
  const work = mkdtempSync(path.join(tmpdir(), 'kdc-root-'))
  goodRoot = makeRoot(path.join(work, 'good'), true)
  badRoot = makeRoot(path.join(work, 'bad'), false)
  goodTar = path.join(work, 'good.tar.gz')
  execFileSync('tar', ['czf', goodTar, '-C', goodRoot, '.'])
})

describe('kdumpcheck check --root (image lint)', () => {
  it('says READY for a Debian Xen image configured to dump, from a directory and from a tarball', () => {
    for (const root of [goodRoot, goodTar]) {
      const {status, stdout, stderr} = runCli(['check', '--root', root])
      expect(stderr).toBe('')
      expect(stdout).toContain('READY: this image, once booted, is configured to leave a vmcore.')
      expect(status).toBe(0)
    }
  })

  it('fails KD107 for the same image without crashkernel= on the Xen line, in JUnit for CI', () => {
    const {status, stdout} = runCli(['check', '--root', badRoot, '--format', 'junit'])
    expect(status).toBe(1)
    expect(stdout).toMatch(/<testcase classname="kdumpcheck.region" name="KD107[^"]*">\s*<failure/)
  })

  it('reports runtime checks as n/a, not failures, on an image', () => {
    const report = JSON.parse(runCli(['check', '--root', goodRoot, '--json']).stdout)
    expect(report.host.kind).toBe('static')
    expect(report.findings.find((f: {id: string}) => f.id === 'KD202').status).toBe('n/a')
  })

  it('refuses a root that does not exist with exit 2', () => {
    const {status, stderr} = runCli(['check', '--root', '/nonexistent/kdc-root'])
    expect(status).toBe(2)
    expect(stderr).toMatch(/no such root filesystem/)
  })
})

/**
 * What the kernel an image boots starts with when no sysctl file says otherwise. The lab found the
 * gap (issue 14): `check --root` on the lab's images said unknown where the hosts they booted read
 * these values, and kdump-config's own panic_on_oops=1 was missing from the image's prediction.
 */
describe('kdumpcheck check --root: tunables no sysctl file sets', () => {
  const findings = (root: string) => JSON.parse(runCli(['check', '--root', root, '--json']).stdout).findings as {id: string; status: string; message: string; evidence: {text?: string}[]}[]
  const finding = (root: string, id: string) => findings(root).find((f) => f.id === id)!
  const variant = (name: string, edit: (dir: string) => void) => {
    const dir = makeRoot(path.join(mkdtempSync(path.join(tmpdir(), 'kdc-root-')), name), true)
    edit(dir)
    return dir
  }

  it("are the kernel's defaults from the image's /boot/config-<release> and the built-in ones", () => {
    const panic = finding(goodRoot, 'KD504')
    expect(panic.status).toBe('pass')
    expect(panic.evidence.map((e) => e.text).join('\n')).toContain('CONFIG_PANIC_TIMEOUT=0')
    expect(finding(goodRoot, 'KD503')).toMatchObject({status: 'info', message: expect.stringContaining('kernel.hung_task_panic=0')})
    expect(finding(goodRoot, 'KD405').status).toBe('pass')
  })

  it('a boot option on the default entry wins over the build config: panic=30 delays the hand-off to Xen', () => {
    const root = variant('panic30', (dir) => {
      const cfg = path.join(dir, 'boot/grub/grub.cfg')
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/(module2\s+\/boot\/vmlinuz-\S+ placeholder [^\n]*)/g, '$1 panic=30'))
    })
    expect(finding(root, 'KD504').status).not.toBe('pass')
  })

  it("kdump-tools enabled: kdump-config load sets panic_on_oops=1, whatever the sysctl files say", () => {
    const root = variant('no-sysctl', (dir) => rmSync(path.join(dir, 'etc/sysctl.d/90-kdump.conf')))
    const oops = finding(root, 'KD502')
    expect(oops.status).toBe('pass')
    expect(oops.evidence.map((e) => e.text).join('\n')).toContain('kdump-config load sets kernel.panic_on_oops=1')
    const disabled = variant('no-sysctl-disabled', (dir) => {
      rmSync(path.join(dir, 'etc/sysctl.d/90-kdump.conf'))
      rmSync(path.join(dir, 'etc/systemd/system/basic.target.wants/kdump-tools.service'))
    })
    expect(finding(disabled, 'KD502').status).toBe('warn')
  })
})

/**
 * The lab's FIXED scenario (issue 14) found it: crashkernel= on Xen's line only, kdump-tools' drop-in
 * removed. Xen reserved the region and Debian's kdump-config load said "no crashkernel= parameter in
 * the kernel cmdline": nothing loaded, no vmcore, while `check --root` said READY and `fix` had called
 * its repair done.
 */
describe("check --root and fix --root: a Debian dom0 line without crashkernel=", () => {
  const lost = () => {
    const dir = makeRoot(path.join(mkdtempSync(path.join(tmpdir(), 'kdc-root-')), 'no-dom0-crashkernel'), true)
    rmSync(path.join(dir, 'etc/default/grub.d/kdump-tools.cfg'))
    const cfg = path.join(dir, 'boot/grub/grub.cfg')
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replaceAll(' crashkernel=384M-:128M', ''))
    return dir
  }

  it('is NOT_READY: KD107 says kdump-config refuses to load', () => {
    const report = JSON.parse(runCli(['check', '--root', lost(), '--json']).stdout) as {verdict: string; findings: {id: string; status: string; message: string}[]}
    expect(report.verdict).toBe('NOT_READY')
    expect(report.findings.find((f) => f.id === 'KD107')).toMatchObject({status: 'fail', message: expect.stringContaining("kdump-config refuses to load")})
  })

  it("fix restores kdump-tools' drop-in and dom0's word in grub.cfg, and the image is READY again", () => {
    const dir = lost()
    const fix = runCli(['fix', '--root', dir])
    expect(fix.status, fix.stdout + fix.stderr).toBe(1)
    expect(readFileSync(path.join(dir, 'etc/default/grub.d/kdump-tools.cfg'), 'utf8')).toBe('GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"\n')
    expect(readFileSync(path.join(dir, 'boot/grub/grub.cfg'), 'utf8')).toMatch(/module2\s+\/boot\/vmlinuz-\S+ placeholder [^\n]*crashkernel=384M-:128M/)
    expect(JSON.parse(runCli(['check', '--root', dir, '--json']).stdout).verdict).toBe('READY')
  })
})
