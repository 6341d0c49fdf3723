/** One readable line per event, as an engineer would say it in a postmortem. */
import type {ExplainEvent} from './events.js'
import {describeCommand} from './patterns/shell.js'
import {taintLetters} from './taint.js'

function task(e: {comm?: string; pid?: number}): string {
  if (e.comm && e.pid !== undefined) return `comm ${e.comm}, pid ${e.pid}`
  if (e.comm) return `comm ${e.comm}`
  return e.pid !== undefined ? `pid ${e.pid}` : ''
}

function joinParts(parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('; ')
}

export function describeEvent(e: ExplainEvent): string {
  switch (e.kind) {
    case 'kernel-boot':
      return e.capture ? `capture kernel ${e.release} boots` : `Linux ${e.release} boots`
    case 'kernel-cmdline':
      return /(?:^|\s)elfcorehdr=/.test(e.cmdline) ? `capture kernel command line (elfcorehdr= present): ${e.cmdline}` : `Linux command line: ${e.cmdline}`
    case 'dom0-crashkernel-ignored':
      return `dom0 ignores its own crashkernel= (${e.detail})`
    case 'region-reserved':
      return e.by === 'xen' ? `Xen reserved the crash region: ${e.sizeMB} MB at ${e.at ?? '?'}` : `Linux reserved the crash region: ${e.sizeMB} MB`
    case 'region-failed':
      return `${e.by === 'xen' ? 'Xen' : 'Linux'} failed to reserve the crash region (${e.detail})`
    case 'region-config-error':
      return `Xen rejected its crashkernel= option (${e.detail})`
    case 'xen-pv-domain':
      return 'Linux runs as a Xen PV domain (pvops dom0)'
    case 'xen-version':
      return `Xen ${e.version}${e.source === 'xl-info' ? ' (xl info)' : ''}`
    case 'xen-cmdline':
      return `Xen command line${e.source === 'xl-info' ? ' (xl info)' : ''}: ${e.cmdline}`
    case 'xen-system-ram':
      return `Xen counted ${e.mb} MB of system RAM (printed after its crash-region reservation, or the lack of one)`
    case 'sysrq-crash':
      return `sysrq-c: "${e.wording}" (a deliberate crash)`
    case 'panic':
      return `Kernel panic: ${e.reason}${e.comm || e.pid !== undefined ? ` (${task(e)})` : ''}`
    case 'panic-end':
      return `end of panic (${e.reason}): the kernel found no capture kernel to run`
    case 'panic-reboot-timer':
      return `the panicked kernel reboots in ${e.seconds} s (kernel.panic=${e.seconds})`
    case 'kexec-not-loaded':
      return 'the kernel reports that no crash image was loaded'
    case 'oops': {
      const head = `Oops${e.number !== undefined ? ` #${e.number}` : ''}${e.fn ? ` in ${e.fn}` : ''}`
      const taint = e.taint ? (e.taint.length === 0 ? 'not tainted' : `tainted ${taintLetters(e.taint)}`) : undefined
      return `${head} (${joinParts([task(e), taint, e.induced ? 'induced by sysrq-c' : undefined]) || e.headline})`
    }
    case 'warning':
      return `kernel WARNING at ${e.location}${e.fn ? ` in ${e.fn}` : ''}`
    case 'hung-task':
      return `hung task: ${e.comm} (pid ${e.pid}) blocked for more than ${e.seconds} s${e.frames.length > 0 ? ` in ${e.frames.slice(0, 3).join(' < ')}` : ''}`
    case 'soft-lockup':
      return `soft lockup on CPU ${e.cpu} for ${e.seconds} s (${e.comm}, pid ${e.pid})`
    case 'hard-lockup':
      return `hard lockup on CPU ${e.cpu}`
    case 'rcu-stall':
      return `RCU stall (${e.flavor})`
    case 'nmi':
      return `NMI: ${e.detail}`
    case 'stack':
      return `kernel stack${e.pid !== undefined ? ` of pid ${e.pid}` : ''}: ${e.frames.slice(0, 4).join(' < ')}${e.frames.length > 4 ? ' < …' : ''}`
    case 'd-state': {
      const counts = new Map<string, number>()
      for (const p of e.processes) {
        const name = (p.command.split(/\s+/)[0] ?? '').replace(/^.*\//, '')
        counts.set(name, (counts.get(name) ?? 0) + 1)
      }
      const names = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([n, c]) => (c > 1 ? `${n} ×${c}` : n))
      return `${e.count} processes in uninterruptible sleep (D): ${names.join(', ')}${e.oldestStart ? `; the oldest started at ${e.oldestStart}` : ''}`
    }
    case 'load':
      return `top: load average ${e.load.join(', ')}, up ${e.up}`
    case 'command':
      return `operator ${describeCommand(e.command)}`
    case 'kexec-status':
      return e.loaded === undefined ? `kexec -S failed (exit ${e.code})` : `kexec -S: capture kernel ${e.loaded ? 'loaded' : 'NOT loaded'} (exit ${e.code})`
    case 'kexec-load':
      if (e.ok === true) return `capture kernel loaded with kexec -p${e.kernel ? ` (${e.kernel})` : ''}`
      if (e.ok === false) return `loading the capture kernel failed${e.failure ? `: ${e.failure}` : ''}`
      if (e.shown) return `capture kernel command line, as a tool printed its kexec -p: ${e.append ?? ''}`
      return `kexec -p${e.kernel ? ` ${e.kernel}` : ''} (result not shown)`
    case 'kdump-status':
      return `kdump service says ${e.ready ? 'ready' : 'NOT ready'}: ${e.detail}`
    case 'kdump-loaded':
      return `kdump service loaded the capture kernel (${e.detail})`
    case 'sysctl-value':
      return `${e.key} = ${e.value}`
    case 'xen-crash':
      return `Xen: ${e.wording === 'Domain 0' ? 'Domain 0' : `Hardware Dom${e.domain}`} crashed: ${e.detail || '(nothing more)'}`
    case 'xen-shootdown':
      return 'Xen shot down all CPUs before jumping to the capture kernel'
    case 'xen-panic':
      return `Xen itself panicked on CPU ${e.cpu}`
    case 'xen-fatal-trap':
      return e.vector === 2 ? `Xen's panic: an NMI it treats as fatal (${e.detail})` : `Xen's panic: ${e.detail}`
    case 'xen-kexec':
      return `Xen starts the loaded capture kernel (${e.detail})`
    case 'xen-after-panic':
      return e.action === 'halt' ? "Xen halts after its panic ('noreboot')" : 'Xen reboots after its panic'
    case 'xen-watchdog':
      return `Xen watchdog: ${e.detail}`
    case 'xen-key-crash':
      return "Xen debug key 'C': crash the host into the capture kernel"
    case 'xen-no-crash-kernel':
      return 'Xen: no crash kernel loaded'
    case 'capture-start':
      return `capture kernel is running (${e.detail})`
    case 'vmcore-present':
      return `/proc/vmcore present${e.size !== undefined ? ` (${e.size} bytes)` : ''}`
    case 'collector-start':
      return e.dmesgOnly ? `collector extracts the crashed kernel's log (${e.command})` : `collector starts: ${e.command}`
    case 'collector-ok':
      return `collector finished: ${e.detail}`
    case 'collector-failed':
      return `collector failed: ${e.detail}`
    case 'collector-dmesg-failed':
      return `extracting the crashed kernel's log failed: ${e.detail}`
    case 'dump-saved':
      return e.claimed ? `kdump service claims the vmcore was saved${e.path ? ` in ${e.path}` : ''}` : `vmcore saved${e.path ? ` to ${e.path}` : ''} (${e.detail})`
    case 'dump-failed':
      return `saving the vmcore failed: ${e.detail}`
    case 'dump-file':
      return `dump file ${e.path}: ${e.size} bytes${e.size === 0 ? ' (EMPTY)' : ''}`
    case 'no-linux-vmcoreinfo':
      return `the vmcore has no Linux VMCOREINFO (${e.detail})`
    case 'reboot':
      return `${e.phase === 'capture' ? 'capture kernel' : 'kernel'}: ${e.detail}`
    case 'journal-boot':
      return 'journal: a new boot begins'
  }
}
