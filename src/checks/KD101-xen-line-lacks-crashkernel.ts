import {crashkernelToken} from '../facts/command-lines.js'
import {hostContext} from './shared/host-wording.js'
import {XEN_CMDLINE_DOC, XEN_KDUMP_WIKI, xenCrashkernelFix} from './shared/xen-fixes.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD101',
    title: 'No crashkernel= on the running Xen command line',
    nativeTitle: 'No crashkernel= on the running kernel command line',
    severity: 'error',
    scope: 'runtime',
    stage: 'region',
    why: `On Xen the crash region is reserved by the hypervisor at boot, and only when its own command line carries crashkernel=. There is no default: without it Xen reserves nothing, nothing can be loaded, and a dom0 crash ends with "Domain 0 crashed" and a halt or reboot instead of a dump. crashkernel= on dom0's Linux line does nothing under Xen. On a host without Xen the same rule applies to the kernel's own command line.`,
    fix: xenCrashkernelFix(undefined),
    references: [XEN_CMDLINE_DOC, XEN_KDUMP_WIKI, 'https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts) => {
    if (!facts.role.known) return {status: 'unknown', message: 'The host role is unknown (KD100), so the line that must carry crashkernel= is unknown.', evidence: []}
    if (facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU has no crash region of its own (KD100).')
    if (!facts.xenPvDom0) {
      const line = facts.runningLinuxLine
      if (!line.known) return {status: 'unknown', message: `The kernel command line is unknown: ${line.reason}.`, evidence: line.evidence}
      const token = crashkernelToken(line.value)
      if (token) return pass(`The kernel command line has ${token.raw}.`, [{...line.value.evidence, text: token.raw}])
      return {
        status: 'problem',
        message: 'The running kernel was booted without crashkernel=, so no memory is reserved for a capture kernel.',
        evidence: [line.value.evidence],
        fix: 'Add crashkernel= to the kernel command line and reboot: RHEL 8+ `kdumpctl reset-crashkernel` or `grubby --update-kernel=ALL --args="crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M"`; Debian/Ubuntu install kdump-tools (its grub drop-in adds it) and run `update-grub`; then reboot.',
      }
    }
    const xen = facts.runningXenLine
    if (!xen.known) {
      return {
        status: 'unknown',
        message: `The running Xen command line is unknown: ${xen.reason}.`,
        evidence: xen.evidence,
        verify: 'xl info | grep xen_commandline   (Xen 3.x: xm dmesg | grep "Command line")',
      }
    }
    const token = crashkernelToken(xen.value)
    const version = facts.xenVersion.known ? facts.xenVersion.value : undefined
    if (token) return pass(`The running Xen command line has ${token.raw}.`, [xen.value.evidence])
    return {
      status: 'problem',
      message: `Xen ${version ? `${version.text} ` : ''}was booted without crashkernel= on its own command line, so it reserved no crash region: a dom0 crash cannot reach a capture kernel.`,
      evidence: [xen.value.evidence],
      fix: xenCrashkernelFix(version, hostContext(facts)),
    }
  },
)
