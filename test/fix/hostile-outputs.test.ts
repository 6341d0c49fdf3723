/**
 * `kdumpcheck fix --root TARBALL -o OUT` where OUT is no regular file: a FIFO (a reader takes the
 * stream) or standard output (`-o /dev/stdout | tar t`). The tarball reaches the reader whole and
 * alone (the report goes to standard error), and fix says it could not judge the stream again,
 * instead of failing with exit 2 after it had delivered the tarball.
 */
import {spawn, spawnSync} from 'node:child_process'
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {CLI, runCli} from '../helpers/cli.js'
import {REPO} from './discover.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-fix-out-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

function brokenTarball(): string {
  const root = path.join(work, 'root')
  cpSync(path.join(REPO, 'fixtures/hosts/image-debian12-xen-generated-broken/files'), root, {recursive: true})
  const tar = path.join(work, 'image.tar')
  expect(spawnSync('tar', ['-C', root, '-cf', tar, '.']).status).toBe(0)
  return tar
}

/** The member names of a tar stream, by GNU tar; throws on anything but a clean archive. */
function members(bytes: Buffer): string[] {
  const r = spawnSync('tar', ['-tf', '-', '--warning=all'], {input: bytes, encoding: 'utf8'})
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return r.stdout.split('\n').filter(Boolean).sort()
}

describe('fix -o into a stream', () => {
  it('-o /dev/stdout: standard output is the repaired tarball and nothing else; the report is on stderr', () => {
    const tar = brokenTarball()
    const r = spawnSync(process.execPath, [CLI, 'fix', '--root', tar, '-o', '/dev/stdout'], {env: {...process.env, NODE_ENV: 'production'}, timeout: 120_000})
    expect(r.status, r.stderr.toString()).toBe(1)
    const out = r.stdout
    expect(out.includes(Buffer.from('Fixed in the image:'))).toBe(false)
    // A tar stream ends in zero blocks: no text after them.
    expect(out.subarray(-1024).every((b) => b === 0)).toBe(true)
    // Files fix writes into this image (it leaves the service's boot link alone: whether a preset enables it at first boot is unknown, KD300).
    expect(members(out)).toEqual(expect.arrayContaining(['./etc/default/kdump-tools', './etc/sysctl.d/90-kdump.conf']))
    expect(r.stderr.toString()).toMatch(/Fixed in the image:/)
  }, 150_000)

  it('-o FIFO: the reader gets the tarball, fix exits 1 and says the stream was not judged again', async () => {
    const tar = brokenTarball()
    const fifo = path.join(work, 'out.fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const reader = spawn('cat', [fifo])
    const chunks: Buffer[] = []
    reader.stdout.on('data', (c: Buffer) => chunks.push(c))
    const done = new Promise<void>((resolve) => reader.on('close', () => resolve()))
    const r = runCli(['fix', '--root', tar, '-o', fifo])
    await done
    expect(r.status, r.stderr).toBe(1)
    expect(r.stdout).toMatch(/is not a regular file \(the tarball was streamed into it\): not judged again/)
    expect(members(Buffer.concat(chunks))).toContain('./etc/default/kdump-tools')
    expect(readFileSync(tar).length).toBeGreaterThan(0)
  }, 150_000)
})
