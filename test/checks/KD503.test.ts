/**
 * KD503: Hang detectors report but do not panic.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD503 from '../../src/checks/KD503-hang-detectors-do-not-panic.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD503, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'Hung tasks and soft lockups panic',
      evidence: ['files/proc/sys/kernel/hung_task_panic:1', 'files/proc/sys/kernel/softlockup_panic:1'],
    },
    {name: 'the pv-domu fixture', fixture: 'pv-domu', status: 'n/a', message: 'A PV domU is dumped from dom0', evidence: []},
  ],
  invalid: [
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'info',
      severity: 'info',
      message: 'kernel.hung_task_panic=0',
      evidence: ['files/proc/sys/kernel/hung_task_panic:1', 'files/proc/sys/kernel/softlockup_panic:1'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'unknown',
      severity: 'info',
      message: 'Neither hung_task_panic nor softlockup_panic was collected',
      evidence: [],
    },
  ],
})
