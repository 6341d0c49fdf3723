import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {findConfig, hostMatches, parseConfigText} from '../src/config/config.js'
import {InputError} from '../src/errors.js'
import {judgeSnapshot} from '../src/pipeline.js'
import {readSnapshot} from '../src/sources/snapshot-reader.js'
import {runCli} from './helpers/cli.js'

const NOW = new Date('2026-11-29T12:00:00Z')
const incident = 'fixtures/hosts/incident-el5xen'
const nextBootLost = 'fixtures/hosts/next-boot-lost'

describe('configuration file', () => {
  it('reads waivers, overrides, fail-on and policy', async () => {
    const config = await parseConfigText(
      [
        'fail-on: warning',
        'ignore:',
        '  - id: KD106',
        '    reason: reboot scheduled in CHG-1234',
        '    expires: 2027-01-31',
        '    hosts: ["hv-fra1-*"]',
        'severity:',
        '  KD204: error',
        'policy:',
        '  min-crash-region-mb: 256',
        '  require-panic-on-oops: true',
        '  allowed-dump-targets: [local, nfs]',
        '  allow-noreboot: false',
      ].join('\n'),
      'test.yaml',
    )
    expect(config).toEqual({
      source: 'test.yaml',
      failOn: 'warning',
      ignore: [{id: 'KD106', reason: 'reboot scheduled in CHG-1234', expires: '2027-01-31', hosts: ['hv-fra1-*']}],
      severity: {KD204: 'error'},
      policy: {minCrashRegionMb: 256, requirePanicOnOops: true, allowedDumpTargets: ['local', 'nfs'], allowNoreboot: false},
    })
  })

  const bad: Array<[string, string, RegExp]> = [
    ['an unknown top-level key', 'waivers: []', /test\.yaml: waivers: unknown key/],
    ['a waiver without a reason', 'ignore:\n  - id: KD101', /ignore\[0\]\.reason: a waiver needs a reason/],
    ['a waiver with a bad id', 'ignore:\n  - id: 101\n    reason: x', /ignore\[0\]\.id: must be a check ID/],
    ['a misspelt waiver key', 'ignore:\n  - id: KD101\n    reason: x\n    host: [a]', /ignore\[0\]\.host: unknown key/],
    ['a bad expiry', 'ignore:\n  - id: KD101\n    reason: x\n    expires: soon', /ignore\[0\]\.expires: must be a date/],
    ['a bad severity', 'severity:\n  KD101: fatal', /severity\.KD101: must be error, warning or info/],
    ['a bad fail-on', 'fail-on: always', /fail-on: must be "error" or "warning"/],
    ['a wrong type in policy', 'policy:\n  min-crash-region-mb: "256M"', /policy\.min-crash-region-mb: must be a positive whole number/],
    ['an unknown policy key', 'policy:\n  allow-halt: true', /policy\.allow-halt: unknown key/],
    ['broken YAML', 'ignore: [\n', /not valid YAML/],
  ]
  it.each(bad)('rejects %s, naming the key path', async (_label, text, message) => {
    const error = await parseConfigText(text, 'test.yaml').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(message)
  })

  it('is found in the working directory first, then under XDG_CONFIG_HOME', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'kdc-cwd-'))
    const xdg = mkdtempSync(path.join(tmpdir(), 'kdc-xdg-'))
    mkdirSync(path.join(xdg, 'kdumpcheck'))
    writeFileSync(path.join(xdg, 'kdumpcheck', 'config.yaml'), 'fail-on: warning\n')
    expect((await findConfig(undefined, cwd, {XDG_CONFIG_HOME: xdg})).source).toBe(path.join(xdg, 'kdumpcheck', 'config.yaml'))
    writeFileSync(path.join(cwd, '.kdumpcheck.yaml'), 'fail-on: error\n')
    expect((await findConfig(undefined, cwd, {XDG_CONFIG_HOME: xdg})).source).toBe(path.join(cwd, '.kdumpcheck.yaml'))
    expect((await findConfig(undefined, mkdtempSync(path.join(tmpdir(), 'kdc-')), {XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), 'kdc-'))})).source).toBeUndefined()
    await expect(findConfig('/nonexistent/kdc.yaml')).rejects.toThrow(/cannot read configuration/)
  })

  it('matches host patterns like a shell glob', () => {
    expect(hostMatches('hv-fra1-*', 'hv-fra1-07')).toBe(true)
    expect(hostMatches('hv-fra1-*', 'hv-ams1-07')).toBe(false)
    expect(hostMatches('hv-???', 'hv-abc')).toBe(true)
    expect(hostMatches('a.b', 'axb')).toBe(false)
  })
})

describe('policy applied to a report', () => {
  it('a waiver changes the exit code, never the verdict, and the finding says why', async () => {
    const config = await parseConfigText('ignore:\n  - id: KD106\n    reason: reboot in CHG-1234\n', 'c.yaml')
    config.failOn = 'warning'
    const report = judgeSnapshot(await readSnapshot(nextBootLost), config, NOW)
    expect(report.verdict).toBe('READY')
    expect(report.exit_code).toBe(0)
    expect(report.findings.find((f) => f.id === 'KD106')).toMatchObject({status: 'warn', waiver: {reason: 'reboot in CHG-1234'}})
    const unwaived = judgeSnapshot(await readSnapshot(nextBootLost), {...config, ignore: []}, NOW)
    expect(unwaived.exit_code).toBe(1)
  })

  it('an expired waiver stops applying and the report says so', async () => {
    const config = await parseConfigText('fail-on: warning\nignore:\n  - id: KD106\n    reason: old change\n    expires: 2026-11-01\n', 'c.yaml')
    const report = judgeSnapshot(await readSnapshot(nextBootLost), config, NOW)
    expect(report.exit_code).toBe(1)
    expect(report.findings.find((f) => f.id === 'KD106')?.waiver).toBeUndefined()
    expect(report.policy.expired_waivers).toEqual([{id: 'KD106', reason: 'old change', expires: '2026-11-01'}])
  })

  it('a waiver for other hosts does not apply', async () => {
    const config = await parseConfigText('ignore:\n  - id: KD101\n    reason: lab host\n    hosts: [lab-*]\n', 'c.yaml')
    const report = judgeSnapshot(await readSnapshot(incident), config, NOW)
    expect(report.findings.find((f) => f.id === 'KD101')?.waiver).toBeUndefined()
    expect(report.exit_code).toBe(1)
  })

  it('waiving every failure of the incident host keeps the verdict NOT READY', async () => {
    const snapshot = await readSnapshot(incident)
    const ids = judgeSnapshot(snapshot)
      .findings.filter((f) => f.status === 'fail' || (f.status === 'unknown' && f.severity === 'error'))
      .map((f) => f.id)
    expect(ids).toContain('KD101')
    const config = await parseConfigText(`ignore:\n${ids.map((id) => `  - id: ${id}\n    reason: decommissioning\n`).join('')}`, 'c.yaml')
    const report = judgeSnapshot(snapshot, config, NOW)
    expect(report.verdict).toBe('NOT_READY')
    expect(report.exit_code).toBe(0)
  })

  it('a severity override re-grades the finding and keeps the default visible', async () => {
    const config = await parseConfigText('severity:\n  KD106: error\n', 'c.yaml')
    const report = judgeSnapshot(await readSnapshot(nextBootLost), config, NOW)
    expect(report.findings.find((f) => f.id === 'KD106')).toMatchObject({status: 'fail', severity: 'error', default_severity: 'warning'})
    expect(report.verdict).toBe('READY')
    expect(report.exit_code).toBe(1)
  })

  it('the CLI refuses a bad configuration with exit 2 and the key path, and honours --fail-on', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kdc-cfg-'))
    const file = path.join(dir, 'bad.yaml')
    writeFileSync(file, 'ignore:\n  - id: KD101\n')
    const bad = runCli(['check', '--snapshot', incident, '--config', file])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('ignore[0].reason: a waiver needs a reason')
    expect(runCli(['check', '--snapshot', nextBootLost]).status).toBe(0)
    const strict = runCli(['check', '--snapshot', nextBootLost, '--fail-on', 'warning'])
    expect(strict.status).toBe(1)
    expect(strict.stdout).toContain('READY: a crash now will leave a vmcore.')
    expect(strict.stdout).toContain('Policy: exit 1; warnings count (fail-on: warning)')
  })
})
