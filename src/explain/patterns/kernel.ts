/**
 * Messages the Linux kernel prints, matched at the start of the message with the exact wording of
 * each era (2.6.18 through 6.x). Anchoring matters: documents quote these strings mid-sentence
 * (the incident's README does), and a quote is not an event. Pure and total; dispatched on the
 * first character so that a line that cannot match costs one switch.
 */
import type {Signal} from '../signals.js'

const FN = /([A-Za-z_.$][\w.$]*)\+0x[0-9a-f]+\/0x[0-9a-f]+/

const OOPS_HEADLINE =
  /^(?:BUG: unable to handle (?:kernel )?(?:paging request|NULL pointer dereference|page fault)\b.*|BUG: kernel NULL pointer dereference, address: .*|kernel BUG at \S+!|Unable to handle kernel (?:paging request|NULL pointer dereference) at virtual address .*|general protection fault(?:, .*|: [0-9a-f]+ \[#\d+\].*)|invalid opcode: [0-9a-f]+ \[#\d+\].*|BUG: (?:KASAN|KFENCE|Bad page state|scheduling while atomic|spinlock|unable).*)$/
const OOPS_NUMBER = /^Oops: (?:([0-9a-fx]+) \[#(\d+)\]|(.+?) \[#(\d+)\])(.*)$/
const OLD_TASK = /^Pid: (\d+), comm: (\S+)(?:\s+(?:Tainted: ([A-Z ]*?)|Not tainted))?\s+(\d+\.\d+[^\s#]*)/
/** dump_stack's CPU line; since Linux 4.x it says `Kdump: loaded` there while a capture kernel is loaded. */
const NEW_TASK = /^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: (\S+)(?:\s+(Kdump: loaded))?(?:\s+(?:Tainted: ([A-Z ]*?)|Not tainted))?\s+(\d+\.\d+[^\s#]*)/
const PROCESS = /^Process (\S+) \(pid: (\d+),/
const IP_LINE = /^(?:IP:|RIP:|pc :|NIP |PC is at )/
const END_TRACE = /^---\[ end trace ([0-9a-f]+) \]---/
const END_PANIC = /^---\[ end Kernel panic - not syncing: (.*?) \]---/
const PANIC = /^Kernel panic - not syncing: ?(.*)$/
const REBOOT_TIMER = /^Rebooting in (\d+) seconds/
const SYSRQ_CRASH = /^(?:sysrq: (?:SysRq : )?|SysRq ?: )(Trigger a crash(?:dump)?)\b/
const HUNG_TASK = /^INFO: task (.+):(\d+) blocked for more than (\d+) seconds\./
const SOFT_LOCKUP = /^(?:watchdog: )?BUG: soft lockup - CPU#(\d+) stuck for (\d+)s! \[(.*):(\d+)\]/
const HARD_LOCKUP = /^(?:NMI watchdog: )?Watchdog detected hard LOCKUP on cpu (\d+)/
const RCU_STALL = /^(?:rcu: )?INFO: (rcu\w*) (?:self-)?detected stalls?\b/
const WARNING_OLD = /^WARNING: at (\S+) (\S+)/
const WARNING_NEW = /^WARNING: CPU: \d+ PID: \d+ at (\S+) (\S+)/
const NMI = /^(?:Uhhuh\. NMI received for unknown reason.*|NMI: Not continuing|Dazed and confused, but trying to continue|NMI: PCI system error.*|NMI: IOCK error.*)$/
const LINUX_VERSION = /^Linux version (\S+)/
const COMMAND_LINE = /^(?:Kernel )?[Cc]ommand line: (.*)$/
const NATIVE_RESERVED = /^(?:Reserving (\d+)MB of memory at (\d+)MB for crashkernel|crashkernel reserved: (0x[0-9a-f]+) - 0x[0-9a-f]+ \((\d+) MB\))/
const NATIVE_FAILED = /^crashkernel reservation failed.*|^crashkernel=.*: (?:memory value expected|invalid).*|^Cannot reserve \d+MB crashkernel memory.*/
const XEN_VERSION_FROM_LINUX = /^Xen version: (\S+)/
const FRAME_OLD = /^\[<?[0-9a-f]*>?\] (\? )?([A-Za-z_.$][\w.$]*)\+0x/
const FRAME_NEW = /^\s+(\? )?([A-Za-z_.$][\w.$]*)\+0x[0-9a-f]+\/0x[0-9a-f]+/
const REBOOT = /^(?:reboot: (Restarting system|Power down|System halted)|Restarting system\.|System halted\.|Power down\.)/

export function classifyKernel(text: string): Signal | undefined {
  const c = text.charCodeAt(0)
  switch (c) {
    case 32: // ' ' new-style call trace frame
    case 9: {
      const m = FRAME_NEW.exec(text)
      return m ? {kind: 'frame', fn: m[2]!, reliable: m[1] === undefined} : undefined
    }
    case 91: {
      // '['
      const m = FRAME_OLD.exec(text)
      return m ? {kind: 'frame', fn: m[2]!, reliable: m[1] === undefined} : undefined
    }
    case 66: // B
    case 107: // k
    case 85: // U
    case 103: // g
    case 105: {
      // i
      if (c === 66) {
        const soft = SOFT_LOCKUP.exec(text)
        if (soft) return {kind: 'soft-lockup', cpu: Number(soft[1]), seconds: Number(soft[2]), comm: soft[3]!, pid: Number(soft[4])}
        // arm64's machine_kexec, the last line before the jump (after `Starting crashdump kernel...` on a crash)
        if (/^Bye!\s*$/.test(text)) return {kind: 'kexec-handoff', detail: text.trim()}
      }
      if (OOPS_HEADLINE.test(text)) return {kind: 'oops-start', headline: text}
      if (c === 85 && NMI.test(text)) return {kind: 'nmi', detail: text}
      if (c === 107 && text.startsWith('kernel.')) return sysctlListing(text)
      return undefined
    }
    case 79: {
      // O
      const m = OOPS_NUMBER.exec(text)
      if (m) return {kind: 'oops-number', code: m[1] ?? m[3] ?? '', number: Number(m[2] ?? m[4]), rest: (m[5] ?? '').trim()}
      return undefined
    }
    case 75: {
      // K
      const p = PANIC.exec(text)
      if (p) return {kind: 'panic', reason: (p[1] ?? '').trim()}
      if (text.startsWith('Kexec: Warning: crash image not loaded')) return {kind: 'kexec-not-loaded'}
      const cl = COMMAND_LINE.exec(text)
      if (cl) return {kind: 'kernel-cmdline', cmdline: cl[1]!.trim()}
      return undefined
    }
    case 80: {
      // P
      const t = OLD_TASK.exec(text)
      if (t) return taskLine(t)
      const p = PROCESS.exec(text)
      if (p) return {kind: 'task-line', comm: p[1]!, pid: Number(p[2])}
      if (text.startsWith('PC is at ')) return ip(text)
      return undefined
    }
    case 67: {
      // C
      const t = NEW_TASK.exec(text)
      if (t) return taskLine(t, true)
      if (text.startsWith('Call Trace:')) return {kind: 'call-trace'}
      const cl = COMMAND_LINE.exec(text)
      if (cl) return {kind: 'kernel-cmdline', cmdline: cl[1]!.trim()}
      if (NATIVE_FAILED.test(text)) return {kind: 'region-failed', by: 'linux', detail: text}
      return undefined
    }
    case 73: // I
    case 82: // R
    case 112: // p
    case 78: {
      // N
      if (IP_LINE.test(text)) return ip(text)
      if (c === 73) {
        const h = HUNG_TASK.exec(text)
        if (h) return {kind: 'hung-task', comm: h[1]!, pid: Number(h[2]), seconds: Number(h[3])}
        const r = RCU_STALL.exec(text)
        if (r) return {kind: 'rcu-stall', flavor: r[1]!}
        if (text.startsWith('Ignoring crashkernel for a Xen PV domain')) return {kind: 'dom0-crashkernel-ignored', detail: text}
        if (text.startsWith('Ignoring crashkernel command line, parameter will be supplied by xen')) return {kind: 'dom0-crashkernel-ignored', detail: text}
      }
      if (c === 82) {
        const t = REBOOT_TIMER.exec(text)
        if (t) return {kind: 'panic-reboot-timer', seconds: Number(t[1])}
        const n = NATIVE_RESERVED.exec(text)
        if (n) return {kind: 'region-reserved', by: 'linux', sizeMB: Number(n[1])}
        if (REBOOT.test(text)) return {kind: 'reboot', detail: text}
      }
      if (c === 78) {
        const hl = HARD_LOCKUP.exec(text)
        if (hl) return {kind: 'hard-lockup', cpu: Number(hl[1])}
        if (NMI.test(text)) return {kind: 'nmi', detail: text}
      }
      if (c === 112 && text.startsWith('pc : ')) return ip(text)
      return undefined
    }
    case 83: // S
    case 115: {
      // s
      const s = SYSRQ_CRASH.exec(text)
      if (s) return {kind: 'sysrq-crash', wording: s[1]!}
      // arm64 and LoongArch machine_crash_shutdown: the crashed kernel is about to jump to the loaded capture kernel.
      if (c === 83 && /^Starting crashdump kernel\.\.\./.test(text)) return {kind: 'kexec-handoff', detail: text.trim()}
      if (c === 83 && REBOOT.test(text)) return {kind: 'reboot', detail: text}
      return undefined
    }
    case 45: {
      // '-'
      const e = END_TRACE.exec(text)
      if (e) return {kind: 'end-trace', id: e[1]!}
      const p = END_PANIC.exec(text)
      if (p) return {kind: 'panic-end', reason: p[1]!}
      return undefined
    }
    case 87: {
      // W
      const w = WARNING_NEW.exec(text) ?? WARNING_OLD.exec(text)
      if (w) {
        const fn = FN.exec(w[2] ?? '')
        return {kind: 'warning', location: w[1]!, ...(fn ? {fn: fn[1]!} : {})}
      }
      const hl = HARD_LOCKUP.exec(text)
      if (hl) return {kind: 'hard-lockup', cpu: Number(hl[1])}
      return undefined
    }
    case 119: {
      // w
      const soft = SOFT_LOCKUP.exec(text)
      if (soft) return {kind: 'soft-lockup', cpu: Number(soft[1]), seconds: Number(soft[2]), comm: soft[3]!, pid: Number(soft[4])}
      return undefined
    }
    case 76: {
      // L
      const v = LINUX_VERSION.exec(text)
      if (v) return {kind: 'kernel-boot', release: v[1]!}
      return undefined
    }
    case 114: {
      // r
      const r = RCU_STALL.exec(text)
      if (r) return {kind: 'rcu-stall', flavor: r[1]!}
      if (REBOOT.test(text)) return {kind: 'reboot', detail: text}
      return undefined
    }
    case 72: {
      // H
      if (/^Hypervisor detected: Xen PV\b/.test(text)) return {kind: 'xen-pv-domain', detail: text}
      return undefined
    }
    case 88: {
      // X
      const x = XEN_VERSION_FROM_LINUX.exec(text)
      if (x) return {kind: 'xen-version', version: x[1]!, source: 'linux'}
      return undefined
    }
    case 99: {
      // c
      const n = NATIVE_RESERVED.exec(text)
      if (n) return {kind: 'region-reserved', by: 'linux', sizeMB: Number(n[4]), at: n[3]!}
      if (NATIVE_FAILED.test(text)) return {kind: 'region-failed', by: 'linux', detail: text}
      return undefined
    }
    default:
      return undefined
  }
}

function ip(text: string): Signal | undefined {
  const fn = FN.exec(text)
  return fn ? {kind: 'oops-ip', fn: fn[1]!} : undefined
}

function taskLine(m: RegExpExecArray, kdumpGroup = false): Signal {
  // NEW_TASK has one group more (`Kdump: loaded`) before the taint and the release.
  const at = kdumpGroup ? 1 : 0
  const taint = m[3 + at]
  return {
    kind: 'task-line',
    pid: Number(m[1]),
    comm: m[2]!,
    // `Not tainted` means an empty set; an absent field (cut line) stays unknown.
    ...(taint !== undefined ? {taint} : /Not tainted/.test(m[0]) ? {taint: ''} : {}),
    release: m[4 + at]!,
    ...(kdumpGroup && m[3] !== undefined ? {kdumpLoaded: true} : {}),
  }
}

/** `sysctl -a` output: `kernel.panic_on_oops = 0`. */
function sysctlListing(text: string): Signal | undefined {
  const m = /^(kernel\.[\w.]+)\s*=\s*(.*)$/.exec(text)
  return m ? {kind: 'sysctl-value', key: m[1]!, value: m[2]!.trim()} : undefined
}
