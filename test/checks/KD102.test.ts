/**
 * KD102: crashkernel= on dom0's Linux line under Xen is ineffective.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD102 from '../../src/checks/KD102-crashkernel-on-dom0-line.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD102, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'crashkernel=384M-',
      evidence: ['files/proc/cmdline:1', 'commands/xl-info.out:28'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: 'dom0\'s own command line has no crashkernel=',
      evidence: ['files/proc/cmdline:1'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only a Xen PV dom0 ignores crashkernel=',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'warn',
      severity: 'warning',
      message: 'crashkernel=384M-',
      evidence: ['files/proc/cmdline:1', 'commands/xl-info.out:28'],
    },
  ],
})
