/**
 * The kernel's own kexec state files: /sys/kernel/kexec_crash_loaded and kexec_loaded (`0`/`1`),
 * /sys/kernel/kexec_crash_size (bytes of the crash region, decimal). They describe the running
 * kernel's view only: on a pvops dom0 they read 0 even while Xen holds a loaded capture kernel (seen
 * in the lab), so a check must not take a 0 here as proof of anything on such a host.
 */
import {parsed, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'

export function parseSysfsFlag(text: string): Parsed<boolean> {
  return total<boolean>('sysfs-flag', () => {
    const value = text.trim()
    if (value === '0') return parsed(false)
    if (value === '1') return parsed(true)
    return unparsable(`expected 0 or 1, got ${JSON.stringify(value.slice(0, 40))}`)
  })
}

export function parseSysfsBytes(text: string): Parsed<bigint> {
  return total<bigint>('sysfs-bytes', () => {
    const value = text.trim()
    if (!/^\d{1,20}$/.test(value)) return unparsable(`expected a decimal byte count, got ${JSON.stringify(value.slice(0, 40))}`)
    return parsed(BigInt(value))
  })
}

export interface KexecSysfsFiles {
  /** /sys/kernel/kexec_crash_loaded */
  crashLoaded?: string
  /** /sys/kernel/kexec_crash_size */
  crashSize?: string
  /** /sys/kernel/kexec_loaded */
  loaded?: string
}

export interface KexecSysfs {
  crashLoaded?: boolean
  crashSizeBytes?: bigint
  loaded?: boolean
}

/** Combines whichever files were collected; a missing or unreadable file leaves its field undefined. */
export function parseKexecSysfs(files: KexecSysfsFiles): Parsed<KexecSysfs> {
  return total<KexecSysfs>('kexec-sysfs', () => {
    const problems: ParseProblem[] = []
    const take = <T>(name: string, text: string | undefined, parse: (text: string) => Parsed<T>): T | undefined => {
      if (text === undefined) return undefined
      const result = parse(text)
      problems.push(...result.problems.map((p) => ({message: `${name}: ${p.message}`})))
      return result.ok ? result.value : undefined
    }
    const out: KexecSysfs = {}
    const crashLoaded = take('kexec_crash_loaded', files.crashLoaded, parseSysfsFlag)
    const crashSize = take('kexec_crash_size', files.crashSize, parseSysfsBytes)
    const loaded = take('kexec_loaded', files.loaded, parseSysfsFlag)
    if (crashLoaded !== undefined) out.crashLoaded = crashLoaded
    if (crashSize !== undefined) out.crashSizeBytes = crashSize
    if (loaded !== undefined) out.loaded = loaded
    if (crashLoaded === true && crashSize === 0n) problems.push({message: 'kexec_crash_loaded is 1 but kexec_crash_size is 0'})
    return parsed(out, problems)
  })
}
