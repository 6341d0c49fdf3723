/**
 * Fleet inventories: kdumpcheck's own YAML (`hosts:` with name/address/port/user/groups/vars), Ansible
 * INI and YAML inventories (groups, children, `ansible_host`/`ansible_port`/`ansible_user`), and a
 * plain `--hosts a,b,c` list. Every format is read into one builder, then resolved into hosts with
 * their transitive groups and their variables merged as Ansible does (group depth, then host).
 * Anything wrong is an InputError naming the file and line (exit 2): a fleet scan must not silently
 * skip the half of an inventory it misread.
 */
import path from 'node:path'
import {readBoundedText} from '../util/read-bounded.js'
import {InputError} from '../errors.js'
import {parseSshTarget} from '../sources/ssh.js'
import type {Inventory, InventoryHost} from './inventory-builder.js'

export type {Inventory, InventoryHost} from './inventory-builder.js'

/** Which parser reads this file: by extension, then by its first significant line. */
export function detectFormat(file: string, text: string): 'yaml' | 'ini' {
  const ext = path.extname(file).toLowerCase()
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') return 'yaml'
  if (ext === '.ini' || ext === '.cfg') return 'ini'
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    if (line.startsWith('[')) return 'ini'
    if (line === '---' || line.startsWith('{') || /^[^\s=]+:\s*(#.*)?$/.test(line) || /^[A-Za-z_][\w.-]*:\s+\S/.test(line)) return 'yaml'
    return 'ini'
  }
  return 'ini'
}

/** An inventory of 100,000 hosts fits in a few MiB; a FIFO or /dev/zero is no inventory. */
export const INVENTORY_MAX_BYTES = 64 * 1024 * 1024

export async function loadInventory(file: string): Promise<Inventory> {
  let text: string
  try {
    text = await readBoundedText(file, {maxBytes: INVENTORY_MAX_BYTES, what: 'inventory'})
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(`${file}: cannot read inventory (${(error as Error).message})`)
  }
  return parseInventory(text, file)
}

export async function parseInventory(text: string, file: string): Promise<Inventory> {
  let inventory: Inventory
  if (detectFormat(file, text) === 'yaml') {
    const {parseYamlInventory} = await import('./inventory-yaml.js')
    inventory = await parseYamlInventory(text, file)
  } else {
    const {parseIniInventory} = await import('./inventory-ini.js')
    inventory = parseIniInventory(text, file)
  }
  if (inventory.hosts.length === 0) throw new InputError(`${file}: the inventory names no host`)
  return inventory
}

/** `--hosts a,root@b,c:2222`: each item `[user@]host[:port]`, named as written. */
export function inventoryFromList(list: string): Inventory {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length === 0) throw new InputError('--hosts: expected a comma-separated list of [user@]host[:port]')
  const seen = new Set<string>()
  const hosts: InventoryHost[] = []
  for (const [i, item] of items.entries()) {
    let target
    try {
      target = parseSshTarget(item)
    } catch (error) {
      throw new InputError(`--hosts item ${i + 1}: ${(error as Error).message.replace(/^--ssh /, '')}`)
    }
    if (seen.has(item)) continue
    seen.add(item)
    hosts.push({
      name: item,
      address: target.host,
      ...(target.port ? {port: target.port} : {}),
      ...(target.user ? {user: target.user} : {}),
      groups: ['all', 'ungrouped'],
      vars: {},
      definedAt: `--hosts:${i + 1}`,
    })
  }
  return {source: '--hosts', format: 'list', hosts, groups: ['all', 'ungrouped']}
}
