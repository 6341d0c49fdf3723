/**
 * Shared reasoning for the dump-target checks (KD400-KD406): which filesystem the capture kernel will
 * write to, which collector it will run, and how large the dump can be. Pure functions of facts.
 *
 * Where a dump lands, per target kind:
 * - `local` (RHEL without a target line, Debian KDUMP_COREDIR, SUSE file://, XenServer): the path as the
 *   host sees it; the filesystem is the mount holding it (RHEL's kdumpctl and Debian's fstab both mount
 *   that filesystem in the capture environment).
 * - `fs` (kdump.conf `ext4 UUID=...`): kdump.conf's `path` is relative to the root of that device's
 *   filesystem, so a device mounted at /data with `path /var/crash` receives /data/var/crash. The
 *   device is found in /proc/mounts, else in /etc/fstab (kdumpctl mounts an fstab target when needed).
 * - `raw`, `nfs`, `ssh`, `virtiofs`: nothing in a snapshot shows the device or the server.
 */
import type {Facts} from '../../facts/facts.js'
import type {CollectorPlan, DumpPlan} from '../../facts/dump-plan.js'
import {known, unknown, type Fact} from '../../facts/fact.js'
import type {Storage} from '../../facts/storage.js'
import type {Collector} from '../../parsers/makedumpfile-args.js'
import {deviceSpec, normalizePath, resolveMount, sameDevice, type MountEntry} from '../../parsers/mounts.js'
import type {Snapshot} from '../../snapshot/snapshot.js'
import {fileEvidence} from '../../facts/evidence.js'
import type {Evidence} from '../../snapshot/evidence.js'

export const GiB = 1024 ** 3

/** `12.3 GiB`, `512 MiB`: sizes as a person reads them. */
export function size(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(bytes >= 100 * GiB ? 0 : 1)} GiB`
  return `${Math.round(bytes / 1024 ** 2)} MiB`
}

// ---------------------------------------------------------------------------------------------------
// Device names

const BY_ID: Array<[RegExp, string]> = [
  [/^\/dev\/disk\/by-uuid\/(.+)$/, 'UUID='],
  [/^\/dev\/disk\/by-label\/(.+)$/, 'LABEL='],
  [/^\/dev\/disk\/by-partuuid\/(.+)$/, 'PARTUUID='],
  [/^\/dev\/disk\/by-partlabel\/(.+)$/, 'PARTLABEL='],
]

/** `/dev/disk/by-uuid/X` is `UUID=X` (udev escapes `/` and spaces in labels as `\x2f`, `\x20`). */
export function canonicalDevice(spec: string): string {
  for (const [re, prefix] of BY_ID) {
    const m = re.exec(spec)
    if (m) return prefix + m[1]!.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  }
  return spec
}

export function sameDeviceName(a: string, b: string): boolean {
  return sameDevice(canonicalDevice(a), canonicalDevice(b))
}

/** A name only blkid can map to a device node: `UUID=`, `LABEL=`, `PARTUUID=`, `PARTLABEL=`. */
function isIndirect(spec: string): boolean {
  const kind = deviceSpec(canonicalDevice(spec)).kind
  return kind === 'uuid' || kind === 'label' || kind === 'partuuid' || kind === 'partlabel'
}

// ---------------------------------------------------------------------------------------------------
// Where the dump lands

export interface FilesystemLanding {
  kind: 'filesystem'
  /** The dump directory as the running host names it (`/data/var/crash` for a device mounted at /data). */
  hostPath: string
  /** Mount point of the filesystem that receives the dump, as the host mounts it. */
  mountpoint: string
  fstype: string
  device: string
  /** The mount table the answer came from: mounted now, or only listed in /etc/fstab. */
  source: 'mounts' | 'fstab'
  /** In words: `/var/crash on /dev/sda2 (ext4, mounted at /)`. */
  description: string
  evidence: Evidence[]
}

export type Landing =
  | FilesystemLanding
  | {kind: 'remote' | 'raw' | 'virtiofs'; description: string; evidence: Evidence[]}
  /** `missing`: the tables were read and nothing in them holds the target (as opposed to: cannot tell). */
  | {kind: 'unresolved'; missing: boolean; reason: string; evidence: Evidence[]; verify?: string}

export function resolveLanding(plan: DumpPlan, storage: Fact<Storage>, snapshot: Snapshot): Landing {
  const target = plan.target
  const evidence = [...target.evidence]
  switch (target.kind) {
    case 'nfs':
    case 'ssh':
      return {kind: 'remote', description: target.description, evidence}
    case 'raw':
      return {kind: 'raw', description: target.description, evidence}
    case 'virtiofs':
      return {kind: 'virtiofs', description: target.description, evidence}
    case 'local':
      return localLanding(target.path, storage, evidence)
    case 'fs':
      return deviceLanding(target.target?.spec ?? '', target.path, target.target?.fstype, target.target?.mountpoint, storage, evidence, snapshot)
  }
}

function localLanding(path: string, storage: Fact<Storage>, evidence: Evidence[]): Landing {
  if (!storage.known) return {kind: 'unresolved', missing: false, reason: `the mount tables are unknown: ${storage.reason}`, evidence, verify: `findmnt -T ${path}; df -Pk ${path}`}
  const hit = storage.value.mountFor(path)
  if (!hit) {
    const tables = [storage.value.mounts ? '/proc/mounts' : undefined, storage.value.fstab ? '/etc/fstab' : undefined].filter(Boolean).join(' and ')
    return {kind: 'unresolved', missing: true, reason: `no filesystem in ${tables} holds ${path}`, evidence, verify: `findmnt -T ${path}`}
  }
  const e = hit.entry
  return {
    kind: 'filesystem',
    hostPath: normalizePath(path),
    mountpoint: normalizePath(e.mountpoint),
    fstype: e.fstype,
    device: e.spec,
    source: hit.source,
    description: `${path} on ${e.spec} (${e.fstype}, ${hit.source === 'mounts' ? 'mounted' : 'listed in /etc/fstab'} at ${e.mountpoint})`,
    evidence: [...evidence, hit.evidence],
  }
}

function deviceLanding(
  spec: string,
  path: string,
  fstype: string | undefined,
  captureMountpoint: string | undefined,
  storage: Fact<Storage>,
  evidence: Evidence[],
  snapshot: Snapshot,
): Landing {
  const lineOf = (entry: MountEntry, table: 'mounts' | 'fstab'): Evidence => tableEvidence(snapshot, entry, table)
  const verify = `blkid ${isIndirect(spec) ? `-t ${spec}` : spec}; findmnt --source ${spec}; grep -n '${spec.replace(/'/g, '')}' /etc/fstab`
  if (!storage.known) return {kind: 'unresolved', missing: false, reason: `the mount tables are unknown: ${storage.reason}`, evidence, verify}
  const {mounts, fstab} = storage.value
  const inMounts = (mounts ?? []).filter((e) => sameDeviceName(e.spec, spec)).at(-1)
  const inFstab = (fstab ?? []).filter((e) => e.fstype !== 'swap' && sameDeviceName(e.spec, spec)).at(-1)
  const landing = (entry: MountEntry, source: 'mounts' | 'fstab', ev: Evidence[], how: string): FilesystemLanding => {
    const mountpoint = normalizePath(entry.mountpoint)
    return {
      kind: 'filesystem',
      hostPath: normalizePath(`${mountpoint}/${path}`),
      mountpoint,
      fstype: entry.fstype,
      device: spec,
      source,
      description: `${path} on ${spec} (${entry.fstype}, ${how} ${mountpoint}, so ${normalizePath(`${mountpoint}/${path}`)} on this host)`,
      evidence: [...evidence, ...ev],
    }
  }
  if (inMounts) return landing(inMounts, 'mounts', [lineOf(inMounts, 'mounts')], 'mounted at')
  if (inFstab) {
    // fstab names it (by UUID, say) and /proc/mounts shows the same mount point under the kernel's device name.
    const now = mounts ? resolveExact(mounts, inFstab.mountpoint) : undefined
    if (now) return landing({...now, spec}, 'mounts', [lineOf(inFstab, 'fstab'), lineOf(now, 'mounts')], 'mounted at')
    return landing(inFstab, 'fstab', [lineOf(inFstab, 'fstab')], 'listed in /etc/fstab at')
  }
  const fsNote = fstype ? ` ${fstype}` : ''
  if (captureMountpoint) {
    return {kind: 'unresolved', missing: false, reason: `the${fsNote} device ${spec} is mounted only by the capture initrd (dracut_args --mount ... ${captureMountpoint}); nothing on this host shows it`, evidence, verify}
  }
  // A UUID/LABEL target mounted by hand under its kernel name (/dev/sdb1) cannot be matched without blkid.
  if (isIndirect(spec) && mounts) {
    const fstabPoints = new Set((fstab ?? []).map((e) => normalizePath(e.mountpoint)))
    const unexplained = mounts.filter((e) => e.spec.startsWith('/dev/') && !fstabPoints.has(normalizePath(e.mountpoint)))
    if (unexplained.length > 0) {
      return {
        kind: 'unresolved',
        missing: false,
        reason: `${spec} appears in neither /proc/mounts nor /etc/fstab by that name, and ${unexplained.map((e) => `${e.spec} at ${e.mountpoint}`).join(', ')} (mounted, not in fstab) may be it: only blkid can tell`,
        evidence: [...evidence, ...unexplained.map((e) => lineOf(e, 'mounts'))],
        verify,
      }
    }
  }
  const tables = [mounts ? '/proc/mounts' : undefined, fstab ? '/etc/fstab' : undefined].filter(Boolean).join(' nor ')
  if (!tables) return {kind: 'unresolved', missing: false, reason: 'neither /proc/mounts nor /etc/fstab was collected', evidence, verify}
  return {kind: 'unresolved', missing: true, reason: `the${fsNote} dump device ${spec} appears in neither ${tables.includes(' nor ') ? tables : `${tables} (the only mount table collected)`}`, evidence, verify}
}

function resolveExact(entries: readonly MountEntry[], mountpoint: string): MountEntry | undefined {
  const hit = resolveMount(entries, mountpoint)
  return hit && normalizePath(hit.entry.mountpoint) === normalizePath(mountpoint) ? hit.entry : undefined
}

function tableEvidence(snapshot: Snapshot, entry: MountEntry, table: 'mounts' | 'fstab'): Evidence {
  const path = table === 'mounts' ? '/proc/mounts' : '/etc/fstab'
  const file = snapshot.file(path)
  return file ? fileEvidence(file, entry.line) : {source: `files${path}`, line: entry.line}
}

/** The df row of exactly this mount point (never a parent's: a filesystem not mounted now has no row). */
export function freeSpace(storage: Storage, mountpoint: string): {availBytes: number; sizeBytes: number | null; evidence: Evidence; filesystem: string} | undefined {
  const hit = storage.spaceFor(mountpoint)
  if (!hit || normalizePath(hit.row.mountpoint) !== normalizePath(mountpoint) || hit.row.availKiB === null) return undefined
  return {availBytes: hit.row.availKiB * 1024, sizeBytes: hit.row.sizeKiB === null ? null : hit.row.sizeKiB * 1024, evidence: hit.evidence, filesystem: hit.row.filesystem}
}

// ---------------------------------------------------------------------------------------------------
// The collector and the dump's size

export interface EffectiveCollector {
  collector: Collector
  /** As configured or defaulted, with what the service adds at run time. */
  text: string
  origin: CollectorPlan['origin']
  evidence: Evidence[]
  /** Why the effective command differs from the configured one. */
  note?: string
}

/** The collector the capture environment runs. SUSE's kdump adds `-X` itself when it dumps a Xen host. */
export function effectiveCollector(facts: Facts, plan: DumpPlan): EffectiveCollector | undefined {
  const c = plan.collector
  if (!c) return undefined
  if (plan.family === 'suse' && facts.xenPvDom0 && c.collector.kind === 'makedumpfile' && !c.collector.xenFilter) {
    return {collector: {...c.collector, xenFilter: true}, text: `${c.text} -X`, origin: c.origin, evidence: c.evidence, note: "SUSE's kdump adds -X on a Xen host"}
  }
  return {collector: c.collector, text: c.text, origin: c.origin, evidence: c.evidence}
}

/** The highest `-d` level makedumpfile will use (0 when none is given: makedumpfile then filters nothing). */
export function maxDumpLevel(c: Collector): number {
  return c.dumpLevels.length === 0 ? 0 : Math.max(...c.dumpLevels)
}

export interface DumpSize {
  /** The largest the dump can be: every page the collector keeps, before compression. */
  worstBytes: number
  /** What the worst case is made of, in words. */
  basis: string
  /** makedumpfile drops pages by type (`-d N`, N > 0): a typical dump is far smaller than the worst case. */
  filtered: boolean
  compressed: boolean
  /** On Xen without `-X`: every guest's memory is in the dump. */
  guests: boolean
  evidence: Evidence[]
}

/** Xen's own share of a `-X` dump (frame table, M2P, heap): about 1% of machine RAM; an estimate. */
export const XEN_SHARE = 0.01

/**
 * How large the dump can get. A capture kernel on Xen sees the whole machine, so without `-X` the dump
 * is as large as all machine RAM (xl info total_memory), guests included; `-X` leaves dom0's memory and
 * Xen's own; natively it is the kernel's RAM (MemTotal). `-d` filtering never lowers the worst case (a
 * host can use every page), and it cannot drop guest pages on Xen (dom0's page tables do not describe
 * them; only their zero pages go).
 */
export function dumpSize(facts: Facts, collector: Collector): Fact<DumpSize> {
  if (collector.kind === 'other') return unknown(`the collector ${collector.program} is neither makedumpfile nor a plain copy: its output size cannot be estimated`)
  const machine = facts.machineRamBytes
  if (!machine.known) return unknown(`the machine's RAM is unknown: ${machine.reason}`, machine.evidence)
  const makedumpfile = collector.kind === 'makedumpfile'
  const filtered = makedumpfile && maxDumpLevel(collector) > 0
  const compressed = makedumpfile && collector.compression !== 'none'
  if (facts.xenPvDom0 && makedumpfile && collector.xenFilter) {
    const dom0 = facts.kernelMemoryBytes
    if (!dom0.known) return unknown(`-X keeps dom0's memory, which is unknown: ${dom0.reason}`, [...machine.evidence, ...dom0.evidence])
    const xen = machine.value * XEN_SHARE
    const worst = Math.min(machine.value, dom0.value + xen)
    return known(
      {worstBytes: worst, basis: `dom0's ${size(dom0.value)} plus about ${size(xen)} for Xen itself (-X drops the guests' pages of the machine's ${size(machine.value)})`, filtered, compressed, guests: false, evidence: [...machine.evidence, ...dom0.evidence]},
      [...machine.evidence, ...dom0.evidence],
    )
  }
  const basis = facts.xenPvDom0
    ? `all of the machine's ${size(machine.value)} (xl info total_memory), every guest's memory included`
    : `all of the kernel's ${size(machine.value)} of RAM (MemTotal)`
  return known({worstBytes: machine.value, basis, filtered, compressed, guests: facts.xenPvDom0, evidence: machine.evidence}, machine.evidence)
}

/** `makedumpfile -F -c -d 31` (kdump-tools default: MAKEDUMP_ARGS is not set). */
export function describeCollector(c: EffectiveCollector, family: DumpPlan['family']): string {
  const where =
    c.origin === 'configured'
      ? ''
      : family === 'debian'
        ? ' (kdump-tools default: MAKEDUMP_ARGS is not set)'
        : family === 'rhel'
          ? ' (kdump.conf default: core_collector is not set)'
          : family === 'suse'
            ? ' (SUSE default: KDUMP_DUMPLEVEL/KDUMP_DUMPFORMAT not set)'
            : ' (default)'
  return `\`${c.text}\`${where}${c.note ? `, ${c.note}` : ''}`
}
