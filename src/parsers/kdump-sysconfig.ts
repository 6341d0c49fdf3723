/**
 * The kdump services' shell-variable files:
 *  - `/etc/sysconfig/kdump`: RHEL 5/6/7/8/9 (`KDUMP_KERNELVER`, `KDUMP_COMMANDLINE*`, `KEXEC_ARGS`,
 *    `KDUMP_BOOTDIR`, `KDUMP_IMG`, `KDUMP_IMG_EXT`), SUSE (`KDUMP_CPUS`, `KEXEC_OPTIONS`,
 *    `KDUMP_SAVEDIR`, `KDUMP_DUMPLEVEL`, `KDUMP_DUMPFORMAT`), and `CRASH_COREDUMP` where a
 *    XenServer/XCP-ng file carries it;
 *  - `/etc/default/kdump-tools`: Debian/Ubuntu.
 * Both are sourced by sh, so they are read with shell-vars.ts. Typed accessors cover what names the
 * capture kernel and its command line, and what the checks judge; everything else is in `vars`.
 */
import {parseShellVars, type IgnoredCommand, type ShellAssignment} from './shell-vars.js'
import {parsed, total, type Parsed} from './parse-result.js'

interface ShellFile {
  assignments: ShellAssignment[]
  /** Final value of each variable, with its line (null-prototype object). */
  vars: Record<string, ShellAssignment>
  commands: IgnoredCommand[]
}

export interface KdumpSysconfig extends ShellFile {
  /** Which service wrote the file, guessed from its keys. */
  flavour: 'rhel' | 'suse' | 'unknown'
  /** Capture kernel release; empty or unset means "the running kernel's". */
  kernelVer?: ShellAssignment
  /** Capture kernel command line; empty or unset means dom0's `/proc/cmdline` (filtered). */
  commandline?: ShellAssignment
  commandlineRemove?: ShellAssignment
  commandlineAppend?: ShellAssignment
  /** RHEL `KEXEC_ARGS` or SUSE `KEXEC_OPTIONS`. */
  kexecArgs?: ShellAssignment
  bootDir?: ShellAssignment
  img?: ShellAssignment
  imgExt?: ShellAssignment
  /** `${KDUMP_BOOTDIR:-/boot}/${KDUMP_IMG:-vmlinuz}-<release>${KDUMP_IMG_EXT}`, RHEL's capture kernel path, with `<release>` left for the caller. */
  rhelKernelPathTemplate: string
  cpus?: ShellAssignment
  saveDir?: ShellAssignment
  dumpLevel?: ShellAssignment
  dumpFormat?: ShellAssignment
  /** XenServer/XCP-ng: whether the capture side keeps a vmcore at all. */
  crashCoredump?: ShellAssignment
}

export interface KdumpTools extends ShellFile {
  useKdumpSetting?: ShellAssignment
  /** kdump-config refuses to load when USE_KDUMP is unset, empty or `0`. */
  useKdump: boolean
  /** KDUMP_KERNEL / KDUMP_INITRD: the capture kernel and initrd; unset means the running kernel's. */
  kernel?: ShellAssignment
  initrd?: ShellAssignment
  /** KDUMP_CMDLINE: unset or empty means dom0's `/proc/cmdline` (console=hvc0 and all). */
  cmdline?: ShellAssignment
  cmdlineAppendSetting?: ShellAssignment
  /** What kdump-config appends, its built-in default applied when unset or empty. */
  cmdlineAppend: string
  makedumpArgsSetting?: ShellAssignment
  /** What kdump-config passes to makedumpfile: default `-F -c -d 31`, and `-F` added when missing at the start. */
  makedumpArgs: string
  coreDirSetting?: ShellAssignment
  coreDir: string
  kexecArgs?: ShellAssignment
  failCmd?: ShellAssignment
  dumpDmesg?: ShellAssignment
  numDumps?: ShellAssignment
  compression?: ShellAssignment
  nfs?: ShellAssignment
  ssh?: ShellAssignment
  sshKey?: ShellAssignment
  ftp?: ShellAssignment
  hostTag?: ShellAssignment
}

/** kdump-config's built-in defaults (kdump-tools 1.8.1, Debian 12). */
export const KDUMP_TOOLS_DEFAULTS = {
  coreDir: '/var/crash',
  cmdlineAppend: 'reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb',
  makedumpArgs: '-F -c -d 31',
} as const

function read(text: string): {file: ShellFile; problems: Parsed<unknown>['problems']} {
  const r = parseShellVars(text)
  const empty: ShellFile = {assignments: [], vars: Object.create(null), commands: []}
  return {file: r.ok ? r.value : empty, problems: r.problems}
}

function pick<K extends string>(vars: Record<string, ShellAssignment>, table: Record<K, string | string[]>): Partial<Record<K, ShellAssignment>> {
  const out: Partial<Record<K, ShellAssignment>> = {}
  for (const key of Object.keys(table) as K[]) {
    const names = ([] as string[]).concat(table[key])
    const name = names.find((n) => Object.prototype.hasOwnProperty.call(vars, n))
    if (name !== undefined) out[key] = vars[name]!
  }
  return out
}

export function parseKdumpSysconfig(text: string): Parsed<KdumpSysconfig> {
  return total('sysconfig kdump', () => {
    const {file, problems} = read(text)
    const v = file.vars
    const has = (n: string): boolean => Object.prototype.hasOwnProperty.call(v, n)
    const flavour = ['KDUMP_SAVEDIR', 'KDUMP_DUMPLEVEL', 'KDUMP_DUMPFORMAT', 'KDUMP_CPUS', 'KEXEC_OPTIONS'].some(has)
      ? 'suse'
      : ['KDUMP_IMG', 'KDUMP_BOOTDIR', 'KEXEC_ARGS', 'KDUMP_COMMANDLINE_REMOVE'].some(has)
        ? 'rhel'
        : 'unknown'
    const typed = pick(v, {
      kernelVer: 'KDUMP_KERNELVER',
      commandline: 'KDUMP_COMMANDLINE',
      commandlineRemove: 'KDUMP_COMMANDLINE_REMOVE',
      commandlineAppend: 'KDUMP_COMMANDLINE_APPEND',
      kexecArgs: ['KEXEC_ARGS', 'KEXEC_OPTIONS'],
      bootDir: 'KDUMP_BOOTDIR',
      img: 'KDUMP_IMG',
      imgExt: 'KDUMP_IMG_EXT',
      cpus: 'KDUMP_CPUS',
      saveDir: 'KDUMP_SAVEDIR',
      dumpLevel: 'KDUMP_DUMPLEVEL',
      dumpFormat: 'KDUMP_DUMPFORMAT',
      crashCoredump: 'CRASH_COREDUMP',
    })
    const or = (a: ShellAssignment | undefined, d: string): string => (a && a.value !== '' ? a.value : d)
    const rhelKernelPathTemplate = `${or(typed.bootDir, '/boot')}/${or(typed.img, 'vmlinuz')}-<release>${typed.imgExt?.value ?? ''}`
    return parsed({...file, flavour, rhelKernelPathTemplate, ...typed}, problems)
  })
}

export function parseKdumpTools(text: string): Parsed<KdumpTools> {
  return total('kdump-tools', () => {
    const {file, problems} = read(text)
    const typed = pick(file.vars, {
      useKdumpSetting: 'USE_KDUMP',
      kernel: 'KDUMP_KERNEL',
      initrd: 'KDUMP_INITRD',
      cmdline: 'KDUMP_CMDLINE',
      cmdlineAppendSetting: 'KDUMP_CMDLINE_APPEND',
      makedumpArgsSetting: 'MAKEDUMP_ARGS',
      coreDirSetting: 'KDUMP_COREDIR',
      kexecArgs: 'KDUMP_KEXEC_ARGS',
      failCmd: 'KDUMP_FAIL_CMD',
      dumpDmesg: 'KDUMP_DUMP_DMESG',
      numDumps: 'KDUMP_NUM_DUMPS',
      compression: 'KDUMP_COMPRESSION',
      nfs: 'NFS',
      ssh: 'SSH',
      sshKey: 'SSH_KEY',
      ftp: 'FTP',
      hostTag: 'HOSTTAG',
    })
    // kdump-config applies its defaults with ${VAR:=default}: an empty value counts as unset.
    const orDefault = (a: ShellAssignment | undefined, d: string): string => (a && a.value !== '' ? a.value : d)
    let makedumpArgs = orDefault(typed.makedumpArgsSetting, KDUMP_TOOLS_DEFAULTS.makedumpArgs)
    if (!makedumpArgs.startsWith('-F')) makedumpArgs = `${makedumpArgs} -F`
    const useKdump = typed.useKdumpSetting !== undefined && typed.useKdumpSetting.value !== '' && typed.useKdumpSetting.value !== '0'
    return parsed(
      {
        ...file,
        ...typed,
        useKdump,
        cmdlineAppend: orDefault(typed.cmdlineAppendSetting, KDUMP_TOOLS_DEFAULTS.cmdlineAppend),
        makedumpArgs,
        coreDir: orDefault(typed.coreDirSetting, KDUMP_TOOLS_DEFAULTS.coreDir),
      },
      problems,
    )
  })
}
