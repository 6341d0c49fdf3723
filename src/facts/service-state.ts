/**
 * Is the kdump service enabled at boot and running now? On a live host systemd (or SysV's chkconfig
 * and `service kdump status` on RHEL 5/6) says; in an image only the boot links in the listing do.
 * On Xen a running service proves nothing about a loaded capture kernel: it is evidence of intent.
 */
import type {Evidence} from '../snapshot/evidence.js'
import {chkconfigOn, kdumpEnablement, parseChkconfigList, parseLsServices, type ServiceLinks} from '../parsers/chkconfig.js'
import {parseKdumpStatus} from '../parsers/kdump-status.js'
import {parseSystemctlShow, unitState} from '../parsers/systemctl-show.js'
import {parsePresets, presetFor, type PresetRule} from '../parsers/systemd-preset.js'
import {parseUnitFile, unitInstall, type UnitInstall} from '../parsers/systemd-unit.js'
import type {ProbeResult, Snapshot, SnapshotFile} from '../snapshot/snapshot.js'
import {SYSTEMD_UNIT_DIRS} from '../snapshot/spec.js'
import {fileEvidence, missingFile, probeEvidence} from './evidence.js'
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
    if (parsed.ok && unit) return imageEnablement(snapshot, parsed.value, name, unit, links)
    if (parsed.ok) {
      const enablement = kdumpEnablement(parsed.value, [name])
      const start = enablement.systemd[0] ?? enablement.sysvStart[0]
      if (start) return known(true, [probeEvidence(links, start.line)])
      if (snapshot.kind === 'static') return imageWithoutLink(snapshot, name, parsed.value, probeEvidence(links))
      if (!systemd) return known(false, [{...probeEvidence(links), text: `no boot link for ${name}`}])
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
function imageEnablement(snapshot: Snapshot, links: ServiceLinks, name: string, unit: UnitInstallEvidence, probe: ProbeResult): Fact<boolean> {
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
  // No link at all: a preset may still enable it at first boot, and an image fragment shows no links either way.
  return imageWithoutLink(snapshot, name, links, probeEvidence(probe), evidence)
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

/**
 * An image with no boot link for the service: a systemd preset may still enable it at first boot, and an image
 * fragment that carries no /etc/systemd/system/*.wants and no rc3.d says nothing either way.
 */
function imageWithoutLink(snapshot: Snapshot, name: string, links: ServiceLinks, listing: Evidence, unitEvidence: Evidence[] = []): Fact<boolean> {
  const noLink: Evidence = {...listing, text: `no boot link for ${name}`}
  const preset = presetDecision(snapshot, `${name}.service`)
  const firstBoot = firstBootToCome(snapshot)
  if (preset.rule && preset.rule.action !== 'ignore') {
    const rule = [preset.evidence!]
    const enable = preset.rule.action === 'enable'
    if (firstBoot.value === true) return known(enable, [...rule, ...firstBoot.evidence])
    if (firstBoot.value === false) {
      // The presets were applied when the image was set up (at install, or its first boot); no link now means disabled since.
      return known(false, [...unitEvidence, noLink, ...rule, ...firstBoot.evidence])
    }
    return unknown(`a preset says "${preset.rule.action} ${preset.rule.pattern}", applied at first boot, and whether this image's first boot is still to come is unknown (${firstBoot.reason})`, [...rule, ...firstBoot.evidence])
  }
  const booted = links.dirs.some((d) => /\.wants\/?$/.test(d) || /\/rc\d\.d\/?$/.test(d))
  if (!booted) {
    return unknown(
      `the image has no /etc/systemd/system/*.wants and no rc3.d, so its boot links are not in it (an image fragment, or /etc not yet populated)${preset.lost.length > 0 ? `; ${preset.lost.join(', ')} could not be read` : ''}${preset.rules > 0 ? `; no preset names ${name}.service` : ''}`,
      [...unitEvidence, noLink],
    )
  }
  if (preset.lost.length > 0) return unknown(`no boot link for ${name}, but ${preset.lost.join(', ')} could not be read (a preset may enable it at first boot)`, [...unitEvidence, noLink])
  return known(false, [...unitEvidence, noLink])
}

/** The preset rule that decides the unit, in its own function (presets only; units' own files are read elsewhere). */
function presetDecision(snapshot: Snapshot, unit: string): {rule?: PresetRule; evidence?: Evidence; rules: number; lost: string[]} {
  const pattern = /^(?:\/etc|\/run|\/usr\/local\/lib|\/usr\/lib|\/lib)\/systemd\/system-preset\/[^/]+\.preset$/
  const files = snapshot.filesMatching(pattern)
  const lost = snapshot.evidenceStates.lines.flatMap((l) =>
    (l.kind === 'file' && l.effect === 'unreadable' && pattern.test(l.path)) ? [l.path] : l.kind === 'glob' && l.pattern.includes('/system-preset/') ? [l.pattern] : [],
  )
  const parsedRules = parsePresets(files.map((f) => ({path: f.path, text: f.text})))
  if (!parsedRules.ok) return {rules: 0, lost}
  const rule = presetFor(parsedRules.value, unit)
  if (!rule) return {rules: parsedRules.value.length, lost}
  const file = snapshot.file(rule.path)!
  return {rule, evidence: fileEvidence(file, rule.line), rules: parsedRules.value.length, lost}
}

/**
 * systemd applies presets to every unit (`preset-all`) on the first boot, which it recognises by an /etc/machine-id
 * that is missing, empty or "uninitialized".
 */
function firstBootToCome(snapshot: Snapshot): {value?: boolean; reason: string; evidence: Evidence[]} {
  const file = snapshot.file('/etc/machine-id')
  if (file) {
    const id = file.text.trim()
    if (id === '' || id === 'uninitialized') return {value: true, reason: '', evidence: [{...fileEvidence(file), text: id === '' ? '(empty: first boot to come)' : 'uninitialized'}]}
    if (/^[0-9a-f]{32}$/.test(id)) return {value: false, reason: '', evidence: [{...fileEvidence(file), text: '(set: the image has been set up)'}]}
    return {reason: `/etc/machine-id holds neither an id nor "uninitialized"`, evidence: [fileEvidence(file, 1)]}
  }
  const state = snapshot.fileState('/etc/machine-id')
  if (state.state === 'unreadable') return {reason: `/etc/machine-id could not be read (${state.reason})`, evidence: [missingFile(snapshot, '/etc/machine-id')]}
  return {value: true, reason: '', evidence: [{source: 'files/etc/machine-id', text: 'absent: systemd treats the next boot as the first'}]}
}
