/**
 * KD204: The capture initrd is missing.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD204 from '../../src/checks/KD204-capture-initrd-missing.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD204, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'A capture kernel and its initrd are',
      evidence: ['commands/kexec-status.exit'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'pass',
      message: 'The capture initrd /var/lib/kdump/initrd.img exists',
      evidence: ['commands/ls-boot.out:19'],
    },
    {name: 'the pv-domu fixture', fixture: 'pv-domu', status: 'n/a', message: 'A PV domU cannot load a capture', evidence: []},
  ],
  invalid: [
    {
      name: 'the baremetal-bad-rhel8 fixture',
      fixture: 'baremetal-bad-rhel8',
      status: 'warn',
      severity: 'warning',
      message: 'The capture initrd /boot/initramfs-4.18.0-553.el8_10.x86_64kdump.img does not exist',
      evidence: ['files/etc/sysconfig/kdump', 'commands/uname-r.out:1', 'commands/ls-boot.exit'],
    },
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'warn',
      severity: 'warning',
      message: 'The capture initrd /var/lib/kdump/initrd.img does not exist',
      evidence: ['files/etc/default/kdump-tools', 'commands/ls-boot.exit'],
    },
    {
      name: 'the image-el5-xen-grub-legacy fixture',
      fixture: 'image-el5-xen-grub-legacy',
      status: 'warn',
      severity: 'warning',
      message: 'The capture initrd',
      evidence: ['files/etc/sysconfig/kdump', 'files/boot/grub/grub.conf:10', 'files/boot/grub/grub.conf:14', 'commands/ls-boot.exit'],
    },
  ],
})
