import {SERVICE_FIX, serviceFixFor} from './shared/service-fix.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD300',
    title: 'The kdump service is not enabled at boot',
    severity: 'error',
    scope: 'static',
    stage: 'service',
    why: `The crash region is empty at every boot: something has to run \`kexec -p\` after boot to load the capture kernel into it, and on every distribution that something is the kdump service (kdump.service / kdumpctl on RHEL, kdump-tools on Debian and Ubuntu, the kdump init script on RHEL 5/6, xs-kdump on XenServer and XCP-ng). A service that is not enabled does not run at boot, so after the next reboot nothing is loaded and a crash leaves no vmcore. On an image this is decisive: no host built from it will ever load a capture kernel. On a running host whose capture kernel is proven loaded right now (someone started the service or ran \`kexec -p\` by hand), a crash today still dumps, but the next reboot silently loses it; that is a warning, not an error.`,
    fix: SERVICE_FIX,
    fixFor: serviceFixFor,
    references: [
      'https://docs.kernel.org/admin-guide/kdump/kdump.html',
      'https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9/html/managing_monitoring_and_updating_the_kernel/configuring-kdump-on-the-command-line_managing-monitoring-and-updating-the-kernel',
      'https://manpages.debian.org/bookworm/kdump-tools/kdump-config.8.en.html',
      'https://www.freedesktop.org/software/systemd/man/latest/systemctl.html',
      'https://linux.die.net/man/8/chkconfig',
    ],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const {name, enabled} = facts.serviceState
    const loaded = facts.captureLoaded
    const provenLoaded = facts.kind === 'runtime' && loaded.known && loaded.value.loaded
    if (!enabled.known) {
      return {
        status: 'unknown',
        // With a capture kernel loaded now, the worst case is the warning below.
        severity: provenLoaded ? 'warning' : 'error',
        message: `Whether ${name} starts at boot could not be determined: ${enabled.reason}.`,
        evidence: enabled.evidence,
        verify: 'systemctl is-enabled kdump kdump-tools (RHEL 5/6: chkconfig --list kdump; an image: ls -l <root>/etc/systemd/system/*.wants/ <root>/etc/rc3.d/ | grep kdump)',
      }
    }
    if (enabled.value) return pass(`${name} is enabled at boot.`, enabled.evidence)
    // Without any kdump configuration the service is simply not installed (KD200 says whether kexec-tools is).
    const none = facts.kdumpService.known ? '' : ' (no kdump service is configured here at all: no /etc/kdump.conf, /etc/sysconfig/kdump or /etc/default/kdump-tools)'
    if (facts.kind === 'static') {
      return {
        status: 'problem',
        message: `${name} is not enabled in this image${none}: no host built from it will load a capture kernel after boot, so a crash leaves no vmcore.`,
        evidence: enabled.evidence,
      }
    }
    if (provenLoaded) {
      return {
        status: 'problem',
        severity: 'warning',
        message: `${name} is not enabled at boot. A capture kernel is loaded now (by ${loaded.value.by}), so a crash today dumps, but after the next reboot nothing will load one.`,
        evidence: [...enabled.evidence, ...loaded.evidence],
      }
    }
    return {
      status: 'problem',
      message: loaded.known
        ? `${name} is not enabled at boot${none}, and no capture kernel is loaded now (according to ${loaded.value.by}): a crash leaves no vmcore, now or after a reboot.`
        : `${name} is not enabled at boot${none}, and nothing proves a capture kernel is loaded now (${loaded.reason}): nothing will load one after a reboot either.`,
      evidence: [...enabled.evidence, ...loaded.evidence],
    }
  },
)
