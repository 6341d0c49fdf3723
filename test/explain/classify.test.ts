import {describe, expect, it} from 'vitest'
import {classifyLine} from '../../src/explain/classify.js'
import {detectLine} from '../../src/explain/line-format.js'

const signal = (line: string) => classifyLine(detectLine(line))

// Exact strings of each era: the primer's, the lab's serial logs', the incident's.
const table: [string, Record<string, unknown>][] = [
  // sysrq-c across kernel versions
  ['SysRq : Trigger a crashdump', {kind: 'sysrq-crash', wording: 'Trigger a crashdump'}],
  ['2016-12-17 00:21:07\tSysRq : Trigger a crash', {kind: 'sysrq-crash', wording: 'Trigger a crash'}],
  ['[  100.1] sysrq: SysRq : Trigger a crash', {kind: 'sysrq-crash'}],
  ['[    8.495993] sysrq: Trigger a crash', {kind: 'sysrq-crash'}],
  // panics
  ['Kernel panic - not syncing: Fatal exception', {kind: 'panic', reason: 'Fatal exception'}],
  ['[    9.67] Kernel panic - not syncing: sysrq triggered crash', {kind: 'panic', reason: 'sysrq triggered crash'}],
  ['Kernel panic - not syncing: hung_task: blocked tasks', {kind: 'panic', reason: 'hung_task: blocked tasks'}],
  ['---[ end Kernel panic - not syncing: Fatal exception ]---', {kind: 'panic-end', reason: 'Fatal exception'}],
  ['Rebooting in 10 seconds..', {kind: 'panic-reboot-timer', seconds: 10}],
  ['Kexec: Warning: crash image not loaded', {kind: 'kexec-not-loaded'}],
  // Oops pieces, old and new wording
  ['BUG: unable to handle kernel paging request at ffff880338b65000', {kind: 'oops-start'}],
  ['BUG: unable to handle kernel NULL pointer dereference at (null)', {kind: 'oops-start'}],
  ['BUG: kernel NULL pointer dereference, address: 0000000000000000', {kind: 'oops-start'}],
  ['BUG: unable to handle page fault for address: ffffa0000000', {kind: 'oops-start'}],
  ['kernel BUG at mm/slub.c:3901!', {kind: 'oops-start'}],
  ['general protection fault: 0000 [#1] SMP', {kind: 'oops-start'}],
  ['Oops: 0002 [#2] SMP ', {kind: 'oops-number', code: '0002', number: 2}],
  ['Oops: general protection fault, probably for non-canonical address 0xdead: 0000 [#1] PREEMPT SMP NOPTI', {kind: 'oops-number', number: 1}],
  ['IP: [<ffffffff8113cd8c>] fsnotify_create_event+0x90/0x133', {kind: 'oops-ip', fn: 'fsnotify_create_event'}],
  ['IP: [] sysrq_handle_crash+0x16/0x20', {kind: 'oops-ip', fn: 'sysrq_handle_crash'}],
  ['RIP: 0010:fsnotify_create_event+0x90/0x133', {kind: 'oops-ip', fn: 'fsnotify_create_event'}],
  ['Pid: 17118, comm: tdc_admin Tainted: P        W  2.6.32.36-houyi.0.2.0.8.release2629463.el5xen #1 Tecal RH2288 V2-12L', {kind: 'task-line', pid: 17118, comm: 'tdc_admin', taint: 'P        W', release: '2.6.32.36-houyi.0.2.0.8.release2629463.el5xen'}],
  ['Pid: 25052, comm: tee Tainted: P      D W  2.6.32.36-houyi.0.2.0.8.release2629463.el5xen#1 Tecal RH2288 V2-12L', {kind: 'task-line', comm: 'tee', taint: 'P      D W', release: '2.6.32.36-houyi.0.2.0.8.release2629463.el5xen'}],
  ['CPU: 1 PID: 1 Comm: init Not tainted 6.1.0-56-amd64 #1  Debian 6.1.192-2', {kind: 'task-line', pid: 1, comm: 'init', taint: '', release: '6.1.0-56-amd64'}],
  ['CPU: 0 UID: 0 PID: 77 Comm: bash Tainted: G      D W          6.12.0 #1', {kind: 'task-line', comm: 'bash', taint: 'G      D W'}],
  ['Process tdc_admin (pid: 17118, threadinfo ffff88021ec10000, task ffff880078b4c4a0)', {kind: 'task-line', comm: 'tdc_admin', pid: 17118}],
  ['---[ end trace d095cf305a651089 ]---', {kind: 'end-trace', id: 'd095cf305a651089'}],
  ['[<ffffffff8113c9f2>] fsnotify+0xba/0x11d', {kind: 'frame', fn: 'fsnotify', reliable: true}],
  ['[<ffffffff81042e8f>] ? need_resched+0x23/0x2d', {kind: 'frame', fn: 'need_resched', reliable: false}],
  ['[    8.51]  sysrq_handle_crash+0x16/0x20', {kind: 'frame', fn: 'sysrq_handle_crash', reliable: true}],
  ['WARNING: at fs/notify/fsnotify.c:123 fsnotify+0x1/0x2()', {kind: 'warning', location: 'fs/notify/fsnotify.c:123'}],
  ['WARNING: CPU: 0 PID: 1 at kernel/foo.c:9 foo+0x1/0x2', {kind: 'warning', location: 'kernel/foo.c:9', fn: 'foo'}],
  // hangs
  ['INFO: task virsh:541 blocked for more than 120 seconds.', {kind: 'hung-task', comm: 'virsh', pid: 541, seconds: 120}],
  ['[  246.8] INFO: task kworker/0:1:11 blocked for more than 122 seconds.', {kind: 'hung-task', comm: 'kworker/0:1', pid: 11}],
  ['BUG: soft lockup - CPU#3 stuck for 67s! [qemu-dm:26825]', {kind: 'soft-lockup', cpu: 3, seconds: 67, comm: 'qemu-dm', pid: 26825}],
  ['watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [kworker/0:2:123]', {kind: 'soft-lockup', cpu: 0, comm: 'kworker/0:2'}],
  ['NMI watchdog: Watchdog detected hard LOCKUP on cpu 5', {kind: 'hard-lockup', cpu: 5}],
  ['INFO: rcu_sched self-detected stall on CPU', {kind: 'rcu-stall', flavor: 'rcu_sched'}],
  ['rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:', {kind: 'rcu-stall', flavor: 'rcu_preempt'}],
  ['Uhhuh. NMI received for unknown reason 3d on CPU 0.', {kind: 'nmi'}],
  // boot and region
  ['[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)', {kind: 'kernel-boot', release: '6.1.0-56-amd64'}],
  ['[    0.000000] Command line: console=ttyS0 irqpoll elfcorehdr=1995148K', {kind: 'kernel-cmdline', cmdline: 'console=ttyS0 irqpoll elfcorehdr=1995148K'}],
  ['[    0.232894] Ignoring crashkernel for a Xen PV domain', {kind: 'dom0-crashkernel-ignored'}],
  ['Reserving 160MB of memory at 688MB for crashkernel (System RAM: 2047MB)', {kind: 'region-reserved', by: 'linux', sizeMB: 160}],
  ['crashkernel reserved: 0x0000000069000000 - 0x0000000079000000 (256 MB)', {kind: 'region-reserved', by: 'linux', sizeMB: 256}],
  ['[    0.0] Hypervisor detected: Xen PV', {kind: 'xen-pv-domain'}],
  ['kernel.panic_on_oops = 0', {kind: 'sysctl-value', key: 'kernel.panic_on_oops', value: '0'}],
  // Xen, each version's wording
  ['(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)', {kind: 'xen-version', version: '4.17.7', source: 'xen'}],
  ['(XEN) Command line: console=com1 noreboot crashkernel=256M,below=4G ', {kind: 'xen-cmdline', cmdline: 'console=com1 noreboot crashkernel=256M,below=4G', source: 'boot'}],
  ['(XEN) Kdump: 256MB (262144kB) at 0x69d07000', {kind: 'region-reserved', by: 'xen', sizeMB: 256, at: '0x69d07000'}],
  ['(XEN) Kdump: 128MB (131072kB) at 0x2000000', {kind: 'region-reserved', by: 'xen', sizeMB: 128}],
  ['(XEN) Kdump: DISABLED (failed to reserve 256MB (262144kB) at 0x0)', {kind: 'region-failed', by: 'xen'}],
  ["(XEN) crashkernel: ':' expected", {kind: 'region-config-error'}],
  ["(XEN) Domain 0 crashed: 'noreboot' set - not rebooting.", {kind: 'xen-crash', wording: 'Domain 0', action: 'halt'}],
  ['(XEN) Domain 0 crashed: rebooting machine in 5 seconds.', {kind: 'xen-crash', wording: 'Domain 0', action: 'reboot'}],
  ['(XEN) Domain 0 crashed: Executing crash image', {kind: 'xen-crash', wording: 'Domain 0', action: 'kexec'}],
  ['(XEN) Domain 0 crashed: Executing kexec image on cpu2', {kind: 'xen-crash', action: 'kexec'}],
  ["(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting.", {kind: 'xen-crash', wording: 'Hardware Dom', domain: 0, action: 'halt'}],
  ['(XEN) Hardware Dom0 crashed: Executing kexec image on cpu0', {kind: 'xen-crash', wording: 'Hardware Dom', action: 'kexec'}],
  ['(XEN) Shot down all CPUs', {kind: 'xen-shootdown'}],
  ['(XEN) System RAM: 2047MB (2096612kB)', {kind: 'xen-system-ram', mb: 2047, kb: 2096612}],
  ['(XEN) Panic on CPU 3:', {kind: 'xen-panic', cpu: 3}],
  ["(XEN) Manual reset required ('noreboot' specified)", {kind: 'xen-after-panic', action: 'halt'}],
  ['(XEN) Reboot in five seconds...', {kind: 'xen-after-panic', action: 'reboot'}],
  ['(XEN) Domain 0 shutdown: watchdog rebooting machine.', {kind: 'xen-watchdog'}],
  ['(XEN) Hardware Dom0 shutdown: watchdog rebooting machine', {kind: 'xen-watchdog'}],
  ["(XEN) 'C' pressed -> triggering crashdump", {kind: 'xen-key-crash'}],
  ['(XEN)  * no crash kernel loaded!', {kind: 'xen-no-crash-kernel'}],
  ['xen_commandline        : console=com1 noreboot', {kind: 'xen-cmdline', source: 'xl-info'}],
  ['xen_version            : 4.17.7', {kind: 'xen-version', version: '4.17.7', source: 'xl-info'}],
  // kexec-tools and the kdump services
  ['Cannot load /crash/vmlinuz', {kind: 'kexec-load-failed', reason: 'cannot-load'}],
  ['Memory for crashkernel is not reserved', {kind: 'kexec-load-failed', reason: 'no-region'}],
  ["kexec: invalid option -- 'S'", {kind: 'kexec-load-failed', reason: 'old-kexec'}],
  ['kexec_load failed: Cannot assign requested address', {kind: 'kexec-load-failed', reason: 'other'}],
  ['Kdump is operational', {kind: 'kdump-status', ready: true}],
  ['Kdump is not operational', {kind: 'kdump-status', ready: false}],
  ['No memory reserved for crash kernel', {kind: 'kdump-status', ready: false}],
  ['LAB:   current state   : Not ready to kdump', {kind: 'kdump-status', ready: false}],
  ['current state   : ready to kdump', {kind: 'kdump-status', ready: true}],
  ['[ ok ] kdump-tools: loaded kdump kernel', {kind: 'kdump-loaded'}],
  // a kexec -p a tool printed (kdump-config show's recorded command, a service echoing what it runs): output, not typed
  ['LAB:     /sbin/kexec -p --command-line="console=hvc0 earlyprintk=xen  reset_devices nr_cpus=1" --initrd=/var/lib/kdump/initrd.img /var/lib/kdump/vmlinuz', {kind: 'kexec-shown', kernel: '/var/lib/kdump/vmlinuz', append: 'console=hvc0 earlyprintk=xen  reset_devices nr_cpus=1'}],
  ['LAB:   kexec -p --command-line="console=ttyS0,115200 irqpoll" --initrd=/boot/initramfs-kdump.img /boot/vmlinuz', {kind: 'kexec-shown', append: 'console=ttyS0,115200 irqpoll'}],
  // capture side
  ['kdump: saving to /sysroot/var/crash/127.0.0.1-2016-12-17-00:21:10/', {kind: 'capture-start'}],
  ['kdump: saving vmcore', {kind: 'collector-start', dmesgOnly: false}],
  ['[  206.288378] kdump[569]: saving vmcore complete', {kind: 'dump-saved', claimed: false}],
  ['kdump: saving vmcore failed, _exitcode:1', {kind: 'dump-failed'}],
  ['KDUMP:   [info] running makedumpfile -F -c -d 31 /proc/vmcore | compress > /var/crash/2/dump-incomplete', {kind: 'collector-start', dmesgOnly: false}],
  ['KDUMP:   [info] running makedumpfile --dump-dmesg /proc/vmcore /var/crash/2/dmesg.2', {kind: 'collector-start', dmesgOnly: true}],
  ["KDUMP:   /proc/vmcore doesn't contain vmcoreinfo.", {kind: 'collector-failed', reason: 'no-vmcoreinfo'}],
  ['KDUMP:   makedumpfile Failed.', {kind: 'collector-failed', reason: 'generic'}],
  ['makedumpfile Completed.', {kind: 'collector-ok'}],
  ['The dumpfile is saved to /var/crash/127.0.0.1/vmcore-incomplete.', {kind: 'collector-ok', path: '/var/crash/127.0.0.1/vmcore-incomplete'}],
  ['write_buffer: Can\'t write the dump file(/var/crash/vmcore). No space left on device', {kind: 'collector-failed', reason: 'no-space'}],
  ['KDUMP:   [ ok ] kdump-config: saved vmcore in /var/crash/202611290921', {kind: 'dump-saved', claimed: true, path: '/var/crash/202611290921'}],
  ['Nov 01 15:41:53 box kdump-tools[618]:  * kdump-tools: saved vmcore in /var/crash/202511011541', {kind: 'dump-saved', claimed: true}],
  ['KDUMP:   -rw-r--r--    1 0        0                0 Nov 29 09:21 /var/crash/202611290921/dump.202611290921', {kind: 'dump-file', size: 0}],
  ['KDUMP:   Missing the log_buf symbol', {kind: 'no-linux-vmcoreinfo'}],
  ['KDUMP: /proc/vmcore present, size=1878523904 bytes', {kind: 'vmcore-present', size: 1878523904}],
  ['KDUMP: vmcore copied to /dev/vda at offset 1MiB (started at uptime 3.19s, done at 34.72s)', {kind: 'dump-saved', claimed: false, path: '/dev/vda'}],
  ['[   34.767691] reboot: Restarting system', {kind: 'reboot'}],
  // typed commands
  ['echo c > /proc/sysrq-trigger', {kind: 'command', command: {type: 'sysrq-trigger', key: 'c'}}],
  ["echo '/apsara/dump/core_%e.%p' | sudo tee /proc/sys/kernel/core_pattern", {kind: 'command', command: {type: 'sysctl-write', key: 'kernel.core_pattern', value: '/apsara/dump/core_%e.%p'}}],
  ['# sysctl -w kernel.hung_task_panic=1', {kind: 'command', command: {type: 'sysctl-write', key: 'kernel.hung_task_panic', value: '1'}}],
  ['Dec 17 00:21:06 host sudo:    admin : TTY=pts/0 ; PWD=/home/admin ; USER=root ; COMMAND=/usr/bin/tee /proc/sysrq-trigger', {kind: 'command', command: {type: 'sysrq-trigger'}}],
  ['$ kexec -p /boot/vmlinuz-kdump --initrd=/boot/initrd-kdump --append="console=hvc0 irqpoll"', {kind: 'command', command: {type: 'kexec-load', kernel: '/boot/vmlinuz-kdump', append: 'console=hvc0 irqpoll'}}],
  ['LAB: ----- kexec -p -S  (exit 1 = loaded)', {kind: 'command', command: {type: 'kexec-status'}}],
  ['#ps aux | grep D', {kind: 'command', command: {type: 'ps'}}],
  ['USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND', {kind: 'ps-header'}],
  ['top - 23:36:57 up 1001 days,  6:25,  1 user,  load average: 33.93, 32.14, 27.21', {kind: 'top', clock: '23:36:57', load: [33.93, 32.14, 27.21]}],
]

describe('classifiers: exact strings of every era', () => {
  it.each(table)('%s', (line, expected) => {
    expect(signal(line)).toMatchObject(expected)
  })
})

describe('classifiers: what must not match', () => {
  it.each([
    // Prose that quotes the strings mid-sentence (the incident README does) is not an event.
    "| `console-oob.log` | the console: `SysRq : Trigger a crash`, `Kernel panic - not syncing: Fatal exception`, and `(XEN) Domain 0 crashed: 'noreboot' set - not rebooting.` |",
    '3. Under Xen, a dom0 panic is handed to the hypervisor. The console goes straight to `Domain 0 crashed:`.',
    'The first Oops (Dec 16 22:26) did not panic the kernel',
    'sshd[123]: Accepted publickey for root from 10.0.0.1',
    'Dec 16 22:26:02 host CRON[1]: (root) CMD (Kernel panic - not syncing: x)',
    'KDUMP:   00000000  7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00  |.ELF............|',
    'KDUMP: -r--------    1 0        0        1878523904 Nov 29 09:21 /proc/vmcore',
    'Current state: ready to kdump is a sentence',
    // A printed kexec -p says something about the capture kernel only with its command line; prose that quotes one says nothing.
    'LAB:   kexec -p /boot/vmlinuz --initrd=/boot/initrd.img',
    'Use kexec -p --command-line="console=ttyS0" to load it by hand',
    '(XEN) System RAM is 2047MB',
  ])('%s', (line) => {
    const s = signal(line)
    expect(s === undefined || s.kind === 'command').toBe(true)
    if (s?.kind === 'command') expect(s.command.type).toBe('other')
  })
})
