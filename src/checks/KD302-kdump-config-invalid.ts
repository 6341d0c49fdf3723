import type {Evidence} from '../snapshot/evidence.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD302',
    title: 'The kdump configuration is invalid',
    severity: 'error',
    scope: 'static',
    stage: 'service',
    why: `kdumpctl (RHEL 7 and later, Fedora) checks /etc/kdump.conf every time it starts and refuses to load a capture kernel when the file has an unknown or deprecated directive ("Invalid kdump config option"), a directive without a value, more than one dump target ("More than one dump targets specified"), a repeated directive ("Duplicated kdump config value of option", RHEL 8 and later), or a failure_action/final_action it does not know. An ssh target that is not user@host or an nfs target that is not host:/export passes that check but cannot be reached from the capture kernel. Editing kdump.conf does not touch the capture kernel already loaded: the host keeps dumping with the old configuration until the next \`kdumpctl restart\` or reboot, and then nothing is loaded at all. RHEL 5/6's init script reads the same file with fewer checks.`,
    fix: `Correct /etc/kdump.conf (one target directive, one value per directive, actions from the list in kdump.conf(5), \`ssh user@host\` with \`sshkey\`, \`nfs host:/export\`), then apply and check it:
- RHEL 7 and later, Fedora: \`kdumpctl restart\` (it rebuilds the capture initrd and prints what it refuses), then \`kdumpctl status\`; for an ssh target run \`kdumpctl propagate\` first.
- RHEL 5/6: \`service kdump restart\` and read /var/log/messages.
Debian's /etc/default/kdump-tools and XenServer's /etc/sysconfig/kdump are shell files: after editing, \`kdump-config reload\` (Debian) or \`systemctl restart kdump\` (XenServer/XCP-ng).`,
    references: [
      'https://www.mankier.com/5/kdump.conf',
      'https://github.com/rhkdump/kdump-utils/blob/main/kdump.conf.5',
      'https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9/html/managing_monitoring_and_updating_the_kernel/configuring-kdump-on-the-command-line_managing-monitoring-and-updating-the-kernel',
    ],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const plan = facts.dumpPlan
    const unreadable = Object.entries(facts.kdumpConfigFiles).flatMap(([path, s]) => (s.state === 'unreadable' ? [`${path}: ${s.reason}`] : []))
    const rhel = facts.distribution.known && facts.distribution.value.family === 'rhel'
    if (!facts.kdumpService.known && unreadable.length === 0 && !rhel) {
      // Nothing configures a kdump service here: there is nothing to validate (KD200 and KD300 say what is missing).
      return notApplicable('No kdump configuration exists on this host (no /etc/kdump.conf, /etc/sysconfig/kdump or /etc/default/kdump-tools).')
    }
    if (!plan.known) {
      // kdumpctl refuses to start without /etc/kdump.conf ("No kdump config file found!"), but a file that
      // was not collected or could not be read is not evidence either way.
      const rhel = facts.kdumpService.known && facts.kdumpService.value.family === 'rhel'
      return {
        status: 'unknown',
        message: `The kdump configuration could not be checked: ${plan.reason}${unreadable.length > 0 ? ` (${unreadable.join('; ')})` : ''}.`,
        evidence: plan.evidence,
        verify: rhel
          ? 'ls -l /etc/kdump.conf && kdumpctl restart (RHEL 7+; it prints what it refuses) or service kdump restart (RHEL 5/6)'
          : 'Find the kdump configuration this host uses (/etc/kdump.conf, /etc/default/kdump-tools, /etc/sysconfig/kdump) and restart the service to see whether it is accepted.',
      }
    }
    const {problems, family} = plan.value
    if (problems.length > 0) {
      const evidence: Evidence[] = problems.map((p) => p.evidence)
      const list = problems.map((p) => (p.evidence.line ? `line ${p.evidence.line}: ${p.message}` : p.message)).join('; ')
      return {
        status: 'problem',
        message: `/etc/kdump.conf has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} the kdump service refuses or cannot act on: ${list}. The next \`kdumpctl start\` (at the next boot at the latest) loads nothing.`,
        evidence,
      }
    }
    const what = family === 'rhel' ? '/etc/kdump.conf' : family === 'debian' ? '/etc/default/kdump-tools' : '/etc/sysconfig/kdump'
    return pass(`${what} has nothing the kdump service would refuse.`, plan.evidence)
  },
)
