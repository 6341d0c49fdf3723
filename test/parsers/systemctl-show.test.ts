import {describe, expect, it} from 'vitest'
import {parseSystemctlShow, unitState} from '../../src/parsers/systemctl-show.js'
import {neverThrows, value} from './never-throws.js'

const PROBE_UNITS = ['kdump.service', 'kdump-tools.service']

// RHEL 8 (systemd 239): kdump enabled and its oneshot start done; kdump-tools does not exist.
const RHEL8 = `Result=success
Id=kdump.service
LoadState=loaded
ActiveState=active
SubState=exited
UnitFileState=enabled

Result=success
Id=kdump-tools.service
LoadState=not-found
ActiveState=inactive
SubState=dead
UnitFileState=
`

// RHEL 7 (systemd 219) after kdumpctl failed at boot (for example no crashkernel= reserved).
const RHEL7_FAILED = `Id=kdump.service
LoadState=loaded
ActiveState=failed
SubState=failed
Result=exit-code
UnitFileState=enabled

Id=kdump-tools.service
LoadState=not-found
ActiveState=inactive
SubState=dead
Result=success
UnitFileState=
`

// Debian 12 (systemd 252): kdump-tools enabled and active; no kdump.service.
const DEBIAN12 = `Result=success
Id=kdump.service
LoadState=not-found
ActiveState=inactive
SubState=dead
UnitFileState=

Result=success
Id=kdump-tools.service
LoadState=loaded
ActiveState=active
SubState=exited
UnitFileState=enabled
`

describe('parseSystemctlShow', () => {
  it('reads RHEL 8: enabled and active, and a unit that does not exist', () => {
    const units = value(parseSystemctlShow(RHEL8))
    expect(units).toHaveLength(2)
    expect(units[0]).toEqual({
      name: 'kdump.service',
      id: 'kdump.service',
      loadState: 'loaded',
      activeState: 'active',
      subState: 'exited',
      unitFileState: 'enabled',
      result: 'success',
      properties: expect.objectContaining({Id: 'kdump.service', Result: 'success'}),
      exists: true,
      enabled: true,
      active: true,
      line: 1,
    })
    expect(units[1]).toMatchObject({name: 'kdump-tools.service', exists: false, unitFileState: '', active: false, line: 8})
    expect(units[1]!.enabled).toBeUndefined()
  })

  it('reads values a paste padded with blanks as the clean ones (issue 11: formatting never matters)', () => {
    const padded = value(parseSystemctlShow(RHEL8.replace(/\n/g, '  \n')))
    expect(padded.map(({properties, ...rest}) => rest)).toEqual(value(parseSystemctlShow(RHEL8)).map(({properties, ...rest}) => rest))
    expect(padded[0]).toMatchObject({unitFileState: 'enabled', enabled: true, active: true})
  })

  it('reads a failed start on RHEL 7, properties in another order', () => {
    const kdump = unitState(value(parseSystemctlShow(RHEL7_FAILED)), 'kdump')!
    expect(kdump).toMatchObject({activeState: 'failed', subState: 'failed', result: 'exit-code', enabled: true, active: false, exists: true})
  })

  it('reads Debian 12 kdump-tools', () => {
    const units = value(parseSystemctlShow(DEBIAN12))
    expect(unitState(units, 'kdump-tools.service')).toMatchObject({enabled: true, active: true, line: 8})
    expect(unitState(units, 'kdump')).toMatchObject({exists: false})
    expect(unitState(units, 'kdump-foo')).toBeUndefined()
  })

  it('reads disabled, masked and static units', () => {
    const units = value(
      parseSystemctlShow('Id=kdump.service\nLoadState=masked\nActiveState=inactive\nUnitFileState=masked\n\nId=a.service\nUnitFileState=disabled\n\nId=b.service\nUnitFileState=static\n'),
    )
    expect(units.map((u) => [u.name, u.exists, u.enabled])).toEqual([
      ['kdump.service', true, false],
      ['a.service', undefined, false],
      ['b.service', undefined, undefined],
    ])
  })

  it('names blocks without Id by the units asked for, and splits blocks on a repeated key', () => {
    const units = value(parseSystemctlShow('LoadState=loaded\nActiveState=active\nLoadState=not-found\nActiveState=inactive\n', '', {units: PROBE_UNITS}))
    expect(units.map((u) => [u.name, u.loadState, u.line])).toEqual([
      ['kdump.service', 'loaded', 1],
      ['kdump-tools.service', 'not-found', 3],
    ])
  })

  it('keeps values with = and reports other lines', () => {
    const r = parseSystemctlShow('Id=kdump.service\nExecStart={ path=/usr/bin/kdumpctl ; argv[]=/usr/bin/kdumpctl start }\ngarbage\n')
    expect(value(r)[0]!.properties.ExecStart).toBe('{ path=/usr/bin/kdumpctl ; argv[]=/usr/bin/kdumpctl start }')
    expect(r.problems).toEqual([{line: 3, message: 'not a KEY=VALUE line: garbage'}])
  })

  it('has no evidence when systemctl could not run', () => {
    const r = parseSystemctlShow('', 'System has not been booted with systemd as init system (PID 1). Can\'t operate.\nFailed to connect to bus: Host is down\n')
    expect(r).toEqual({ok: false, problems: [{message: "systemctl show printed no units: System has not been booted with systemd as init system (PID 1). Can't operate."}]})
    expect(parseSystemctlShow('')).toEqual({ok: true, value: [], problems: [{message: 'systemctl show printed no units'}]})
  })

  it('never throws', () => neverThrows([RHEL8, RHEL7_FAILED, DEBIAN12], (t) => parseSystemctlShow(t, '', {units: PROBE_UNITS})))
})
