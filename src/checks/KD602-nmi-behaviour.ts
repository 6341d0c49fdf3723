import type {Fact} from '../facts/fact.js'
import type {Facts} from '../facts/facts.js'
import {hasToken} from '../facts/kdump-service.js'
import {lastToken} from '../parsers/cmdline.js'
import {xenLineInForce} from './shared/lines.js'
import {parseSysctlInt} from '../parsers/sysctl-int.js'
import type {Outcome} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'
import {defineCheck, notApplicable, pass} from './types.js'

interface Knob {
  name: string
  on: boolean | undefined
  evidence: Evidence[]
}

/**
 * A dom0 or native NMI tunable. On a live host /proc/sys decides; in an image the sysctl files, else
 * the kernel default (0), except that the boot option `unknown_nmi_panic` sets that one to 1.
 */
function knob(facts: Facts, name: string): Knob {
  const fact: Fact<string> = facts.sysctl(`kernel.${name}`)
  if (fact.known) {
    const value = parseSysctlInt(fact.value)
    return {name, on: value === undefined ? undefined : value !== 0, evidence: fact.evidence}
  }
  if (facts.kind === 'static') {
    const line = facts.nextBoot.known ? facts.nextBoot.value.linuxLine : undefined
    if (name === 'unknown_nmi_panic' && line && hasToken(line, 'unknown_nmi_panic')) return {name, on: true, evidence: [line.evidence]}
    return {name, on: false, evidence: [{source: `kernel.${name}`, text: 'no sysctl file sets it: kernel default 0'}]}
  }
  return {name, on: undefined, evidence: fact.evidence}
}

/** What the Linux kernel that receives the NMI does with it (arch/x86/kernel/nmi.c). */
function kernelOutcome(facts: Facts, who: string, preface: string, extra: Evidence[]): Outcome {
  const unknownPanic = knob(facts, 'unknown_nmi_panic')
  const unrecovered = knob(facts, 'panic_on_unrecovered_nmi')
  const io = knob(facts, 'panic_on_io_nmi')
  const evidence = [...extra, ...unknownPanic.evidence, ...unrecovered.evidence, ...io.evidence]
  const state = (k: Knob): string => `${k.name}=${k.on === undefined ? '?' : k.on ? '1' : '0'}`
  const settings = [unknownPanic, unrecovered, io].map(state).join(', ')
  // An NMI with no SERR/IOCHK reason bit ("Uhhuh. NMI received for unknown reason") panics when
  // unknown_nmi_panic or panic_on_unrecovered_nmi is set; an IOCHK one when panic_on_io_nmi is.
  const unknownPanics = unknownPanic.on === true || unrecovered.on === true
  const ioNote = io.on === true ? ' An IOCHK-flagged NMI panics too (panic_on_io_nmi).' : io.on === false ? ' An NMI the BMC flags as an I/O check error (IOCHK, some vendors do) would not panic: panic_on_io_nmi=0.' : ''
  if (unknownPanics) {
    return pass(`${preface}${who} panics on it ("NMI: Not continuing"; ${settings}), and the panic starts the dump.${ioNote}`, evidence)
  }
  if (unknownPanic.on !== false || unrecovered.on !== false) {
    return {
      status: 'unknown',
      severity: 'info',
      message: `${preface}whether ${who} panics on it is unknown (${settings}).`,
      evidence,
      verify: 'cat /proc/sys/kernel/unknown_nmi_panic /proc/sys/kernel/panic_on_unrecovered_nmi /proc/sys/kernel/panic_on_io_nmi',
    }
  }
  const onlyIo = io.on === true ? ' Only an NMI the BMC flags as an I/O check error (IOCHK) would panic (panic_on_io_nmi=1).' : ''
  return {
    status: 'problem',
    message: `${preface}${who} logs "Uhhuh. NMI received for unknown reason" and "Dazed and confused, but trying to continue", and carries on (${settings}): an NMI from the BMC ("power diag") produces no dump.${onlyIo}`,
    evidence,
  }
}

export default defineCheck(
  {
    id: 'KD602',
    title: 'What an out-of-band NMI (BMC "power diag") would do',
    severity: 'info',
    scope: 'static',
    stage: 'proof',
    why: `When a host is hung so hard that no shell or console key works, the last way to get a dump is a non-maskable interrupt sent from outside: \`ipmitool chassis power diag\`, the BMC web interface's "NMI" button, or a physical NMI switch. What happens then depends on who receives it. Natively, the kernel does: an NMI with no known reason panics only with kernel.unknown_nmi_panic=1 (or panic_on_unrecovered_nmi=1), an I/O-check NMI only with panic_on_io_nmi=1; otherwise it logs "Dazed and confused, but trying to continue" and the host stays hung. Under Xen the hypervisor takes every NMI first, and its \`nmi=\` option decides: \`nmi=fatal\` (the default of debug builds) makes Xen itself panic, which runs the loaded capture kernel; \`nmi=dom0\` (the default of release builds) forwards the NMI to dom0, whose own kernel.unknown_nmi_panic and friends then decide; \`nmi=ignore\` drops it. Setting unknown_nmi_panic in dom0 is therefore only half of the story on Xen. Seen in the lab (issue 14: Debian's Xen 4.17.7, a release build, debug=n; a Linux 6.1 pvops dom0 with a task stuck in D state; QEMU's monitor command \`nmi\`, which like a BMC's power diag raises an NMI on every CPU): with no nmi= on its line Xen printed nothing and passed the NMI to dom0, whose kernel printed "Uhhuh. NMI received for unknown reason 00 on CPU 0." and "Dazed and confused, but trying to continue" once (Xen hands on only the boot CPU's external NMI) and kept running, with a capture kernel loaded and ready: no dump (scenario NMI-DEFAULT). With \`nmi=fatal\` Xen printed "Uhhuh. NMI received for unknown reason 31.", panicked ("Panic on CPU 0:", "FATAL TRAP: vec 2, NMI[0000]"), printed "Manual reset required ('noreboot' specified)" and then "Executing kexec image on cpu0": the capture kernel ran and wrote the vmcore (scenario NMI).`,
    fix: `Decide what an NMI should do, then make both layers agree:
- Native (bare metal, HVM guests via \`xl trigger <domain> nmi\` / \`virsh inject-nmi\`): \`echo 'kernel.unknown_nmi_panic = 1' > /etc/sysctl.d/90-nmi.conf && sysctl -p /etc/sysctl.d/90-nmi.conf\` (add \`kernel.panic_on_io_nmi = 1\` for BMCs that flag their NMI as an I/O check; RHEL 5/6: /etc/sysctl.conf).
- Xen with a release build: keep \`nmi=dom0\` (or leave it out) and set the same sysctls in dom0; or add \`nmi=fatal\` to the Xen command line (GRUB_CMDLINE_XEN_DEFAULT on grub2, the kernel /xen.gz line on grub legacy, \`/opt/xensource/libexec/xen-cmdline --set-xen nmi=fatal\` on XenServer/XCP-ng) so that Xen panics and runs the capture kernel itself, then reboot. Remove \`nmi=ignore\`.
Test it only in a maintenance window: the NMI really crashes the host.`,
    references: [
      'https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#nmi',
      'https://docs.kernel.org/admin-guide/sysctl/kernel.html#unknown-nmi-panic',
      'https://docs.kernel.org/admin-guide/sysctl/kernel.html#panic-on-io-nmi',
      'https://docs.kernel.org/admin-guide/kdump/kdump.html',
    ],
  },
  (facts) => {
    const role = facts.role
    if (!role.known) {
      return {status: 'unknown', severity: 'info', message: `Who receives an NMI depends on the host role, which is unknown: ${role.reason}.`, evidence: role.evidence, verify: 'cat /proc/xen/capabilities; xl info'}
    }
    const r = role.value
    if (r.kind === 'xen-domu-pv') return notApplicable('An NMI from the BMC reaches the host, not a PV guest (KD100).')
    if (r.kind === 'hvm-guest') {
      return kernelOutcome(facts, 'this guest', 'A BMC NMI reaches the host, not this guest; an NMI injected into the guest (`xl trigger <domain> nmi`, `virsh inject-nmi`): ', [])
    }
    if (r.kind === 'bare-metal') return kernelOutcome(facts, 'the kernel', 'An NMI from the BMC goes straight to Linux: ', [])
    // Xen: the hypervisor takes the NMI; its nmi= option decides.
    const line = xenLineInForce(facts)
    if (!line.known) {
      return {status: 'unknown', severity: 'info', message: `Xen takes the NMI first and its nmi= option decides, but the Xen command line is unknown: ${line.reason}.`, evidence: line.evidence, verify: 'xl info | grep xen_commandline'}
    }
    const token = lastToken(line.value.parsed, 'nmi')
    const lineEvidence = [line.value.evidence]
    let mode = token?.value?.toLowerCase()
    let origin = `nmi=${token?.value ?? ''} on the Xen command line`
    if (!mode) {
      const debug = facts.xenBootLog.known ? facts.xenBootLog.value.parsed.version?.debug : undefined
      mode = debug === true ? 'fatal' : 'dom0'
      origin =
        debug === true
          ? 'no nmi= on the Xen command line, and this is a debug build of Xen (debug=y), whose default is nmi=fatal'
          : debug === false
            ? 'no nmi= on the Xen command line: a release build (debug=n) defaults to nmi=dom0'
            : 'no nmi= on the Xen command line: release builds default to nmi=dom0 (debug builds to fatal; the build type is not in the evidence)'
      if (facts.xenBootLog.known) lineEvidence.push(...facts.xenBootLog.evidence)
    }
    // Xen reads the first letter: 'd'om0, 'i'gnore, anything else is fatal (xen/arch/x86/traps.c).
    if (mode.startsWith('i')) {
      return {status: 'problem', message: `Xen takes the NMI and drops it (${origin}): an NMI from the BMC does nothing, the host stays hung and no dump is written.`, evidence: lineEvidence}
    }
    if (!mode.startsWith('d')) {
      return pass(`Xen takes the NMI and panics (${origin}); a Xen panic runs the loaded capture kernel, so an NMI from the BMC dumps the host (KD202 decides whether one is loaded).`, lineEvidence)
    }
    if (r.mode === 'PVH') {
      return {
        status: 'unknown',
        severity: 'info',
        message: `Xen forwards the NMI to dom0 (${origin}), but this dom0 runs in PVH mode, where this tool cannot vouch that the forwarded NMI reaches dom0's NMI handler. \`nmi=fatal\` on the Xen line makes the outcome certain.`,
        evidence: lineEvidence,
        verify: 'Test in a maintenance window with ipmitool chassis power diag, or set nmi=fatal.',
      }
    }
    return kernelOutcome(facts, "dom0's kernel", `Xen takes the NMI and forwards it to dom0 (${origin}); `, lineEvidence)
  },
)
