import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/errors.js'
import {FILE_CAP_BYTES, readSnapshot} from '../../src/sources/snapshot-reader.js'
import {writeSnapshotDir} from '../helpers/snapshot-builder.js'

const sample = {
  files: {'/proc/cmdline': 'ro root=/dev/sda1 crashkernel=256M\n', '/etc/kdump.conf': 'path /var/crash\n'},
  probes: {
    'kexec-status': {out: '', err: '', exit: '1'},
    'xl-info': {out: 'host : x\n', exit: 'missing'},
    'xl-dmesg': {out: 'partial', exit: 'timeout'},
  },
}

describe('readSnapshot', () => {
  it('reads files by host path and probes with their exit status', async () => {
    const snapshot = await readSnapshot(writeSnapshotDir(sample))
    expect(snapshot.meta.hostname).toBe('test')
    expect(snapshot.kind).toBe('runtime')
    expect(snapshot.file('/proc/cmdline')?.text).toBe('ro root=/dev/sda1 crashkernel=256M\n')
    expect(snapshot.file('/etc/fstab')).toBeUndefined()
    expect(snapshot.probe('kexec-status')?.exit).toEqual({kind: 'exited', code: 1})
    expect(snapshot.probe('xl-info')?.exit).toEqual({kind: 'missing'})
    expect(snapshot.probe('xl-dmesg')).toMatchObject({out: 'partial', exit: {kind: 'timeout'}})
    expect(snapshot.ranProbe('xl-dmesg')).toBeUndefined()
  })

  it('reads the same tree from a .tar.gz, with or without a top directory', async () => {
    const dir = writeSnapshotDir(sample)
    const out = mkdtempSync(path.join(tmpdir(), 'kdc-tar-'))
    const flat = path.join(out, 'flat.tar.gz')
    execFileSync('tar', ['czf', flat, '-C', dir, '.'])
    const nested = path.join(out, 'nested.tar.gz')
    execFileSync('tar', ['czf', nested, '-C', path.dirname(dir), path.basename(dir)])
    for (const archive of [flat, nested]) {
      const snapshot = await readSnapshot(archive)
      expect(snapshot.file('/etc/kdump.conf')?.text).toBe('path /var/crash\n')
      expect(snapshot.probe('kexec-status')?.exit).toEqual({kind: 'exited', code: 1})
    }
  })

  it('caps a huge file instead of reading it whole', async () => {
    const dir = writeSnapshotDir({files: {'/var/log/huge': ''}})
    execFileSync('truncate', ['-s', '5G', path.join(dir, 'files/var/log/huge')])
    const snapshot = await readSnapshot(dir)
    const huge = snapshot.file('/var/log/huge')
    expect(huge?.truncated).toBe(true)
    expect(huge?.text.length).toBe(FILE_CAP_BYTES)
  })

  const rejects: Array<[string, () => string, RegExp]> = [
    ['a missing snapshot.json', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kdc-'))
      mkdirSync(path.join(dir, 'files'))
      return dir
    }, /snapshot\.json is missing/],
    ['malformed JSON', () => writeSnapshotDir({meta: '{"format": "kdumpcheck-snap'}), /snapshot\.json: not valid JSON/],
    ['an unknown format version', () => writeSnapshotDir({meta: {format: 'kdumpcheck-snapshot/9', kind: 'runtime'}}), /format "kdumpcheck-snapshot\/9" is not supported/],
    ['a bad kind', () => writeSnapshotDir({meta: {format: 'kdumpcheck-snapshot/1', kind: 'live'}}), /"kind" must be/],
    ['a bad exit status', () => writeSnapshotDir({probes: {uname: {out: 'x', exit: 'crashed'}}}), /commands\/uname\.exit: expected an exit status/],
    ['a symlink out of the snapshot', () => {
      const dir = writeSnapshotDir({})
      mkdirSync(path.join(dir, 'files/etc'), {recursive: true})
      symlinkSync('/etc/passwd', path.join(dir, 'files/etc/kdump.conf'))
      return dir
    }, /files\/etc\/kdump\.conf: points outside the snapshot/],
    ['a path that does not exist', () => '/nonexistent/kdc-snapshot', /no such snapshot/],
    ['a file that is not an archive', () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-')), 'junk.tar.gz')
      writeFileSync(file, 'this is not gzip at all, just text\n'.repeat(40))
      return file
    }, /not a readable tar\.gz archive/],
  ]

  it.each(rejects)('rejects %s with an InputError naming the problem', async (_label, make, message) => {
    const location = make()
    const error = await readSnapshot(location).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(message)
  })

  it('rejects an archive member that climbs out with ..', async () => {
    // GNU tar strips leading ../ when creating, so the hostile archive is built with Python's tarfile.
    const work = mkdtempSync(path.join(tmpdir(), 'kdc-'))
    const archive = path.join(work, 'evil.tar.gz')
    const script = [
      'import io, sys, tarfile',
      'with tarfile.open(sys.argv[1], "w:gz") as t:',
      '  for name, data in (("snapshot.json", b\'{"format":"kdumpcheck-snapshot/1","kind":"runtime"}\'), ("files/../../evil", b"x")):',
      '    info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))',
    ].join('\n')
    execFileSync('python3', ['-c', script, archive])
    await expect(readSnapshot(archive)).rejects.toThrow(/files\/\.\.\/\.\.\/evil: path outside the snapshot/)
  })
})
