/**
 * Crash stories other than the lab's and the incident's, built from the exact strings each tool
 * prints: a RHEL capture kernel that succeeds or fails, Xen 4.4 starting a capture kernel that has
 * a Xen-only console, an Oops that never panicked, a bare-metal panic with nothing loaded.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {explainInputs} from '../../src/explain/explain.js'

const dir = mkdtempSync(path.join(tmpdir(), 'kdumpcheck-explain-'))
let n = 0
function file(lines: string[], name = `input-${(n += 1)}.log`): string {
  const p = path.join(dir, name)
  writeFileSync(p, `${lines.join('\n')}\n`)
  return p
}
const explain = async (...inputs: string[][]) => explainInputs(inputs.map((lines) => file(lines)))

describe('bare metal (RHEL kdump)', () => {
  it('a capture kernel that saves the vmcore: exit 0', async () => {
    const r = await explain([
      '[  100.000000] sysrq: SysRq : Trigger a crash',
      '[  100.000100] Kernel panic - not syncing: sysrq triggered crash',
      '[    0.000000] Linux version 4.18.0-372.el8.x86_64 (mockbuild@x86-vm-07.build.eng.bos.redhat.com)',
      '[    0.000000] Command line: BOOT_IMAGE=(hd0,msdos1)/vmlinuz irqpoll nr_cpus=1 reset_devices elfcorehdr=0x73000000',
      '[    5.000000] kdump[495]: saving to /kdumproot/mnt/kdump/127.0.0.1-2026-10-04-15:25:39/',
      '[    5.100000] kdump[667]: saving vmcore',
      'Copying data                                      : [100.0 %] -           eta: 0s',
      'The dumpfile is saved to /kdumproot/mnt/kdump/127.0.0.1-2026-10-04-15:25:39/vmcore-incomplete.',
      'makedumpfile Completed.',
      '[    9.200000] kdump[672]: saving vmcore complete',
      '[    9.900000] reboot: Restarting system',
    ])
    expect(r.verdict).toMatchObject({outcome: 'vmcore-written', capture_kernel_ran: true, host_after_crash: 'rebooted'})
    expect(r.exit_code).toBe(0)
    expect(r.facts.xen_version).toBeUndefined()
  })

  it('a collector that fails for lack of space: dump-failed, KD402', async () => {
    const r = await explain([
      '[  100.0] Kernel panic - not syncing: Fatal exception',
      '[    0.0] Command line: ro irqpoll nr_cpus=1 reset_devices elfcorehdr=0x73000000',
      '[    5.1] kdump[667]: saving vmcore',
      "write_buffer: Can't write the dump file(/sysroot/var/crash/x/vmcore-incomplete). No space left on device",
      'makedumpfile Failed.',
      '[    9.2] kdump[672]: saving vmcore failed, _exitcode:1',
    ])
    expect(r.verdict.outcome).toBe('dump-failed')
    expect(r.exit_code).toBe(1)
    expect(r.causes[0]).toMatchObject({id: 'collector-failed', role: 'root', checks: expect.arrayContaining(['KD402'])})
  })

  it('a panic that comes back from the crash path: nothing loaded', async () => {
    const r = await explain([
      '[  321.0] BUG: unable to handle page fault for address: ffffa00000000000',
      '[  321.0] Oops: 0000 [#1] PREEMPT SMP NOPTI',
      '[  321.0] CPU: 3 PID: 4242 Comm: java Tainted: G           O      5.14.0-70.el9.x86_64 #1',
      '[  321.0] RIP: 0010:ext4_fill_super+0x10/0x20',
      '[  321.1] Kernel panic - not syncing: Fatal exception',
      '[  321.1] Rebooting in 10 seconds..',
      '[  321.1] ---[ end Kernel panic - not syncing: Fatal exception ]---',
    ])
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', host_after_crash: 'rebooted'})
    expect(r.causes[0]?.id).toBe('nothing-loaded')
    const oops = r.timeline.find((t) => t.kind === 'oops')!
    expect(oops.details).toMatchObject({fn: 'ext4_fill_super', comm: 'java', pid: 4242, number: 1})
    expect(oops.details.taint).toEqual([{letter: 'O', meaning: 'out-of-tree module loaded'}])
    expect(r.facts.trigger?.value).toContain('ext4_fill_super')
  })

  it('an Oops that never panicked and a host that kept running: no dump attempted, KD502 as root', async () => {
    const r = await explain([
      'Mar  3 10:00:00 web1 kernel: BUG: kernel NULL pointer dereference, address: 0000000000000008',
      'Mar  3 10:00:00 web1 kernel: Oops: 0002 [#1] SMP NOPTI',
      'Mar  3 10:00:00 web1 kernel: CPU: 1 PID: 999 Comm: nginx Tainted: G        W         5.10.0-21-amd64 #1 Debian 5.10.162-1',
      'Mar  3 10:00:00 web1 kernel: RIP: 0010:tcp_close+0x1/0x2',
      'Mar  3 10:00:00 web1 kernel: ---[ end trace 1234abcd ]---',
      'Mar  3 10:05:00 web1 kernel: INFO: task nginx:1000 blocked for more than 120 seconds.',
      'Mar  3 10:05:00 web1 kernel:       Tainted: G      D W         5.10.0-21-amd64 #1',
      'Mar  3 10:05:00 web1 kernel: Call Trace:',
      'Mar  3 10:05:00 web1 kernel:  __schedule+0x282/0x880',
      'Mar  3 10:09:00 web1 kernel: Oops: 0000 [#2] SMP NOPTI',
      'Mar  3 10:09:00 web1 kernel: CPU: 0 PID: 77 Comm: sshd Tainted: G      D W         5.10.0-21-amd64 #1',
    ])
    expect(r.verdict).toMatchObject({outcome: 'no-dump-attempted', host_after_crash: 'running', dump_attempted: false})
    expect(r.exit_code).toBe(1)
    expect(r.causes[0]).toMatchObject({id: 'oops-did-not-panic', role: 'root', checks: ['KD502']})
    expect(r.causes.find((c) => c.id === 'hang-did-not-panic')?.checks).toContain('KD503')
  })
})

describe('Xen variants', () => {
  it('Xen 4.4 starts a capture kernel that was given console=hvc0: it hangs, KD206', async () => {
    const r = await explain(
      ['[root@dom0 ~]# kexec -p /boot/vmlinuz-3.10 --initrd=/boot/initrd-kdump.img --append="root=/dev/sda1 console=hvc0 irqpoll nr_cpus=1"'],
      ['(XEN) Xen version 4.4.4 (mockbuild@centos.org)', '(XEN) Command line: dom0_mem=2048M crashkernel=256M@64M', '(XEN) Kdump: 256MB (262144kB) at 0x4000000', '[ 9000.1] sysrq: SysRq : Trigger a crash', '[ 9000.1] Kernel panic - not syncing: sysrq triggered crash', '(XEN) Domain 0 crashed: Executing crash image'],
    )
    expect(r.verdict.outcome).toBe('capture-kernel-failed')
    expect(r.exit_code).toBe(1)
    expect(r.causes[0]).toMatchObject({id: 'capture-console-xen-only', role: 'root', checks: ['KD206']})
    expect(r.facts.xen_version?.value).toBe('4.4.4')
  })

  it('Xen starts a capture kernel whose output is not in the inputs: cannot tell, exit 3', async () => {
    const r = await explain(['(XEN) Kdump: 256MB (262144kB) at 0x69d07000', '[    9.6] sysrq: Trigger a crash', '[    9.6] Kernel panic - not syncing: sysrq triggered crash', '(XEN) Hardware Dom0 crashed: Executing kexec image on cpu0', '(XEN) Shot down all CPUs'])
    expect(r.verdict).toMatchObject({outcome: 'unknown', capture_kernel_ran: null})
    expect(r.exit_code).toBe(3)
    expect(r.chain.find((l) => l.link === 'capture-kernel')?.status).toBe('unknown')
  })

  it('a region Xen failed to reserve is the root cause (KD104)', async () => {
    const r = await explain(['(XEN) Command line: crashkernel=8G noreboot', '(XEN) Kdump: DISABLED (failed to reserve 8192MB (8388608kB) at 0x0)', '[ 50.0] Kernel panic - not syncing: Fatal exception', "(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting."])
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', host_after_crash: 'halted'})
    expect(r.causes[0]).toMatchObject({id: 'region-not-reserved', checks: expect.arrayContaining(['KD104'])})
  })

  it("Domain 0 crashed with Executing kexec image places Xen at 4.5", async () => {
    const r = await explain(['[ 5.0] Kernel panic - not syncing: Fatal exception', '(XEN) Domain 0 crashed: Executing kexec image on cpu0'])
    expect(r.facts.xen_version?.value).toBe('4.5')
  })

  it("RHEL5's xenolinux: Kexec: Warning: crash image not loaded", async () => {
    const r = await explain(['SysRq : Trigger a crashdump', 'Kexec: Warning: crash image not loaded', 'Kernel panic - not syncing: Fatal exception'])
    expect(r.verdict.outcome).toBe('nothing-loaded')
    expect(r.chain.find((l) => l.link === 'image')?.evidence[0]?.text).toBe('Kexec: Warning: crash image not loaded')
  })

  it('a hung-task panic names the detector as the trigger', async () => {
    const r = await explain(['[ 500.0] INFO: task jbd2/sda1-8:300 blocked for more than 120 seconds.', '[ 500.1] Kernel panic - not syncing: hung_task: blocked tasks', "(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting."])
    expect(r.facts.trigger?.value).toBe('a hung task detector that panicked')
    expect(r.facts.panic_reason?.value).toBe('hung_task: blocked tasks')
  })
})

describe('a vmcore-dmesg.txt among the inputs', () => {
  it('proves a capture kernel ran (it was extracted from /proc/vmcore), though not that the vmcore was saved', async () => {
    const p = file(['[ 9000.1] sysrq: SysRq : Trigger a crash', '[ 9000.1] Kernel panic - not syncing: sysrq triggered crash'], 'vmcore-dmesg.txt')
    const r = await explainInputs([p])
    expect(r.verdict).toMatchObject({outcome: 'unknown', capture_kernel_ran: true, vmcore: 'unknown'})
    expect(r.exit_code).toBe(3)
    expect(r.chain.find((l) => l.link === 'capture-kernel')?.evidence[0]).toMatchObject({file: p, line: 0})
  })
})

describe('when the logs cannot tell', () => {
  it('a panic and then nothing: exit 3', async () => {
    const r = await explain(['[ 5.0] Kernel panic - not syncing: Fatal exception'])
    expect(r.verdict).toMatchObject({outcome: 'unknown', vmcore: 'unknown'})
    expect(r.verdict.headline).toBe('Cannot tell from these logs whether a vmcore was written.')
    expect(r.exit_code).toBe(3)
  })

  it('ordinary logs without any crash: exit 3, no crash found', async () => {
    const r = await explain(['Dec 16 22:26:01 host sshd[1]: Accepted publickey for root', 'Dec 16 22:26:02 host kernel: e1000e: eth0 NIC Link is Up'])
    expect(r.verdict).toMatchObject({outcome: 'unknown', crash: null})
    expect(r.verdict.headline).toBe('No kernel crash found in these logs.')
    expect(r.exit_code).toBe(3)
  })
})
