import {XEN_KDUMP_WIKI, xenCrashkernelFix} from './shared/xen-fixes.js'
import {formatMiB} from '../units.js'
import {hostText} from './shared/host-wording.js'
import {xenAtLeast, type XenMajorMinor} from '../parsers/xen-version.js'
import {defineCheck, notApplicable, pass} from './types.js'

/** Where Xen can place the region: the syntax that lets it choose depends on its version. */
function xenPlacement(version?: XenMajorMinor, toolstack: 'xl' | 'xm' = 'xl'): string {
  const choose =
    version === undefined
      ? 'drop a fixed @offset (use ",below=4G" on Xen >= 4.10, "<4G" on 4.8-4.9)'
      : xenAtLeast(version, 4, 10)
        ? 'drop a fixed @offset (use ",below=4G")'
        : xenAtLeast(version, 4, 8)
          ? 'drop a fixed @offset (use "<4G")'
          : 'move the fixed @offset to free memory (this Xen takes only size@offset)'
  return `Ask for a region Xen can place: ${choose}, lower the size, or free low memory (a smaller dom0_mem does not help; the region comes from machine memory). Reboot and confirm with \`${toolstack} dmesg | grep Kdump\`.`
}

const NATIVE_PLACEMENT = hostText(
  'Ask for a region the kernel can place: drop a fixed @offset, lower the size, or use a range such as `crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M`, on the kernel command line:',
  [
    [{family: ['rhel']}, 'RHEL/CentOS/Fedora: `grubby --update-kernel=ALL --args=crashkernel=<value>` (RHEL 9+: `kdumpctl reset-crashkernel --kernel=ALL` restores the default).'],
    [{family: ['debian']}, 'Debian/Ubuntu: crashkernel= in GRUB_CMDLINE_LINUX_DEFAULT (kdump-tools keeps it in /etc/default/grub.d/kdump-tools.cfg), then `update-grub`.'],
    [{family: ['suse']}, 'SUSE: KDUMP_CRASHKERNEL via `yast kdump`, or crashkernel= in GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, then `grub2-mkconfig -o /boot/grub2/grub.cfg`.'],
  ],
  'Reboot and confirm with `grep "Crash kernel" /proc/iomem`.',
)

export default defineCheck(
  {
    id: 'KD104',
    title: 'Crash region not reserved',
    severity: 'error',
    scope: 'runtime',
    stage: 'region',
    why: `crashkernel= only asks; the hypervisor (or the kernel, natively) must also find room. Xen prints "Kdump: DISABLED (failed to reserve ...)" when the requested address is taken, and prints nothing at all when automatic placement finds no room. Without a reserved region no capture kernel can be loaded. On a long-running host Xen's boot log may have wrapped, and then a missing "Kdump:" line proves nothing either way.`,
    fix: `${xenPlacement()}\n\n${xenCrashkernelFix(undefined)}\n\nNatively: ${NATIVE_PLACEMENT.full}`,
    fixFor: (host) => (host.xen === false ? NATIVE_PLACEMENT.for(host) : `${xenPlacement(host.xenVersion, host.toolstack)}\n\n${xenCrashkernelFix(host.xenVersion, host)}`),
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
