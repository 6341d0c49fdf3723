/**
 * Ansible's INI inventory, as ansible-core's `ini` plugin reads it:
 *
 *   dom0-01.fra1 ansible_host=10.1.0.1        # lines before any section are ungrouped hosts
 *   [fra1]
 *   dom0-[02:40].fra1 ansible_user=ops ansible_become=true
 *   [fra1:vars]
 *   ansible_port=2222
 *   [xen:children]
 *   fra1
 *
 * Host lines are split like a POSIX shell (quotes, backslashes, `#` comments); `key=value` lines in
 * `:vars` sections are split at the first `=`. Any line that is none of these is an error naming it.
 *
 * Not INI, despite the name, so not the `ini` package: a host line is a host pattern followed by
 * shell-quoted `key=value` pairs (`dom0-[02:40] ansible_user=ops`), not one `key = value`; a host may
 * repeat across sections; `[group:vars]` and `[group:children]` are Ansible's own section kinds; and
 * every error must name its line. An INI reader would take `dom0-01 ansible_host=10.1.0.1` for the key
 * `dom0-01 ansible_host` and silently mis-read the fleet.
 */
import {expandHostRange, HostRangeError} from './host-range.js'
import {InventoryBuilder, type Inventory} from './inventory-builder.js'

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/
const EXPANDED_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/

export function parseIniInventory(text: string, file: string): Inventory {
  const b: InventoryBuilder = new InventoryBuilder(file)
  let group = 'ungrouped'
  let state: 'hosts' | 'vars' | 'children' = 'hosts'
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    const line = index + 1
    if (raw.includes('\u0000')) b.fail(line, 'a NUL byte: this is not a text inventory')
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue
    if (trimmed.startsWith('[')) {
      const m = SECTION.exec(trimmed)
      if (!m) b.fail(line, `invalid section header ${JSON.stringify(trimmed)} (expected [group], [group:vars] or [group:children])`)
      const kind = (m[2] ?? 'hosts') as 'hosts' | 'vars' | 'children'
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') b.fail(line, `section [${m[1]}:${kind}] has an unknown type "${kind}" (expected vars or children)`)
      group = m[1]!
      state = kind
      b.group(group, line)
      continue
    }
    if (state === 'hosts') hostLine(b, trimmed, group, line)
    else if (state === 'vars') {
      const eq = trimmed.indexOf('=')
      if (eq <= 0) b.fail(line, `expected key=value in [${group}:vars], got ${JSON.stringify(trimmed)}`)
      const key = trimmed.slice(0, eq).trim()
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) b.fail(line, `"${key}" is not a variable name`)
      b.group(group, line).vars.set(key, {value: iniValue(unquote(trimmed.slice(eq + 1).trim())), line})
    } else {
      if (/\s/.test(trimmed)) b.fail(line, `expected one group name in [${group}:children], got ${JSON.stringify(trimmed)}`)
      b.group(trimmed, line)
      b.addChild(group, trimmed, line)
    }
  }
  return b.build('ansible-ini')
}

function hostLine(b: InventoryBuilder, text: string, group: string, line: number): void {
  let tokens: string[]
  try {
    tokens = shellSplit(text)
  } catch (error) {
    b.fail(line, (error as Error).message)
  }
  if (tokens.length === 0) return
  const [pattern, ...assignments] = tokens as [string, ...string[]]
  const {names, port} = hostPattern(b, pattern, line)
  const vars: Array<[string, unknown]> = []
  for (const token of assignments) {
    const eq = token.indexOf('=')
    if (eq <= 0) b.fail(line, `expected key=value after the host name, got ${JSON.stringify(token)}`)
    const key = token.slice(0, eq)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) b.fail(line, `"${key}" is not a variable name`)
    vars.push([key, iniValue(token.slice(eq + 1))])
  }
  for (const name of names) {
    const host = b.host(name, line, port)
    b.addToGroup(name, group, line)
    for (const [key, value] of vars) host.vars.set(key, {value, line})
  }
}

/** `name`, `name:port`, `[v6]:port`, with ranges expanded. */
export function hostPattern(b: InventoryBuilder, pattern: string, line: number): {names: string[]; port?: number} {
  let body = pattern
  let port: number | undefined
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(pattern)
  if (v6) {
    body = v6[1]!
    if (v6[2]) port = Number(v6[2])
  } else {
    const m = /^(.*):(\d+)$/.exec(pattern)
    if (m && !m[1]!.replace(/\[[^\]]*\]/g, '').includes(':') && m[1] !== '') {
      body = m[1]!
      port = Number(m[2])
    }
  }
  if (port !== undefined && (port < 1 || port > 65535)) b.fail(line, `port ${port} in "${pattern}" is out of range`)
  let names: string[]
  try {
    names = v6 ? [body] : expandHostRange(body)
  } catch (error) {
    if (error instanceof HostRangeError) b.fail(line, error.message)
    throw error
  }
  for (const name of names) {
    if (!EXPANDED_NAME.test(name)) b.fail(line, `"${name}" is not a valid host name`)
  }
  return {names, ...(port !== undefined ? {port} : {})}
}

/** Ansible reads INI values as Python literals when they are one: numbers and booleans; otherwise strings. */
function iniValue(text: string): unknown {
  if (/^-?\d+$/.test(text) && text.length < 16) return Number(text)
  if (text === 'True' || text === 'true') return true
  if (text === 'False' || text === 'false') return false
  return text
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0]) return text.slice(1, -1)
  return text
}

/** POSIX shell word splitting as Python's shlex(posix=True, comments=True) does it. */
export function shellSplit(text: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else if (c === '#') {
      break
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) throw new Error('no closing quotation')
      word += text.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      let closed = false
      while (i < text.length) {
        const d = text[i]!
        if (d === '"') {
          closed = true
          i++
          break
        }
        if (d === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) {
          word += text[i + 1]
          i += 2
          continue
        }
        word += d
        i++
      }
      if (!closed) throw new Error('no closing quotation')
      inWord = true
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('no escaped character after a backslash')
      word += text[i + 1]
      inWord = true
      i += 2
    } else {
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}
