/**
 * What the dump tools print: kexec-tools when loading, the distributions' kdump services (RHEL's
 * kdumpctl and dracut module, Debian's kdump-config), makedumpfile and vmcore-dmesg in the capture
 * kernel, and the kdumpcheck lab's own capture markers. Pure and total.
 */
import type {Signal} from '../signals.js'
import {parseCommand} from './shell.js'

/** `kdump[672]: `, `kdump-tools[618]:  * `, `[ ok ] kdump-config: `, `[info] `: leaders that carry no meaning here. */
const LEADERS = /^(?:(?:kdump|kdump-tools|kdumpctl|kdump-config|dracut-\S+?|kexec)(?:\[\d+\])?: +)?(?:\*\s+|\[\s*(?:ok|OK|FAIL|fail|info|warn|WARN|\.\.\.\.)\s*\]\s*)?/
const TOOL_PREFIX = /^(?:kdump-tools|kdump-config|kdump): /

/** A kexec command line as output (not typed): kdump-config show's `  /sbin/kexec -p --command-line="..." ...`. */
const SHOWN_KEXEC = /^(?:\/\S*\/)?kexec\s.*(?:--command-line|--append)=/

/** The capture command line a printed `kexec -p` carries; only a load with a command line says anything about the capture kernel's console. */
function shownKexec(text: string): Signal | undefined {
  if (!SHOWN_KEXEC.test(text)) return undefined
  const command = parseCommand(text)
  if (command.type !== 'kexec-load' || command.append === undefined) return undefined
  return {kind: 'kexec-shown', ...(command.kernel ? {kernel: command.kernel} : {}), append: command.append}
}

/**
 * The names a dump gets only once it is saved: kdump-tools writes dump-incomplete and renames it dump.<stamp> after
 * makedumpfile succeeded, RHEL's kdump writes vmcore-incomplete and renames it vmcore (vmcore.flat for raw/ssh).
 */
const FINISHED_DUMP = /(?:^|\/)(?:dump\.\d{12}|vmcore(?:\.flat)?)$/
const LS_LINE = /^[-bcdlps][-rwxsStT]{9}[.+@]?\s+\d+\s+\S+\s+\S+\s+(\d+)\s+[A-Z][a-z]{2}\s+\d+\s+[\d:]+\s+(\S+)$/

/** Strips program and status leaders, twice: `kdump-tools[618]:  * kdump-tools: saved vmcore in ...`. */
export function normaliseToolText(raw: string): string {
  let text = raw.trim().replace(LEADERS, '')
  text = text.replace(TOOL_PREFIX, '')
  return text.trim()
}

export function classifyKdump(raw: string): Signal | undefined {
  // Before the leaders go: without `kexec:` this getopt complaint could be anyone's.
  if (/^kexec: invalid option -- 'S'/.test(raw.trim())) return {kind: 'kexec-load-failed', reason: 'old-kexec', detail: raw.trim()}
  const text = normaliseToolText(raw)
  if (text.length === 0) return undefined
  if (text.includes('No space left on device')) return {kind: 'collector-failed', reason: 'no-space', detail: text}
  switch (text.charCodeAt(0)) {
    case 115: {
      // s
      if (text.startsWith('saving vmcore complete')) return {kind: 'dump-saved', claimed: false, detail: text}
      if (text.startsWith('saving vmcore failed')) return {kind: 'dump-failed', detail: text}
      if (text === 'saving vmcore') return {kind: 'collector-start', command: 'core_collector', dmesgOnly: false}
      if (text.startsWith('saving vmcore-dmesg.txt')) return {kind: 'collector-start', command: 'vmcore-dmesg', dmesgOnly: true}
      if (text.startsWith('saving to ')) return {kind: 'capture-start', detail: text}
      const saved = /^saved vmcore in (\S+?)\.?$/.exec(text)
      if (saved) return {kind: 'dump-saved', claimed: true, path: saved[1]!, detail: text}
      return undefined
    }
    case 114: {
      // r
      const m = /^running (makedumpfile.*)$/.exec(text)
      if (m) return {kind: 'collector-start', command: m[1]!.replace(/\.$/, ''), dmesgOnly: m[1]!.includes('--dump-dmesg')}
      if (/^ready to kdump/.test(text)) return {kind: 'kdump-status', ready: true, detail: text}
      return undefined
    }
    case 109: {
      // m
      if (text.startsWith('makedumpfile Completed')) return {kind: 'collector-ok', detail: text}
      if (text.startsWith('makedumpfile Failed')) return {kind: 'collector-failed', reason: 'generic', detail: text}
      if (/^makedumpfile --dump-dmesg failed/.test(text)) return {kind: 'collector-dmesg-failed', detail: text}
      if (/^makedumpfile: (?:command )?not found/.test(text)) return {kind: 'collector-failed', reason: 'not-found', detail: text}
      return undefined
    }
    case 84: {
      // T
      const m = /^The dumpfile is saved to (.+?)\.?$/.exec(text)
      if (m) return {kind: 'collector-ok', detail: text, path: m[1]!}
      return undefined
    }
    case 47: {
      // '/'
      if (text.startsWith("/proc/vmcore doesn't contain vmcoreinfo")) return {kind: 'collector-failed', reason: 'no-vmcoreinfo', detail: text}
      const present = /^\/proc\/vmcore present, size=(\d+) bytes/.exec(text)
      if (present) return {kind: 'vmcore-present', size: Number(present[1])}
      return shownKexec(text)
    }
    case 77: {
      // M
      if (text.startsWith('Missing the log_buf symbol')) return {kind: 'no-linux-vmcoreinfo', detail: text}
      if (text.startsWith('Memory for crashkernel is not reserved')) return {kind: 'kexec-load-failed', reason: 'no-region', detail: text}
      return undefined
    }
    case 100: {
      // d
      if (text.startsWith("dump_dmesg: Can't find some symbols for log_buf")) return {kind: 'no-linux-vmcoreinfo', detail: text}
      return undefined
    }
    case 67: {
      // C
      const m = /^Cannot load (\S+)/.exec(text)
      if (m) return {kind: 'kexec-load-failed', reason: 'cannot-load', detail: text}
      if (text.startsWith('Could not find a free area of memory')) return {kind: 'kexec-load-failed', reason: 'other', detail: text}
      return undefined
    }
    case 107: {
      // k
      if (text.startsWith('kexec_load failed')) return {kind: 'kexec-load-failed', reason: 'other', detail: text}
      const exit = /^kexec -p exit status: (\d+)$/.exec(text)
      if (exit) return {kind: 'exit-status', code: Number(exit[1]), of: 'kexec-load'}
      if (/^kexec: loaded kdump kernel/.test(text)) return {kind: 'kdump-loaded', detail: text}
      return shownKexec(text)
    }
    case 102: {
      // f
      if (text.startsWith('failed to open xen control interface') || /^failed to get range=\d+ from hypervisor/.test(text)) {
        return {kind: 'kexec-load-failed', reason: 'no-xen-interface', detail: text}
      }
      const m = /^failed to save vmcore in (\S+)/.exec(text)
      if (m) return {kind: 'dump-failed', detail: text}
      return undefined
    }
    case 101: {
      // e
      const exit = /^exit status: (\d+)$/.exec(text)
      if (exit) return {kind: 'exit-status', code: Number(exit[1])}
      return undefined
    }
    case 75: {
      // K
      if (text.startsWith('Kdump is operational')) return {kind: 'kdump-status', ready: true, detail: text}
      if (text.startsWith('Kdump is not operational') || text.startsWith('Kdump is not supported on this kernel')) return {kind: 'kdump-status', ready: false, detail: text}
      return undefined
    }
    case 78: {
      // N
      if (text.startsWith('No memory reserved for crash kernel') || text.startsWith('No crashkernel parameter specified for running kernel')) {
        return {kind: 'kdump-status', ready: false, detail: text}
      }
      if (/^Not ready to kdump/.test(text)) return {kind: 'kdump-status', ready: false, detail: text}
      return undefined
    }
    case 110: {
      // n
      if (text.startsWith('no crashkernel= parameter in the kernel cmdline')) return {kind: 'kdump-status', ready: false, detail: text}
      return undefined
    }
    case 99: {
      // c
      const state = /^current state\s*:\s*(Not ready|ready) to kdump/.exec(text)
      if (state) return {kind: 'kdump-status', ready: state[1] === 'ready', detail: text}
      const cmdline = /^cmdline: (.*\belfcorehdr=.*)$/.exec(text)
      if (cmdline) return {kind: 'kernel-cmdline', cmdline: cmdline[1]!}
      return undefined
    }
    case 108: {
      // l
      if (/^loaded kdump kernel/.test(text)) return {kind: 'kdump-loaded', detail: text}
      return undefined
    }
    case 118: {
      // v
      const m = /^vmcore copied to (\S+)/.exec(text)
      if (m) return {kind: 'dump-saved', claimed: false, path: m[1]!, detail: text}
      return undefined
    }
    case 61: {
      // '=': the lab capture initrd's banner
      if (/^=+ crash kernel init up/.test(text)) return {kind: 'capture-start', detail: text}
      return undefined
    }
    default: {
      const ls = LS_LINE.exec(text)
      if (ls) {
        const path = ls[2]!
        if (path !== '/proc/vmcore' && /(?:^|\/)(?:vmcore|dump)[^/]*$/.test(path)) {
          return {kind: 'dump-file', path, size: Number(ls[1]), ...(FINISHED_DUMP.test(path) ? {finished: true} : {})}
        }
        // SONiC's kdump-tools names the saved dump kdump.<stamp> (its design document: "core dump files are prefixed by kdump-").
        if (/(?:^|\/)kdump\.\d{12}$/.test(path)) return {kind: 'dump-file', path, size: Number(ls[1]), finished: true}
      }
      return undefined
    }
  }
}
