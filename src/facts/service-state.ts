/**
 * Is the kdump service enabled at boot and running now? On a live host systemd (or SysV's chkconfig
 * and `service kdump status` on RHEL 5/6) says; in an image only the boot links in the listing do.
 * On Xen a running service proves nothing about a loaded capture kernel: it is evidence of intent.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {chkconfigOn, kdumpEnablement, parseChkconfigList, parseLsServices, type ServiceLinks} from '../parsers/chkconfig.js'
import {parseKdumpStatus} from '../parsers/kdump-status.js'
import {parseSystemctlShow, unitState} from '../parsers/systemctl-show.js'
import {parseUnitFile, unitInstall, type UnitInstall} from '../parsers/systemd-unit.js'
import type {ProbeResult, Snapshot, SnapshotFile} from '../snapshot/snapshot.js'
import {SYSTEMD_UNIT_DIRS} from '../snapshot/spec.js'
import {fileEvidence, probeEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'
import type {KdumpFamily} from './kdump-service.js'

export interface ServiceState {
  /** The service the distribution uses: `kdump` or `kdump-tools`. */
  name: string
  enabled: Fact<boolean>
  /** Running now (runtime snapshots only). */
  active: Fact<boolean>
}

export function serviceName(family: KdumpFamily | undefined): string {
  return family === 'debian' ? 'kdump-tools' : 'kdump'
}

export function serviceState(snapshot: Snapshot, family: KdumpFamily | undefined): ServiceState {
  const name = serviceName(family)
  return {name, enabled: enabledAtBoot(snapshot, name), active: snapshot.kind === 'static' ? unknown('an image runs nothing') : runningNow(snapshot, name)}
}

function systemdUnit(snapshot: Snapshot, name: string) {
  const probe = snapshot.ranProbe('systemctl-kdump')
  if (!probe) return undefined
  const units = parseSystemctlShow(probe.out, probe.err, {units: ['kdump.service', 'kdump-tools.service']})
  if (!units.ok) return undefined
  const unit = unitState(units.value, `${name}.service`)
  if (!unit || unit.exists === undefined) return undefined
  return {unit, evidence: probeEvidence(probe, unit.line)}
}

function enabledAtBoot(snapshot: Snapshot, name: string): Fact<boolean> {
  const systemd = systemdUnit(snapshot, name)
  if (systemd?.unit.exists === false) {
    // No unit file: on RHEL 5/6 (no systemd) chkconfig decides below; with systemd it means "not installed".
  } else if (systemd && systemd.unit.enabled !== undefined) {
    return known(systemd.unit.enabled, [{...systemd.evidence, text: `${name}.service UnitFileState=${systemd.unit.unitFileState}`}])
  }
  const chkconfig = snapshot.ranProbe('chkconfig-kdump')
  if (chkconfig) {
    const list = parseChkconfigList(chkconfig.out, chkconfig.err)
    if (list.ok) {
      const on = chkconfigOn(list.value, name, 3)
      const service = list.value.services.find((s) => s.name === name)
      if (on !== undefined && service) return known(on, [probeEvidence(chkconfig, service.line)])
    }
  }
  const links = snapshot.probe('ls-services')
  const unit = snapshot.kind === 'static' ? installOf(snapshot, `${name}.service`) : undefined
  if (links && links.exit.kind !== 'missing' && links.exit.kind !== 'timeout') {
    const parsed = parseLsServices(links.out, links.err)
    if (parsed.ok && unit) return imageEnablement(parsed.value, name, unit, links)
    if (parsed.ok) {
      const enablement = kdumpEnablement(parsed.value, [name])
      const start = enablement.systemd[0] ?? enablement.sysvStart[0]
      if (start) return known(true, [probeEvidence(links, start.line)])
      if (snapshot.kind === 'static' || !systemd) return known(false, [{...probeEvidence(links), text: `no boot link for ${name}`}])
    }
  }
  if (systemd?.unit.exists === false) return known(false, [{...systemd.evidence, text: `${name}.service LoadState=not-found`}])
  return unknown(`whether ${name} starts at boot was not collected (systemctl, chkconfig or the boot links)`)
}

/** Targets every systemd boot reaches: a link in their .wants starts the unit whatever [Install] says. */
const BOOT_TARGETS = new Set(['sysinit.target', 'basic.target', 'multi-user.target', 'graphical.target', 'default.target'])

interface UnitInstallEvidence {
  install: UnitInstall
  evidence: Evidence
}

/** An image's unit file for `unit` (the first in systemd's search path) with its drop-ins applied. */
function installOf(snapshot: Snapshot, unit: string): UnitInstallEvidence | undefined {
  const main = SYSTEMD_UNIT_DIRS.map((dir) => snapshot.file(`${dir}/${unit}`)).find((f) => f !== undefined)
  if (!main) return undefined
  const dropins = new Map<string, SnapshotFile>()
  for (const dir of SYSTEMD_UNIT_DIRS) {
    const prefix = `${dir}/${unit}.d/`
    for (const file of snapshot.filesMatching(new RegExp(`^${escapeRegExp(prefix)}[^/]+\\.conf$`))) {
      // A drop-in name in a directory earlier in the search path masks the same name later.
      const name = file.path.slice(prefix.length)
      if (!dropins.has(name)) dropins.set(name, file)
    }
  }
  const files = [main, ...[...dropins.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, file]) => file)]
  const parsed = files.map((f) => parseUnitFile(f.text)).filter((r) => r.ok).map((r) => r.value)
  const install = unitInstall(parsed)
  const text = install.wantedBy.length + install.requiredBy.length > 0 ? `[Install] ${[...install.wantedBy.map((t) => `WantedBy=${t}`), ...install.requiredBy.map((t) => `RequiredBy=${t}`)].join(' ')}` : 'no [Install] targets'
  return {install, evidence: {...fileEvidence(main), text: `${text}${dropins.size > 0 ? ` (with ${dropins.size} drop-in${dropins.size > 1 ? 's' : ''})` : ''}`}}
}

/**
 * An image whose unit file is known: the links systemctl enable made per [Install] enable it; a link in a
 * target every boot reaches starts it too. A native unit makes systemd ignore the SysV script, so a SysV link
 * alone starts the service only if the image boots SysV init, which the snapshot does not show.
 */
function imageEnablement(links: ServiceLinks, name: string, unit: UnitInstallEvidence, probe: ProbeResult): Fact<boolean> {
  const names = new Set([`${name}.service`, ...unit.install.alias])
  const wants = links.wants.filter((w) => names.has(w.unit))
  const installed = wants.find((w) => w.target !== undefined && unit.install.wantedBy.includes(w.target))
  if (installed) return known(true, [probeEvidence(probe, installed.line), unit.evidence])
  const atBoot = wants.find((w) => w.target !== undefined && BOOT_TARGETS.has(w.target))
  if (atBoot) return known(true, [probeEvidence(probe, atBoot.line), unit.evidence])
  const evidence = [unit.evidence, ...wants.map((w) => probeEvidence(probe, w.line))]
  if (wants.length > 0) {
    const where = wants.map((w) => (w.target ? `${w.target}.wants` : w.dir ?? 'a listing')).join(', ')
    return unknown(`${name}.service is linked only from ${where}, which its [Install] section does not name; whether that is reached at boot cannot be told from the image`, evidence)
  }
  const sysv = kdumpEnablement(links, [name]).sysvStart[0]
  if (sysv) {
    return unknown(`${name} has a SysV start link but no systemd link: systemd ignores the init script of a unit it has, so it starts only if the image boots SysV init, which the snapshot does not show`, [...evidence, probeEvidence(probe, sysv.line)])
  }
  return known(false, [...evidence, {...probeEvidence(probe), text: `no boot link for ${name}`}])
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function runningNow(snapshot: Snapshot, name: string): Fact<boolean> {
  const systemd = systemdUnit(snapshot, name)
  if (systemd && systemd.unit.exists !== false && systemd.unit.active !== undefined) {
    return known(systemd.unit.active, [{...systemd.evidence, text: `${name}.service ActiveState=${systemd.unit.activeState}`}])
  }
  const service = snapshot.ranProbe('service-kdump-status')
  if (service && name === 'kdump') {
    const reading = parseKdumpStatus('service', service.out, service.err, service.exit.kind === 'exited' ? service.exit.code : undefined)
    if (reading.ok && reading.value.verdict !== 'unknown') {
      const line = reading.value.decidedBy
      const evidence = line ? probeEvidence(service, line.line, line.stream === 'stderr' ? 'err' : 'out') : probeEvidence(service)
      return known(reading.value.verdict === 'operational', [evidence])
    }
  }
  if (systemd?.unit.exists === false) return known(false, [{...systemd.evidence, text: `${name}.service LoadState=not-found`}])
  return unknown(`whether ${name} is running was not collected`)
}
