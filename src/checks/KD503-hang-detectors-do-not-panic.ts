import {sysctlNumber} from '../facts/sysctl.js'
import {defineCheck, notApplicable, pass} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'

const DETECTORS = [
  {name: 'kernel.hung_task_panic', what: 'tasks stuck in D state (hung_task_timeout_secs)'},
  {name: 'kernel.softlockup_panic', what: 'soft lockups'},
] as const

export default defineCheck(
  {
    id: 'KD503',
    title: 'Hang detectors report but do not panic',
    severity: 'info',
    scope: 'static',
    stage: 'after-crash',
    why: `A hang is not a crash: processes stuck in D state ("INFO: task ... blocked for more than 120 seconds") and soft lockups only print warnings, so no dump is taken while the evidence is fresh. hung_task_panic=1 and softlockup_panic=1 turn them into panics that kdump can capture. On a busy hypervisor this is a trade: a slow storage path can trip the hung-task detector, so raise hung_task_timeout_secs rather than panicking on every hiccup. In the incident, dozens of virsh processes sat in D state for hours before anyone crashed the host by hand. How long the detector takes (seen in the lab, issue 14: a Linux 6.1 dom0 under QEMU, a kernel thread blocked forever on a semaphore): with hung_task_timeout_secs=10 the first "INFO: task kdumplab-wait:<pid> blocked for more than 10 seconds." came 13 to 16 s after the task blocked. khungtaskd looks every hung_task_timeout_secs (hung_task_check_interval_secs=0 means the timeout) and reports a task that has not run between two looks, so the report comes between one and two timeouts after the hang: 2 to 4 minutes with the default 120 s. With hung_task_panic=0 it repeated the report at each look and the host stayed hung, no dump (scenario HUNG); with hung_task_panic=1 the first report ended in "Kernel panic - not syncing: hung_task: blocked tasks" and Xen ran the capture kernel, which wrote the vmcore (scenario HUNG-PANIC).`,
    fix: `Decide per fleet; if you want hangs dumped, set in /etc/sysctl.d/90-kdump.conf: kernel.hung_task_panic = 1, kernel.hung_task_timeout_secs = 600, kernel.softlockup_panic = 1, and apply with \`sysctl -p /etc/sysctl.d/90-kdump.conf\`.`,
    references: ['https://docs.kernel.org/admin-guide/sysctl/kernel.html#hung-task-panic', 'https://docs.kernel.org/admin-guide/lockup-watchdogs.html'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const off: string[] = []
    const evidence: Evidence[] = []
    let unknownCount = 0
    for (const detector of DETECTORS) {
      const value = sysctlNumber(facts.sysctl(detector.name))
      if (!value.known) {
        unknownCount++
        continue
      }
      evidence.push(...value.evidence)
      if (value.value === 0) off.push(`${detector.name}=0 (${detector.what})`)
    }
    if (unknownCount === DETECTORS.length) return {status: 'unknown', message: 'Neither hung_task_panic nor softlockup_panic was collected.', evidence: [], severity: 'info'}
    if (off.length === 0) return pass('Hung tasks and soft lockups panic, so a hang is dumped.', evidence)
    return {status: 'problem', message: `${off.join('; ')}: a hang prints warnings but takes no dump.`, evidence}
  },
)
