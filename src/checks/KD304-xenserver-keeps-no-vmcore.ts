import {defineCheck, notApplicable, pass} from './types.js'

const FILE = '/etc/sysconfig/kdump' as const

export default defineCheck(
  {
    id: 'KD304',
    title: 'XenServer/XCP-ng keeps no vmcore (CRASH_COREDUMP is not enabled)',
    nativeTitle: "A virtualisation platform's kdump keeps no vmcore (CRASH_COREDUMP is not enabled)",
    severity: 'error',
    scope: 'static',
    stage: 'service',
    why: `On XenServer and XCP-ng the capture kernel does not run makedumpfile: its init runs xen-crashdump-analyser, which writes a text analysis (Xen and dom0 consoles, stacks, domain list) to /var/crash/<timestamp>/ and, only when CRASH_COREDUMP is enabled in ${FILE}, also a compressed core of Xen and dom0 memory. The shipped default is CRASH_COREDUMP="no". The analysis is useful, but it is not a vmcore: \`crash\` cannot open it, and a vendor asking for the dump gets nothing. On these hosts "kdump works" therefore does not mean "a vmcore will be written".`,
    fix: `Set \`CRASH_COREDUMP="yes"\` in ${FILE} and reload the capture kernel: \`systemctl restart kdump\` (XenServer 6: \`service kdump restart\`). Make sure /var/crash (on the control domain's small root or log partition) has room for a compressed core of Xen and dom0 memory; CRASH_SPACE_SIZE_MB only reserves room for the logs.`,
    references: ['https://github.com/xenserver/xen-crashdump-analyser', 'https://docs.xcp-ng.org/troubleshooting/', 'https://wiki.xenproject.org/wiki/Kexec_and_Kdump'],
  },
  (facts) => {
    const service = facts.kdumpService
    if (!service.known || service.value.family !== 'xenserver') return notApplicable('Only XenServer and XCP-ng keep their dump behind CRASH_COREDUMP.')
    const state = facts.kdumpConfigFiles[FILE]
    if (state.state === 'unreadable') {
      return {status: 'unknown', message: `${FILE} exists but could not be read (${state.reason}), so CRASH_COREDUMP is unknown.`, evidence: [{source: `files${FILE}`, text: 'unreadable'}], verify: `grep ^CRASH_COREDUMP ${FILE}`}
    }
    const plan = facts.dumpPlan
    const keeps = plan.known ? plan.value.keepsVmcore : undefined
    if (!keeps) return {status: 'unknown', message: `CRASH_COREDUMP could not be read${plan.known ? '' : `: ${plan.reason}`}.`, evidence: service.evidence, verify: `grep ^CRASH_COREDUMP ${FILE}`}
    const setting = service.value.config?.crashCoredump
    if (keeps.value) return pass(`CRASH_COREDUMP=${setting?.value ?? 'yes'}: the capture side keeps a core of Xen and dom0 next to its analysis.`, keeps.evidence)
    const how = setting === undefined ? `CRASH_COREDUMP is not set${service.value.file ? ` in ${FILE}` : ` (${FILE} is absent)`}, so the default "no" applies` : `CRASH_COREDUMP="${setting.value}"`
    return {
      status: 'problem',
      message: `${how}: after a crash xen-crashdump-analyser writes only its text analysis to /var/crash; no vmcore is kept.`,
      evidence: keeps.evidence.length > 0 ? keeps.evidence : service.evidence,
    }
  },
)
