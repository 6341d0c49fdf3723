/** Wording shared by the text and Markdown stories. */
import type {ChainLink, ExplainResult, InputReport, TimelineEntry} from '../result.js'

export const OUTCOME_WORDS: Record<ExplainResult['verdict']['outcome'], string> = {
  'vmcore-written': 'vmcore written',
  'dump-empty': 'dump empty',
  'dump-failed': 'dump failed',
  'capture-kernel-failed': 'capture kernel failed',
  'nothing-loaded': 'no capture kernel loaded',
  'no-dump-attempted': 'no dump attempted',
  unknown: 'cannot tell',
}

export const STATUS_WORDS: Record<ChainLink['status'], string> = {
  ok: 'ok',
  broken: 'BROKEN',
  unknown: 'unknown',
  'not-reached': 'not reached',
}

export const LINK_WORDS: Record<ChainLink['link'], string> = {
  crash: 'crash',
  'hand-off': 'hand-off',
  region: 'crash region',
  image: 'capture image',
  'capture-kernel': 'capture kernel',
  collector: 'collector',
  vmcore: 'vmcore',
}

export const FACT_WORDS: Record<string, string> = {
  xen_version: 'Xen version',
  dom0_kernel: 'dom0 kernel',
  trigger: 'trigger',
  panic_reason: 'panic reason',
  host_uptime: 'host uptime',
}

export function yesNo(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no'
}

export function timeLabel(t: TimelineEntry): string {
  if (t.time?.iso) return `${t.time.iso.replace('T', ' ')}${t.time.inferred ? '*' : ''}`
  if (t.time) return t.time.text
  return ''
}

/** Only the file name when all inputs share a directory keeps lines short; otherwise the path as given. */
export function displayName(file: string, all: InputReport[]): string {
  const dirs = new Set(all.map((i) => i.file.slice(0, i.file.lastIndexOf('/') + 1)))
  return dirs.size === 1 ? file.slice(file.lastIndexOf('/') + 1) : file
}

export function formatsLine(input: InputReport): string {
  const parts = Object.entries(input.formats)
    .filter(([name]) => name !== 'blank')
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
  return parts.join(', ') || 'nothing recognisable'
}

export function anyInferred(result: ExplainResult): boolean {
  return result.timeline.some((t) => t.time?.inferred !== undefined)
}

/** A long timeline keeps its start and, above all, its end (the final crash). */
export function visibleTimeline(timeline: TimelineEntry[], limit: number): {head: TimelineEntry[]; hidden: number; tail: TimelineEntry[]} {
  if (timeline.length <= limit) return {head: timeline, hidden: 0, tail: []}
  const headCount = Math.floor(limit / 4)
  const tailCount = limit - headCount
  return {head: timeline.slice(0, headCount), hidden: timeline.length - limit, tail: timeline.slice(-tailCount)}
}
