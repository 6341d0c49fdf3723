/**
 * What kind of host this is decides which evidence can be trusted: a xenolinux dom0 sees Xen's crash
 * region and forwards kexec loads, a pvops dom0 sees neither (its sysfs reads 0 even when Xen holds a
 * working capture kernel), a PVH dom0 is treated as native by kexec-tools, bare metal and HVM guests
 * follow the native rules.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {parseGuestType, parseHypervisorType, parseHypervisorVersion, parseXenCapabilities} from '../parsers/hypervisor.js'
import {parseIomem} from '../parsers/iomem.js'
import {parseXlInfo, type XlInfo} from '../parsers/xl-info.js'
import {kernelVersion} from '../parsers/versions.js'
import {parseXenVersionText, type XenVersion} from '../parsers/xen-version.js'
import type {ProbeResult, Snapshot} from '../snapshot/snapshot.js'
import {parseXlDmesg} from '../parsers/xl-dmesg.js'
import {MiB} from '../units.js'
import {fileEvidence, probeEvidence} from './evidence.js'
import {kernelMemoryBytes} from './kernel-memory.js'
import {known, unknown, type Fact} from './fact.js'

export type Dom0Kernel = 'xenolinux' | 'pvops'

/** A dom0 whose kernel flavour no evidence shows: its Xen line is judged all the same, its own sysfs is not trusted. */
export type Dom0Flavour = Dom0Kernel | 'unknown'

export type HostRole =
  | {kind: 'xen-dom0'; mode: 'PV' | 'PVH'; kernel: Dom0Flavour; /** Why the flavour is unknown. */ flavourUnknown?: string}
  | {kind: 'xen-domu-pv'}
  | {kind: 'hvm-guest'}
  | {kind: 'bare-metal'}

export interface XlInfoEvidence {
  info: XlInfo
  probe: string
}

/** `xl info`, or `xm info` on old toolstacks, when either ran. */
export function xlInfoOf(snapshot: Snapshot): XlInfoEvidence | undefined {
  for (const name of ['xl-info', 'xm-info']) {
    const probe = snapshot.ranProbe(name)
    if (!probe || probe.exit.kind !== 'exited' || probe.exit.code !== 0) continue
    const parsed = parseXlInfo(probe.out)
    if (parsed.ok && Object.keys(parsed.value.fields).length > 0) return {info: parsed.value, probe: name}
  }
  return undefined
}

export function xlInfoEvidence(snapshot: Snapshot, xl: XlInfoEvidence, field: string): Evidence {
  const probe = snapshot.probe(xl.probe)!
  return probeEvidence(probe, xl.info.lineOf[field])
}

export function kernelRelease(snapshot: Snapshot): Fact<string> {
  const probe = snapshot.ranProbe('uname-r')
  if (probe && probe.out.trim() !== '') return known(probe.out.trim(), [probeEvidence(probe, 1)])
  const xl = xlInfoOf(snapshot)
  if (xl?.info.release) return known(xl.info.release, [xlInfoEvidence(snapshot, xl, 'release')])
  return unknown('the running kernel release (uname -r) was not collected')
}

export function xenVersionOf(snapshot: Snapshot): Fact<XenVersion> {
  const xl = xlInfoOf(snapshot)
  if (xl?.info.xenVersion) {
    const field = xl.info.lineOf.xen_version ? 'xen_version' : 'xen_major'
    return known(xl.info.xenVersion, [xlInfoEvidence(snapshot, xl, field)])
  }
  const major = snapshot.file('/sys/hypervisor/version/major')
  const minor = snapshot.file('/sys/hypervisor/version/minor')
  const extra = snapshot.file('/sys/hypervisor/version/extra')
  const sysfs = major && minor ? parseHypervisorVersion(major.text, minor.text, extra?.text.trim() ?? '') : undefined
  if (major && minor && sysfs?.ok) return known(sysfs.value, [fileEvidence(major, 1), fileEvidence(minor, 1)])
  for (const name of ['xl-dmesg', 'xm-dmesg']) {
    const probe = snapshot.probe(name)
    if (!probe) continue
    const lines = probe.out.split('\n')
    const at = lines.findIndex((l) => /Xen version \d+\.\d+/.test(l))
    const match = at >= 0 ? /Xen version (\d+\.\d+\S*)/.exec(lines[at]!) : null
    const version = match ? parseXenVersionText(match[1]!) : undefined
    if (version) return known(version, [probeEvidence(probe, at + 1)])
  }
  return unknown('no xl info, /sys/hypervisor/version or Xen boot banner in the snapshot')
}

/** Machine RAM in bytes: on Xen all of it (guests included, as a capture kernel sees it), else the kernel's. */
export function machineRamBytes(snapshot: Snapshot, onXen: boolean): Fact<number> {
  const xl = xlInfoOf(snapshot)
  if (onXen && xl?.info.totalMemoryMiB !== undefined) {
    return known(xl.info.totalMemoryMiB * MiB, [xlInfoEvidence(snapshot, xl, 'total_memory')])
  }
  if (onXen) return unknown('xl info total_memory was not collected (dom0 sees only its own share of RAM)')
  // Natively the kernel manages (about) all of the machine's RAM.
  return kernelMemoryBytes(snapshot)
}

/** How each Xen witness in a snapshot reads: the ones that prove a control domain, and the ones that only prove Xen. */
export interface XenWitnesses {
  /** Only a Xen control domain can produce these: `control_d`, `xl info`'s xen_* fields, Xen's own console ring. */
  dom0: Evidence[]
  /** Running under Xen, dom0 or guest: /sys/hypervisor/type = xen, an empty /proc/xen/capabilities, Xen-only consoles. */
  xen: Evidence[]
  /** Witnesses that could not be read: their absence proves nothing. */
  lost: string[]
}

/** Xen-only console options on a Linux command line (`console=hvc0` alone is not one: KVM's virtio console and POWER's are hvc0 too). */
const XEN_PV_CONSOLE = /(?:^|\s)(?:earlyprintk=xen\S*|console=xvc0\S*|xencons=\S+)(?=\s|$)/

/** xl dmesg / xm dmesg output that is Xen's console ring: `(XEN)` lines, or its banner and boot lines. */
export function xenRingProbe(snapshot: Snapshot): {probe: ProbeResult; line: number} | undefined {
  for (const name of ['xl-dmesg', 'xm-dmesg']) {
    const probe = snapshot.probe(name)
    if (!probe || probe.exit.kind === 'missing') continue
    const lines = probe.out.split('\n')
    const at = lines.findIndex((l) => /^\(XEN\)/.test(l))
    if (at >= 0) return {probe, line: at + 1}
    const parsed = parseXlDmesg(probe.out)
    const log = parsed.ok ? parsed.value : undefined
    const first = log?.version?.line ?? log?.commandLine?.line
    if (first !== undefined) return {probe, line: first}
  }
  return undefined
}

export function xenWitnesses(snapshot: Snapshot): XenWitnesses {
  const out: XenWitnesses = {dom0: [], xen: [], lost: []}
  const capabilities = snapshot.file('/proc/xen/capabilities')
  if (capabilities) {
    const caps = parseXenCapabilities(capabilities.text)
    if (caps.ok && caps.value.controlDomain) out.dom0.push(fileEvidence(capabilities, 1))
    else out.xen.push({...fileEvidence(capabilities), text: capabilities.text.trim() === '' ? '(empty: not the control domain)' : capabilities.text.trim()})
  }
  const xl = xlInfoOf(snapshot)
  if (xl && Object.keys(xl.info.fields).some((f) => f.startsWith('xen_'))) {
    const field = Object.keys(xl.info.fields).find((f) => f.startsWith('xen_'))!
    out.dom0.push(xlInfoEvidence(snapshot, xl, field))
  }
  const ring = xenRingProbe(snapshot)
  if (ring) out.dom0.push(probeEvidence(ring.probe, ring.line))
  const hvType = snapshot.file('/sys/hypervisor/type')
  const type = hvType ? parseHypervisorType(hvType.text) : undefined
  if (hvType && type?.ok && type.value === 'xen') out.xen.push(fileEvidence(hvType, 1))
  const cmdline = snapshot.file('/proc/cmdline')
  const consoleMark = cmdline ? XEN_PV_CONSOLE.exec(cmdline.text) : null
  if (cmdline && consoleMark) out.xen.push({...fileEvidence(cmdline, 1), text: consoleMark[0].trim()})
  for (const path of ['/proc/xen/capabilities', '/sys/hypervisor/type']) if (snapshot.fileState(path).state === 'unreadable') out.lost.push(path)
  for (const name of ['xl-info', 'xl-dmesg', 'xm-info', 'xm-dmesg']) {
    const state = snapshot.probeState(name).state
    if (state === 'timed-out' || state === 'not-run') out.lost.push(`${name.replace('-', ' ')} (${state})`)
  }
  return out
}

/**
 * The role of a running host. Any one witness that only a Xen control domain can produce makes it a Xen dom0, whatever
 * else is missing: both kernel flavours need crashkernel= on Xen's line and both halt on noreboot, so a flavour left
 * unknown only keeps the flavour-dependent evidence (dom0's sysfs, /proc/iomem) untrusted.
 */
export function liveHostRole(snapshot: Snapshot, release: Fact<string>, boot?: Fact<{entry: {isXen: boolean}; evidence: Evidence[]}>): Fact<HostRole> {
  const witnesses = xenWitnesses(snapshot)
  const guestType = snapshot.file('/sys/hypervisor/guest_type')
  const guestParsed = guestType ? parseGuestType(guestType.text) : undefined
  const guest = guestParsed?.ok ? guestParsed.value : undefined
  const guestEvidence = guestType ? [fileEvidence(guestType, 1)] : []

  if (witnesses.dom0.length > 0) return dom0Role(snapshot, release, [...witnesses.dom0, ...witnesses.xen, ...guestEvidence], guest)
  if (witnesses.xen.length > 0) {
    const evidence = [...witnesses.xen, ...guestEvidence]
    if (guest === 'HVM') return known({kind: 'hvm-guest'}, evidence)
    const capabilities = snapshot.file('/proc/xen/capabilities')
    // xenfs mounted without control_d: a PV guest.
    if (capabilities) return known({kind: 'xen-domu-pv'}, evidence)
    // A Xen PV console on the running line, and a boot configuration that starts Xen itself: this is the control domain.
    if (boot?.known && boot.value.entry.isXen && !guest) return dom0Role(snapshot, release, [...evidence, ...boot.value.evidence], guest)
    if (guest === 'PV') return known({kind: 'xen-domu-pv'}, evidence)
    return unknown('runs under Xen, but whether as dom0 or as a guest is not shown (no /proc/xen/capabilities, xl info or xl dmesg)', evidence)
  }
  if (witnesses.lost.length > 0) {
    return unknown(`the Xen witnesses could not be read (${witnesses.lost.join(', ')}), so Xen cannot be ruled out`)
  }
  const cmdline = snapshot.file('/proc/cmdline')
  if (cmdline) {
    return known({kind: 'bare-metal'}, [
      fileEvidence(cmdline, 1),
      {source: 'files/sys/hypervisor/type', text: 'absent: no Xen hypervisor'},
    ])
  }
  return unknown('neither /proc/cmdline nor any hypervisor evidence was collected')
}

function dom0Role(snapshot: Snapshot, release: Fact<string>, evidence: Evidence[], guest: string | undefined): Fact<HostRole> {
  if (guest === 'PVH') return known({kind: 'xen-dom0', mode: 'PVH', kernel: 'pvops'}, evidence)
  const kernel = dom0KernelFlavour(snapshot, release)
  if (!kernel.known) return known({kind: 'xen-dom0', mode: 'PV', kernel: 'unknown', flavourUnknown: kernel.reason}, evidence)
  return known({kind: 'xen-dom0', mode: 'PV', kernel: kernel.value}, [...evidence, ...kernel.evidence])
}

/**
 * xenolinux or pvops. The kernel's own config is the best witness; /proc/iomem's `Hypervisor code
 * and data` (only xenolinux kernels copy Xen's resources) the next; the release name the last.
 */
export function dom0KernelFlavour(snapshot: Snapshot, release: Fact<string>): Fact<Dom0Kernel> {
  const config = release.known ? snapshot.file(`/boot/config-${release.value}`) : undefined
  if (config) {
    const lines = config.text.split('\n')
    const xenolinux = lines.findIndex((l) => /^CONFIG_(XEN_PRIVILEGED_GUEST|X86_64_XEN|X86_XEN)=y/.test(l))
    if (xenolinux >= 0) return known('xenolinux', [fileEvidence(config, xenolinux + 1)])
    const pvops = lines.findIndex((l) => /^CONFIG_XEN_DOM0=y/.test(l))
    if (pvops >= 0) return known('pvops', [fileEvidence(config, pvops + 1)])
  }
  const iomem = snapshot.file('/proc/iomem')
  if (iomem) {
    const parsed = parseIomem(iomem.text)
    const hypervisor = parsed.ok ? parsed.value.hypervisor[0] : undefined
    if (hypervisor) return known('xenolinux', [fileEvidence(iomem, hypervisor.line)])
  }
  if (!release.known) return unknown('no kernel config, no xenolinux marks in /proc/iomem, no kernel release')
  const name = release.value
  const [major = 0, minor = 0] = kernelVersion(name) ?? []
  // Forward-ported xenolinux kernels carry "xen" in the release (2.6.18-406.el5xen, 2.6.32.36-...el5xen,
  // SUSE 3.0.101-63-xen); XenServer 6's 2.6.32 "xs" kernels end in xen too but are pvops-based.
  // SUSE shipped xenolinux kernel-xen up to 3.12 (SLES 12 SP1); XCP-ng 8's "4.19-xen" is a pvops kernel.
  const xenNamed = /xen$/.test(name) && !/\.xs\d/.test(name)
  if (xenNamed && (major < 3 || (major === 3 && /-xen$/.test(name)))) return known('xenolinux', release.evidence)
  if (major > 2 || (major === 2 && minor === 6 && /\.xs\d/.test(name))) return known('pvops', release.evidence)
  return unknown(`cannot tell a xenolinux from a pvops kernel by its release alone (${name})`, release.evidence)
}

export function describeRole(role: Fact<HostRole>, release: Fact<string>): string {
  const kernel = release.known ? ` ${release.value}` : ''
  if (!role.known) return `unknown role (${role.reason})`
  const value = role.value
  switch (value.kind) {
    case 'xen-dom0':
      if (value.mode === 'PVH') return `Xen PVH dom0, kernel${kernel}`
      if (value.kernel === 'unknown') return `Xen dom0 (kernel flavour unknown${kernel ? `, kernel${kernel}` : ''})`
      return `Xen dom0 (PV, ${value.kernel} kernel${kernel})`
    case 'xen-domu-pv':
      return `Xen PV guest (domU), kernel${kernel}`
    case 'hvm-guest':
      return `Xen HVM guest, kernel${kernel} (native kdump rules)`
    case 'bare-metal':
      return `Linux without Xen, kernel${kernel} (native kdump rules)`
  }
}
