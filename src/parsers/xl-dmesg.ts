/**
 * The hypervisor's console ring as `xl dmesg` / `xm dmesg` print it. Lines carry a `(XEN) ` prefix,
 * on 4.x optionally followed by a `console_timestamps=` stamp (`[    0.000000]`, `[2024-01-30
 * 10:49:37]`, `[2024-01-30 10:49:37.123]`); the figlet banner is written without a prefix.
 * The ring is small (16 KiB in the lab) and wraps on long-running hosts, so every absence found here
 * ("no `Kdump:` line") only means something when the start of the boot is still in the log.
 */
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'
import {makeXenVersion, type XenVersion} from './xen-version.js'

export interface XenLogLine {
  /** 1-based line in the parsed text. */
  line: number
  /** The message with prefix and timestamp removed. */
  text: string
}

export interface KdumpLine extends XenLogLine {
  /** `Kdump: 256MB (262144kB) at 0x69d07000` = reserved; `Kdump: DISABLED (failed to reserve ...)` = disabled. */
  status: 'reserved' | 'disabled'
  sizeMiB: number
  sizeKiB: number
  start: bigint
}

export interface XlDmesg {
  lineCount: number
  /** From the `Xen version X.Y.Z (...)` banner line. */
  version?: XenLogLine & {version: XenVersion; debug?: boolean}
  /** The hypervisor's command line as it booted (`Command line: ...`). */
  commandLine?: XenLogLine & {value: string}
  /** The last `Kdump:` line (there is one per boot). */
  kdump?: KdumpLine
  kdumpLines: KdumpLine[]
  /** `System RAM: %luMB (%lukB)`: the RAM figure Xen matches crashkernel ranges against. */
  systemRamKiB?: number
  /** `crashkernel: ...` parser warnings. */
  crashkernelWarnings: XenLogLine[]
  /** Any `'...' ignored` line, e.g. `crashkernel: ',below=4G' ignored` on Xen 4.8/4.9. */
  ignored: XenLogLine[]
  /** Xen's command-line complaints, e.g. `parameter "foo" unknown!`. */
  parameterWarnings: XenLogLine[]
  /** The figlet banner was seen. */
  asciiBanner: boolean
  /** One of the first lines of a boot (banner, `Xen version`, `Command line:`) is within the first lines. */
  bootStartSeen: boolean
  /** The ring no longer holds the start of the boot: absences prove nothing. */
  wrapped: boolean
}

/** How far into the log the start-of-boot lines may appear (banner + version + a few header lines). */
export const BOOT_START_WINDOW = 40

const PREFIX = /^\(XEN\) ?/
const TIMESTAMP = /^\[(?:\s*\d+\.\d+|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})?|[0-9a-f]{8,16})\] ?/
const BANNER = /^[ _|\\/()'`.,<>-]+$/
const VERSION = /^Xen version (\d{1,4})\.(\d{1,4})(\S*)/
const KDUMP = /^Kdump: (\d{1,15})MB \((\d{1,15})kB\) at (?:0x)?([0-9a-fA-F]{1,16})\s*$/
const KDUMP_DISABLED = /^Kdump: DISABLED \(failed to reserve (\d{1,15})MB \((\d{1,15})kB\) at (?:0x)?([0-9a-fA-F]{1,16})\)/
const SYSTEM_RAM = /^System RAM: \d{1,15}MB \((\d{1,15})kB\)/

function isBanner(text: string): boolean {
  return text.length >= 8 && text.includes('_') && /[|\\/]/.test(text) && BANNER.test(text)
}

export function parseXlDmesg(text: string): Parsed<XlDmesg> {
  return total<XlDmesg>('xl-dmesg', () => {
    const problems: ParseProblem[] = []
    const lines = splitLines(text)
    // A log with prefixes is a console capture: unprefixed lines there are not Xen's (dom0, serial noise).
    const prefixed = lines.some((line) => PREFIX.test(line))
    const out: XlDmesg = {
      lineCount: lines.length,
      kdumpLines: [],
      crashkernelWarnings: [],
      ignored: [],
      parameterWarnings: [],
      asciiBanner: false,
      bootStartSeen: false,
      wrapped: true,
    }
    lines.forEach((raw, index) => {
      const line = index + 1
      const hasPrefix = PREFIX.test(raw)
      const body = hasPrefix ? raw.replace(PREFIX, '').replace(TIMESTAMP, '') : raw
      const early = index < BOOT_START_WINDOW
      if (isBanner(body)) {
        out.asciiBanner = true
        if (early) out.bootStartSeen = true
        return
      }
      if (prefixed && !hasPrefix) return
      const msg = body.trimEnd()
      const version = VERSION.exec(msg)
      if (version) {
        if (early) out.bootStartSeen = true
        if (out.version) return
        const debug = /\bdebug=([yn])\b/.exec(msg)?.[1]
        out.version = {line, text: msg, version: makeXenVersion(Number(version[1]), Number(version[2]), version[3] ?? '')}
        if (debug) out.version.debug = debug === 'y'
        return
      }
      if (msg.startsWith('Command line:')) {
        if (early) out.bootStartSeen = true
        out.commandLine ??= {line, text: msg, value: msg.slice('Command line:'.length).trim()}
        return
      }
      const kdump = KDUMP.exec(msg) ?? KDUMP_DISABLED.exec(msg)
      if (kdump) {
        const status = msg.startsWith('Kdump: DISABLED') ? 'disabled' : 'reserved'
        const entry: KdumpLine = {line, text: msg, status, sizeMiB: Number(kdump[1]), sizeKiB: Number(kdump[2]), start: BigInt(`0x${kdump[3]}`)}
        out.kdumpLines.push(entry)
        out.kdump = entry
        return
      }
      if (msg.startsWith('Kdump:')) problems.push({line, message: `unrecognised Kdump line: ${msg.slice(0, 120)}`})
      const ram = SYSTEM_RAM.exec(msg)
      if (ram) out.systemRamKiB ??= Number(ram[1])
      if (msg.startsWith('crashkernel:')) out.crashkernelWarnings.push({line, text: msg})
      if (/'[^']*' ignored/.test(msg)) out.ignored.push({line, text: msg})
      if (msg.startsWith('parameter "')) out.parameterWarnings.push({line, text: msg})
    })
    out.wrapped = !out.bootStartSeen
    if (lines.length === 0) problems.push({message: 'empty log: nothing can be concluded from it'})
    return parsed(out, problems)
  })
}
