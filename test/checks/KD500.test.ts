/**
 * KD500: Xen 'noreboot': a crash that is not dumped leaves the host halted.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD500 from '../../src/checks/KD500-xen-noreboot.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD500, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'Xen reboots after a crash it cannot',
      evidence: ['commands/xl-info.out:28'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: 'Xen reboots after a crash it cannot',
      evidence: ['commands/xm-dmesg.out:13'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only the Xen hypervisor has noreboot',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'warn',
      severity: 'warning',
      message: 'noreboot is on the Xen line',
      evidence: ['files/boot/grub/grub.cfg:185'],
    },
    {
      name: 'the image-el5-xen-grub-legacy fixture',
      fixture: 'image-el5-xen-grub-legacy',
      status: 'warn',
      severity: 'warning',
      message: 'noreboot is on the Xen line',
      evidence: ['files/boot/grub/grub.conf:16'],
    },
  ],
})
