/** KD405: which core_pattern values look like a dump location. */
import {describe, expect, it} from 'vitest'
import KD405, {readCorePattern} from '../../src/checks/KD405-core-pattern-misread.js'
import {judge, ruleTester} from './rule-tester.js'

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
    expect((outcome).status).toBe('info')
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

ruleTester(KD405, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'kernel.core_pattern is "core"',
      evidence: ['files/proc/sys/kernel/core_pattern:1'],
    },
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'pass',
      evidence: ['kernel.core_pattern'],
    },
  ],
  invalid: [
    {
      name: 'the incident-el5xen fixture',
      fixture: 'incident-el5xen',
      status: 'info',
      severity: 'info',
      message: 'kernel.core_pattern is "/apsara/dump/core_%e.%p"',
      evidence: ['files/proc/sys/kernel/core_pattern:1', 'files/etc/kdump.conf'],
    },
    {
      name: 'the target-rhel9-nfs fixture',
      fixture: 'target-rhel9-nfs',
      status: 'info',
      severity: 'info',
      message: 'kernel.core_pattern is "/var/crash/core.%e.%p.%t"',
      evidence: ['files/proc/sys/kernel/core_pattern:1', 'files/etc/kdump.conf:177', 'files/etc/kdump.conf:178'],
    },
  ],
})
