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
