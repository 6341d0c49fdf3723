/**
 * The module compile cache bin/run.js turns on (Node 22+): where it goes, that it is used only in a directory
 * nobody else controls (root runs this tool; /tmp is shared), and that any failure to use it changes nothing a
 * user sees.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {compileCacheDirectory, safeCacheDirectory} from '../../src/cli/compile-cache.js'
import {repoRoot, runCli} from '../helpers/cli.js'

const hasCompileCache = Number(process.versions.node.split('.')[0]) >= 22
const uid = process.geteuid!()
const isRoot = uid === 0
const fixture = path.join(repoRoot, 'fixtures/hosts/good-pvops-debian12')
const made: string[] = []

function tempDir(mode = 0o700): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdc-cc-'))
  chmodSync(dir, mode)
  made.push(dir)
  return dir
}

/** Every file under dir, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
})

describe('compileCacheDirectory', () => {
  it('uses $XDG_CACHE_HOME/kdumpcheck, else a per-user directory in the temp dir', () => {
    expect(compileCacheDirectory({XDG_CACHE_HOME: '/home/ops/.cache'}, 1000, '/tmp')).toBe('/home/ops/.cache/kdumpcheck')
    expect(compileCacheDirectory({}, 1000, '/tmp')).toBe('/tmp/kdumpcheck-1000')
    expect(compileCacheDirectory({}, 0, '/var/tmp')).toBe('/var/tmp/kdumpcheck-0')
  })

  it('ignores a relative or empty XDG_CACHE_HOME (the XDG spec says so) and gives up without a uid', () => {
    expect(compileCacheDirectory({XDG_CACHE_HOME: 'cache'}, 1000, '/tmp')).toBe('/tmp/kdumpcheck-1000')
    expect(compileCacheDirectory({XDG_CACHE_HOME: ''}, 1000, '/tmp')).toBe('/tmp/kdumpcheck-1000')
    expect(compileCacheDirectory({}, undefined, '/tmp')).toBeUndefined()
  })
})

describe('safeCacheDirectory', () => {
  it('creates a missing directory with mode 0700', () => {
    const base = tempDir()
    const result = safeCacheDirectory(path.join(base, 'kdumpcheck'), uid)
    expect(result).toEqual({directory: path.join(base, 'kdumpcheck')})
    expect(statSync(path.join(base, 'kdumpcheck')).mode & 0o7777).toBe(0o700)
  })

  it('refuses a symlink planted where the directory goes, and writes nothing through it', () => {
    const base = tempDir(0o1777)
    const victim = tempDir()
    symlinkSync(victim, path.join(base, `kdumpcheck-${uid}`))
    expect(safeCacheDirectory(path.join(base, `kdumpcheck-${uid}`), uid)).toEqual({unsafe: expect.stringContaining('symbolic link')})
    expect(readdirSync(victim)).toEqual([])
  })

  it('refuses a file, and a directory others can write to', () => {
    const base = tempDir()
    writeFileSync(path.join(base, 'file'), '')
    expect(safeCacheDirectory(path.join(base, 'file'), uid)).toEqual({unsafe: expect.stringContaining('not a directory')})
    mkdirSync(path.join(base, 'open'))
    chmodSync(path.join(base, 'open'), 0o777)
    expect(safeCacheDirectory(path.join(base, 'open'), uid)).toEqual({unsafe: expect.stringContaining('writable by group or others')})
  })

  it.skipIf(!isRoot)('refuses a directory another user made first (as in a shared /tmp)', () => {
    const base = tempDir(0o1777)
    mkdirSync(path.join(base, 'kdumpcheck-0'), {mode: 0o700})
    chownSync(path.join(base, 'kdumpcheck-0'), 65534, 65534)
    expect(safeCacheDirectory(path.join(base, 'kdumpcheck-0'), 0)).toEqual({unsafe: expect.stringContaining('owned by uid 65534')})
  })

  it('refuses, before creating anything, a parent others can write to without the sticky bit', () => {
    const base = tempDir(0o777)
    expect(safeCacheDirectory(path.join(base, 'kdumpcheck'), uid)).toEqual({unsafe: expect.stringContaining('not sticky')})
    expect(existsSync(path.join(base, 'kdumpcheck'))).toBe(false)
  })

  it('accepts a sticky world-writable parent like /tmp', () => {
    const base = tempDir(0o1777)
    expect(safeCacheDirectory(path.join(base, 'kdumpcheck-1'), uid)).toEqual({directory: path.join(base, 'kdumpcheck-1')})
  })

  it.skipIf(!isRoot)('as root, refuses a cache home another user owns (sudo -E keeps their XDG_CACHE_HOME)', () => {
    const home = tempDir()
    chownSync(home, 65534, 65534)
    expect(safeCacheDirectory(path.join(home, 'kdumpcheck'), 0)).toEqual({unsafe: expect.stringContaining('owned by uid 65534')})
    expect(existsSync(path.join(home, 'kdumpcheck'))).toBe(false)
  })

  it('creates a missing $XDG_CACHE_HOME with mode 0700 (the XDG spec), and resolves symlinks in the existing part', () => {
    const base = tempDir()
    expect(safeCacheDirectory(path.join(base, 'home', '.cache', 'kdumpcheck'), uid)).toEqual({directory: path.join(base, 'home', '.cache', 'kdumpcheck')})
    for (const d of ['home', 'home/.cache', 'home/.cache/kdumpcheck']) expect(statSync(path.join(base, d)).mode & 0o7777).toBe(0o700)
    mkdirSync(path.join(base, 'real'))
    symlinkSync(path.join(base, 'real'), path.join(base, 'link'))
    expect(safeCacheDirectory(path.join(base, 'link', 'kdumpcheck'), uid)).toEqual({directory: path.join(base, 'real', 'kdumpcheck')})
  })

  it('refuses a dangling symlink on the way, creating nothing', () => {
    const base = tempDir()
    symlinkSync(path.join(base, 'nowhere'), path.join(base, 'cache'))
    expect(safeCacheDirectory(path.join(base, 'cache', 'kdumpcheck'), uid)).toEqual({unsafe: expect.stringContaining('ENOENT')})
    expect(existsSync(path.join(base, 'nowhere'))).toBe(false)
  })

  it('refuses when another user wins the race to a missing directory in a sticky /tmp with a link (checked again after mkdir)', () => {
    const tmp = tempDir(0o1777)
    const elsewhere = tempDir()
    const racing = (directory: string): void => {
      // Between the ancestor checks and the mkdir, someone makes XDG_CACHE_HOME (/tmp/cache) a link of theirs.
      symlinkSync(elsewhere, path.join(tmp, 'cache'))
      mkdirSync(directory, {recursive: true, mode: 0o700})
    }
    expect(safeCacheDirectory(path.join(tmp, 'cache', 'kdumpcheck'), uid, racing)).toEqual({unsafe: expect.stringContaining(`${path.join(tmp, 'cache')} is not a directory`)})
  })

  it.skipIf(!isRoot)('as root, refuses when another user wins the race with a directory of their own (they could swap what is below)', () => {
    const tmp = tempDir(0o1777)
    const racing = (directory: string): void => {
      mkdirSync(path.join(tmp, 'cache'), {mode: 0o755})
      chownSync(path.join(tmp, 'cache'), 65534, 65534)
      mkdirSync(directory, {recursive: true, mode: 0o700})
    }
    expect(safeCacheDirectory(path.join(tmp, 'cache', 'kdumpcheck'), 0, racing)).toEqual({unsafe: expect.stringContaining('owned by uid 65534')})
  })

  it.skipIf(!isRoot)('as root, creates nothing below a missing directory in a tree another user owns', () => {
    const home = tempDir()
    chownSync(home, 65534, 65534)
    expect(safeCacheDirectory(path.join(home, '.cache', 'kdumpcheck'), 0)).toEqual({unsafe: expect.stringContaining('owned by uid 65534')})
    expect(existsSync(path.join(home, '.cache'))).toBe(false)
  })
})

describe('the CLI with the compile cache', () => {
  const reference = runCli(['check', '--snapshot', fixture], {env: {NODE_DISABLE_COMPILE_CACHE: '1'}})

  it.runIf(hasCompileCache)('fills $XDG_CACHE_HOME/kdumpcheck on Node 22+, and gives the same answer from the cache', () => {
    const xdg = tempDir()
    const first = runCli(['check', '--snapshot', fixture], {env: {XDG_CACHE_HOME: xdg}})
    const files = filesUnder(path.join(xdg, 'kdumpcheck'))
    expect(files.length).toBeGreaterThan(3)
    expect(files.every((f) => f.startsWith(`v${process.versions.node}-`))).toBe(true)
    expect(statSync(path.join(xdg, 'kdumpcheck')).mode & 0o777).toBe(0o700)
    const second = runCli(['check', '--snapshot', fixture], {env: {XDG_CACHE_HOME: xdg}})
    for (const run of [first, second]) expect(run).toEqual(reference)
  })

  it.runIf(!hasCompileCache)('creates nothing on Node 20, which has no compile cache', () => {
    const xdg = tempDir()
    expect(runCli(['check', '--snapshot', fixture], {env: {XDG_CACHE_HOME: xdg}})).toEqual(reference)
    expect(readdirSync(xdg)).toEqual([])
  })

  it.runIf(hasCompileCache)('ignores a torn or garbage cache', () => {
    const xdg = tempDir()
    runCli(['check', '--snapshot', fixture], {env: {XDG_CACHE_HOME: xdg}})
    const dir = path.join(xdg, 'kdumpcheck')
    const files = filesUnder(dir)
    expect(files.length).toBeGreaterThan(0)
    files.forEach((f, i) => writeFileSync(path.join(dir, f), i % 2 ? '' : 'garbage'.repeat(100)))
    expect(runCli(['check', '--snapshot', fixture], {env: {XDG_CACHE_HOME: xdg}})).toEqual(reference)
  })

  it('runs as usual, writing nothing, when another user planted a symlink at the temp-dir cache path', () => {
    const tmp = tempDir(0o1777)
    const victim = tempDir()
    symlinkSync(victim, path.join(tmp, `kdumpcheck-${uid}`))
    const env = {TMPDIR: tmp, XDG_CACHE_HOME: ''}
    expect(runCli(['check', '--snapshot', fixture], {env})).toEqual(reference)
    expect(readdirSync(victim)).toEqual([])
  })

  const unshare = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p))
  it.runIf(isRoot && unshare !== undefined)('runs as usual on a read-only cache directory, filled or empty', () => {
    const filled = tempDir()
    runCli(['check', '--snapshot', fixture], {env: {XDG_CACHE_HOME: filled}})
    const before = filesUnder(filled)
    const empty = tempDir()
    for (const xdg of [filled, empty]) {
      // A private mount namespace: the read-only bind mount is seen by this one command only.
      const script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
      const result = spawnSync(unshare!, ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', xdg, process.execPath, path.join(repoRoot, 'bin/run.js'), 'check', '--snapshot', fixture], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', XDG_CACHE_HOME: xdg},
        timeout: 60_000,
      })
      expect({status: result.status, stdout: result.stdout, stderr: result.stderr}).toEqual(reference)
    }
    expect(filesUnder(filled)).toEqual(before)
    expect(readdirSync(empty)).toEqual([])
  })
})
