/**
 * RHEL/Fedora `/etc/kdump.conf`, every era: RHEL 5/6 (read by mkdumprd), RHEL 7/8 (kdumpctl and
 * kexec-tools' dracut module), RHEL 9+ (kdump-utils).
 *
 *   path /var/crash
 *   core_collector makedumpfile -l --message-level 7 -d 31
 *   ext4 UUID=03138356-5e61-4ab3-b58e-27507ac41937   # dump disk
 *   failure_action shell
 *
 * A line is `<directive> <value>`; kdumpctl's sed drops everything from the first `#`, so `#` starts a comment
 * anywhere on a line, and the value is the rest of the line with its inner spacing kept. One dump
 * target is allowed (`raw`, `nfs`, `ssh`, `<fstype> <device>`, or `dracut_args --mount`): kdumpctl
 * refuses a second, and the capture script would use the last. Without a target the dump goes to
 * `path` on the root filesystem. Every value is also checked the way kdumpctl checks it; what
 * kdumpctl (RHEL 7+) refuses, or what only RHEL 5/6 understood, becomes a problem or a deprecation.
 */
import {parseCoreCollector} from './makedumpfile-args.js'
import {deviceSpec, type DeviceSpec} from './mounts.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface KdumpDirective {
  name: string
  /** The value with the comment removed and outer spaces trimmed; '' when none. */
  value: string
  line: number
  /** Text after `#` on a directive line. */
  comment?: string
  known: boolean
  /** Why this directive belongs to another era, when it does. */
  deprecated?: string
}

export type TargetKind = 'raw' | 'fs' | 'nfs' | 'ssh' | 'virtiofs'

export interface KdumpTarget {
  kind: TargetKind
  /** The directive that set it: `raw`, `ext4`, `nfs`, `nfs4`, `net`, `ssh`, `virtiofs`, `dracut_args`. */
  directive: string
  /** The value as written (`user@host`, `host:/export`, `UUID=...`). */
  spec: string
  line: number
  /** fs: the filesystem type; nfs: `nfs` or `nfs4`. */
  fstype?: string
  /** raw and fs targets. */
  device?: DeviceSpec
  /** nfs targets. */
  server?: string
  exportPath?: string
  /** ssh targets (`user` is absent when the spec has no `@`, which is a problem). */
  user?: string
  host?: string
  /** Mount point given by `dracut_args --mount`. */
  mountpoint?: string
}

/** A summary value and where it came from; no line means the built-in default. */
export interface Setting<T> {
  value: T
  line?: number
}

export const FAILURE_ACTIONS = ['reboot', 'halt', 'poweroff', 'shell', 'dump_to_rootfs', 'mount_root_run_init'] as const
export const FINAL_ACTIONS = ['reboot', 'halt', 'poweroff'] as const

export const KDUMP_CONF_DEFAULTS = {
  path: '/var/crash',
  /** kdump-utils and RHEL 9 kexec-tools; RHEL 7/8 used `--message-level 1`. */
  coreCollector: 'makedumpfile -l --message-level 7 -d 31',
  /** raw and ssh targets need a flattened stream: the capture script adds `-F`. */
  coreCollectorFlat: 'makedumpfile -F -l --message-level 7 -d 31',
  /** RHEL 7+; RHEL 5 and early RHEL 6 mounted the root filesystem and ran init when no `default` was set. */
  failureAction: 'reboot',
  finalAction: 'reboot',
  sshKey: '/root/.ssh/kdump_id_rsa',
} as const

export interface KdumpConfSummary {
  /** The target the capture script would use (the last one written); none means `path` on the root filesystem. */
  target?: KdumpTarget
  targets: KdumpTarget[]
  path: Setting<string>
  /** The collector command as configured, or the default for this target. */
  coreCollector: Setting<string>
  /** `failure_action`, or its old name `default`. */
  failureAction: Setting<string>
  finalAction: Setting<string>
  sshKey: Setting<string>
  kdumpPre?: Setting<string>
  kdumpPost?: Setting<string>
  extraModules: string[]
  extraBins: string[]
  dracutArgs?: Setting<string>
}

export interface KdumpConf {
  directives: KdumpDirective[]
  summary: KdumpConfSummary
}

const FS_TARGETS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'minix'])
const REFUSED_SINCE_RHEL7 = 'RHEL 5/6 only: kdumpctl on RHEL 7 and later refuses to start ("Deprecated kdump config option")'
const DEPRECATED: Record<string, string> = {
  net: `${REFUSED_SINCE_RHEL7}; use nfs or ssh`,
  nfs4: 'RHEL 6 only: kdumpctl on RHEL 7 and later rejects it ("Invalid kdump config option"); use nfs',
  default: 'the old name of failure_action: kdumpctl still accepts it, with a warning',
  options: REFUSED_SINCE_RHEL7,
  link_delay: REFUSED_SINCE_RHEL7,
  disk_timeout: REFUSED_SINCE_RHEL7,
  debug_mem_level: REFUSED_SINCE_RHEL7,
  blacklist: REFUSED_SINCE_RHEL7,
  override_resettable: 'RHEL 7 only: later kdumpctl rejects it ("Invalid kdump config option")',
}
const OPTIONS = new Set([
  'path', 'core_collector', 'failure_action', 'default', 'final_action', 'kdump_pre', 'kdump_post', 'extra_bins', 'extra_modules',
  'dracut_args', 'force_rebuild', 'force_no_rebuild', 'sshkey', 'blacklist', 'options', 'link_delay', 'disk_timeout',
  'debug_mem_level', 'fence_kdump_args', 'fence_kdump_nodes', 'auto_reset_crashkernel', 'override_resettable',
])
/** Directives meant to repeat (module options and blacklists); any other repeat is refused by kdumpctl. */
const REPEATABLE = new Set(['options', 'blacklist'])

export function parseKdumpConf(text: string): Parsed<KdumpConf> {
  return total('kdump.conf', () => {
    const problems: ParseProblem[] = []
    const directives = splitLines(text).flatMap((raw, i) => directive(raw, i + 1))
    const targets: KdumpTarget[] = []
    const seen = new Map<string, KdumpDirective>()
    for (const d of directives) {
      const isTarget = isTargetDirective(d.name)
      if (!d.known) problems.push({line: d.line, message: `unknown directive '${d.name}' (kdumpctl: Invalid kdump config option ${d.name})`})
      if (d.value === '' && d.known) problems.push({line: d.line, message: `'${d.name}' has no value (kdumpctl: Invalid kdump config value for option '${d.name}')`})
      if (!d.known) continue
      if (!isTarget && !REPEATABLE.has(d.name)) {
        const earlier = seen.get(d.name)
        if (earlier) problems.push({line: d.line, message: `'${d.name}' repeats line ${earlier.line}: the last one counts, but kdumpctl (RHEL 8+) refuses a duplicate`})
        seen.set(d.name, d)
      }
      if (d.value === '') continue
      const t = target(d, problems)
      if (t) targets.push(t)
      checkValue(d, problems)
    }
    if (targets.length > 1) {
      const [first, ...rest] = targets
      for (const t of rest) problems.push({line: t.line, message: `more than one dump target: '${t.directive}' here and '${first!.directive}' on line ${first!.line} (kdumpctl: More than one dump targets specified)`})
    }
    const both = ['failure_action', 'default'].map((n) => directives.find((d) => d.name === n))
    if (both[0] && both[1]) problems.push({line: Math.max(both[0].line, both[1].line), message: "'failure_action' and 'default' are both set; kdumpctl refuses both together"})
    if (last(directives, 'force_rebuild')?.value === '1' && last(directives, 'force_no_rebuild')?.value === '1') {
      problems.push({line: last(directives, 'force_no_rebuild')!.line, message: 'force_rebuild and force_no_rebuild are both 1; kdumpctl refuses that'})
    }
    return parsed({directives, summary: summarize(directives, targets)}, problems)
  })
}

function directive(raw: string, line: number): KdumpDirective[] {
  const hash = raw.indexOf('#')
  const body = (hash < 0 ? raw : raw.slice(0, hash)).trim()
  if (body === '') return []
  const m = /^(\S+)\s*(.*)$/s.exec(body)!
  const name = m[1]!
  const d: KdumpDirective = {name, value: m[2]!.trim(), line, known: OPTIONS.has(name) || isTargetDirective(name)}
  if (hash >= 0) d.comment = raw.slice(hash + 1).trim()
  const why = DEPRECATED[name]
  if (why) d.deprecated = why
  return [d]
}

function isTargetDirective(name: string): boolean {
  return name === 'raw' || name === 'nfs' || name === 'nfs4' || name === 'net' || name === 'ssh' || name === 'virtiofs' || FS_TARGETS.has(name)
}

function target(d: KdumpDirective, problems: ParseProblem[]): KdumpTarget | undefined {
  const base = {directive: d.name, spec: d.value, line: d.line}
  if (d.name === 'raw') return {kind: 'raw', ...base, device: deviceSpec(d.value)}
  if (FS_TARGETS.has(d.name)) return {kind: 'fs', ...base, fstype: d.name, device: deviceSpec(d.value)}
  if (d.name === 'virtiofs') return {kind: 'virtiofs', ...base}
  if (d.name === 'nfs' || d.name === 'nfs4') return nfs(d, base, d.name, problems)
  if (d.name === 'ssh') return ssh(d, base, problems)
  if (d.name === 'net') {
    // RHEL 5/6: `net host:/export` is NFS, `net user@host` is scp.
    if (d.value.includes('@') && !/:\//.test(d.value)) return ssh(d, base, problems)
    if (/:\//.test(d.value)) return nfs(d, base, 'nfs', problems)
    problems.push({line: d.line, message: `net target is neither host:/export nor user@host: ${d.value}`})
    return {kind: 'nfs', ...base}
  }
  if (d.name === 'dracut_args' && /(^|\s)--mount(\s|=|$)/.test(d.value)) return dracutMount(d, base, problems)
  return undefined
}

function nfs(d: KdumpDirective, base: Pick<KdumpTarget, 'directive' | 'spec' | 'line'>, fstype: string, problems: ParseProblem[]): KdumpTarget {
  // `host:/export`, `[2001:db8::1]:/export`, `2001:db8::1:/export`: the export starts at the first `:/`.
  const at = d.value.indexOf(':/')
  if (at <= 0) {
    problems.push({line: d.line, message: `nfs target is not host:/export: ${d.value}`})
    return {kind: 'nfs', ...base, fstype}
  }
  return {kind: 'nfs', ...base, fstype, server: d.value.slice(0, at).replace(/^\[(.*)\]$/, '$1'), exportPath: d.value.slice(at + 1)}
}

function ssh(d: KdumpDirective, base: Pick<KdumpTarget, 'directive' | 'spec' | 'line'>, problems: ParseProblem[]): KdumpTarget {
  const m = /^([^@\s]+)@(\S+)$/.exec(d.value)
  if (!m) {
    problems.push({line: d.line, message: `ssh target is not user@host: ${d.value} (kdumpctl then skips the ssh checks and the capture kernel cannot log in)`})
    return {kind: 'ssh', ...base, host: d.value}
  }
  return {kind: 'ssh', ...base, user: m[1]!, host: m[2]!.replace(/^\[(.*)\]$/, '$1')}
}

/** `dracut_args --mount "<device> <mountpoint> <fstype> [<options>]"`, which RHEL 7+ accepts as the target. */
function dracutMount(d: KdumpDirective, base: Pick<KdumpTarget, 'directive' | 'spec' | 'line'>, problems: ParseProblem[]): KdumpTarget {
  if ((d.value.match(/--mount/g) ?? []).length > 1) problems.push({line: d.line, message: 'more than one --mount in dracut_args (kdumpctl: Multiple mount targets specified in one "dracut_args")'})
  const m = /--mount(?:=|\s+)(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(d.value)
  const [device = '', mountpoint, fstype] = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim().split(/\s+/)
  if (!device || !mountpoint || !fstype) problems.push({line: d.line, message: `dracut_args --mount needs "<device> <mountpoint> <fstype>": ${d.value}`})
  const t: KdumpTarget = {kind: fstype === 'nfs' || fstype === 'nfs4' ? 'nfs' : 'fs', ...base, spec: device, device: deviceSpec(device)}
  if (mountpoint) t.mountpoint = mountpoint
  if (fstype) t.fstype = fstype
  return t
}

function checkValue(d: KdumpDirective, problems: ParseProblem[]): void {
  const oneOf = (allowed: readonly string[], what = d.name): void => {
    if (!allowed.includes(d.value)) problems.push({line: d.line, message: `${what} '${d.value}' is not one of ${allowed.join('|')}`})
  }
  switch (d.name) {
    case 'failure_action':
    case 'default':
      oneOf(FAILURE_ACTIONS)
      if (d.value === 'mount_root_run_init') d.deprecated = 'mount_root_run_init is RHEL 6 only: kdumpctl on RHEL 7 and later rejects it'
      break
    case 'final_action':
      oneOf(FINAL_ACTIONS)
      break
    case 'force_rebuild':
    case 'force_no_rebuild':
    case 'override_resettable':
      oneOf(['0', '1'])
      break
    case 'auto_reset_crashkernel':
      oneOf(['yes', 'no'])
      break
    case 'link_delay':
    case 'disk_timeout':
    case 'debug_mem_level':
      if (!/^\d+$/.test(d.value)) problems.push({line: d.line, message: `${d.name} is not a number: ${d.value}`})
      break
    case 'core_collector':
      for (const p of parseCoreCollector(d.value).problems) problems.push({line: d.line, message: `core_collector: ${p.message}`})
      break
  }
}

function last(directives: KdumpDirective[], name: string): KdumpDirective | undefined {
  for (let i = directives.length - 1; i >= 0; i--) if (directives[i]!.name === name && directives[i]!.value !== '') return directives[i]
  return undefined
}

function setting(d: KdumpDirective | undefined, fallback: string): Setting<string> {
  return d ? {value: d.value, line: d.line} : {value: fallback}
}

function summarize(directives: KdumpDirective[], targets: KdumpTarget[]): KdumpConfSummary {
  const target = targets[targets.length - 1]
  const flat = target?.kind === 'raw' || target?.kind === 'ssh'
  const failure = [last(directives, 'failure_action'), last(directives, 'default')].filter((d) => d !== undefined).sort((a, b) => b.line - a.line)[0]
  const list = (name: string): string[] => directives.filter((d) => d.name === name).flatMap((d) => d.value.split(/\s+/).filter((w) => w !== ''))
  const summary: KdumpConfSummary = {
    targets,
    path: setting(last(directives, 'path'), KDUMP_CONF_DEFAULTS.path),
    coreCollector: setting(last(directives, 'core_collector'), flat ? KDUMP_CONF_DEFAULTS.coreCollectorFlat : KDUMP_CONF_DEFAULTS.coreCollector),
    failureAction: setting(failure, KDUMP_CONF_DEFAULTS.failureAction),
    finalAction: setting(last(directives, 'final_action'), KDUMP_CONF_DEFAULTS.finalAction),
    sshKey: setting(last(directives, 'sshkey'), KDUMP_CONF_DEFAULTS.sshKey),
    extraModules: list('extra_modules'),
    extraBins: list('extra_bins'),
  }
  if (target) summary.target = target
  const pre = last(directives, 'kdump_pre')
  const post = last(directives, 'kdump_post')
  const dracut = last(directives, 'dracut_args')
  if (pre) summary.kdumpPre = setting(pre, '')
  if (post) summary.kdumpPost = setting(post, '')
  if (dracut) summary.dracutArgs = setting(dracut, '')
  return summary
}

/** The last non-empty directive of this name (the one that counts). */
export function kdumpDirective(conf: KdumpConf, name: string): KdumpDirective | undefined {
  return last(conf.directives, name)
}
