/**
 * KD201: kexec-tools is too old or unfit for this dom0 and Xen.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD201 from '../../src/checks/KD201-kexec-tools-unfit.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD201, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'A capture kernel is loaded into Xen',
      evidence: ['commands/kexec-status.exit'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'pass',
      message: 'kexec-tools 2.0.25 can load into Xen 4.17.5',
      evidence: ['commands/kexec-version.out:1', 'commands/xl-info.out:22'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Outside a Xen PV dom0 any kexec-tools',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the old-kexec-shadowing-debian12 fixture',
      fixture: 'old-kexec-shadowing-debian12',
      status: 'fail',
      severity: 'error',
      message: 'kexec-tools 2.0.4 predates 2.0.5',
      evidence: ['commands/kexec-version.out:1', 'commands/xl-info.out:22'],
    },
  ],
})
