/**
 * Where a dump lands (the dump-target facts KD400-KD404 judge): which filesystem the capture kernel will
 * write to, as this host names it. Pure functions of the dump plan and the mount tables.
 *
 * Per target kind:
 * - `local` (RHEL without a target line, Debian KDUMP_COREDIR, SUSE file://, XenServer): the path as the
 *   host sees it; the filesystem is the mount holding it (RHEL's kdumpctl and Debian's fstab both mount
 *   that filesystem in the capture environment).
 * - `fs` (kdump.conf `ext4 UUID=...`): kdump.conf's `path` is relative to the root of that device's
 *   filesystem, so a device mounted at /data with `path /var/crash` receives /data/var/crash. The
 *   device is found in /proc/mounts, else in /etc/fstab (kdumpctl mounts an fstab target when needed).
 * - `raw`, `nfs`, `ssh`, `virtiofs`: nothing in a snapshot shows the device or the server.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {deviceSpec, normalizePath, resolveMount, sameDevice, type MountEntry} from '../parsers/mounts.js'
import type {DumpPlan} from './dump-plan.js'
import {mapFact, type Fact} from './fact.js'
import type {Storage} from './storage.js'

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
export function isIndirect(spec: string): boolean {
  const kind = deviceSpec(canonicalDevice(spec)).kind
  return kind === 'uuid' || kind === 'label' || kind === 'partuuid' || kind === 'partlabel'
}

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

/** A dump plan with where it lands on this host. */
export type LandedDumpPlan = DumpPlan & {landing: Landing}

/** The plan, with its landing resolved against the mount tables. */
export function landedDumpPlan(plan: Fact<DumpPlan>, storage: Fact<Storage>): Fact<LandedDumpPlan> {
  return mapFact(plan, (p) => ({...p, landing: resolveLanding(p, storage)}))
}

export function resolveLanding(plan: DumpPlan, storage: Fact<Storage>): Landing {
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
      return deviceLanding(target.target?.spec ?? '', target.path, target.target?.fstype, target.target?.mountpoint, storage, evidence)
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
): Landing {
  const verify = `blkid ${isIndirect(spec) ? `-t ${spec}` : spec}; findmnt --source ${spec}; grep -n '${spec.replace(/'/g, '')}' /etc/fstab`
  if (!storage.known) return {kind: 'unresolved', missing: false, reason: `the mount tables are unknown: ${storage.reason}`, evidence, verify}
  const {mounts, fstab} = storage.value
  const lineOf = (entry: MountEntry, table: 'mounts' | 'fstab'): Evidence => storage.value.entryEvidence(entry, table)
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

/** The df row of exactly this mount point (never a parent's: a filesystem not mounted now has no row). */
export function freeSpace(storage: Storage, mountpoint: string): {availBytes: number; sizeBytes: number | null; evidence: Evidence; filesystem: string} | undefined {
  const hit = storage.spaceFor(mountpoint)
  if (!hit || normalizePath(hit.row.mountpoint) !== normalizePath(mountpoint) || hit.row.availKiB === null) return undefined
  return {availBytes: hit.row.availKiB * 1024, sizeBytes: hit.row.sizeKiB === null ? null : hit.row.sizeKiB * 1024, evidence: hit.evidence, filesystem: hit.row.filesystem}
}
