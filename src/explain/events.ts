/**
 * Events: what the extractor keeps from the logs, each tied to the line that proves it. A few join
 * several lines (an Oops with its task, taint and call trace; a ps listing's D-state processes).
 */
import type {Command} from './patterns/shell.js'
import type {Signal} from './signals.js'
import type {TaintFlag} from './taint.js'
import type {TimeRef} from './time.js'

/** Signals that only ever enrich a neighbouring event, and so never stand alone. */
type InternalKind = 'oops-start' | 'oops-number' | 'oops-ip' | 'task-line' | 'call-trace' | 'frame' | 'end-trace' | 'exit-status' | 'ps-header' | 'top' | 'command' | 'hung-task' | 'panic' | 'kernel-boot' | 'kexec-load-failed' | 'kexec-shown'

export interface TaskInfo {
  comm?: string
  pid?: number
  /** Undefined when the line carried no taint field; empty when `Not tainted`. */
  taint?: TaintFlag[]
  release?: string
  /** The CPU line said `Kdump: loaded`. */
  kdumpLoaded?: boolean
}

export type EventBody =
  | Exclude<Signal, {kind: InternalKind}>
  | ({kind: 'kernel-boot'; release: string; capture: boolean})
  | ({kind: 'oops'; headline: string; number?: number; code?: string; fn?: string; frames: string[]; endTrace?: string; induced: boolean} & TaskInfo)
  | ({kind: 'panic'; reason: string; frames: string[]} & TaskInfo)
  | {kind: 'hung-task'; comm: string; pid: number; seconds: number; frames: string[]}
  | {kind: 'stack'; pid?: number; frames: string[]}
  | {kind: 'd-state'; count: number; processes: {pid: number; command: string; start?: string}[]; oldestStart?: string}
  | {kind: 'load'; clock: string; up: string; load: [number, number, number]}
  | {kind: 'command'; command: Command}
  | {kind: 'kexec-status'; loaded: boolean | undefined; code: number}
  /** `shown`: the command as a tool printed it (kdump-config show), not as someone typed it; its result is not part of the line. */
  | {kind: 'kexec-load'; ok: boolean | undefined; kernel?: string; append?: string; failure?: string; reason?: string; shown?: true}

export type EventKind = EventBody['kind']

export interface EventCommon {
  /** Order of emission; ties within one file are broken by line. */
  seq: number
  file: string
  fileIndex: number
  /** 1-based line of the evidence. */
  line: number
  time?: TimeRef
  /** dmesg seconds since boot, when printed. */
  uptime?: number
  /** The evidence line as it appears in the input (trailing space removed, long lines cut). */
  text: string
  /** The message without its log frame; with the kind and time it identifies copies of one line. */
  message: string
  /** `capture` once a capture kernel is running (its command line has `elfcorehdr=`, or a collector speaks). */
  phase: 'system' | 'capture'
  /** An echo of a line printed elsewhere (quoted inside a transcript). */
  quoted?: boolean
  /** The same line in other inputs (a postmortem that pastes the logs). */
  also?: {file: string; line: number}[]
}

export type ExplainEvent = EventCommon & EventBody

export type EventOf<K extends EventKind> = ExplainEvent & {kind: K}

export function isKind<K extends EventKind>(event: ExplainEvent, kind: K): event is EventOf<K> {
  return event.kind === kind
}

/**
 * Keeps memory bounded on inputs with millions of matching lines (a syslog full of hung-task
 * reports): for each kind, the first `head` and the last `tail` events are kept and the rest counted.
 * The last ones matter most: the final crash is what the verdict is about.
 */
export class EventStore {
  private readonly heads = new Map<EventKind, ExplainEvent[]>()
  private readonly tails = new Map<EventKind, ExplainEvent[]>()
  private readonly tailStart = new Map<EventKind, number>()
  readonly dropped = new Map<EventKind, number>()
  private seq = 0

  constructor(
    private readonly head = 200,
    private readonly tail = 200,
  ) {}

  nextSeq(): number {
    this.seq += 1
    return this.seq
  }

  add(event: ExplainEvent): void {
    const head = this.heads.get(event.kind) ?? []
    if (head.length < this.head) {
      head.push(event)
      this.heads.set(event.kind, head)
      return
    }
    const tail = this.tails.get(event.kind) ?? []
    if (tail.length < this.tail) {
      tail.push(event)
      this.tails.set(event.kind, tail)
      return
    }
    // A ring: overwrite the oldest tail entry.
    const at = this.tailStart.get(event.kind) ?? 0
    tail[at] = event
    this.tailStart.set(event.kind, (at + 1) % this.tail)
    this.dropped.set(event.kind, (this.dropped.get(event.kind) ?? 0) + 1)
  }

  all(): ExplainEvent[] {
    const out: ExplainEvent[] = []
    for (const list of this.heads.values()) out.push(...list)
    for (const list of this.tails.values()) out.push(...list)
    return out.sort((a, b) => a.seq - b.seq)
  }

  droppedTotal(): number {
    let total = 0
    for (const n of this.dropped.values()) total += n
    return total
  }
}
