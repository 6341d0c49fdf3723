/**
 * `scan --keep-snapshots DIR` file names and writes: a host name from an inventory (which anyone who
 * edits it controls) never leaves DIR, never hides a file, never collides with another host's name;
 * a link in DIR or DIR itself being a link is refused; the newer of snapshot and marker wins.
 */
import {existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {snapshotFileName, SnapshotKeeper} from '../../src/scan/keep.js'
import type {HostResult} from '../../src/scan/result.js'

describe('snapshotFileName', () => {
  it('keeps ordinary names as they are', () => {
    for (const name of ['dom0-01', 'dom0-01.fra1.example.net', 'root@10.0.0.7']) expect(snapshotFileName(name)).toBe(name)
  })

  it('makes hostile names plain, visible and distinct', () => {
    const names = ['../x', 'x/../../etc/passwd', '.hidden', 'a/b', 'a_b', 'a\nb', 'a_b\n', '', '..', 'x'.repeat(400)]
    const files = names.map(snapshotFileName)
    for (const file of files) {
      expect(file).not.toMatch(/[/\n\0]/)
      expect(file.startsWith('.')).toBe(false)
      expect(file.length).toBeLessThanOrEqual(230)
    }
    expect(new Set(files).size).toBe(names.length)
  })
})

describe('SnapshotKeeper', () => {
  const result = (host: string): HostResult =>
    ({schema: 'kdumpcheck-scan-result/1', host, target: `ssh:${host}`, groups: [], status: 'unreachable', verdict: 'UNVERIFIED', exit_code: 3, failure: 'refused', reason: 'Connection refused\nsecond line', started_at: '', duration_ms: 0}) as HostResult

  it('creates DIR, writes NAME.tar.gz (0600) and NAME.unreachable (one line), and the newer replaces the older', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-keep-')), 'kept')
    const keeper = await SnapshotKeeper.open(dir)
    expect(await keeper.keep('dom0-01', new Uint8Array([0x1f, 0x8b]))).toBe(path.join(dir, 'dom0-01.tar.gz'))
    expect(lstatSync(path.join(dir, 'dom0-01.tar.gz')).mode & 0o777).toBe(0o600)
    await keeper.unreachable(result('dom0-01'))
    expect(readdirSync(dir)).toEqual(['dom0-01.unreachable'])
    expect(readFileSync(path.join(dir, 'dom0-01.unreachable'), 'utf8')).toBe('refused: Connection refused second line\n')
    await keeper.keep('dom0-01', new Uint8Array([0x1f, 0x8b]))
    expect(readdirSync(dir)).toEqual(['dom0-01.tar.gz'])
    await keeper.keep('../../escape', new Uint8Array([1]))
    expect(readdirSync(path.dirname(dir)).sort()).toEqual(['kept'])
    await keeper.close()
  })

  it('refuses DIR as a link, and a link planted at a host name', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'kdc-keep-'))
    mkdirSync(path.join(base, 'real'))
    symlinkSync(path.join(base, 'real'), path.join(base, 'link'))
    await expect(SnapshotKeeper.open(path.join(base, 'link'))).rejects.toThrow(/is a symbolic link/)
    writeFileSync(path.join(base, 'victim'), 'precious')
    symlinkSync(path.join(base, 'victim'), path.join(base, 'real', 'dom0-02.tar.gz'))
    const keeper = await SnapshotKeeper.open(path.join(base, 'real'))
    await expect(keeper.keep('dom0-02', new Uint8Array([1]))).rejects.toThrow(/symbolic link/)
    expect(readFileSync(path.join(base, 'victim'), 'utf8')).toBe('precious')
    expect(existsSync(path.join(base, 'real', 'dom0-02.unreachable'))).toBe(false)
    await keeper.close()
  })
})
