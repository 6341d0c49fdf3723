import {describe, expect, it} from 'vitest'
import {chkconfigOn, kdumpEnablement, parseChkconfigList, parseLsServices} from '../../src/parsers/chkconfig.js'
import {neverThrows, value} from './never-throws.js'

// RHEL 5/6 `chkconfig --list kdump` (tab-separated).
const RHEL6_ON = 'kdump          \t0:off\t1:off\t2:off\t3:on\t4:on\t5:on\t6:off\n'
const RHEL6_OFF = 'kdump          \t0:off\t1:off\t2:off\t3:off\t4:off\t5:off\t6:off\n'

// RHEL 7 (chkconfig 1.7): kdump is a native systemd unit, so chkconfig only prints its note.
const RHEL7_OUT = `
Note: This output shows SysV services only and does not include native
      systemd services. SysV configuration data might be overridden by native
      systemd configuration.

      If you want to list systemd services use 'systemctl list-unit-files'.
      To see services enabled on particular target use
      'systemctl list-dependencies [target]'.

`
const RHEL7_ERR = 'error reading information on service kdump: No such file or directory\n'

// ls -l /etc/systemd/system/*.wants /etc/rc.d/rc3.d /etc/rc3.d on a RHEL 6 dom0 (coreutils 8.4).
const RHEL6_LS_OUT = `lrwxrwxrwx. 1 root root 10 Jan 12  2017 /etc/rc3.d -> rc.d/rc3.d

/etc/rc.d/rc3.d:
total 0
lrwxrwxrwx. 1 root root 17 Jan 12  2017 K01smartd -> ../init.d/smartd
lrwxrwxrwx. 1 root root 20 Jan 12  2017 K50netconsole -> ../init.d/netconsole
lrwxrwxrwx. 1 root root 17 Jan 12  2017 S10network -> ../init.d/network
lrwxrwxrwx. 1 root root 15 Jan 12  2017 S22kdump -> ../init.d/kdump
lrwxrwxrwx. 1 root root 11 Jan 12  2017 S99local -> ../rc.local
`
const RHEL6_LS_ERR = 'ls: cannot access /etc/systemd/system/*.wants: No such file or directory\n'

// The same probe on RHEL 7.
const RHEL7_LS_OUT = `lrwxrwxrwx. 1 root root 10 Mar  3  2020 /etc/rc3.d -> rc.d/rc3.d

/etc/rc.d/rc3.d:
total 0
lrwxrwxrwx. 1 root root 20 Mar  3  2020 K50netconsole -> ../init.d/netconsole
lrwxrwxrwx. 1 root root 17 Mar  3  2020 S10network -> ../init.d/network

/etc/systemd/system/basic.target.wants:
total 0
lrwxrwxrwx. 1 root root 43 Mar  3  2020 microcode.service -> /usr/lib/systemd/system/microcode.service

/etc/systemd/system/multi-user.target.wants:
total 0
lrwxrwxrwx. 1 root root 38 Mar  3  2020 auditd.service -> /usr/lib/systemd/system/auditd.service
lrwxrwxrwx. 1 root root 37 Mar  3  2020 kdump.service -> /usr/lib/systemd/system/kdump.service
lrwxrwxrwx. 1 root root 40 Mar  3  2020 xenconsoled.service -> /usr/lib/systemd/system/xenconsoled.service
`

// Debian 12: kdump-tools has both an init script link and a systemd link; /etc/rc.d does not exist.
const DEBIAN12_LS_OUT = `/etc/rc3.d:
total 0
lrwxrwxrwx 1 root root 22 Nov 29 09:00 K01kdump-tools -> ../init.d/kdump-tools
lrwxrwxrwx 1 root root 13 Nov 29 09:00 S01ssh -> ../init.d/ssh

/etc/systemd/system/multi-user.target.wants:
total 0
lrwxrwxrwx 1 root root 40 Nov 29 09:00 kdump-tools.service -> /lib/systemd/system/kdump-tools.service
lrwxrwxrwx 1 root root 41 Nov 29 09:00 xen.service -> /lib/systemd/system/xen.service
`
const DEBIAN12_LS_ERR = "ls: cannot access '/etc/rc.d/rc3.d': No such file or directory\n"

describe('parseChkconfigList', () => {
  it('reads RHEL 5/6 on and off', () => {
    const on = value(parseChkconfigList(RHEL6_ON))
    expect(on.services).toEqual([{name: 'kdump', runlevels: {0: false, 1: false, 2: false, 3: true, 4: true, 5: true, 6: false}, line: 1}])
    expect(chkconfigOn(on, 'kdump')).toBe(true)
    expect(chkconfigOn(on, 'kdump', 6)).toBe(false)
    expect(chkconfigOn(value(parseChkconfigList(RHEL6_OFF)), 'kdump')).toBe(false)
  })

  it('reads RHEL 7: a note and no SysV script', () => {
    const list = value(parseChkconfigList(RHEL7_OUT, RHEL7_ERR))
    expect(list).toEqual({services: [], missing: [{name: 'kdump', line: 1, stream: 'stderr'}], notReferenced: [], sysvOnlyNote: true})
    expect(chkconfigOn(list, 'kdump')).toBeUndefined()
    expect(parseChkconfigList(RHEL7_OUT, RHEL7_ERR).problems).toEqual([])
  })

  it('reads a script never added to any runlevel, and reports noise', () => {
    const r = parseChkconfigList('', "service kdump supports chkconfig, but is not referenced in any runlevel (run 'chkconfig --add kdump')\n")
    expect(value(r).notReferenced).toEqual([{name: 'kdump', line: 1, stream: 'stderr'}])
    expect(parseChkconfigList('bash: chkconfig: command not found\n').problems).toEqual([{line: 1, message: 'unrecognised chkconfig line: bash: chkconfig: command not found'}])
  })

  it('never throws', () => neverThrows([RHEL6_ON, RHEL7_OUT], (t) => parseChkconfigList(t, RHEL7_ERR)))
})

describe('parseLsServices', () => {
  it('reads a RHEL 6 runlevel directory with the kdump start link', () => {
    const links = value(parseLsServices(RHEL6_LS_OUT, RHEL6_LS_ERR))
    expect(links.dirs).toEqual(['/etc/rc.d/rc3.d'])
    expect(links.missing).toEqual([{path: '/etc/systemd/system/*.wants', line: 1, stream: 'stderr'}])
    expect(links.wants).toEqual([])
    expect(links.sysv.map((s) => `${s.name}:${s.service}:${s.action}`)).toEqual(['K01smartd:smartd:kill', 'K50netconsole:netconsole:kill', 'S10network:network:start', 'S22kdump:kdump:start', 'S99local:rc.local:start'])
    expect(kdumpEnablement(links)).toEqual({
      systemd: [],
      sysvStart: [{service: 'kdump', name: 'S22kdump', action: 'start', priority: 22, runlevel: 3, dir: '/etc/rc.d/rc3.d', linkTarget: '../init.d/kdump', line: 8}],
      sysvKill: [],
    })
  })

  it('reads RHEL 7 .wants directories', () => {
    const links = value(parseLsServices(RHEL7_LS_OUT))
    expect(links.dirs).toEqual(['/etc/rc.d/rc3.d', '/etc/systemd/system/basic.target.wants', '/etc/systemd/system/multi-user.target.wants'])
    const e = kdumpEnablement(links)
    expect(e.systemd).toEqual([
      {unit: 'kdump.service', target: 'multi-user.target', dir: '/etc/systemd/system/multi-user.target.wants', linkTarget: '/usr/lib/systemd/system/kdump.service', line: 15},
    ])
    expect(e.sysvStart).toEqual([])
    expect(links.wants.map((w) => w.unit)).toEqual(['microcode.service', 'auditd.service', 'kdump.service', 'xenconsoled.service'])
  })

  it('reads Debian 12: enabled for systemd, a kill link for SysV', () => {
    const links = value(parseLsServices(DEBIAN12_LS_OUT, DEBIAN12_LS_ERR))
    const e = kdumpEnablement(links)
    expect(e.systemd.map((w) => [w.unit, w.target])).toEqual([['kdump-tools.service', 'multi-user.target']])
    expect(e.sysvKill.map((s) => [s.service, s.priority, s.runlevel])).toEqual([['kdump-tools', 1, 3]])
    expect(links.missing).toEqual([{path: '/etc/rc.d/rc3.d', line: 1, stream: 'stderr'}])
    expect(kdumpEnablement(links, ['kdump']).systemd).toEqual([])
  })

  it('classifies entries of a single listed directory (no header) by name', () => {
    const links = value(parseLsServices('total 0\nlrwxrwxrwx 1 root root 15 Jan 12  2017 S22kdump -> ../init.d/kdump\nlrwxrwxrwx 1 root root 37 Mar  3  2020 kdump.service -> /usr/lib/systemd/system/kdump.service\n'))
    expect(links.sysv[0]).toMatchObject({service: 'kdump', runlevel: 3, dir: null})
    expect(links.wants[0]).toMatchObject({unit: 'kdump.service', dir: null})
    expect(links.wants[0]!.target).toBeUndefined()
  })

  it('never throws', () => neverThrows([RHEL6_LS_OUT, RHEL7_LS_OUT, DEBIAN12_LS_OUT], (t) => parseLsServices(t, DEBIAN12_LS_ERR)))
})
