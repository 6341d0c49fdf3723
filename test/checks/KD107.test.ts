/**
 * KD107: The default boot entry's Xen line lacks crashkernel=.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD107 from '../../src/checks/KD107-default-entry-lacks-crashkernel.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD107, {
  valid: [
    {
      name: 'the image-debian12-xen-good fixture',
      fixture: 'image-debian12-xen-good',
      status: 'pass',
      message: 'The default entry "Debian GNU/Linux',
      evidence: ['files/boot/grub/grub.cfg:185'],
    },
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'n/a',
      message: 'On a running host KD101',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'fail',
      severity: 'error',
      message: 'The default entry "Debian GNU/Linux',
      evidence: ['files/boot/grub/grub.cfg:185'],
    },
    {
      name: 'the image-debian12-xen-nocrashkernel fixture',
      fixture: 'image-debian12-xen-nocrashkernel',
      status: 'fail',
      severity: 'error',
      message: 'The default entry "the Xen entry update-grub',
      evidence: ['files/etc/default/grub.d/xen.cfg:56'],
    },
  ],
})
