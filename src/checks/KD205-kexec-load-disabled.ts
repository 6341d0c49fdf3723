import {kernelAtLeast} from '../parsers/versions.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD205',
    title: 'kexec loading is disabled (kernel.kexec_load_disabled=1)',
    severity: 'error',
    scope: 'runtime',
    stage: 'capture',
    why: `kernel.kexec_load_disabled=1 (Linux 3.14+) makes every later kexec_load fail with "Operation not permitted", and it cannot be set back to 0 until reboot. Hardening guides set it; if it is set before the kdump service has loaded the capture kernel, nothing can ever be loaded on this boot. An image already loaded stays usable.`,
    fix: `Remove kernel.kexec_load_disabled=1 from /etc/sysctl.conf and /etc/sysctl.d/*.conf (or make sure it is applied only after the kdump service has loaded the capture kernel), then reboot; it cannot be cleared at runtime.`,
    references: ['https://docs.kernel.org/admin-guide/sysctl/kernel.html#kexec-load-disabled'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU cannot load a capture kernel (KD100).')
    const loaded = facts.captureLoaded.known && facts.captureLoaded.value.loaded
    const value = facts.sysctl('kernel.kexec_load_disabled')
    if (!value.known) {
      const release = facts.kernelRelease.known ? facts.kernelRelease.value : ''
      if (kernelAtLeast(release, 3, 14) === false) return notApplicable(`Linux ${release} predates kexec_load_disabled (3.14).`)
      if (loaded) return pass('A capture kernel is already loaded; kexec_load_disabled would not unload it.', facts.captureLoaded.evidence)
      return {status: 'unknown', message: `kernel.kexec_load_disabled was not collected: ${value.reason}.`, evidence: value.evidence, severity: 'warning', verify: 'cat /proc/sys/kernel/kexec_load_disabled'}
    }
    if (value.value === '0') return pass('kexec loading is allowed (kexec_load_disabled=0).', value.evidence)
    if (loaded) return pass('kexec_load_disabled=1, but the capture kernel was loaded before it was set and stays usable.', [...value.evidence, ...facts.captureLoaded.evidence])
    return {status: 'problem', message: 'kernel.kexec_load_disabled=1: no capture kernel can be loaded until the next reboot.', evidence: value.evidence}
  },
)
