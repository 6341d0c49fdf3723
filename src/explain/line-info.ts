/** What line-format.ts learns about one log line: its frame, origin, time and the message inside. */
import type {TimeRef} from './time.js'

export type LineFormat =
  | 'console' // `2016-12-17 00:21:07<TAB>...` serial/BMC capture
  | 'syslog' // `Dec 16 22:26:02 host kernel: ...` (also journalctl -o short)
  | 'syslog-iso' // `2016-12-16T22:26:02+08:00 host kernel: ...` (rsyslog, journalctl -o short-iso)
  | 'journal-marker' // `-- Boot 1a2b... --`, `-- Reboot --`
  | 'dmesg' // `[  123.456789] ...`, `<4>[ 1.2] ...`, dmesg -T `[Fri Dec 16 22:26:02 2016] ...`
  | 'xen' // `(XEN) ...`
  | 'transcript' // the kdumpcheck lab's `LAB:` / `KDUMP:` markers around other output
  | 'stack' // `[<ffffffff810795df>] synchronize_srcu+0x23/0x75` (/proc/PID/stack, old call traces)
  | 'shell' // a command typed at a prompt
  | 'text' // anything else that is readable
  | 'blank'

export interface LineInfo {
  format: LineFormat
  /** Who printed the message: Xen's console, a program named by syslog, or unknown (kernel console or plain text). */
  origin: 'xen' | 'program' | 'console'
  time?: TimeRef
  /** dmesg's seconds since boot, kept even when an outer frame gives the wall clock. */
  uptime?: number
  host?: string
  /** syslog/journal program name (`kernel`, `kdump`, `sudo`). */
  program?: string
  /** The message without its frame. */
  text: string
  /** Output quoted inside a transcript (`LAB:   [    0.23] ...`): an echo of a line printed elsewhere. */
  quoted?: boolean
  /** The transcript marker that wrapped it. */
  marker?: 'LAB' | 'KDUMP'
  /** The text is a command someone typed (after a prompt, or the lab's `----- <command>` header). */
  command?: true
}
