/**
 * The explain pipeline: inputs -> events (with file:line) -> one timeline -> the final crash's dump
 * chain -> verdict, causes and facts. `explainInputs` reads; `explainEvents` is pure and is what
 * tests call with events built from fixtures.
 */
import {analyse} from './analysis.js'
import {walkChain} from './chain.js'
import {findCauses} from './causes.js'
import {describeEvent} from './describe.js'
import {EventStore, type ExplainEvent} from './events.js'
import {Extractor} from './extractor.js'
import {collectFacts} from './facts.js'
import {readInput} from './input.js'
import {EXPLAIN_SCHEMA, type ExplainResult, type InputReport, type TimelineEntry, type Verdict} from './result.js'
import {isoOf} from './time.js'
import {buildTimeline, type InputMeta} from './timeline.js'
import {VERSION} from '../version.js'

export interface ExplainOptions {
  /** Where `-` reads from (tests pass a stream). */
  stdin?: NodeJS.ReadableStream
}

const DOCUMENT = /\.(?:md|markdown|rst|adoc|html?)$/i
/** Names the capture kernel gives the crashed kernel's log it extracts from /proc/vmcore. */
const FROM_VMCORE = /^(?:vmcore-dmesg(?:-incomplete)?\.txt|dmesg\.\d{12})(?:\.gz)?$/

export async function explainInputs(paths: string[], options: ExplainOptions = {}): Promise<ExplainResult> {
  const store = new EventStore()
  const reports: InputReport[] = []
  const meta: InputMeta[] = []
  for (const [index, path] of paths.entries()) {
    const name = path === '-' ? '<stdin>' : path
    const extractor = new Extractor(name, index, store)
    const outcome = await readInput(path, {line: (text, lineNo, cut) => extractor.line(text, lineNo, cut), unreadable: () => extractor.unreadable()}, options.stdin)
    extractor.finish()
    const s = extractor.stats
    reports.push({
      file: name,
      bytes: outcome.bytes,
      gzip: outcome.gzip,
      lines: s.lines,
      readable_lines: s.lines - s.unreadable,
      unreadable_lines: s.unreadable,
      truncated_lines: s.truncated,
      formats: {...s.formats} as Record<string, number>,
      events: s.events,
      ...(outcome.error ? {error: outcome.error} : {}),
    })
    const base = name.slice(name.lastIndexOf('/') + 1)
    meta.push({file: name, document: DOCUMENT.test(path), ...(FROM_VMCORE.test(base) ? {fromVmcore: true} : {})})
  }
  const result = explainEvents(store.all(), meta, reports)
  const dropped: Record<string, number> = {}
  for (const [kind, n] of store.dropped) dropped[kind] = n
  result.limits = {events_dropped: store.droppedTotal(), events_dropped_by_kind: dropped}
  return result
}

/** No line of any input could be read: the command's exit 2. */
export function nothingReadable(result: ExplainResult): boolean {
  return result.inputs.every((i) => i.readable_lines === 0 || (i.formats.blank ?? 0) === i.readable_lines)
}

export function explainEvents(events: ExplainEvent[], meta: InputMeta[], inputs: InputReport[]): ExplainResult {
  const timeline = buildTimeline(events, meta)
  const analysis = analyse(timeline, meta)
  const chain = walkChain(analysis)
  const causes = findCauses(analysis, chain)
  const facts = collectFacts(analysis)
  const crashLink = chain.links.find((l) => l.link === 'crash')
  const verdict: Verdict = {...chain.verdict, headline: headline(chain.verdict, chain.captureInferred !== undefined, crashLink?.status === 'broken' ? {summary: crashLink.summary, loaded: chain.imageLoaded === true} : undefined)}
  return {
    schema: EXPLAIN_SCHEMA,
    tool: {name: 'kdumpcheck', version: VERSION},
    verdict,
    exit_code: chain.exitCode,
    chain: chain.links,
    causes,
    facts,
    timeline: timeline.map(entry),
    inputs,
    limits: {events_dropped: 0, events_dropped_by_kind: {}},
  }
}

/**
 * `inferred`: the capture kernel's failure is read from its silence, so the headline says "most likely".
 * `survived`: what the kernel lived through without panicking (an Oops, a hang, an NMI), and whether a
 * capture kernel was loaded and waiting for a crash that never came.
 */
function headline(v: Omit<Verdict, 'headline'>, inferred = false, survived?: {summary: string; loaded: boolean}): string {
  const after = v.host_after_crash === 'halted' ? '; the host halted' : v.host_after_crash === 'rebooted' ? '; the host rebooted' : ''
  switch (v.outcome) {
    case 'vmcore-written':
      return `A vmcore was written: the capture kernel ran and saved the dump${after}.`
    case 'dump-empty':
      return `The capture kernel ran, but the dump it left is empty${after}.`
    case 'dump-failed':
      return `The capture kernel ran, but saving the vmcore failed${after}.`
    case 'capture-kernel-failed':
      if (inferred) return `A capture kernel was started, then nothing more came from it: most likely it hung before saving anything${after}.`
      return `A capture kernel was started, but it failed before saving anything${after}.`
    case 'nothing-loaded':
      return `No vmcore: no capture kernel ran, because none was loaded${after}.`
    case 'no-dump-attempted':
      if (survived) return `No vmcore: ${survived.summary}${survived.loaded ? ' (one was loaded and ready)' : ''}.`
      return 'No vmcore: the kernel oopsed or hung but never panicked, so no dump was attempted.'
    case 'unknown':
      return v.crash ? 'Cannot tell from these logs whether a vmcore was written.' : 'No kernel crash found in these logs.'
  }
}

function entry(e: ExplainEvent): TimelineEntry {
  const {seq, file, fileIndex, line, time, uptime, text, message, phase, quoted, also, kind, ...details} = e
  void seq
  void fileIndex
  void message
  const iso = time ? isoOf(time) : undefined
  return {
    time: time ? {text: time.text, ...(iso ? {iso} : {}), ...(time.inferred ? {inferred: time.inferred} : {})} : null,
    ...(uptime !== undefined ? {uptime} : {}),
    file,
    line,
    kind,
    phase,
    summary: describeEvent(e),
    text,
    ...(quoted ? {quoted} : {}),
    ...(also ? {also} : {}),
    details: details as Record<string, unknown>,
  }
}
