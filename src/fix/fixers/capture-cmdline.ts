/**
 * KD206: the capture kernel gets its own command line, without the Xen-only consoles a dom0 needs
 * (console=hvc0, earlyprintk=xen) and with a console that exists on bare metal, taken from the
 * host's evidence: Xen's own serial console (`com1=115200,8n1 console=com1,vga` is ttyS0 at
 * 115200n8, and tty0 for vga), else a serial console dom0's line already names, else tty0.
 * Debian: KDUMP_CMDLINE in /etc/default/kdump-tools (kdump-config then stops copying /proc/cmdline);
 * RHEL: KDUMP_COMMANDLINE in /etc/sysconfig/kdump. Like the services' own copy, it drops
 * crashkernel=, hugepages and BOOT_IMAGE; root= comes from the dom0 line, or for an image whose
 * line update-grub has not written yet, from /etc/fstab's `/`.
 */
import type {CommandLine} from '../../facts/command-lines.js'
import {parseCmdline} from '../../parsers/cmdline.js'
import {parseFstab} from '../../parsers/mounts.js'
import {parseShellVars} from '../../parsers/shell-vars.js'
import {addAssignment, assignmentSites, setAssignmentValue} from '../editors/shell-assign.js'
import type {FixContext} from '../context.js'
import type {Activation} from '../types.js'
import {restartService} from './service.js'

const DROP = [/^crashkernel=/, /^hugepages=/, /^hugepagesz=/, /^abm=/, /^BOOT_IMAGE=/, /^placeholder$/, /^console=hvc/, /^console=xvc/, /^earlyprintk=xen/, /^xencons=/]

/** Linux console= words for the consoles Xen's line uses (`console=com1,vga` with `com1=115200,8n1`). */
export function consolesFromXen(xenLine: string | undefined): string[] {
  if (!xenLine) return []
  const parsed = parseCmdline(xenLine, 'xen')
  if (!parsed.ok) return []
  const tokens = parsed.value.tokens
  const consoles = (tokens.filter((t) => t.key === 'console').at(-1)?.value ?? '').split(',').filter(Boolean)
  const out: string[] = []
  if (consoles.includes('vga')) out.push('console=tty0')
  for (const c of consoles) {
    const m = /^com([1-4])$/.exec(c)
    if (!m) continue
    const n = Number(m[1]) - 1
    const setting = tokens.filter((t) => t.key === `com${m[1]}`).at(-1)?.value ?? ''
    const baud = /^(\d+)/.exec(setting)?.[1]
    const dps = /,(\d)([noems])(\d)/.exec(setting)
    const suffix = baud ? `,${baud}${dps ? `${dps[2]}${dps[1]}` : 'n8'}` : ''
    out.push(`console=ttyS${n}${suffix}`)
  }
  return out
}

export function captureLine(dom0: string, xenLine: string | undefined, rootFromFstab: string | undefined): {line: string; root: boolean; consoles: string[]} {
  const parsed = parseCmdline(dom0, 'linux')
  const kept = parsed.ok ? parsed.value.tokens.map((t) => t.raw).filter((raw) => !DROP.some((re) => re.test(raw))) : []
  const fromXen = consolesFromXen(xenLine)
  const serialOnDom0 = kept.filter((w) => /^console=ttyS/.test(w))
  const withoutConsoles = kept.filter((w) => !/^console=/.test(w))
  const consoles = fromXen.length > 0 ? fromXen : serialOnDom0.length > 0 ? ['console=tty0', ...serialOnDom0] : ['console=tty0']
  const hasRoot = withoutConsoles.some((w) => /^root=/.test(w))
  const words = [...(!hasRoot && rootFromFstab ? [`root=${rootFromFstab}`] : []), ...withoutConsoles, ...consoles]
  return {line: words.join(' '), root: hasRoot || rootFromFstab !== undefined, consoles}
}

export function fixCaptureCmdline(ctx: FixContext): void {
  const finding = ctx.problem('KD206')
  if (!finding) return
  const v = ctx.view
  const family = v.family
  const spec =
    family === 'debian' ? {file: '/etc/default/kdump-tools', name: 'KDUMP_CMDLINE'} : family === 'rhel' ? {file: '/etc/sysconfig/kdump', name: 'KDUMP_COMMANDLINE'} : undefined
  if (!spec) {
    ctx.person('KD206', 'Which kdump service builds the capture command line is unknown here: give the capture kernel a real console by hand (see the finding).')
    return
  }
  const text = ctx.ws.read(spec.file)
  if (text === undefined) {
    ctx.person('KD206', `${spec.file} is not in the evidence: set ${spec.name} there by hand.`)
    return
  }
  const dom0: CommandLine | undefined = ctx.live ? (v.runningLinuxLine.known ? v.runningLinuxLine.value : undefined) : v.nextBoot.known ? v.nextBoot.value.linuxLine : undefined
  const xen = ctx.live ? (v.runningXenLine.known ? v.runningXenLine.value.text : undefined) : v.nextBoot.known ? v.nextBoot.value.xenLine?.text : undefined
  const vars = parseShellVars(text)
  const current = vars.ok ? vars.value.vars[spec.name] : undefined
  const base = current && current.value.trim() !== '' ? current.value : dom0?.text
  if (base === undefined) {
    ctx.person('KD206', `dom0's command line is unknown, so the capture kernel's cannot be derived from it: set ${spec.name} in ${spec.file} by hand.`)
    return
  }
  const fstab = ctx.ws.read('/etc/fstab')
  const table = fstab === undefined ? undefined : parseFstab(fstab)
  const rootEntry = table?.ok ? table.value.entries.find((e) => e.mountpoint === '/') : undefined
  const built = captureLine(base, xen, rootEntry?.spec)
  if (!built.root) {
    ctx.person('KD206', `dom0's line names no root= and /etc/fstab has no / entry: set ${spec.name}="root=<root device> ro ${built.consoles.join(' ')}" in ${spec.file} by hand.`)
    return
  }
  if (current && (current.conditional || current.unevaluated)) {
    ctx.person('KD206', `${spec.file}:${current.line}: ${spec.name} is set ${current.conditional ? 'under a condition' : 'from a command'}; set it to "${built.line}" by hand.`)
    return
  }
  let out: string
  if (current) {
    const site = assignmentSites(text, spec.name).find((s) => s.line === current.line)
    if (!site) {
      ctx.person('KD206', `${spec.file}:${current.line}: ${spec.name} could not be located for editing.`)
      return
    }
    out = setAssignmentValue(text, site, built.line)
  } else out = addAssignment(text, spec.name, built.line)
  ctx.ws.write(spec.file, out)
  const activation: Activation[] = ctx.live ? restartService(v) : []
  ctx.item({
    findings: ['KD206'],
    summary: `${spec.name}="${built.line}" in ${spec.file}`,
    details: [
      `The capture kernel boots on bare metal, outside Xen: it gets ${built.consoles.join(' ')} (${xen && built.consoles.some((c) => /ttyS/.test(c)) ? "Xen's own serial console" : 'a console that exists without Xen'}) instead of the Xen-only console dom0 uses.`,
      current ? `${spec.name} was set; its Xen-only console is replaced.` : `${spec.name} was not set, so the service copied dom0's /proc/cmdline; it now gets its own line (crashkernel=, hugepages and BOOT_IMAGE dropped as the service's copy does).`,
      ...(dom0 && !/(^|\s)root=/.test(base) && rootEntry ? [`root=${rootEntry.spec} comes from /etc/fstab (the line update-grub writes adds it at install time).`] : []),
    ],
    paths: [spec.file],
    repairs: ['KD206'],
    activation,
  })
}
