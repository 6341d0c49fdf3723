/** systemd presets (issue 11 class 5): parsed as systemd.preset(5) says, on a distribution's real preset file. */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parsePresets, presetFor} from '../../src/parsers/systemd-preset.js'
import {neverThrows, value} from './never-throws.js'

// EuroLinux 9's /usr/lib/systemd/system-preset/90-default.preset, as found (fixtures/real-world/el9-preset-enables-kdump).
const EL9 = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/real-world/el9-preset-enables-kdump/root/usr/lib/systemd/system-preset/90-default.preset'), 'utf8')
const USR = '/usr/lib/systemd/system-preset'

describe('parsePresets', () => {
  it('reads EL9\'s 90-default.preset: kdump.service is enabled, globs like atd.* match', () => {
    const rules = value(parsePresets([{path: `${USR}/90-default.preset`, text: EL9}]))
    expect(presetFor(rules, 'kdump.service')).toMatchObject({action: 'enable', pattern: 'kdump.service', path: `${USR}/90-default.preset`})
    expect(presetFor(rules, 'atd.service')).toMatchObject({action: 'enable', pattern: 'atd.*'})
    expect(presetFor(rules, 'systemd-resolved.service')).toMatchObject({action: 'disable'})
    expect(presetFor(rules, 'kdump-tools.service')).toBeUndefined()
  })

  it('reads files sorted by name, the first matching line wins, and /etc masks a file of the same name', () => {
    const rules = value(
      parsePresets([
        {path: `${USR}/99-default.preset`, text: 'disable *\n'},
        {path: `${USR}/90-default.preset`, text: '; vendor\nenable kdump.service\n'},
        {path: '/etc/systemd/system-preset/90-default.preset', text: '# the admin\ndisable kdump.service\n'},
      ]),
    )
    expect(presetFor(rules, 'kdump.service')).toMatchObject({action: 'disable', path: '/etc/systemd/system-preset/90-default.preset', line: 2})
    expect(presetFor(rules, 'sshd.service')).toMatchObject({action: 'disable', pattern: '*', path: `${USR}/99-default.preset`})
  })

  it('an earlier file name wins over a later one whatever the directory', () => {
    const rules = value(parsePresets([{path: '/etc/systemd/system-preset/95-local.preset', text: 'disable kdump.service\n'}, {path: `${USR}/90-default.preset`, text: 'enable kdump.service\n'}]))
    expect(presetFor(rules, 'kdump.service')?.action).toBe('enable')
  })

  it('reports what is not a preset line and keeps the rest', () => {
    const r = parsePresets([{path: `${USR}/1.preset`, text: 'enable\nfrobnicate x.service\nenable kdump.service extra words\n'}])
    expect(r.ok && presetFor(r.value, 'kdump.service')?.action).toBe('enable')
    expect(r.problems).toHaveLength(2)
  })

  it('never throws, whatever the bytes', () => {
    neverThrows([EL9, 'enable *\n', 'disable [\n'], (text) => parsePresets([{path: `${USR}/x.preset`, text}]))
  })
})
