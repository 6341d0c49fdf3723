/** How an event's time reads in a sentence: the calendar time when known, else what the log printed. */
import type {ExplainEvent} from './events.js'
import {isoOf, type TimeRef} from './time.js'

export function timeText(time: TimeRef | undefined): string | undefined {
  if (!time) return undefined
  const iso = isoOf(time)
  if (iso) return iso.replace('T', ' ')
  if (time.kind === 'uptime' && time.uptime !== undefined) return `${time.uptime.toFixed(3)} s after boot`
  return time.text
}

export function when(e: ExplainEvent): string {
  return timeText(e.time) ?? (e.uptime !== undefined ? `${e.uptime.toFixed(3)} s after boot` : `${e.file}:${e.line}`)
}

/** `1 h 55 min` between two events, when both are on the calendar. */
export function between(a: ExplainEvent, b: ExplainEvent): string | undefined {
  const ta = a.time?.wall
  const tb = b.time?.wall
  if (ta === undefined || tb === undefined || tb < ta) return undefined
  const minutes = Math.round((tb - ta) / 60_000)
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const rest = minutes % 60
  return [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : '', rest > 0 || minutes === 0 ? `${rest} min` : ''].filter(Boolean).join(' ')
}
