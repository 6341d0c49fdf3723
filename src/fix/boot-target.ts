/**
 * Where the next boot's Xen and dom0 command lines are written, per boot loader, and how a word
 * edit reaches them there:
 * - grub2 with /etc/default/grub (Debian, Ubuntu, CentOS 7 Xen4CentOS): GRUB_CMDLINE_XEN_DEFAULT in the
 *   file whose assignment is in effect (/etc/default/grub.d/xen.cfg when it sets it, else
 *   /etc/default/grub); a grub.cfg the image already carries gets the same edit in its Xen entries
 *   (all generated ones, recovery entries only for removals), so the image is right before
 *   update-grub runs again;
 * - grub2 without it (XenServer 7+/XCP-ng, hand-written): the default entry's multiboot line;
 * - GRUB legacy: the default entry's `kernel /xen.gz...` line (and Debian's `# xenhopt=` magic comment);
 * - extlinux (XenServer 5/6): the default label's `append /boot/xen.gz ...` before the first `---`.
 * Dom0's line is edited only where it is Xen's own (a module line, extlinux's second part,
 * GRUB_CMDLINE_LINUX_XEN_REPLACE*): GRUB_CMDLINE_LINUX* also feeds native entries.
 */
import {parseDefaultGrub, type ConfigFileText} from '../parsers/default-grub.js'
import {parseExtlinux} from '../parsers/extlinux.js'
import {parseGrub2} from '../parsers/grub2.js'
import {parseGrubLegacy} from '../parsers/grub-legacy.js'
import type {ShellAssignment} from '../parsers/shell-vars.js'
import {extlinuxAppendPart, grubCfgArgs, grubLegacyArgs} from './editors/boot-lines.js'
import {addAssignment, assignmentSites, editAssignmentWords, grubEncode} from './editors/shell-assign.js'
import {editWords, verbatimWords, type WordOp} from './editors/words.js'
import {lineAt} from './text.js'
import type {Workspace} from './workspace.js'

export type Which = 'xen' | 'dom0'

export type EditResult = {ok: true; paths: string[]; where: string[]} | {ok: false; reason: string}

export interface BootTarget {
  loader: 'grub2-defaults' | 'grub2' | 'grub-legacy' | 'extlinux'
  /** The file the next boot reads its entry from (grub.cfg, grub.conf, extlinux.conf), when there is one. */
  bootFile?: string
  /** /etc/default/grub and the grub.d drop-ins, in sourcing order, when grub-mkconfig generates the entries. */
  defaults: string[]
  /** `defaults: false`: only the boot file, not /etc/default/grub (a caller that edits a drop-in itself). */
  edit(ws: Workspace, which: Which, ops: readonly WordOp[], options?: {defaults?: boolean}): EditResult
}

const GRUB_CFG = [/^\/boot\/grub2\/grub\.cfg$/, /^\/boot\/grub\/grub\.cfg$/, /^\/boot\/efi\/EFI\/[^/]+\/grub\.cfg$/]
const LEGACY = ['/boot/grub/grub.conf', '/boot/grub/menu.lst']
const XEN_VARS = ['GRUB_CMDLINE_XEN', 'GRUB_CMDLINE_XEN_DEFAULT']
const DOM0_XEN_VARS = ['GRUB_CMDLINE_LINUX_XEN_REPLACE', 'GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT']
export const DOM0_SHARED_VARS = ['GRUB_CMDLINE_LINUX', 'GRUB_CMDLINE_LINUX_DEFAULT']

/** The boot configuration of the next boot, as nextBoot (facts/boot.ts) picks it: grub.cfg, grub legacy, extlinux, then the defaults. */
export function bootTarget(paths: readonly string[], ws: Workspace): BootTarget | undefined {
  const defaults = ['/etc/default/grub', ...paths.filter((p) => /^\/etc\/default\/grub\.d\/[^/]+\.cfg$/.test(p)).sort()].filter((p) => ws.read(p) !== undefined)
  const hasDefaults = defaults.includes('/etc/default/grub')
  for (const re of GRUB_CFG) {
    for (const file of paths.filter((p) => re.test(p)).sort()) {
      const text = ws.read(file)
      if (text === undefined) continue
      const parsed = parseGrub2(text, ws.read(file.replace(/grub\.cfg$/, 'grubenv')))
      if (!parsed.ok || parsed.value.entries.length === 0 || !parsed.value.default.entry) continue
      return grub2Target(file, hasDefaults ? defaults : [])
    }
  }
  for (const file of LEGACY) if (ws.read(file) !== undefined) return legacyTarget(file)
  if (ws.read('/boot/extlinux.conf') !== undefined) return extlinuxTarget('/boot/extlinux.conf')
  if (hasDefaults) return grub2Target(undefined, defaults)
  return undefined
}

function grub2Target(bootFile: string | undefined, defaults: string[]): BootTarget {
  return {
    loader: bootFile ? 'grub2' : 'grub2-defaults',
    ...(bootFile ? {bootFile} : {}),
    defaults,
    edit(ws, which, ops, options) {
      const paths: string[] = []
      const where: string[] = []
      if (defaults.length > 0 && options?.defaults !== false) {
        const r = editDefaults(ws, defaults, which, ops)
        if (!r.ok) return r
        paths.push(...r.paths)
        where.push(...r.where)
      }
      if (bootFile) {
        const r = editGrubCfg(ws, bootFile, which, ops, defaults.length > 0)
        if (!r.ok) return r
        paths.push(...r.paths)
        where.push(...r.where)
      }
      return {ok: true, paths: [...new Set(paths)], where}
    },
  }
}

/** The assignments of `name` whose words reach the final value: the last one, and those it expands (`X="$X more"`). */
export function contributing(assignments: readonly ShellAssignment[], name: string): ShellAssignment[] {
  const mine = assignments.filter((a) => a.name === name)
  const out: ShellAssignment[] = []
  for (let i = mine.length - 1; i >= 0; i--) {
    out.unshift(mine[i]!)
    if (!mine[i]!.refs.includes(name)) break
  }
  return out
}

function defaultsTexts(ws: Workspace, defaults: readonly string[]): ConfigFileText[] {
  return defaults.map((path) => ({path, text: ws.read(path) ?? ''}))
}

function editDefaults(ws: Workspace, defaults: readonly string[], which: Which, ops: readonly WordOp[]): EditResult {
  const parsed = parseDefaultGrub(defaultsTexts(ws, defaults))
  if (!parsed.ok) return {ok: false, reason: 'the grub defaults cannot be read'}
  const all = parsed.value.assignments
  const replaceSet = (name: string): boolean => (parsed.value.vars[name]?.value ?? '') !== ''
  const vars = which === 'xen' ? XEN_VARS : DOM0_XEN_VARS.some(replaceSet) ? DOM0_XEN_VARS : []
  if (vars.length === 0) return {ok: true, paths: [], where: []}
  const target = vars[vars.length - 1]!
  const sites = vars.flatMap((name) => contributing(all, name))
  const refused = sites.find((a) => a.conditional || a.unevaluated)
  if (refused) return {ok: false, reason: `${refused.source}:${refused.line}: ${refused.name} is set ${refused.conditional ? 'under a condition kdumpcheck cannot decide' : 'from a command\'s output'}; edit it by hand`}
  const paths = new Set<string>()
  const where: string[] = []
  const apply = (a: ShellAssignment, edit: readonly WordOp[]): EditResult | undefined => {
    const path = a.source!
    const text = ws.read(path)!
    const site = assignmentSites(text, a.name).find((s) => s.line === a.line)
    if (!site) return {ok: false, reason: `${path}:${a.line}: ${a.name} could not be located for editing`}
    const out = editAssignmentWords(text, site, edit, {grubLayer: true})
    if (out === undefined) return {ok: false, reason: `${path}:${a.line}: the value of ${a.name} is written in a form kdumpcheck does not rewrite (${site.rhs.slice(0, 60)}); edit it by hand`}
    if (out !== text) {
      ws.write(path, out)
      paths.add(path)
      where.push(`${a.name} in ${path}`)
    }
    return undefined
  }
  for (const op of ops) {
    // Re-read after each op: line numbers are stable (word edits add no lines), offsets are not.
    const now = parseDefaultGrub(defaultsTexts(ws, defaults))
    if (!now.ok) return {ok: false, reason: 'the grub defaults cannot be read'}
    const live = vars.flatMap((name) => contributing(now.value.assignments, name))
    if (op.kind === 'set') {
      const own = contributing(now.value.assignments, target).at(-1)
      for (const a of live) {
        if (a === own) continue
        const r = apply(a, [{kind: 'remove', match: op.match}])
        if (r) return r
      }
      if (own) {
        const r = apply(own, [op])
        if (r) return r
      } else {
        const encoded = grubEncode(op.word)
        if (encoded === undefined) return {ok: false, reason: `cannot write ${op.word} in /etc/default/grub`}
        const main = defaults[0]!
        ws.write(main, addAssignment(ws.read(main) ?? '', target, encoded))
        paths.add(main)
        where.push(`${target} in ${main} (new)`)
      }
    } else {
      for (const a of live) {
        const r = apply(a, [op])
        if (r) return r
      }
    }
  }
  return {ok: true, paths: [...paths], where}
}

function editGrubCfg(ws: Workspace, file: string, which: Which, ops: readonly WordOp[], generated: boolean): EditResult {
  let text = ws.read(file)!
  const parsed = parseGrub2(text, ws.read(file.replace(/grub\.cfg$/, 'grubenv')))
  if (!parsed.ok) return {ok: false, reason: `${file} cannot be read`}
  const def = parsed.value.default.entry
  const isGenerated = generated && /### BEGIN \/etc\/grub\.d\/20_linux_xen ###/.test(text)
  const entries = isGenerated ? parsed.value.entries.filter((e) => e.isXen) : def && def.isXen ? [def] : []
  if (entries.length === 0) return {ok: false, reason: `the default entry of ${file} does not boot Xen`}
  let touched = false
  for (const entry of entries) {
    const image = which === 'xen' ? entry.xen : entry.linux
    if (!image) continue
    const recovery = /\(recovery mode\)/.test(entry.title)
    // A recovery entry's Xen line gets GRUB_CMDLINE_XEN only: it takes removals, not additions.
    const mine = recovery ? ops.filter((o) => o.kind !== 'set') : ops
    if (mine.length === 0) continue
    if (!grubCfgArgs(text, image.line)) return {ok: false, reason: `${file}:${image.line}: the image line could not be read for editing`}
    const out = editWords(text, (t) => grubCfgArgs(t, image.line)!, mine)
    if (out !== text) {
      text = out
      touched = true
    }
  }
  if (!touched) return {ok: true, paths: [], where: []}
  ws.write(file, text)
  return {ok: true, paths: [file], where: [`${isGenerated ? 'the generated Xen entries' : 'the default entry'} in ${file}`]}
}

function legacyTarget(file: string): BootTarget {
  return {
    loader: 'grub-legacy',
    bootFile: file,
    defaults: [],
    edit(ws, which, ops) {
      let text = ws.read(file)!
      const parsed = parseGrubLegacy(text, ws.read('/boot/grub/default'))
      const entry = parsed.ok ? parsed.value.default.entry : null
      if (!parsed.ok || !entry) return {ok: false, reason: `${file} has no default entry kdumpcheck can resolve`}
      if (!entry.isXen) return {ok: false, reason: `the default entry "${entry.title}" of ${file} does not boot Xen`}
      const image = which === 'xen' ? entry.xen : entry.linux
      if (!image) return {ok: false, reason: `the default entry "${entry.title}" has no ${which === 'xen' ? 'Xen' : 'dom0'} line`}
      if (!grubLegacyArgs(text, image.line, which === 'xen')) return {ok: false, reason: `${file}:${image.line}: the line could not be read for editing`}
      text = editWords(text, (t) => grubLegacyArgs(t, image.line, which === 'xen')!, ops)
      const where = [`the default entry "${entry.title}" in ${file}`]
      // Debian's old update-grub rebuilds entries from `# xenhopt=` / `# xenkopt=`.
      const magic = parsed.value.magic.filter((m) => m.name === (which === 'xen' ? 'xenhopt' : 'xenkopt'))
      for (const m of magic) {
        const at = lineAt(text, m.line)
        if (!at) continue
        const eq = at.text.indexOf('=')
        const out = editWords(text, (t) => verbatimWords(t, at.start + eq + 1, lineAt(t, m.line)!.end), ops)
        if (out !== text) {
          text = out
          where.push(`# ${m.name}= in ${file}`)
        }
      }
      if (text === ws.read(file)) return {ok: true, paths: [], where: []}
      ws.write(file, text)
      return {ok: true, paths: [file], where}
    },
  }
}

function extlinuxTarget(file: string): BootTarget {
  return {
    loader: 'extlinux',
    bootFile: file,
    defaults: [],
    edit(ws, which, ops) {
      const text = ws.read(file)!
      const parsed = parseExtlinux(text)
      const entry = parsed.ok ? parsed.value.default.entry : null
      if (!entry) return {ok: false, reason: `${file} has no default label kdumpcheck can resolve`}
      const line = entry.xen?.line
      if (!entry.isXen || line === undefined) return {ok: false, reason: `the default label "${entry.label}" of ${file} does not boot Xen through mboot.c32`}
      const part = which === 'xen' ? 0 : 1
      if (!extlinuxAppendPart(text, line, part)) return {ok: false, reason: `${file}:${line}: the append line could not be read for editing`}
      const out = editWords(text, (t) => extlinuxAppendPart(t, line, part)!, ops)
      if (out === text) return {ok: true, paths: [], where: []}
      ws.write(file, out)
      return {ok: true, paths: [file], where: [`the ${which === 'xen' ? 'Xen' : 'dom0'} part of label "${entry.label}" in ${file}`]}
    },
  }
}
