/** Inventory parsers: real-world samples of each format, errors that name file and line, and garbage that never crashes. */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/errors.js'
import {expandHostRange} from '../../src/scan/host-range.js'
import {shellSplit} from '../../src/scan/inventory-ini.js'
import {detectFormat, inventoryFromList, parseInventory, type Inventory} from '../../src/scan/inventory.js'
import {applyLimit} from '../../src/scan/limit.js'

const byName = (inv: Inventory) => new Map(inv.hosts.map((h) => [h.name, h]))

async function failure(text: string, file: string): Promise<string> {
  try {
    await parseInventory(text, file)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

// A typical Ansible INI inventory of a Xen fleet (shapes from Ansible's docs and real ops repos).
const INI = `# dom0s, by site
dom0-legacy.example.net ansible_host=192.0.2.10

[fra1]
dom0-[01:03].fra1.example.net
dom0-99.fra1.example.net ansible_host=192.0.2.99 ansible_port=2222 ansible_user=ops ansible_become=true

[ams1]
dom0-a.ams1.example.net:2200 ansible_user="ops user" # a comment
dom0-b.ams1.example.net ansible_ssh_private_key_file=/keys/ams1

[xen:children]
fra1
ams1

[xen:vars]
ansible_user=root

[ams1:vars]
ansible_port = 22
`

describe('Ansible INI inventories', () => {
  it('reads hosts, ranges, ports, users, become, key files, groups and children', async () => {
    const inv = await parseInventory(INI.replace('"ops user"', 'ops'), 'hosts')
    expect(inv.format).toBe('ansible-ini')
    const h = byName(inv)
    expect([...h.keys()]).toEqual([
      'dom0-01.fra1.example.net',
      'dom0-02.fra1.example.net',
      'dom0-03.fra1.example.net',
      'dom0-99.fra1.example.net',
      'dom0-a.ams1.example.net',
      'dom0-b.ams1.example.net',
      'dom0-legacy.example.net',
    ])
    expect(h.get('dom0-legacy.example.net')).toMatchObject({address: '192.0.2.10', groups: ['all', 'ungrouped']})
    expect(h.get('dom0-01.fra1.example.net')).toMatchObject({address: 'dom0-01.fra1.example.net', user: 'root', groups: ['all', 'fra1', 'xen']})
    expect(h.get('dom0-01.fra1.example.net')!.port).toBeUndefined()
    expect(h.get('dom0-99.fra1.example.net')).toMatchObject({address: '192.0.2.99', port: 2222, user: 'ops', sudo: true})
    // The host's own port wins over its group's vars; the group var applies where the host set none.
    expect(h.get('dom0-a.ams1.example.net')).toMatchObject({port: 2200, user: 'ops'})
    expect(h.get('dom0-b.ams1.example.net')).toMatchObject({port: 22, sshOptions: ['IdentityFile=/keys/ams1']})
    expect(h.get('dom0-b.ams1.example.net')!.definedAt).toBe('hosts:10')
  })

  it('names the file and line of every mistake', async () => {
    expect(await failure('[fra1\nhost1\n', 'inv.ini')).toMatch(/^inv\.ini:1: invalid section header/)
    expect(await failure('[fra1:hosts2]\n', 'inv.ini')).toMatch(/^inv\.ini:1: section \[fra1:hosts2\] has an unknown type/)
    expect(await failure('[a]\nh1 ansible_port\n', 'inv.ini')).toMatch(/^inv\.ini:2: expected key=value/)
    expect(await failure('[a]\nh1\n[a:vars]\nnovalue\n', 'inv.ini')).toMatch(/^inv\.ini:4: expected key=value/)
    expect(await failure('[a]\nh1 ansible_port=abc\n', 'inv.ini')).toMatch(/^inv\.ini:2: host "h1": ansible_port "abc" is not a port/)
    expect(await failure('[a]\nh1\n[a:vars]\nansible_port=99999\n', 'inv.ini')).toMatch(/^inv\.ini:4: host "h1": ansible_port "99999"/)
    expect(await failure('[a]\nh1 ansible_user="x y\n', 'inv.ini')).toMatch(/^inv\.ini:2: no closing quotation/)
    expect(await failure('[a]\nh[5:1]\n', 'inv.ini')).toMatch(/^inv\.ini:2: bad host range/)
    expect(await failure('[a]\n-oProxyCommand=x\n', 'inv.ini')).toMatch(/^inv\.ini:2: "-oProxyCommand=x" is not a valid host name/)
    expect(await failure('[a:children]\nb\n[b:children]\na\n[b]\nh\n', 'inv.ini')).toMatch(/^inv\.ini:\d: group "\w" is its own ancestor/)
    expect(await failure('[a]\nh1 ansible_host=-oProxyCommand=x\n', 'inv.ini')).toMatch(/^inv\.ini:2: host "h1": ansible_host "-oProxyCommand=x" is not a host name/)
    expect(await failure('# nothing\n', 'inv.ini')).toMatch(/^inv\.ini: the inventory names no host/)
  })

  it('splits host lines as a POSIX shell does, comments included', () => {
    expect(shellSplit(`h a=1 b='two words' c="x\\"y" d=e#f # rest`)).toEqual(['h', 'a=1', 'b=two words', 'c=x"y', 'd=e'])
  })
})

describe('Ansible YAML inventories', () => {
  const YAML = `all:
  vars:
    ansible_user: root
  hosts:
    dom0-legacy.example.net:
      ansible_host: 192.0.2.10
  children:
    xen:
      children:
        fra1:
          hosts:
            dom0-[01:02].fra1.example.net:
            dom0-99.fra1.example.net:
              ansible_port: 2222
              ansible_become: yes
          vars:
            ansible_user: ops
        ams1:
          hosts:
            dom0-a.ams1.example.net: {ansible_host: "2001:db8::1"}
`
  it('reads groups, nested children, host vars and group vars with depth precedence', async () => {
    const inv = await parseInventory(YAML, 'inventory.yml')
    expect(inv.format).toBe('ansible-yaml')
    const h = byName(inv)
    expect(h.size).toBe(5)
    expect(h.get('dom0-01.fra1.example.net')).toMatchObject({user: 'ops', groups: ['all', 'fra1', 'xen']})
    expect(h.get('dom0-99.fra1.example.net')).toMatchObject({port: 2222, sudo: true, user: 'ops'})
    expect(h.get('dom0-legacy.example.net')).toMatchObject({address: '192.0.2.10', user: 'root', groups: ['all', 'ungrouped']})
    expect(h.get('dom0-a.ams1.example.net')).toMatchObject({address: '2001:db8::1', user: 'root'})
    expect(inv.groups).toEqual(['all', 'ams1', 'fra1', 'ungrouped', 'xen'])
  })

  it('names the line of a mistake', async () => {
    expect(await failure('all:\n  hosts:\n    - h1\n', 'inv.yml')).toMatch(/^inv\.yml:2: all\.hosts: expected a mapping of host names/)
    expect(await failure('all:\n  children:\n    g:\n      host:\n        h1:\n', 'inv.yml')).toMatch(/^inv\.yml:4: group "g": unknown key "host"/)
    expect(await failure('all:\n  hosts:\n    h1:\n      ansible_port: http\n', 'inv.yml')).toMatch(/^inv\.yml:4: host "h1": ansible_port "http" is not a port/)
    expect(await failure('all:\n  hosts: [\n', 'inv.yml')).toMatch(/^inv\.yml:\d+: not valid YAML/)
    expect(await failure('all:\n  hosts:\n    h1:\n    h1:\n', 'inv.yml')).toMatch(/^inv\.yml:[34]: not valid YAML \(Map keys must be unique/)
  })
})

describe('kdumpcheck YAML inventories', () => {
  const YAML = `defaults:
  user: root
hosts:
  - name: dom0-01
    address: 192.0.2.1
    groups: [fra1, rhel7]
  - name: dom0-02
    port: 2222
    user: ops
    groups: fra1
    vars: {ansible_become: true, rack: r12}
  - dom0-03
`
  it('reads hosts with name, address, port, user, groups and vars', async () => {
    const inv = await parseInventory(YAML, 'fleet.yaml')
    expect(inv.format).toBe('kdumpcheck-yaml')
    const h = byName(inv)
    expect(h.get('dom0-01')).toMatchObject({address: '192.0.2.1', user: 'root', groups: ['all', 'fra1', 'rhel7']})
    expect(h.get('dom0-02')).toMatchObject({address: 'dom0-02', port: 2222, user: 'ops', sudo: true, vars: expect.objectContaining({rack: 'r12'})})
    expect(h.get('dom0-03')).toMatchObject({user: 'root', groups: ['all', 'ungrouped'], definedAt: 'fleet.yaml:12'})
  })

  it('names the line of a mistake', async () => {
    expect(await failure('hosts:\n  - name: a\n    adress: x\n', 'f.yaml')).toMatch(/^f\.yaml:3: hosts\[0\]: unknown key "adress"/)
    expect(await failure('hosts:\n  - name: a\n  - name: a\n', 'f.yaml')).toMatch(/^f\.yaml:3: hosts\[1\]: host "a" is already defined on line 2/)
    expect(await failure('hosts:\n  - address: x\n', 'f.yaml')).toMatch(/^f\.yaml:2: hosts\[0\]: a host needs a name/)
    expect(await failure('hosts:\n  - name: a\n    port: 0\n', 'f.yaml')).toMatch(/^f\.yaml:3: host "a": port "0" is not a port/)
    expect(await failure('hosts:\n  - name: a\n    user: "-oX"\n', 'f.yaml')).toMatch(/^f\.yaml:3: host "a": user "-oX" is not a user name/)
    expect(await failure('hosts:\n  - [a]\n', 'f.yaml')).toMatch(/^f\.yaml:2: hosts\[0\]: expected a host name or a mapping/)
    expect(await failure('hostz:\n  - a\n', 'f.yaml')).toMatch(/^f\.yaml:2: group "hostz": expected a mapping/)
  })
})

describe('format detection, --hosts and ranges', () => {
  it('tells INI from YAML by extension, then by content', () => {
    expect(detectFormat('hosts', '[web]\nh1\n')).toBe('ini')
    expect(detectFormat('hosts', '# c\nall:\n  hosts:\n')).toBe('yaml')
    expect(detectFormat('hosts', 'h1 ansible_host=x\n')).toBe('ini')
    expect(detectFormat('x.yml', '[web]')).toBe('yaml')
  })

  it('--hosts takes [user@]host[:port] items and refuses option-like names', () => {
    const inv = inventoryFromList('root@dom0-1, dom0-2:2222,dom0-2:2222')
    expect(inv.hosts.map((h) => [h.name, h.address, h.user, h.port])).toEqual([
      ['root@dom0-1', 'dom0-1', 'root', undefined],
      ['dom0-2:2222', 'dom0-2', undefined, 2222],
    ])
    expect(() => inventoryFromList('-oProxyCommand=x')).toThrow(InputError)
    expect(() => inventoryFromList(' , ')).toThrow(/expected a comma-separated list/)
  })

  it('expands numeric (padded), alphabetic and stepped ranges, and refuses huge ones', () => {
    expect(expandHostRange('d[08:11].x')).toEqual(['d08.x', 'd09.x', 'd10.x', 'd11.x'])
    expect(expandHostRange('n[a:c][1:2]')).toEqual(['na1', 'na2', 'nb1', 'nb2', 'nc1', 'nc2'])
    expect(expandHostRange('w[0:10:5]')).toEqual(['w0', 'w5', 'w10'])
    expect(() => expandHostRange('h[0:99999999]')).toThrow(/more than/)
  })
})

describe('--limit', () => {
  it('selects hosts and groups with globs, exclusions and intersections', async () => {
    const inv = await parseInventory(INI.replace('"ops user"', 'ops'), 'hosts')
    const names = (pattern: string) => applyLimit(inv.hosts, pattern).map((h) => h.name)
    expect(names('fra1')).toHaveLength(4)
    expect(names('xen,!dom0-0[12]*')).toEqual(['dom0-03.fra1.example.net', 'dom0-99.fra1.example.net', 'dom0-a.ams1.example.net', 'dom0-b.ams1.example.net'])
    expect(names('dom0-*,&ams1')).toEqual(['dom0-a.ams1.example.net', 'dom0-b.ams1.example.net'])
    expect(names('192.0.2.10')).toEqual(['dom0-legacy.example.net'])
    expect(names('~^dom0-9')).toEqual(['dom0-99.fra1.example.net'])
    expect(names('ungrouped')).toEqual(['dom0-legacy.example.net'])
    expect(() => names('nosuchgroup')).toThrow(/matches no host/)
    expect(() => names('~(')).toThrow(/not a regular expression/)
  })
})

describe('garbage inventories', () => {
  it('are read or refused with an InputError, never a crash', async () => {
    const line = fc.oneof(
      fc.string({maxLength: 40}),
      fc.constantFrom('[g]', '[g:vars]', '[g:children]', 'all:', '  hosts:', '    h1:', '- name: x', 'hosts:', 'h[1:3] a=1', '  - h', 'x: [', '"', "'"),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(line, {maxLength: 12}), fc.constantFrom('inv', 'inv.ini', 'inv.yaml'), async (lines, file) => {
        try {
          const inv = await parseInventory(lines.join('\n'), file)
          for (const host of inv.hosts) expect(host.address.startsWith('-')).toBe(false)
        } catch (error) {
          if (!(error instanceof InputError)) throw error
          expect((error as Error).message.startsWith(file)).toBe(true)
        }
      }),
      {numRuns: 400},
    )
  })
})
