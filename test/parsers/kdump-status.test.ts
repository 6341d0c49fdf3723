import {describe, expect, it} from 'vitest'
import {parseKdumpConfigStatus, parseKdumpctlStatus, parseKdumpStatus, parseServiceKdumpStatus, parseSystemctlStatus} from '../../src/parsers/kdump-status.js'
import {neverThrows, value} from './never-throws.js'

// RHEL 9.5+ kdump-utils on a pvops dom0: sysfs says nothing is loaded; exit 3.
const RHEL9_DOM0_ERR = `kdump: Kdump is not operational
kdump: Notice: No vmcore creation test performed!
`

// Debian 12 kdump-tools 1.8.1 in the lab (B-kdt), before and after a working `kexec -p`: exit 0 both times.
const DEBIAN12_LAB = `[FAIL] no crashkernel= parameter in the kernel cmdline
[FAIL] Invalid symlink : /var/lib/kdump/initrd.img
[FAIL] Invalid symlink : /var/lib/kdump/vmlinuz
current state   : Not ready to kdump
`

// RHEL 7 `service kdump status`: the wrapper hands over to systemctl.
const RHEL7_SERVICE_ERR = 'Redirecting to /bin/systemctl status  kdump.service\n'
const RHEL7_SYSTEMCTL = `● kdump.service - Crash recovery kernel arming
   Loaded: loaded (/usr/lib/systemd/system/kdump.service; enabled; vendor preset: enabled)
   Active: active (exited) since Mon 2024-05-06 10:00:03 CST; 2h 3min ago
  Process: 1102 ExecStart=/usr/bin/kdumpctl start (code=exited, status=0/SUCCESS)
 Main PID: 1102 (code=exited, status=0/SUCCESS)
`

// SUSE-style `systemctl status kdump` after a failed load.
const SUSE_FAILED = `× kdump.service - Load kdump kernel and initrd
     Loaded: loaded (/usr/lib/systemd/system/kdump.service; enabled; vendor preset: disabled)
     Active: failed (Result: exit-code) since Mon 2024-05-06 10:00:01 CEST; 1h ago
    Process: 812 ExecStart=/usr/lib/kdump/load.sh --update (code=exited, status=1/FAILURE)
   Main PID: 812 (code=exited, status=1/FAILURE)

May 06 10:00:01 sles15 load.sh[812]: No memory reserved for crash kernel
May 06 10:00:01 sles15 systemd[1]: kdump.service: Main process exited, code=exited, status=1/FAILURE
`

describe('parseKdumpctlStatus', () => {
  it('reads RHEL 7 on stdout', () => {
    expect(value(parseKdumpctlStatus('Kdump is operational\n', '', 0))).toEqual({
      tool: 'kdumpctl',
      verdict: 'operational',
      basis: 'loaded-check',
      decidedBy: {text: 'Kdump is operational', line: 1, stream: 'stdout'},
      unsupported: false,
      messages: [],
      exitCode: 0,
    })
    expect(value(parseKdumpctlStatus('Kdump is not operational\n', '', 3)).verdict).toBe('not-operational')
  })

  it('reads RHEL 8+ on stderr with the kdump: prefix and the vmcore test notice', () => {
    const r = value(parseKdumpctlStatus('', RHEL9_DOM0_ERR, 3))
    expect(r).toMatchObject({verdict: 'not-operational', decidedBy: {line: 1, stream: 'stderr'}, lastTest: {result: 'none'}})
    expect(parseKdumpctlStatus('', RHEL9_DOM0_ERR, 3).problems).toEqual([])
    const ok = value(parseKdumpctlStatus('', 'kdump: Kdump is operational\nkdump: Notice: Last successful vmcore creation test on Tue Nov 14 22:13:20 UTC 2023\n', 0))
    expect(ok.lastTest).toEqual({result: 'success', at: 'Tue Nov 14 22:13:20 UTC 2023', from: {text: 'kdump: Notice: Last successful vmcore creation test on Tue Nov 14 22:13:20 UTC 2023', line: 2, stream: 'stderr'}})
    expect(value(parseKdumpctlStatus('', 'kdump: Kdump is operational\nkdump: Notice: Last NOT successful vmcore creation test on Fri May  3 09:15:00 CST 2024\n')).lastTest?.result).toBe('fail')
  })

  it('reads "not supported on this kernel" as not operational and unsupported', () => {
    expect(value(parseKdumpctlStatus('', 'kdump: kdump is not supported on this kernel\n', 1))).toMatchObject({verdict: 'not-operational', unsupported: true})
  })

  it('stays unknown on an error, and flags exit statuses that disagree', () => {
    const err = parseKdumpctlStatus('', 'kdump: Error: No kdump config file found!\n', 1)
    expect(value(err)).toMatchObject({verdict: 'unknown', messages: [{text: 'kdump: Error: No kdump config file found!', line: 1, stream: 'stderr'}]})
    expect(parseKdumpctlStatus('Kdump is operational\n', '', 3).problems).toEqual([{message: 'says operational but exited 3'}])
    expect(parseKdumpctlStatus('', '', 3).problems).toEqual([{message: 'exited 3 (not operational) without saying so'}])
  })

  it('never throws', () => neverThrows([RHEL9_DOM0_ERR, 'Kdump is operational\n'], (t) => parseKdumpctlStatus(t, t, 3)))
})

describe('parseServiceKdumpStatus', () => {
  it('reads the RHEL 5/6 init script', () => {
    expect(value(parseServiceKdumpStatus('Kdump is operational\n', '', 0))).toMatchObject({tool: 'service', verdict: 'operational', basis: 'loaded-check'})
    expect(value(parseServiceKdumpStatus('Kdump is not operational\n', '', 3)).verdict).toBe('not-operational')
    expect(value(parseServiceKdumpStatus('Kdump is unsupported on this kernel\n', '', 3))).toMatchObject({verdict: 'not-operational', unsupported: true})
  })

  it('follows the redirect to systemctl on RHEL 7', () => {
    expect(value(parseServiceKdumpStatus(RHEL7_SYSTEMCTL, RHEL7_SERVICE_ERR, 0))).toMatchObject({
      tool: 'service',
      verdict: 'operational',
      basis: 'service-state',
      decidedBy: {line: 3, stream: 'stdout'},
    })
  })

  it("reads Debian's init script (kdump-config status) and a stopped service", () => {
    expect(value(parseServiceKdumpStatus(DEBIAN12_LAB, '', 0))).toMatchObject({tool: 'service', verdict: 'not-operational', basis: 'loaded-check'})
    expect(value(parseServiceKdumpStatus('kdump is stopped\n', '', 3))).toMatchObject({verdict: 'not-operational', basis: 'service-state'})
  })

  it('never throws', () => neverThrows(['Kdump is operational\n', RHEL7_SYSTEMCTL, DEBIAN12_LAB], (t) => parseServiceKdumpStatus(t, RHEL7_SERVICE_ERR)))
})

describe('parseKdumpConfigStatus', () => {
  it("reads the lab's Debian 12 dom0: not ready, with its reasons, exit 0", () => {
    const r = value(parseKdumpConfigStatus(DEBIAN12_LAB, '', 0))
    expect(r.verdict).toBe('not-operational')
    expect(r.decidedBy).toEqual({text: 'current state   : Not ready to kdump', line: 4, stream: 'stdout'})
    expect(r.messages.map((m) => m.text)).toEqual([
      '[FAIL] no crashkernel= parameter in the kernel cmdline',
      '[FAIL] Invalid symlink : /var/lib/kdump/initrd.img',
      '[FAIL] Invalid symlink : /var/lib/kdump/vmlinuz',
    ])
    expect(parseKdumpConfigStatus(DEBIAN12_LAB, '', 0).problems).toEqual([])
  })

  it('reads ready in both spacings', () => {
    expect(value(parseKdumpConfigStatus('current state   : ready to kdump\n')).verdict).toBe('operational')
    expect(value(parseKdumpConfigStatus('current state:    ready to kdump\n')).verdict).toBe('operational')
    expect(value(parseKdumpConfigStatus('current state   : something else\n')).verdict).toBe('unknown')
  })

  it('never throws', () => neverThrows([DEBIAN12_LAB], (t) => parseKdumpConfigStatus(t)))
})

describe('parseSystemctlStatus', () => {
  it('reads a failed SUSE load with its journal lines', () => {
    const r = value(parseSystemctlStatus(SUSE_FAILED, '', 3))
    expect(r).toMatchObject({tool: 'systemctl-status', verdict: 'not-operational', basis: 'service-state', decidedBy: {line: 3}})
    expect(r.messages.map((m) => m.text)).toEqual([
      'May 06 10:00:01 sles15 load.sh[812]: No memory reserved for crash kernel',
      'May 06 10:00:01 sles15 systemd[1]: kdump.service: Main process exited, code=exited, status=1/FAILURE',
    ])
  })

  it('reads a unit that does not exist', () => {
    const r = value(parseSystemctlStatus('', 'Unit kdump.service could not be found.\n', 4))
    expect(r).toMatchObject({verdict: 'unknown', messages: [{text: 'Unit kdump.service could not be found.'}]})
  })

  it('never throws', () => neverThrows([RHEL7_SYSTEMCTL, SUSE_FAILED], (t) => parseSystemctlStatus(t)))
})

describe('parseKdumpStatus', () => {
  it('dispatches by tool', () => {
    expect(value(parseKdumpStatus('kdump-config', DEBIAN12_LAB)).tool).toBe('kdump-config')
    expect(value(parseKdumpStatus('kdumpctl', '', RHEL9_DOM0_ERR, 3)).tool).toBe('kdumpctl')
    expect(value(parseKdumpStatus('systemctl-status', RHEL7_SYSTEMCTL)).verdict).toBe('operational')
    expect(parseKdumpStatus('nope' as never, '').ok).toBe(false)
  })
})
