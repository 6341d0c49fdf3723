/**
 * Text captures of process tools taken on the sick host: `ps` (header-driven, any column order),
 * `top`'s first line, and kernel stack frames (`/proc/PID/stack`). Pure and total.
 */
import {timeOfDay, type TimeRef} from '../time.js'
import type {Signal} from '../signals.js'

const PS_HEADER = /^\s*(?:USER|UID|F\s+S\s+UID)?\s*PID\b.*\b(?:STAT|S)\b.*\b(?:COMMAND|CMD|COMM)\s*$/
const TOP = /^top - (\d\d:\d\d:\d\d) up (.+?),\s+\d+ users?,\s+load averages?: ([\d.]+),\s*([\d.]+),\s*([\d.]+)/

export function classifyProcps(text: string): Signal | undefined {
  const c = text.charCodeAt(0)
  if (c === 116 /* t */) {
    const m = TOP.exec(text)
    if (m) return {kind: 'top', clock: m[1]!, up: m[2]!.replace(/\s+/g, ' '), load: [Number(m[3]), Number(m[4]), Number(m[5])]}
    return undefined
  }
  if (text.includes('PID') && PS_HEADER.test(text)) return {kind: 'ps-header', columns: text.trim().split(/\s+/)}
  return undefined
}

export interface PsRow {
  pid: number
  state: string
  start?: string
  command: string
}

/**
 * Splits a ps row by the header's columns. COMMAND is last and keeps its spaces; a row that does not
 * fit the header (a `grep D` line, a prompt) is not a row.
 */
export function parsePsRow(columns: string[], line: string): PsRow | undefined {
  const pidAt = columns.indexOf('PID')
  const statAt = columns.includes('STAT') ? columns.indexOf('STAT') : columns.indexOf('S')
  const startAt = columns.includes('START') ? columns.indexOf('START') : columns.indexOf('STIME')
  const commandAt = columns.length - 1
  if (pidAt < 0 || statAt < 0 || commandAt <= statAt) return undefined
  const fields = line.trim().split(/\s+/)
  if (fields.length < columns.length) return undefined
  const pid = Number(fields[pidAt])
  const state = fields[statAt] ?? ''
  if (!Number.isInteger(pid) || !/^[DRSTtZXIWKPN<sl+L]+$/.test(state)) return undefined
  const start = startAt >= 0 ? fields[startAt] : undefined
  return {pid, state, ...(start !== undefined ? {start} : {}), command: fields.slice(commandAt).join(' ')}
}

/** ps START: `22:41` today (minutes), `Dec14` or `2015` older; only the first is a time. */
export function psStartTime(start: string | undefined): TimeRef | undefined {
  if (!start) return undefined
  const m = /^(\d\d):(\d\d)$/.exec(start)
  return m ? timeOfDay(start, m[1]!, m[2]!) : undefined
}

/** `top - 23:36:57` as a time of day. */
export function topTime(clock: string): TimeRef | undefined {
  const m = /^(\d\d):(\d\d):(\d\d)$/.exec(clock)
  return m ? timeOfDay(clock, m[1]!, m[2]!, m[3]!) : undefined
}
