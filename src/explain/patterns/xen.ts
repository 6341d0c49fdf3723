/**
 * Messages of Xen's console (`(XEN) ` lines, and `xl info`/`xl dmesg` output), with each version's
 * wording: `Domain 0 crashed:` up to 4.5 and `Hardware Dom%u crashed:` from 4.6; `Executing crash
 * image` in 4.4 and `Executing kexec image on cpu%u` from 4.5. Pure and total.
 */
import type {Signal, XenCrashAction} from '../signals.js'

const CRASHED = /^(Domain 0|Hardware Dom(\d+)) crashed: ?(.*)$/
const SHUTDOWN_WATCHDOG = /^(?:Domain 0|Hardware Dom\d+) shutdown: watchdog rebooting machine/
const KDUMP_OK = /^Kdump: (\d+)MB \((\d+)kB\) at (0x[0-9a-f]+)/
const KDUMP_DISABLED = /^Kdump: DISABLED \(failed to reserve.*$/
const CRASHKERNEL_WARNING = /^crashkernel: (?:too many ranges|'-' expected|end <= start|':' expected|'.*' ignored|memory value expected|invalid size)/
const VERSION = /^Xen version (\d+\.\d+\S*)/
const PANIC_ON_CPU = /^Panic on CPU (\d+):/
const EXECUTING = /^Executing (?:kexec|crash) image(?: on cpu\d+)?/
const FATAL_TRAP = /^FATAL TRAP: vec(?:tor)?(?: =)? (\d+),? \(?([A-Za-z#]+)/
const SYSTEM_RAM = /^System RAM: (\d{1,15})MB \((\d{1,15})kB\)/
const DOMAIN_WATCHDOG = /^Watchdog timer fired for domain (\d+)/

export function crashAction(detail: string): XenCrashAction {
  if (detail.startsWith("'noreboot' set - not rebooting")) return 'halt'
  if (detail.startsWith('rebooting machine')) return 'reboot'
  if (detail.startsWith('Executing crash image') || detail.startsWith('Executing kexec image')) return 'kexec'
  return 'unknown'
}

export function classifyXen(raw: string): Signal | undefined {
  const text = raw.trimStart()
  switch (text.charCodeAt(0)) {
    case 68: // D
    case 72: {
      // H
      const m = CRASHED.exec(text)
      if (m) {
        const detail = (m[3] ?? '').trim()
        return {kind: 'xen-crash', wording: m[1] === 'Domain 0' ? 'Domain 0' : 'Hardware Dom', domain: m[2] === undefined ? 0 : Number(m[2]), action: crashAction(detail), detail}
      }
      if (SHUTDOWN_WATCHDOG.test(text)) return {kind: 'xen-watchdog', detail: text}
      return undefined
    }
    case 69: {
      // E: the capture kernel's start after Xen's own panic (after a dom0 crash it follows `crashed: ` on one line)
      if (EXECUTING.test(text)) return {kind: 'xen-kexec', detail: text}
      return undefined
    }
    case 70: {
      // F
      const f = FATAL_TRAP.exec(text)
      if (f) return {kind: 'xen-fatal-trap', vector: Number(f[1]), name: f[2]!.toUpperCase(), detail: text}
      return undefined
    }
    case 75: {
      // K
      const ok = KDUMP_OK.exec(text)
      if (ok) return {kind: 'region-reserved', by: 'xen', sizeMB: Number(ok[1]), at: ok[3]!}
      if (KDUMP_DISABLED.test(text)) return {kind: 'region-failed', by: 'xen', detail: text}
      return undefined
    }
    case 67: {
      // C
      if (text.startsWith('Command line: ')) return {kind: 'xen-cmdline', cmdline: text.slice(14).trim(), source: 'boot'}
      return undefined
    }
    case 99: {
      // c
      if (CRASHKERNEL_WARNING.test(text)) return {kind: 'region-config-error', detail: text}
      return undefined
    }
    case 88: {
      // X
      const v = VERSION.exec(text)
      if (v) return {kind: 'xen-version', version: v[1]!, source: 'xen'}
      return undefined
    }
    case 83: {
      // S
      if (text.startsWith('Shot down all CPUs')) return {kind: 'xen-shootdown'}
      const ram = SYSTEM_RAM.exec(text)
      if (ram) return {kind: 'xen-system-ram', mb: Number(ram[1]), kb: Number(ram[2])}
      return undefined
    }
    case 80: {
      // P
      const p = PANIC_ON_CPU.exec(text)
      if (p) return {kind: 'xen-panic', cpu: Number(p[1])}
      return undefined
    }
    case 77: {
      // M
      if (text.startsWith("Manual reset required ('noreboot' specified)")) return {kind: 'xen-after-panic', action: 'halt'}
      return undefined
    }
    case 82: {
      // R
      if (text.startsWith('Reboot in five seconds')) return {kind: 'xen-after-panic', action: 'reboot'}
      return undefined
    }
    case 87: {
      // W
      const w = DOMAIN_WATCHDOG.exec(text)
      if (w) return {kind: 'xen-watchdog', detail: text}
      return undefined
    }
    case 39: {
      // '
      if (text.startsWith("'C' pressed -> triggering crashdump")) return {kind: 'xen-key-crash'}
      return undefined
    }
    case 42: {
      // *
      if (text.startsWith('* no crash kernel loaded!')) return {kind: 'xen-no-crash-kernel'}
      return undefined
    }
    default:
      return undefined
  }
}

const XL_FIELD = /^(xen_commandline|xen_version)\s*:\s?(.*)$/

/** `xl info` (or `xm info`) fields that matter for the crash path. */
export function classifyXlInfo(text: string): Signal | undefined {
  const m = XL_FIELD.exec(text.trim())
  if (!m) return undefined
  if (m[1] === 'xen_version') return /^\d+\.\d+/.test(m[2]!) ? {kind: 'xen-version', version: m[2]!.trim(), source: 'xl-info'} : undefined
  return {kind: 'xen-cmdline', cmdline: m[2]!.trim(), source: 'xl-info'}
}
