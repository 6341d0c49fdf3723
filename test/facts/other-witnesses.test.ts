/**
 * Issue 11, class 5 (the configuration side): witnesses the world offers that the tool ignored.
 * - systemd presets enable a unit at an image's first boot (EL9's 90-default.preset: `enable kdump.service`);
 * - an image fragment without /etc/systemd/system/*.wants or rc3.d says nothing about boot links: unknown, not "not enabled";
 * - on a native host `kdumpctl status` ("Kdump is operational") and `kdump-config status` ("ready to kdump") read the
 *   kernel's /sys/kernel/kexec_crash_loaded: they are its witnesses (KD202), and KD603 then finds them in agreement;
 *   on a Xen dom0 they are not (they read dom0's kernel, not Xen).
 */
import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG} from '../../src/config/config.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import type {Report} from '../../src/report/report.js'
import type {Snapshot} from '../../src/snapshot/snapshot.js'
import {snapshotFromRoot} from '../../src/sources/rootfs.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {fixture} from '../helpers/fixture-edit.js'

const corpus = path.resolve(import.meta.dirname, '../../fixtures/real-world')
const NOW = new Date('2026-11-29T10:00:00Z')
const judge = (s: Snapshot): Report => judgeSnapshot(s, DEFAULT_CONFIG, NOW)
const finding = (r: Report, id: string) => r.findings.find((f) => f.id === id)!
const scratch = mkdtempSync(path.join(tmpdir(), 'kdc-witness-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

/** The EL9 preset fragment, copied, with extra files. */
async function el9(extra: Record<string, string> = {}, dirs: string[] = []): Promise<Snapshot> {
  const root = mkdtempSync(path.join(scratch, 'el9-'))
  cpSync(path.join(corpus, 'el9-preset-enables-kdump', 'root'), root, {recursive: true})
  for (const d of dirs) mkdirSync(path.join(root, d), {recursive: true})
  for (const [p, text] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(root, p)), {recursive: true})
    writeFileSync(path.join(root, p), text)
  }
  return snapshotFromRoot(root, {now: NOW})
}

describe('systemd presets enable units in images (EuroLinux 9 release package)', () => {
  it('the fragment as found: enabled by the preset at first boot (no /etc/machine-id yet)', async () => {
    const kd300 = finding(judge(await el9()), 'KD300')
    expect(kd300.status).toBe('pass')
    expect(kd300.evidence.map((e) => `${e.source}:${e.line ?? ''}`)).toContain('files/usr/lib/systemd/system-preset/90-default.preset:83')
  })

  it('an image already set up (machine-id set, boot links present) with no kdump link was disabled since: fail', async () => {
    const s = await el9({'etc/machine-id': '0123456789abcdef0123456789abcdef\n'}, ['etc/systemd/system/multi-user.target.wants'])
    expect(finding(judge(s), 'KD300').status).toBe('fail')
  })

  it('/etc/machine-id "uninitialized": the first boot is still to come, the preset applies', async () => {
    const s = await el9({'etc/machine-id': 'uninitialized\n'}, ['etc/systemd/system/multi-user.target.wants'])
    expect(finding(judge(s), 'KD300').status).toBe('pass')
  })

  it("with the unit file in the image too (main's [Install] reading), the preset still enables it at first boot", async () => {
    const unit = '[Unit]\nDescription=Crash recovery kernel arming\n[Service]\nType=oneshot\nExecStart=/usr/bin/kdumpctl start\n[Install]\nWantedBy=multi-user.target\n'
    expect(finding(judge(await el9({'usr/lib/systemd/system/kdump.service': unit})), 'KD300').status).toBe('pass')
    const fragment = finding(judge(await el9({'usr/lib/systemd/system/kdump.service': unit, 'etc/systemd/system-preset/10-site.preset': '# nothing about kdump\n', 'etc/machine-id': 'x\n'})), 'KD300')
    expect(fragment.status).not.toBe('fail')
  })

  it('an admin preset in /etc that disables it wins over the vendor\'s', async () => {
    const s = await el9({'etc/systemd/system-preset/10-site.preset': 'disable kdump.service\n'})
    expect(finding(judge(s), 'KD300').status).toBe('fail')
  })
})

describe('an image fragment says nothing about boot links', () => {
  it('no /etc/systemd and no rc3.d: KD300 unknown, never "not enabled" (XenServer 5 extlinux.conf alone)', async () => {
    const s = await snapshotFromRoot(path.join(corpus, 'xenserver5-extlinux-bookofxen', 'root'), {now: NOW})
    const kd300 = finding(judge(s), 'KD300')
    expect(kd300.status).toBe('unknown')
    expect(kd300.message).toMatch(/no \/etc\/systemd\/system\/\*\.wants and no rc3\.d/)
  })

  it('an image with boot links and none for kdump-tools still fails', async () => {
    expect(finding(judge(await fixture('svc-image-not-enabled-debian12')), 'KD300').status).toBe('fail')
  })
})

describe('native hosts: the distribution\'s status commands are the kernel flag\'s witnesses', () => {
  it('"Kdump is operational" (a CentOS 7 how-to): KD202 passes, KD603 finds agreement', async () => {
    const r = judge(await readSnapshot(path.join(corpus, 'centos7-kdumpctl-operational-guide', 'snapshot')))
    expect(finding(r, 'KD202').status).toBe('pass')
    expect(finding(r, 'KD202').message).toMatch(/kdumpctl status/)
    expect(finding(r, 'KD603').status).toBe('pass')
    expect(r.verdict).not.toBe('NOT_READY')
  })

  it('"current state: ready to kdump" (Ubuntu\'s documentation): KD202 passes, KD603 finds agreement', async () => {
    const r = judge(await readSnapshot(path.join(corpus, 'ubuntu-doc-kdump-config-ready', 'snapshot')))
    expect(r.host.role).toMatch(/^Linux without Xen/)
    expect(finding(r, 'KD202').status).toBe('pass')
    expect(finding(r, 'KD603').status).toBe('pass')
  })

  it('natively, "Not ready to kdump" is the flag\'s 0: no capture kernel loaded', async () => {
    const s = await fixture('baremetal-good-rhel9', {
      files: {'/sys/kernel/kexec_crash_loaded': null},
      probes: {'kexec-status': null, 'kdumpctl-status': {out: 'Kdump is not operational\n', exit: 3}},
    })
    expect(finding(judge(s), 'KD202').status).toBe('fail')
  })

  it('on a pvops dom0 "ready to kdump" proves nothing about Xen: KD202 does not pass on it', async () => {
    const s = await fixture('good-pvops-debian12', {
      files: {'/sys/kernel/kexec_crash_loaded': null},
      probes: {'kexec-status': null, 'kdump-config-status': {out: 'current state   : ready to kdump\n', exit: 0}},
    })
    expect(finding(judge(s), 'KD202').status).not.toBe('pass')
  })

  it('with a Xen witness lost, an unknown role does not believe the kernel flag', async () => {
    const s = await readSnapshot(path.join(corpus, 'centos7-kdumpctl-operational-guide', 'snapshot'))
    const lost = await fixture('baremetal-good-rhel9', {
      files: Object.fromEntries((await fixture('baremetal-good-rhel9')).filePaths.map((p) => [p, null])),
      probes: {'kdumpctl-status': {out: s.probe('kdumpctl-status')!.out, exit: 0}, 'kexec-status': null},
      errors: ['/proc/xen/capabilities: could not be read: Permission denied'],
    })
    expect(finding(judge(lost), 'KD202').status).toBe('unknown')
  })
})
