/**
 * Facts: typed values derived from a snapshot by pure parsers, each known with its evidence or unknown
 * with the reason. Checks see only this.
 */
import type {XenVersion} from '../parsers/xen-version.js'
import type {Snapshot, SnapshotKind} from '../snapshot/snapshot.js'
import {nextBoot, type NextBoot} from './boot.js'
import {bootListing, captureImages, type BootListing, type CaptureImages} from './capture-kernel.js'
import {captureLoaded, kexecTools, type CaptureLoad, type KexecTools} from './capture.js'
import {runningLinuxLine, runningXenLine, type CommandLine} from './command-lines.js'
import {known, unknown, type Fact} from './fact.js'
import {describeRole, dom0KernelFlavour, kernelRelease, liveHostRole, machineRamBytes, xenVersionOf, xenWitnesses, type HostRole} from './host.js'
import {captureCommandLine, kdumpService, type CaptureCommandLine, type KdumpService} from './kdump-service.js'
import {kernelMemoryBytes} from './kernel-memory.js'
import {crashRegion, type CrashRegion} from './region.js'
import {distroReport, type DistroReport} from './distro-report.js'
import {distribution, kdumpConfigFiles, type KdumpConfigFile} from './distribution.js'
import type {DistroSummary} from '../parsers/os-release.js'
import type {FileState} from '../snapshot/evidence-state.js'
import {landedDumpPlan, type LandedDumpPlan} from './dump-landing.js'
import {dumpPlan} from './dump-plan.js'
import {serviceState, type ServiceState} from './service-state.js'
import {storage, type Storage} from './storage.js'
import {kernelConfig, type KernelConfigLookup} from './kernel-config.js'
import {effectiveSysctl, kdumpToolsSysctl, type ImageKernel} from './sysctl.js'
import {xenBootLog, type XenBootLogFact} from './xen-boot-log.js'

export interface Facts {
  kind: SnapshotKind
  role: Fact<HostRole>
  roleDescription: string
  /** The host runs (or, for an image, will boot) as a PV dom0 whose crash region belongs to Xen. */
  xenPvDom0: boolean
  kernelRelease: Fact<string>
  xenVersion: Fact<XenVersion>
  /** All machine RAM on Xen (what a capture kernel dumps), the kernel's RAM otherwise. */
  machineRamBytes: Fact<number>
  /** RAM the running kernel manages (MemTotal): on a Xen dom0 its own share, what a `-X` dump keeps of the guests' machine. */
  kernelMemoryBytes: Fact<number>
  xenBootLog: XenBootLogFact
  runningXenLine: Fact<CommandLine>
  runningLinuxLine: Fact<CommandLine>
  nextBoot: Fact<NextBoot>
  crashRegion: Fact<CrashRegion>
  kexecTools: Fact<KexecTools>
  captureLoaded: Fact<CaptureLoad>
  /** The distribution, from its release files. */
  distribution: Fact<DistroSummary>
  kdumpService: Fact<KdumpService>
  /** Present, absent or unreadable: each file a kdump service reads its configuration from. */
  kdumpConfigFiles: Record<KdumpConfigFile, FileState>
  captureCommandLine: Fact<CaptureCommandLine>
  captureImages: Fact<CaptureImages>
  bootListing: Fact<BootListing>
  /** A kernel tunable as the host runs with it (live), or as the image will boot with it (sysctl files). */
  sysctl(name: string): Fact<string>
  /** A tunable Debian's kdump-tools sets when it loads the capture kernel (/etc/kdump/sysctl.conf). */
  kdumpToolsSysctl(name: string): Fact<string>
  /** An option of the running (for an image: the newest) kernel's build configuration, /boot/config-<release>. */
  kernelConfig: KernelConfigLookup
  serviceState: ServiceState
  /** What the kdump service will do with a crash, and where the dump lands on this host. */
  dumpPlan: Fact<LandedDumpPlan>
  storage: Fact<Storage>
  /** The distribution's own status commands and its record of the last `kdumpctl test`. */
  distroReport: DistroReport
}

export function buildFacts(snapshot: Snapshot): Facts {
  const boot = nextBoot(snapshot)
  // An image runs nothing: its kernel is the one its default boot entry starts.
  const imageRelease = snapshot.kind === 'static' && boot.known ? /vmlinu[xz]-([^/\s]+)$/.exec(boot.value.entry.linux?.path ?? '')?.[1] : undefined
  const release = imageRelease !== undefined ? known(imageRelease, boot.evidence) : kernelRelease(snapshot)
  const imageKernel: ImageKernel = {
    ...(imageRelease !== undefined ? {release: imageRelease} : {}),
    line: boot.known ? known(boot.value.linuxLine, boot.evidence) : unknown(boot.reason, boot.evidence),
  }
  const role = snapshot.kind === 'static' ? imageRole(snapshot, boot) : liveHostRole(snapshot, release, boot)
  const xenPvDom0 = role.known && role.value.kind === 'xen-dom0' && role.value.mode === 'PV'
  const xenVersion = xenVersionOf(snapshot)
  const bootLog = xenBootLog(snapshot)
  const runningXen = runningXenLine(snapshot, bootLog)
  const runningLinux = runningLinuxLine(snapshot)
  const tools = kexecTools(snapshot)
  const service = kdumpService(snapshot)
  const disks = storage(snapshot)
  const distro = distroReport(snapshot)
  const state = serviceState(snapshot, service.known ? service.value.family : undefined)
  const panicOnLoad = imageKdumpConfigPanics(snapshot, service, state)
  return {
    kind: snapshot.kind,
    role,
    roleDescription: describeRole(role, release),
    xenPvDom0,
    kernelRelease: release,
    xenVersion,
    machineRamBytes: machineRamBytes(snapshot, xenPvDom0),
    kernelMemoryBytes: kernelMemoryBytes(snapshot),
    xenBootLog: bootLog,
    runningXenLine: runningXen,
    runningLinuxLine: runningLinux,
    nextBoot: boot,
    crashRegion: crashRegion(snapshot, role, runningXen, runningLinux, bootLog),
    kexecTools: tools,
    captureLoaded: captureLoaded(snapshot, role, xenVersion, tools, distro, noXenWitness(snapshot)),
    distribution: distribution(snapshot),
    kdumpService: service,
    kdumpConfigFiles: kdumpConfigFiles(snapshot),
    captureCommandLine: service.known ? captureCommandLine(service.value, dom0LineForCapture(snapshot, runningLinux, boot)) : unknown(service.reason),
    captureImages: captureImages(service, release),
    bootListing: bootListing(snapshot),
    sysctl: (name) => (name === 'kernel.panic_on_oops' && panicOnLoad ? panicOnLoad : effectiveSysctl(snapshot, name, imageKernel)),
    kdumpToolsSysctl: (name) => kdumpToolsSysctl(snapshot, name),
    kernelConfig: kernelConfig(snapshot, release),
    serviceState: state,
    dumpPlan: landedDumpPlan(dumpPlan(snapshot, service), disks),
    storage: disks,
    distroReport: distro,
  }
}

/**
 * Debian's kdump-config sets kernel.panic_on_oops=1 every time it loads a capture kernel
 * (apply_panic_triggers, after the sysctl files: it wins over them); /etc/kdump/sysctl.conf is applied
 * only inside the capture kernel. So an image whose kdump-tools is enabled at boot runs with 1 once
 * the load succeeds (seen in the lab: B-filter, B-kdt and D read 1; where the load failed, 0 stays).
 */
function imageKdumpConfigPanics(snapshot: Snapshot, service: Fact<KdumpService>, state: ServiceState): Fact<string> | undefined {
  if (snapshot.kind !== 'static' || !service.known || service.value.family !== 'debian') return undefined
  if (!service.value.config.useKdump || !state.enabled.known || !state.enabled.value) return undefined
  return known('1', [...state.enabled.evidence, {source: 'kdump-config', text: 'kdump-config load sets kernel.panic_on_oops=1 when it loads the capture kernel (kdump-tools is enabled at boot)'}])
}

/** An image has no running state: it is a dom0 image when its default boot entry starts Xen. */
function imageRole(snapshot: Snapshot, boot: Fact<NextBoot>): Fact<HostRole> {
  if (!boot.known) return unknown(`image without a readable default boot entry: ${boot.reason}`)
  if (!boot.value.entry.isXen) return known({kind: 'bare-metal'}, boot.evidence)
  const image = boot.value.entry.linux?.path ?? ''
  // A generated entry names /boot/vmlinuz; the image's newest kernel config then tells the flavour.
  const configs = snapshot.filesMatching(/^\/boot\/config-/).map((f) => f.path.slice('/boot/config-'.length))
  const release = /vmlinu[xz]-(.+)$/.exec(image)?.[1] ?? configs.at(-1)
  const flavour = dom0KernelFlavour(snapshot, release ? known(release, boot.evidence) : unknown('no dom0 kernel in the default entry'))
  if (!flavour.known) return known({kind: 'xen-dom0', mode: 'PV', kernel: 'unknown', flavourUnknown: flavour.reason}, boot.evidence)
  return known({kind: 'xen-dom0', mode: 'PV', kernel: flavour.value}, [...boot.evidence, ...flavour.evidence])
}

/** The line a kdump service would copy: the running one, or for an image the one its default entry boots. */
function dom0LineForCapture(snapshot: Snapshot, running: Fact<CommandLine>, boot: Fact<NextBoot>): Fact<CommandLine> {
  if (snapshot.kind === 'runtime') return running
  if (boot.known && boot.value.linuxLine) return known(boot.value.linuxLine, [boot.value.linuxLine.evidence])
  return unknown(boot.known ? 'the default boot entry has no kernel line' : boot.reason)
}

/** Nothing in the evidence shows Xen, and nothing that could show it was lost. */
function noXenWitness(snapshot: Snapshot): boolean {
  if (snapshot.kind === 'static') return false
  const w = xenWitnesses(snapshot)
  return w.dom0.length === 0 && w.xen.length === 0 && w.lost.length === 0
}
