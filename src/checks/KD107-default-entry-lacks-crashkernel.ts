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
    why: `A host image is only as ready as the boot entry it will start: if the default entry's Xen line (the multiboot/kernel /xen.gz line, not dom0's module line) has no crashkernel=, every host built from this image boots without a crash region and cannot dump. On a live host KD101 and KD106 judge the running and next boot lines instead.`,
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
    if (token) return pass(`The default entry "${boot.value.entry.title}" gives ${which} ${token.raw}.`, [line.evidence])
    return {
      status: 'problem',
      message: `The default entry "${boot.value.entry.title}" in ${boot.value.file} starts ${which} without crashkernel=.`,
      evidence: [line.evidence],
      ...(facts.xenPvDom0 ? {fix: xenCrashkernelFix(undefined, hostContext(facts))} : {}),
    }
  },
)
