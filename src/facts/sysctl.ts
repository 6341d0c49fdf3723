/**
 * Kernel tunables as they are (live host: /proc/sys wins) or as they will be after boot (an image:
 * the sysctl files in systemd-sysctl's order).
 */
import {lastValue} from '../parsers/cmdline.js'
import {parseSysctlInt} from '../parsers/sysctl-int.js'
import {mergeSysctl, parseSysctlConf, SYSCTL_CONF, SYSCTL_DIRS, sysctlPath} from '../parsers/sysctl-files.js'
import type {Evidence} from '../snapshot/evidence.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import type {CommandLine} from './command-lines.js'
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

/** The kernel an image boots, for its built-in defaults: its release and its command line. */
export interface ImageKernel {
  /** The release of the default entry's kernel (/boot/vmlinuz-<release>), when known. */
  release?: string
  /** The default entry's kernel command line; unknown when the image's boot entry cannot be read. */
  line: Fact<CommandLine | undefined>
}

/**
 * The value a kernel starts with when no sysctl file sets one: a boot option on its command line, else
 * its build config (/boot/config-<release>), else the value compiled into every kernel. Only the
 * tunables the checks read. The lab showed why: an image with no sysctl files was `unknown` on
 * kernel.panic, core_pattern and the hang detectors where the host it booted read these defaults.
 */
const BUILT_IN: Record<string, {boot?: (line: CommandLine) => {value: string; evidence: Evidence} | undefined; config?: string; bool?: boolean; value: string}> = {
  'kernel.panic_on_oops': {boot: (l) => (lastValue(l.parsed, 'oops') === 'panic' ? {value: '1', evidence: l.evidence} : undefined), config: 'CONFIG_PANIC_ON_OOPS_VALUE', value: '0'},
  'kernel.panic': {boot: (l) => bootNumber(l, 'panic'), config: 'CONFIG_PANIC_TIMEOUT', value: '0'},
  'kernel.hung_task_panic': {boot: (l) => bootNumber(l, 'hung_task_panic'), config: 'CONFIG_BOOTPARAM_HUNG_TASK_PANIC', bool: true, value: '0'},
  'kernel.softlockup_panic': {boot: (l) => bootNumber(l, 'softlockup_panic'), config: 'CONFIG_BOOTPARAM_SOFTLOCKUP_PANIC', bool: true, value: '0'},
  'kernel.core_pattern': {value: 'core'},
  'kernel.panic_on_unrecovered_nmi': {value: '0'},
  'kernel.panic_on_io_nmi': {value: '0'},
}

function bootNumber(line: CommandLine, key: string): {value: string; evidence: Evidence} | undefined {
  const v = lastValue(line.parsed, key)
  return v !== undefined && /^-?\d+$/.test(v) ? {value: String(Number(v)), evidence: line.evidence} : undefined
}

function builtInSysctl(snapshot: Snapshot, name: string, kernel: ImageKernel): Fact<string> | undefined {
  const d = BUILT_IN[name]
  if (!d) return undefined
  // A boot option may set it; an unreadable boot entry could hide one, so the default is not claimed.
  if (!kernel.line.known) return unknown(`no sysctl file sets ${name}, and the image's kernel command line, which may, is unknown: ${kernel.line.reason}`, kernel.line.evidence)
  const fromBoot = kernel.line.value && d.boot?.(kernel.line.value)
  if (fromBoot) return known(fromBoot.value, [fromBoot.evidence])
  if (d.config) {
    const config = kernel.release !== undefined ? snapshot.file(`/boot/config-${kernel.release}`) : undefined
    if (!config) return unknown(`no sysctl file sets ${name}, and the build config of the kernel the image boots${kernel.release ? ` (/boot/config-${kernel.release})` : ''} is not in the image`)
    // A build config saved with CRLF endings reads the same (issue 11: formatting never matters).
    const lines = config.text.split('\n').map((l) => l.replace(/\r+$/, ''))
    for (const option of d.bool ? [`${d.config}_VALUE`, d.config] : [d.config]) {
      const at = lines.findIndex((l) => l.startsWith(`${option}=`) || l === `# ${option} is not set`)
      if (at < 0) continue
      const raw = lines[at]!.startsWith('#') ? 'n' : lines[at]!.slice(option.length + 1)
      const value = option === d.config && d.bool ? (raw === 'y' ? '1' : '0') : raw
      // The evidence quotes the line as it is (the rule tester holds every cited line to its text).
      return known(value, [{...fileEvidence(config, at + 1), text: lines[at]!}])
    }
  }
  return known(d.value, [{source: name, text: `the kernel's built-in default ${d.value === '' ? '(empty)' : d.value}: no sysctl file or boot option sets it`}])
}

/** What the host runs with: live on a running host, configured in an image (else the kernel's default). */
export function effectiveSysctl(snapshot: Snapshot, name: string, kernel?: ImageKernel): Fact<string> {
  if (snapshot.kind !== 'static') return liveSysctl(snapshot, name)
  const configured = configuredSysctl(snapshot, name)
  // Only where no file sets it: a file that could not be read may set it, and then nothing is claimed.
  if (configured.known || !kernel || hiddenSysctl(snapshot)) return configured
  return builtInSysctl(snapshot, name, kernel) ?? configured
}

/** An integer tunable as the kernel reads it (parsers/sysctl-int.ts): `0x0a` is 10, `010` is 8. */
export function sysctlNumber(fact: Fact<string>): Fact<number> {
  if (!fact.known) return fact
  const value = parseSysctlInt(fact.value)
  return value === undefined ? unknown(`not an integer the kernel accepts: ${JSON.stringify(fact.value)}`, fact.evidence) : known(value, fact.evidence)
}
