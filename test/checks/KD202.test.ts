/**
 * KD202: Capture kernel not loaded.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD202 from '../../src/checks/KD202-capture-kernel-not-loaded.js'
import {ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

ruleTester(KD202, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'A capture kernel is loaded',
      evidence: ['commands/kexec-status.exit'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: 'A capture kernel is loaded',
      evidence: ['files/sys/kernel/kexec_crash_loaded:1', 'commands/kexec-version.out:1'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'fail',
      severity: 'error',
      message: 'No capture kernel is loaded',
      evidence: ['files/sys/kernel/kexec_crash_loaded:1'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'fail',
      severity: 'error',
      message: 'No capture kernel is loaded',
      evidence: ['commands/kexec-status.exit', 'commands/xl-info.out:22'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'error',
      message: 'Nothing in the evidence can prove whether',
      evidence: ['commands/kexec-status.exit', 'files/sys/kernel/kexec_crash_loaded:1'],
    },
    {
      name: 'the old-kexec-shadowing-debian12 fixture',
      fixture: 'old-kexec-shadowing-debian12',
      status: 'unknown',
      severity: 'error',
      message: 'Nothing in the evidence can prove whether',
      evidence: ['commands/kexec-status.exit', 'commands/kexec-status.err:1', 'files/sys/kernel/kexec_crash_loaded:1'],
    },
  ],
})
