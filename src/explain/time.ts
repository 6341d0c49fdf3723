/**
 * Log times come in five shapes (full date, syslog's date without a year, a time of day from ps/top,
 * seconds since boot, nothing). They are kept as printed and as a naive wall-clock number: the host's
 * time zone is unknown and every input of one incident shares it, so no zone is ever applied.
 */
export interface TimeRef {
  /** As the log printed it. */
  text: string
  kind: 'absolute' | 'no-year' | 'time-of-day' | 'uptime'
  /** Naive wall-clock milliseconds (Date.UTC of the printed fields); set when the date is known or inferred. */
  wall?: number
  /** Month 1-12, day, seconds of the day; kept so that a missing year or date can be inferred later. */
  month?: number
  day?: number
  secondOfDay?: number
  /** Seconds since that kernel's boot (dmesg `[  123.456789]`). */
  uptime?: number
  /** ps START has minutes only: such a time sorts after every event of that minute. */
  precision: 'ms' | 's' | 'min'
  /** What was inferred to place it on the calendar: `year` (syslog) or `date` (ps, top). */
  inferred?: 'year' | 'date'
}

export const MONTHS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
}

export function wallClock(year: number, month: number, day: number, secondOfDay: number, ms = 0): number {
  return Date.UTC(year, month - 1, day) + secondOfDay * 1000 + ms
}

function secondsOf(h: string, m: string, s: string | undefined): number {
  return Number(h) * 3600 + Number(m) * 60 + (s === undefined ? 0 : Number(s))
}

function validDate(month: number, day: number, sod: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && sod >= 0 && sod < 86_400
}

export function absoluteTime(text: string, year: string, month: string, day: string, h: string, m: string, s: string, frac?: string): TimeRef | undefined {
  const mo = Number(month)
  const d = Number(day)
  const sod = secondsOf(h, m, s)
  if (!validDate(mo, d, sod)) return undefined
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0
  return {text, kind: 'absolute', wall: wallClock(Number(year), mo, d, sod, ms), month: mo, day: d, secondOfDay: sod, precision: frac ? 'ms' : 's'}
}

export function noYearTime(text: string, monthName: string, day: string, h: string, m: string, s: string): TimeRef | undefined {
  const mo = MONTHS[monthName]
  const d = Number(day)
  const sod = secondsOf(h, m, s)
  if (mo === undefined || !validDate(mo, d, sod)) return undefined
  return {text, kind: 'no-year', month: mo, day: d, secondOfDay: sod, precision: 's'}
}

export function timeOfDay(text: string, h: string, m: string, s?: string): TimeRef | undefined {
  const sod = secondsOf(h, m, s)
  if (!(sod >= 0 && sod < 86_400) || Number(m) > 59) return undefined
  return {text, kind: 'time-of-day', secondOfDay: sod, precision: s === undefined ? 'min' : 's'}
}

export function uptimeTime(text: string, seconds: string): TimeRef | undefined {
  const value = Number(seconds)
  if (!Number.isFinite(value)) return undefined
  return {text, kind: 'uptime', uptime: value, precision: 'ms'}
}

/** The instant used to order events: the end of the minute for minute-precision times, so `22:26` sorts after `22:26:02`. */
export function sortInstant(time: TimeRef): number | undefined {
  if (time.wall === undefined) return undefined
  return time.precision === 'min' ? time.wall + 59_999 : time.wall
}

/** `2016-12-16T22:26:02` (no zone: the host's local time as printed). */
export function isoOf(time: TimeRef): string | undefined {
  if (time.wall === undefined) return undefined
  const iso = new Date(time.wall).toISOString()
  if (time.precision === 'min') return iso.slice(0, 16)
  if (time.precision === 's') return iso.slice(0, 19)
  return iso.slice(0, 23)
}

/**
 * Puts syslog's year-less dates on the calendar using the years that other inputs print in full:
 * the candidate year closest to the nearest full date wins (a December syslog next to a January
 * console belongs to the year before).
 */
export function inferYear(time: TimeRef, anchors: number[]): TimeRef {
  if (time.kind !== 'no-year' || time.month === undefined || time.day === undefined || time.secondOfDay === undefined) return time
  if (anchors.length === 0) return time
  let best: number | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const anchor of anchors) {
    const year = new Date(anchor).getUTCFullYear()
    for (const candidate of [year - 1, year, year + 1]) {
      const wall = wallClock(candidate, time.month, time.day, time.secondOfDay)
      const distance = Math.abs(wall - anchor)
      if (distance < bestDistance) {
        bestDistance = distance
        best = wall
      }
    }
  }
  return best === undefined ? time : {...time, wall: best, inferred: 'year'}
}

/**
 * Places a time of day (ps START, top's clock) on the latest calendar day that keeps it at or before
 * `latest`: such captures are taken on the live host, so before its final crash.
 */
export function inferDate(time: TimeRef, days: number[], latest: number | undefined): TimeRef {
  if (time.kind !== 'time-of-day' || time.secondOfDay === undefined || days.length === 0) return time
  const candidates = new Set<number>()
  for (const day of days) {
    candidates.add(day)
    candidates.add(day - 86_400_000)
  }
  let best: number | undefined
  for (const day of candidates) {
    const wall = day + time.secondOfDay * 1000
    if (latest !== undefined && wall > latest) continue
    if (best === undefined || wall > best) best = wall
  }
  return best === undefined ? time : {...time, wall: best, inferred: 'date'}
}

export function startOfDay(wall: number): number {
  return wall - (wall % 86_400_000)
}
