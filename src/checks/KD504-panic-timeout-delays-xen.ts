import {sysctlNumber} from '../facts/sysctl.js'
import {kernelAtLeast} from '../parsers/versions.js'
import {defineCheck, notApplicable, pass} from './types.js'

/** Linux 5.4 (and stable backports of the October 2019 change) moved a pvops dom0's crash report to the end of panic(). */
function reportsAtEndOfPanic(release: string): boolean | undefined {
  return kernelAtLeast(release, 5, 4)
}

export default defineCheck(
  {
    id: 'KD504',
    title: "kernel.panic > 0 on a pvops dom0 delays the hand-off to Xen's capture kernel",
    nativeTitle: "kernel.panic > 0 delays the hand-off to a hypervisor's capture kernel (this host runs none)",
    severity: 'info',
    scope: 'static',
    stage: 'after-crash',
    why: `Before Linux 5.4 a pvops dom0 told Xen it had crashed as soon as it panicked. Since then (and in stable kernels that took the October 2019 change) the crash is reported at the end of panic(), after the kernel.panic=N timeout, so Xen starts the capture kernel only N seconds later: the dump is delayed, and anything that resets the host in the meantime (a BMC watchdog, an operator) loses it. This is inferred from the kernel source, not observed in the lab; the dom0 option xen_legacy_crash restores the immediate hand-off.`,
    fix: `On a Xen dom0 with a capture kernel loaded, set kernel.panic = 0 (in /etc/sysctl.d/90-kdump.conf, then \`sysctl -p\`), or add xen_legacy_crash to dom0's command line (GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT or GRUB_CMDLINE_LINUX on grub2; the module /vmlinuz line on grub legacy) and reboot. Natively, kernel.panic only matters when no dump runs.`,
    references: ['https://docs.kernel.org/admin-guide/kernel-parameters.html', 'https://docs.kernel.org/admin-guide/sysctl/kernel.html#panic'],
  },
  (facts) => {
    if (!facts.xenPvDom0 || !facts.role.known || facts.role.value.kind !== 'xen-dom0' || facts.role.value.kernel === 'xenolinux') {
      return notApplicable('Only a pvops dom0 hands its crash to Xen at the end of panic().')
    }
    if (facts.role.value.kernel === 'unknown') {
      return {
        status: 'unknown',
        severity: 'info',
        message: `This applies to pvops dom0s only, and this dom0's kernel flavour is unknown${facts.role.value.flavourUnknown ? ` (${facts.role.value.flavourUnknown})` : ''}.`,
        evidence: facts.role.evidence,
        verify: 'uname -r; grep CONFIG_XEN_DOM0= /boot/config-$(uname -r); sysctl kernel.panic',
      }
    }
    const release = facts.kernelRelease.known ? facts.kernelRelease.value : undefined
    const modern = release ? reportsAtEndOfPanic(release) : undefined
    if (modern === false) return pass(`Linux ${release} reports the crash to Xen immediately.`, facts.kernelRelease.evidence)
    const panic = sysctlNumber(facts.sysctl('kernel.panic'))
    if (!panic.known) return {status: 'unknown', message: `kernel.panic is unknown: ${panic.reason}.`, evidence: panic.evidence, severity: 'info'}
    if (panic.value <= 0) return pass(`kernel.panic=${panic.value}: the crash reaches Xen without a timeout.`, panic.evidence)
    const legacy = facts.runningLinuxLine.known && facts.runningLinuxLine.value.parsed.tokens.some((t) => t.key === 'xen_legacy_crash')
    if (legacy) return pass(`kernel.panic=${panic.value}, but xen_legacy_crash makes dom0 hand the crash to Xen at once.`, [...panic.evidence, facts.runningLinuxLine.known ? facts.runningLinuxLine.value.evidence : panic.evidence[0]!])
    return {
      status: 'problem',
      message: `kernel.panic=${panic.value} on ${release ? `Linux ${release}` : 'a pvops dom0'}: Xen gets the crash, and starts the capture kernel, only ${panic.value} s after the panic (inferred from the kernel source).`,
      evidence: [...panic.evidence, ...facts.kernelRelease.evidence],
    }
  },
)
