/**
 * What the next boot gets: the boot loader's default entry, with the Xen line and dom0's line it
 * passes. Fixes made only to the running system (or only to one of these files) are lost at reboot.
 */
import type {Evidence} from '../snapshot/evidence.js'
import type {BootEntry} from '../parsers/boot-entry.js'
import {parseGrub2} from '../parsers/grub2.js'
import {parseDefaultGrub} from '../parsers/default-grub.js'
import {parseExtlinux} from '../parsers/extlinux.js'
import {parseGrubLegacy} from '../parsers/grub-legacy.js'
import {fileSource, type Snapshot, type SnapshotFile} from '../snapshot/snapshot.js'
import {commandLine, type CommandLine} from './command-lines.js'
import {fileEvidence} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export interface NextBoot {
  /** `grub2-defaults`: no grub.cfg, so the entry update-grub would generate from /etc/default/grub. */
  loader: 'grub2' | 'grub-legacy' | 'extlinux' | 'grub2-defaults'
  file: string
  entry: BootEntry
  /** The Xen line the default entry passes (undefined when it does not boot Xen). */
  xenLine?: CommandLine
  linuxLine?: CommandLine
  evidence: Evidence[]
}

const GRUB2_FILES = [/^\/boot\/grub2\/grub\.cfg$/, /^\/boot\/grub\/grub\.cfg$/, /^\/boot\/efi\/EFI\/[^/]+\/grub\.cfg$/]
const LEGACY_FILES = ['/boot/grub/grub.conf', '/boot/grub/menu.lst']

export function nextBoot(snapshot: Snapshot): Fact<NextBoot> {
  const reasons: string[] = []
  for (const pattern of GRUB2_FILES) {
    for (const file of snapshot.filesMatching(pattern)) {
      const env = snapshot.file(file.path.replace(/grub\.cfg$/, 'grubenv'))?.text
      const result = parseGrub2(file.text, env)
      if (!result.ok || result.value.entries.length === 0) {
        reasons.push(`${file.path} has no menu entries${result.ok && result.value.usesBls ? ' (BLS entries)' : ''}`)
        continue
      }
      const chosen = result.value.default
      if (!chosen.entry) {
        reasons.push(`${file.path}: the default entry cannot be resolved (${chosen.unresolved ?? 'unknown'})`)
        continue
      }
      const evidence = [fileEvidence(file, chosen.entry.line)]
      if (chosen.line) evidence.unshift(fileEvidence(file, chosen.line))
      return known(describe('grub2', file, chosen.entry, evidence), evidence)
    }
  }
  for (const path of LEGACY_FILES) {
    const file = snapshot.file(path)
    if (!file) continue
    const result = parseGrubLegacy(file.text, snapshot.file('/boot/grub/default')?.text)
    if (!result.ok || !result.value.default.entry) {
      reasons.push(`${path}: no resolvable default entry`)
      continue
    }
    const {entry, line} = {entry: result.value.default.entry, line: result.value.default.line}
    const evidence = [fileEvidence(file, entry.line)]
    if (line) evidence.unshift(fileEvidence(file, line))
    return known(describe('grub-legacy', file, entry, evidence), evidence)
  }
  const extlinux = snapshot.file('/boot/extlinux.conf')
  if (extlinux) {
    const result = parseExtlinux(extlinux.text)
    const entry = result.ok ? result.value.default.entry : null
    if (entry) {
      const evidence = [fileEvidence(extlinux, entry.line)]
      return known(describe('extlinux', extlinux, entry, evidence), evidence)
    }
    reasons.push('/boot/extlinux.conf: no resolvable default entry')
  }
  const generated = fromGrubDefaults(snapshot)
  if (generated) return known(generated, generated.evidence)
  return unknown(reasons.length > 0 ? reasons.join('; ') : 'no boot loader configuration (grub.cfg, grub.conf, menu.lst, extlinux.conf) was collected')
}

function describe(loader: NextBoot['loader'], file: SnapshotFile, entry: BootEntry, evidence: Evidence[]): NextBoot {
  const line = (image: BootEntry['xen'], dialect: 'xen' | 'linux'): CommandLine | undefined =>
    image ? commandLine(image.args, dialect, {source: fileSource(file.path), line: image.line, text: fileEvidence(file, image.line).text ?? ''}) : undefined
  const xenLine = entry.isXen ? line(entry.xen, 'xen') : undefined
  const linuxLine = line(entry.linux, 'linux')
  return {loader, file: file.path, entry, evidence, ...(xenLine ? {xenLine} : {}), ...(linuxLine ? {linuxLine} : {})}
}

/**
 * An image often has no grub.cfg yet (it is generated at install); its /etc/default/grub (and
 * grub.d drop-ins, sourced after it) says what update-grub will put on the Xen and dom0 lines.
 */
function fromGrubDefaults(snapshot: Snapshot): NextBoot | undefined {
  const main = snapshot.file('/etc/default/grub')
  if (!main) return undefined
  const files = [main, ...snapshot.filesMatching(/^\/etc\/default\/grub\.d\/[^/]+\.cfg$/)]
  const result = parseDefaultGrub(files.map((f) => ({path: f.path, text: f.text})))
  if (!result.ok) return undefined
  const grub = result.value
  const xenSetting = grub.cmdlineXenDefault ?? grub.cmdlineXen
  const isXen = xenSetting !== undefined || files.some((f) => /\/xen\.cfg$/.test(f.path))
  const at = (assignment: typeof xenSetting): {file: SnapshotFile; line: number} => {
    const file = files.find((f) => f.path === assignment?.source) ?? main
    return {file, line: assignment?.line ?? 1}
  }
  const xenAt = at(xenSetting)
  const linuxAt = at(grub.cmdlineLinuxDefault ?? grub.cmdlineLinux)
  const image = (path: string, args: string, where: {file: SnapshotFile; line: number}) => ({path, args, argsRaw: args, line: where.line})
  const entry: BootEntry = {
    title: `the ${isXen ? 'Xen ' : ''}entry update-grub generates from /etc/default/grub`,
    line: 1,
    isXen,
    ...(isXen ? {xen: image('/boot/xen.gz', grub.xenArgs, xenAt)} : {}),
    linux: image('/boot/vmlinuz', isXen ? grub.dom0Args : grub.linuxArgs, linuxAt),
    initrds: [],
    otherModules: [],
  }
  const evidence = [fileEvidence(xenAt.file, xenAt.line)]
  const lineOf = (args: string, where: {file: SnapshotFile; line: number}, dialect: 'xen' | 'linux'): CommandLine =>
    commandLine(args, dialect, {source: fileSource(where.file.path), line: where.line, text: fileEvidence(where.file, where.line).text ?? ''})
  return {
    loader: 'grub2-defaults',
    file: '/etc/default/grub',
    entry,
    evidence,
    ...(isXen ? {xenLine: lineOf(grub.xenArgs, xenAt, 'xen')} : {}),
    linuxLine: lineOf(isXen ? grub.dom0Args : grub.linuxArgs, linuxAt, 'linux'),
  }
}
