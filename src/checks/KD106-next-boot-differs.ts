import {crashkernelToken, type CommandLine} from '../facts/command-lines.js'
import {xenNoReboot} from '../parsers/cmdline.js'
import {defineCheck, notApplicable, pass} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'

export default defineCheck(
  {
    id: 'KD106',
    title: 'The next boot differs from the running crash settings',
    severity: 'warning',
    scope: 'runtime',
    stage: 'region',
    why: `What protects the host now is the running command line; what protects it after the next reboot is the boot loader's default entry. A crashkernel= typed at the grub prompt, or added to grub.cfg and then overwritten by update-grub or a kernel update, disappears at the next reboot; a fix written to the boot configuration does nothing until the host reboots. Either way the readiness you measure today is not the readiness you will have.`,
    fix: `Make the boot configuration carry the same crashkernel= as the running line: on grub2 edit GRUB_CMDLINE_XEN_DEFAULT (Xen) or GRUB_CMDLINE_LINUX (native) in /etc/default/grub and run update-grub / grub2-mkconfig; on grub legacy edit the default entry in /boot/grub/grub.conf; on XenServer use /opt/xensource/libexec/xen-cmdline --set-xen. If the boot configuration is already right, schedule the reboot that activates it.`,
    references: ['https://www.gnu.org/software/grub/manual/grub/html_node/Simple-configuration.html'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU has no crash region (KD100).')
    const boot = facts.nextBoot
    const running = facts.xenPvDom0 ? facts.runningXenLine : facts.runningLinuxLine
    if (!running.known) return {status: 'unknown', message: `The running command line is unknown: ${running.reason}.`, evidence: running.evidence}
    if (!boot.known) {
      return {status: 'unknown', message: `The next boot's entry is unknown: ${boot.reason}.`, evidence: boot.evidence, verify: 'grub2-editenv list; grep -n -E "^(default|title|\\s*(kernel|module|multiboot2?))" /boot/grub*/grub.c*'}
    }
    if (facts.xenPvDom0 && !boot.value.entry.isXen) {
      return {status: 'problem', message: `The default boot entry "${boot.value.entry.title}" does not start Xen: the next boot will not be a Xen host at all.`, evidence: boot.value.evidence}
    }
    const next: CommandLine | undefined = facts.xenPvDom0 ? boot.value.xenLine : boot.value.linuxLine
    if (!next) return {status: 'unknown', message: `The default entry "${boot.value.entry.title}" has no ${facts.xenPvDom0 ? 'Xen' : 'kernel'} line.`, evidence: boot.value.evidence}
    const now = crashkernelToken(running.value)?.raw
    const later = crashkernelToken(next)?.raw
    const evidence: Evidence[] = [running.value.evidence, next.evidence]
    const differences: string[] = []
    if (now !== later) {
      if (now && !later) differences.push(`the running line has ${now} but the next boot has no crashkernel= at all: the region is lost at the next reboot`)
      else if (!now && later) differences.push(`the next boot has ${later}, which is not active yet: reboot to reserve the region`)
      else differences.push(`the running line has ${now} but the next boot has ${later}`)
    }
    if (facts.xenPvDom0 && xenNoReboot(running.value.parsed).noreboot !== xenNoReboot(next.parsed).noreboot) {
      differences.push(`'noreboot' is ${xenNoReboot(running.value.parsed).noreboot ? 'set now but not at the next boot' : 'not set now but will be at the next boot'}`)
    }
    if (differences.length === 0) return pass(`The default entry "${boot.value.entry.title}" (${boot.value.file}) matches the running line${now ? ` (${now})` : ''}.`, evidence)
    return {status: 'problem', message: `${differences.join('; ')}.`, evidence}
  },
)
