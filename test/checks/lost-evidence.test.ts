/**
 * Issue 11's property "lost evidence never helps", one test per kind of violation the metamorphic test found, on the
 * fixture where it was found: a piece of evidence recorded as lost (the collector's own words in snapshot.json's errors)
 * must leave the checks that needed it unknown, never fall back to a weaker witness or a milder severity.
 */
import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG} from '../../src/config/config.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import type {Report} from '../../src/report/report.js'
import {fixture} from '../helpers/fixture-edit.js'

const NOW = new Date('2026-11-29T10:00:00Z')
const finding = (r: Report, id: string) => r.findings.find((f) => f.id === id)!

describe('lost evidence never helps', () => {
  it('an unreadable /etc/redhat-release leaves RHEL 5\'s default collector unknown (KD403 never passes on today\'s default)', async () => {
    const full = judgeSnapshot(await fixture('incident-el5xen'), DEFAULT_CONFIG, NOW)
    const lost = judgeSnapshot(
      await fixture('incident-el5xen', {files: {'/etc/redhat-release': null}, errors: ['/etc/redhat-release: could not be read: Permission denied']}),
      DEFAULT_CONFIG,
      NOW,
    )
    expect(finding(full, 'KD403').status).toBe('unknown')
    expect(finding(lost, 'KD403').status).toBe('unknown')
    expect(finding(lost, 'KD403').message).toMatch(/release, which is unknown \(\/etc\/redhat-release could not be read/)
  })

  it('an unreadable /proc/meminfo keeps KD402 an error-severity unknown when the collector is known not to filter', async () => {
    const lost = judgeSnapshot(
      await fixture('target-debian12-small-var', {files: {'/proc/meminfo': null}, errors: ['/proc/meminfo: could not be read: Permission denied']}),
      DEFAULT_CONFIG,
      NOW,
    )
    const kd402 = finding(lost, 'KD402')
    expect(kd402).toMatchObject({status: 'unknown', severity: 'error'})
    expect(lost.verdict).not.toBe('READY')
  })

  it('a timed-out `kexec --version` leaves KD201 unknown: the package\'s version is no stand-in for the kexec on PATH', async () => {
    const full = judgeSnapshot(await fixture('old-kexec-shadowing-debian12'), DEFAULT_CONFIG, NOW)
    expect(finding(full, 'KD201').status).toBe('fail')
    const lost = judgeSnapshot(
      await fixture('old-kexec-shadowing-debian12', {probes: {'kexec-version': {exit: 'timeout'}}, errors: ['probe kexec-version (kexec --version): timed out after 10 s']}),
      DEFAULT_CONFIG,
      NOW,
    )
    expect(finding(lost, 'KD201').status).toBe('unknown')
    expect(finding(lost, 'KD201').message).toMatch(/kexec --version` timed out/)
    expect(finding(lost, 'KD200').status).toBe('pass')
  })
})
