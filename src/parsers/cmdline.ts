/**
 * Kernel and hypervisor command lines, tokenised the way the consumer itself does it, because the
 * two differ and the difference decides what an option means:
 * - Linux (`next_arg()` in lib/cmdline.c) splits on any whitespace, lets double quotes wrap a value
 *   (`foo="a b"`) or a whole token (`"foo=a b"`), and hands everything after a bare `--` to init.
 * - Xen (`parse_params()` in common/kernel.c) splits on spaces only, knows no quotes, and on x86
 *   moves everything after ` -- ` onto dom0's command line.
 * Most options take effect from their last occurrence, hence `lastValue`.
 */
import {parsed, total, type ParseProblem, type Parsed} from './parse-result.js'

export type CmdlineDialect = 'linux' | 'xen'

export interface CmdlineToken {
  key: string
  /** The text after the first `=` (Linux: without its wrapping quotes); undefined when there is no `=`. */
  value: string | undefined
  /** The token exactly as written, quotes included. */
  raw: string
  /** 0-based character offset of `raw` in the parsed text. */
  offset: number
}

export interface Cmdline {
  dialect: CmdlineDialect
  /** Options the kernel (or Xen) itself parses. */
  tokens: CmdlineToken[]
  /** The bare `--` token, when present. */
  separator?: CmdlineToken
  /** Tokens after `--`: init's arguments under Linux, options appended to dom0's command line under Xen. */
  afterSeparator: CmdlineToken[]
}

const LINUX_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r'])

export function parseCmdline(text: string, dialect: CmdlineDialect = 'linux'): Parsed<Cmdline> {
  return total<Cmdline>('cmdline', () => {
    const problems: ParseProblem[] = []
    const all = dialect === 'linux' ? linuxTokens(text, problems) : xenTokens(text, problems)
    const at = all.findIndex((token) => token.key === '--' && token.value === undefined)
    if (at < 0) return parsed({dialect, tokens: all, afterSeparator: []}, problems)
    return parsed({dialect, tokens: all.slice(0, at), separator: all[at], afterSeparator: all.slice(at + 1)}, problems)
  })
}

function linuxTokens(text: string, problems: ParseProblem[]): CmdlineToken[] {
  const tokens: CmdlineToken[] = []
  let pos = 0
  for (;;) {
    while (pos < text.length && LINUX_SPACE.has(text.charAt(pos))) pos++
    if (pos >= text.length) return tokens
    const start = pos
    const quoted = text.charAt(pos) === '"'
    const body = quoted ? pos + 1 : pos
    let inQuote = quoted
    let equals = -1
    let i = body
    for (; i < text.length; i++) {
      const c = text.charAt(i)
      if (LINUX_SPACE.has(c) && !inQuote) break
      // next_arg() uses 0 as "no '=' yet", so a '=' as the very first character does not split.
      if (equals < 0 && c === '=' && i > body) equals = i
      if (c === '"') inQuote = !inQuote
    }
    if (inQuote) problems.push({message: `unterminated double quote in token at offset ${start}: the kernel takes the rest of the line`})
    const endsWithQuote = i > body && text.charAt(i - 1) === '"'
    let key: string
    let value: string | undefined
    if (equals < 0) {
      key = text.slice(body, i)
      if (quoted && endsWithQuote) key = key.slice(0, -1)
    } else {
      key = text.slice(body, equals)
      value = text.slice(equals + 1, i)
      let stripped = false
      if (value.startsWith('"')) {
        value = value.slice(1)
        if (endsWithQuote && value.length > 0) {
          value = value.slice(0, -1)
          stripped = true
        }
      }
      if (quoted && endsWithQuote && !stripped && value.endsWith('"')) value = value.slice(0, -1)
    }
    tokens.push({key, value, raw: text.slice(start, i), offset: start})
    pos = i
  }
}

function xenTokens(text: string, problems: ParseProblem[]): CmdlineToken[] {
  const tokens: CmdlineToken[] = []
  // Only the capture's own line ending or padding is trimmed: inside the line Xen splits on ' ' alone.
  const first = text.search(/\S/)
  if (first < 0) return tokens
  const last = text.trimEnd().length
  let pos = first
  while (pos < last) {
    if (text.charAt(pos) === ' ') {
      pos++
      continue
    }
    let end = text.indexOf(' ', pos)
    if (end < 0 || end > last) end = last
    const raw = text.slice(pos, end)
    const eq = raw.indexOf('=')
    tokens.push({key: eq < 0 ? raw : raw.slice(0, eq), value: eq < 0 ? undefined : raw.slice(eq + 1), raw, offset: pos})
    if (raw.includes('"')) problems.push({message: `Xen does not interpret quotes: token ${JSON.stringify(raw)} is taken literally`})
    pos = end
  }
  return tokens
}

export function tokensFor(cmdline: Cmdline, key: string): CmdlineToken[] {
  return cmdline.tokens.filter((token) => token.key === key)
}

export function lastToken(cmdline: Cmdline, key: string): CmdlineToken | undefined {
  const found = tokensFor(cmdline, key)
  return found[found.length - 1]
}

/** The value of the last occurrence of `key` (undefined if absent or if that occurrence has no `=`). */
export function lastValue(cmdline: Cmdline, key: string): string | undefined {
  return lastToken(cmdline, key)?.value
}

/** Every value given to `key`, in order (occurrences without `=` are skipped). */
export function allValues(cmdline: Cmdline, key: string): string[] {
  return tokensFor(cmdline, key).flatMap((token) => (token.value === undefined ? [] : [token.value]))
}

export function has(cmdline: Cmdline, key: string): boolean {
  return cmdline.tokens.some((token) => token.key === key)
}

/** Xen's `parse_bool()`: 1/0, on/no, yes/off, true/false, enable/disable; anything else is invalid. */
export function xenParseBool(text: string): boolean | undefined {
  if (['1', 'on', 'yes', 'true', 'enable'].includes(text)) return true
  if (['0', 'no', 'off', 'false', 'disable'].includes(text)) return false
  return undefined
}

export interface XenBooleanSetting {
  value: boolean
  /** The token that decided the value. */
  token: CmdlineToken
}

/**
 * A Xen boolean option as Xen ends up with it: `opt` and `opt=<bool>` set it, `no-opt` inverts, the
 * last valid occurrence wins, an invalid value leaves it unchanged. Undefined when never set.
 */
export function xenBoolean(cmdline: Cmdline, name: string): XenBooleanSetting | undefined {
  let setting: XenBooleanSetting | undefined
  for (const token of cmdline.tokens) {
    const inverted = token.key === `no-${name}`
    if (token.key !== name && !inverted) continue
    const parsedValue = token.value === undefined || token.value === '' ? true : xenParseBool(token.value)
    if (parsedValue === undefined) continue
    setting = {value: inverted ? !parsedValue : parsedValue, token}
  }
  return setting
}

export interface XenNoReboot {
  /** True when Xen halts instead of rebooting after a crash it cannot hand to a capture kernel. */
  noreboot: boolean
  /** The token that decided it (`noreboot`, `reboot=no`, `reboot=n`, `noreboot=0`, `no-noreboot`...). */
  cause?: CmdlineToken
}

/**
 * Xen's `opt_noreboot`, replayed in command-line order: the boolean `noreboot`, and `reboot=` whose
 * comma-separated items set it when one starts with `n` (x86 `set_reboot_type()`), so `reboot=no`,
 * `reboot=n` and `reboot=warm,no` all count.
 */
export function xenNoReboot(cmdline: Cmdline): XenNoReboot {
  let state: XenNoReboot = {noreboot: false}
  for (const token of cmdline.tokens) {
    if (token.key === 'reboot' && token.value !== undefined) {
      if (token.value.split(',').some((item) => item.startsWith('n'))) state = {noreboot: true, cause: token}
      continue
    }
    const inverted = token.key === 'no-noreboot'
    if (token.key !== 'noreboot' && !inverted) continue
    const parsedValue = token.value === undefined || token.value === '' ? true : xenParseBool(token.value)
    if (parsedValue === undefined) continue
    state = {noreboot: inverted ? !parsedValue : parsedValue, cause: token}
  }
  return state
}

export interface ImageLine {
  /** The image path, when the line starts with one. */
  image?: string
  /** The command line proper. */
  rest: string
  /** Offset of `rest` in the original line, to map token offsets back. */
  restOffset: number
}

/**
 * Boot-loader lines name the image first (`/xen.gz dom0_mem=...`, `(hd0,0)/vmlinuz-2.6.18-406.el5xen ro
 * root=...`, `${root}/boot/xen.gz ...`). A leading word without `=` that looks like a path is split off.
 * Debian's `placeholder` word (grub2 eats the first module argument on some versions) is kept: it is a
 * real, harmless token on the running command line.
 */
export function stripImagePath(line: string): ImageLine {
  const match = /^\s*(\S+)/.exec(line)
  const word = match?.[1]
  if (!match || word === undefined || word.includes('=') || !/^[/($]|\//.test(word)) return {rest: line, restOffset: 0}
  let restOffset = match[0].length
  while (restOffset < line.length && /\s/.test(line.charAt(restOffset))) restOffset++
  return {image: word, rest: line.slice(restOffset), restOffset}
}

/**
 * The consoles a Linux command line gives a kernel, as a capture kernel on bare metal would get them. Xen-only consoles
 * exist only under Xen: `console=hvc0` (Xen's PV console; on bare metal there is no such device) and `earlyprintk=xen`
 * (hypercalls) were seen hanging a capture kernel in the lab; `console=xvc0` and `xencons=` only lose output. Any other
 * `console=` (ttyS0, tty0, ttyAMA0...) is a real console, and so is the VGA console a line without any `console=` gets.
 * A capture kernel is blamed on its console only when the set is really Xen-only: a hanging token and no real console.
 */
export interface ConsoleSet {
  /** `console=hvc0`, `earlyprintk=xen`: Xen-only tokens that hang a kernel on bare metal. */
  hanging: string[]
  /** Real consoles (`console=ttyS0,115200`, `console=tty0`), or `(default VGA console)` when no console= is given. */
  real: string[]
  /** Hanging tokens and nothing real to print on instead. */
  xenOnly: boolean
}

export function consoleSet(text: string): ConsoleSet {
  const tokens = text.split(/\s+/).filter(Boolean)
  const hanging = tokens.filter((t) => /^console=hvc\d*(?:,.*)?$/.test(t) || /^earlyprintk=xen\S*$/.test(t))
  const consoles = tokens.filter((t) => t.startsWith('console='))
  const real = consoles.filter((t) => !/^console=(?:hvc|xvc)\d*(?:,.*)?$/.test(t))
  if (consoles.length === 0) real.push('(default VGA console)')
  return {hanging, real, xenOnly: hanging.length > 0 && real.length === 0}
}
