import {hostText} from './shared/host-wording.js'
import {xenNoReboot} from '../parsers/cmdline.js'
import {xenLineInForce} from './shared/lines.js'
import {defineCheck, notApplicable, pass} from './types.js'

const NOREBOOT_FIX = hostText(
  'Remove noreboot (and reboot=no) from the Xen line unless you always have console access and prefer a halted host for debugging:',
  [
    [{loader: ['grub2', 'grub2-defaults']}, 'grub2: delete it from GRUB_CMDLINE_XEN(_DEFAULT) in /etc/default/grub or /etc/default/grub.d/xen.cfg (Debian\'s xen.cfg documents "noreboot=true" as an example) and run `update-grub` (Debian/Ubuntu) or `grub2-mkconfig -o /boot/grub2/grub.cfg`.'],
    [{loader: ['grub-legacy']}, 'grub legacy: delete it from the `kernel /xen.gz-...` line in /boot/grub/grub.conf.'],
    [{loader: ['xenserver', 'extlinux']}, 'XenServer/XCP-ng: `/opt/xensource/libexec/xen-cmdline --delete-xen noreboot` (XenServer 5/6: the `append /boot/xen.gz` line of /boot/extlinux.conf).'],
  ],
  'If a halted host is wanted, waive this check with a reason (or set `allow-noreboot: true` under `policy:` in .kdumpcheck.yaml).',
)

export default defineCheck(
  {
    id: 'KD500',
    title: "Xen 'noreboot': a crash that is not dumped leaves the host halted",
    nativeTitle: "The hypervisor's 'noreboot': a crash that is not dumped leaves the host halted (this host runs none)",
    severity: 'warning',
    scope: 'static',
    stage: 'after-crash',
    why: `With noreboot (or reboot=no / reboot=n) on the Xen line, Xen halts the machine instead of rebooting it whenever a crash is not handed to a capture kernel: "(XEN) Domain 0 crashed: 'noreboot' set - not rebooting." (Xen <= 4.5) or "(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting." (4.6+), and a Xen panic ends with "Manual reset required ('noreboot' specified)". The host then stays dead, with every guest, until someone resets it out of band. That is what turned the incident's failed dump into an outage. noreboot is a debugging aid; on a production host it doubles the cost of any kdump gap.`,
    fix: NOREBOOT_FIX.full,
    fixFor: NOREBOOT_FIX.for,
    references: ['https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#noreboot', 'https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#reboot-x86'],
  },
  (facts) => {
    if (!facts.xenPvDom0) return notApplicable('Only the Xen hypervisor has noreboot.')
    const line = xenLineInForce(facts)
    if (!line.known) return {status: 'unknown', message: `The Xen command line is unknown: ${line.reason}.`, evidence: line.evidence, severity: 'warning'}
    const setting = xenNoReboot(line.value.parsed)
    if (!setting.noreboot) return pass('Xen reboots after a crash it cannot dump (no noreboot on its line).', [line.value.evidence])
    const evidence = [{...line.value.evidence, text: setting.cause?.raw ?? 'noreboot'}]
    return {
      status: 'problem',
      message: `${setting.cause?.raw ?? 'noreboot'} is on the Xen line: if the crash is not handed to a capture kernel, Xen halts the machine ("'noreboot' set - not rebooting.") and it stays down until an out-of-band reset.`,
      evidence,
    }
  },
)
