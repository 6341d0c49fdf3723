/**
 * KD106: The next boot differs from the running crash settings.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD106 from '../../src/checks/KD106-next-boot-differs.js'
import {ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

ruleTester(KD106, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The default entry "Debian GNU/Linux',
      evidence: ['commands/xl-info.out:28', 'files/boot/grub/grub.cfg:185'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'The default entry "the entry update-grub generates',
      evidence: ['files/proc/cmdline:1', 'files/etc/default/grub:6'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the next-boot-lost fixture',
      fixture: 'next-boot-lost',
      status: 'warn',
      severity: 'warning',
      message: 'the running line has crashkernel=256M',
      evidence: ['commands/xl-info.out:28', 'files/boot/grub/grub.cfg:185'],
    },
  ],
})
