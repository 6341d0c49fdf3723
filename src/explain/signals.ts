/**
 * What one line says, before any context: the classifiers' output. The extractor joins signals of
 * consecutive lines (an Oops and its `Pid:`/`RIP:`/call trace lines) into events.
 */
import type {Command} from './patterns/shell.js'

export type XenCrashAction = 'halt' | 'reboot' | 'kexec' | 'unknown'

export type Signal =
  | {kind: 'kernel-boot'; release: string}
  | {kind: 'kernel-cmdline'; cmdline: string}
  | {kind: 'dom0-crashkernel-ignored'; detail: string}
  | {kind: 'region-reserved'; by: 'xen' | 'linux'; sizeMB: number; at?: string}
  | {kind: 'region-failed'; by: 'xen' | 'linux'; detail: string}
  | {kind: 'region-config-error'; detail: string}
  | {kind: 'xen-pv-domain'; detail: string}
  | {kind: 'xen-version'; version: string; source: 'xen' | 'linux' | 'xl-info'}
  | {kind: 'xen-cmdline'; cmdline: string; source: 'boot' | 'xl-info'}
  /** Xen's `System RAM:` boot line: printed after the crash region is (or is not) reserved, and the RAM crashkernel= ranges are matched against. */
  | {kind: 'xen-system-ram'; mb: number; kb: number}
  | {kind: 'sysrq-crash'; wording: string}
  | {kind: 'panic'; reason: string}
  | {kind: 'panic-end'; reason: string}
  | {kind: 'panic-reboot-timer'; seconds: number}
  | {kind: 'kexec-not-loaded'}
  | {kind: 'oops-start'; headline: string}
  | {kind: 'oops-number'; code: string; number: number; rest: string}
  | {kind: 'oops-ip'; fn: string}
  | {kind: 'task-line'; pid?: number; comm?: string; taint?: string; release?: string}
  | {kind: 'call-trace'}
  | {kind: 'frame'; fn: string; reliable: boolean}
  | {kind: 'end-trace'; id: string}
  | {kind: 'warning'; location: string; fn?: string}
  | {kind: 'hung-task'; comm: string; pid: number; seconds: number}
  | {kind: 'soft-lockup'; cpu: number; seconds: number; comm: string; pid: number}
  | {kind: 'hard-lockup'; cpu: number}
  | {kind: 'rcu-stall'; flavor: string}
  | {kind: 'nmi'; detail: string}
  | {kind: 'xen-crash'; wording: 'Domain 0' | 'Hardware Dom'; domain: number; action: XenCrashAction; detail: string}
  | {kind: 'xen-shootdown'}
  | {kind: 'xen-panic'; cpu: number}
  /** Xen starting a capture kernel on a line of its own: after its own panic (`Panic on CPU n:`). */
  | {kind: 'xen-kexec'; detail: string}
  /** The reason under Xen's `Panic on CPU n:`: `FATAL TRAP: vec 2, NMI[0000]` (4.17), `FATAL TRAP: vector = 2 (nmi)` (older). */
  | {kind: 'xen-fatal-trap'; vector: number; name: string; detail: string}
  | {kind: 'xen-after-panic'; action: 'halt' | 'reboot'}
  | {kind: 'xen-watchdog'; detail: string}
  | {kind: 'xen-key-crash'}
  | {kind: 'xen-no-crash-kernel'}
  /** A `kexec -p ... --command-line=...` a tool printed (kdump-config show's recorded command, a service echoing what it runs): the capture command line as used, not typed. */
  | {kind: 'kexec-shown'; kernel?: string; append: string}
  | {kind: 'kexec-load-failed'; reason: 'no-region' | 'cannot-load' | 'old-kexec' | 'no-xen-interface' | 'other'; detail: string}
  | {kind: 'exit-status'; code: number; of?: 'kexec-load'}
  | {kind: 'kdump-status'; ready: boolean; detail: string}
  | {kind: 'kdump-loaded'; detail: string}
  | {kind: 'sysctl-value'; key: string; value: string}
  | {kind: 'command'; command: Command}
  | {kind: 'capture-start'; detail: string}
  | {kind: 'vmcore-present'; size?: number}
  | {kind: 'collector-start'; command: string; dmesgOnly: boolean}
  | {kind: 'collector-ok'; detail: string; path?: string}
  | {kind: 'collector-failed'; reason: 'no-vmcoreinfo' | 'no-space' | 'not-found' | 'generic'; detail: string}
  | {kind: 'collector-dmesg-failed'; detail: string}
  | {kind: 'dump-saved'; claimed: boolean; path?: string; detail: string}
  | {kind: 'dump-failed'; detail: string}
  | {kind: 'dump-file'; path: string; size: number}
  | {kind: 'no-linux-vmcoreinfo'; detail: string}
  | {kind: 'reboot'; detail: string}
  | {kind: 'top'; clock: string; up: string; load: [number, number, number]}
  | {kind: 'ps-header'; columns: string[]}
  | {kind: 'journal-boot'}

export type SignalKind = Signal['kind']
