/**
 * The inventory model every format parser fills in (kdumpcheck YAML, Ansible INI and YAML, a --hosts list),
 * and its resolution into hosts with their transitive groups and merged variables. Kept apart from
 * inventory.ts (which picks and loads a parser) so that the parsers do not import the module that loads them.
 */
import {InputError} from '../errors.js'
import {parseSshTarget} from '../sources/ssh.js'

export interface InventoryHost {
  /** The inventory name: what results, summaries and `--limit` use. */
  name: string
  /** What ssh connects to (an ssh_config alias, a DNS name or an address); the name when not given. */
  address: string
  port?: number
  user?: string
  /** Every group the host is in, directly or through `children`, with `all` and (when in no other group) `ungrouped`. */
  groups: string[]
  vars: Record<string, unknown>
  /** Run the collector with `sudo -n` (ansible_become). */
  sudo?: boolean
  /** ssh -o options this host needs (IdentityFile from ansible_ssh_private_key_file). */
  sshOptions?: string[]
  /** `file:line` where the host was defined. */
  definedAt: string
}

export interface Inventory {
  source: string
  format: 'kdumpcheck-yaml' | 'ansible-ini' | 'ansible-yaml' | 'list'
  hosts: InventoryHost[]
  /** Every group name, `all` and `ungrouped` included. */
  groups: string[]
}

export interface VarDef {
  value: unknown
  line: number
}

interface GroupDraft {
  name: string
  line: number
  children: Map<string, number>
  vars: Map<string, VarDef>
}

interface HostDraft {
  name: string
  line: number
  port?: number
  groups: Set<string>
  vars: Map<string, VarDef>
}

/** What the format parsers fill in. */
export class InventoryBuilder {
  readonly groups = new Map<string, GroupDraft>()
  readonly hosts = new Map<string, HostDraft>()

  constructor(readonly file: string) {
    this.group('all', 0)
    this.group('ungrouped', 0)
  }

  fail(line: number, message: string): never {
    throw new InputError(`${this.file}:${line}: ${message}`)
  }

  group(name: string, line: number): GroupDraft {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) this.fail(line, `"${name}" is not a valid group name (letters, digits, _ . -)`)
    let group = this.groups.get(name)
    if (!group) {
      group = {name, line, children: new Map(), vars: new Map()}
      this.groups.set(name, group)
    }
    return group
  }

  host(name: string, line: number, port?: number): HostDraft {
    let host = this.hosts.get(name)
    if (!host) {
      host = {name, line, groups: new Set(), vars: new Map()}
      this.hosts.set(name, host)
    }
    // `host:port` is the host's own ansible_port (Ansible reads it so): it beats any group's.
    if (port !== undefined) host.vars.set('ansible_port', {value: port, line})
    return host
  }

  addToGroup(hostName: string, groupName: string, line: number): void {
    this.group(groupName, line)
    this.hosts.get(hostName)!.groups.add(groupName)
  }

  addChild(parent: string, child: string, line: number): void {
    if (child === 'all') this.fail(line, `group "all" cannot be a child of "${parent}"`)
    this.group(parent, line).children.set(child, line)
    this.group(child, line)
  }

  /** Resolves groups and variables into hosts. */
  build(format: Inventory['format']): Inventory {
    const ancestors = this.ancestorsByGroup()
    const depth = new Map<string, number>()
    const depthOf = (group: string): number => {
      if (group === 'all') return 0
      const known = depth.get(group)
      if (known !== undefined) return known
      const parents = this.parentsOf(group)
      const d = 1 + Math.max(0, ...parents.map(depthOf))
      depth.set(group, d)
      return d
    }
    const hosts: InventoryHost[] = []
    for (const draft of this.hosts.values()) {
      const direct = [...draft.groups].filter((g) => g !== 'all')
      if (direct.length === 0) direct.push('ungrouped')
      const all = new Set<string>(['all'])
      for (const g of direct) {
        all.add(g)
        for (const a of ancestors.get(g) ?? []) all.add(a)
      }
      if (direct.every((g) => g === 'ungrouped')) all.add('ungrouped')
      else all.delete('ungrouped')
      // Ansible's order: shallow groups first (all), deeper ones override, ties by name; host vars last.
      const ordered = [...all].sort((a, b) => depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0))
      const merged = new Map<string, VarDef>()
      for (const g of ordered) for (const [k, v] of this.groups.get(g)?.vars ?? []) merged.set(k, v)
      for (const [k, v] of draft.vars) merged.set(k, v)
      hosts.push(this.resolveHost(draft, [...all].sort(), merged))
    }
    hosts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return {source: this.file, format, hosts, groups: [...this.groups.keys()].sort()}
  }

  private parentsOf(group: string): string[] {
    const parents: string[] = []
    for (const g of this.groups.values()) if (g.children.has(group)) parents.push(g.name)
    return parents
  }

  /** Every group's ancestors, refusing a cycle (a group that is its own ancestor) by the line that closes it. */
  private ancestorsByGroup(): Map<string, Set<string>> {
    const result = new Map<string, Set<string>>()
    const visiting = new Set<string>()
    const visit = (group: string): Set<string> => {
      const done = result.get(group)
      if (done) return done
      if (visiting.has(group)) {
        const closing = [...this.groups.values()].find((g) => g.children.has(group) && visiting.has(g.name))
        this.fail(closing?.children.get(group) ?? 0, `group "${group}" is its own ancestor (a cycle in children)`)
      }
      visiting.add(group)
      const set = new Set<string>()
      for (const parent of this.parentsOf(group)) {
        set.add(parent)
        for (const a of visit(parent)) set.add(a)
      }
      visiting.delete(group)
      result.set(group, set)
      return set
    }
    for (const group of this.groups.keys()) visit(group)
    return result
  }

  private resolveHost(draft: HostDraft, groups: string[], vars: Map<string, VarDef>): InventoryHost {
    const first = (...names: string[]): [string, VarDef] | undefined => {
      for (const name of names) {
        const v = vars.get(name)
        if (v !== undefined && v.value !== null && v.value !== undefined && v.value !== '') return [name, v]
      }
      return undefined
    }
    const text = (value: unknown): string => (typeof value === 'string' ? value : String(value))
    const hostVar = first('ansible_host', 'ansible_ssh_host', 'address')
    const address = hostVar ? text(hostVar[1].value) : draft.name
    const what = hostVar ? `${hostVar[0]} ` : ''
    try {
      parseSshTarget(address.includes(':') && !address.startsWith('[') ? `[${address}]` : address)
    } catch {
      this.fail(hostVar ? hostVar[1].line : draft.line, `host "${draft.name}": ${what}"${address}" is not a host name or address`)
    }
    let port = draft.port
    const portVar = first('ansible_port', 'ansible_ssh_port', 'port')
    if (portVar) {
      const raw = text(portVar[1].value).trim()
      const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN
      if (!(n >= 1 && n <= 65535)) this.fail(portVar[1].line, `host "${draft.name}": ${portVar[0]} "${raw}" is not a port (1-65535)`)
      port = n
    }
    const userVar = first('ansible_user', 'ansible_ssh_user', 'user')
    let user: string | undefined
    if (userVar) {
      user = text(userVar[1].value)
      if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(user)) this.fail(userVar[1].line, `host "${draft.name}": ${userVar[0]} "${user}" is not a user name`)
    }
    const keyVar = first('ansible_ssh_private_key_file', 'ansible_private_key_file')
    const become = first('ansible_become', 'ansible_sudo')
    const sudo = become ? truthy(become[1].value) : undefined
    if (become && sudo === undefined) this.fail(become[1].line, `host "${draft.name}": ${become[0]} "${text(become[1].value)}" is not true or false`)
    const plain: Record<string, unknown> = {}
    for (const [k, v] of [...vars].sort(([a], [b]) => (a < b ? -1 : 1))) plain[k] = v.value
    return {
      name: draft.name,
      address,
      ...(port !== undefined ? {port} : {}),
      ...(user ? {user} : {}),
      groups,
      vars: plain,
      ...(sudo && user !== 'root' ? {sudo: true} : {}),
      ...(keyVar ? {sshOptions: [`IdentityFile=${text(keyVar[1].value)}`]} : {}),
      definedAt: `${this.file}:${draft.line}`,
    }
  }
}

export function truthy(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  const t = String(value).trim().toLowerCase()
  if (['true', 'yes', 'on', '1', 'y', 't'].includes(t)) return true
  if (['false', 'no', 'off', '0', 'n', 'f'].includes(t)) return false
  return undefined
}
