/**
 * Facts the checks used to dig out of the raw snapshot themselves: the kernel build configuration,
 * kdump-tools' sysctl file, the distribution, the kdump configuration files' states, the dump's landing.
 */
import {describe, expect, it} from 'vitest'
import KD303 from '../../src/checks/KD303-use-kdump-off.js'
import KD503 from '../../src/checks/KD503-hang-detectors-do-not-panic.js'
import {sysctlNumber} from '../../src/facts/sysctl.js'
import {buildFacts} from '../../src/facts/facts.js'
import {fixture} from '../helpers/fixture-edit.js'
import {judge} from '../checks/rule-tester.js'

describe('facts, never the raw snapshot', () => {
  it('Facts carries no snapshot and no policy', async () => {
    const facts = buildFacts(await fixture('good-pvops-debian12'))
    expect(Object.keys(facts)).not.toContain('snapshot')
    expect(Object.keys(facts)).not.toContain('policy')
  })

  it('kernelConfig reads the running kernel\'s /boot/config-<release>, with the line as evidence', async () => {
    const facts = buildFacts(await fixture('good-pvops-debian12'))
    const sysrq = facts.kernelConfig('CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE')
    expect(sysrq.known && sysrq.value).toMatch(/^0x/)
    expect(sysrq.evidence[0]?.source).toBe('files/boot/config-6.1.0-50-amd64')
    expect(sysrq.evidence[0]?.line).toBeGreaterThan(0)
    const none = facts.kernelConfig('CONFIG_NOT_A_REAL_OPTION')
    expect(none.known).toBe(false)
  })

  it('kernelConfig is unknown, saying why, when the release\'s config was not collected', async () => {
    const facts = buildFacts(await fixture('good-pvops-debian12', {files: {'/boot/config-6.1.0-50-amd64': null}}))
    const value = facts.kernelConfig('CONFIG_PANIC_ON_OOPS_VALUE')
    expect(value.known ? '' : value.reason).toContain('/boot/config-6.1.0-50-amd64 is not in the snapshot')
  })

  it('kdumpToolsSysctl reads /etc/kdump/sysctl.conf as sysctl does (the last assignment wins)', async () => {
    const facts = buildFacts(await fixture('image-debian12-xen-good', {files: {'/etc/kdump/sysctl.conf': '# kdump-tools\nkernel.panic_on_oops = 0\nkernel.panic_on_oops=1\n'}}))
    const value = facts.kdumpToolsSysctl('kernel.panic_on_oops')
    expect(value).toMatchObject({known: true, value: '1', evidence: [{source: 'files/etc/kdump/sysctl.conf', line: 3}]})
    expect(facts.kdumpToolsSysctl('kernel.panic').known).toBe(false)
  })

  it('distribution names the family from the release files', async () => {
    const rhel = buildFacts(await fixture('baremetal-good-rhel9')).distribution
    expect(rhel.known && rhel.value.family).toBe('rhel')
    const debian = buildFacts(await fixture('good-pvops-debian12')).distribution
    expect(debian.known && debian.value.family).toBe('debian')
  })

  it('the dump plan carries where it lands', async () => {
    const plan = buildFacts(await fixture('target-rhel9-dump-disk-at-data')).dumpPlan
    expect(plan.known && plan.value.landing).toMatchObject({kind: 'filesystem', mountpoint: '/data'})
  })
})

describe('unreadable evidence by path, not by substring', () => {
  it("an error for panic_on_oops does not make kernel.panic unreadable", async () => {
    const facts = buildFacts(
      await fixture('good-pvops-debian12', {
        files: {'/proc/sys/kernel/panic': null, '/proc/sys/kernel/panic_on_oops': null},
        errors: ['/proc/sys/kernel/panic_on_oops: could not be read: Permission denied'],
      }),
    )
    const panic = facts.sysctl('kernel.panic')
    expect(panic.known ? '' : panic.reason).toBe('/proc/sys/kernel/panic was not collected')
    expect(panic.evidence).toEqual([{source: 'files/proc/sys/kernel/panic', text: 'absent from the snapshot'}])
    const oops = facts.sysctl('kernel.panic_on_oops')
    expect(oops.known ? '' : oops.reason).toBe('/proc/sys/kernel/panic_on_oops could not be read (Permission denied)')
    expect(oops.evidence).toEqual([{source: 'files/proc/sys/kernel/panic_on_oops', text: 'unreadable: Permission denied'}])
  })

  it('KD303 is unknown when /etc/default/kdump-tools is unreadable, not when a file named like it is', async () => {
    const gone = {'/etc/default/kdump-tools': null}
    const unreadable = await judge(KD303, 'good-pvops-debian12', {files: gone, errors: ['/etc/default/kdump-tools: could not be read: Permission denied']})
    expect(unreadable.status).toBe('unknown')
    expect(unreadable.message).toContain('Permission denied')
    const other = await judge(KD303, 'good-pvops-debian12', {errors: ['/etc/default/kdump-tools.dpkg-old: could not be read: Permission denied']})
    expect(other.status).toBe('pass')
  })
})

describe('sysctl integers, one reading everywhere', () => {
  it('reads 0x0a as 10 and 010 as 8 from a sysctl file, as the kernel does when sysctl writes it', async () => {
    const facts = buildFacts(
      await fixture('image-debian12-xen-good', {
        files: {'/etc/sysctl.d/90-kdump.conf': 'kernel.hung_task_panic = 0x1\nkernel.softlockup_panic = 01\nkernel.panic = 0x0a\n'},
      }),
    )
    expect(sysctlNumber(facts.sysctl('kernel.panic'))).toMatchObject({known: true, value: 10})
    expect(sysctlNumber(facts.sysctl('kernel.softlockup_panic'))).toMatchObject({known: true, value: 1})
    expect(KD503.run(facts).status).toBe('pass')
  })

  it('is unknown, not 0, for a value the kernel refuses', async () => {
    const facts = buildFacts(await fixture('image-debian12-xen-good', {files: {'/etc/sysctl.d/90-kdump.conf': 'kernel.hung_task_panic = 1s\nkernel.softlockup_panic = x\n'}}))
    expect(sysctlNumber(facts.sysctl('kernel.hung_task_panic')).known).toBe(false)
    expect(KD503.run(facts).status).toBe('unknown')
  })
})

describe('an image enables its kdump service as its unit file says ([Install], read with ini)', () => {
  const UNIT = '/lib/systemd/system/kdump-tools.service'
  // The [Install] section of Debian 12's kdump-tools.service (kdump-tools 1:1.8.1).
  const DEBIAN_UNIT = '[Unit]\nDescription=Kernel crash dump capture service\nAfter=local-fs.target\nAfter=networking.service\n\n[Install]\nWantedBy=basic.target\n'
  const image = 'image-debian12-xen-good'
  const listing = async (): Promise<string> => (await fixture(image)).probe('ls-services')!.out
  const withoutWantsLink = (out: string): string => out.replace(/\/etc\/systemd\/system\/basic\.target\.wants:\ntotal 0\n.*kdump-tools\.service.*\n\n/, '')
  const enabled = async (files: Record<string, string>, out?: string) => {
    const snapshot = await fixture(image, {files, ...(out === undefined ? {} : {probes: {'ls-services': {out, exit: 0}}})})
    return buildFacts(snapshot).serviceState.enabled
  }

  it('is enabled by the link its WantedBy= names, and says so', async () => {
    const fact = await enabled({[UNIT]: DEBIAN_UNIT})
    expect(fact.known && fact.value).toBe(true)
    expect(fact.evidence.map((e) => e.text)).toContain('[Install] WantedBy=basic.target')
  })

  it('is not enabled by a SysV link alone when the image has the native unit: unknown, never enabled', async () => {
    const out = withoutWantsLink(await listing())
    expect(out).toContain('S01kdump-tools')
    expect(out).not.toContain('basic.target.wants')
    const fact = await enabled({[UNIT]: DEBIAN_UNIT}, out)
    expect(fact.known).toBe(false)
    expect(fact.known ? '' : fact.reason).toContain('SysV start link but no systemd link')
    // Without the unit file the old reading stands: the SysV link counts.
    const old = await enabled({}, out)
    expect(old.known && old.value).toBe(true)
  })

  it('follows a drop-in that moves the unit to another target, and is unknown for a link [Install] does not name', async () => {
    const dropin = {[UNIT]: DEBIAN_UNIT, '/etc/systemd/system/kdump-tools.service.d/10-target.conf': '[Install]\nWantedBy=\nWantedBy=crash-ready.target\n'}
    const custom = withoutWantsLink(await listing()).replace('/etc/rc3.d:', '/etc/systemd/system/crash-ready.target.wants:\ntotal 0\nlrwxrwxrwx 1 root root 39 Feb  3  2025 kdump-tools.service -> /lib/systemd/system/kdump-tools.service\n\n/etc/rc3.d:')
    const moved = await enabled(dropin, custom)
    expect(moved.known && moved.value).toBe(true)
    const stray = await enabled({[UNIT]: DEBIAN_UNIT}, custom)
    expect(stray.known ? '' : stray.reason).toContain('linked only from crash-ready.target.wants')
  })
})
