/**
 * KD504: kernel.panic > 0 on a pvops dom0 delays the hand-off to Xen's capture kernel.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD504 from '../../src/checks/KD504-panic-timeout-delays-xen.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD504, {
  valid: [
    {
      name: 'the dom0-line-only-debian12 fixture',
      fixture: 'dom0-line-only-debian12',
      status: 'pass',
      message: 'kernel.panic=0',
      evidence: ['files/proc/sys/kernel/panic:1'],
    },
    {
      name: 'the pvops-xen48-unprovable fixture',
      fixture: 'pvops-xen48-unprovable',
      status: 'pass',
      message: 'Linux 4.9.0-13-amd64 reports the crash to Xen',
      evidence: ['commands/uname-r.out:1'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only a pvops dom0 hands its crash',
      evidence: [],
    },
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'pass',
      evidence: ['files/boot/config-6.1.0-50-amd64:37'],
    },
  ],
  invalid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'info',
      severity: 'info',
      message: 'kernel.panic=10 on Linux 6.1.0-50-amd64',
      evidence: ['files/proc/sys/kernel/panic:1', 'commands/uname-r.out:1'],
    },
  ],
})
