import {defineCheck, pass} from './types.js'

const STUCK = /^(halt|poweroff|shell)\b/

export default defineCheck(
  {
    id: 'KD501',
    title: 'After a dump (or a failed one) the capture kernel halts or drops to a shell',
    severity: 'warning',
    scope: 'static',
    stage: 'after-crash',
    why: `When the capture kernel cannot save the dump (target unreachable, disk full, collector error) it runs the failure action; when it has saved it, the final action. halt, poweroff and shell all leave the machine down, a shell one waiting on a console nobody watches. On a hypervisor host every guest stays down with it. reboot (the default) and dump_to_rootfs bring the host back by themselves.`,
    fix: `RHEL/CentOS: in /etc/kdump.conf set \`failure_action reboot\` (RHEL 6: \`default reboot\`) or \`failure_action dump_to_rootfs\`, and \`final_action reboot\`, then \`kdumpctl restart\`. Debian: leave KDUMP_FAIL_CMD unset in /etc/default/kdump-tools (kdump-config reboots) or make it reboot, then \`systemctl restart kdump-tools\`.`,
    references: ['https://man7.org/linux/man-pages/man5/kdump.conf.5.html', 'https://salsa.debian.org/debian/kdump-tools/-/blob/master/debian/kdump-config.in'],
  },
  (facts) => {
    const plan = facts.dumpPlan
    if (!plan.known) return {status: 'unknown', message: `The kdump configuration is unknown: ${plan.reason}.`, evidence: plan.evidence, severity: 'warning'}
    const {failureAction, finalAction} = plan.value
    if (!failureAction && !finalAction) return pass(`${plan.value.family === 'xenserver' ? 'XenServer' : 'This kdump service'} reboots after the capture.`, [])
    const stuck = [failureAction && STUCK.test(failureAction.value) ? {what: 'failure action', action: failureAction} : undefined, finalAction && STUCK.test(finalAction.value) ? {what: 'final action', action: finalAction} : undefined].filter(
      (x): x is NonNullable<typeof x> => x !== undefined,
    )
    const evidence = [...(failureAction?.evidence ?? []), ...(finalAction?.evidence ?? [])]
    if (stuck.length === 0) {
      return pass(`The capture kernel reboots afterwards (failure action ${failureAction?.value ?? 'reboot'}, final action ${finalAction?.value ?? 'reboot'}).`, evidence)
    }
    return {
      status: 'problem',
      message: `${stuck.map((s) => `the ${s.what} is "${s.action.value}"`).join(' and ')}: the host will not come back by itself after the capture.`,
      evidence: stuck.flatMap((s) => s.action.evidence),
    }
  },
)
