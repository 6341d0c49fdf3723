/**
 * The capture kernel and initrd the kdump service will load, and whether they exist in the boot
 * listings (`ls -ln /boot /var/lib/kdump`), following symlinks inside those listings.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {parseLsBoot, type LsEntry, type LsListing} from '../parsers/ls-boot.js'
import {normalizePath} from '../parsers/mounts.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {probeEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'
import type {KdumpService} from './kdump-service.js'

export interface BootListing {
  listing: LsListing
  evidence: Evidence
  /** The entry a path names, after following symlinks within the listing (null when listed as missing or absent). */
  lookup(path: string): {entry: LsEntry; evidence: Evidence} | null
  /** The listing covers the directory holding `path`, so its absence means something. */
  covers(path: string): boolean
}

export function bootListing(snapshot: Snapshot): Fact<BootListing> {
  const probe = snapshot.probe('ls-boot')
  if (!probe || probe.exit.kind === 'missing' || probe.exit.kind === 'timeout') return unknown('`ls -ln /boot /var/lib/kdump` was not collected')
  const result = parseLsBoot(probe.out, probe.err, {referenceTime: snapshot.meta.collected_at})
  if (!result.ok) return unknown(`the /boot listing could not be read: ${result.problems.map((p) => p.message).join('; ')}`)
  const listing = result.value
  const find = (path: string): LsEntry | undefined => {
    const slash = path.lastIndexOf('/')
    const dir = path.slice(0, slash) || '/'
    const name = path.slice(slash + 1)
    return listing.entries.find((e) => (e.dir ?? '').replace(/\/+$/, '') === dir && e.name === name)
  }
  const lookup = (path: string): {entry: LsEntry; evidence: Evidence} | null => {
    let current = path
    for (let hops = 0; hops < 8; hops++) {
      const entry = find(current)
      if (!entry) return null
      if (entry.type !== 'symlink' || !entry.linkTarget) return {entry, evidence: probeEvidence(probe, entry.line)}
      const target = entry.linkTarget
      current = target.startsWith('/') ? target : `${current.slice(0, current.lastIndexOf('/'))}/${target}`
      current = normalizePath(current)
    }
    return null
  }
  const covers = (path: string): boolean => {
    const dir = path.slice(0, path.lastIndexOf('/')) || '/'
    return listing.dirs.some((d) => d.path.replace(/\/+$/, '') === dir)
  }
  return known({listing, evidence: probeEvidence(probe), lookup, covers}, [probeEvidence(probe)])
}

export interface CaptureImages {
  /** The capture kernel's release, when the service names it by release. */
  release?: string
  kernelPath: string
  initrdPath: string
  /** Why these paths: which setting or default chose them. */
  basis: string
  evidence: Evidence[]
  /** The service rebuilds a missing initrd when it starts (kdumpctl, kdump-config). */
  rebuiltOnStart: boolean
}

export function captureImages(service: Fact<KdumpService>, release: Fact<string>): Fact<CaptureImages> {
  if (!service.known) return unknown(service.reason)
  const s = service.value
  if (s.family === 'debian') {
    const kernel = s.config.kernel?.value || '/var/lib/kdump/vmlinuz'
    const initrd = s.config.initrd?.value || '/var/lib/kdump/initrd.img'
    const evidence = [...s.evidence]
    return known({kernelPath: kernel, initrdPath: initrd, basis: s.config.kernel ? 'KDUMP_KERNEL' : "kdump-tools' default (a link to the running kernel)", evidence, rebuiltOnStart: true}, evidence)
  }
  if (s.family === 'rhel') {
    const configured = s.config?.kernelVer?.value
    const version = configured || (release.known ? release.value : undefined)
    if (!version) return unknown(`KDUMP_KERNELVER is unset and the running release is unknown: ${release.known ? '' : release.reason}`)
    const template = s.config?.rhelKernelPathTemplate ?? '/boot/vmlinuz-<release>'
    const kernelPath = template.replace('<release>', version)
    // RHEL 5/6 name the kdump initrd initrd-<ver>kdump.img; RHEL 7+ (dracut) initramfs-<ver>kdump.img.
    const old = /\.el[56]/.test(version) || /^2\.6\./.test(version)
    const initrdPath = `/boot/${old ? 'initrd' : 'initramfs'}-${version}kdump.img`
    const evidence = [...s.evidence, ...(configured ? [] : release.evidence)]
    return known({release: version, kernelPath, initrdPath, basis: configured ? 'KDUMP_KERNELVER' : 'the running kernel (KDUMP_KERNELVER unset)', evidence, rebuiltOnStart: true}, evidence)
  }
  return unknown(`${s.family === 'suse' ? "SUSE's kdump" : "XenServer's kdump"} chooses its capture kernel itself`)
}
