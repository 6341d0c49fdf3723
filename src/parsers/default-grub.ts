/**
 * `/etc/default/grub` and, on Debian, the `/etc/default/grub.d/*.cfg` snippets grub-mkconfig sources
 * after it (xen-hypervisor-common's `xen.cfg`, kdump-tools' `kdump-tools.cfg`). These decide what
 * the *next* `update-grub` writes on the Xen and dom0 lines, so a fix made only in grub.cfg is
 * lost at the next kernel update, and a fix made only here is not active until then.
 *
 * Files are sourced in the order given, each seeing the variables the earlier ones set, so
 * `GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"` appends.
 */
import {parseShellVars, type IgnoredCommand, type ShellAssignment} from './shell-vars.js'
import {parsed, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface ConfigFileText {
  path: string
  text: string
}

export interface DefaultGrub {
  /** Every assignment in sourcing order; `source` is the file path. */
  assignments: ShellAssignment[]
  /** Final value of each variable (null-prototype object). */
  vars: Record<string, ShellAssignment>
  /** Commands in the files that were not run (`echo ... >&2`, `grub_warn ...`). */
  commands: IgnoredCommand[]
  cmdlineXen?: ShellAssignment
  cmdlineXenDefault?: ShellAssignment
  cmdlineLinux?: ShellAssignment
  cmdlineLinuxDefault?: ShellAssignment
  /** Debian's 20_linux_xen uses these instead of GRUB_CMDLINE_LINUX(_DEFAULT) on dom0's line when set. */
  cmdlineLinuxXenReplace?: ShellAssignment
  cmdlineLinuxXenReplaceDefault?: ShellAssignment
  grubDefault?: ShellAssignment
  /** What the generated Xen line of a normal Xen entry gets: `GRUB_CMDLINE_XEN GRUB_CMDLINE_XEN_DEFAULT`. */
  xenArgs: string
  /** A recovery entry's Xen line gets only GRUB_CMDLINE_XEN. */
  xenRecoveryArgs: string
  /** dom0's line in a generated Xen entry (after root= and ro). */
  dom0Args: string
  /** A native (non-Xen) entry's kernel line. */
  linuxArgs: string
}

export function parseDefaultGrub(files: ConfigFileText[]): Parsed<DefaultGrub> {
  return total('default grub', () => {
    const problems: ParseProblem[] = []
    const assignments: ShellAssignment[] = []
    const commands: IgnoredCommand[] = []
    let vars: Record<string, ShellAssignment> = Object.create(null)
    for (const f of files) {
      const r = parseShellVars(f.text, {env: vars, source: f.path})
      problems.push(...r.problems.map((p) => ({...p, message: `${f.path}: ${p.message}`})))
      if (!r.ok) continue
      assignments.push(...r.value.assignments)
      commands.push(...r.value.commands)
      vars = r.value.vars
    }
    const get = (name: string): ShellAssignment | undefined => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined)
    const join = (...names: string[]): string =>
      names
        .map((n) => get(n)?.value ?? '')
        .join(' ')
        .trim()
        .replace(/\s+/g, ' ')
    const replace = get('GRUB_CMDLINE_LINUX_XEN_REPLACE')?.value ? 'GRUB_CMDLINE_LINUX_XEN_REPLACE' : 'GRUB_CMDLINE_LINUX'
    const replaceDefault = get('GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT')?.value ? 'GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT' : 'GRUB_CMDLINE_LINUX_DEFAULT'
    const typed = {
      cmdlineXen: get('GRUB_CMDLINE_XEN'),
      cmdlineXenDefault: get('GRUB_CMDLINE_XEN_DEFAULT'),
      cmdlineLinux: get('GRUB_CMDLINE_LINUX'),
      cmdlineLinuxDefault: get('GRUB_CMDLINE_LINUX_DEFAULT'),
      cmdlineLinuxXenReplace: get('GRUB_CMDLINE_LINUX_XEN_REPLACE'),
      cmdlineLinuxXenReplaceDefault: get('GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT'),
      grubDefault: get('GRUB_DEFAULT'),
    }
    const out: DefaultGrub = {
      assignments,
      vars,
      commands,
      xenArgs: join('GRUB_CMDLINE_XEN', 'GRUB_CMDLINE_XEN_DEFAULT'),
      xenRecoveryArgs: join('GRUB_CMDLINE_XEN'),
      dom0Args: join(replace, replaceDefault),
      linuxArgs: join('GRUB_CMDLINE_LINUX', 'GRUB_CMDLINE_LINUX_DEFAULT'),
    }
    for (const [key, a] of Object.entries(typed)) if (a) Object.assign(out, {[key]: a})
    return parsed(out, problems)
  })
}
