/**
 * The evidence specification: every file, glob and probe kdumpcheck reads, named once (as insights-core's
 * specs name theirs), with where it can come from and the bounds every source keeps.
 *
 * - `runtime`: the collector (collector/kdumpcheck-collect.sh) gathers it from a running host, locally or
 *   over ssh. test/snapshot/spec.test.ts runs the collector against a root holding every runtime item and
 *   fails when one is not collected, or when the collector gathers a file this list does not name.
 * - `static`: the image reader (sources/rootfs.ts, `--root`) reads it from a root filesystem; its file list
 *   is derived from this one. An image has no /proc, /sys or running programs: its probes are the two
 *   listings the reader writes itself from the image's tree (ls-boot, ls-services).
 *
 * Adding evidence is adding an item here, then to the collector for a runtime item (the test says so); a
 * parser and a fact then read it (CONTRIBUTING.md). Renaming or re-meaning one needs a new snapshot format.
 */
import {MiB} from '../units.js'

export type EvidenceKind = 'runtime' | 'static'

export interface FileSpec {
  /** Absolute host path; `*` globs within one directory; `{release}` is the running kernel's `uname -r`. */
  path: string
  kinds: readonly EvidenceKind[]
  /** Who reads it, for what. */
  about: string
}

export interface ProbeSpec {
  /** The name under commands/: `xl-info` gives commands/xl-info.{out,err,exit}. */
  name: string
  /** The program and its arguments, exactly as the collector runs them (a `*` operand is a shell glob). */
  argv: readonly string[]
  kinds: readonly EvidenceKind[]
  about: string
}

/** Limits every source keeps (the collector, the snapshot reader, the image reader). */
export const BOUNDS = {
  /** A file, or a probe's output stream, is kept up to this many bytes; the rest is cut and the cut recorded. */
  fileBytes: 8 * MiB,
  /** A snapshot read from disk or an image: all evidence together. */
  snapshotBytes: 256 * MiB,
  /** Default seconds one probe may run before it is recorded as timed out (`--probe-timeout`). */
  probeSeconds: 10,
  /** Default seconds the whole collection may take on a host (`--timeout`). */
  collectionSeconds: 60,
} as const

/**
 * systemd-sysctl's and `sysctl --system`'s directories, in precedence order (a name in an earlier one masks
 * the same name in a later one); /etc/sysctl.conf comes after them all (parsers/sysctl-files.ts).
 */
export const SYSCTL_D_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'] as const
export const SYSCTL_CONF = '/etc/sysctl.conf'

/** The kernel tunables read from /proc/sys/kernel on a live host. */
export const KERNEL_SYSCTLS = [
  'core_pattern',
  'sysrq',
  'panic',
  'panic_on_oops',
  'hung_task_panic',
  'softlockup_panic',
  'unknown_nmi_panic',
  'panic_on_io_nmi',
  'panic_on_unrecovered_nmi',
  'kexec_load_disabled',
] as const

/** Where systemd finds unit files, highest precedence first (systemd.unit(5)); an image's /run is empty. */
export const SYSTEMD_UNIT_DIRS = ['/etc/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'] as const
/** Where systemd finds presets, highest precedence first (systemd.preset(5)). */
export const SYSTEMD_PRESET_DIRS = ['/etc/systemd/system-preset', '/usr/local/lib/systemd/system-preset', '/usr/lib/systemd/system-preset', '/lib/systemd/system-preset'] as const
/** The kdump services' units: RHEL's and SUSE's, Debian's. */
export const KDUMP_UNITS = ['kdump.service', 'kdump-tools.service'] as const

const BOTH = ['runtime', 'static'] as const
const LIVE = ['runtime'] as const
const IMAGE = ['static'] as const

export const FILES: readonly FileSpec[] = [
  {path: '/proc/cmdline', kinds: LIVE, about: 'the running kernel command line (facts/command-lines.ts)'},
  {path: '/proc/meminfo', kinds: LIVE, about: "MemTotal: the kernel's RAM (facts/kernel-memory.ts)"},
  {path: '/proc/iomem', kinds: LIVE, about: 'the "Crash kernel" range; on xenolinux, Xen\'s own (facts/region.ts, facts/host.ts)'},
  {path: '/proc/mounts', kinds: LIVE, about: 'what is mounted now (facts/storage.ts)'},
  {path: '/proc/xen/capabilities', kinds: LIVE, about: 'control_d: this is dom0 (facts/host.ts)'},
  {path: '/sys/hypervisor/type', kinds: LIVE, about: 'xen (facts/host.ts)'},
  {path: '/sys/hypervisor/version/major', kinds: LIVE, about: 'the Xen version (facts/host.ts)'},
  {path: '/sys/hypervisor/version/minor', kinds: LIVE, about: 'the Xen version (facts/host.ts)'},
  {path: '/sys/hypervisor/version/extra', kinds: LIVE, about: 'the Xen version (facts/host.ts)'},
  {path: '/sys/hypervisor/guest_type', kinds: LIVE, about: 'PV, PVH or HVM (facts/host.ts)'},
  {path: '/sys/kernel/kexec_crash_loaded', kinds: LIVE, about: "the kernel's view of the capture kernel (facts/capture.ts)"},
  {path: '/sys/kernel/kexec_crash_size', kinds: LIVE, about: "the kernel's view of the region (facts/region.ts)"},
  ...KERNEL_SYSCTLS.map((name): FileSpec => ({path: `/proc/sys/kernel/${name}`, kinds: LIVE, about: `kernel.${name} as the host runs with it (facts/sysctl.ts)`})),
  {path: '/etc/kdump.conf', kinds: BOTH, about: "RHEL's kdump configuration (facts/kdump-service.ts, facts/dump-plan.ts)"},
  {path: '/etc/sysconfig/kdump', kinds: BOTH, about: "RHEL's, SUSE's and XenServer's kdump service settings"},
  {path: '/etc/default/kdump-tools', kinds: BOTH, about: "Debian's kdump-tools settings"},
  {path: '/etc/kdump/sysctl.conf', kinds: IMAGE, about: 'tunables kdump-tools sets when it loads (facts/sysctl.ts); a live host shows them in /proc/sys'},
  {path: '/etc/default/grub', kinds: BOTH, about: 'what update-grub/grub2-mkconfig will generate (facts/boot.ts)'},
  {path: '/etc/default/grub.d/*.cfg', kinds: BOTH, about: "grub drop-ins (Debian's xen.cfg)"},
  {path: '/boot/grub/grub.conf', kinds: BOTH, about: 'grub legacy (RHEL 5/6)'},
  {path: '/boot/grub/menu.lst', kinds: BOTH, about: 'grub legacy (Debian, SUSE); often a link to grub.conf'},
  {path: '/boot/grub/default', kinds: BOTH, about: "grub legacy's saved default entry"},
  {path: '/boot/grub/grub.cfg', kinds: BOTH, about: 'grub2 (Debian)'},
  {path: '/boot/grub2/grub.cfg', kinds: BOTH, about: 'grub2 (RHEL 7+)'},
  {path: '/boot/efi/EFI/*/grub.cfg', kinds: BOTH, about: 'grub2 on EFI'},
  {path: '/boot/extlinux.conf', kinds: BOTH, about: 'extlinux'},
  {path: '/boot/grub/grubenv', kinds: BOTH, about: 'GRUB_DEFAULT=saved'},
  {path: '/boot/grub2/grubenv', kinds: BOTH, about: 'GRUB_DEFAULT=saved'},
  {path: '/boot/loader/entries/*.conf', kinds: BOTH, about: 'BLS boot entries (RHEL 8+)'},
  {path: '/boot/config-{release}', kinds: LIVE, about: "the running kernel's build configuration (facts/kernel-config.ts)"},
  {path: '/boot/config-*', kinds: IMAGE, about: "every kernel's build configuration: an image's newest decides"},
  {path: SYSCTL_CONF, kinds: BOTH, about: 'tunables at boot (facts/sysctl.ts)'},
  ...SYSCTL_D_DIRS.map(
    (dir): FileSpec => ({
      path: `${dir}/*.conf`,
      kinds: dir === '/etc/sysctl.d' || dir === '/usr/lib/sysctl.d' ? BOTH : IMAGE,
      about: 'tunables at boot (facts/sysctl.ts); on a live host /proc/sys has the final word',
    }),
  ),
  {path: '/etc/os-release', kinds: BOTH, about: 'the distribution (facts/distribution.ts)'},
  {path: '/etc/redhat-release', kinds: BOTH, about: 'the distribution on RHEL 5/6'},
  {path: '/etc/debian_version', kinds: BOTH, about: 'the distribution on old Debian'},
  {path: '/etc/xensource-inventory', kinds: BOTH, about: 'XenServer and XCP-ng'},
  {path: '/etc/fstab', kinds: BOTH, about: 'what boot (and the capture initrd) mounts (facts/storage.ts)'},
  {path: '/var/lib/kdump/vmcore-creation.status', kinds: BOTH, about: "the last kdumpctl test's result (facts/distro-report.ts)"},
  {path: '/var/lib/dpkg/status', kinds: IMAGE, about: "an image's installed packages; a live host has dpkg-query"},
  // An image's units are enabled by links, or at its first boot by presets (systemd.preset(5)); /etc/machine-id says
  // whether that first boot is still to come (absent, empty or "uninitialized").
  ...SYSTEMD_PRESET_DIRS.map((dir): FileSpec => ({path: `${dir}/*.preset`, kinds: IMAGE, about: "systemd presets: enable the kdump unit at an image's first boot (facts/service-state.ts); a live host has systemctl"})),
  {path: '/etc/machine-id', kinds: IMAGE, about: "whether an image's first boot (which applies presets) is still to come"},
  ...SYSTEMD_UNIT_DIRS.flatMap((dir) =>
    KDUMP_UNITS.flatMap((unit): FileSpec[] => [
      {path: `${dir}/${unit}`, kinds: IMAGE, about: "the unit's [Install] section: which .wants link enables it (facts/service-state.ts); a live host has systemctl"},
      {path: `${dir}/${unit}.d/*.conf`, kinds: IMAGE, about: "drop-ins that may change the unit's [Install] section"},
    ]),
  ),
]

export const PROBES: readonly ProbeSpec[] = [
  {name: 'uname-r', argv: ['uname', '-r'], kinds: LIVE, about: 'the running kernel release'},
  {name: 'uname-m', argv: ['uname', '-m'], kinds: LIVE, about: 'the machine'},
  {name: 'hostname', argv: ['hostname'], kinds: LIVE, about: 'the host name'},
  {name: 'xl-info', argv: ['xl', 'info'], kinds: LIVE, about: "Xen's version, command line and memory"},
  {name: 'xl-dmesg', argv: ['xl', 'dmesg'], kinds: LIVE, about: "Xen's boot log: the Kdump: line"},
  {name: 'xm-info', argv: ['xm', 'info'], kinds: LIVE, about: 'xl info on old toolstacks'},
  {name: 'xm-dmesg', argv: ['xm', 'dmesg'], kinds: LIVE, about: 'xl dmesg on old toolstacks'},
  {name: 'kexec-version', argv: ['kexec', '--version'], kinds: LIVE, about: 'kexec-tools version'},
  {name: 'kexec-status', argv: ['kexec', '-S'], kinds: LIVE, about: 'is a capture kernel loaded (exit 1 = loaded)'},
  {
    name: 'systemctl-kdump',
    argv: ['systemctl', 'show', '-p', 'Id,LoadState,ActiveState,SubState,UnitFileState,Result', 'kdump.service', 'kdump-tools.service'],
    kinds: LIVE,
    about: 'the kdump service under systemd',
  },
  {name: 'chkconfig-kdump', argv: ['chkconfig', '--list', 'kdump'], kinds: LIVE, about: 'the kdump service under SysV init'},
  {
    name: 'rpm-q',
    argv: ['rpm', '-q', '--qf', '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\n', 'kexec-tools', 'kdump-utils', 'makedumpfile', 'crash', 'xen', 'xen-hypervisor', 'kernel', 'kernel-xen'],
    kinds: LIVE,
    about: 'installed packages (RPM)',
  },
  {
    name: 'dpkg-query',
    argv: ['dpkg-query', '-W', '-f=${Package}\\t${Version}\\t${Status}\\n', 'kexec-tools', 'kdump-tools', 'makedumpfile', 'crash', 'xen-hypervisor-*', 'xen-utils-*', 'linux-image-*'],
    kinds: LIVE,
    about: 'installed packages (dpkg)',
  },
  {name: 'df', argv: ['df', '-Pk'], kinds: LIVE, about: 'free space where the dump lands'},
  {name: 'ls-boot', argv: ['ls', '-lnq', '/boot', '/var/lib/kdump'], kinds: BOTH, about: 'capture kernel and initrd sizes and times (an image: written by the reader)'},
  {name: 'kdumpctl-status', argv: ['kdumpctl', 'status'], kinds: LIVE, about: "RHEL's own verdict"},
  {name: 'kdump-config-status', argv: ['kdump-config', 'status'], kinds: LIVE, about: "Debian's own verdict"},
  {name: 'service-kdump-status', argv: ['service', 'kdump', 'status'], kinds: LIVE, about: "RHEL 5/6's own verdict"},
  {
    name: 'ls-services',
    argv: ['ls', '-lq', '/etc/systemd/system/*.wants', '/etc/rc.d/rc3.d', '/etc/rc3.d'],
    kinds: BOTH,
    about: 'enablement links (an image: written by the reader)',
  },
]

/** Read from an image for the snapshot's own use (hostname, owner names in ls-services), never stored. */
export const IMAGE_INTERNAL_FILES = ['/etc/hostname', '/etc/passwd', '/etc/group'] as const

export function filesFor(kind: EvidenceKind): string[] {
  return FILES.filter((f) => f.kinds.includes(kind)).map((f) => f.path)
}

export function probe(name: string): ProbeSpec {
  const spec = PROBES.find((p) => p.name === name)
  if (!spec) throw new Error(`no probe ${name} in the evidence spec`)
  return spec
}
