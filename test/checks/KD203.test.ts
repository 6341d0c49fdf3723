/**
 * KD203: The capture kernel cannot boot on bare metal (a Xen-only kernel).
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD203 from '../../src/checks/KD203-capture-kernel-xen-only.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD203, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'dom0 runs a pvops kernel',
      evidence: ['files/proc/xen/capabilities:1', 'commands/xl-info.out:19', 'commands/xl-dmesg.out:1', 'files/sys/hypervisor/type:1', 'files/sys/hypervisor/guest_type:1', 'files/boot/config-6.1.0-50-amd64:21'],
    },
    {
      name: 'the good-xenolinux-el5 fixture',
      fixture: 'good-xenolinux-el5',
      status: 'pass',
      message: 'The capture kernel /boot/vmlinuz-2.6.18-406.el5',
      evidence: ['files/etc/sysconfig/kdump', 'commands/ls-boot.out:12'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only a xenolinux dom0 can pick a',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the incident-el5xen fixture',
      fixture: 'incident-el5xen',
      status: 'fail',
      severity: 'error',
      message: 'The capture kernel would be /boot/vmlinuz-2.6.32.36-houyi.0.2.0.8.release2629463.el5xen',
      evidence: ['files/etc/sysconfig/kdump', 'commands/uname-r.out:1'],
    },
    {
      name: 'the image-el5-xen-grub-legacy fixture',
      fixture: 'image-el5-xen-grub-legacy',
      status: 'fail',
      severity: 'error',
      message: 'The capture kernel would be',
      evidence: ['files/etc/sysconfig/kdump', 'files/boot/grub/grub.conf:10', 'files/boot/grub/grub.conf:14'],
    },
  ],
})
