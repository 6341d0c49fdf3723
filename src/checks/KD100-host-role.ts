import {defineCheck, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD100',
    title: 'Host role decides which crash-dump rules apply',
    severity: 'error',
    scope: 'static',
    stage: 'host',
    why: `A Xen PV dom0 hands its crash to the hypervisor: the region must be reserved by Xen and the capture kernel loaded into Xen, and dom0's own view (sysfs, /proc/iomem) is only trustworthy on xenolinux kernels. A PVH dom0, an HVM guest and bare metal follow the native Linux rules. Inside a PV domU kdump is not supported at all: the guest cannot kexec into a capture kernel, and its memory is dumped from dom0 instead.`,
    fix: `For a PV domU, take guest dumps from dom0 with \`xl dump-core <domain> <file>\` (or set \`on_crash = "coredump-restart"\` in the domain's configuration, which writes to /var/lib/xen/dump/ in dom0), and make sure dom0 itself passes kdumpcheck.`,
    references: ['https://xenbits.xen.org/docs/unstable/man/xl.cfg.5.html#on_crash-ACTION', 'https://wiki.xenproject.org/wiki/Kexec_and_Kdump'],
  },
  (facts) => {
    const {role} = facts
    if (!role.known) {
      return {
        status: 'unknown',
        message: `The host role could not be determined: ${role.reason}. Without it no rule set can be chosen.`,
        evidence: role.evidence,
        verify: 'cat /proc/xen/capabilities (control_d = dom0); cat /sys/hypervisor/type /sys/hypervisor/guest_type; xl info',
      }
    }
    if (role.value.kind === 'xen-domu-pv') {
      return {
        status: 'problem',
        message: 'This is a Xen PV guest (domU): kdump inside a PV domU is not supported, so no vmcore will be written by the guest.',
        evidence: role.evidence,
      }
    }
    if (role.value.kind === 'xen-dom0' && role.value.kernel === 'unknown') {
      return pass(
        `${facts.roleDescription}. Xen's own line is judged as on any dom0 (both kernel flavours need crashkernel= there); only dom0's sysfs and /proc/iomem view stays untrusted (${role.value.flavourUnknown ?? 'no evidence of the flavour'}).`,
        role.evidence,
      )
    }
    return pass(`${facts.roleDescription}.`, role.evidence)
  },
)
