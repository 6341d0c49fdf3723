/**
 * KD104: Crash region not reserved.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD104 from '../../src/checks/KD104-region-not-reserved.js'
import {ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

ruleTester(KD104, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'A 256 MiB crash region is reserved',
      evidence: ['commands/xl-dmesg.out:25'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'A 256 MiB crash region is reserved',
      evidence: ['files/proc/iomem:7'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'fail',
      severity: 'error',
      message: 'No crash region is reserved',
      evidence: ['files/sys/kernel/kexec_crash_size:1'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'fail',
      severity: 'error',
      message: 'No crash region is reserved',
      evidence: ['commands/xl-info.out:28'],
    },
  ],
})
