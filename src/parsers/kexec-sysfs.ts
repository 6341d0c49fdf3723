/**
 * The kernel's own kexec state files: /sys/kernel/kexec_crash_loaded and kexec_loaded (`0`/`1`),
 * /sys/kernel/kexec_crash_size (bytes of the crash region, decimal). They describe the running
 * kernel's view only: on a pvops dom0 they read 0 even while Xen holds a loaded capture kernel (seen
 * in the lab), so a check must not take a 0 here as proof of anything on such a host. (facts/capture.ts
 * and facts/region.ts read them, each with its own line of evidence.)
 */
import {parsed, total, unparsable, type Parsed} from './parse-result.js'

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
