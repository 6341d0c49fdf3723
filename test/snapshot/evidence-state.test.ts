/** snapshot.json's errors, parsed once into per-path and per-probe states (src/snapshot/evidence-state.ts). */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {EvidenceStates, parseSnapshotError} from '../../src/snapshot/evidence-state.js'
import {Snapshot, type ProbeResult, type SnapshotFile} from '../../src/snapshot/snapshot.js'
import {snapshotFromRoot} from '../../src/sources/rootfs.js'

// As collector/kdumpcheck-collect.sh (kdc_error) and src/sources/rootfs.ts phrase them.
const COLLECTOR = [
  '/proc/sys/kernel/panic_on_oops: could not be read: Permission denied',
  '/proc/iomem: could not be read: timed out after 5 s',
  '/etc/kdump.conf: not a regular file, not read',
  '/boot/grub/grub.cfg: a symlink that does not resolve (dangling or a loop), not read',
  '/var/lib/kdump/vmcore-creation.status: not read, the 60 s deadline had passed',
  '/boot/config-6.1.0-50-amd64: larger than 4194304 bytes, only the first 4194304 bytes were kept',
  'commands/xl-dmesg.out: larger than 4194304 bytes, only the first 4194304 bytes were kept',
  'probe xl-info (xl info): timed out after 10 s',
  'probe kdumpctl-status (kdumpctl status): not run, the 60 s deadline had passed',
]
const ROOTFS = [
  '/etc/sysctl.d/*.conf: too many matches, only the first 512 were read',
  '/etc/default/kdump-tools: resolves to /srv/fifo, a FIFO, not a regular file, not read',
  '/etc/fstab: a symlink that does not resolve inside the image (/x: No such file or directory), not read',
  '/boot/grub/grubenv: not read: the evidence from this image already fills 64 MiB',
  '/etc/os-release: a symlink loop or a chain of more than 40 symlinks, not read',
]

function snapshot(errors: string[], files: Record<string, string> = {}, probes: ProbeResult[] = []): Snapshot {
  const fileMap = new Map<string, SnapshotFile>(Object.entries(files).map(([path, text]) => [path, {path, text, truncated: false}]))
  const meta = {format: 'kdumpcheck-snapshot/1', hostname: 'h', collected_at: '', kind: 'runtime' as const, collector: 't', errors}
  return new Snapshot(meta, fileMap, new Map(probes.map((p) => [p.name, p])), 'test')
}

describe('parseSnapshotError', () => {
  it('reads every form the collector and the image reader write', () => {
    for (const line of [...COLLECTOR, ...ROOTFS]) expect(parseSnapshotError(line).kind, line).not.toBe('unparsed')
    expect(parseSnapshotError(COLLECTOR[0]!)).toMatchObject({kind: 'file', path: '/proc/sys/kernel/panic_on_oops', effect: 'unreadable', reason: 'Permission denied', timedOut: false})
    expect(parseSnapshotError(COLLECTOR[1]!)).toMatchObject({kind: 'file', path: '/proc/iomem', timedOut: true})
    expect(parseSnapshotError(COLLECTOR[5]!)).toMatchObject({kind: 'file', effect: 'truncated'})
    expect(parseSnapshotError(COLLECTOR[7]!)).toMatchObject({kind: 'probe', probe: 'xl-info', effect: 'timed-out'})
    expect(parseSnapshotError(COLLECTOR[8]!)).toMatchObject({kind: 'probe', probe: 'kdumpctl-status', effect: 'not-run'})
    expect(parseSnapshotError(ROOTFS[0]!)).toMatchObject({kind: 'glob', pattern: '/etc/sysctl.d/*.conf'})
  })

  it('finds the path even when it holds ": "', () => {
    expect(parseSnapshotError('/etc/sysctl.d/a: b.conf: could not be read: Permission denied')).toMatchObject({path: '/etc/sysctl.d/a: b.conf', reason: 'Permission denied'})
  })

  it('keeps a line in no known form as unparsed, and never throws', () => {
    expect(parseSnapshotError('something odd happened to /proc/sys/kernel/panic')).toEqual({kind: 'unparsed', raw: 'something odd happened to /proc/sys/kernel/panic'})
    expect(parseSnapshotError('/proc/cmdline: exploded')).toMatchObject({kind: 'unparsed'})
    fc.assert(fc.property(fc.string(), (s) => typeof parseSnapshotError(s).kind === 'string'))
  })
})

describe('Snapshot.fileState', () => {
  it("does not take panic_on_oops's error for panic (the substring bug)", () => {
    const s = snapshot([COLLECTOR[0]!])
    expect(s.fileState('/proc/sys/kernel/panic')).toEqual({state: 'absent'})
    expect(s.fileState('/proc/sys/kernel/panic_on_oops')).toMatchObject({state: 'unreadable', reason: 'Permission denied'})
  })

  it('says present, truncated when the collector cut the file', () => {
    const s = snapshot([COLLECTOR[5]!], {'/boot/config-6.1.0-50-amd64': 'CONFIG_X=y\n', '/proc/cmdline': 'ro\n'})
    expect(s.fileState('/boot/config-6.1.0-50-amd64')).toEqual({state: 'present', truncated: true})
    expect(s.fileState('/proc/cmdline')).toEqual({state: 'present', truncated: false})
  })

  it('treats a file a cut-short glob may have missed as unreadable, not absent', () => {
    const s = snapshot([ROOTFS[0]!])
    expect(s.fileState('/etc/sysctl.d/99-kdump.conf').state).toBe('unreadable')
    expect(s.fileState('/etc/sysctl.conf').state).toBe('absent')
  })

  it('is conservative with a line it cannot parse: the path it mentions is unreadable, never absent', () => {
    const s = snapshot(['the reader choked on /etc/kdump.conf somehow'])
    expect(s.fileState('/etc/kdump.conf')).toMatchObject({state: 'unreadable', reason: 'the reader choked on /etc/kdump.conf somehow'})
    expect(s.fileState('/etc/fstab').state).toBe('absent')
    expect(s.evidenceStates.unparsed).toEqual(['the reader choked on /etc/kdump.conf somehow'])
  })
})

describe('Snapshot.probeState', () => {
  it('tells ran, missing, timed out, not run and absent apart', () => {
    const probe = (name: string, exit: ProbeResult['exit']): ProbeResult => ({name, out: '', err: '', exit})
    const s = snapshot([COLLECTOR[7]!, COLLECTOR[8]!], {}, [
      probe('uname-r', {kind: 'exited', code: 0}),
      probe('xl-info', {kind: 'timeout'}),
      probe('kdumpctl-status', {kind: 'timeout'}),
      probe('rpm-q', {kind: 'missing'}),
    ])
    expect(s.probeState('uname-r')).toEqual({state: 'ran'})
    expect(s.probeState('xl-info')).toMatchObject({state: 'timed-out'})
    expect(s.probeState('kdumpctl-status')).toMatchObject({state: 'not-run'})
    expect(s.probeState('rpm-q')).toEqual({state: 'missing'})
    expect(s.probeState('xl-dmesg')).toEqual({state: 'absent'})
  })

  it('indexes the first error per path', () => {
    const states = new EvidenceStates(['/a: could not be read: EIO', '/a: could not be read: EACCES'])
    expect(states.file('/a', undefined)).toMatchObject({reason: 'EIO'})
  })
})

describe('errors the image reader really writes', () => {
  it('all parse, and each names the path it is about', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kdc-states-'))
    try {
      for (const dir of ['etc/default', 'etc/sysctl.d', 'boot/grub']) mkdirSync(path.join(root, dir), {recursive: true})
      execFileSync('mkfifo', [path.join(root, 'etc/default/kdump-tools')])
      symlinkSync('/nowhere', path.join(root, 'etc/fstab'))
      symlinkSync('loop-b', path.join(root, 'etc/os-release'))
      symlinkSync('os-release', path.join(root, 'etc/loop-b'))
      mkdirSync(path.join(root, 'etc/kdump.conf'))
      writeFileSync(path.join(root, 'etc/sysctl.conf'), 'kernel.panic = 10\n')
      const s = await snapshotFromRoot(root)
      expect(s.meta.errors.length).toBeGreaterThanOrEqual(4)
      expect(s.evidenceStates.unparsed).toEqual([])
      for (const p of ['/etc/default/kdump-tools', '/etc/fstab', '/etc/os-release', '/etc/kdump.conf']) expect(s.fileState(p).state, p).toBe('unreadable')
      expect(s.fileState('/etc/sysctl.conf').state).toBe('present')
      expect(s.fileState('/etc/redhat-release').state).toBe('absent')
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  })
})
