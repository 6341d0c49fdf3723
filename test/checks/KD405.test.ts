/** KD405: which core_pattern values look like a dump location. */
import {describe, expect, it} from 'vitest'
import KD405, {readCorePattern} from '../../src/checks/KD405-core-pattern-misread.js'
import {judge, statusOf} from './target-support.js'

describe('readCorePattern', () => {
  it.each([
    ['core', 'default'],
    ['', 'default'],
    ['core.%e.%p', 'relative'],
    ['|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h', 'handler'],
    ['|/lib/systemd/systemd-coredump %P %u %g %s %t 9223372036854775808 %h', 'handler'],
    ['|/usr/share/apport/apport -p%p -s%s -c%c -d%d -P%P -u%u -g%g -- %E', 'handler'],
    ['|/usr/libexec/abrt-hook-ccpp %s %c %p %u %g %t e %P %I %h', 'handler'],
    ['|/bin/false', 'handler'],
    ['|/usr/local/bin/notify-oncall %e', 'other-pipe'],
    ['|/opt/crashsink/bin/collect %p', 'dump-location'],
    ['/apsara/dump/core_%e.%p', 'dump-location'],
    ['/tmp/core.%e.%p', 'dump-location'],
    ['crash/core.%p', 'dump-location'],
  ])('%j reads as %s', (value, kind) => {
    expect(readCorePattern(value).kind).toBe(kind)
  })
})

describe('KD405', () => {
  it('reports the incident host as info and names where kernel dumps would go', async () => {
    const outcome = await judge(KD405, 'incident-el5xen')
    expect(statusOf(outcome, KD405)).toBe('info')
    expect(outcome.message).toContain('/apsara/dump')
    expect(outcome.message).toContain('/var/crash on the root filesystem')
  })

  it('passes systemd-coredump', async () => {
    expect((await judge(KD405, 'baremetal-good-rhel9')).status).toBe('pass')
  })

  it('is unknown (info) when core_pattern was not collected', async () => {
    const outcome = await judge(KD405, 'baremetal-good-rhel9', {files: {'/proc/sys/kernel/core_pattern': null}})
    expect(outcome.status).toBe('unknown')
  })
})
