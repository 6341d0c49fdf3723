/**
 * Turns one input's lines into events. Logs spread one fact over several lines (an Oops prints its
 * task, taint and call trace on the lines after its headline; a command's result follows the
 * command), so this keeps a little state per input: the open Oops/panic/hung-task block, the stack
 * being read, the ps listing, the last command, and whether a capture kernel is running. The state
 * is bounded (a block takes at most MAX_FRAMES frames and closes after BLOCK_SPAN lines), and a
 * failure on one line is counted, never thrown.
 */
import {classifyLine} from './classify.js'
import {MailDecoder} from './mail.js'
import {WrapJoiner} from './wrap.js'
import type {EventBody, EventStore, ExplainEvent, TaskInfo} from './events.js'
import {detectLine, interleavedXenAt, unwrap, type LineFormat, type LineInfo} from './line-format.js'
import {parsePsRow, psStartTime, topTime} from './patterns/procps.js'
import type {Command} from './patterns/shell.js'
import type {Signal} from './signals.js'
import {decodeTaint} from './taint.js'
import type {TimeRef} from './time.js'

const MAX_FRAMES = 32
const BLOCK_SPAN = 120
const MAX_TEXT = 400
const MAX_PS_ROWS = 200

type BlockEvent = ExplainEvent & {kind: 'oops' | 'panic' | 'hung-task'}
type StackEvent = ExplainEvent & {kind: 'stack'}
type KexecLoadEvent = ExplainEvent & {kind: 'kexec-load'}

interface PsState {
  columns: string[]
  headerLine: number
  dRows: {pid: number; command: string; start?: string; line: number; text: string}[]
  dCount: number
  time?: TimeRef
}

export interface InputStats {
  lines: number
  formats: Partial<Record<LineFormat | 'ps', number>>
  unreadable: number
  truncated: number
  events: number
  classifierErrors: number
}

export class Extractor {
  readonly stats: InputStats = {lines: 0, formats: {}, unreadable: 0, truncated: 0, events: 0, classifierErrors: 0}
  private phase: 'system' | 'capture' = 'system'
  private block?: {event: BlockEvent; lastLine: number}
  private stack?: {event: StackEvent; lastLine: number}
  private ps?: PsState
  private lastCommand?: {command: Command; line: number}
  private pendingLoad?: {event: KexecLoadEvent; line: number}
  private pendingBoot?: {event: ExplainEvent & {kind: 'kernel-boot'}; line: number}
  private lastCmdline?: {text: string; line: number}
  private lastSysrq?: number
  private lastStatus?: {event: ExplainEvent & {kind: 'kdump-status'}; line: number}
  private collectingDmesg = false
  /** Mail parts in quoted-printable: soft breaks joined, escapes decoded. */
  private readonly mail = new MailDecoder()
  /** Lines a capture tool broke at its terminal's width, joined back. */
  private readonly wrap = new WrapJoiner()

  constructor(
    readonly file: string,
    readonly fileIndex: number,
    private readonly store: EventStore,
  ) {}

  /** A line the reader could not decode (binary, NUL bytes). */
  unreadable(): void {
    for (const w of this.wrap.flush()) this.decoded(w.text, w.lineNo)
    this.stats.lines += 1
    this.stats.unreadable += 1
  }

  line(raw: string, lineNo: number, truncated = false): void {
    this.stats.lines += 1
    if (truncated) this.stats.truncated += 1
    for (const w of truncated ? [...this.wrap.flush(), {text: raw, lineNo}] : this.wrap.feed(raw, lineNo)) this.decoded(w.text, w.lineNo)
  }

  /** A physical line with any break a capture tool made at its terminal's width undone. */
  private decoded(raw: string, lineNo: number): void {
    for (const l of this.mail.feed(raw, lineNo)) this.logicalLine(l.text, l.lineNo)
  }

  private logicalLine(raw: string, lineNo: number): void {
    try {
      // On a console Xen and dom0 share, a Xen line can land in the middle of a dom0 line: read both.
      const at = raw.includes('(XEN)', 1) ? interleavedXenAt(raw) : -1
      if (at > 0) {
        this.consume(raw.slice(0, at), detectLine(raw.slice(0, at)), lineNo)
        this.consume(raw.slice(at), detectLine(raw.slice(at)), lineNo)
        return
      }
      this.consume(raw, detectLine(raw), lineNo)
    } catch {
      this.stats.classifierErrors += 1
    }
  }

  finish(): void {
    for (const w of this.wrap.flush()) this.decoded(w.text, w.lineNo)
    for (const l of this.mail.finish()) this.logicalLine(l.text, l.lineNo)
    this.closeBlock()
    this.closeStack()
    this.closePs()
  }

  private consume(raw: string, info: LineInfo, lineNo: number): void {
    if (this.ps && this.psRow(raw.charCodeAt(0) === 62 || raw.charCodeAt(0) === 32 || raw.charCodeAt(0) === 9 ? unwrap(raw) : raw, lineNo)) return
    this.count(info.format)
    if (info.format === 'blank') {
      this.closeStack()
      return
    }
    if (this.block && lineNo - this.block.lastLine > BLOCK_SPAN) this.closeBlock()
    const signal = classifyLine(info)
    if (!signal) {
      if (this.stack && info.format !== 'stack') this.closeStack()
      return
    }
    // Every string cut from `raw` keeps the whole 1 MiB chunk it came from alive; an event kept until the
    // end must own its strings, so the (rare) lines that make events are classified again from a copy.
    const own = detach(raw)
    const ownInfo = detectLine(own)
    this.handle(classifyLine(ownInfo) ?? signal, own, ownInfo, lineNo)
  }

  private count(format: LineFormat | 'ps'): void {
    this.stats.formats[format] = (this.stats.formats[format] ?? 0) + 1
  }

  private emit(body: EventBody, raw: string, info: LineInfo, lineNo: number, time = info.time): ExplainEvent {
    const event = {
      ...body,
      seq: this.store.nextSeq(),
      file: this.file,
      fileIndex: this.fileIndex,
      line: lineNo,
      ...(time ? {time} : {}),
      ...(info.uptime !== undefined ? {uptime: info.uptime} : {}),
      text: cut(raw.trimEnd()),
      message: cut(info.text.trim()),
      phase: this.phase,
      ...(info.quoted ? {quoted: true} : {}),
    } as ExplainEvent
    this.store.add(event)
    this.stats.events += 1
    return event
  }

  private handle(signal: Signal, raw: string, info: LineInfo, lineNo: number): void {
    if (signal.kind !== 'frame') this.closeStack()
    switch (signal.kind) {
      case 'oops-number':
      case 'oops-ip':
      case 'task-line':
      case 'call-trace':
      case 'frame':
      case 'end-trace':
        this.blockLine(signal, raw, info, lineNo)
        return
      case 'oops-start':
        this.closeBlock()
        this.openOops(signal.headline, raw, info, lineNo)
        return
      case 'panic': {
        this.closeBlock()
        const event = this.emit({kind: 'panic', reason: signal.reason, frames: []}, raw, info, lineNo) as BlockEvent
        this.block = {event, lastLine: lineNo}
        return
      }
      case 'hung-task': {
        this.closeBlock()
        const event = this.emit({kind: 'hung-task', comm: signal.comm, pid: signal.pid, seconds: signal.seconds, frames: []}, raw, info, lineNo) as BlockEvent
        this.block = {event, lastLine: lineNo}
        return
      }
      case 'sysrq-crash':
        this.closeBlock()
        this.lastSysrq = lineNo
        this.emit(signal, raw, info, lineNo)
        return
      case 'kernel-boot': {
        this.closeBlock()
        const event = this.emit({kind: 'kernel-boot', release: signal.release, capture: false}, raw, info, lineNo) as ExplainEvent & {kind: 'kernel-boot'}
        if (!info.quoted) this.pendingBoot = {event, line: lineNo}
        return
      }
      case 'kernel-cmdline':
        this.cmdline(signal.cmdline, raw, info, lineNo)
        return
      case 'command':
        this.command(signal.command, raw, info, lineNo)
        return
      case 'exit-status':
        this.exitStatus(signal.code, signal.of, raw, info, lineNo)
        return
      case 'kexec-load-failed':
        this.loadFailed(signal.reason, signal.detail, raw, info, lineNo)
        return
      case 'kexec-shown':
        // A record of the command, not a run of it: no exit status or error that follows belongs to it.
        this.emit({kind: 'kexec-load', ok: undefined, ...(signal.kernel ? {kernel: signal.kernel} : {}), append: signal.append, shown: true}, raw, info, lineNo)
        return
      case 'ps-header':
        this.closePs()
        this.ps = {columns: signal.columns, headerLine: lineNo, dRows: [], dCount: 0}
        return
      case 'top':
        this.emit({kind: 'load', clock: signal.clock, up: signal.up, load: signal.load}, raw, info, lineNo, info.time ?? topTime(signal.clock))
        return
      case 'kdump-status':
        // A status command prints several verdict lines; one event carries them all.
        if (this.lastStatus && lineNo - this.lastStatus.line <= 6 && this.lastStatus.event.ready === signal.ready) {
          this.lastStatus.event.detail = `${this.lastStatus.event.detail}; ${signal.detail}`
          this.lastStatus.line = lineNo
          return
        }
        this.lastStatus = {event: this.emit(signal, raw, info, lineNo) as ExplainEvent & {kind: 'kdump-status'}, line: lineNo}
        return
      case 'xen-version':
      case 'xen-cmdline':
        if (signal.source !== 'xl-info' && !info.quoted) this.phase = 'system'
        this.emit(signal, raw, info, lineNo)
        return
      case 'journal-boot':
        this.phase = 'system'
        this.emit(signal, raw, info, lineNo)
        return
      case 'collector-start':
        this.collectingDmesg = signal.dmesgOnly
        this.phase = info.quoted ? this.phase : 'capture'
        this.emit(signal, raw, info, lineNo)
        return
      case 'collector-ok':
      case 'collector-failed':
        if (!info.quoted) this.phase = 'capture'
        // makedumpfile prints the same verdict for the log extraction (--dump-dmesg) as for the dump itself.
        if (this.collectingDmesg) {
          if (signal.kind === 'collector-failed') this.emit({kind: 'collector-dmesg-failed', detail: signal.detail}, raw, info, lineNo)
          return
        }
        this.emit(signal, raw, info, lineNo)
        return
      case 'capture-start':
      case 'vmcore-present':
      case 'collector-dmesg-failed':
      case 'dump-saved':
      case 'dump-failed':
      case 'dump-file':
      case 'no-linux-vmcoreinfo':
        // Only a capture kernel has a /proc/vmcore to save: these lines place the log inside one.
        if (!info.quoted) this.phase = 'capture'
        this.emit(signal, raw, info, lineNo)
        return
      default:
        this.closeBlockOnMajor(signal)
        this.emit(signal, raw, info, lineNo)
    }
  }

  private closeBlockOnMajor(signal: Signal): void {
    if (signal.kind.startsWith('xen-') || signal.kind === 'soft-lockup' || signal.kind === 'rcu-stall' || signal.kind === 'hard-lockup' || signal.kind === 'warning') this.closeBlock()
  }

  private openOops(headline: string, raw: string, info: LineInfo, lineNo: number): BlockEvent {
    const number = /\[#(\d+)\]/.exec(headline)
    const induced = this.lastSysrq !== undefined && lineNo - this.lastSysrq <= 5
    const event = this.emit({kind: 'oops', headline, frames: [], induced, ...(number ? {number: Number(number[1])} : {})}, raw, info, lineNo) as BlockEvent
    this.block = {event, lastLine: lineNo}
    return event
  }

  private blockLine(signal: Signal, raw: string, info: LineInfo, lineNo: number): void {
    if (signal.kind === 'frame' && (!this.block || this.stack)) {
      this.stackFrame(signal.fn, signal.reliable, raw, info, lineNo)
      return
    }
    if (!this.block) {
      if (signal.kind === 'oops-number') {
        const event = this.openOops(raw.trim(), raw, info, lineNo)
        if (event.kind === 'oops') Object.assign(event, {number: signal.number, code: signal.code})
      }
      return
    }
    const event = this.block.event
    this.block.lastLine = lineNo
    switch (signal.kind) {
      case 'oops-number':
        if (event.kind !== 'oops' || (event.number !== undefined && event.number !== signal.number)) {
          this.closeBlock()
          const opened = this.openOops(raw.trim(), raw, info, lineNo)
          Object.assign(opened, {number: signal.number, code: signal.code})
        } else {
          Object.assign(event, {number: signal.number, code: signal.code})
        }
        return
      case 'oops-ip':
        if (event.kind === 'oops' && event.fn === undefined) {
          event.fn = signal.fn
          if (signal.fn === 'sysrq_handle_crash') event.induced = true
        }
        return
      case 'task-line':
        applyTask(event, signal)
        return
      case 'frame':
        if (signal.reliable && event.frames.length < MAX_FRAMES) event.frames.push(signal.fn)
        return
      case 'end-trace':
        if (event.kind === 'oops') event.endTrace = signal.id
        this.closeBlock()
        return
      default:
        return
    }
  }

  private closeBlock(): void {
    this.block = undefined
  }

  private stackFrame(fn: string, reliable: boolean, raw: string, info: LineInfo, lineNo: number): void {
    if (this.stack && lineNo - this.stack.lastLine <= 2) {
      if (reliable && this.stack.event.frames.length < MAX_FRAMES) this.stack.event.frames.push(fn)
      this.stack.lastLine = lineNo
      return
    }
    this.closeStack()
    const owner = this.lastCommand && this.lastCommand.command.type === 'proc-stack' && lineNo - this.lastCommand.line <= 3 ? this.lastCommand.command.pid : undefined
    const event = this.emit({kind: 'stack', frames: reliable ? [fn] : [], ...(owner !== undefined ? {pid: owner} : {})}, raw, info, lineNo) as StackEvent
    this.stack = {event, lastLine: lineNo}
  }

  private closeStack(): void {
    this.stack = undefined
  }

  private psRow(raw: string, lineNo: number): boolean {
    const ps = this.ps!
    const row = parsePsRow(ps.columns, raw)
    if (!row) {
      this.closePs()
      return false
    }
    this.count('ps')
    if (row.state.startsWith('D')) {
      ps.dCount += 1
      if (ps.dRows.length < MAX_PS_ROWS) ps.dRows.push({pid: row.pid, command: detach(row.command), ...(row.start !== undefined ? {start: detach(row.start)} : {}), line: lineNo, text: detach(raw)})
      const start = psStartTime(row.start)
      if (start && (!ps.time || (start.secondOfDay ?? 0) < (ps.time.secondOfDay ?? 0))) ps.time = start
    }
    return true
  }

  private closePs(): void {
    const ps = this.ps
    this.ps = undefined
    if (!ps || ps.dCount === 0) return
    // The row that dates the hang (the oldest START) is the evidence to quote.
    const first = ps.dRows.find((r) => ps.time !== undefined && r.start === ps.time.text) ?? ps.dRows[0]!
    const processes = ps.dRows.map(({pid, command, start}) => ({pid, command, ...(start !== undefined ? {start} : {})}))
    const info: LineInfo = {format: 'text', origin: 'console', text: first.text}
    this.emit({kind: 'd-state', count: ps.dCount, processes, ...(ps.time ? {oldestStart: ps.time.text} : {})}, first.text, info, first.line, ps.time)
  }

  private cmdline(cmdline: string, raw: string, info: LineInfo, lineNo: number): void {
    const capture = /(?:^|\s)elfcorehdr=/.test(cmdline)
    if (!info.quoted) {
      this.phase = capture ? 'capture' : 'system'
      if (capture && this.pendingBoot && lineNo - this.pendingBoot.line <= 400) {
        this.pendingBoot.event.capture = true
        this.pendingBoot.event.phase = 'capture'
      }
      this.pendingBoot = undefined
    }
    // x86 prints the line twice (`Command line:` early, `Kernel command line:` later): one event.
    if (this.lastCmdline && this.lastCmdline.text === cmdline && lineNo - this.lastCmdline.line <= 400) return
    this.lastCmdline = {text: cmdline, line: lineNo}
    this.emit({kind: 'kernel-cmdline', cmdline}, raw, info, lineNo)
  }

  private command(command: Command, raw: string, info: LineInfo, lineNo: number): void {
    // A prompt means the kernel log ended: whatever block was open is complete.
    this.closeBlock()
    this.lastCommand = {command, line: lineNo}
    switch (command.type) {
      case 'kexec-load': {
        const event = this.emit({kind: 'kexec-load', ok: undefined, ...(command.kernel ? {kernel: command.kernel} : {}), ...(command.append !== undefined ? {append: command.append} : {})}, raw, info, lineNo) as KexecLoadEvent
        this.pendingLoad = {event, line: lineNo}
        return
      }
      case 'sysctl-write':
      case 'sysrq-trigger':
      case 'kexec-unload':
      case 'kdump-service':
      case 'xen-key-crash':
        this.emit({kind: 'command', command}, raw, info, lineNo)
        return
      default:
        return
    }
  }

  private exitStatus(code: number, of: 'kexec-load' | undefined, raw: string, info: LineInfo, lineNo: number): void {
    const recent = this.lastCommand && lineNo - this.lastCommand.line <= 60 ? this.lastCommand.command : undefined
    if (of === 'kexec-load' || (recent?.type === 'kexec-load' && this.pendingLoad)) {
      if (this.pendingLoad && lineNo - this.pendingLoad.line <= 60) {
        const event = this.pendingLoad.event
        if (event.ok === undefined) event.ok = code === 0
        if (code !== 0 && !event.failure) event.failure = `exit status ${code}`
        this.pendingLoad = undefined
      }
      return
    }
    if (recent?.type === 'kexec-status') {
      // kexec -S: 1 = loaded, 0 = not loaded, 255 = error (inverted from habit).
      this.emit({kind: 'kexec-status', loaded: code === 1 ? true : code === 0 ? false : undefined, code}, raw, info, lineNo)
      this.lastCommand = undefined
    }
  }

  private loadFailed(reason: string, detail: string, raw: string, info: LineInfo, lineNo: number): void {
    if (this.pendingLoad && lineNo - this.pendingLoad.line <= 60) {
      const event = this.pendingLoad.event
      event.ok = false
      event.failure ??= detail
      event.reason ??= reason
      return
    }
    this.emit({kind: 'kexec-load', ok: false, failure: detail, reason}, raw, info, lineNo)
  }
}

function applyTask(event: BlockEvent, signal: Signal & {kind: 'task-line'}): void {
  if (event.kind === 'hung-task') return
  const task = event as TaskInfo
  if (task.comm === undefined && signal.comm !== undefined) task.comm = signal.comm
  if (task.pid === undefined && signal.pid !== undefined) task.pid = signal.pid
  if (task.taint === undefined && signal.taint !== undefined) task.taint = decodeTaint(signal.taint)
  if (task.release === undefined && signal.release !== undefined) task.release = signal.release
  if (signal.kdumpLoaded) task.kdumpLoaded = true
}

/** A flat copy: V8 keeps a substring as a view into its parent, and the parent here is a 1 MiB chunk. */
export function detach(text: string): string {
  return (' ' + text).slice(1)
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text
}
