/**
 * Kernel tunables as they are (live host: /proc/sys wins) or as they will be after boot (an image:
 * the sysctl files in systemd-sysctl's order).
 */
import {parseSysctlInt} from '../parsers/sysctl-int.js'
import {mergeSysctl, parseSysctlConf, SYSCTL_CONF, SYSCTL_DIRS, sysctlPath} from '../parsers/sysctl-files.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence, missingFile} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export function liveSysctl(snapshot: Snapshot, name: string): Fact<string> {
  const path = sysctlPath(name)
  const file = snapshot.file(path)
  if (!file) {
    const state = snapshot.fileState(path)
    return unknown(state.state === 'unreadable' ? `${path} could not be read (${state.reason})` : `${path} was not collected`, [missingFile(snapshot, path)])
  }
  return known(file.text.trim(), [fileEvidence(file, 1)])
}

/**
 * A sysctl file or directory the source could not read (`/etc/sysctl.d: could not be read: Permission
 * denied`, a glob cut short): what it holds may set any tunable, and override any file that was read.
 */
function hiddenSysctl(snapshot: Snapshot): string | undefined {
  const inDirs = (p: string): boolean => SYSCTL_DIRS.some((d) => p === d || p.startsWith(`${d}/`))
  for (const line of snapshot.evidenceStates.lines) {
    if (line.kind === 'file' && line.effect === 'unreadable' && (line.path === SYSCTL_CONF || inDirs(line.path))) return line.raw
    if (line.kind === 'glob' && inDirs(line.pattern)) return line.raw
  }
  return undefined
}

/** The value the sysctl files set at boot, or unknown when none sets it (the kernel default then applies). */
export function configuredSysctl(snapshot: Snapshot, name: string): Fact<string> {
  // Unreadable evidence never passes: a lower-priority file must not win over one that could not be read.
  const hidden = hiddenSysctl(snapshot)
  if (hidden) return unknown(`not every sysctl file could be read (${hidden}), and one of them may set ${name}`)
  const dirs = SYSCTL_DIRS.map((d) => new RegExp(`^${d.replaceAll('/', '\\/').replaceAll('.', '\\.')}\\/[^/]+\\.conf$`))
  const files = snapshot.filePaths.filter((p) => p === SYSCTL_CONF || dirs.some((d) => d.test(p))).map((p) => snapshot.file(p)!)
  const merged = mergeSysctl(files.map((f) => ({path: f.path, text: f.text})))
  const winner = merged.ok ? merged.value.effective[name] : undefined
  if (!winner) return unknown(`no sysctl file sets ${name}`)
  const file = files.find((f) => f.path === winner.path)
  return known(winner.value, file ? [fileEvidence(file, winner.line)] : [])
}

/** Debian's kdump-tools applies /etc/kdump/sysctl.conf when it loads the capture kernel (`kdump-config load`). */
export const KDUMP_TOOLS_SYSCTL = '/etc/kdump/sysctl.conf'

/** The value kdump-tools sets for a tunable when it loads, or unknown when its file does not set it. */
export function kdumpToolsSysctl(snapshot: Snapshot, name: string): Fact<string> {
  const file = snapshot.file(KDUMP_TOOLS_SYSCTL)
  if (!file) return unknown(`${KDUMP_TOOLS_SYSCTL} is not in the snapshot`)
  const parsed = parseSysctlConf(file.text)
  const last = parsed.ok ? parsed.value.assignments.filter((a) => a.name === name).at(-1) : undefined
  if (!last) return unknown(`${KDUMP_TOOLS_SYSCTL} does not set ${name}`, [fileEvidence(file)])
  return known(last.value, [{...fileEvidence(file, last.line), text: `${name} = ${last.value} (applied by kdump-config load)`}])
}

/** What the host runs with: live on a running host, configured in an image. */
export function effectiveSysctl(snapshot: Snapshot, name: string): Fact<string> {
  return snapshot.kind === 'static' ? configuredSysctl(snapshot, name) : liveSysctl(snapshot, name)
}

/** An integer tunable as the kernel reads it (parsers/sysctl-int.ts): `0x0a` is 10, `010` is 8. */
export function sysctlNumber(fact: Fact<string>): Fact<number> {
  if (!fact.known) return fact
  const value = parseSysctlInt(fact.value)
  return value === undefined ? unknown(`not an integer the kernel accepts: ${JSON.stringify(fact.value)}`, fact.evidence) : known(value, fact.evidence)
}
