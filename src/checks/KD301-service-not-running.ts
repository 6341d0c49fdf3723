import {SERVICE_FIX, serviceFixFor} from './shared/service-fix.js'
import {defineCheck, notApplicable, pass} from './types.js'

const XEN_CAVEAT =
  "On a Xen dom0 an active service proves nothing about a loaded capture kernel: the kdump services are oneshot units that stay \"active (exited)\" whatever their `kexec -p` did, and they judge the load from dom0's /sys/kernel/kexec_crash_loaded, which a pvops dom0 reads as 0 even when Xen holds a working capture kernel. KD202 decides the load."

export default defineCheck(
  {
    id: 'KD301',
    title: 'The kdump service is not running',
    severity: 'error',
    scope: 'runtime',
    stage: 'service',
    why: `On a running host the kdump service is what loaded (or failed to load) the capture kernel at this boot. A service that is stopped or failed usually means nothing is loaded: its \`kexec -p\` failed (no region, KD101/KD104; an unfit kexec-tools, KD201; a refused configuration, KD302), or someone stopped it, which unloads the capture kernel. It only matters when nothing else proves the load: a capture kernel that kexec -S (or an honest sysfs) shows as loaded will be used whatever the service's state. The reverse does not hold: an "active" service is not proof of a load, least of all on Xen, where the service cannot see what the hypervisor holds and Debian's kdump-tools even stays active after doing nothing (USE_KDUMP=0, KD303).`,
    fix: SERVICE_FIX,
    fixFor: serviceFixFor,
    references: [
      'https://docs.kernel.org/admin-guide/kdump/kdump.html',
      'https://www.freedesktop.org/software/systemd/man/latest/systemctl.html',
      'https://manpages.debian.org/bookworm/kdump-tools/kdump-config.8.en.html',
      'https://wiki.xenproject.org/wiki/Kexec_and_Kdump',
    ],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const {name, active} = facts.serviceState
    const loaded = facts.captureLoaded
    if (active.known && active.value) {
      if (loaded.known && loaded.value.loaded) return pass(`${name} is running, and a capture kernel is loaded (by ${loaded.value.by}).`, [...active.evidence, ...loaded.evidence])
      if (loaded.known) {
        return pass(`${name} is running, but it has loaded nothing: no capture kernel is loaded according to ${loaded.value.by} (KD202).`, [...active.evidence, ...loaded.evidence])
      }
      const caveat = facts.xenPvDom0 ? ` ${XEN_CAVEAT}` : ' Whether it loaded a capture kernel is for KD202 to say.'
      return pass(`${name} is running.${caveat}`, [...active.evidence, ...loaded.evidence])
    }
    if (loaded.known && loaded.value.loaded) {
      const state = active.known ? `${name} is not running` : `Whether ${name} is running is unknown (${active.reason})`
      return pass(
        `${state}, but a capture kernel is loaded (by ${loaded.value.by}), so a crash now dumps. It was loaded outside the service or left behind by it; only an enabled service reloads it after a reboot (KD300).`,
        [...active.evidence, ...loaded.evidence],
      )
    }
    if (!active.known) {
      return {
        status: 'unknown',
        message: `Whether ${name} is running could not be determined (${active.reason}), and nothing proves a capture kernel is loaded${loaded.known ? '' : ` (${loaded.reason})`}.`,
        evidence: [...active.evidence, ...loaded.evidence],
        verify: 'systemctl status kdump kdump-tools (RHEL 5/6: service kdump status); then settle the load itself as KD202 says.',
      }
    }
    const why = loaded.known ? `no capture kernel is loaded according to ${loaded.value.by}` : `nothing proves a capture kernel is loaded (${loaded.reason})`
    const installed = facts.kdumpService.known
    return {
      status: 'problem',
      message: installed
        ? `${name} is not running and ${why}: a crash now leaves no vmcore. Its log says why it is down: \`journalctl -b -u ${name}\` (RHEL 5/6: /var/log/messages).`
        : `No kdump service runs (none is configured: no /etc/kdump.conf, /etc/sysconfig/kdump or /etc/default/kdump-tools), and ${why}: a crash now leaves no vmcore.`,
      evidence: [...active.evidence, ...loaded.evidence],
    }
  },
)
