/**
 * The rule tester's own tests: it refuses cases that cannot fail, it fails on a wrong status, severity, message or
 * evidence, and every registered check has rule-tester cases (the meta-test).
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import KD300 from '../../src/checks/KD300-service-not-enabled.js'
import {ALL_CHECKS} from '../../src/checks/index.js'
import {fixture} from '../helpers/fixture-edit.js'
import {lineAt, refusal, runCase, type Case} from './rule-tester.js'

const DISABLED: Case = {
  name: 'disabled',
  fixture: 'svc-disabled-rhel9',
  status: 'fail',
  severity: 'error',
  message: 'not enabled at boot',
  evidence: ['commands/systemctl-kdump.out:1', 'files/sys/kernel/kexec_crash_loaded:1'],
}

describe('the rule tester', () => {
  it('refuses cases that cannot fail', () => {
    expect(refusal('valid', {...DISABLED})).toMatch(/valid case expects pass or n\/a/)
    expect(refusal('invalid', {...DISABLED, status: 'pass'})).toMatch(/invalid case expects a problem/)
    expect(refusal('invalid', {...DISABLED, message: undefined})).toMatch(/must say what it reports/)
    expect(refusal('invalid', {...DISABLED, evidence: []})).toMatch(/must point at evidence/)
    expect(refusal('valid', {...DISABLED, status: 'pass', evidence: []})).toMatch(/pass must cite evidence/)
    expect(refusal('invalid', DISABLED)).toBeUndefined()
    expect(refusal('invalid', {...DISABLED, status: 'unknown', evidence: []})).toBeUndefined()
  })

  it('passes the exact outcome', async () => {
    await runCase(KD300, 'invalid', DISABLED)
  })

  it.each([
    ['a wrong status', {status: 'warn'}],
    ['a wrong severity', {severity: 'warning'}],
    ['a message it does not say', {message: 'is enabled'}],
    ['a message it must not say', {notMessage: /not enabled/}],
    ['evidence out of order', {evidence: ['files/sys/kernel/kexec_crash_loaded:1', 'commands/systemctl-kdump.out:1']}],
    ['a missing evidence item', {evidence: ['commands/systemctl-kdump.out:1']}],
    ['a wrong evidence line', {evidence: ['commands/systemctl-kdump.out:2', 'files/sys/kernel/kexec_crash_loaded:1']}],
    ['a fix it does not give', {fix: 'no such advice'}],
    ['a refused case', {evidence: []}],
  ] as const)('fails on %s', async (_what, change) => {
    await expect(runCase(KD300, 'invalid', {...DISABLED, ...change} as Case)).rejects.toThrow()
  })

  it('fails when the cited line does not show what the evidence quotes', async () => {
    // The same host, its kexec_crash_loaded empty: the finding still cites line 1, which no longer reads "0".
    await expect(runCase(KD300, 'invalid', {...DISABLED, edits: {files: {'/sys/kernel/kexec_crash_loaded': '\n'}}})).rejects.toThrow()
  })

  it('reads evidence lines from files and probes', async () => {
    const s = await fixture('svc-disabled-rhel9')
    expect(lineAt(s, {source: 'commands/systemctl-kdump.out', line: 2})).toBe('Id=kdump.service')
    expect(lineAt(s, {source: 'files/sys/kernel/kexec_crash_loaded', line: 1})).toBe('0')
    expect(lineAt(s, {source: 'files/no/such/file', line: 1})).toBeUndefined()
    expect(lineAt(s, {source: 'commands/systemctl-kdump.out'})).toBeUndefined()
  })
})

describe('every check has rule-tester cases (meta-test)', () => {
  const dir = import.meta.dirname
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
  const tested = new Set(sources.flatMap((s) => [...s.matchAll(/^ruleTester\((KD\d{3}),/gm)].map((m) => m[1]!)))

  it.each(ALL_CHECKS.map((c) => [c.meta.id, c] as const))('%s', (id, check) => {
    expect(tested.has(id), `${id} has no ruleTester(${id}, {valid, invalid}) in test/checks/ (see CONTRIBUTING.md)`).toBe(true)
    const file = sources.find((s) => new RegExp(`^ruleTester\\(${id},`, 'm').test(s))!
    expect(file, `${id}'s test imports another check under its name`).toMatch(new RegExp(`import ${id}\\b[^\\n]* from '\\.\\./\\.\\./src/checks/${check.meta.id}-`))
  })
})
