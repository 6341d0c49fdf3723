/**
 * Is the kdump service enabled at boot and running now? On a live host systemd (or SysV's chkconfig
 * and `service kdump status` on RHEL 5/6) says; in an image only the boot links in the listing do.
 * On Xen a running service proves nothing about a loaded capture kernel: it is evidence of intent.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {chkconfigOn, kdumpEnablement, parseChkconfigList, parseLsServices} from '../parsers/chkconfig.js'
import {parseKdumpStatus} from '../parsers/kdump-status.js'
import {parseSystemctlShow, unitState} from '../parsers/systemctl-show.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {probeEvidence} from './evidence.js'
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
  if (links && links.exit.kind !== 'missing' && links.exit.kind !== 'timeout') {
    const parsed = parseLsServices(links.out, links.err)
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
