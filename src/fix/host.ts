/**
 * What `fix` needs to know about the host, read from the same evidence the checks judge: one place
 * that touches the facts layer, so that fixers read a small, stable surface.
 */
import type {Config} from '../config/config.js'
import {DEFAULT_CONFIG} from '../config/config.js'
import {assess} from '../pipeline.js'
import type {Facts} from '../facts/facts.js'
import type {NextBoot} from '../facts/boot.js'
import type {CommandLine} from '../facts/command-lines.js'
import type {Fact} from '../facts/fact.js'
import type {Finding, Report} from '../report/report.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {parseLsBoot} from '../parsers/ls-boot.js'
import type {XenMajorMinor} from '../parsers/xen-version.js'

export type Family = 'debian' | 'rhel' | 'suse' | 'xenserver'

export interface HostView {
  snapshot: Snapshot
  report: Report
  findings: Map<string, Finding>
  kind: 'runtime' | 'static'
  xenDom0: boolean
  /** The Xen that parses crashkernel= at the next boot, and how it was learned. */
  xen?: {version: XenMajorMinor; text: string; from: string}
  /** Machine RAM (all of it on Xen), when known. */
  ramBytes?: number
  family?: Family
  /** RHEL's major release (5, 6, 7...) when the release files say. */
  rhelMajor?: number
  nextBoot: Fact<NextBoot>
  runningXenLine: Fact<CommandLine>
  runningLinuxLine: Fact<CommandLine>
  /** Capture kernel + initrd bytes, when the listing shows them. */
  captureImageBytes?: number
  facts: Facts
}

export function viewHost(snapshot: Snapshot, config: Config = DEFAULT_CONFIG): HostView {
  const {facts, report} = assess(snapshot, config)
  const findings = new Map(report.findings.map((f) => [f.id, f]))
  const service = facts.kdumpService
  const view: HostView = {
    snapshot,
    report,
    findings,
    kind: snapshot.kind,
    xenDom0: facts.xenPvDom0,
    nextBoot: facts.nextBoot,
    runningXenLine: facts.runningXenLine,
    runningLinuxLine: facts.runningLinuxLine,
    facts,
  }
  const xen = facts.xenVersion.known ? {version: facts.xenVersion.value, text: facts.xenVersion.value.text, from: 'the running Xen'} : imageXen(snapshot, facts.nextBoot)
  if (xen) view.xen = xen
  if (facts.machineRamBytes.known) view.ramBytes = facts.machineRamBytes.value
  if (service.known) view.family = service.value.family
  const release = snapshot.file('/etc/redhat-release')?.text ?? ''
  const major = /release (\d+)/.exec(release)?.[1] ?? /^VERSION_ID="?(\d+)/m.exec(snapshot.file('/etc/os-release')?.text ?? '')?.[1]
  if (major && (view.family === 'rhel' || release !== '')) view.rhelMajor = Number(major)
  const images = facts.captureImages
  const listing = facts.bootListing
  if (images.known && listing.known) {
    const kernel = listing.value.lookup(images.value.kernelPath)?.entry.size
    const initrd = listing.value.lookup(images.value.initrdPath)?.entry.size
    if (kernel != null && initrd != null) view.captureImageBytes = kernel + initrd
  }
  return view
}

/** The problem findings (fail, warn; info too when asked for by id). */
export function problem(view: HostView, id: string, includeInfo = false): Finding | undefined {
  const f = view.findings.get(id)
  if (!f) return undefined
  return f.status === 'fail' || f.status === 'warn' || (includeInfo && f.status === 'info') ? f : undefined
}

/**
 * An image runs no Xen: the Xen it will boot is named by the default entry's hypervisor file
 * (`/boot/xen-4.17-amd64.gz`, `xen.gz-2.6.18-406.el5` is RHEL 5's Xen 3.1), else by the only or
 * newest `xen-X.Y` file in /boot (Debian's update-grub makes the newest the default).
 */
function imageXen(snapshot: Snapshot, boot: Fact<NextBoot>): HostView['xen'] {
  const fromName = (name: string): XenMajorMinor | undefined => {
    const m = /(?:^|\/)xen-(\d+)\.(\d+)/.exec(name)
    if (m) return {major: Number(m[1]), minor: Number(m[2])}
    if (/(?:^|\/)xen\.gz-2\.6\.18-\d/.test(name)) return {major: 3, minor: 1}
    return undefined
  }
  const describe = (v: XenMajorMinor, from: string) => ({version: v, text: `${v.major}.${v.minor}`, from})
  const path = boot.known ? boot.value.entry.xen?.path : undefined
  const named = path ? fromName(path) : undefined
  if (named && path) return describe(named, `the boot entry's hypervisor file ${path}`)
  const probe = snapshot.probe('ls-boot')
  if (probe) {
    const listing = parseLsBoot(probe.out)
    const versions = listing.ok
      ? listing.value.entries.filter((e) => e.dir === '/boot' && e.type === 'file').map((e) => fromName(e.name)).filter((v): v is XenMajorMinor => v !== undefined)
      : []
    const newest = versions.sort((a, b) => b.major - a.major || b.minor - a.minor)[0]
    if (newest) return describe(newest, `the newest Xen in /boot (xen-${newest.major}.${newest.minor})`)
  }
  const dpkg = snapshot.file('/var/lib/dpkg/status')?.text ?? ''
  const pkg = /^Package: xen-hypervisor-(\d+)\.(\d+)\S*\n(?:[^\n]+\n)*?Status: install ok installed/m.exec(dpkg)
  if (pkg) return describe({major: Number(pkg[1]), minor: Number(pkg[2])}, `the installed package xen-hypervisor-${pkg[1]}.${pkg[2]}`)
  return undefined
}
