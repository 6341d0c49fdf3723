/**
 * The readers against input built to exhaust or fool them (issue 12, items 8 and 13): symlinked
 * directories that multiply a walk, devices and FIFOs where a snapshot should be, members nested
 * 20,000 directories deep, archives cut short, snapshot.json with the wrong types.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/errors.js'
import {snapshotFromRootArchive} from '../../src/sources/rootfs.js'
import {MAX_ENTRIES, readSnapshot} from '../../src/sources/snapshot-reader.js'
import {runCli} from '../helpers/cli.js'
import {writeSnapshotDir} from '../helpers/snapshot-builder.js'
import {tarBytes, tarGzBytes, type Member} from '../helpers/tar-writer.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-hostile-readers-'))
const isRoot = process.getuid?.() === 0
const META = {format: 'kdumpcheck-snapshot/1', hostname: 'h', collected_at: '2026-01-01T00:00:00Z', kind: 'runtime', collector: 'test', errors: []}

function put(name: string, bytes: Buffer): string {
  const file = path.join(work, name)
  writeFileSync(file, bytes)
  return file
}

function oneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1)
}

describe('snapshot directory walk: bounded whatever the links', () => {
  it('16 levels of directories each linked twice to the next are walked once each, not 2^16 times', async () => {
    const dir = writeSnapshotDir({files: {'/etc/kdump.conf': 'path /var/crash\n'}})
    const base = path.join(dir, 'files/chain')
    for (let i = 0; i <= 16; i++) mkdirSync(path.join(base, `d${i}`), {recursive: true})
    writeFileSync(path.join(base, 'd16/leaf'), 'x\n')
    for (let i = 0; i < 16; i++) {
      symlinkSync(`../d${i + 1}`, path.join(base, `d${i}`, 'a'))
      symlinkSync(`../d${i + 1}`, path.join(base, `d${i}`, 'b'))
    }
    const snapshot = await readSnapshot(dir)
    // Every directory is read once, by device and inode: the leaf is reached by one path, not 65,536.
    expect(snapshot.filePaths.filter((p) => p.endsWith('/leaf'))).toHaveLength(1)
    expect(snapshot.file('/etc/kdump.conf')?.text).toBe('path /var/crash\n')
  })

  it('a link back to an ancestor is no loop', async () => {
    const dir = writeSnapshotDir({files: {'/etc/kdump.conf': 'path /var/crash\n'}})
    symlinkSync('..', path.join(dir, 'files/etc/up'))
    const snapshot = await readSnapshot(dir)
    expect(snapshot.filePaths).toEqual(['/etc/kdump.conf'])
  })

  it(`more than ${MAX_ENTRIES} archive members is not a snapshot`, async () => {
    const many: Member[] = [{name: 'snapshot.json', data: JSON.stringify(META)}]
    for (let i = 0; i <= MAX_ENTRIES; i++) many.push({name: `files/m/${i}`, type: 'dir'})
    await expect(readSnapshot(put('many.tar.gz', tarGzBytes(many)))).rejects.toThrow(`more than ${MAX_ENTRIES} members, not a snapshot`)
  })
})

describe('sources that are not a regular file or a directory are refused at once', () => {
  it('a FIFO given to --snapshot and --root ends with exit 2 and one line', () => {
    const fifo = path.join(work, 'snap.fifo')
    execFileSync('mkfifo', [fifo])
    for (const flag of ['--snapshot', '--root']) {
      const {status, stderr} = runCli(['check', flag, fifo])
      expect(status, `${flag}: ${stderr}`).toBe(2)
      oneLine(stderr)
    }
    expect(runCli(['check', '--snapshot', fifo]).stderr).toMatch(/a FIFO, not a snapshot/)
  })

  it.runIf(isRoot)('a character device that never ends (a private copy of /dev/zero) ends with exit 2', () => {
    const zero = path.join(work, 'zero')
    execFileSync('mknod', [zero, 'c', '1', '5'])
    const snap = runCli(['check', '--snapshot', zero])
    expect(snap.status).toBe(2)
    expect(snap.stderr).toMatch(/a character device, not a snapshot/)
    oneLine(snap.stderr)
    const root = runCli(['check', '--root', zero])
    expect(root.status).toBe(2)
    oneLine(root.stderr)
  })
})

describe('archives nested deep or cut short', () => {
  const deepName = `${Array(20_000).fill('d').join('/')}/f`

  it('a snapshot member 20,000 directories deep is an input error, not a stack overflow', async () => {
    const file = put('deep-snapshot.tar.gz', tarGzBytes([{name: 'snapshot.json', data: JSON.stringify(META)}, {name: deepName, data: 'x'}]))
    const {status, stderr} = runCli(['check', '--snapshot', file])
    expect(status).toBe(2)
    expect(stderr).toMatch(/nested more than 64 directories deep/)
    oneLine(stderr)
  })

  it('an image member 20,000 directories deep is read without recursion (and skipped: longer than PATH_MAX)', async () => {
    const file = put('deep-image.tar.gz', tarGzBytes([{name: 'etc/hostname', data: 'deep\n'}, {name: deepName, data: 'x'}]))
    const snapshot = await snapshotFromRootArchive(file)
    expect(snapshot.meta.hostname).toBe('deep')
    expect(snapshot.meta.errors.join('\n')).toMatch(/longer than 4096 bytes/)
    const {status, stderr} = runCli(['check', '--root', file])
    expect(stderr).not.toMatch(/internal error/)
    expect([1, 3]).toContain(status)
  })

  it('an image member chain 2,000 deep (within PATH_MAX) is counted without recursion', async () => {
    const name = `${Array(2000).fill('d').join('/')}/f`
    const file = put('deep2-image.tar', tarBytes([{name: 'etc/hostname', data: 'deep\n'}, {name, data: 'x'}]))
    const snapshot = await snapshotFromRootArchive(file)
    expect(snapshot.meta.hostname).toBe('deep')
  })

  const members: Member[] = [
    {name: 'snapshot.json', data: JSON.stringify(META)},
    {name: 'files/proc/cmdline', data: 'ro crashkernel=256M\n'},
    {name: 'files/etc/sysctl.d/99-panic.conf', data: 'kernel.panic_on_oops = 0\n'},
  ]

  it('a .tar.gz cut at a member boundary (no end-of-archive marker) is reported as truncated', async () => {
    const cut = put('cut.tar.gz', tarGzBytes(members.slice(0, 2), {end: false}))
    const error = await readSnapshot(cut).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(/truncated: the archive ends after 2 members without tar's end-of-archive marker/)
    const {status, stderr} = runCli(['check', '--snapshot', cut])
    expect(status).toBe(2)
    oneLine(stderr)
  })

  it('a .tar.gz whose gzip stream stops early is reported as truncated', async () => {
    const whole = tarGzBytes(members)
    const cut = put('cut-gzip.tar.gz', whole.subarray(0, whole.length - 12))
    await expect(readSnapshot(cut)).rejects.toThrow(/truncated/)
  })

  it('the complete archive still reads', async () => {
    const snapshot = await readSnapshot(put('whole.tar.gz', tarGzBytes(members)))
    expect(snapshot.file('/proc/cmdline')?.text).toBe('ro crashkernel=256M\n')
  })

  it('a rootfs tarball cut at a member boundary is reported as truncated, not read as an image without those files', async () => {
    const image: Member[] = [
      {name: 'etc/hostname', data: 'img\n'},
      {name: 'etc/sysctl.d/10-oops.conf', data: 'kernel.panic_on_oops = 1\n'},
      {name: 'etc/sysctl.d/99-late.conf', data: 'kernel.panic_on_oops = 0\n'},
    ]
    const cut = put('cut-image.tar', tarBytes(image.slice(0, 2), {end: false}))
    await expect(snapshotFromRootArchive(cut)).rejects.toThrow(/truncated/)
    const {status, stderr} = runCli(['check', '--root', cut])
    expect(status).toBe(2)
    oneLine(stderr)
  })
})

describe('snapshot.json with the wrong types is an input error, not silently defaulted', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a number for hostname', {...META, hostname: 42}, /"hostname" must be a string, found a number/],
    ['a string for errors', {...META, errors: '/etc/kdump.conf: Permission denied'}, /"errors" must be a list of strings, found a string/],
    ['a number among errors', {...META, errors: ['ok', 7]}, /"errors"\[1\] must be a string, found a number/],
    ['an object for collected_at', {...META, collected_at: {}}, /"collected_at" must be a string, found an object/],
    ['null for collector', {...META, collector: null}, /"collector" must be a string, found null/],
  ]
  it.each(cases)('%s', async (_label, meta, message) => {
    const dir = writeSnapshotDir({meta})
    await expect(readSnapshot(dir)).rejects.toThrow(message)
    const {status, stderr} = runCli(['check', '--snapshot', dir])
    expect(status).toBe(2)
    expect(stderr).toMatch(message)
    oneLine(stderr)
  })

  it('absent optional fields still read as empty (outside tools write minimal metadata)', async () => {
    const snapshot = await readSnapshot(writeSnapshotDir({meta: {format: 'kdumpcheck-snapshot/1', kind: 'runtime'}}))
    expect(snapshot.meta).toMatchObject({hostname: '', errors: []})
  })
})
