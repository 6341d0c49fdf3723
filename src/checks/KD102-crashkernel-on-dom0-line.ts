import {crashkernelToken} from '../facts/command-lines.js'
import {XEN_KDUMP_WIKI} from './shared/xen-fixes.js'
import type {Facts} from '../facts/facts.js'
import {defineCheck, notApplicable, pass, type Outcome} from './types.js'

export default defineCheck(
  {
    id: 'KD102',
    title: "crashkernel= on dom0's Linux line under Xen is ineffective",
    nativeTitle: 'crashkernel= on the kernel line is ignored under a hypervisor (this host runs none)',
    severity: 'warning',
    scope: 'static',
    stage: 'region',
    why: `Under Xen, dom0 is a guest: its kernel cannot reserve machine memory, and recent kernels say "Ignoring crashkernel for a Xen PV domain". The option still fools people and tools: Debian's kdump-tools grub drop-in puts it there (GRUB_CMDLINE_LINUX_DEFAULT), and kdump-config, kdumpctl and the incident's operators read dom0's /proc/cmdline and believe kdump is configured. Only crashkernel= on the Xen line reserves a region. On an image the Xen entry it will boot is judged: dom0's line of that entry, and its Xen line (the entry update-grub generates from /etc/default/grub when there is no grub.cfg yet).`,
    fix: `Put crashkernel= on the Xen line (see KD101). Debian's kdump-config refuses to load without crashkernel= in dom0's /proc/cmdline, so on Debian keep the dom0 copy as well; elsewhere remove it from GRUB_CMDLINE_LINUX* (grub2) or from the \`module /vmlinuz-...\` line (grub legacy).`,
    references: [XEN_KDUMP_WIKI, 'https://salsa.debian.org/debian/kdump-tools'],
  },
  (facts) => {
    if (!facts.xenPvDom0) return notApplicable('Only a Xen PV dom0 ignores crashkernel= on its own line.')
    if (facts.kind === 'static') return imageEntry(facts)
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

/** An image: dom0's line and Xen's line of the Xen entry it will boot. */
function imageEntry(facts: Facts): Outcome {
  const boot = facts.nextBoot
  if (!boot.known) return {status: 'unknown', message: `The image's default boot entry cannot be read: ${boot.reason}.`, evidence: boot.evidence}
  const dom0 = boot.value.linuxLine
  if (!dom0) return {status: 'unknown', message: `The Xen entry "${boot.value.entry.title}" has no dom0 kernel line that could be read.`, evidence: boot.value.evidence}
  const token = crashkernelToken(dom0)
  if (!token) return pass(`dom0's line in the Xen entry "${boot.value.entry.title}" has no crashkernel= (it would be ignored under Xen).`, [dom0.evidence])
  const xen = boot.value.xenLine
  const onXen = xen ? crashkernelToken(xen) : undefined
  if (xen && onXen) return pass(`${token.raw} on dom0's line of the Xen entry is ignored by the kernel, but harmless: Xen's line has its own ${onXen.raw}.`, [dom0.evidence, xen.evidence])
  return {
    status: 'problem',
    message: `${token.raw} is on dom0's line of the Xen entry "${boot.value.entry.title}" (${boot.value.file})${xen ? ', and not on its Xen line' : ''}: every host booted from this image reserves nothing under Xen, although kdump tools reading /proc/cmdline will believe it does.`,
    evidence: [{...dom0.evidence, text: token.raw}, ...(xen ? [xen.evidence] : [])],
  }
}
