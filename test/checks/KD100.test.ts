/**
 * KD100: Host role decides which crash-dump rules apply.
 * The cases start from the host fixtures, whose status for every check is pinned in fixtures/hosts/*.expect.yaml.
 */
import KD100 from '../../src/checks/KD100-host-role.js'
import {ruleTester} from './rule-tester.js'

ruleTester(KD100, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'Xen dom0',
      evidence: ['files/proc/xen/capabilities:1', 'commands/xl-info.out:19', 'commands/xl-dmesg.out:1', 'files/sys/hypervisor/type:1', 'files/sys/hypervisor/guest_type:1', 'files/boot/config-6.1.0-50-amd64:21'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'Linux without Xen',
      evidence: ['files/proc/cmdline:1', 'files/sys/hypervisor/type'],
    },
  ],
  invalid: [
    {
      name: 'the pv-domu fixture',
      fixture: 'pv-domu',
      status: 'fail',
      severity: 'error',
      message: 'This is a Xen PV guest',
      evidence: ['files/proc/xen/capabilities', 'files/sys/hypervisor/type:1', 'files/sys/hypervisor/guest_type:1'],
    },
  ],
})
