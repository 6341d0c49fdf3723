import {crashkernelToken} from '../facts/command-lines.js'
import {hostContext} from './shared/host-wording.js'
import {XEN_CMDLINE_DOC, xenCrashkernelFix} from './shared/xen-fixes.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD107',
    title: "The default boot entry's Xen line lacks crashkernel=",
    nativeTitle: "The default boot entry's kernel line lacks crashkernel=",
    severity: 'error',
    scope: 'static',
    stage: 'region',
    why: `A host image is only as ready as the boot entry it will start: if the default entry's Xen line (the multiboot/kernel /xen.gz line, not dom0's module line) has no crashkernel=, every host built from this image boots without a crash region and cannot dump. On a live host KD101 and KD106 judge the running and next boot lines instead. On Debian, dom0's line needs a crashkernel= as well, although dom0's kernel ignores it under Xen: kdump-config refuses to load a capture kernel without one in /proc/cmdline (seen in the lab: the region reserved, nothing loaded; a live host shows it as KD202).`,
    fix: xenCrashkernelFix(undefined),
    references: [XEN_CMDLINE_DOC],
  },
  (facts) => {
    if (facts.kind === 'runtime') return notApplicable('On a running host KD101 (running line) and KD106 (next boot) apply.')
    const boot = facts.nextBoot
    if (!boot.known) {
      return {status: 'unknown', message: `The image's default boot entry cannot be read: ${boot.reason}.`, evidence: boot.evidence}
    }
    const line = facts.xenPvDom0 ? boot.value.xenLine : boot.value.linuxLine
    const which = facts.xenPvDom0 ? 'Xen' : 'kernel'
    if (!line) return {status: 'problem', message: `The default entry "${boot.value.entry.title}" has no ${which} line.`, evidence: boot.value.evidence}
    const token = crashkernelToken(line)
    const service = facts.kdumpService
    const dom0 = boot.value.linuxLine
    if (token && facts.xenPvDom0 && service.known && service.value.family === 'debian' && dom0 && !crashkernelToken(dom0)) {
      // Seen in the lab (scenario FIXED, before fix restored it): Xen reserved the region, and
      // kdump-config load said "no crashkernel= parameter in the kernel cmdline" and loaded nothing.
      return {
        status: 'problem',
        message: `The default entry "${boot.value.entry.title}" gives Xen ${token.raw}, but dom0's line has no crashkernel=: Debian's kdump-config refuses to load a capture kernel without one in dom0's /proc/cmdline ("no crashkernel= parameter in the kernel cmdline"), so nothing would be loaded.`,
        evidence: [line.evidence, dom0.evidence, ...service.value.evidence],
        fix: "Restore kdump-tools' grub drop-in: `echo 'GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M\"' > /etc/default/grub.d/kdump-tools.cfg && update-grub` (under Xen dom0's kernel ignores it; kdump-config only looks for it).",
      }
    }
    if (token) return pass(`The default entry "${boot.value.entry.title}" gives ${which} ${token.raw}.`, [line.evidence])
    return {
      status: 'problem',
      message: `The default entry "${boot.value.entry.title}" in ${boot.value.file} starts ${which} without crashkernel=.`,
      evidence: [line.evidence],
      ...(facts.xenPvDom0 ? {fix: xenCrashkernelFix(undefined, hostContext(facts))} : {}),
    }
  },
)
