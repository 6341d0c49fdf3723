/**
 * KD200: kexec-tools is not installed.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD200 from '../../src/checks/KD200-kexec-tools-missing.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD200, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'A capture kernel is loaded',
      evidence: ['commands/kexec-status.exit'],
    },
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'pass',
      message: 'kexec-tools 2.0.26 is installed',
      evidence: ['commands/kexec-version.out:1'],
    },
  ],
  invalid: [
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'fail',
      severity: 'error',
      message: 'kexec-tools is not installed',
      evidence: ['commands/kexec-version.exit', 'commands/dpkg-query.err:1'],
    },
    {
      name: 'the image-el5-xen-grub-legacy fixture',
      fixture: 'image-el5-xen-grub-legacy',
      status: 'unknown',
      severity: 'error',
      message: 'Whether kexec-tools is installed is unknown',
      evidence: [],
    },
  ],
})
