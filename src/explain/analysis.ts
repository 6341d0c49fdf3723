/**
 * Finds the crash the verdict is about and sorts the evidence around it: what was configured before
 * (Xen's command line, the region, kexec), what the crash itself printed, and what ran after (Xen's
 * hand-off, the capture kernel, the collector). The last crash wins: it is the one whose dump the
 * user is looking for.
 */
import type {EventKind, EventOf, ExplainEvent} from './events.js'
import type {EvidenceRef} from './result.js'
import type {InputMeta} from './timeline.js'
import {sortInstant} from './time.js'

const CRASH_MARKERS = new Set<EventKind>(['panic', 'xen-crash', 'xen-panic', 'kexec-not-loaded', 'xen-key-crash', 'sysrq-crash'])
const EPISODE_KINDS = new Set<EventKind>(['sysrq-crash', 'oops', 'panic', 'xen-crash', 'xen-shootdown', 'xen-panic', 'xen-fatal-trap', 'xen-kexec', 'xen-after-panic', 'kexec-not-loaded', 'soft-lockup', 'hard-lockup', 'nmi', 'hung-task', 'rcu-stall', 'panic-end', 'panic-reboot-timer', 'xen-key-crash', 'xen-no-crash-kernel'])

export interface Analysis {
  events: ExplainEvent[]
  /** Index of the first event of the final crash, and of its last crash marker. */
  start?: number
  anchor?: number
  /** The final crash's own events (sysrq line, Oops, panic, Xen's line). */
  episode: ExplainEvent[]
  /** System events before the final crash. */
  before: ExplainEvent[]
  /** Events from the crash on, up to the next normal boot. */
  after: ExplainEvent[]
  capture: ExplainEvent[]
  /** The host came back: a normal boot after the crash. */
  nextBoot?: ExplainEvent
  xenCrash?: EventOf<'xen-crash'>
  panic?: EventOf<'panic'>
  isXen: boolean
  /** Inputs that exist only because a capture kernel read /proc/vmcore (vmcore-dmesg.txt): proof that one ran. */
  vmcoreLogs: EvidenceRef[]
}

function near(a: ExplainEvent, b: ExplainEvent): boolean {
  if (a.fileIndex === b.fileIndex && Math.abs(a.line - b.line) <= 300) return true
  const ta = a.time ? sortInstant(a.time) : undefined
  const tb = b.time ? sortInstant(b.time) : undefined
  return ta !== undefined && tb !== undefined && Math.abs(ta - tb) <= 60_000
}

function isNormalBoot(e: ExplainEvent): boolean {
  if (e.quoted || e.phase !== 'system') return false
  return (e.kind === 'kernel-boot' && !e.capture) || (e.kind === 'xen-version' && e.source === 'xen') || e.kind === 'journal-boot'
}

export function analyse(events: ExplainEvent[], inputs: InputMeta[] = []): Analysis {
  const vmcoreLogs = inputs.filter((i) => i.fromVmcore).map((i) => ({file: i.file, line: 0, text: `${i.file.slice(i.file.lastIndexOf('/') + 1)}: the crashed kernel's log, extracted from /proc/vmcore by a capture kernel`}))
  let anchor: number | undefined
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const e = events[i]!
    if (e.phase === 'system' && !e.quoted && CRASH_MARKERS.has(e.kind)) {
      anchor = i
      break
    }
  }
  const isXen = events.some((e) => e.kind.startsWith('xen-') || e.kind === 'dom0-crashkernel-ignored' || (e.kind === 'region-reserved' && e.by === 'xen'))
  if (anchor === undefined) {
    return {events, episode: [], before: events.filter((e) => e.phase === 'system'), after: [], capture: events.filter((e) => e.phase === 'capture'), isXen, vmcoreLogs}
  }
  let start = anchor
  for (let i = anchor - 1; i >= 0; i -= 1) {
    const e = events[i]!
    if (e.phase !== 'system' || e.quoted) continue
    if (!EPISODE_KINDS.has(e.kind) || !near(e, events[start]!)) break
    start = i
  }
  const after: ExplainEvent[] = []
  let nextBoot: ExplainEvent | undefined
  for (let i = start; i < events.length; i += 1) {
    const e = events[i]!
    if (i > anchor && isNormalBoot(e)) {
      nextBoot = e
      break
    }
    after.push(e)
  }
  const episode = events.slice(start, anchor + 1).filter((e) => e.phase === 'system' && EPISODE_KINDS.has(e.kind))
  const xenCrash = after.find((e): e is EventOf<'xen-crash'> => e.kind === 'xen-crash' && e.phase === 'system')
  const panic = [...episode].reverse().find((e): e is EventOf<'panic'> => e.kind === 'panic')
  return {
    events,
    start,
    anchor,
    episode,
    before: events.slice(0, start).filter((e) => e.phase === 'system'),
    after,
    capture: after.filter((e) => e.phase === 'capture'),
    ...(nextBoot ? {nextBoot} : {}),
    ...(xenCrash ? {xenCrash} : {}),
    ...(panic ? {panic} : {}),
    isXen,
    vmcoreLogs,
  }
}

/** The last event of a kind among `list`, optionally filtered. */
export function lastOf<K extends EventKind>(list: ExplainEvent[], kind: K, where: (e: EventOf<K>) => boolean = () => true): EventOf<K> | undefined {
  for (let i = list.length - 1; i >= 0; i -= 1) {
    const e = list[i]!
    if (e.kind === kind && where(e as EventOf<K>)) return e as EventOf<K>
  }
  return undefined
}

export function allOf<K extends EventKind>(list: ExplainEvent[], kind: K): EventOf<K>[] {
  return list.filter((e): e is EventOf<K> => e.kind === kind)
}

/** Configuration evidence: what the system logs said before the final crash (all of them when there was none). */
export function configEvents(a: Analysis): ExplainEvent[] {
  return a.anchor === undefined ? a.events.filter((e) => e.phase === 'system') : a.before
}
