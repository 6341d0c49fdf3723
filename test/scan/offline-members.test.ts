/**
 * Issue 12 item 7: `scan --snapshots DIR` gives every member exactly one result line. A member that is
 * no usable snapshot (no snapshot.json, an empty directory, a dangling link, a FIFO, a link loop, an
 * unreadable entry, two snapshots for one host) is a host with status `error` and the reason, and the
 * summary counts it; a regular file whose name claims no host (README.txt) is not a member and is
 * named on stderr instead.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {CLI, repoRoot, runCli} from '../helpers/cli.js'

const FIXTURES = path.join(repoRoot, 'fixtures/hosts')

interface Output {
  summary: {planned: number; hosts: number; errors: number; unreachable: number; verdicts: Record<string, number>; exit_code: number}
  hosts: Array<{host: string; status: string; verdict: string; reason?: string; exit_code: number}>
}

function snapshotsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdc-members-'))
  chmodSync(dir, 0o755)
  cpSync(path.join(FIXTURES, 'good-pvops-debian12'), path.join(dir, 'good'), {recursive: true})
  mkdirSync(path.join(dir, 'no-json', 'files'), {recursive: true})
  writeFileSync(path.join(dir, 'no-json', 'files', 'x'), '')
  mkdirSync(path.join(dir, 'empty'))
  symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'))
  spawnSync('mkfifo', [path.join(dir, 'fifo.tar.gz')])
  symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'))
  symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'))
  cpSync(path.join(FIXTURES, 'incident-el5xen'), path.join(dir, 'twice'), {recursive: true})
  writeFileSync(path.join(dir, 'twice.tar.gz'), 'not even gzip')
  writeFileSync(path.join(dir, 'README.txt'), 'how these were collected')
  return dir
}

const EXPECTED_ERRORS: Record<string, RegExp> = {
  'no-json': /^a directory without snapshot\.json, not a snapshot$/,
  empty: /^an empty directory, not a snapshot$/,
  dangling: /^a dangling symbolic link$/,
  fifo: /^a FIFO, not a snapshot$/,
  'loop-a': /^a symbolic link loop$/,
  'loop-b': /^a symbolic link loop$/,
  twice: /^more than one snapshot for this host \(twice, twice\.tar\.gz\)$/,
}

describe('scan --snapshots: every member gets one result line', () => {
  it('records each unusable member as an error with its reason, and the summary counts every member', () => {
    const dir = snapshotsDir()
    const {status, stdout, stderr} = runCli(['scan', '--snapshots', dir, '--format', 'json'])
    expect(status, stderr).toBe(3)
    const out = JSON.parse(stdout) as Output
    const names = out.hosts.map((h) => h.host).sort()
    expect(names).toEqual(['good', ...Object.keys(EXPECTED_ERRORS)].sort())
    for (const [name, reason] of Object.entries(EXPECTED_ERRORS)) {
      const host = out.hosts.find((h) => h.host === name)!
      expect(host, name).toMatchObject({status: 'error', verdict: 'UNVERIFIED', exit_code: 3})
      expect(host.reason, name).toMatch(reason)
    }
    expect(out.hosts.find((h) => h.host === 'good')).toMatchObject({status: 'judged', verdict: 'READY'})
    expect(out.summary).toMatchObject({planned: 8, hosts: 8, errors: 7, unreachable: 0, exit_code: 3})
    expect(out.summary.verdicts).toEqual({READY: 1, NOT_READY: 0, UNVERIFIED: 7})
    expect(stderr).toBe(`kdumpcheck: note: ${dir}: ignored 1 file(s) that name no snapshot (README.txt)\n`)
  })

  it('says so in the text summary: N of N hosts, and how many are not usable snapshots', () => {
    const dir = snapshotsDir()
    const {stdout} = runCli(['scan', '--snapshots', dir])
    expect(stdout).toMatch(/: 8 of 8 hosts/)
    expect(stdout).toMatch(/UNVERIFIED\s+7\s+87\.5%\s+\(7 not a usable snapshot\)/)
    expect(stdout).toMatch(/empty\s+UNVERIFIED\s+error: an empty directory, not a snapshot/)
  })

  it('keeps error members through --results: report renders them, the HTML page files them under error', () => {
    const dir = snapshotsDir()
    const results = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-members-results-')), 'scan.jsonl')
    expect(runCli(['scan', '--snapshots', dir, '--results', results]).status).toBe(3)
    const again = runCli(['report', results, '--format', 'json'])
    expect(again.status, again.stderr).toBe(3)
    const out = JSON.parse(again.stdout) as Output
    expect(out.hosts.filter((h) => h.status === 'error').map((h) => h.host).sort()).toEqual(Object.keys(EXPECTED_ERRORS).sort())
    const html = runCli(['report', results, '--format', 'html'])
    expect(html.status, html.stderr).toBe(3)
    expect(html.stdout).toContain('an empty directory, not a snapshot')
  })

  // nobody must be able to run the built CLI from this checkout: a clone in a mode-700 directory (mktemp -d) cannot.
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const nobodyCanRun = isRoot && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, '--version']).status === 0
  it.runIf(nobodyCanRun)('records members the user cannot read (run as nobody)', () => {
    const dir = snapshotsDir()
    for (const name of ['loop-a', 'loop-b', 'fifo.tar.gz', 'dangling', 'twice', 'twice.tar.gz', 'no-json', 'empty']) spawnSync('rm', ['-rf', path.join(dir, name)])
    spawnSync('chmod', ['-R', 'a+rX', dir])
    cpSync(path.join(FIXTURES, 'incident-el5xen'), path.join(dir, 'locked'), {recursive: true})
    chmodSync(path.join(dir, 'locked'), 0o700)
    writeFileSync(path.join(dir, 'secret.tar.gz'), 'x', {mode: 0o600})
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'scan', '--snapshots', dir, '--format', 'json'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', HOME: '/nonexistent'},
    })
    expect(result.status, result.stderr).toBe(3)
    const out = JSON.parse(result.stdout) as Output
    expect(out.hosts.find((h) => h.host === 'locked')).toMatchObject({status: 'error', reason: 'a directory that cannot be read (permission denied)'})
    expect(out.hosts.find((h) => h.host === 'secret')).toMatchObject({status: 'error', reason: 'cannot be read (permission denied)'})
    expect(out.summary).toMatchObject({planned: 3, hosts: 3, errors: 2})
  })
})
