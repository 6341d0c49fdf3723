import {firstKnown, type Fact} from '../facts/fact.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD502',
    title: 'kernel.panic_on_oops=0: an Oops leaves the kernel running and dumps nothing',
    severity: 'warning',
    scope: 'static',
    stage: 'after-crash',
    why: `Only a panic starts a dump. With panic_on_oops=0 an Oops kills the offending task and the kernel carries on, often holding locks or with corrupted state: no vmcore is taken at the moment of the bug, and the host degrades until someone crashes it by hand, by which time the evidence is gone. That is the incident: the first Oops in fsnotify_create_event (22:26) did not panic, the dying task left fsnotify's SRCU read side held, virsh processes piled up in D state, and the dump attempted two hours later had nothing useful left to show. RHEL sets panic_on_oops=1 by default; Debian's kdump-config sets it every time it loads a capture kernel (apply_panic_triggers, after the sysctl files; /etc/kdump/sysctl.conf applies only inside the capture kernel), so a Debian host keeps 0 only where that load failed; many hosts have neither. Seen in the lab (issue 14, Linux 6.1 dom0 under Xen 4.17): with panic_on_oops=0 an Oops in a kernel thread ("BUG: kernel NULL pointer dereference", "Oops: 0002 [#1]") killed the thread and dom0 ran on with a capture kernel loaded and ready: no dump (scenario OOPS); with 1 the same Oops ended in "Kernel panic - not syncing: Fatal exception" and the vmcore was written (scenario OOPS-PANIC).`,
    fix: `Set kernel.panic_on_oops = 1 in /etc/sysctl.d/90-kdump.conf and apply it with \`sysctl -p /etc/sysctl.d/90-kdump.conf\` (RHEL 5/6: /etc/sysctl.conf and \`sysctl -p\`). Only do so once KD202 passes: with nothing loaded, the next Oops then crashes the host (on Xen: a halt with noreboot, see KD500).`,
    references: ['https://docs.kernel.org/admin-guide/sysctl/kernel.html#panic-on-oops', 'https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    let value: Fact<string> = facts.sysctl('kernel.panic_on_oops')
    if (!value.known && facts.kind === 'static') {
      // No sysctl file sets it: kdump-tools may, when it loads; else the image kernel's build default decides.
      const fallback = firstKnown(facts.kdumpToolsSysctl('kernel.panic_on_oops'), facts.kernelConfig('CONFIG_PANIC_ON_OOPS_VALUE'))
      if (fallback.known) value = fallback
    }
    if (!value.known) return {status: 'unknown', message: `kernel.panic_on_oops is unknown: ${value.reason}.`, evidence: value.evidence, severity: 'warning'}
    const on = value.value.trim() !== '0'
    if (on) return pass(`kernel.panic_on_oops=${value.value}: an Oops panics and can be dumped.`, value.evidence)
    return {
      status: 'problem',
      message: 'kernel.panic_on_oops=0: an Oops kills one task and the kernel keeps running, so no dump is taken when the bug happens.',
      evidence: value.evidence,
    }
  },
)
