/**
 * Is a capture kernel loaded right now? Each witness is trusted only where it can see the truth:
 * - `kexec -S` asks Xen itself, but only Xen >= 4.9 answers; older Xen says "not loaded" whatever
 *   the truth, and kexec-tools < 2.0.15 do not know -S (and then exit 1, like "loaded").
 * - /sys/kernel/kexec_crash_loaded is the kernel's own view: right natively and on a xenolinux dom0
 *   that loads through its kernel (kexec-tools < 2.0.5); always 0 on a pvops dom0.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {installedPackages, parseDpkgQuery, parseRpmQuery, type PackageRecord} from '../parsers/packages.js'
import {parseDpkgStatus} from '../parsers/dpkg-status.js'
import {interpretKexecStatus, parseKexecVersion, type KexecStatusReading} from '../parsers/kexec.js'
import {parseSysfsFlag} from '../parsers/kexec-sysfs.js'
import {kexecAtLeast} from '../parsers/versions.js'
import {xenAtLeast, type XenVersion} from '../parsers/xen-version.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence, probeEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'
import type {HostRole} from './host.js'
import type {DistroReport} from './distro-report.js'

export interface KexecTools {
  installed: boolean
  /** Upstream version as printed or packaged (`2.0.25`, `1.102pre`, `20070330`). */
  version?: string
  /** Why the version of the kexec that runs is unknown, when it is. */
  versionUnknown?: string
}

export function packageRecords(snapshot: Snapshot, name: string): Fact<PackageRecord[]> {
  for (const [probeName, parse] of [
    ['rpm-q', parseRpmQuery],
    ['dpkg-query', parseDpkgQuery],
  ] as const) {
    const probe = snapshot.ranProbe(probeName)
    if (!probe) continue
    const parsed = parse(probe.out, probe.err)
    if (!parsed.ok) continue
    const records = parsed.value.packages.filter((p) => p.name === name || p.name.startsWith(`${name}:`))
    if (records.length === 0) continue
    const first = records[0]!
    return known(installedPackages({...parsed.value, packages: records}, first.name), [
      probeEvidence(probe, first.line, first.stream === 'stderr' ? 'err' : 'out'),
    ])
  }
  const status = snapshot.file('/var/lib/dpkg/status')
  if (status) {
    const parsed = parseDpkgStatus(status.text)
    if (parsed.ok) {
      const records = parsed.value.packages.filter((p) => p.name === name)
      const evidence = records[0] ? fileEvidence(status, records[0].line) : {...fileEvidence(status), text: `no ${name} stanza`}
      return known(records.filter((r) => r.installed), [evidence])
    }
  }
  return unknown(`no package query (rpm -q, dpkg-query) or package database mentions ${name}`)
}

export function kexecTools(snapshot: Snapshot): Fact<KexecTools> {
  const probe = snapshot.probe('kexec-version')
  if (probe && probe.exit.kind === 'exited') {
    for (const stream of ['out', 'err'] as const) {
      const text = stream === 'out' ? probe.out : probe.err
      const version = parseKexecVersion(text)
      const lineNo = text.split('\n').findIndex((l) => /kexec-tools/.test(l)) + 1
      if (version.ok) return known({installed: true, version: version.value.text}, [probeEvidence(probe, lineNo || 1, stream)])
    }
  }
  const packaged = packageRecords(snapshot, 'kexec-tools')
  const lost = snapshot.probeState('kexec-version')
  if (packaged.known && packaged.value.length > 0) {
    // The binary on PATH is what the service runs, and it may not be the package's (an old build in /usr/local):
    // when asking it failed, the package's version is no stand-in for it.
    if (lost.state === 'timed-out' || lost.state === 'not-run') {
      return known({installed: true, versionUnknown: `\`kexec --version\` ${lost.state === 'timed-out' ? 'timed out' : 'was not run'}, and the packaged ${packaged.value[0]!.version} may not be the kexec on PATH`}, packaged.evidence)
    }
    return known({installed: true, version: packaged.value[0]!.version}, packaged.evidence)
  }
  if (probe && probe.exit.kind === 'missing') {
    return known({installed: false}, [probeEvidence(probe), ...(packaged.known ? packaged.evidence : [])])
  }
  if (packaged.known) return known({installed: false}, packaged.evidence)
  return unknown('neither `kexec --version` nor a package query was collected')
}


export interface KexecStatusFact {
  reading: KexecStatusReading
  evidence: Evidence[]
}

/** `kexec -S`, read by the total parser (which never mistakes an old kexec's usage error for "loaded"). */
export function kexecStatus(snapshot: Snapshot, xen: XenVersion | undefined): KexecStatusFact | undefined {
  const probe = snapshot.probe('kexec-status')
  if (!probe) return undefined
  const result = interpretKexecStatus(probe, xen ? {xen} : {})
  const reading = result.ok ? result.value : {status: 'unknown' as const, reason: result.problems.map((p) => p.message).join('; ')}
  const errLine = probe.err.trim() ? 1 : undefined
  return {reading, evidence: [probeEvidence(probe), ...(errLine ? [probeEvidence(probe, errLine, 'err')] : [])]}
}

/**
 * What the distribution's status commands say about the kernel's "crash image loaded" flag: kdumpctl status ("Kdump is
 * operational") and kdump-config status ("ready to kdump") read /sys/kernel/kexec_crash_loaded and nothing else, so
 * where that file is honest their verdict is its witness. Statuses that only report a service's state are not.
 */
function kernelLoadedCheck(distro: DistroReport): {loaded: boolean; by: string; evidence: Evidence[]} | undefined {
  const spoken = distro.statuses.filter((s) => s.reading?.basis === 'loaded-check' && s.reading.verdict !== 'unknown' && !s.reading.unsupported)
  const verdicts = new Set(spoken.map((s) => s.reading!.verdict))
  // Two tools that disagree were read at different moments: neither decides.
  if (spoken.length === 0 || verdicts.size > 1) return undefined
  const first = spoken[0]!
  const said = first.reading!.decidedBy ? `"${first.reading!.decidedBy.text}"` : first.reading!.verdict
  return {loaded: first.reading!.verdict === 'operational', by: `${first.command}: ${said}, read from /sys/kernel/kexec_crash_loaded`, evidence: first.evidence}
}

export interface CaptureLoad {
  loaded: boolean
  /** Which witness decided, in words, for the report. */
  by: string
}

export function captureLoaded(
  snapshot: Snapshot,
  role: Fact<HostRole>,
  xenVersion: Fact<XenVersion>,
  tools: Fact<KexecTools>,
  distro: DistroReport,
  /** No Xen witness is present in the evidence, and none was lost. */
  noXenWitness: boolean,
): Fact<CaptureLoad> {
  const kernelView = kernelLoadedCheck(distro)
  if (!role.known) {
    // The kernel's own "crash image loaded" flag can only mislead on a Xen dom0 (where it describes dom0's kernel, not
    // Xen); with no Xen witness present or lost, a flag that says loaded is believed.
    const sysfsOne = (() => {
      const f = snapshot.file('/sys/kernel/kexec_crash_loaded')
      const v = f ? parseSysfsFlag(f.text) : undefined
      return f && v?.ok && v.value ? fileEvidence(f, 1) : undefined
    })()
    if (!noXenWitness) return unknown(`the host role is unknown (${role.reason})`)
    if (sysfsOne) return known({loaded: true, by: '/sys/kernel/kexec_crash_loaded, with no Xen witness in the evidence'}, [sysfsOne])
    if (kernelView?.loaded) return known({loaded: true, by: `${kernelView.by}, with no Xen witness in the evidence`}, kernelView.evidence)
    return unknown(`the host role is unknown (${role.reason})`)
  }
  const status = kexecStatus(snapshot, xenVersion.known ? xenVersion.value : undefined)
  const sysfs = snapshot.file('/sys/kernel/kexec_crash_loaded')
  const flag = sysfs ? parseSysfsFlag(sysfs.text) : undefined
  /** The file's 0 or 1; undefined when absent or not a flag. */
  const sysfsLoaded = flag?.ok ? flag.value : undefined
  const sysfsValue = sysfs?.text.trim()
  const r = role.value
  const onXenPv = r.kind === 'xen-dom0' && r.mode === 'PV'

  const answer = status?.reading.status
  if (answer === 'loaded') return known({loaded: true, by: 'kexec -S (asks the hypervisor on Xen)'}, status!.evidence)

  if (!onXenPv) {
    if (sysfs && sysfsLoaded !== undefined) {
      return known({loaded: sysfsLoaded, by: '/sys/kernel/kexec_crash_loaded'}, [fileEvidence(sysfs, 1)])
    }
    if (answer === 'not-loaded') return known({loaded: false, by: 'kexec -S'}, status!.evidence)
    // kdumpctl status and kdump-config status decide from that very flag: natively they are its witnesses.
    if (kernelView) return known({loaded: kernelView.loaded, by: kernelView.by}, kernelView.evidence)
    return unknown('neither /sys/kernel/kexec_crash_loaded, kexec -S nor a distribution status (kdumpctl, kdump-config) was collected', status?.evidence ?? [])
  }

  const xenAnswers = xenVersion.known && xenAtLeast(xenVersion.value, 4, 9)
  if (answer === 'not-loaded' && xenAnswers) {
    return known({loaded: false, by: `kexec -S on Xen ${xenVersion.known ? xenVersion.value.text : ''}`.trim()}, [
      ...status!.evidence,
      ...xenVersion.evidence,
    ])
  }
  // A xenolinux dom0 whose kexec-tools still load through the kernel (< 2.0.5) keeps an honest sysfs.
  const loadsThroughKernel = r.kernel === 'xenolinux' && tools.known && kexecAtLeast(tools.value.version, '2.0.5') === false
  if (loadsThroughKernel && sysfs && sysfsLoaded !== undefined) {
    return known({loaded: sysfsLoaded, by: `/sys/kernel/kexec_crash_loaded (xenolinux dom0, kexec-tools ${tools.known ? tools.value.version : ''})`}, [
      fileEvidence(sysfs, 1),
      ...tools.evidence,
    ])
  }
  const reasons: string[] = []
  if (answer === 'not-loaded') reasons.push(`kexec -S says "not loaded", but the Xen version is unknown and Xen before 4.9 answers "not loaded" whatever the truth`)
  else if (status) reasons.push(status.reading.reason)
  else reasons.push('kexec -S was not collected')
  if (sysfs) reasons.push(`dom0's /sys/kernel/kexec_crash_loaded (${sysfsValue}) does not see what Xen holds`)
  return unknown(reasons.filter(Boolean).join('; '), [...(status?.evidence ?? []), ...(sysfs ? [fileEvidence(sysfs, 1)] : [])])
}
