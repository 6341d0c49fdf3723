/**
 * `xl info` (and old `xm info`) output: `key<padding>: value` lines, printed with `%-23s: `. Values
 * may contain colons (hw_caps, dates), so only the first colon after the padded key splits. The
 * `xl info -n` topology tables (`cpu:    core    socket     node`) are not fields and are skipped.
 * Old toolstacks lack `xen_version` (it is rebuilt from xen_major/minor/extra) and Xen 3.x lacks
 * `xen_commandline`.
 */
import {parsed, splitLines, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'
import {makeXenVersion, parseXenVersionText, type XenVersion} from './xen-version.js'

export interface XlInfo {
  /** Every field, values trimmed. */
  fields: Record<string, string>
  /** 1-based line of each field, for evidence. */
  lineOf: Record<string, number>
  host?: string
  /** dom0's kernel release (`uname -r` of dom0). */
  release?: string
  xenVersion?: XenVersion
  xenCommandline?: string
  totalMemoryMiB?: number
  freeMemoryMiB?: number
  virtCaps?: string[]
}

const FIELD = /^([A-Za-z][A-Za-z0-9_]*)( *):(.*)$/
const PADDED_WIDTH = 23
const TABLE_SECTIONS = new Set(['cpu_topology', 'numa_info', 'device_topology'])

export function parseXlInfo(text: string): Parsed<XlInfo> {
  return total<XlInfo>('xl-info', () => {
    const problems: ParseProblem[] = []
    const fields: Record<string, string> = {}
    const lineOf: Record<string, number> = {}
    let inTable = false
    splitLines(text).forEach((line, index) => {
      if (line.trim() === '') return
      const match = FIELD.exec(line)
      const key = match?.[1]
      // A real field is padded to the column, so `cpu:` inside a topology table is not one.
      if (!match || key === undefined || ((match[2] ?? '') === '' && key.length < PADDED_WIDTH)) {
        if (!inTable) problems.push({line: index + 1, message: `not a "key : value" line: ${JSON.stringify(line.slice(0, 80))}`})
        return
      }
      const value = (match[3] ?? '').trim()
      inTable = TABLE_SECTIONS.has(key) && value === ''
      if (key in lineOf) problems.push({line: index + 1, message: `field ${key} repeated; the last one is used`})
      fields[key] = value
      lineOf[key] = index + 1
    })
    if (Object.keys(fields).length === 0) return unparsable('xl-info: no "key : value" fields')

    const info: XlInfo = {fields, lineOf}
    const str = (key: string): string | undefined => (Object.hasOwn(fields, key) ? fields[key] : undefined)
    const mib = (key: string): number | undefined => {
      const value = str(key)
      if (value === undefined) return undefined
      if (/^\d{1,15}$/.test(value)) return Number(value)
      problems.push({line: lineOf[key], message: `${key} is not a number of MiB: ${JSON.stringify(value)}`})
      return undefined
    }
    info.host = str('host')
    info.release = str('release')
    info.xenCommandline = str('xen_commandline')
    info.totalMemoryMiB = mib('total_memory')
    info.freeMemoryMiB = mib('free_memory')
    const caps = str('virt_caps')
    if (caps !== undefined) info.virtCaps = caps.split(/\s+/).filter(Boolean)
    info.xenVersion = xenVersionOf(str, lineOf, problems)
    return parsed(info, problems)
  })
}

function xenVersionOf(str: (key: string) => string | undefined, lineOf: Record<string, number>, problems: ParseProblem[]): XenVersion | undefined {
  const major = str('xen_major')
  const minor = str('xen_minor')
  const fromParts = major !== undefined && minor !== undefined && /^\d{1,4}$/.test(major) && /^\d{1,4}$/.test(minor)
    ? makeXenVersion(Number(major), Number(minor), str('xen_extra') ?? '')
    : undefined
  const text = str('xen_version')
  if (text === undefined) return fromParts
  const version = parseXenVersionText(text)
  if (!version) {
    problems.push({line: lineOf.xen_version, message: `xen_version is not a version: ${JSON.stringify(text)}`})
    return fromParts
  }
  if (fromParts && fromParts.text !== version.text) {
    problems.push({line: lineOf.xen_version, message: `xen_version ${version.text} disagrees with xen_major/minor/extra ${fromParts.text}`})
  }
  return version
}
