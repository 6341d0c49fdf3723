/**
 * KD103: Xen crashkernel= is not valid for the running Xen version.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD103 from '../../src/checks/KD103-xen-crashkernel-invalid.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD103, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: '"crashkernel=256M',
      evidence: ['commands/xl-info.out:28'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: '"crashkernel=128M@16M" is valid for Xen 3.1.2-406.el5',
      evidence: ['commands/xm-dmesg.out:13'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only a Xen dom0 host parses crashkernel=',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the xen46-lessthan fixture',
      fixture: 'xen46-lessthan',
      status: 'fail',
      severity: 'error',
      message: '"crashkernel=256M<4G" on the Xen line does not',
      evidence: ['commands/xl-info.out:28'],
    },
    {
      name: 'the xen48-below fixture',
      fixture: 'xen48-below',
      status: 'fail',
      severity: 'error',
      message: '"crashkernel=256M',
      evidence: ['commands/xl-info.out:28', 'commands/xl-dmesg.out:1', 'commands/xl-dmesg.out:1'],
    },
  ],
})
