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
import type {Snapshot} from '../snapshot/snapshot.js'
import {MiB} from '../units.js'
import {fileEvidence, probeEvidence} from './evidence.js'
import {kernelMemoryBytes} from './kernel-memory.js'
import {known, unknown, type Fact} from './fact.js'

export type Dom0Kernel = 'xenolinux' | 'pvops'

export type HostRole =
  | {kind: 'xen-dom0'; mode: 'PV' | 'PVH'; kernel: Dom0Kernel}
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

export function liveHostRole(snapshot: Snapshot, release: Fact<string>): Fact<HostRole> {
  const evidence: Evidence[] = []
  const capabilities = snapshot.file('/proc/xen/capabilities')
  const hvType = snapshot.file('/sys/hypervisor/type')
  const guestType = snapshot.file('/sys/hypervisor/guest_type')
  const xl = xlInfoOf(snapshot)
  if (capabilities) evidence.push(fileEvidence(capabilities, 1))
  if (hvType) evidence.push(fileEvidence(hvType, 1))
  if (guestType) evidence.push(fileEvidence(guestType, 1))

  const caps = capabilities ? parseXenCapabilities(capabilities.text) : undefined
  const isControlDomain = (caps?.ok && caps.value.controlDomain) || xl !== undefined
  if (xl && !capabilities) evidence.push(probeEvidence(snapshot.probe(xl.probe)!))
  const guestParsed = guestType ? parseGuestType(guestType.text) : undefined
  const guest = guestParsed?.ok ? guestParsed.value : undefined
  const typeParsed = hvType ? parseHypervisorType(hvType.text) : undefined
  const onXen = (typeParsed?.ok && typeParsed.value === 'xen') || capabilities !== undefined || xl !== undefined

  if (isControlDomain) {
    if (guest === 'PVH') return known({kind: 'xen-dom0', mode: 'PVH', kernel: 'pvops'}, evidence)
    const kernel = dom0KernelFlavour(snapshot, release)
    if (!kernel.known) return unknown(`a Xen dom0, but its kernel type is unclear: ${kernel.reason}`, evidence)
    return known({kind: 'xen-dom0', mode: 'PV', kernel: kernel.value}, [...evidence, ...kernel.evidence])
  }
  if (onXen) {
    if (guest === 'HVM') return known({kind: 'hvm-guest'}, evidence)
    if (guest === 'PV' || capabilities !== undefined) return known({kind: 'xen-domu-pv'}, evidence)
    return unknown('a Xen guest of unknown type (no /sys/hypervisor/guest_type)', evidence)
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
  const xenNamed = /xen$/.test(name) && !/\.xs\d/.test(name)
  if (xenNamed && (major < 3 || /-xen$/.test(name))) return known('xenolinux', release.evidence)
  if (major > 2 || (major === 2 && minor === 6 && /\.xs\d/.test(name))) return known('pvops', release.evidence)
  return unknown(`cannot tell a xenolinux from a pvops kernel by its release alone (${name})`, release.evidence)
}

export function describeRole(role: Fact<HostRole>, release: Fact<string>): string {
  const kernel = release.known ? ` ${release.value}` : ''
  if (!role.known) return `unknown role (${role.reason})`
  const value = role.value
  switch (value.kind) {
    case 'xen-dom0':
      return value.mode === 'PVH' ? `Xen PVH dom0, kernel${kernel}` : `Xen dom0 (PV, ${value.kernel} kernel${kernel})`
    case 'xen-domu-pv':
      return `Xen PV guest (domU), kernel${kernel}`
    case 'hvm-guest':
      return `Xen HVM guest, kernel${kernel} (native kdump rules)`
    case 'bare-metal':
      return `Linux without Xen, kernel${kernel} (native kdump rules)`
  }
}
