import {describe, expect, it} from 'vitest'
import {mergeSysctl, parseSysctlConf, sysctlName, sysctlPath} from '../../src/parsers/sysctl-files.js'
import {neverThrows, value} from './never-throws.js'

// RHEL 5 /etc/sysctl.conf as shipped (initscripts 8.45).
const RHEL5_SYSCTL_CONF = `# Kernel sysctl configuration file for Red Hat Linux
#
# For binary values, 0 is disabled, 1 is enabled.  See sysctl(8) and
# sysctl.conf(5) for more details.

# Controls IP packet forwarding
net.ipv4.ip_forward = 0

# Controls source route verification
net.ipv4.conf.default.rp_filter = 1

# Do not accept source routing
net.ipv4.conf.default.accept_source_route = 0

# Controls the System Request debugging functionality of the kernel
kernel.sysrq = 0

# Controls whether core dumps will append the PID to the core filename
# Useful for debugging multi-threaded applications
kernel.core_uses_pid = 1

# Controls the use of TCP syncookies
net.ipv4.tcp_syncookies = 1

# Controls the maximum size of a message, in bytes
kernel.msgmnb = 65536

# Controls the default maxmimum size of a mesage queue
kernel.msgmax = 65536

# Controls the maximum shared segment size, in bytes
kernel.shmmax = 68719476736

# Controls the maximum number of shared memory segments, in pages
kernel.shmall = 4294967296
`

// RHEL 7: /usr/lib/sysctl.d/50-default.conf (systemd 219), comments shortened.
const RHEL7_50_DEFAULT = `# See sysctl.d(5) and core(5) for for documentation.

# System Request functionality of the kernel (SYNC)
kernel.sysrq = 16

# Append the PID to the core filename
kernel.core_uses_pid = 1

# Source route verification
net.ipv4.conf.default.rp_filter = 1
net.ipv4.conf.all.rp_filter = 1

# Enable hard and soft link protection
fs.protected_hardlinks = 1
fs.protected_symlinks = 1
`
const RHEL7_00_SYSTEM = `# Kernel sysctl configuration file
#
# For binary values, 0 is disabled, 1 is enabled.  See sysctl(8) and
# sysctl.conf(5) for more details.

# Disable netfilter on bridges.
net.bridge.bridge-nf-call-ip6tables = 0
net.bridge.bridge-nf-call-iptables = 0
net.bridge.bridge-nf-call-arptables = 0
`
const RHEL7_SYSCTL_CONF = `# System default settings live in /usr/lib/sysctl.d/00-system.conf.
# To override those settings, enter new settings here, or in an /etc/sysctl.d/<name>.conf file
#
# For more information, see sysctl.conf(5) and sysctl.d(5).
`

// Debian 12: /usr/lib/sysctl.d/50-default.conf (systemd 252), excerpt with its globs and '-' lines.
const DEBIAN12_50_DEFAULT = `# System Request functionality of the kernel (SYNC)
#
# Use kernel.sysrq = 1 to allow all keys.
kernel.sysrq = 0x01b6

# Append the PID to the core filename
kernel.core_uses_pid = 1

# Source route verification
net.ipv4.conf.default.rp_filter = 2
net.ipv4.conf.*.rp_filter = 2
-net.ipv4.conf.all.rp_filter

# ping(8) without CAP_NET_ADMIN and CAP_NET_RAW
-net.ipv4.ping_group_range = 0 2147483647

# Fair Queue CoDel packet scheduler to fight bufferbloat
-net.core.default_qdisc = fq_codel
`
const DEBIAN12_50_PID_MAX = `# Bump the numeric PID range to its maximum of 2^22 (from the in-kernel default
# of 2^16), to make PID collisions less likely.
kernel.pid_max = 4194304
`
const DEBIAN12_SYSCTL_CONF = `#
# /etc/sysctl.conf - Configuration file for setting system variables
# See /etc/sysctl.d/ for additional system variables.
# See sysctl.conf (5) for information.
#

#kernel.domainname = example.com

# Uncomment the following to stop low-level messages on console
#kernel.printk = 3 4 1 3
`

// The incident host's settings, as an operator would persist them (values from operator-commands.txt).
const INCIDENT = `kernel.core_pattern = /apsara/dump/core_%e.%p
kernel.panic_on_oops = 0
; the NMI watchdog button should crash the box
kernel.unknown_nmi_panic = 1
kernel.sysrq = 1
`

describe('parseSysctlConf', () => {
  it('reads RHEL 5 sysctl.conf', () => {
    const f = value(parseSysctlConf(RHEL5_SYSCTL_CONF))
    expect(f.assignments).toHaveLength(10)
    expect(f.assignments[3]).toEqual({name: 'kernel.sysrq', key: 'kernel.sysrq', value: '0', ignoreFailure: false, glob: false, line: 16})
  })

  it("reads Debian's globs, '-' prefixes and exclusions", () => {
    const f = value(parseSysctlConf(DEBIAN12_50_DEFAULT))
    expect(f.assignments.map((a) => [a.name, a.value, a.ignoreFailure, a.glob])).toEqual([
      ['kernel.sysrq', '0x01b6', false, false],
      ['kernel.core_uses_pid', '1', false, false],
      ['net.ipv4.conf.default.rp_filter', '2', false, false],
      ['net.ipv4.conf.*.rp_filter', '2', false, true],
      ['net.ipv4.ping_group_range', '0 2147483647', true, false],
      ['net.core.default_qdisc', 'fq_codel', true, false],
    ])
    expect(f.exclusions).toEqual([{name: 'net.ipv4.conf.all.rp_filter', line: 12}])
  })

  it('keeps values with spaces and reads ; comments and slash keys', () => {
    const f = value(parseSysctlConf(`${INCIDENT}kernel/core_pattern=|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h\nnet/ipv4/conf/enp3s0.200/forwarding = 1\n`))
    expect(f.assignments.map((a) => [a.name, a.value, a.line])).toEqual([
      ['kernel.core_pattern', '/apsara/dump/core_%e.%p', 1],
      ['kernel.panic_on_oops', '0', 2],
      ['kernel.unknown_nmi_panic', '1', 4],
      ['kernel.sysrq', '1', 5],
      ['kernel.core_pattern', '|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h', 6],
      ['net.ipv4.conf.enp3s0/200.forwarding', '1', 7],
    ])
  })

  it('reports lines that are not assignments', () => {
    const r = parseSysctlConf('kernel.panic 10\n = 3\nkernel.panic=10\n')
    expect(r.problems).toEqual([
      {line: 1, message: 'not a key = value line: kernel.panic 10'},
      {line: 2, message: 'assignment without a key: = 3'},
    ])
    expect(value(r).assignments).toHaveLength(1)
  })

  it('never throws', () => neverThrows([RHEL5_SYSCTL_CONF, DEBIAN12_50_DEFAULT, INCIDENT], parseSysctlConf))
})

describe('sysctl names', () => {
  it('swaps separators when the first one is a slash', () => {
    expect(sysctlName('kernel/panic_on_oops')).toBe('kernel.panic_on_oops')
    expect(sysctlName('net/ipv4/conf/enp3s0.200/forwarding')).toBe('net.ipv4.conf.enp3s0/200.forwarding')
    expect(sysctlName('net.ipv4.conf.enp3s0/200.forwarding')).toBe('net.ipv4.conf.enp3s0/200.forwarding')
    expect(sysctlPath('net.ipv4.conf.enp3s0/200.forwarding')).toBe('/proc/sys/net/ipv4/conf/enp3s0.200/forwarding')
    expect(sysctlPath('kernel.core_pattern')).toBe('/proc/sys/kernel/core_pattern')
  })
})

describe('mergeSysctl', () => {
  it('RHEL 7: vendor files by name, then /etc/sysctl.d, /etc/sysctl.conf last', () => {
    const m = value(
      mergeSysctl([
        {path: '/etc/sysctl.conf', text: RHEL7_SYSCTL_CONF + 'kernel.sysrq = 1\n'},
        {path: '/usr/lib/sysctl.d/50-default.conf', text: RHEL7_50_DEFAULT},
        {path: '/usr/lib/sysctl.d/00-system.conf', text: RHEL7_00_SYSTEM},
        {path: '/etc/sysctl.d/99-kdump.conf', text: 'kernel.panic_on_oops = 1\nkernel.sysrq = 0\n'},
      ]),
    )
    expect(m.applied).toEqual(['/usr/lib/sysctl.d/00-system.conf', '/usr/lib/sysctl.d/50-default.conf', '/etc/sysctl.d/99-kdump.conf', '/etc/sysctl.conf'])
    expect(m.effective['kernel.sysrq']).toMatchObject({value: '1', path: '/etc/sysctl.conf', line: 5})
    expect(m.effective['kernel.panic_on_oops']).toMatchObject({value: '1', path: '/etc/sysctl.d/99-kdump.conf', line: 1})
    expect(m.effective['kernel.core_uses_pid']).toMatchObject({value: '1', path: '/usr/lib/sysctl.d/50-default.conf', line: 7})
    expect(m.assignments.filter((a) => a.name === 'kernel.sysrq').map((a) => a.path)).toEqual([
      '/usr/lib/sysctl.d/50-default.conf',
      '/etc/sysctl.d/99-kdump.conf',
      '/etc/sysctl.conf',
    ])
  })

  it('a same-named file masks: /etc over /run over /usr/lib, an empty /etc file disables the vendor one', () => {
    const m = value(
      mergeSysctl([
        {path: '/usr/lib/sysctl.d/50-default.conf', text: DEBIAN12_50_DEFAULT},
        {path: '/etc/sysctl.d/50-default.conf', text: ''},
        {path: '/usr/lib/sysctl.d/50-pid-max.conf', text: DEBIAN12_50_PID_MAX},
        {path: '/run/sysctl.d/50-pid-max.conf', text: 'kernel.pid_max = 65536\n'},
        {path: '/lib/sysctl.d/10-panic.conf', text: 'kernel.panic = 10\n'},
        {path: '/usr/local/lib/sysctl.d/10-panic.conf', text: 'kernel.panic = 0\n'},
        {path: '/etc/sysctl.d/99-sysctl.conf', text: DEBIAN12_SYSCTL_CONF},
        {path: '/etc/sysctl.conf', text: DEBIAN12_SYSCTL_CONF},
        {path: '/etc/sysctl.d/README.sysctl', text: 'kernel.panic = 99\n'},
        {path: '/etc/kdump/sysctl.conf', text: 'kernel.panic_on_oops=1\n'},
      ]),
    )
    expect(m.masked).toEqual([
      {path: '/usr/lib/sysctl.d/50-default.conf', by: '/etc/sysctl.d/50-default.conf'},
      {path: '/usr/lib/sysctl.d/50-pid-max.conf', by: '/run/sysctl.d/50-pid-max.conf'},
      {path: '/lib/sysctl.d/10-panic.conf', by: '/usr/local/lib/sysctl.d/10-panic.conf'},
    ])
    expect(m.applied).toEqual([
      '/usr/local/lib/sysctl.d/10-panic.conf',
      '/etc/sysctl.d/50-default.conf',
      '/run/sysctl.d/50-pid-max.conf',
      '/etc/sysctl.d/99-sysctl.conf',
      '/etc/sysctl.conf',
    ])
    expect(m.ignored).toEqual(['/etc/sysctl.d/README.sysctl', '/etc/kdump/sysctl.conf'])
    expect(m.effective['kernel.sysrq']).toBeUndefined()
    expect(m.effective['kernel.pid_max']).toMatchObject({value: '65536', path: '/run/sysctl.d/50-pid-max.conf'})
    expect(m.effective['kernel.panic']).toMatchObject({value: '0', path: '/usr/local/lib/sysctl.d/10-panic.conf'})
  })

  it('RHEL 5: only /etc/sysctl.conf', () => {
    const m = value(mergeSysctl([{path: '/etc/sysctl.conf', text: RHEL5_SYSCTL_CONF + INCIDENT}]))
    expect(m.effective['kernel.sysrq']).toMatchObject({value: '1', line: 40})
    expect(m.effective['kernel.core_pattern']).toMatchObject({value: '/apsara/dump/core_%e.%p', path: '/etc/sysctl.conf', line: 36})
    expect(Object.keys(m.effective)).toHaveLength(13)
  })

  it('names the file in each problem', () => {
    expect(mergeSysctl([{path: '/etc/sysctl.d/10-x.conf', text: 'oops\n'}]).problems).toEqual([{line: 1, message: '/etc/sysctl.d/10-x.conf:1: not a key = value line: oops'}])
  })

  it('never throws', () => neverThrows([RHEL7_50_DEFAULT, INCIDENT], (text) => mergeSysctl([{path: '/etc/sysctl.d/a.conf', text}, {path: '/etc/sysctl.conf', text}])))
})
