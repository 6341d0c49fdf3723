/**
 * Issue 11, class 2: an image judged from /etc/default/grub (+ grub.d drop-ins) without a generated grub.cfg. Whenever
 * the image has Xen (GRUB_CMDLINE_XEN* set, a Xen drop-in, xen*.gz in /boot, a Xen hypervisor package), the Xen entry
 * update-grub generates is judged: KD107 on GRUB_CMDLINE_XEN(_DEFAULT), KD102 on dom0's line of that entry. A drop-in
 * that cannot be read makes the generated lines unknown. And the entry whose lines a copy broke with `\` (XenServer 5's
 * extlinux.conf as "The Book of Xen" prints it) is unknown, never a failure (the corpus's new class).
 */
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG} from '../../src/config/config.js'
import {buildFacts} from '../../src/facts/facts.js'
import {parseExtlinux} from '../../src/parsers/extlinux.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import type {Report} from '../../src/report/report.js'
import type {Snapshot} from '../../src/snapshot/snapshot.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {snapshotFromRoot} from '../../src/sources/rootfs.js'
import {Snapshot as SnapshotClass} from '../../src/snapshot/snapshot.js'
import {fixture, text} from '../helpers/fixture-edit.js'

const corpus = path.resolve(import.meta.dirname, '../../fixtures/real-world')
const NOW = new Date('2026-11-29T10:00:00Z')
const judge = (s: Snapshot): Report => judgeSnapshot(s, DEFAULT_CONFIG, NOW)
const status = (r: Report, id: string): string | undefined => r.findings.find((f) => f.id === id)?.status

/** A corpus image tree as `check --root` reads it, with extra errors recorded (files that exist but could not be read). */
async function image(item: string, errors: string[] = [], drop: string[] = []): Promise<Snapshot> {
  const s = await snapshotFromRoot(path.join(corpus, item, 'root'), {now: NOW})
  const files = new Map(s.filePaths.filter((p) => !drop.includes(p)).map((p) => [p, s.file(p)!]))
  return new SnapshotClass({...s.meta, errors: [...s.meta.errors, ...errors]}, files, new Map(s.probeNames.map((n) => [n, s.probe(n)!])), s.origin)
}

describe('/etc/default/grub alone: the Xen entry is judged whenever the image has Xen', () => {
  it('an OpenStack-on-Xen CI image (GRUB_CMDLINE_XEN in grub.d/xen.cfg): KD107 fails on the Xen line', async () => {
    const r = judge(await image('ubuntu1404-devstack-xen44-default-grub'))
    expect(r.host.role).toMatch(/^Xen dom0/)
    expect(status(r, 'KD107')).toBe('fail')
  })

  it('the same image with xen.cfg unreadable: nothing passes, the generated lines are unknown', async () => {
    const r = judge(await image('ubuntu1404-devstack-xen44-default-grub', ['/etc/default/grub.d/xen.cfg: could not be read: Permission denied'], ['/etc/default/grub.d/xen.cfg']))
    expect(r.host.role).not.toMatch(/^Linux without Xen/)
    expect(status(r, 'KD107')).toBe('unknown')
    expect(r.verdict).not.toBe('READY')
  })

  it('Debian image without xen.cfg: /boot/xen-*.gz and the xen-hypervisor package still make it Xen; dom0\'s crashkernel= is KD102\'s', async () => {
    const s = await fixture('image-debian12-xen-nocrashkernel', {files: {'/etc/default/grub.d/xen.cfg': null}})
    const facts = buildFacts(s)
    expect(facts.nextBoot.known && facts.nextBoot.value.entry.isXen).toBe(true)
    const sources = facts.nextBoot.evidence.map((e) => `${e.source}${e.text ? ` ${e.text}` : ''}`).join('\n')
    expect(sources).toMatch(/xen-4\.17-amd64\.gz/)
    expect(sources).toMatch(/files\/var\/lib\/dpkg\/status/)
    const r = judge(s)
    expect(status(r, 'KD107')).toBe('fail')
    // kdump-tools.cfg puts crashkernel=384M-:128M on GRUB_CMDLINE_LINUX_DEFAULT: dom0's line of the Xen entry.
    const kd102 = r.findings.find((f) => f.id === 'KD102')!
    expect(kd102.status).toBe('warn')
    expect(kd102.evidence[0]).toMatchObject({source: 'files/etc/default/grub.d/kdump-tools.cfg', text: 'crashkernel=384M-:128M'})
  })

  it('the xen-hypervisor package alone is a witness', async () => {
    const listing = (await text('image-debian12-xen-nocrashkernel', {probe: 'ls-boot'})).split('\n').filter((l) => !/xen-4\.17/.test(l)).join('\n')
    const s = await fixture('image-debian12-xen-nocrashkernel', {files: {'/etc/default/grub.d/xen.cfg': null}, probes: {'ls-boot': {out: listing, exit: 0}}})
    expect(judge(s).host.role).toMatch(/^Xen dom0/)
  })

  it('no witness at all: a native image, judged on the kernel line', async () => {
    const listing = (await text('image-debian12-xen-nocrashkernel', {probe: 'ls-boot'})).split('\n').filter((l) => !/xen-4\.17/.test(l)).join('\n')
    const dpkg = (await text('image-debian12-xen-nocrashkernel', {file: '/var/lib/dpkg/status'})).replace(/Package: xen-hypervisor/g, 'Package: not-xen')
    const s = await fixture('image-debian12-xen-nocrashkernel', {files: {'/etc/default/grub.d/xen.cfg': null, '/var/lib/dpkg/status': dpkg}, probes: {'ls-boot': {out: listing, exit: 0}}})
    const r = judge(s)
    expect(r.host.role).toMatch(/^Linux without Xen/)
    expect(status(r, 'KD107')).toBe('pass')
  })

  it('without any witness, an unreadable dpkg database leaves the question open', async () => {
    const listing = (await text('image-debian12-xen-nocrashkernel', {probe: 'ls-boot'})).split('\n').filter((l) => !/xen-4\.17/.test(l)).join('\n')
    const s = await fixture('image-debian12-xen-nocrashkernel', {
      files: {'/etc/default/grub.d/xen.cfg': null, '/var/lib/dpkg/status': null},
      probes: {'ls-boot': {out: listing, exit: 0}},
      errors: ['/var/lib/dpkg/status: could not be read: Permission denied'],
    })
    const r = judge(s)
    expect(r.host.role).not.toMatch(/^Linux without Xen/)
    expect(status(r, 'KD107')).toBe('unknown')
  })

  it('GRUB reads update-grub\'s unquoted words: GRUB_CMDLINE_XEN_DEFAULT "crashkernel=380M\\<4G" is Xen\'s crashkernel=380M<4G (SUSE notes)', async () => {
    const s = await readSnapshot(path.join(corpus, 'suse-xen-cheatsheet-dom0-config', 'snapshot'))
    expect(s.file('/etc/default/grub')?.text).toContain('crashkernel=380M\\<4G')
    const boot = buildFacts(s).nextBoot
    expect(boot.known && boot.value.xenLine?.text).toContain('crashkernel=380M<4G')
    expect(status(judge(s), 'KD106')).toBe('pass')
  })
})

describe('a line a copy broke with "\\" (new class: an entry the parser could not read was judged as failing)', () => {
  it('the parser joins the continued append line, and says SYSLINUX would not', () => {
    const r = parseExtlinux('default xe\nlabel xe\n  kernel mboot.c32\n\n  append /boot/xen.gz dom0_mem=752M \\\n    crashkernel=64M@32M --- \\\n\n    /boot/vmlinuz-2.6-xen ro --- /boot/initrd-2.6-xen.img\n')
    expect(r.ok).toBe(true)
    const entry = r.ok ? r.value.default.entry : null
    expect(entry?.xen?.args).toBe('dom0_mem=752M crashkernel=64M@32M')
    expect(entry?.linux?.path).toBe('/boot/vmlinuz-2.6-xen')
    expect(entry?.continued).toEqual({line: 5, lines: 3})
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/no line continuation/)
  })

  it('XenServer 5 as "The Book of Xen" prints it: KD107 unknown with both readings, never "no kernel line"', async () => {
    const r = judge(await image('xenserver5-extlinux-bookofxen'))
    const kd107 = r.findings.find((f) => f.id === 'KD107')!
    expect(kd107.status).toBe('unknown')
    expect(kd107.message).toContain('crashkernel=64M@32M')
    expect(kd107.message).toContain('SYSLINUX has no line continuation')
  })

  it('the same entry on one line passes', async () => {
    const s = await image('xenserver5-extlinux-bookofxen')
    const conf = s.file('/boot/extlinux.conf')!.text.replace(/\s*\\\n\s*/g, ' ')
    const files = new Map(s.filePaths.map((p) => [p, p === '/boot/extlinux.conf' ? {...s.file(p)!, text: conf} : s.file(p)!]))
    const r = judge(new SnapshotClass(s.meta, files, new Map(s.probeNames.map((n) => [n, s.probe(n)!])), s.origin))
    expect(status(r, 'KD107')).toBe('pass')
  })

  it('XCP-ng 8\'s "4.19-xen" dom0 kernel is pvops, not xenolinux (only up to SUSE\'s 3.x -xen kernels are)', async () => {
    const r = judge(await image('xcpng81-docs-grubcfg-nvme'))
    expect(r.host.role).toMatch(/pvops/)
  })
})
