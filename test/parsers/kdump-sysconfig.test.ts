import {describe, expect, it} from 'vitest'
import {KDUMP_TOOLS_DEFAULTS, parseKdumpSysconfig, parseKdumpTools} from '../../src/parsers/kdump-sysconfig.js'
import {DEBIAN12_KDUMP_TOOLS} from './config-samples.js'
import {neverThrows, value} from './never-throws.js'

// RHEL 5.11 / CentOS 5 /etc/sysconfig/kdump (x86_64).
const RHEL5 = `# Kernel Version string for the -kdump kernel, such as 2.6.13-1544.FC5kdump
# If no version is specified, then the init script will try to find a
# kdump kernel with the same version number as the running kernel.
KDUMP_KERNELVER=""

# The kdump commandline is the command line that needs to be passed off to
# the kdump kernel.  This will likely match the contents of the grub kernel
# line.  For example:
#   KDUMP_COMMANDLINE="ro root=LABEL=/"
# If a command line is not specified, the default will be taken from
# /proc/cmdline
KDUMP_COMMANDLINE=""

# This variable lets us append arguments to the current kdump commandline
# As taken from either KDUMP_COMMANDLINE above, or from /proc/cmdline
KDUMP_COMMANDLINE_APPEND="irqpoll maxcpus=1 reset_devices"

# Any additional kexec arguments required.  In most situations, this should
# be left empty
#
# Example:
#   KEXEC_ARGS="--elf32-core-headers"
KEXEC_ARGS=" --args-linux"

#Where to find the boot image
KDUMP_BOOTDIR="/boot"

#What is the image type used for kdump
KDUMP_IMG="vmlinuz"

#What is the images extension.  Relocatable kernels don't have one
KDUMP_IMG_EXT=""
`

// RHEL 7.9 /etc/sysconfig/kdump.
const RHEL7 = `# Kernel Version string for the -kdump kernel, such as 2.6.13-1544.FC5kdump
# If no version is specified, then the init script will try to find a
# kdump kernel with the same version number as the running kernel.
KDUMP_KERNELVER=""

# The kdump commandline is the command line that needs to be passed off to
# the kdump kernel.  This will likely match the contents of the grub kernel
# line.  For example:
#   KDUMP_COMMANDLINE="ro root=LABEL=/"
# Dracut depends on proper root= options, so please make sure that appropriate
# root= options are copied from /proc/cmdline. In general it is best to append
# command line options using "KDUMP_COMMANDLINE_APPEND=".
# If a command line is not specified, the default will be taken from
# /proc/cmdline
KDUMP_COMMANDLINE=""

# This variable lets us remove arguments from the current kdump commandline
# as taken from either KDUMP_COMMANDLINE above, or from /proc/cmdline
# NOTE: some arguments such as crashkernel will always be removed
KDUMP_COMMANDLINE_REMOVE="hugepages hugepagesz slub_debug quiet"

# This variable lets us append arguments to the current kdump commandline
# after processed by KDUMP_COMMANDLINE_REMOVE
KDUMP_COMMANDLINE_APPEND="irqpoll nr_cpus=1 reset_devices cgroup_disable=memory mce=off numa=off udev.children-max=2 panic=10 acpi_no_memhotplug transparent_hugepage=never nokaslr disable_cpu_apicid=0"

# Any additional kexec arguments required.  In most situations, this should
# be left empty
#
# Example:
#   KEXEC_ARGS="--elf32-core-headers"
KEXEC_ARGS=""

#Where to find the boot image
#KDUMP_BOOTDIR="/boot"

#What is the image type used for kdump
KDUMP_IMG="vmlinuz"

#What is the images extension.  Relocatable kernels don't have one
KDUMP_IMG_EXT=""
`

// SLES 15 /etc/sysconfig/kdump (abridged: most keys and comments kept as shipped).
const SLES15 = `## Path:        System/Kernel/Kdump
## Description: Crash Dump Configuration

## Type:        string
## Default:     ""
## ServiceRestart:      kdump
#
# Kernel Version string for the -kdump kernel. Use an empty string to
# auto-detect a suitable kernel.
#
# See also: kdump(5).
#
KDUMP_KERNELVER=""

## Type:        integer
## Default:     1
## ServiceRestart:      kdump
#
# Number of CPUs to be used in the kdump environment.
#
KDUMP_CPUS=1

## Type:        string
## Default:     ""
## ServiceRestart:      kdump
#
# The kdump commandline is the command line that needs to be passed off to
# the kdump kernel.
#
KDUMP_COMMANDLINE=""

## Type:        string
## Default:     ""
## ServiceRestart:      kdump
#
KDUMP_COMMANDLINE_APPEND=""

## Type:        string
## Default:     ""
## ServiceRestart:      kdump
#
KEXEC_OPTIONS=""

## Type:        yesno
## Default:     "yes"
KDUMP_IMMEDIATE_REBOOT="yes"

## Type:        string
## Default:     "file:///var/crash"
KDUMP_SAVEDIR="file:///var/crash"

## Type:        integer
## Default:     5
KDUMP_KEEP_OLD_DUMPS=5

## Type:        integer(0:31)
## Default:     31
KDUMP_DUMPLEVEL=31

## Type:        list(,none,ELF,compressed,lzo,snappy,zstd,raw)
## Default:     "lzo"
KDUMP_DUMPFORMAT="lzo"
`

describe('parseKdumpSysconfig', () => {
  it('reads RHEL 5: append line, kexec args with a leading blank, image naming', () => {
    const c = value(parseKdumpSysconfig(RHEL5))
    expect(c.flavour).toBe('rhel')
    expect(c.kernelVer).toMatchObject({value: '', line: 4})
    expect(c.commandline).toMatchObject({value: '', line: 12})
    expect(c.commandlineAppend).toMatchObject({value: 'irqpoll maxcpus=1 reset_devices', line: 16, raw: '"irqpoll maxcpus=1 reset_devices"'})
    expect(c.kexecArgs!.value).toBe(' --args-linux')
    expect(c.rhelKernelPathTemplate).toBe('/boot/vmlinuz-<release>')
    expect(c.commandlineRemove).toBeUndefined()
    expect(c.crashCoredump).toBeUndefined()
  })

  it('reads RHEL 7: remove list, commented KDUMP_BOOTDIR falls back to /boot', () => {
    const c = value(parseKdumpSysconfig(RHEL7))
    expect(c.commandlineRemove!.value).toBe('hugepages hugepagesz slub_debug quiet')
    expect(c.commandlineAppend!.value).toMatch(/^irqpoll nr_cpus=1 reset_devices /)
    expect(c.bootDir).toBeUndefined()
    expect(c.rhelKernelPathTemplate).toBe('/boot/vmlinuz-<release>')
    expect(Object.keys(c.vars)).toEqual(['KDUMP_KERNELVER', 'KDUMP_COMMANDLINE', 'KDUMP_COMMANDLINE_REMOVE', 'KDUMP_COMMANDLINE_APPEND', 'KEXEC_ARGS', 'KDUMP_IMG', 'KDUMP_IMG_EXT'])
  })

  it('reads SLES 15: CPUs, save dir, dump level and format, KEXEC_OPTIONS as kexec args', () => {
    const c = value(parseKdumpSysconfig(SLES15))
    expect(c.flavour).toBe('suse')
    expect(c.cpus).toMatchObject({value: '1', line: 21})
    expect(c.saveDir!.value).toBe('file:///var/crash')
    expect(c.dumpLevel!.value).toBe('31')
    expect(c.dumpFormat!.value).toBe('lzo')
    expect(c.kexecArgs!.line).toBe(42)
  })

  it('reads CRASH_COREDUMP wherever it is set (constructed sample)', () => {
    const c = value(parseKdumpSysconfig("# keep the vmcore, not only the analysis\nCRASH_COREDUMP='yes'\n"))
    expect(c.crashCoredump).toMatchObject({value: 'yes', line: 2})
    expect(c.flavour).toBe('unknown')
  })

  it('never throws', () => {
    neverThrows([RHEL5, RHEL7, SLES15], (t) => parseKdumpSysconfig(t))
  })
})

describe('parseKdumpTools', () => {
  it("reads Debian 12's shipped file: on, capture kernel in /var/lib/kdump, built-in defaults for the rest", () => {
    const r = parseKdumpTools(DEBIAN12_KDUMP_TOOLS)
    expect(r.problems).toEqual([])
    const k = value(r)
    expect(k.useKdump).toBe(true)
    expect(k.useKdumpSetting).toMatchObject({value: '1', line: 7})
    expect(k.kernel).toMatchObject({value: '/var/lib/kdump/vmlinuz', line: 17})
    expect(k.initrd).toMatchObject({value: '/var/lib/kdump/initrd.img', line: 18})
    expect(k.coreDirSetting).toMatchObject({value: '/var/crash', line: 37})
    expect(k.coreDir).toBe('/var/crash')
    // Commented out in the shipped file: kdump-config uses dom0's /proc/cmdline and its own append list.
    expect(k.cmdline).toBeUndefined()
    expect(k.cmdlineAppendSetting).toBeUndefined()
    expect(k.cmdlineAppend).toBe('reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb')
    expect(k.makedumpArgs).toBe('-F -c -d 31')
    expect(Object.keys(k.vars)).toEqual(['USE_KDUMP', 'KDUMP_KERNEL', 'KDUMP_INITRD', 'KDUMP_COREDIR'])
  })

  it('follows kdump-config: USE_KDUMP=0 or empty is off, -F is added, empty values take defaults', () => {
    const off = value(parseKdumpTools('USE_KDUMP=0\nMAKEDUMP_ARGS="-c -d 31 -X"\nKDUMP_CMDLINE_APPEND=""\nKDUMP_COREDIR=\n'))
    expect(off.useKdump).toBe(false)
    expect(off.makedumpArgs).toBe('-c -d 31 -X -F')
    expect(off.cmdlineAppend).toBe(KDUMP_TOOLS_DEFAULTS.cmdlineAppend)
    expect(off.coreDir).toBe('/var/crash')
    expect(value(parseKdumpTools('USE_KDUMP=\n')).useKdump).toBe(false)
    expect(value(parseKdumpTools('# nothing\n')).useKdump).toBe(false)
  })

  it('keeps an explicit capture command line and remote targets with their lines', () => {
    const k = value(
      parseKdumpTools(
        'USE_KDUMP=1\nKDUMP_CMDLINE="root=/dev/sda1 console=ttyS0,115200"\nKDUMP_CMDLINE_APPEND="$KDUMP_CMDLINE_APPEND nr_cpus=1"\nSSH="kdump@backup.example.org"\nMAKEDUMP_ARGS="-F -E -X -d 0"\n',
      ),
    )
    expect(k.cmdline).toMatchObject({value: 'root=/dev/sda1 console=ttyS0,115200', line: 2})
    // The variable is empty when the file is sourced, so the self-reference adds nothing.
    expect(k.cmdlineAppend).toBe(' nr_cpus=1')
    expect(k.ssh).toMatchObject({value: 'kdump@backup.example.org', line: 4})
    expect(k.makedumpArgs).toBe('-F -E -X -d 0')
  })

  it('never throws', () => {
    neverThrows([DEBIAN12_KDUMP_TOOLS], (t) => parseKdumpTools(t))
  })
})
