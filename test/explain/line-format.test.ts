import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {classifyLine} from '../../src/explain/classify.js'
import {detectLine, type LineFormat} from '../../src/explain/line-format.js'
import {isoOf} from '../../src/explain/time.js'

interface Case {
  line: string
  format: LineFormat
  text: string
  time?: string
  program?: string
  origin?: 'xen' | 'program' | 'console'
  command?: boolean
  quoted?: boolean
}

// Real lines from the incident, the lab's serial logs and the formats the issue names.
const cases: Case[] = [
  {line: '2016-12-17 00:21:07\tSysRq : Trigger a crash', format: 'console', text: 'SysRq : Trigger a crash', time: '2016-12-17T00:21:07'},
  {line: "2016-12-17 00:21:08\t(XEN) Domain 0 crashed: 'noreboot' set - not rebooting.", format: 'console', text: "Domain 0 crashed: 'noreboot' set - not rebooting.", time: '2016-12-17T00:21:08', origin: 'xen'},
  {line: '2016-12-17 00:21:08\t[] ? send_prio_char+0x1c/0x9b', format: 'console', text: '[] ? send_prio_char+0x1c/0x9b', time: '2016-12-17T00:21:08'},
  {line: 'Dec 16 22:26:02 r7ae07353.cloud.cm9 kernel: : Oops: 0000 [#1] SMP', format: 'syslog', text: 'Oops: 0000 [#1] SMP', program: 'kernel', origin: 'program'},
  {line: 'Dec  6 02:03:04 host kernel: [  206.288378] sysrq: Trigger a crash', format: 'syslog', text: 'sysrq: Trigger a crash', program: 'kernel'},
  {line: 'Nov 01 15:41:53 compooter kdump-tools[618]:  * kdump-tools: saved vmcore in /var/crash/202511011541', format: 'syslog', text: ' * kdump-tools: saved vmcore in /var/crash/202511011541', program: 'kdump-tools'},
  {line: '2016-12-16T22:26:02.123456+08:00 host kernel: Kernel panic - not syncing: Fatal exception', format: 'syslog-iso', text: 'Kernel panic - not syncing: Fatal exception', program: 'kernel', time: '2016-12-16T22:26:02.123'},
  {line: '-- Boot 1a2b3c4d5e6f --', format: 'journal-marker', text: '-- Boot 1a2b3c4d5e6f --'},
  {line: '[    8.497847] Kernel panic - not syncing: sysrq triggered crash', format: 'dmesg', text: 'Kernel panic - not syncing: sysrq triggered crash'},
  {line: '<0>[ 1234.5] Kernel panic - not syncing: Fatal exception', format: 'dmesg', text: 'Kernel panic - not syncing: Fatal exception'},
  {line: '[Fri Dec 16 22:26:02 2016] BUG: unable to handle kernel paging request at ffff880338b65000', format: 'dmesg', text: 'BUG: unable to handle kernel paging request at ffff880338b65000', time: '2016-12-16T22:26:02'},
  {line: '(XEN) Kdump: 256MB (262144kB) at 0x69d07000', format: 'xen', text: 'Kdump: 256MB (262144kB) at 0x69d07000', origin: 'xen'},
  {line: '(XEN) [2023-01-05 10:00:01.123] Hardware Dom0 crashed: rebooting machine in 5 seconds.', format: 'xen', text: 'Hardware Dom0 crashed: rebooting machine in 5 seconds.', origin: 'xen', time: '2023-01-05T10:00:01.123'},
  {line: 'LAB:   (XEN) Kdump: 256MB (262144kB) at 0x69d07000', format: 'transcript', text: 'Kdump: 256MB (262144kB) at 0x69d07000', origin: 'xen', quoted: true},
  {line: 'LAB: ----- kexec -p -S  (asks Xen via xc_kexec_status; exit 1 = crash image loaded, 0 = not)', format: 'transcript', text: 'kexec -p -S', command: true},
  {line: 'KDUMP:   /proc/vmcore doesn\'t contain vmcoreinfo.', format: 'transcript', text: "/proc/vmcore doesn't contain vmcoreinfo."},
  {line: 'KDUMP:   makedumpfile Failed.', format: 'transcript', text: 'makedumpfile Failed.'},
  {line: '[<ffffffff810795df>] synchronize_srcu+0x23/0x75', format: 'stack', text: '[<ffffffff810795df>] synchronize_srcu+0x23/0x75'},
  {line: '#cat /proc/28829/stack', format: 'shell', text: 'cat /proc/28829/stack', command: true},
  {line: '$top', format: 'shell', text: 'top', command: true},
  {line: '[root@dom0 ~]# kexec -p /boot/vmlinuz-kdump', format: 'shell', text: 'kexec -p /boot/vmlinuz-kdump', command: true},
  {line: 'root@dom0:~# sysctl -w kernel.panic_on_oops=1', format: 'shell', text: 'sysctl -w kernel.panic_on_oops=1', command: true},
  {line: "echo '/apsara/dump/core_%e.%p' | sudo tee /proc/sys/kernel/core_pattern", format: 'shell', text: "echo '/apsara/dump/core_%e.%p' | sudo tee /proc/sys/kernel/core_pattern", command: true},
  {line: '# The incident that started this project', format: 'text', text: '# The incident that started this project'},
  {line: 'makedumpfile Completed.', format: 'text', text: 'makedumpfile Completed.'},
  {line: '   ', format: 'blank', text: ''},
]

describe('detectLine', () => {
  it.each(cases)('$line', (c) => {
    const info = detectLine(c.line)
    expect(info.format).toBe(c.format)
    expect(info.text).toBe(c.text)
    if (c.time) expect(info.time && isoOf(info.time)).toBe(c.time)
    if (c.program) expect(info.program).toBe(c.program)
    if (c.origin) expect(info.origin).toBe(c.origin)
    expect(info.command === true).toBe(c.command === true)
    expect(info.quoted === true).toBe(c.quoted === true)
  })

  it('keeps syslog dates without a year as such, for inference later', () => {
    const info = detectLine('Dec 16 22:26:02 r7ae07353.cloud.cm9 kernel: : CPU 3')
    expect(info.time).toMatchObject({kind: 'no-year', month: 12, day: 16, secondOfDay: 22 * 3600 + 26 * 60 + 2})
    expect(info.time?.wall).toBeUndefined()
  })

  it('reads a dmesg stamp inside syslog as uptime', () => {
    expect(detectLine('Dec  6 02:03:04 host kernel: [  206.288378] kdump[569]: saving vmcore complete').uptime).toBeCloseTo(206.288378)
  })

  it('ignores the \\r\\r that serial captures end lines with', () => {
    const info = detectLine('[    8.497847] Kernel panic - not syncing: sysrq triggered crash\r\r')
    expect(info.text).toBe('Kernel panic - not syncing: sysrq triggered crash')
    expect(classifyLine(info)).toEqual({kind: 'panic', reason: 'sysrq triggered crash'})
  })
})

describe('line classifiers are total', () => {
  const prefixes = ['', '(XEN) ', '[  12.345] ', 'Dec 16 22:26:02 host kernel: ', 'Dec 16 22:26:02 host kdump-tools[1]: ', '2016-12-17 00:21:07\t', 'LAB:   ', 'KDUMP: ', '#', '$ ', '<4>[ 1.0] ', '-- ', '[<ffffffff8113c9f2>] ', 'kernel.', 'top - ']
  const words = ['Kernel panic - not syncing: ', 'Oops: ', 'BUG: ', 'Pid: ', 'CPU: ', 'RIP: ', 'Domain 0 crashed: ', 'Hardware Dom', 'Kdump: ', 'crashkernel', 'INFO: task ', 'echo c > /proc/sysrq-trigger', 'kexec -p ', 'saved vmcore in ', 'makedumpfile ', 'exit status: ', '[#', '+0x', '/0x', ' [<', '>] ', 'Tainted: ', '\t', '\u0000', '\ufffd', '|', '`', "'", '"']

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 300, unit: 'binary'}), (line) => {
        const info = detectLine(line)
        classifyLine(info)
      }),
      {numRuns: 3000},
    )
  })

  it('never throws on log-shaped strings built from real prefixes and keywords', () => {
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.array(fc.oneof(fc.constantFrom(...words), fc.string({maxLength: 12})), {maxLength: 12}), (prefix, parts) => {
        const info = detectLine(prefix + parts.join(''))
        const signal = classifyLine(info)
        expect(info.text).toEqual(expect.any(String))
        if (signal) expect(signal.kind).toEqual(expect.any(String))
      }),
      {numRuns: 5000},
    )
  })
})
