/** systemd unit files' [Install] sections, read with `ini` (src/parsers/systemd-unit.ts). */
import {describe, expect, it} from 'vitest'
import {parseUnitFile, unitInstall} from '../../src/parsers/systemd-unit.js'
import {neverThrows} from './never-throws.js'

// Debian 12's kdump-tools 1:1.8.1, /lib/systemd/system/kdump-tools.service, from the package itself
// (apt-get download kdump-tools; dpkg-deb -x). Note the repeated After=.
const DEBIAN_KDUMP_TOOLS = `[Unit]
Description=Kernel crash dump capture service
DefaultDependencies=no
After=local-fs.target
After=networking.service
Before=basic.target

[Service]
Type=oneshot
StandardOutput=journal+console
EnvironmentFile=/etc/default/kdump-tools
ExecStart=/etc/init.d/kdump-tools start
ExecStop=/etc/init.d/kdump-tools stop
RemainAfterExit=yes

[Install]
WantedBy=basic.target
`
// A RHEL 8-family host's /usr/lib/systemd/system/kdump.service (kexec-tools), as quoted in a public
// troubleshooting post (kernel 4.18.0-147.5.1.es8_23).
const RHEL8_KDUMP = `[Unit]
Description=Crash recovery kernel arming
After=network.target network-online.target remote-fs.target basic.target
DefaultDependencies=no
ConditionKernelCommandLine=crashkernel

[Service]
Type=oneshot
ExecStart=/usr/bin/kdumpctl start
ExecStop=/usr/bin/kdumpctl stop
ExecReload=/usr/bin/kdumpctl reload
RemainAfterExit=yes
StartLimitInterval=0

[Install]
WantedBy=multi-user.target
`

const install = (...texts: string[]) => unitInstall(texts.map((t) => {
  const r = parseUnitFile(t)
  if (!r.ok) throw new Error('unparsable')
  return r.value
}))

describe('systemd unit [Install]', () => {
  it('reads the targets of the real kdump units', () => {
    expect(install(DEBIAN_KDUMP_TOOLS)).toEqual({wantedBy: ['basic.target'], requiredBy: [], alias: []})
    expect(install(RHEL8_KDUMP)).toEqual({wantedBy: ['multi-user.target'], requiredBy: [], alias: []})
  })

  it('takes repeated and space-separated names, and a drop-in that empties the list then sets its own', () => {
    const unit = '[Install]\nWantedBy=multi-user.target\nWantedBy = graphical.target basic.target\nAlias=kdump.service\n'
    expect(install(unit)).toEqual({wantedBy: ['multi-user.target', 'graphical.target', 'basic.target'], requiredBy: [], alias: ['kdump.service']})
    expect(install(unit, '[Install]\nWantedBy=\nWantedBy=kdump-ready.target\nRequiredBy=crash.target\n')).toEqual({wantedBy: ['kdump-ready.target'], requiredBy: ['crash.target'], alias: ['kdump.service']})
  })

  it('has no targets for a unit without [Install] (a static unit)', () => {
    const r = parseUnitFile('[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n')
    expect(r.ok && r.value.hasInstall).toBe(false)
    expect(install('[Unit]\nDescription=x\n')).toEqual({wantedBy: [], requiredBy: [], alias: []})
  })

  it('never throws', () => neverThrows([DEBIAN_KDUMP_TOOLS, RHEL8_KDUMP], parseUnitFile))
})
