/**
 * KD105: The crash region is too small for the capture kernel.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD105 from '../../src/checks/KD105-region-too-small.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD105, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The 256 MiB region holds the capture',
      evidence: ['commands/xl-dmesg.out:25', 'commands/ls-boot.out:11', 'commands/ls-boot.out:19'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'The 256 MiB region holds the capture',
      evidence: ['files/proc/iomem:7', 'commands/ls-boot.out:10', 'commands/ls-boot.out:8'],
    },
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'n/a',
      message: 'No region is known to be reserved',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the region-too-small-debian12 fixture',
      fixture: 'region-too-small-debian12',
      status: 'fail',
      severity: 'error',
      message: 'The 48 MiB region leaves 0 MiB',
      evidence: ['commands/xl-dmesg.out:25', 'commands/ls-boot.out:11', 'commands/ls-boot.out:19'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'warning',
      message: 'The 256 MiB region is reserved',
      evidence: ['commands/xl-dmesg.out:25'],
    },
  ],
})
