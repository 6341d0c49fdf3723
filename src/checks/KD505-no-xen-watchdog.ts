import {hostText} from './shared/host-wording.js'
import {xenLineInForce} from './shared/lines.js'
import {defineCheck, notApplicable, pass} from './types.js'

const WATCHDOG_FIX = hostText(
  'Add `watchdog` (and optionally `watchdog_timeout=<seconds>`) to the Xen line, then reboot:',
  [
    [{loader: ['grub2', 'grub2-defaults']}, 'grub2: GRUB_CMDLINE_XEN_DEFAULT in /etc/default/grub, then `update-grub` or `grub2-mkconfig -o /boot/grub2/grub.cfg`.'],
    [{loader: ['grub-legacy']}, 'grub legacy: the `kernel /xen.gz-...` line in /boot/grub/grub.conf.'],
    [{loader: ['xenserver', 'extlinux']}, 'XenServer/XCP-ng: `/opt/xensource/libexec/xen-cmdline --set-xen watchdog`.'],
  ],
  'Consider KD503 for dom0 hangs.',
)

export default defineCheck(
  {
    id: 'KD505',
    title: "No Xen watchdog: a hypervisor lockup is neither dumped nor recovered",
    nativeTitle: 'No hypervisor watchdog: a hypervisor lockup is neither dumped nor recovered (this host runs none)',
    severity: 'info',
    scope: 'static',
    stage: 'after-crash',
    why: `Xen's own NMI watchdog (the \`watchdog\` option on the Xen line) turns a hypervisor lockup into a Xen panic, and a Xen panic runs the loaded capture kernel like a dom0 crash does. Without it a locked-up hypervisor just stops: no dump, no reboot. A hung dom0 is a different matter: Xen's domain watchdog (driven by a watchdog daemon on xen_wdt in dom0) reboots the host, "Hardware Dom0 shutdown: watchdog rebooting machine", without a dump; dom0's own hung-task and soft-lockup panics (KD503) are what dump a dom0 hang.`,
    fix: WATCHDOG_FIX.full,
    fixFor: WATCHDOG_FIX.for,
    references: ['https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#watchdog-x86', 'https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#watchdog_timeout'],
  },
  (facts) => {
    if (!facts.xenPvDom0) return notApplicable('Only the Xen hypervisor has this watchdog.')
    const line = xenLineInForce(facts)
    if (!line.known) return {status: 'unknown', message: `The Xen command line is unknown: ${line.reason}.`, evidence: line.evidence, severity: 'info'}
    const watchdog = line.value.parsed.tokens.filter((t) => t.key === 'watchdog' || t.key === 'no-watchdog').at(-1)
    const on = watchdog && watchdog.key === 'watchdog' && !/^(0|no|false|off|disable)$/i.test(watchdog.value ?? '')
    if (on) return pass(`Xen's NMI watchdog is on (${watchdog.raw}): a hypervisor lockup panics Xen, which runs the capture kernel.`, [line.value.evidence])
    return {status: 'problem', message: "Xen's NMI watchdog is off: a hypervisor lockup would neither be dumped nor recovered.", evidence: [line.value.evidence]}
  },
)
