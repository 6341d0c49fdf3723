/**
 * The command lines Debian's update-grub (grub-mkconfig's 20_linux_xen) writes for the default Xen
 * entry from /etc/default/grub and /etc/default/grub.d/*.cfg, and what Xen and dom0 then receive
 * after grub's own lexer has read grub.cfg:
 *
 *   multiboot2 /boot/xen-4.17-amd64.gz placeholder ${GRUB_CMDLINE_XEN} ${GRUB_CMDLINE_XEN_DEFAULT} ${xen_rm_opts}
 *   module2    /boot/vmlinuz-6.1.0-50-amd64 placeholder root=<device> ro ${GRUB_CMDLINE_LINUX} ${GRUB_CMDLINE_LINUX_DEFAULT}
 *
 * (GRUB_CMDLINE_LINUX_XEN_REPLACE / _REPLACE_DEFAULT take the place of the LINUX pair when set;
 * xen_rm_opts is "no-real-mode edd=off" under EFI, empty otherwise.) The lab boots its FIXED
 * scenario with exactly these lines, so a repaired /etc/default/grub is proven the way a host
 * would boot it.
 */
import {parseDefaultGrub, type ConfigFileText} from '../parsers/default-grub.js'
import {lexShell, literalText, simpleCommands} from '../parsers/shell-lexer.js'

export interface UpdateGrubOptions {
  /** `root=` as update-grub finds it (GRUB_DEVICE): `UUID=...`, `/dev/xvda1`. Default: `UUID=<root>`, a placeholder. */
  rootDevice?: string
  /** EFI boots get xen_rm_opts="no-real-mode edd=off". */
  efi?: boolean
  xenPath?: string
  kernelPath?: string
}

export interface GeneratedLine {
  /** The grub.cfg line update-grub writes (variables expanded by sh, grub escapes kept). */
  grubCfg: string
  /** What the image receives after grub's lexer: the words after the path, joined by blanks. */
  args: string
  /** Text grub's lexer drops (an unescaped `<` or `>` and the word after it). */
  dropped: string[]
}

export interface UpdateGrubLines {
  xen: GeneratedLine
  dom0: GeneratedLine
  /** Problems reading the defaults (a value set under a condition, from a command...). */
  problems: string[]
}

export function updateGrubLines(files: readonly ConfigFileText[], options: UpdateGrubOptions = {}): UpdateGrubLines {
  const parsed = parseDefaultGrub([...files])
  const problems = parsed.problems.map((p) => p.message)
  const vars = parsed.ok ? parsed.value.vars : Object.create(null)
  const get = (name: string): string => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name].value : '')
  for (const name of ['GRUB_CMDLINE_XEN', 'GRUB_CMDLINE_XEN_DEFAULT', 'GRUB_CMDLINE_LINUX', 'GRUB_CMDLINE_LINUX_DEFAULT']) {
    const a = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined
    if (a?.conditional) problems.push(`${name} is set under a condition that cannot be decided here (${a.source}:${a.line})`)
    if (a?.unevaluated) problems.push(`${name} holds a command substitution (${a.source}:${a.line})`)
  }
  const linux = get('GRUB_CMDLINE_LINUX_XEN_REPLACE') !== '' ? get('GRUB_CMDLINE_LINUX_XEN_REPLACE') : get('GRUB_CMDLINE_LINUX')
  const linuxDefault = get('GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT') !== '' ? get('GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT') : get('GRUB_CMDLINE_LINUX_DEFAULT')
  const rm = options.efi ? 'no-real-mode edd=off' : ''
  const xenCfg = `multiboot2 ${options.xenPath ?? '/boot/xen.gz'} placeholder ${get('GRUB_CMDLINE_XEN')} ${get('GRUB_CMDLINE_XEN_DEFAULT')} \${xen_rm_opts}`
  const dom0Cfg = `module2 ${options.kernelPath ?? '/boot/vmlinuz'} placeholder root=${options.rootDevice ?? 'UUID=<root>'} ro ${linux} ${linuxDefault}`
  return {xen: grubReads(xenCfg, {xen_rm_opts: rm}), dom0: grubReads(dom0Cfg, {}), problems}
}

/** The arguments grub passes for one image command line (`$name` expanded from `vars`, `\x` unescaped, redirections dropped). */
export function grubReads(line: string, vars: Record<string, string>): GeneratedLine {
  const cmd = simpleCommands(lexShell(line, 'grub').tokens)[0]
  const words = cmd?.words ?? []
  const args: string[] = []
  for (const w of words.slice(2)) {
    let text = ''
    for (const p of w.parts) text += p.kind === 'lit' ? p.text : p.kind === 'param' ? (vars[p.name] ?? '') : p.raw
    // An unquoted empty expansion is no word at all; an expansion with blanks splits into words.
    if (w.parts.every((p) => p.kind === 'param' && !p.quoted)) args.push(...text.split(/\s+/).filter(Boolean))
    else args.push(text)
  }
  const dropped = (cmd?.ops ?? []).map((o) => `${o.op}${o.target ? literalText(o.target) : ''}`)
  return {grubCfg: line.replace(/\s+/g, ' ').trim(), args: args.join(' '), dropped}
}
