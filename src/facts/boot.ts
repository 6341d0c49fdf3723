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
import {commandLine, crashkernelToken, type CommandLine} from './command-lines.js'
import {fileEvidence} from './evidence.js'
import {bootListing} from './capture-kernel.js'
import {parseDpkgStatus} from '../parsers/dpkg-status.js'
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
    if (entry?.continued) {
      // Two readings disagree: the copy's (lines joined) and SYSLINUX's (each line on its own, the rest ignored).
      const joined = describe('extlinux', extlinux, entry, [])
      const xenHas = joined.xenLine ? (crashkernelToken(joined.xenLine)?.raw ?? 'no crashkernel=') : 'no Xen line'
      return unknown(
        `/boot/extlinux.conf: the default entry "${entry.title}" continues a line with a trailing "\\" (line ${entry.continued.line}, ${entry.continued.lines} lines): read joined, as a copy broken for print means it, its Xen line has ${xenHas}; SYSLINUX has no line continuation and would read only the first of those lines`,
        [fileEvidence(extlinux, entry.continued.line)],
      )
    }
    if (entry) {
      const evidence = [fileEvidence(extlinux, entry.line)]
      return known(describe('extlinux', extlinux, entry, evidence), evidence)
    }
    reasons.push('/boot/extlinux.conf: no resolvable default entry')
  }
  const generated = fromGrubDefaults(snapshot)
  if (generated) return generated
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
 * An image often has no grub.cfg yet (it is generated at install, or SUSE keeps none in the image); its
 * /etc/default/grub (and the grub.d drop-ins sourced after it) says what update-grub will put on the Xen and dom0
 * lines. Whenever the image has Xen, the Xen entry is the one judged: a Xen host image is built to boot Xen.
 */
function fromGrubDefaults(snapshot: Snapshot): Fact<NextBoot> | undefined {
  const main = snapshot.file('/etc/default/grub')
  if (!main) return undefined
  const files = [main, ...snapshot.filesMatching(/^\/etc\/default\/grub\.d\/[^/]+\.cfg$/)]
  // update-grub sources every drop-in after /etc/default/grub: one that could not be read may set or clear anything.
  const lostDropIns = unreadableDropIns(snapshot)
  if (lostDropIns.length > 0) {
    return unknown(`what update-grub generates cannot be told: ${lostDropIns.join(', ')} could not be read, and update-grub sources it after /etc/default/grub`, [fileEvidence(main)])
  }
  const result = parseDefaultGrub(files.map((f) => ({path: f.path, text: f.text})))
  if (!result.ok) return undefined
  const grub = result.value
  const xenSetting = grub.cmdlineXenDefault ?? grub.cmdlineXen
  const xen = imageHasXen(snapshot, files, xenSetting)
  if (xen.isXen === undefined) {
    return unknown(`/etc/default/grub says what update-grub generates, but whether the image boots Xen cannot be told: ${xen.lost.join('; ')} could not be read`, [fileEvidence(main)])
  }
  const isXen = xen.isXen
  const at = (assignment: typeof xenSetting): {file: SnapshotFile; line: number} => {
    const file = files.find((f) => f.path === assignment?.source) ?? main
    return {file, line: assignment?.line ?? 1}
  }
  const xenAt = at(xenSetting)
  // The assignments the generated kernel line is made of (Debian's *_XEN_REPLACE* stand in for dom0's when set);
  // evidence points at the one that carries crashkernel=, the option the checks look for.
  const used = isXen
    ? [grub.cmdlineLinuxXenReplace?.value ? grub.cmdlineLinuxXenReplace : grub.cmdlineLinux, grub.cmdlineLinuxXenReplaceDefault?.value ? grub.cmdlineLinuxXenReplaceDefault : grub.cmdlineLinuxDefault]
    : [grub.cmdlineLinux, grub.cmdlineLinuxDefault]
  const set = used.filter((a): a is NonNullable<typeof a> => a !== undefined)
  const linuxAt = at(set.filter((a) => /(^|\s)crashkernel=/.test(a.value)).at(-1) ?? set.at(-1))
  // update-grub writes the values into grub.cfg unquoted, and GRUB then reads them as its own words: `380M\<4G` is `380M<4G`.
  const xenArgs = grubWords(grub.xenArgs)
  const linuxArgs = grubWords(isXen ? grub.dom0Args : grub.linuxArgs)
  const image = (path: string, args: string, raw: string, where: {file: SnapshotFile; line: number}) => ({path, args, argsRaw: raw, line: where.line})
  const entry: BootEntry = {
    title: `the ${isXen ? 'Xen ' : ''}entry update-grub generates from /etc/default/grub`,
    line: 1,
    isXen,
    ...(isXen ? {xen: image('/boot/xen.gz', xenArgs, grub.xenArgs, xenAt)} : {}),
    linux: image('/boot/vmlinuz', linuxArgs, isXen ? grub.dom0Args : grub.linuxArgs, linuxAt),
    initrds: [],
    otherModules: [],
  }
  const evidence = [fileEvidence(xenAt.file, xenAt.line), ...xen.evidence]
  const lineOf = (args: string, where: {file: SnapshotFile; line: number}, dialect: 'xen' | 'linux'): CommandLine =>
    commandLine(args, dialect, {source: fileSource(where.file.path), line: where.line, text: fileEvidence(where.file, where.line).text ?? ''})
  const boot: NextBoot = {
    loader: 'grub2-defaults',
    file: '/etc/default/grub',
    entry,
    evidence,
    ...(isXen ? {xenLine: lineOf(xenArgs, xenAt, 'xen')} : {}),
    linuxLine: lineOf(linuxArgs, linuxAt, 'linux'),
  }
  return known(boot, evidence)
}

/** A value as GRUB reads it on a generated `multiboot2`/`linux` line: its own quoting and escapes removed. */
function grubWords(value: string): string {
  if (!/[\\'"$]/.test(value)) return value
  const parsedCfg = parseGrub2(`menuentry 'x' {\n  linux /vmlinuz ${value}\n}\n`)
  const args = parsedCfg.ok ? parsedCfg.value.entries[0]?.linux?.args : undefined
  return args ?? value
}

/** grub.d drop-ins recorded as unreadable (or possibly left out of a glob cut short). */
function unreadableDropIns(snapshot: Snapshot): string[] {
  const lost: string[] = []
  for (const line of snapshot.evidenceStates.lines) {
    if (line.kind === 'file' && line.effect === 'unreadable' && /^\/etc\/default\/grub\.d\/[^/]+\.cfg$/.test(line.path)) lost.push(line.path)
    if (line.kind === 'glob' && line.pattern.startsWith('/etc/default/grub.d/')) lost.push(line.pattern)
  }
  return lost
}

interface ImageXen {
  /** undefined: no witness, and a place one could be was unreadable. */
  isXen: boolean | undefined
  evidence: Evidence[]
  lost: string[]
}

/**
 * Does the image have Xen? Any one witness says yes: GRUB_CMDLINE_XEN(_DEFAULT) set, a Xen grub.d drop-in, a
 * hypervisor in /boot (xen*.gz), a Xen hypervisor package in the dpkg database. No witness means no only when every
 * place one could be was read.
 */
export function imageHasXen(snapshot: Snapshot, grubFiles: SnapshotFile[], xenSetting: {source?: string; line: number} | undefined): ImageXen {
  const evidence: Evidence[] = []
  if (xenSetting) evidence.push(fileEvidence(grubFiles.find((f) => f.path === xenSetting.source) ?? grubFiles[0]!, xenSetting.line))
  const dropIn = grubFiles.find((f) => /^\/etc\/default\/grub\.d\/xen[^/]*\.cfg$/.test(f.path))
  if (dropIn) evidence.push(fileEvidence(dropIn))
  const listing = bootListing(snapshot)
  const hypervisor = listing.known
    ? listing.value.listing.entries.find((e) => (e.dir ?? '').replace(/\/+$/, '') === '/boot' && /^xen(?:[-.][\w.+~-]*)?\.gz$/.test(e.name))
    : undefined
  if (hypervisor && listing.known) evidence.push({...listing.value.evidence, source: listing.value.evidence.source.replace(/exit$/, 'out'), line: hypervisor.line, text: hypervisor.name})
  const dpkg = snapshot.file('/var/lib/dpkg/status')
  const packages = dpkg ? parseDpkgStatus(dpkg.text) : undefined
  const xenPackage = packages?.ok ? packages.value.packages.find((p) => p.installed && /^xen-(?:hypervisor|system)-/.test(p.name)) : undefined
  if (dpkg && xenPackage) evidence.push(fileEvidence(dpkg, xenPackage.line))
  if (evidence.length > 0) return {isXen: true, evidence, lost: []}
  const lost: string[] = unreadableDropIns(snapshot)
  if (snapshot.fileState('/var/lib/dpkg/status').state === 'unreadable') lost.push('/var/lib/dpkg/status')
  if (!listing.known && snapshot.probeState('ls-boot').state !== 'absent') lost.push('the /boot listing')
  return {isXen: lost.length > 0 ? undefined : false, evidence: [], lost}
}
