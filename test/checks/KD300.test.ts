/** KD300: the kdump service enabled at boot (systemd, chkconfig, an image's links), an error unless a load is proven. */
import KD300 from '../../src/checks/KD300-service-not-enabled.js'
import {ruleTester} from './rule-tester.js'

const NO_ENABLEMENT = {'systemctl-kdump': null, 'chkconfig-kdump': null, 'ls-services': null}

ruleTester(KD300, {
  valid: [
    {name: 'RHEL 5 chkconfig says on', fixture: 'good-xenolinux-el5', status: 'pass', message: 'enabled at boot', evidence: ['commands/chkconfig-kdump.out:1']},
    {name: 'a PV domU has no kdump service to enable', fixture: 'pv-domu', status: 'n/a', evidence: []},
  ],
  invalid: [
    {name: 'an image whose kdump-tools unit is not linked', fixture: 'svc-image-not-enabled-debian12', status: 'fail', severity: 'error', message: 'not enabled', evidence: ['commands/ls-services.exit']},
    {name: 'a live host with nothing loaded and the service disabled', fixture: 'svc-disabled-rhel9', status: 'fail', severity: 'error', message: 'not enabled', evidence: ['commands/systemctl-kdump.out:1', 'files/sys/kernel/kexec_crash_loaded:1']},
    {
      name: 'only a warning while a capture kernel is proven loaded',
      fixture: 'svc-loaded-by-hand-debian12',
      status: 'warn',
      severity: 'warning',
      message: 'next reboot',
      evidence: ['commands/systemctl-kdump.out:8', 'commands/kexec-status.exit'],
    },
    {
      name: 'an unprovable load is no proof: a disabled service on pvops Xen 4.8 stays an error',
      fixture: 'pvops-xen48-unprovable',
      edits: {probes: {'systemctl-kdump': 'Result=success\nId=kdump-tools.service\nLoadState=loaded\nActiveState=active\nSubState=exited\nUnitFileState=disabled\n'}},
      status: 'fail',
      severity: 'error',
      message: 'not enabled',
      evidence: ['commands/systemctl-kdump.out:1', 'commands/kexec-status.exit', 'commands/kexec-status.err:1', 'files/sys/kernel/kexec_crash_loaded:1'],
    },
    {name: 'no enablement evidence, load proven: unknown at warning severity', fixture: 'good-pvops-debian12', edits: {probes: NO_ENABLEMENT}, status: 'unknown', severity: 'warning', message: 'could not be determined', evidence: []},
    {name: 'no enablement evidence, nothing loaded: unknown at error severity', fixture: 'xen417-nothing-loaded', edits: {probes: NO_ENABLEMENT}, status: 'unknown', severity: 'error', message: 'could not be determined', evidence: []},
    {name: 'RHEL 5 chkconfig says off (the incident)', fixture: 'incident-el5xen', status: 'fail', message: 'not enabled', evidence: ['commands/chkconfig-kdump.out:1', 'files/sys/kernel/kexec_crash_loaded:1', 'commands/kexec-version.out:1']},
    {name: 'a severity override re-grades the finding (the verdict is the report\'s business)', fixture: 'svc-disabled-rhel9', config: 'severity:\n  KD300: warning\n', status: 'warn', severity: 'warning', message: 'not enabled', evidence: ['commands/systemctl-kdump.out:1', 'files/sys/kernel/kexec_crash_loaded:1']},
  ],
})
