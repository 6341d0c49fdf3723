/**
 * KD101: No crashkernel= on the running Xen command line.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD101 from '../../src/checks/KD101-xen-line-lacks-crashkernel.js'
import {ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

ruleTester(KD101, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The running Xen command line has crashkernel=256M',
      evidence: ['commands/xl-info.out:28'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'The kernel command line has crashkernel=1G-4G',
      evidence: ['files/proc/cmdline:1'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'fail',
      severity: 'error',
      message: 'The running kernel was booted without crashkernel=',
      evidence: ['files/proc/cmdline:1'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'fail',
      severity: 'error',
      message: 'Xen 4.17.5 was booted without crashkernel= on',
      evidence: ['commands/xl-info.out:28'],
    },
  ],
})
