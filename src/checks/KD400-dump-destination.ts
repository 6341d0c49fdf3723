import {effectiveCollector} from '../facts/dump-collector.js'
import {describeCollector} from './shared/dump-target.js'
import {defineCheck, pass} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'

/** Words before the target's own description (which already names nfs, ssh and raw targets). */
const KIND_WORDS = {local: 'local path ', fs: 'dump disk ', raw: '', nfs: '', ssh: '', virtiofs: 'virtiofs share '} as const

export default defineCheck(
  {
    id: 'KD400',
    title: 'Where the dump will go: the vmcore shares the root filesystem',
    severity: 'info',
    scope: 'static',
    stage: 'target',
    why: `A kernel crash dump is written by the capture kernel's own initramfs to the target the kdump service names, not by the crashed kernel and not where core_pattern points (KD405). Knowing the exact destination (device, directory and the collector that writes it) is what an operator needs after a crash, and what the other target checks (KD401-KD406) judge. This check always names it; it reports "info" rather than "pass" when the vmcore would land on the root filesystem (or where that cannot be ruled out): a dump of a large host there competes with the operating system for space, and a full root filesystem after a crash can keep the host from coming back cleanly. A dedicated dump filesystem or a remote target passes.`,
    fix: `Nothing is broken. To give dumps their own filesystem:\n- RHEL/CentOS (/etc/kdump.conf): a dump disk and a path on it, e.g. \`xfs UUID=<uuid of the dump filesystem>\` and \`path /var/crash\` (the path is relative to that filesystem), then \`kdumpctl restart\` (RHEL 5/6: \`service kdump restart\`).\n- Debian/Ubuntu (/etc/default/kdump-tools): mount a dedicated filesystem (listed in /etc/fstab) and set \`KDUMP_COREDIR="/srv/crash"\` on it, then \`systemctl restart kdump-tools\`.\n- SUSE (/etc/sysconfig/kdump): \`KDUMP_SAVEDIR="file:///srv/crash"\` on a dedicated filesystem, then \`systemctl restart kdump\`.\nRemote targets (kdump.conf \`nfs host:/export\` or \`ssh user@host\`; kdump-tools \`NFS=\`/\`SSH=\`; SUSE \`nfs://\`/\`ssh://\` URLs) keep the dump off the host entirely.`,
    references: ['https://docs.kernel.org/admin-guide/kdump/kdump.html', 'https://github.com/rhkdump/kdump-utils/blob/main/kdump.conf.5', 'https://manpages.debian.org/bookworm/kdump-tools/kdump-config.8.en.html'],
  },
  (facts) => {
    const plan = facts.dumpPlan
    if (!plan.known) {
      return {
        status: 'unknown',
        message: `Where a dump would go is unknown: ${plan.reason}.`,
        evidence: plan.evidence,
        verify: 'RHEL: grep -v "^#" /etc/kdump.conf; Debian/Ubuntu: kdump-config show; SUSE: grep KDUMP_SAVEDIR /etc/sysconfig/kdump',
      }
    }
    const p = plan.value
    const collector = effectiveCollector(p, facts.xenPvDom0)
    const landing = p.landing
    const where = landing.kind === 'filesystem' ? landing.description : p.target.description
    const how =
      p.family === 'xenserver'
        ? `written by XenServer's crash kernel tools${p.keepsVmcore && !p.keepsVmcore.value ? ', which keep no vmcore (CRASH_COREDUMP: KD304)' : ''}`
        : collector
          ? `written by ${describeCollector(collector, p.family)}`
          : 'by a collector that is unknown'
    const message = `The vmcore goes to ${KIND_WORDS[p.target.kind]}${where}, ${how}.`
    const evidence: Evidence[] = [...(landing.kind === 'unresolved' ? p.target.evidence : landing.evidence), ...(collector?.evidence ?? [])]
    if (landing.kind === 'filesystem' && landing.mountpoint === '/') {
      return {status: 'problem', message: `${message} It shares the root filesystem with the operating system.`, evidence}
    }
    if (landing.kind === 'unresolved') {
      return {status: 'problem', message: `${message} Which filesystem receives it is unclear (${landing.reason}).`, evidence}
    }
    return pass(message, evidence)
  },
)
