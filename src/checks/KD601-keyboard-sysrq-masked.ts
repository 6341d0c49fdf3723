import {known, type Fact} from '../facts/fact.js'
import {hasToken} from '../facts/kdump-service.js'
import {parseSysctlInt} from '../parsers/sysctl-int.js'
import {defineCheck, notApplicable, pass} from './types.js'

/** The SysRq function groups of kernel.sysrq (Documentation/admin-guide/sysrq.rst). */
export const SYSRQ_BITS: ReadonlyArray<[number, string]> = [
  [0x2, 'console log level'],
  [0x4, 'keyboard control (SAK, unraw)'],
  [0x8, 'debugging dumps and crash (c)'],
  [0x10, 'sync'],
  [0x20, 'remount read-only'],
  [0x40, 'signalling processes'],
  [0x80, 'reboot/poweroff'],
  [0x100, 'nicing RT tasks'],
]

/** sysrq 'c' (sysrq_crash_op) belongs to SYSRQ_ENABLE_DUMP. */
export const SYSRQ_ENABLE_DUMP = 0x8

/** Whether the keyboard / serial-break SysRq path may run 'c': 1 enables everything, 0 nothing, else the mask decides. */
export function keyboardCrashAllowed(value: number): boolean {
  if (value === 1) return true
  if (value <= 0) return false
  return (value & SYSRQ_ENABLE_DUMP) !== 0
}

export function describeSysrq(value: number): string {
  if (value === 0) return 'every SysRq function disabled'
  if (value === 1) return 'every SysRq function enabled'
  const on = SYSRQ_BITS.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name)
  return on.length > 0 ? `only ${on.join(', ')}` : 'no known SysRq group enabled'
}

export default defineCheck(
  {
    id: 'KD601',
    title: 'Keyboard and serial SysRq cannot trigger a crash (kernel.sysrq mask)',
    severity: 'info',
    scope: 'static',
    stage: 'proof',
    why: `kernel.sysrq is a bit mask for the SysRq keys typed on a keyboard or sent as a serial break: 0 disables them all, 1 enables them all, any other value enables only its groups. The crash key 'c' belongs to the "debugging dumps" group (0x8), so RHEL's default 16 (sync only) and Debian's 0x01b6 (438) both refuse it ("This sysrq operation is disabled."): on a hung host whose shell is gone, Alt-SysRq-c on the console or a serial break followed by c does nothing. Writes to /proc/sysrq-trigger ignore the mask entirely: \`echo c > /proc/sysrq-trigger\` crashes the host whatever kernel.sysrq says, so raising it to 1 before a test through the proc trigger (as in the incident) changes nothing. On a Xen dom0 a serial break reaches Xen's console first (Xen's own 'C' key crashes the whole host and runs the capture kernel); the local keyboard reaches dom0 and obeys this mask. The boot option sysrq_always_enabled ignores the mask.`,
    fix: `To be able to force a dump from the console of a hung host, allow the crash group: \`echo 'kernel.sysrq = 1' > /etc/sysctl.d/90-sysrq.conf && sysctl -p /etc/sysctl.d/90-sysrq.conf\` (or add 8 to the current mask, e.g. 16 + 8 = 24 on RHEL, 438 + 8 = 446 on Debian; RHEL 5/6: /etc/sysctl.conf and \`sysctl -p\`). Weigh it against console access policy: anyone at the console can then crash the host. For a test crash from a shell none of this is needed: \`echo c > /proc/sysrq-trigger\`. Out-of-band alternatives: an NMI from the BMC (KD602) or Xen's console key 'C'.`,
    references: ['https://docs.kernel.org/admin-guide/sysrq.html', 'https://docs.kernel.org/admin-guide/sysctl/kernel.html#sysrq'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const linux = facts.kind === 'runtime' ? facts.runningLinuxLine : facts.nextBoot.known && facts.nextBoot.value.linuxLine ? known(facts.nextBoot.value.linuxLine, [facts.nextBoot.value.linuxLine.evidence]) : undefined
    if (linux?.known && hasToken(linux.value, 'sysrq_always_enabled')) {
      return pass('sysrq_always_enabled is on the kernel command line: every SysRq key works from the keyboard and serial console, whatever kernel.sysrq says.', [linux.value.evidence])
    }
    let fact: Fact<string> = facts.sysctl('kernel.sysrq')
    let origin = ''
    if (!fact.known && facts.kind === 'static') {
      // No sysctl file sets it: the kernel's build default applies at boot.
      const built = facts.kernelConfig('CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE')
      if (built.known) {
        fact = built
        origin = ' (the kernel build default CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE: no sysctl file sets it)'
      }
    }
    if (!fact.known) {
      return {status: 'unknown', severity: 'info', message: `kernel.sysrq is unknown: ${fact.reason}.`, evidence: fact.evidence, verify: 'cat /proc/sys/kernel/sysrq'}
    }
    const value = parseSysctlInt(fact.value)
    if (value === undefined) {
      return {status: 'unknown', severity: 'info', message: `kernel.sysrq${origin} is not a number: ${JSON.stringify(fact.value)}.`, evidence: fact.evidence, verify: 'cat /proc/sys/kernel/sysrq'}
    }
    const shown = `kernel.sysrq=${fact.value.trim()}${/^0x/i.test(fact.value.trim()) ? ` (${value})` : value > 1 ? ` (0x${value.toString(16)})` : ''}${origin}`
    if (keyboardCrashAllowed(value)) {
      return pass(`${shown}: ${describeSysrq(value)}; SysRq-c from the keyboard or a serial break crashes the kernel and starts the dump. (/proc/sysrq-trigger works regardless.)`, fact.evidence)
    }
    return {
      status: 'problem',
      message: `${shown}: ${describeSysrq(value)}. SysRq-c from the keyboard or a serial break is refused ("This sysrq operation is disabled."), so a hung host cannot be crashed from its console. \`echo c > /proc/sysrq-trigger\` still works: the proc trigger ignores the mask, so setting kernel.sysrq=1 before such a test is unnecessary.`,
      evidence: fact.evidence,
    }
  },
)
