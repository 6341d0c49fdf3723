import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD203',
    title: 'The capture kernel cannot boot on bare metal (a Xen-only kernel)',
    nativeTitle: 'The capture kernel cannot boot on bare metal (a paravirtualised-only kernel)',
    severity: 'error',
    scope: 'static',
    stage: 'capture',
    why: `Xen hands the crashed machine to the capture kernel on bare metal, outside the hypervisor. A xenolinux kernel (RHEL 5 kernel-xen, "-xen"/"el5xen" releases) only runs as a Xen guest, so loaded as the capture kernel it dies at once. RHEL 5's kdump service uses the running kernel unless KDUMP_KERNELVER names another one, so a dom0 running 2.6.18-406.el5xen needs the plain kernel 2.6.18-406.el5 installed and named. pvops kernels (any mainline kernel) boot on both, so this only concerns xenolinux dom0s.`,
    fix: `Install the non-Xen kernel of the same version (RHEL/CentOS 5: \`yum install kernel-$(uname -r | sed 's/xen$//')\`) and name it in /etc/sysconfig/kdump: KDUMP_KERNELVER="$(uname -r | sed 's/xen$//')", then \`service kdump restart\`.`,
    references: ['https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/5/html/virtualization/sect-virtualization-troubleshooting_xen-kdump'],
  },
  (facts) => {
    if (!facts.xenPvDom0 || !facts.role.known || facts.role.value.kind !== 'xen-dom0') return notApplicable('Only a xenolinux dom0 can pick a Xen-only capture kernel.')
    if (facts.role.value.kernel === 'pvops') return pass('dom0 runs a pvops kernel, which also boots on bare metal.', facts.role.evidence)
    const images = facts.captureImages
    if (!images.known) return {status: 'unknown', message: `Which capture kernel the service loads is unknown: ${images.reason}.`, evidence: images.evidence}
    const {kernelPath, basis} = images.value
    const name = kernelPath.split('/').pop() ?? kernelPath
    if (/xen$/.test(name)) {
      return {status: 'problem', message: `The capture kernel would be ${kernelPath} (${basis}), a Xen-only kernel that cannot boot on bare metal.`, evidence: images.value.evidence}
    }
    const listing = facts.bootListing
    if (!listing.known) return {status: 'unknown', message: `The capture kernel ${kernelPath} (${basis}) could not be looked for: ${listing.reason}.`, evidence: images.value.evidence}
    const found = listing.value.lookup(kernelPath)
    if (found) return pass(`The capture kernel ${kernelPath} (${basis}) is a bare-metal kernel and is installed.`, [...images.value.evidence, found.evidence])
    if (!listing.value.covers(kernelPath)) return {status: 'unknown', message: `${kernelPath} is outside the collected listing.`, evidence: images.value.evidence}
    return {status: 'problem', message: `The capture kernel ${kernelPath} (${basis}) is not installed.`, evidence: [...images.value.evidence, listing.value.evidence]}
  },
)
