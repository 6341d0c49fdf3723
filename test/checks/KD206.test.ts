/**
 * KD206: The capture kernel gets a Xen-only console and will hang.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD206 from '../../src/checks/KD206-xen-only-console.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD206, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The capture command line has no Xen-only',
      evidence: ['files/etc/default/kdump-tools:66'],
    },
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'pass',
      message: 'The capture command line has no Xen-only',
      evidence: ['files/proc/cmdline:1'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only a dom0 has Xen-only consoles on',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the hvc0-capture-cmdline fixture',
      fixture: 'hvc0-capture-cmdline',
      status: 'fail',
      severity: 'error',
      message: 'The capture kernel would boot with console=hvc0',
      evidence: ['files/proc/cmdline:1'],
    },
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'fail',
      severity: 'error',
      message: 'The capture kernel would boot with console=hvc0',
      evidence: ['files/boot/grub/grub.cfg:187'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'error',
      message: 'The capture kernel\'s command line cannot be',
      evidence: [],
    },
  ],
})
