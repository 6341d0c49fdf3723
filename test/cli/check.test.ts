import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'

const incident = 'fixtures/hosts/incident-el5xen'

describe('kdumpcheck check (the built binary)', () => {
  it('says NOT READY for the incident host, names KD101 first, and exits 1', () => {
    const {status, stdout, stderr} = runCli(['check', '--snapshot', incident])
    expect(stderr).toBe('')
    expect(status).toBe(1)
    expect(stdout).toContain('NOT READY')
    const failures = [...stdout.matchAll(/^\s+FAIL\s+(KD\d{3})/gm)].map((m) => m[1])
    expect(failures[0]).toBe('KD101')
    expect(stdout).toMatch(/First broken link: KD101/)
  })

  it('prints a versioned JSON report with --json and with --format json, the same document', () => {
    const a = runCli(['check', '--snapshot', incident, '--json'])
    const b = runCli(['check', '--snapshot', incident, '--format', 'json'])
    expect(a.status).toBe(1)
    expect(b.status).toBe(1)
    const report = JSON.parse(a.stdout)
    expect(JSON.parse(b.stdout)).toEqual(report)
    expect(report).toMatchObject({schema: 'kdumpcheck-report/1', verdict: 'NOT_READY', exit_code: 1, first_broken_link: 'KD101'})
    const kd101 = report.findings.find((f: {id: string}) => f.id === 'KD101')
    expect(kd101).toMatchObject({status: 'fail', severity: 'error', title: expect.any(String), fix: expect.stringContaining('crashkernel=')})
    expect(kd101.evidence[0].source).toMatch(/^commands\/(xl|xm)-info\.out$|^commands\/(xl|xm)-dmesg\.out$/)
  })

  it('exits 0 for the good pvops dom0 whose sysfs reads 0', () => {
    const {status, stdout} = runCli(['check', '--snapshot', 'fixtures/hosts/good-pvops-debian12'])
    expect(stdout).toContain('READY: a crash now will leave a vmcore.')
    expect(status).toBe(0)
  })

  it('exits 3 for the unprovable pvops dom0 on Xen 4.8 and says how to verify by hand', () => {
    const {status, stdout} = runCli(['check', '--snapshot', 'fixtures/hosts/pvops-xen48-unprovable'])
    expect(status).toBe(3)
    expect(stdout).toContain('UNVERIFIED')
    expect(stdout).toContain('kexec -p -S')
    expect(stdout).toContain('xl dmesg')
  })

  it('writes the report atomically to --output and prints nothing', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-out-')), 'report.json')
    const {status, stdout} = runCli(['check', '--snapshot', incident, '--format', 'json', '--output', out])
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(JSON.parse(readFileSync(out, 'utf8')).verdict).toBe('NOT_READY')
  })

  it('uses colour only when asked for by a terminal, never with NO_COLOR', () => {
    const {stdout} = runCli(['check', '--snapshot', incident])
    expect(stdout).not.toMatch(/\u001B\[/)
  })

  const bad: Array<[string, string[], RegExp]> = [
    ['a snapshot without snapshot.json', ['--snapshot', 'fixtures/bad/missing-snapshot-json'], /snapshot\.json is missing/],
    ['an unknown format version', ['--snapshot', 'fixtures/bad/bad-format-version'], /kdumpcheck-snapshot\/9.*not supported/],
    ['truncated JSON', ['--snapshot', 'fixtures/bad/broken-json'], /not valid JSON/],
    ['a symlink leaving the snapshot', ['--snapshot', 'fixtures/bad/escaping-symlink'], /outside the snapshot/],
    ['a path that does not exist', ['--snapshot', 'fixtures/does-not-exist'], /no such snapshot/],
    ['two sources at once', ['--snapshot', incident, '--root', '/'], /cannot also be provided|--root/],
    ['an unknown format', ['--snapshot', incident, '--format', 'xml'], /xml/],
  ]
  it.each(bad)('rejects %s with one line on stderr and exit 2', (_label, args, message) => {
    const {status, stdout, stderr} = runCli(['check', ...args])
    expect(status).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(message)
    expect(stderr).not.toMatch(/\n\s+at /)
    if (!args.includes('--format')) expect(stderr.trim().split('\n'), stderr).toHaveLength(1)
  })
})
