/**
 * KD502: kernel.panic_on_oops=0: an Oops leaves the kernel running and dumps nothing.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD502 from '../../src/checks/KD502-panic-on-oops-off.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD502, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'kernel.panic_on_oops=1',
      evidence: ['files/proc/sys/kernel/panic_on_oops:1'],
    },
    {name: 'the pv-domu fixture', fixture: 'pv-domu', status: 'n/a', message: 'A PV domU is dumped from dom0', evidence: []},
    {
      name: 'the image-debian12-xen-good fixture',
      fixture: 'image-debian12-xen-good',
      status: 'pass',
      evidence: ['commands/ls-services.out:14', 'kdump-config'],
    },
  ],
  invalid: [
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'warn',
      severity: 'warning',
      message: 'kernel.panic_on_oops=0',
      evidence: ['files/proc/sys/kernel/panic_on_oops:1'],
    },
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'warn',
      severity: 'warning',
      message: 'kernel.panic_on_oops=0',
      evidence: ['files/boot/config-6.1.0-50-amd64:36'],
    },
    {
      name: 'the image-el5-xen-grub-legacy fixture',
      fixture: 'image-el5-xen-grub-legacy',
      status: 'warn',
      severity: 'warning',
      message: 'kernel.panic_on_oops=0',
      evidence: ['kernel.panic_on_oops'],
    },
  ],
})
