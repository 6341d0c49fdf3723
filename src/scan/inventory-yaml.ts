/**
 * YAML inventories, read from the YAML syntax tree so that every error names its line.
 *
 * kdumpcheck's own form (a top-level `hosts:` list):
 *
 *   defaults: {user: root, port: 22}          # optional
 *   hosts:
 *     - name: dom0-01.fra1
 *       address: 10.1.0.1                    # optional: the name (or an ssh_config alias) otherwise
 *       port: 2222
 *       user: ops
 *       groups: [fra1, rhel7]
 *       vars: {ansible_become: true}
 *     - dom0-02.fra1                          # a bare name
 *
 * Ansible's YAML inventory (top-level groups, usually `all:`, each with `hosts`, `vars`, `children`):
 *
 *   all:
 *     vars: {ansible_user: root}
 *     children:
 *       fra1:
 *         hosts:
 *           dom0-[01:40].fra1:
 *           dom0-99.fra1: {ansible_host: 10.1.0.99, ansible_port: 2222}
 */
import {isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap} from 'yaml'
import {InputError} from '../errors.js'
import {hostPattern} from './inventory-ini.js'
import {InventoryBuilder, type Inventory} from './inventory-builder.js'

/** Bounds the walk of a document full of aliases (a "billion laughs" inventory). */
const NODE_BUDGET = 1_000_000

export async function parseYamlInventory(text: string, file: string): Promise<Inventory> {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!
    const line = error.linePos?.[0]?.line
    throw new InputError(`${file}${line ? `:${line}` : ''}: not valid YAML (${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`)
  }
  const b: InventoryBuilder = new InventoryBuilder(file)
  let budget = NODE_BUDGET
  const lineOf = (node: unknown): number => {
    const range = (node as {range?: [number, number, number]} | null)?.range
    return range ? lineCounter.linePos(range[0]).line : 1
  }
  const resolve = (node: unknown): unknown => {
    if (--budget < 0) throw new InputError(`${file}: the inventory is too large or expands aliases too far`)
    return isAlias(node) ? (node as {resolve(d: Document): Node | undefined}).resolve(doc) : node
  }
  const toJS = (node: unknown): unknown => {
    const n = resolve(node)
    if (n === null || n === undefined) return null
    try {
      return (n as Node).toJS(doc, {maxAliasCount: 100})
    } catch (error) {
      return b.fail(lineOf(n), `cannot read this value (${(error as Error).message})`)
    }
  }
  const keyText = (key: unknown, where: string): string => {
    const k = resolve(key)
    if (!isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number')) b.fail(lineOf(k), `${where}: expected a plain name as the key`)
    return String(k.value)
  }
  const mapping = (node: unknown, where: string, line: number): YAMLMap | undefined => {
    const n = resolve(node)
    if (n === null || n === undefined || (isScalar(n) && n.value === null)) return undefined
    if (!isMap(n)) b.fail(lineOf(n) || line, `${where}: expected a mapping`)
    return n
  }
  const setVars = (target: Map<string, {value: unknown; line: number}>, node: unknown, where: string, line: number): void => {
    const map = mapping(node, where, line)
    for (const pair of map?.items ?? []) {
      const name = keyText(pair.key, where)
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) b.fail(lineOf(pair.key), `${where}: "${name}" is not a variable name`)
      target.set(name, {value: toJS(pair.value), line: lineOf(pair.value) || lineOf(pair.key)})
    }
  }

  const root = resolve(doc.contents)
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) throw new InputError(`${file}: the inventory is empty`)
  if (!isMap(root)) b.fail(lineOf(root), 'expected a mapping at the top level (`hosts:` for a kdumpcheck inventory, or groups such as `all:` for an Ansible one)')
  const top = new Map(root.items.map((pair) => [keyText(pair.key, 'top level'), pair] as const))
  const hostsPair = top.get('hosts')
  if (hostsPair && isSeq(resolve(hostsPair.value))) {
    readKdumpcheckInventory()
    return b.build('kdumpcheck-yaml')
  }
  for (const [name, pair] of top) readGroup(name, pair.value, lineOf(pair.key), [])
  return b.build('ansible-yaml')

  function readKdumpcheckInventory(): void {
    for (const [name, pair] of top) {
      if (name !== 'hosts' && name !== 'defaults') b.fail(lineOf(pair.key), `unknown key "${name}" (expected hosts, defaults)`)
    }
    const defaultsPair = top.get('defaults')
    const all = b.group('all', 0)
    if (defaultsPair) {
      const defaults = mapping(defaultsPair.value, 'defaults', lineOf(defaultsPair.key))
      for (const pair of defaults?.items ?? []) {
        const key = keyText(pair.key, 'defaults')
        if (key === 'vars') setVars(all.vars, pair.value, 'defaults.vars', lineOf(pair.key))
        else if (key === 'user' || key === 'port') all.vars.set(key, {value: toJS(pair.value), line: lineOf(pair.value)})
        else b.fail(lineOf(pair.key), `defaults: unknown key "${key}" (expected user, port, vars)`)
      }
    }
    const list = resolve(hostsPair!.value) as {items: unknown[]}
    const firstLine = new Map<string, number>()
    for (const [i, rawItem] of list.items.entries()) {
      const item = resolve(rawItem)
      const where = `hosts[${i}]`
      const line = lineOf(item)
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
        addNamed(String(item.value), line, where, firstLine)
        continue
      }
      if (!isMap(item)) b.fail(line, `${where}: expected a host name or a mapping with name:`)
      const fields = new Map(item.items.map((pair) => [keyText(pair.key, where), pair] as const))
      for (const [key, pair] of fields) {
        if (!['name', 'address', 'port', 'user', 'groups', 'vars'].includes(key)) {
          b.fail(lineOf(pair.key), `${where}: unknown key "${key}" (expected name, address, port, user, groups, vars)`)
        }
      }
      const namePair = fields.get('name')
      const name = namePair ? toJS(namePair.value) : undefined
      if (typeof name !== 'string' && typeof name !== 'number') b.fail(line, `${where}: a host needs a name`)
      const host = addNamed(String(name), lineOf(namePair!.value), where, firstLine)
      if (fields.has('vars')) setVars(host.vars, fields.get('vars')!.value, `${where}.vars`, line)
      for (const key of ['address', 'port', 'user'] as const) {
        const pair = fields.get(key)
        if (pair) host.vars.set(key, {value: toJS(pair.value), line: lineOf(pair.value) || lineOf(pair.key)})
      }
      const groupsPair = fields.get('groups')
      if (groupsPair) {
        const value = resolve(groupsPair.value)
        const items = isSeq(value) ? value.items.map(resolve) : [value]
        for (const g of items) {
          if (!isScalar(g) || typeof g.value !== 'string') b.fail(lineOf(g) || lineOf(groupsPair.key), `${where}.groups: expected group names`)
          b.addToGroup(host.name, g.value as string, lineOf(g))
        }
      }
    }
  }

  function addNamed(name: string, line: number, where: string, firstLine: Map<string, number>) {
    if (firstLine.has(name)) b.fail(line, `${where}: host "${name}" is already defined on line ${firstLine.get(name)}`)
    const {names, port} = hostPattern(b, name, line)
    if (names.length !== 1) b.fail(line, `${where}: "${name}" is a range; list hosts one by one here (ranges belong in Ansible inventories)`)
    firstLine.set(name, line)
    return b.host(names[0]!, line, port)
  }

  function readGroup(name: string, node: unknown, line: number, path: string[]): void {
    if (path.includes(name)) b.fail(line, `group "${name}" is its own ancestor (a cycle in children)`)
    if (path.length > 100) b.fail(line, 'groups nested too deep')
    b.group(name, line)
    const body = mapping(node, `group "${name}"`, line)
    for (const pair of body?.items ?? []) {
      const key = keyText(pair.key, `group "${name}"`)
      const at = lineOf(pair.key)
      if (key === 'vars') setVars(b.group(name, at).vars, pair.value, `${name}.vars`, at)
      else if (key === 'hosts') {
        const value = resolve(pair.value)
        if (isSeq(value)) b.fail(at, `${name}.hosts: expected a mapping of host names (write "host:" on its own line, not "- host")`)
        const hosts = mapping(value, `${name}.hosts`, at)
        for (const hostPair of hosts?.items ?? []) {
          const pattern = keyText(hostPair.key, `${name}.hosts`)
          const hostLine = lineOf(hostPair.key)
          const {names, port} = hostPattern(b, pattern, hostLine)
          const vars = new Map<string, {value: unknown; line: number}>()
          setVars(vars, hostPair.value, `host "${pattern}"`, hostLine)
          for (const hostName of names) {
            const host = b.host(hostName, hostLine, port)
            b.addToGroup(hostName, name, hostLine)
            for (const [k, v] of vars) host.vars.set(k, v)
          }
        }
      } else if (key === 'children') {
        const children = mapping(pair.value, `${name}.children`, at)
        for (const childPair of children?.items ?? []) {
          const child = keyText(childPair.key, `${name}.children`)
          const childLine = lineOf(childPair.key)
          b.group(child, childLine)
          b.addChild(name, child, childLine)
          readGroup(child, childPair.value, childLine, [...path, name])
        }
      } else {
        b.fail(at, `group "${name}": unknown key "${key}" (expected hosts, vars, children)`)
      }
    }
  }
}
