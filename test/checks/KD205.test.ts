/**
 * KD205: kexec loading is disabled (kernel.kexec_load_disabled=1).
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD205 from '../../src/checks/KD205-kexec-load-disabled.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD205, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'kexec loading is allowed',
      evidence: ['files/proc/sys/kernel/kexec_load_disabled:1'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'n/a',
      message: 'Linux 2.6.18-406.el5xen predates kexec_load_disabled',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the kexec-load-disabled-debian12 fixture',
      fixture: 'kexec-load-disabled-debian12',
      status: 'fail',
      severity: 'error',
      message: 'kernel.kexec_load_disabled=1',
      evidence: ['files/proc/sys/kernel/kexec_load_disabled:1'],
    },
  ],
})
