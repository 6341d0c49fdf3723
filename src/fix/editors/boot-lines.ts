/**
 * Word lists of the boot-loader lines that carry Xen's and dom0's command lines, for editWords:
 * - GRUB legacy: `kernel /xen.gz-2.6.18-406.el5 dom0_mem=1024M` (Xen) and `module /vmlinuz... ro root=...`
 *   (dom0): everything after the image path, verbatim;
 * - extlinux (XenServer 5/6): `append /boot/xen.gz <Xen> --- /boot/vmlinuz <dom0> --- /boot/initrd`;
 * - grub.cfg: `multiboot2 /boot/xen.gz placeholder <Xen> ${xen_rm_opts}` and `module2 /boot/vmlinuz ...`,
 *   words of grub's script language (`\<` is a literal `<`, `${...}` is left alone).
 */
import {lexShell, simpleCommands} from '../../parsers/shell-lexer.js'
import {lineAt} from '../text.js'
import {grubEncode, grubLiteral} from './shell-assign.js'
import {verbatimWords, type RawWord, type WordList} from './words.js'

/** The arguments after the image path on a GRUB legacy `kernel`/`module` line (1-based `line`). */
export function grubLegacyArgs(text: string, line: number, xen: boolean): WordList | undefined {
  const at = lineAt(text, line)
  if (!at) return undefined
  const m = /^(\s*[A-Za-z_]+(?:\s*=\s*|\s+)(?:--[a-z-]+(?:=\S*)?\s+)*)(\S+)/.exec(at.text)
  if (!m) return undefined
  const start = at.start + m[0].length
  return untilSeparator(verbatimWords(text, start, at.end), xen ? '--' : undefined)
}

/** A list that stops before a bare separator word (Xen's ` -- ` hands the rest to dom0). */
function untilSeparator(list: WordList, separator: string | undefined): WordList {
  if (separator === undefined) return list
  const i = list.words.findIndex((w) => w.literal === separator)
  if (i < 0) return list
  return {...list, end: list.words[i]!.start, words: list.words.slice(0, i)}
}

/**
 * One part of an extlinux `append` line for mboot.c32: part 0 is Xen's arguments (after the
 * hypervisor path, before the first `---`), part 1 dom0's (after the kernel path, before the next).
 */
export function extlinuxAppendPart(text: string, line: number, part: 0 | 1): WordList | undefined {
  const at = lineAt(text, line)
  if (!at) return undefined
  const m = /^\s*append\s+/i.exec(at.text)
  if (!m) return undefined
  const all = verbatimWords(text, at.start + m[0].length, at.end)
  const seps = all.words.map((w, i) => (w.literal === '---' ? i : -1)).filter((i) => i >= 0)
  const from = part === 0 ? 0 : (seps[0] ?? -1) + 1
  if (part === 1 && seps.length === 0) return undefined
  const to = part === 0 ? (seps[0] ?? all.words.length) : (seps[1] ?? all.words.length)
  const words = all.words.slice(from, to)
  const path = words[0]
  if (!path) return undefined
  const rest = words.slice(1)
  const end = to < all.words.length ? all.words[to]!.start : at.end
  // Trailing blanks before `---` stay where they are: the list ends at its last word.
  return {start: path.end, end: Math.min(end, rest.at(-1)?.end ?? path.end), words: rest, insertAt: rest.at(-1)?.end ?? path.end, encode: all.encode}
}

const LOADERS = new Set(['multiboot', 'multiboot2', 'xen_hypervisor', 'module', 'module2', 'xen_module', 'linux', 'linux16', 'linuxefi'])

/** The arguments of the grub.cfg image command on 1-based `line` (after its path and `--` flags). */
export function grubCfgArgs(text: string, line: number): WordList | undefined {
  const cmd = simpleCommands(lexShell(text, 'grub').tokens).find((c) => c.line === line && c.words.length > 0 && LOADERS.has(c.words[0]!.raw))
  if (!cmd) return undefined
  let i = 1
  while (i < cmd.words.length && cmd.words[i]!.raw.startsWith('--')) i++
  const path = cmd.words[i]
  if (!path) return undefined
  const words: RawWord[] = cmd.words.slice(i + 1).map((w) => ({start: w.start, end: w.end, literal: grubLiteral(w.raw)}))
  // An unescaped `<` or `>` is a redirection to grub: `crashkernel=256M<4G` lexes as a word, `<` and
  // `4G`. Glued back together it is the one word a person wrote (and that a fix replaces whole).
  for (const op of cmd.ops) {
    const w = words.find((x) => x.end === op.start)
    if (!w || !op.target || (op.op !== '<' && op.op !== '>')) continue
    w.literal = w.literal === undefined ? undefined : `${w.literal}${op.op}${grubLiteral(op.target.raw) ?? ''}`
    w.end = op.target.end
  }
  // New words go after the last literal one: before Debian's trailing ${xen_rm_opts}, where update-grub puts them.
  const lastLiteral = [...words].reverse().find((w) => w.literal !== undefined)
  return {start: path.end, end: words.at(-1)?.end ?? path.end, words, insertAt: lastLiteral?.end ?? path.end, encode: grubEncode}
}
