/**
 * KD501: After a dump (or a failed one) the capture kernel halts or drops to a shell.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD501 from '../../src/checks/KD501-failure-action-halts.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD501, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The capture kernel reboots afterwards',
      evidence: ['files/etc/default/kdump-tools', 'files/etc/default/kdump-tools'],
    },
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'pass',
      message: 'The capture kernel reboots afterwards',
      evidence: ['files/etc/kdump.conf', 'files/etc/kdump.conf'],
    },
  ],
  invalid: [
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'warn',
      severity: 'warning',
      message: 'the failure action is "shell" and the',
      evidence: ['files/etc/kdump.conf:190', 'files/etc/kdump.conf:191'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'warning',
      message: 'The kdump configuration is unknown',
      evidence: [],
    },
  ],
})
