/**
 * Site policy (`policy:` in .kdumpcheck.yaml) is applied after the checks, in report/policy.ts: it changes the
 * exit code and how a finding is shown, never the verdict. Every key is walked over every fixture host, and
 * each key's effect is shown on a host where it bites.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'
import {parseConfigText, POLICY_KEYS, TOP_KEYS, type Config} from '../src/config/config.js'
import {judgeSnapshot} from '../src/pipeline.js'
import type {Report} from '../src/report/report.js'
import type {Snapshot} from '../src/snapshot/snapshot.js'
import {readSnapshot} from '../src/sources/snapshot-reader.js'
import {fixture} from './helpers/fixture-edit.js'

const NOW = new Date('2026-11-29T12:00:00Z')
const HOSTS = path.resolve(import.meta.dirname, '../fixtures/hosts')
const FIXTURES = readdirSync(HOSTS).filter((name) => statSync(path.join(HOSTS, name)).isDirectory())

/** Each key at values that can bite, alone and all together. */
const POLICIES: Array<[string, string]> = [
  ['min-crash-region-mb', 'min-crash-region-mb: 1'],
  ['min-crash-region-mb', 'min-crash-region-mb: 1048576'],
  ['require-panic-on-oops', 'require-panic-on-oops: true'],
  ['require-panic-on-oops', 'require-panic-on-oops: false'],
  ['allowed-dump-targets', 'allowed-dump-targets: []'],
  ['allowed-dump-targets', 'allowed-dump-targets: [local]'],
  ['allowed-dump-targets', 'allowed-dump-targets: [nfs, ssh, raw]'],
  ['allow-noreboot', 'allow-noreboot: true'],
  ['allow-noreboot', 'allow-noreboot: false'],
  ['everything', 'min-crash-region-mb: 1048576\n  require-panic-on-oops: true\n  allowed-dump-targets: []\n  allow-noreboot: true'],
]

const policy = (body: string): Promise<Config> => parseConfigText(`policy:\n  ${body}\n`, 'policy.yaml')
const finding = (report: Report, id: string) => report.findings.find((f) => f.id === id)!

describe('policy never changes a verdict', () => {
  it('walks every policy key against every fixture host', async () => {
    expect(FIXTURES.length).toBeGreaterThan(30)
    expect(new Set(POLICIES.map(([key]) => key))).toEqual(new Set([...POLICY_KEYS, 'everything']))
    const bites = new Map<string, number>()
    for (const name of FIXTURES) {
      const snapshot = await readSnapshot(path.join(HOSTS, name))
      const plain = judgeSnapshot(snapshot, undefined, NOW)
      for (const [key, body] of POLICIES) {
        const report = judgeSnapshot(snapshot, await policy(body), NOW)
        const where = `${name} with ${body.replaceAll('\n ', ';')}`
        expect(report.verdict, where).toBe(plain.verdict)
        expect(report.first_broken_link, where).toBe(plain.first_broken_link)
        for (const f of report.findings) {
          // A finding the policy did not rule on is exactly what the check said.
          if (!f.policy) expect(f, `${where}: ${f.id}`).toEqual(finding(plain, f.id))
          else expect(f.message, `${where}: ${f.id}`).toBe(finding(plain, f.id).message)
        }
        const ruled = report.findings.some((f) => f.policy && (f.status !== finding(plain, f.id).status || f.waiver))
        if (ruled) bites.set(key, (bites.get(key) ?? 0) + 1)
      }
    }
    // A key that never rules on any host would be documented but dead.
    for (const key of POLICY_KEYS) expect(bites.get(key) ?? 0, key).toBeGreaterThan(0)
  })
})

describe('each policy key does what docs/configuration.md says', () => {
  const good = (name: string): Promise<Snapshot> => readSnapshot(path.join(HOSTS, name))

  it('min-crash-region-mb: a smaller reserved region fails KD105 by policy; exit 1, verdict still READY', async () => {
    const snapshot = await good('good-pvops-debian12') // Xen reserved 256 MiB
    expect(judgeSnapshot(snapshot, await policy('min-crash-region-mb: 256'), NOW).exit_code).toBe(0)
    const report = judgeSnapshot(snapshot, await policy('min-crash-region-mb: 512'), NOW)
    expect(report.verdict).toBe('READY')
    expect(report.exit_code).toBe(1)
    expect(finding(report, 'KD105')).toMatchObject({
      status: 'fail',
      severity: 'error',
      policy: {key: 'min-crash-region-mb', requirement: expect.stringMatching(/at least 512 MiB; this host reserves 256 MiB/)},
    })
  })

  it('require-panic-on-oops: KD502 counts as an error (a severity override); exit 1, verdict still READY', async () => {
    const snapshot = await fixture('good-pvops-debian12', {files: {'/proc/sys/kernel/panic_on_oops': '0\n'}})
    const plain = judgeSnapshot(snapshot, undefined, NOW)
    expect([plain.verdict, plain.exit_code, finding(plain, 'KD502').status]).toEqual(['READY', 0, 'warn'])
    const report = judgeSnapshot(snapshot, await policy('require-panic-on-oops: true'), NOW)
    expect(report.verdict).toBe('READY')
    expect(report.exit_code).toBe(1)
    expect(finding(report, 'KD502')).toMatchObject({status: 'fail', severity: 'error', default_severity: 'warning', policy: {key: 'require-panic-on-oops'}})
    expect(judgeSnapshot(snapshot, await policy('require-panic-on-oops: false'), NOW).exit_code).toBe(0)
  })

  it('allowed-dump-targets: a target of another kind fails KD400 by policy; a dump disk counts as local', async () => {
    const local = await good('baremetal-good-rhel9')
    expect(judgeSnapshot(local, await policy('allowed-dump-targets: [local]'), NOW).exit_code).toBe(0)
    const report = judgeSnapshot(local, await policy('allowed-dump-targets: [nfs]'), NOW)
    expect(report.verdict).toBe('READY')
    expect(report.exit_code).toBe(1)
    expect(finding(report, 'KD400')).toMatchObject({
      status: 'fail',
      default_severity: 'info',
      policy: {key: 'allowed-dump-targets', requirement: expect.stringMatching(/allows dump targets of kind nfs; this host dumps to a local target/)},
    })
    expect(judgeSnapshot(local, await policy('allowed-dump-targets: []'), NOW).exit_code).toBe(1)
    const disk = await good('target-rhel9-dump-disk-at-data')
    expect(judgeSnapshot(disk, await policy('allowed-dump-targets: [local]'), NOW).exit_code).toBe(0)
    expect(judgeSnapshot(disk, await policy('allowed-dump-targets: [ssh]'), NOW).exit_code).toBe(1)
    const nfs = await good('target-rhel9-nfs')
    expect(judgeSnapshot(nfs, await policy('allowed-dump-targets: [nfs]'), NOW).exit_code).toBe(0)
    expect(finding(judgeSnapshot(nfs, await policy('allowed-dump-targets: [local]'), NOW), 'KD400').status).toBe('fail')
  })

  it('allow-noreboot: KD500 is accepted as a waiver would accept it; its status and the verdict stay', async () => {
    const snapshot = await good('incident-el5xen') // noreboot on Xen's line
    const plain = judgeSnapshot(snapshot, undefined, NOW)
    const failing = plain.findings.filter((f) => f.id !== 'KD500' && (f.status === 'fail' || f.status === 'warn' || (f.status === 'unknown' && f.severity === 'error'))).map((f) => f.id)
    const waivers = `ignore:\n${failing.map((id) => `  - id: ${id}\n    reason: decommissioning\n`).join('')}`
    const strict = await parseConfigText(`fail-on: warning\n${waivers}`, 'c.yaml')
    expect(judgeSnapshot(snapshot, strict, NOW).exit_code).toBe(1) // only KD500's warning is left
    const accepted = await parseConfigText(`fail-on: warning\n${waivers}policy:\n  allow-noreboot: true\n`, 'c.yaml')
    const report = judgeSnapshot(snapshot, accepted, NOW)
    expect(report.exit_code).toBe(0)
    expect(report.verdict).toBe('NOT_READY')
    expect(finding(report, 'KD500')).toMatchObject({status: 'warn', policy: {key: 'allow-noreboot'}, waiver: {reason: expect.stringContaining('allow-noreboot: true')}})
  })
})

describe('docs/configuration.md', () => {
  it('shows every key the validator accepts, and its example is a valid configuration', async () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../docs/configuration.md'), 'utf8')
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? ''
    await expect(parseConfigText(example, 'docs/configuration.md')).resolves.toBeDefined()
    const parsed = parse(example) as Record<string, unknown>
    expect(Object.keys(parsed).sort()).toEqual([...TOP_KEYS].sort())
    expect(Object.keys(parsed.policy as object).sort()).toEqual([...POLICY_KEYS].sort())
  })
})

describe('every documented configuration key has an effect', () => {
  // next-boot-lost (hv-fra1-09) is READY with one warning, KD106: each key below moves its exit code.
  const host = (): Promise<Snapshot> => readSnapshot(path.join(HOSTS, 'next-boot-lost'))
  const exitWith = async (yaml: string, snapshot?: Snapshot): Promise<number> => {
    const report = judgeSnapshot(snapshot ?? (await host()), await parseConfigText(yaml, 'c.yaml'), NOW)
    expect(report.verdict).toBe('READY')
    return report.exit_code
  }
  const warnCounts = 'fail-on: warning\n'
  const waiver = (extra = ''): string => `${warnCounts}ignore:\n  - id: KD106\n    reason: reboot in CHG-1234\n${extra}`
  const EFFECTS: Record<string, () => Promise<void>> = {
    'fail-on': async () => {
      expect(await exitWith('fail-on: error\n')).toBe(0)
      expect(await exitWith(warnCounts)).toBe(1)
    },
    'ignore.id': async () => expect(await exitWith(waiver())).toBe(0),
    'ignore.reason': async () => {
      const report = judgeSnapshot(await host(), await parseConfigText(waiver(), 'c.yaml'), NOW)
      expect(report.findings.find((f) => f.id === 'KD106')?.waiver?.reason).toBe('reboot in CHG-1234')
    },
    'ignore.expires': async () => {
      expect(await exitWith(waiver('    expires: 2027-01-31\n'))).toBe(0)
      expect(await exitWith(waiver('    expires: 2026-11-01\n'))).toBe(1)
    },
    'ignore.hosts': async () => {
      expect(await exitWith(waiver('    hosts: ["hv-fra1-*"]\n'))).toBe(0)
      expect(await exitWith(waiver('    hosts: ["hv-ams1-*"]\n'))).toBe(1)
    },
    severity: async () => {
      expect(await exitWith('severity:\n  KD106: error\n')).toBe(1)
      expect(await exitWith(`${warnCounts}severity:\n  KD106: info\n`)).toBe(0)
    },
    'policy.min-crash-region-mb': async () => {
      expect(await exitWith('policy:\n  min-crash-region-mb: 1\n')).toBe(0)
      expect(await exitWith('policy:\n  min-crash-region-mb: 1048576\n')).toBe(1)
    },
    'policy.require-panic-on-oops': async () => {
      const oops = await fixture('next-boot-lost', {files: {'/proc/sys/kernel/panic_on_oops': '0\n'}})
      expect(await exitWith('policy:\n  require-panic-on-oops: false\n', oops)).toBe(0)
      expect(await exitWith('policy:\n  require-panic-on-oops: true\n', oops)).toBe(1)
    },
    'policy.allowed-dump-targets': async () => {
      expect(await exitWith('policy:\n  allowed-dump-targets: [local]\n')).toBe(0)
      expect(await exitWith('policy:\n  allowed-dump-targets: [nfs]\n')).toBe(1)
    },
    'policy.allow-noreboot': async () => {
      const xl = (await host()).probe('xl-info')!.out.replace(/^(xen_commandline\s*:.*)$/m, '$1 noreboot')
      const halts = await fixture('next-boot-lost', {probes: {'xl-info': {out: xl, exit: 0}}})
      expect(await exitWith(waiver(), halts)).toBe(1) // KD500 warns, and warnings count
      expect(await exitWith(`${waiver()}policy:\n  allow-noreboot: true\n`, halts)).toBe(0)
    },
  }

  it('covers exactly the keys docs/configuration.md shows', () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../docs/configuration.md'), 'utf8')
    const example = parse(/```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '') as Record<string, unknown>
    const paths = Object.entries(example).flatMap(([key, value]) => {
      if (key === 'ignore') return Object.keys((value as Array<Record<string, unknown>>)[0]!).map((k) => `ignore.${k}`)
      if (key === 'policy') return Object.keys(value as object).map((k) => `policy.${k}`)
      return [key]
    })
    expect(Object.keys(EFFECTS).sort()).toEqual(paths.sort())
  })

  it.each(Object.keys(EFFECTS))('%s', async (key) => EFFECTS[key]!())
})
