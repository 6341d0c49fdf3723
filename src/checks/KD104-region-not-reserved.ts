import {XEN_KDUMP_WIKI, xenCrashkernelFix} from './shared/xen-fixes.js'
import {formatMiB} from '../units.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD104',
    title: 'Crash region not reserved',
    severity: 'error',
    scope: 'runtime',
    stage: 'region',
    why: `crashkernel= only asks; the hypervisor (or the kernel, natively) must also find room. Xen prints "Kdump: DISABLED (failed to reserve ...)" when the requested address is taken, and prints nothing at all when automatic placement finds no room. Without a reserved region no capture kernel can be loaded. On a long-running host Xen's boot log may have wrapped, and then a missing "Kdump:" line proves nothing either way.`,
    fix: `Ask for a region Xen can place: drop a fixed @offset (use ",below=4G" on Xen >= 4.10, "<4G" on 4.8-4.9), lower the size, or free low memory (a smaller dom0_mem does not help; the region comes from machine memory). Reboot and confirm with \`xl dmesg | grep Kdump\` (natively: \`grep "Crash kernel" /proc/iomem\`).\n\n${xenCrashkernelFix(undefined)}`,
    references: [XEN_KDUMP_WIKI, 'https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU has no crash region (KD100).')
    const region = facts.crashRegion
    if (!region.known) {
      return {
        status: 'unknown',
        message: `Whether a crash region is reserved cannot be told: ${region.reason}.`,
        evidence: region.evidence,
        verify: facts.xenPvDom0
          ? 'kexec --print-ckr-size (kexec-tools >= 2.0.24 asks Xen), or right after a reboot: xl dmesg | grep Kdump'
          : 'grep "Crash kernel" /proc/iomem; cat /sys/kernel/kexec_crash_size',
      }
    }
    if (region.value.reserved) {
      const at = region.value.start !== undefined ? ` at 0x${region.value.start.toString(16)}` : ''
      return pass(`A ${formatMiB(region.value.sizeBytes)} crash region is reserved${at}.`, region.evidence)
    }
    return {status: 'problem', message: `No crash region is reserved: ${region.value.why}.`, evidence: region.evidence}
  },
)
