import {crashkernelToken} from '../facts/command-lines.js'
import {XEN_KDUMP_WIKI} from './shared/xen-fixes.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD102',
    title: "crashkernel= on dom0's Linux line under Xen is ineffective",
    nativeTitle: 'crashkernel= on the kernel line is ignored under a hypervisor (this host runs none)',
    severity: 'warning',
    scope: 'runtime',
    stage: 'region',
    why: `Under Xen, dom0 is a guest: its kernel cannot reserve machine memory, and recent kernels say "Ignoring crashkernel for a Xen PV domain". The option still fools people and tools: Debian's kdump-tools grub drop-in puts it there (GRUB_CMDLINE_LINUX_DEFAULT), and kdump-config, kdumpctl and the incident's operators read dom0's /proc/cmdline and believe kdump is configured. Only crashkernel= on the Xen line reserves a region.`,
    fix: `Put crashkernel= on the Xen line (see KD101). Debian's kdump-config refuses to load without crashkernel= in dom0's /proc/cmdline, so on Debian keep the dom0 copy as well; elsewhere remove it from GRUB_CMDLINE_LINUX* (grub2) or from the \`module /vmlinuz-...\` line (grub legacy).`,
    references: [XEN_KDUMP_WIKI, 'https://salsa.debian.org/debian/kdump-tools'],
  },
  (facts) => {
    if (!facts.xenPvDom0) return notApplicable('Only a Xen PV dom0 ignores crashkernel= on its own line.')
    const dom0 = facts.runningLinuxLine
    if (!dom0.known) return {status: 'unknown', message: `dom0's command line is unknown: ${dom0.reason}.`, evidence: dom0.evidence}
    const token = crashkernelToken(dom0.value)
    if (!token) return pass("dom0's own command line has no crashkernel= (it would be ignored under Xen).", [dom0.value.evidence])
    const xen = facts.runningXenLine
    const onXen = xen.known ? crashkernelToken(xen.value) : undefined
    if (onXen && xen.known) {
      return pass(`${token.raw} on dom0's line is ignored by the kernel, but harmless: Xen has its own ${onXen.raw}.`, [dom0.value.evidence, xen.value.evidence])
    }
    return {
      status: 'problem',
      message: `${token.raw} is on dom0's Linux command line${xen.known ? ', and not on the Xen line' : ''}: under Xen it reserves nothing, although kdump tools reading /proc/cmdline will believe it does.`,
      evidence: [{...dom0.value.evidence, text: token.raw}, ...(xen.known ? [xen.value.evidence] : [])],
    }
  },
)
