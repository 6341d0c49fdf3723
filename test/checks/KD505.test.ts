/**
 * KD505: No Xen watchdog: a hypervisor lockup is neither dumped nor recovered.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD505 from '../../src/checks/KD505-no-xen-watchdog.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD505, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'Xen\'s NMI watchdog is on',
      evidence: ['commands/xl-info.out:28'],
    },
    {
      name: 'the image-xenserver65-extlinux fixture',
      fixture: 'image-xenserver65-extlinux',
      status: 'pass',
      message: 'Xen\'s NMI watchdog is on',
      evidence: ['files/boot/extlinux.conf:10'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only the Xen hypervisor has this watchdog',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'info',
      severity: 'info',
      message: 'Xen\'s NMI watchdog is off',
      evidence: ['commands/xl-info.out:28'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'info',
      severity: 'info',
      message: 'Xen\'s NMI watchdog is off',
      evidence: ['commands/xm-dmesg.out:13'],
    },
  ],
})
