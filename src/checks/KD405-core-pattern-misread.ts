import {defineCheck, pass, type Outcome} from './types.js'

/** The pipe handlers distributions install: systemd-coredump, ABRT, Apport (and cores switched off). */
const KNOWN_HANDLERS = /(^|\/)(systemd-coredump|abrt-hook-ccpp|apport|false|true)$/
/** Directory names that suggest the operator meant it as a place for crash dumps. */
const DUMPISH = /(dump|crash|core)/i

export type CorePatternReading =
  | {kind: 'default' | 'handler' | 'other-pipe' | 'relative'; text: string}
  | {kind: 'dump-location'; text: string; where: string}

/** How `kernel.core_pattern` reads: only a path somewhere that looks like a dump location is worth a word. */
export function readCorePattern(value: string): CorePatternReading {
  const v = value.trim()
  if (v === '' || v === 'core') return {kind: 'default', text: 'the kernel default: a file named core in the crashing process\'s working directory'}
  if (v.startsWith('|')) {
    const program = v.slice(1).trim().split(/\s+/)[0] ?? ''
    if (KNOWN_HANDLERS.test(program)) return {kind: 'handler', text: `piped to ${program}, the distribution's core handler`}
    if (DUMPISH.test(program)) return {kind: 'dump-location', text: `piped to ${program}`, where: `the program ${program}`}
    return {kind: 'other-pipe', text: `piped to ${program}`}
  }
  const slash = v.lastIndexOf('/')
  const dir = slash < 0 ? '' : slash === 0 ? '/' : v.slice(0, slash)
  if (v.startsWith('/')) return {kind: 'dump-location', text: `written under ${dir}`, where: dir}
  if (dir !== '' && dir.split('/').some((seg) => DUMPISH.test(seg))) return {kind: 'dump-location', text: `written under ${dir} (relative to each process's working directory)`, where: dir}
  return {kind: 'relative', text: `written as ${v} in the crashing process's working directory`}
}

export default defineCheck(
  {
    id: 'KD405',
    title: 'core_pattern looks like a dump location, but only governs user-space cores',
    severity: 'info',
    scope: 'static',
    stage: 'target',
    why: `kernel.core_pattern (/proc/sys/kernel/core_pattern) names where the kernel writes the core of a crashing user-space process (or which program receives it). It has nothing to do with a kernel crash: a kernel dump (vmcore) is written after a panic by the capture kernel's own initramfs, to the target the kdump service names (kdump.conf, /etc/default/kdump-tools, /etc/sysconfig/kdump; see KD400). Setting core_pattern to a directory like /var/crash or /apsara/dump does not make kernel dumps go there, and finding process cores there proves nothing about kdump. This is how the incident host was misread: its core_pattern pointed at /apsara/dump while no capture kernel was set up at all.`,
    fix: `Nothing to change for user-space cores if this is where you want them. For kernel dumps, configure the kdump target itself:\n- RHEL/CentOS: \`path /apsara/dump\` (or a dump disk such as \`ext4 LABEL=/apsara\` with \`path /dump\`) in /etc/kdump.conf, then \`kdumpctl restart\` (RHEL 5/6: \`service kdump restart\`).\n- Debian/Ubuntu: \`KDUMP_COREDIR="/apsara/dump"\` in /etc/default/kdump-tools, then \`systemctl restart kdump-tools\`.\n- SUSE: \`KDUMP_SAVEDIR="file:///apsara/dump"\` in /etc/sysconfig/kdump, then \`systemctl restart kdump\`.\nAnd make sure a capture kernel is loaded (KD202).`,
    references: ['https://man7.org/linux/man-pages/man5/core.5.html', 'https://docs.kernel.org/admin-guide/sysctl/kernel.html#core-pattern', 'https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts): Outcome => {
    const pattern = facts.sysctl('kernel.core_pattern')
    if (!pattern.known) {
      return {status: 'unknown', message: `kernel.core_pattern is unknown: ${pattern.reason}.`, evidence: pattern.evidence, verify: 'cat /proc/sys/kernel/core_pattern'}
    }
    const reading = readCorePattern(pattern.value)
    if (reading.kind !== 'dump-location') return pass(`kernel.core_pattern is "${pattern.value}": user-space cores are ${reading.text}.`, pattern.evidence)
    const plan = facts.dumpPlan
    const kernelDumps = plan.known
      ? `by the capture kernel to the kdump target, ${plan.value.target.description} (KD400)`
      : `by the capture kernel to the kdump service's target, and none is known here (${plan.reason})`
    return {
      status: 'problem',
      message: `kernel.core_pattern is "${pattern.value}": user-space process cores are ${reading.text}. That looks like a dump location, but it only governs user-space cores: a kernel crash dump is written ${kernelDumps}; core_pattern does not send it to ${reading.where}.`,
      evidence: [...pattern.evidence, ...(plan.known ? plan.value.target.evidence : [])],
    }
  },
)
