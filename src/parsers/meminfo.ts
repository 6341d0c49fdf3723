/**
 * /proc/meminfo: one `Name: value [kB]` per line, the unit always kB meaning KiB (fs/proc/meminfo.c).
 *
 *   MemTotal:        8071336 kB
 *   MemFree:         6210048 kB
 *   HugePages_Total:       0
 *
 * Each field keeps its 1-based line; a line in no such form is a problem, not an exception.
 */
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface MeminfoField {
  /** The number as printed: KiB when `kB` is true, a count otherwise (HugePages_Total). */
  value: number
  kB: boolean
  line: number
}

export type Meminfo = ReadonlyMap<string, MeminfoField>

const FIELD = /^([A-Za-z0-9_()]+):\s+(\d{1,20})(\s+kB)?\s*$/

export function parseMeminfo(text: string): Parsed<Meminfo> {
  return total<Meminfo>('meminfo', () => {
    const fields = new Map<string, MeminfoField>()
    const problems: ParseProblem[] = []
    splitLines(text).forEach((raw, i) => {
      if (raw.trim() === '') return
      const m = FIELD.exec(raw)
      const value = m ? Number(m[2]) : Number.NaN
      if (!m || !Number.isSafeInteger(value)) {
        problems.push({line: i + 1, message: `not a "Name: value kB" line: ${raw.slice(0, 80)}`})
        return
      }
      if (!fields.has(m[1]!)) fields.set(m[1]!, {value, kB: m[3] !== undefined, line: i + 1})
    })
    return parsed(fields, problems)
  })
}
