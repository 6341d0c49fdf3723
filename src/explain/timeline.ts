/**
 * Orders the events of all inputs into one timeline. Inputs disagree on how they tell time (a
 * console with full dates, a syslog without the year, ps and top with a clock only, a serial log
 * with nothing), so the missing parts are inferred from the inputs that have them, and marked as
 * inferred. A postmortem that pastes the logs repeats their lines: copies are merged into the event
 * from the primary log, which remembers where else it appeared.
 */
import type {ExplainEvent} from './events.js'
import {inferDate, inferYear, sortInstant, startOfDay} from './time.js'

export interface InputMeta {
  file: string
  /** A document (Markdown, reStructuredText) that quotes logs rather than being one. */
  document: boolean
  /** vmcore-dmesg.txt (RHEL) or dmesg.YYYYMMDDhhmm (kdump-tools): written by a capture kernel from /proc/vmcore. */
  fromVmcore?: boolean
}

const CRASH_KINDS = new Set(['panic', 'xen-crash', 'sysrq-crash', 'xen-panic', 'kexec-not-loaded', 'xen-key-crash'])

export function buildTimeline(events: ExplainEvent[], inputs: InputMeta[]): ExplainEvent[] {
  const placed = placeOnCalendar(events)
  const unique = dedupe(placed, inputs)
  return order(unique)
}

function placeOnCalendar(events: ExplainEvent[]): ExplainEvent[] {
  const anchors: number[] = []
  for (const e of events) if (e.time?.kind === 'absolute' && e.time.wall !== undefined) anchors.push(e.time.wall)
  const withYears = events.map((e) => (e.time?.kind === 'no-year' ? {...e, time: inferYear(e.time, anchors)} : e))
  const known: number[] = []
  let latestCrash: number | undefined
  let latest: number | undefined
  for (const e of withYears) {
    const wall = e.time?.wall
    if (wall === undefined) continue
    known.push(wall)
    latest = latest === undefined ? wall : Math.max(latest, wall)
    if (CRASH_KINDS.has(e.kind)) latestCrash = latestCrash === undefined ? wall : Math.max(latestCrash, wall)
  }
  const days = [...new Set(known.map(startOfDay))]
  const limit = latestCrash ?? latest
  return withYears.map((e) => (e.time?.kind === 'time-of-day' ? {...e, time: inferDate(e.time, days, limit)} : e))
}

function dedupeKey(e: ExplainEvent): string {
  // Stacks and ps listings are identified by whose stack and which processes, not only by their first line.
  const extra = e.kind === 'stack' ? `${e.pid ?? ''}:${e.frames.join(',')}` : e.kind === 'd-state' ? e.processes.map((p) => p.pid).join(',') : ''
  return `${e.kind}\u0000${e.message}\u0000${e.time?.text ?? ''}\u0000${extra}`
}

/**
 * Copies of one line are merged: echoes inside a transcript give way to the line itself, and a
 * document's pasted copy gives way to the log it was pasted from. Within the chosen input, repeats
 * stay: the same words printed twice are two occurrences.
 */
function dedupe(events: ExplainEvent[], inputs: InputMeta[]): ExplainEvent[] {
  const groups = new Map<string, ExplainEvent[]>()
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const key = dedupeKey(e)
    const group = groups.get(key)
    if (group) group.push(e)
    else groups.set(key, [e])
  }
  const dropped = new Set<ExplainEvent>()
  const isDocument = (e: ExplainEvent) => inputs[e.fileIndex]?.document === true
  for (const group of groups.values()) {
    if (group.length === 1) continue
    const unquoted = group.filter((e) => !e.quoted)
    const candidates = unquoted.length > 0 ? unquoted : [group[0]!]
    const primary = (candidates.find((e) => !isDocument(e)) ?? candidates[0]!).fileIndex
    const keep = candidates.filter((e) => e.fileIndex === primary)
    const first = keep[0]!
    for (const e of group) {
      if (keep.includes(e)) continue
      dropped.add(e)
      if (!e.quoted && e.fileIndex !== primary && !first.also?.some((a) => a.file === e.file && a.line === e.line)) {
        first.also = [...(first.also ?? []), {file: e.file, line: e.line}]
      }
    }
  }
  return events.filter((e) => !dropped.has(e))
}

/**
 * Timed inputs are ordered by their clocks; within an input, line order rules, and a line without
 * a time takes the time of the line before it. Inputs with no clock at all (a list of commands, a
 * stack dump) were captured on the live host before its final crash, so they are placed just before
 * it, the ones that caused the crash (a sysrq trigger command) last.
 */
function order(events: ExplainEvent[]): ExplainEvent[] {
  const byFile = new Map<number, ExplainEvent[]>()
  for (const e of events) {
    const list = byFile.get(e.fileIndex) ?? []
    list.push(e)
    byFile.set(e.fileIndex, list)
  }
  const effective = new Map<ExplainEvent, number>()
  const untimedFiles: number[] = []
  for (const [fileIndex, list] of byFile) {
    list.sort((a, b) => a.line - b.line || a.seq - b.seq)
    const firstTimed = list.find((e) => e.time && sortInstant(e.time) !== undefined)
    if (!firstTimed) {
      untimedFiles.push(fileIndex)
      continue
    }
    let current = sortInstant(firstTimed.time!)!
    for (const e of list) {
      const own = e.time ? sortInstant(e.time) : undefined
      if (own !== undefined) current = own
      effective.set(e, current)
    }
  }
  if (effective.size === 0) return [...events].sort((a, b) => a.fileIndex - b.fileIndex || a.line - b.line || a.seq - b.seq)

  let anchor: number | undefined
  let latest = Number.NEGATIVE_INFINITY
  const timed = [...effective.entries()].sort((a, b) => a[1] - b[1])
  for (const [e, t] of timed) {
    latest = Math.max(latest, t)
    if (CRASH_KINDS.has(e.kind) && e.phase === 'system') anchor = crashEpisodeStart(timed, t)
  }
  const base = anchor ?? latest + 1
  const causesCrash = (list: ExplainEvent[]) => list.some((e) => e.kind === 'command' && (e.command.type === 'sysrq-trigger' || e.command.type === 'xen-key-crash'))
  const rank = new Map<number, number>()
  for (const f of untimedFiles) rank.set(f, causesCrash(byFile.get(f) ?? []) ? 1 : 0)

  const key = (e: ExplainEvent): [number, number, number, number, number] => {
    const t = effective.get(e)
    if (t !== undefined) return [t, 0, 0, e.fileIndex, e.line]
    // Untimed inputs sit just before `base`, in their rank, then input order, then line.
    return [base - 0.5, -1, rank.get(e.fileIndex) ?? 0, e.fileIndex, e.line]
  }
  return [...events].sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!
    return a.seq - b.seq
  })
}

/** A crash prints a burst (sysrq line, Oops, panic, Xen's line) within seconds; its first instant anchors the untimed inputs. */
function crashEpisodeStart(timed: [ExplainEvent, number][], at: number): number {
  let start = at
  for (const [e, t] of timed) {
    if (t > at) break
    if (at - t <= 60_000 && (CRASH_KINDS.has(e.kind) || (e.kind === 'oops' && e.induced)) && e.phase === 'system') start = Math.min(start, t)
  }
  return start
}
