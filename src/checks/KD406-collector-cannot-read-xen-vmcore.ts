import type {DumpPlan} from '../facts/dump-plan.js'
import {effectiveCollector, maxDumpLevel} from '../facts/dump-collector.js'
import {describeCollector} from './shared/dump-target.js'
import {defineCheck, notApplicable, pass, type Outcome} from './types.js'

const VERIFY =
  'A test crash in a maintenance window shows it (`kdumpcheck preflight` first): the capture log must not say "/proc/vmcore doesn\'t contain vmcoreinfo." and the saved dump must not be 0 bytes (`ls -l /var/crash/*/`).'

/** What the service does when makedumpfile aborts, per distribution. */
function aftermath(plan: DumpPlan): string {
  switch (plan.family) {
    case 'debian':
      return 'kdump-config then logs "[ ok ] kdump-config: saved vmcore" over a 0-byte dump file, so the failure looks like success'
    case 'rhel':
      return `the capture initramfs keeps no vmcore (at most an empty vmcore-incomplete) and runs its failure action (${plan.failureAction?.value ?? 'reboot'})`
    case 'suse':
      return "kdumptool's save_dump fails and no vmcore is kept"
    case 'xenserver':
      return 'no vmcore is kept'
  }
}

export default defineCheck(
  {
    id: 'KD406',
    title: 'The dump collector cannot process a Xen vmcore',
    nativeTitle: "The dump collector cannot process a hypervisor's vmcore (this host runs none)",
    severity: 'error',
    scope: 'static',
    stage: 'target',
    why: `To filter pages by type (-d 2 and above: cache, user and free pages; -d 31 is every distribution's default) makedumpfile must read the crashed kernel's own structures, which it finds through that kernel's VMCOREINFO note in the vmcore, or through -x <vmlinux with debug info> or -i <vmcoreinfo file>. A Xen vmcore has no such note: under Xen, kexec-tools builds the vmcore's ELF headers with Xen's VMCOREINFO_XEN instead of the dom0 kernel's (kexec/crashdump-elf.c: \`if (xen_present()) get_xen_vmcoreinfo(...) else get_kernel_vmcoreinfo(...)\`). makedumpfile then stops at once with "/proc/vmcore doesn't contain vmcoreinfo." and "Specify '-x' option or '-i' option.", and writes nothing; with -d 0 or -d 1 it needs no kernel symbols (makedumpfile: \`if (info->max_dump_level <= DL_EXCLUDE_ZERO) goto out;\`). Debian's kdump-tools makes it worse: kdump-config logs "[ ok ] kdump-config: saved vmcore" over the 0-byte file. All of this was seen in the lab on a pvops dom0 (Linux 6.1, Xen 4.17, kexec-tools 2.0.25, Debian's default MAKEDUMP_ARGS "-F -c -d 31"), where \`makedumpfile -E -X\` (dump level 0) worked on the same vmcore. For a xenolinux dom0 the same failure is inferred from that kexec-tools code (it does not depend on the dom0 kernel) but was not run in the lab. A plain copy of /proc/vmcore (cp) also works, at the full size of the machine (KD402, KD403).`,
    fix: `Use a collector that needs no dom0 kernel symbols, dropping the guests' pages with -X:\n- Debian/Ubuntu: \`MAKEDUMP_ARGS="-E -X -d 0"\` in /etc/default/kdump-tools, then \`systemctl restart kdump-tools\` (kdump-config adds -F, so the file is a flattened stream: \`makedumpfile -R vmcore < dump.*\` turns it back into an ELF vmcore; seen in the lab).\n- RHEL/CentOS: \`core_collector makedumpfile -E -X -d 0\` in /etc/kdump.conf, then \`kdumpctl restart\` (RHEL 5/6: \`service kdump restart\`).\n- SUSE: \`KDUMP_DUMPLEVEL="0"\` in /etc/sysconfig/kdump (its kdump adds -X on Xen), then \`systemctl restart kdump\`.\nTo keep -d 31 filtering instead (not tried in the lab), give makedumpfile the dom0 kernel's symbols: generate a VMCOREINFO file on the running dom0 with \`makedumpfile -g /var/lib/kdump/vmcoreinfo-$(uname -r) -x /usr/lib/debug/boot/vmlinux-$(uname -r)\` (needs the kernel's debug package) and add \`-i /var/lib/kdump/vmcoreinfo-$(uname -r)\` to the collector; regenerate it after every kernel update.`,
    references: [
      'https://github.com/makedumpfile/makedumpfile/blob/master/makedumpfile.c',
      'https://git.kernel.org/pub/scm/utils/kernel/kexec/kexec-tools.git/tree/kexec/crashdump-elf.c',
      'https://wiki.xenproject.org/wiki/Kexec_and_Kdump',
    ],
  },
  (facts): Outcome => {
    if (!facts.xenPvDom0) return notApplicable('Not a Xen PV dom0: the vmcore is the kernel\'s own and carries its VMCOREINFO.')
    const plan = facts.dumpPlan
    if (!plan.known) return {status: 'unknown', message: `The dump collector is unknown: ${plan.reason}.`, evidence: plan.evidence, verify: VERIFY}
    const p = plan.value
    if (p.family === 'xenserver') return notApplicable("XenServer's capture side does not run a configurable makedumpfile; whether it keeps a vmcore is KD304.")
    const collector = effectiveCollector(p, facts.xenPvDom0)
    if (!collector) return {status: 'unknown', message: `The dump collector is unknown: ${p.collectorUnknown ?? 'it could not be read (see KD302)'}.`, evidence: p.target.evidence, verify: VERIFY}
    const c = collector.collector
    const said = describeCollector(collector, p.family)
    if (c.kind === 'copy') return pass(`${said} copies /proc/vmcore as it is, which needs no kernel symbols (the dump is as large as the machine: KD402, KD403).`, collector.evidence)
    if (c.kind === 'other') {
      return {status: 'unknown', message: `The collector ${said} is neither makedumpfile nor a plain copy: whether it can read a Xen vmcore cannot be told.`, evidence: collector.evidence, verify: VERIFY}
    }
    const level = maxDumpLevel(c)
    if (level <= 1) {
      return pass(`${said} filters ${level === 1 ? 'only zero pages (-d 1)' : 'no pages by type'}, which needs no dom0 kernel symbols: it works on a Xen vmcore${c.xenFilter ? ' (and -X drops the guests)' : ''}.`, collector.evidence)
    }
    if (c.vmlinux !== undefined || c.vmcoreinfo !== undefined) {
      const file = c.vmlinux !== undefined ? `-x ${c.vmlinux}` : `-i ${c.vmcoreinfo}`
      return pass(`${said} filters with -d ${level} and gives makedumpfile the dom0 kernel's symbols (${file}); that file must exist in the capture environment and match the running kernel.`, collector.evidence)
    }
    const role = facts.role.known && facts.role.value.kind === 'xen-dom0' ? facts.role.value.kernel : undefined
    const basis =
      role === 'pvops'
        ? 'Seen in the lab on a pvops dom0 (Linux 6.1, Xen 4.17, Debian kdump-tools).'
        : role === 'xenolinux'
          ? 'On this xenolinux dom0 the failure is inferred, not seen: under Xen, kexec-tools puts only Xen\'s VMCOREINFO in the vmcore whatever the dom0 kernel.'
          : ''
    return {
      status: 'problem',
      message: `${said} filters pages with -d ${level}, which needs the dom0 kernel's VMCOREINFO; a Xen vmcore carries only Xen's, and neither -x nor -i is given. makedumpfile stops with "/proc/vmcore doesn't contain vmcoreinfo." and writes no dump; ${aftermath(p)}. ${basis}`.trim(),
      evidence: [...collector.evidence, ...facts.role.evidence.slice(0, 1)],
    }
  },
)
