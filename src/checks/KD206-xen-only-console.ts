import {hasToken} from '../facts/kdump-service.js'
import {consoleSet} from '../parsers/cmdline.js'
import {defineCheck, notApplicable, pass} from './types.js'

// Seen hanging in the lab: both send early output through Xen hypercalls or a Xen-only console device.
// (xencons= and console=xvc0 only lose output on bare metal; they do not hang it.)
const XEN_ONLY = [
  {key: 'console', value: /^hvc\d*(,|$)/, label: 'console=hvc0'},
  {key: 'earlyprintk', value: /^xen/, label: 'earlyprintk=xen'},
]

export default defineCheck(
  {
    id: 'KD206',
    title: 'The capture kernel gets a Xen-only console and will hang',
    nativeTitle: 'The capture kernel gets a paravirtual-only console and will hang',
    severity: 'error',
    scope: 'static',
    stage: 'capture',
    why: `The capture kernel boots on bare metal, outside Xen. A Xen-only console set (console=hvc0, earlyprintk=xen, and no real serial or VGA console beside them) makes it hang silently right after Xen's "Executing kexec image": no dump, no message. With a real console too (console=tty0 console=hvc0 console=ttyS0,38400), the kernel prints there and does not hang for want of a console. Debian's kdump-tools and RHEL's kdumpctl copy dom0's own /proc/cmdline (which on a dom0 usually carries console=hvc0 earlyprintk=xen) into the capture kernel when no capture command line is configured; SUSE's kdump drops console=hvc0 for this reason. Seen in the lab: kdump-config load copied "console=hvc0 earlyprintk=xen" and the capture kernel hung.`,
    fix: `Give the capture kernel its own command line with a real console:\n- Debian/Ubuntu: in /etc/default/kdump-tools set KDUMP_CMDLINE="root=... console=ttyS0,115200 irqpoll nr_cpus=1 reset_devices" (use the serial port Xen uses, e.g. com1 -> ttyS0), then \`systemctl restart kdump-tools\`.\n- RHEL/CentOS: in /etc/sysconfig/kdump set KDUMP_COMMANDLINE="..." likewise (or add console=hvc0 earlyprintk=xen to KDUMP_COMMANDLINE_REMOVE on RHEL 7+), then restart kdump.`,
    references: ['https://wiki.xenproject.org/wiki/Kexec_and_Kdump', 'https://github.com/openSUSE/kdump'],
  },
  (facts) => {
    if (!facts.xenPvDom0) return notApplicable('Only a dom0 has Xen-only consoles on its own command line.')
    const service = facts.kdumpService
    if (service.known && service.value.family === 'xenserver') return pass("XenServer's kdump builds its own capture command line.", service.evidence)
    const capture = facts.captureCommandLine
    if (!capture.known) {
      return {
        status: 'unknown',
        message: `The capture kernel's command line cannot be known: ${capture.reason}.`,
        evidence: capture.evidence,
        verify: 'Check the command line the kdump service passes to kexec -p (Debian: kdump-config show; RHEL: kdumpctl showmem / the KDUMP_COMMANDLINE it logs).',
      }
    }
    const found = XEN_ONLY.filter((x) => hasToken(capture.value.line, x.key, x.value)).map((x) => x.label)
    const suseStrips = service.known && service.value.family === 'suse' && capture.value.origin === 'copied'
    if (found.length === 0 || suseStrips) {
      return pass(`The capture command line has no Xen-only console${suseStrips ? " (SUSE's kdump removes console=hvc0 from the copy)" : ''}.`, capture.evidence)
    }
    // A Xen-only token beside a real console is not this failure: the kernel prints on the real one.
    const set = consoleSet(capture.value.line.text)
    if (!set.xenOnly) {
      return pass(`The capture command line has ${found.join(' ')}, but also ${set.real.join(' ')}: its console set is not Xen-only, so it does not hang for want of a console.`, capture.evidence)
    }
    const how = capture.value.origin === 'copied' ? "copied from dom0's /proc/cmdline because no capture command line is configured" : 'as configured'
    return {
      status: 'problem',
      message: `The capture kernel would boot with ${found.join(' ')} (${how}): on bare metal it hangs silently and writes no dump.`,
      evidence: capture.evidence,
    }
  },
)
