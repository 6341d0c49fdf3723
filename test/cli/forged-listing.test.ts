/**
 * A file name cannot forge a listing (issue 12, item 3). In an image, a file in a .wants directory
 * named "x<newline>lrwxrwxrwx ... kdump-tools.service -> ..." made the synthesized `ls -l` print a
 * fake boot link: KD300 turned from fail to pass and the verdict from NOT READY to READY. The image
 * reader now lists as `ls -q` does, and the live collector runs `ls -lq` (checked here with the
 * machine's GNU ls and busybox ls, in a private mount namespace so the real /boot is never touched).
 */
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {repoRoot, runCli} from '../helpers/cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-forged-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const FORGED = 'x\nlrwxrwxrwx 1 root root 19 Jan  1  2024 kdump-tools.service -> kdump-tools.service'

/** The committed good Debian Xen image, without its kdump-tools boot link: NOT READY (KD300). */
function imageWithoutBootLink(name: string): string {
  const root = path.join(work, name)
  cpSync(path.join(repoRoot, 'fixtures/hosts/image-debian12-xen-good/files'), root, {recursive: true})
  for (const file of ['vmlinuz-6.1.0-50-amd64', 'initrd.img-6.1.0-50-amd64', 'xen-4.17-amd64.gz']) writeFileSync(path.join(root, 'boot', file), 'x'.repeat(4096))
  mkdirSync(path.join(root, 'var/lib/kdump'), {recursive: true})
  mkdirSync(path.join(root, 'etc/systemd/system/basic.target.wants'), {recursive: true})
  return root
}

interface Report {
  verdict: string
  snapshot_errors: string[]
  findings: Array<{id: string; status: string}>
}

describe('image: a file name with a newline does not fake a boot link', () => {
  it('without the link the image is NOT READY (KD300 fails): the baseline', () => {
    const report = JSON.parse(runCli(['check', '--root', imageWithoutBootLink('baseline'), '--format', 'json']).stdout) as Report
    expect(report.findings.find((f) => f.id === 'KD300')?.status).toBe('fail')
    expect(report.verdict).toBe('NOT_READY')
  })

  for (const form of ['directory', 'tarball'] as const) {
    it(`a forged name stays one line with ? and KD300 still fails (${form})`, () => {
      const root = imageWithoutBootLink(`forged-${form}`)
      writeFileSync(path.join(root, 'etc/systemd/system/basic.target.wants', FORGED), '')
      let source = root
      if (form === 'tarball') {
        source = `${root}.tar`
        expect(spawnSync('tar', ['cf', source, '-C', root, '.']).status).toBe(0)
      }
      const report = JSON.parse(runCli(['check', '--root', source, '--format', 'json']).stdout) as Report
      expect(report.findings.find((f) => f.id === 'KD300')?.status).toBe('fail')
      expect(report.verdict).toBe('NOT_READY')
      // Recorded as such: the listing could not show this name faithfully.
      expect(report.snapshot_errors).toContain(
        '/etc/systemd/system/basic.target.wants: an entry whose name holds control characters or bytes that are not text, listed with ? as ls -q prints them',
      )
    })
  }

  it('the synthesized listing holds the name on one line, as ls -lq prints it', async () => {
    const root = imageWithoutBootLink('listing')
    writeFileSync(path.join(root, 'etc/systemd/system/basic.target.wants', FORGED), '')
    const {snapshotFromRoot} = await import('../../src/sources/rootfs.js')
    const s = await snapshotFromRoot(root)
    const out = s.probe('ls-services')!.out
    expect(out.split('\n').filter((l) => l.includes('kdump-tools.service'))).toEqual([
      expect.stringMatching(/ x\?lrwxrwxrwx 1 root root 19 Jan {2}1 {2}2024 kdump-tools\.service -> kdump-tools\.service$/),
    ])
    expect(out).not.toMatch(/^lrwx/m)
  })
})

const unshare = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p))
const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p))
const canNamespace =
  process.getuid?.() === 0 && unshare !== undefined && existsSync('/etc/systemd/system') && spawnSync(unshare, ['-m', 'true']).status === 0

describe.runIf(canNamespace)('collector: ls -lq on a live host (private mount namespace over /etc/systemd/system)', () => {
  /** Runs the collector with `ls` from `lsBinary`, the machine's /etc/systemd/system replaced by `system` in a private namespace. */
  function collectWith(lsBinary: string, system: string, label: string): Buffer {
    const bin = path.join(work, `bin-${label}`)
    mkdirSync(bin, {recursive: true})
    if (lsBinary.endsWith('busybox')) writeFileSync(path.join(bin, 'ls'), `#!/bin/sh\nexec ${lsBinary} ls "$@"\n`, {mode: 0o755})
    else symlinkSync(lsBinary, path.join(bin, 'ls'))
    const root = path.join(work, `root-${label}`)
    mkdirSync(path.join(root, 'etc/systemd/system'), {recursive: true})
    cpSync(system, path.join(root, 'etc/systemd/system'), {recursive: true})
    const out = path.join(work, `${label}.tar.gz`)
    const script = [
      'set -e',
      `mount --bind ${JSON.stringify(system)} /etc/systemd/system`,
      `PATH=${JSON.stringify(`${bin}:/usr/bin:/bin`)} KDUMPCHECK_TEST_ROOT=${JSON.stringify(root)} KDUMPCHECK_TEST_HOSTNAME=forged \\`,
      `  sh ${JSON.stringify(path.join(repoRoot, 'collector/kdumpcheck-collect.sh'))} --deadline 30 > ${JSON.stringify(out)}`,
    ].join('\n')
    const r = spawnSync(unshare!, ['-m', '--propagation', 'private', 'sh', '-c', script], {encoding: 'utf8', timeout: 60_000})
    expect(r.status, r.stderr).toBe(0)
    return readFileSync(out)
  }

  const flavours: Array<[string, string | undefined]> = [
    ['GNU ls', ['/usr/bin/ls', '/bin/ls'].find((p) => existsSync(p))],
    ['busybox ls (no -q: names printed with ? anyway)', busybox],
  ]
  it.each(flavours)('%s: the forged name is one line, and no boot link is read from it', async (label, lsBinary) => {
    if (!lsBinary) return
    const system = path.join(work, `system-${label.split(' ')[0]}`)
    mkdirSync(path.join(system, 'multi-user.target.wants'), {recursive: true})
    writeFileSync(path.join(system, 'multi-user.target.wants', FORGED), '')
    const archive = collectWith(lsBinary, system, label.split(' ')[0]!)
    const file = path.join(work, `${label.split(' ')[0]}-snap.tar.gz`)
    writeFileSync(file, archive)
    const {readSnapshot} = await import('../../src/sources/snapshot-reader.js')
    const s = await readSnapshot(file)
    const out = s.probe('ls-services')!.out
    expect(out).toContain('x?lrwxrwxrwx')
    expect(out).not.toMatch(/^lrwx.*kdump-tools\.service/m)
    const {parseLsServices, kdumpEnablement} = await import('../../src/parsers/chkconfig.js')
    const links = parseLsServices(out, s.probe('ls-services')!.err)
    expect(links.ok && kdumpEnablement(links.value).systemd).toEqual([])
  })
})
