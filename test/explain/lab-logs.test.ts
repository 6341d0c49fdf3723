/**
 * The lab's real Xen 4.17 + Linux 6.1 serial logs: each scenario's verdict is known from what
 * happened to the disk (times.txt), so explain must reach the same one from the log alone.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {explainInputs} from '../../src/explain/explain.js'
import type {ExplainResult} from '../../src/explain/result.js'

const lab = (scenario: string) => path.resolve(import.meta.dirname, '../../fixtures/lab-logs', scenario, 'serial.log')
const explain = (scenario: string) => explainInputs([lab(scenario)])
const causeIds = (r: ExplainResult) => r.causes.map((c) => c.id)
const link = (r: ExplainResult, name: string) => r.chain.find((l) => l.link === name)!
const root = (r: ExplainResult) => r.causes.find((c) => c.role === 'root')

/** A lab log edited the way another host's log would differ (its lines split on CR/LF as the reader does). */
const scratch = mkdtempSync(path.join(tmpdir(), 'kdumpcheck-lab-'))
let variants = 0
function variant(scenario: string, edit: (lines: string[]) => string[]): Promise<ExplainResult> {
  const lines = readFileSync(lab(scenario), 'utf8').split(/\r\n|\r|\n/)
  const p = path.join(scratch, `${scenario}-${(variants += 1)}.log`)
  writeFileSync(p, `${edit(lines).join('\n')}\n`)
  return explainInputs([p])
}
/** Inserts lines after the first line that starts with `marker`. */
const after = (marker: string, added: string[]) => (lines: string[]) => {
  const at = lines.findIndex((l) => l.startsWith(marker))
  if (at < 0) throw new Error(`no line starts with ${marker}`)
  return [...lines.slice(0, at + 1), ...added, ...lines.slice(at + 1)]
}
/** kdump-config show as the lab's dom0 transcript prints it, with the recorded kexec command. */
const kdumpConfigShow = (commandLine: string) => [
  'LAB: ----- kdump-config show',
  'LAB:   DUMP_MODE:              kdump',
  'LAB:   USE_KDUMP:              1',
  'LAB:   KDUMP_COREDIR:          /var/crash',
  'LAB:   crashkernel addr: ',
  'LAB:      /var/lib/kdump/vmlinuz: symbolic link to /boot/vmlinuz-6.1.0-57-amd64',
  'LAB:   kdump initrd: ',
  'LAB:      /var/lib/kdump/initrd.img: symbolic link to /var/lib/kdump/initrd.img-6.1.0-57-amd64',
  'LAB:   current state:    Not ready to kdump',
  'LAB:   ',
  'LAB:   kexec command:',
  `LAB:     /sbin/kexec -p --command-line="${commandLine}" --initrd=/var/lib/kdump/initrd.img /var/lib/kdump/vmlinuz`,
  'LAB:   exit status: 0',
]

describe('lab scenario A: no crashkernel on Xen, noreboot', () => {
  it('halted with nothing loaded, the region never reserved', async () => {
    const r = await explain('A')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', vmcore: 'not-written', capture_kernel_ran: false, host_after_crash: 'halted', dump_attempted: true})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('region')
    expect(link(r, 'image').evidence[0]?.text).toBe("(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting.")
    expect(r.causes[0]).toMatchObject({id: 'no-crashkernel-on-xen', role: 'root', checks: expect.arrayContaining(['KD101'])})
    expect(causeIds(r)).toEqual(expect.arrayContaining(['nothing-loaded', 'noreboot-halted']))
    expect(r.causes.find((c) => c.id === 'noreboot-halted')?.checks).toContain('KD500')
    expect(r.facts.xen_version?.value).toBe('4.17.7')
    expect(r.facts.dom0_kernel?.value).toBe('6.1.0-56-amd64 (pvops dom0)')
  })
})

describe('lab scenario A0: no crashkernel, no noreboot', () => {
  it('rebooted with nothing loaded', async () => {
    const r = await explain('A0')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', host_after_crash: 'rebooted', capture_kernel_ran: false})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.crash?.text).toContain('Kernel panic - not syncing: sysrq triggered crash')
    expect(causeIds(r)).not.toContain('noreboot-halted')
    expect(r.timeline.at(-1)?.text).toBe('(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.')
  })
})

describe('lab scenario B: crashkernel on Xen, kexec -p, the lab capture initrd', () => {
  it('capture kernel ran and a vmcore was written', async () => {
    const r = await explain('B')
    expect(r.verdict).toMatchObject({outcome: 'vmcore-written', vmcore: 'written', capture_kernel_ran: true, host_after_crash: 'rebooted', first_broken_link: null})
    expect(r.exit_code).toBe(0)
    expect(r.chain.every((l) => l.status === 'ok')).toBe(true)
    expect(link(r, 'region').evidence[0]?.text).toBe('(XEN) Kdump: 256MB (262144kB) at 0x69d07000')
    expect(link(r, 'image').evidence[0]?.text).toBe('(XEN) Hardware Dom0 crashed: Executing kexec image on cpu0')
    expect(link(r, 'vmcore').evidence[0]?.text).toContain('vmcore copied to /dev/vda')
    const capture = r.timeline.find((t) => t.kind === 'kernel-cmdline' && t.phase === 'capture')
    expect(capture?.text).toContain('elfcorehdr=1995148K')
    // No cause is root when the dump worked; the notes say what the lab also showed.
    expect(r.causes.every((c) => c.role !== 'root')).toBe(true)
    expect(causeIds(r)).toEqual(expect.arrayContaining(['distribution-status-wrong', 'xen-vmcore-without-vmcoreinfo']))
  })
})

describe('lab scenario B-kdt: Debian kdump-tools in the capture kernel', () => {
  it('capture kernel ran but the dump is empty: makedumpfile had no vmcoreinfo, kdump-config claimed success', async () => {
    const r = await explain('B-kdt')
    expect(r.verdict).toMatchObject({outcome: 'dump-empty', vmcore: 'empty', capture_kernel_ran: true})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('collector')
    expect(r.causes[0]).toMatchObject({id: 'collector-needs-vmcoreinfo', role: 'root', checks: ['KD406']})
    expect(r.causes[0]!.evidence.map((e) => e.text).join('\n')).toContain("/proc/vmcore doesn't contain vmcoreinfo.")
    const falseSuccess = r.causes.find((c) => c.id === 'false-success')!
    expect(falseSuccess.role).toBe('contributing')
    expect(falseSuccess.evidence.map((e) => e.text).join('\n')).toMatch(/\[ ok \] kdump-config: saved vmcore in \/var\/crash\/202611290921[\s\S]*dump\.202611290921/)
    // The --dump-dmesg failure is reported as such, not as the dump's failure.
    expect(r.timeline.find((t) => t.line === 1061)?.kind).toBe('collector-dmesg-failed')
  })
})

describe("lab scenario C: crashkernel on dom0's line only", () => {
  it('nothing loaded: Xen never reserved a region, dom0 ignored its crashkernel=, kexec -p failed', async () => {
    const r = await explain('C')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', host_after_crash: 'halted', capture_kernel_ran: false})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('region')
    const dom0 = r.causes.find((c) => c.id === 'crashkernel-on-dom0-line')!
    expect(dom0.checks).toContain('KD102')
    expect(dom0.evidence.map((e) => e.text).join('\n')).toContain('Ignoring crashkernel for a Xen PV domain')
    const loaded = r.causes.find((c) => c.id === 'nothing-loaded')!
    expect(loaded.detail).toContain('Cannot load /crash/vmlinuz')
    expect(loaded.checks).toContain('KD202')
  })
})

// The lab's run of 2026-11-29 (Xen 4.17.7, Linux 6.1.0-57): D, RANGE, B-filter and R.

describe("lab scenario D: kdump-config copied dom0's console=hvc0 earlyprintk=xen into the capture kernel", () => {
  it('Xen started the capture kernel and it went silent: capture-console-xen-only, inferred and saying so', async () => {
    const r = await explain('D')
    expect(r.verdict).toMatchObject({outcome: 'capture-kernel-failed', vmcore: 'not-written', dump_attempted: true, capture_kernel_ran: null})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.headline).toMatch(/most likely it hung/)
    expect(r.verdict.first_broken_link?.link).toBe('capture-kernel')
    expect(link(r, 'region').evidence[0]?.text).toBe('(XEN) Kdump: 256MB (262144kB) at 0x69a8c000')
    expect(link(r, 'image')).toMatchObject({status: 'ok'})
    const capture = link(r, 'capture-kernel')
    expect(capture.status).toBe('broken')
    expect(capture.summary).toMatch(/not in these logs; inferred from that silence/)
    expect(capture.evidence.map((e) => e.text)).toEqual(expect.arrayContaining(['(XEN) Hardware Dom0 crashed: Executing kexec image on cpu1', '[    0.000000] Command line: console=hvc0 earlyprintk=xen crashkernel=384M-:128M']))
    const cause = root(r)!
    expect(cause).toMatchObject({id: 'capture-console-xen-only', checks: ['KD206']})
    expect(cause.title).toMatch(/most likely/)
    // The detail must not pass the inference off as a seen capture command line.
    expect(cause.detail).toMatch(/do not show the capture kernel's command line, so this is inferred from that silence and from dom0's own command line/)
    expect(cause.detail).toContain('`console=hvc0` and `earlyprintk=xen`')
    expect(cause.evidence.map((e) => e.line)).toEqual([602, 160, 537])
    // Nothing in this log is a capture command line: the inference is all there is.
    expect(r.timeline.filter((t) => t.kind === 'kexec-load')).toEqual([])
    expect(causeIds(r)).toContain('crashkernel-on-dom0-line')
  })

  it('with kdump-config show in the transcript, the seen capture command line is the evidence, not an inference', async () => {
    const r = await variant('D', after('LAB:   current state   : Not ready to kdump', kdumpConfigShow('console=hvc0 earlyprintk=xen  reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll nousb')))
    expect(r.verdict.outcome).toBe('capture-kernel-failed')
    expect(r.verdict.headline).not.toMatch(/most likely/)
    const cause = root(r)!
    expect(cause.id).toBe('capture-console-xen-only')
    expect(cause.detail).not.toMatch(/inferred/)
    expect(cause.detail).toContain('console=hvc0 earlyprintk=xen  reset_devices')
    expect(cause.evidence[0]?.text).toMatch(/^LAB: {5}\/sbin\/kexec -p --command-line="console=hvc0/)
    expect(r.timeline.find((t) => t.kind === 'kexec-load')?.details).toMatchObject({shown: true, kernel: '/var/lib/kdump/vmlinuz'})
  })

  it("the lab's next run of D (20261129-114616) has kdump-config show in dom0's transcript: its recorded kexec command is the evidence", async () => {
    const r = await explain('D-show')
    expect(r.verdict).toMatchObject({outcome: 'capture-kernel-failed', vmcore: 'not-written'})
    expect(link(r, 'capture-kernel').evidence.map((e) => e.line)).toEqual([603, 564])
    const cause = root(r)!
    expect(cause).toMatchObject({id: 'capture-console-xen-only', checks: ['KD206']})
    expect(cause.detail).not.toMatch(/inferred/)
    expect(cause.evidence[0]?.text).toBe(
      'LAB:     /sbin/kexec -p --command-line="console=hvc0 earlyprintk=xen reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb" --initrd=/var/lib/kdump/initrd.img /var/lib/kdump/vmlinuz',
    )
  })

  it('a shown capture command line with a serial console overrides dom0\'s: the silence is left unexplained', async () => {
    const r = await variant('D', after('LAB:   current state   : Not ready to kdump', kdumpConfigShow('console=ttyS0,115200 reset_devices nr_cpus=1 irqpoll')))
    expect(r.verdict.outcome).toBe('unknown')
    expect(r.exit_code).toBe(3)
    expect(link(r, 'capture-kernel').status).toBe('unknown')
    expect(root(r)).toBeUndefined()
    expect(causeIds(r)).not.toContain('capture-console-xen-only')
  })

  it("dom0 without a Xen-only console: silence alone proves nothing", async () => {
    const r = await variant('D', (lines) => lines.map((l) => l.replace('console=hvc0 earlyprintk=xen', 'console=tty0')))
    expect(r.verdict.outcome).toBe('unknown')
    expect(link(r, 'capture-kernel').status).toBe('unknown')
    expect(causeIds(r)).not.toContain('capture-console-xen-only')
  })

  it('a host that came back after the silence may have had a capture kernel that worked without a console: not called hung', async () => {
    const r = await variant('D', (lines) => [...lines, '(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1) (pkg-xen-devel@lists.alioth.debian.org) debug=n'])
    expect(r.verdict.outcome).toBe('unknown')
    expect(link(r, 'capture-kernel').status).toBe('unknown')
    expect(causeIds(r)).not.toContain('capture-console-xen-only')
  })
})

describe("lab scenario RANGE: Xen's crashkernel=4G-:256M selects nothing on a 2 GiB machine", () => {
  it('the region link is broken: crashkernel= on Xen\'s line, no Kdump: line in a complete boot log; the range covers none of the RAM', async () => {
    const r = await explain('RANGE')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', vmcore: 'not-written', capture_kernel_ran: false, host_after_crash: 'halted'})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('region')
    const region = link(r, 'region')
    expect(region.status).toBe('broken')
    expect(region.evidence.map((e) => e.text)).toEqual([
      '(XEN) Command line: console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all noreboot crashkernel=4G-:256M',
      '(XEN) System RAM: 2047MB (2096612kB)',
    ])
    const cause = root(r)!
    expect(cause.id).toBe('region-not-reserved')
    expect(cause.checks).toEqual(['KD103', 'KD104'])
    expect(cause.title).toContain('2047 MB')
    expect(cause.detail).toContain('`crashkernel=4G-:256M` asks for 256M on machines with 4G of RAM or more')
    expect(cause.detail).toContain('`System RAM: 2047MB (2096612kB)`')
    expect(r.causes.find((c) => c.id === 'nothing-loaded')).toMatchObject({role: 'contributing'})
    expect(r.causes.find((c) => c.id === 'nothing-loaded')?.detail).toContain('Cannot load /var/lib/kdump/vmlinuz')
    expect(causeIds(r)).toEqual(expect.arrayContaining(['noreboot-halted', 'crashkernel-on-dom0-line']))
    expect(r.timeline.find((t) => t.kind === 'xen-system-ram')?.details).toEqual({mb: 2047, kb: 2096612})
  })

  it('the same range on a machine it covers, still with no Kdump: line: Xen found no room (KD104 first)', async () => {
    const r = await variant('RANGE', (lines) => lines.map((l) => l.replace('System RAM: 2047MB (2096612kB)', 'System RAM: 8191MB (8387584kB)')))
    const cause = root(r)!
    expect(cause.id).toBe('region-not-reserved')
    expect(cause.checks[0]).toBe('KD104')
    expect(cause.detail).toContain('asks for 256M on this machine')
  })

  it('a boot log that does not reach System RAM: proves nothing: the region stays unknown, as before', async () => {
    const r = await variant('RANGE', (lines) => lines.filter((l) => !l.startsWith('(XEN) System RAM:')))
    expect(link(r, 'region').status).toBe('unknown')
    expect(link(r, 'region').summary).toContain("Xen's command line has crashkernel=")
    expect(root(r)?.id).toBe('nothing-loaded')
  })
})

describe('lab scenario B-filter: kdump-tools, makedumpfile -E -X -d 0 to ext4', () => {
  it('a vmcore was written: no root cause, and nothing blamed as contributing', async () => {
    const r = await explain('B-filter')
    expect(r.verdict).toMatchObject({outcome: 'vmcore-written', vmcore: 'written', capture_kernel_ran: true, first_broken_link: null})
    expect(r.exit_code).toBe(0)
    expect(r.chain.every((l) => l.status === 'ok')).toBe(true)
    expect(link(r, 'vmcore').evidence[0]?.text).toContain('/var/crash/202611291134/dump.202611291134')
    expect(r.causes.every((c) => c.role === 'note')).toBe(true)
    expect(causeIds(r)).toEqual(expect.arrayContaining(['crashkernel-on-dom0-line', 'distribution-status-wrong', 'xen-vmcore-without-vmcoreinfo']))
    // dom0's console is Xen-only here too, but the capture kernel spoke: no inference is made.
    expect(causeIds(r)).not.toContain('capture-console-xen-only')
  })
})

describe('lab scenario R: region reserved, nothing loaded', () => {
  it('nothing-loaded is the root: the region link is fine', async () => {
    const r = await explain('R')
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', vmcore: 'not-written', capture_kernel_ran: false, host_after_crash: 'halted'})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('image')
    expect(link(r, 'region')).toMatchObject({status: 'ok', evidence: [{text: '(XEN) Kdump: 256MB (262144kB) at 0x69a8c000'}]})
    expect(root(r)).toMatchObject({id: 'nothing-loaded', checks: expect.arrayContaining(['KD202'])})
    expect(root(r)?.detail).toContain('exit 0: not loaded')
    expect(causeIds(r)).toContain('noreboot-halted')
  })
})

describe("crashkernel= on dom0's line when Xen has its own", () => {
  it.each(['R', 'D', 'RANGE'])('is only a note in %s, whose Xen line carries crashkernel= too', async (scenario) => {
    const result = await explain(scenario)
    const dom0 = result.causes.find((c) => c.id === 'crashkernel-on-dom0-line')
    expect(dom0?.role).toBe('note')
  })

  it('still contributes in C, where it is the only crashkernel= there is', async () => {
    const result = await explain('C')
    expect(result.causes.find((c) => c.id === 'crashkernel-on-dom0-line')?.role).toBe('contributing')
  })
})

// ---- The incident's mechanism (issue 14): the lab's test module (lab/guest/kdumplab) makes an Oops in
// a kernel thread, or a kernel thread stuck in D state, inside dom0; these logs are the real consoles.
// makedumpfile's progress line (hundreds of CR-separated records) is shortened to its first and last
// four records; nothing else is edited.

describe('lab scenario OOPS: an Oops in a kernel thread, panic_on_oops=0, a working capture kernel loaded', () => {
  it('no crash was ever handed to a capture kernel: not "nothing loaded"', async () => {
    const r = await explain('OOPS')
    expect(r.verdict).toMatchObject({outcome: 'no-dump-attempted', vmcore: 'not-written', dump_attempted: false, capture_kernel_ran: false, host_after_crash: 'running', crash: null})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('crash')
    expect(r.verdict.headline).toBe('No vmcore: the kernel oopsed but never panicked, so no crash was ever handed to a capture kernel (one was loaded and ready).')
    expect(link(r, 'image')).toMatchObject({status: 'ok'})
    expect(link(r, 'region')).toMatchObject({status: 'ok'})
    expect(link(r, 'crash').evidence[0]?.text).toContain('BUG: kernel NULL pointer dereference')
    expect(causeIds(r)).not.toContain('nothing-loaded')
    expect(r.causes).toHaveLength(1)
    expect(root(r)).toMatchObject({id: 'oops-did-not-panic', checks: ['KD502']})
    expect(root(r)?.title).toContain('kdumplab_oops')
    expect(root(r)?.detail).toContain('kernel.panic_on_oops=1')
  })
})

describe('lab scenario OOPS-PANIC: the same Oops with panic_on_oops=1', () => {
  it('the Oops panicked dom0, Xen ran the capture kernel, a vmcore was written', async () => {
    const r = await explain('OOPS-PANIC')
    expect(r.verdict).toMatchObject({outcome: 'vmcore-written', vmcore: 'written', dump_attempted: true, capture_kernel_ran: true, host_after_crash: 'rebooted', first_broken_link: null})
    expect(r.exit_code).toBe(0)
    expect(r.verdict.crash?.text).toContain('Kernel panic - not syncing: Fatal exception')
    expect(r.facts.trigger?.value).toBe('an Oops in kdumplab_oops that panicked (panic_on_oops=1 or a fatal context)')
    expect(r.causes.filter((c) => c.role !== 'note')).toEqual([])
  })
})

describe('lab scenario HUNG: a kernel thread stuck in D state, hung_task_panic=0', () => {
  it('the hung-task detector reported it and the kernel carried on: no dump attempted, KD503 as root', async () => {
    const r = await explain('HUNG')
    expect(r.verdict).toMatchObject({outcome: 'no-dump-attempted', vmcore: 'not-written', dump_attempted: false, host_after_crash: 'running'})
    expect(r.verdict.headline).toBe('No vmcore: the host hung but the kernel never panicked, so no crash was ever handed to a capture kernel (one was loaded and ready).')
    expect(link(r, 'crash').evidence[0]?.text).toMatch(/INFO: task kdumplab-wait:\d+ blocked for more than 10 seconds\./)
    expect(root(r)).toMatchObject({id: 'hang-did-not-panic', checks: expect.arrayContaining(['KD503'])})
    expect(causeIds(r)).not.toContain('nothing-loaded')
    expect(r.causes.filter((c) => c.role === 'contributing')).toEqual([])
  })
})

describe('lab scenario NATIVE: the same kernel on bare metal, kdump-tools as packaged', () => {
  it('a native panic went through the kernel\'s own kexec path to a filtered vmcore', async () => {
    const r = await explain('NATIVE')
    expect(r.verdict).toMatchObject({outcome: 'vmcore-written', vmcore: 'written', capture_kernel_ran: true, dump_attempted: true, first_broken_link: null})
    expect(r.exit_code).toBe(0)
    expect(r.facts.xen_version).toBeUndefined()
    expect(r.facts.dom0_kernel?.value).toBe('6.1.0-57-amd64')
    expect(r.facts.panic_reason?.value).toBe('sysrq triggered crash')
    expect(r.causes).toEqual([])
  })
})


describe("lab scenario NMI-DEFAULT: dom0 hung, an NMI from outside, Xen's default nmi=", () => {
  it('Xen 4.17 forwarded the NMI to dom0, which logged it and carried on: nmi-did-not-panic, KD602', async () => {
    const r = await explain('NMI-DEFAULT')
    expect(r.verdict).toMatchObject({outcome: 'no-dump-attempted', vmcore: 'not-written', dump_attempted: false, host_after_crash: 'running'})
    expect(r.verdict.headline).toBe('No vmcore: an NMI arrived but the kernel never panicked, so no crash was ever handed to a capture kernel (one was loaded and ready).')
    expect(link(r, 'crash').evidence.map((e) => e.text)).toContain('[ 1473.828705] Uhhuh. NMI received for unknown reason 00 on CPU 0.')
    expect(root(r)).toMatchObject({id: 'nmi-did-not-panic', checks: ['KD602']})
    expect(root(r)?.detail).toContain('nmi=fatal')
    expect(root(r)?.detail).toContain('release build of Xen (nmi=dom0 by default)')
  })
})
