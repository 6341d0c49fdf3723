import {hostText} from './shared/host-wording.js'
import {defineCheck, notApplicable, pass} from './types.js'

const XEN_VERIFY = [
  'On Xen >= 4.9 with kexec-tools >= 2.0.15: `kexec -p -S; echo $?` prints 1 when a capture kernel is loaded in Xen, 0 when not (an "invalid option" message means the kexec-tools is too old to ask).',
  '`xl dmesg | grep Kdump` shows whether Xen reserved the region (Xen logs nothing when an image is loaded).',
  'The kdump service log shows whether its `kexec -p` succeeded: `journalctl -b -u kdump-tools -u kdump` or `grep -i kdump /var/log/messages`.',
  "Do not trust dom0's /sys/kernel/kexec_crash_loaded or /proc/iomem on a pvops dom0: they read 0 even when Xen holds a working capture kernel.",
  'On Xen <= 4.8 nothing on a running host proves the load; only a test crash in a maintenance window does (`kdumpcheck preflight`).',
].join('\n')

const LOAD_FIX = hostText(
  'Start the kdump service and make it start at boot:',
  [
    [{family: ['rhel'], legacyInit: false}, '`systemctl enable --now kdump` (RHEL 7+).'],
    [{family: ['rhel'], legacyInit: true}, '`chkconfig kdump on && service kdump start` (RHEL 5/6).'],
    [{family: ['debian']}, '`systemctl enable --now kdump-tools` (Debian/Ubuntu).'],
    [{family: ['suse', 'xenserver']}, '`systemctl enable --now kdump` (SUSE, XenServer 7+/XCP-ng).'],
  ],
  {
    any: 'If it fails, its log says why (no region: KD101/KD104; kexec-tools unfit: KD201). On Xen >= 4.9 confirm with `kexec -p -S; echo $?` (1 = loaded).',
    variants: [
      [{xen: false}, 'If it fails, its log says why (no region: KD104; kexec-tools unfit: KD201).'],
      [{xen: true}, 'If it fails, its log says why (no region: KD101/KD104; kexec-tools unfit: KD201). On Xen >= 4.9 confirm with `kexec -p -S; echo $?` (1 = loaded).'],
    ],
  },
)

export default defineCheck(
  {
    id: 'KD202',
    title: 'Capture kernel not loaded',
    severity: 'error',
    scope: 'runtime',
    stage: 'capture',
    why: `A reserved region is empty until a capture kernel is loaded into it with \`kexec -p\`, normally by the kdump service at boot. With nothing loaded, Xen treats a dom0 crash as fatal ("Domain 0 crashed: rebooting machine" or, with noreboot, a halt), and a native kernel prints "Kexec: Warning: crash image not loaded". Which evidence can prove the load depends on the host: kexec -S asks Xen itself (Xen >= 4.9), a native or xenolinux kernel's /sys/kernel/kexec_crash_loaded is honest, a pvops dom0's is not.`,
    fix: LOAD_FIX.full,
    fixFor: LOAD_FIX.for,
    references: ['https://wiki.xenproject.org/wiki/Kexec_and_Kdump', 'https://git.kernel.org/pub/scm/utils/kernel/kexec/kexec-tools.git'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU cannot load a capture kernel (KD100).')
    const loaded = facts.captureLoaded
    if (!loaded.known) {
      return {
        status: 'unknown',
        message: `Nothing in the evidence can prove whether a capture kernel is loaded: ${loaded.reason}.`,
        evidence: loaded.evidence,
        verify: facts.xenPvDom0 ? XEN_VERIFY : 'cat /sys/kernel/kexec_crash_loaded   (1 = loaded); kexec -p -S; echo $?',
      }
    }
    if (loaded.value.loaded) return pass(`A capture kernel is loaded (by ${loaded.value.by}).`, loaded.evidence)
    const region = facts.crashRegion
    const cause = region.known && !region.value.reserved ? ' (no region is reserved, so nothing could be loaded)' : ''
    return {status: 'problem', message: `No capture kernel is loaded${cause}, according to ${loaded.value.by}.`, evidence: loaded.evidence}
  },
)
