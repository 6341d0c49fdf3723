/**
 * A kernel build configuration, /boot/config-<release> (what `make oldconfig` wrote, shipped with every
 * distribution kernel):
 *
 *   CONFIG_PANIC_ON_OOPS_VALUE=0
 *   CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE=0x01b6
 *   CONFIG_LOCALVERSION=""
 *   # CONFIG_PANIC_ON_OOPS is not set
 *
 * A value is kept as written (quotes included); `# CONFIG_X is not set` records X as unset. Any other
 * line is a comment or noise and is skipped. Pure and total.
 */
import {parsed, splitLines, total, type Parsed} from './parse-result.js'

export interface KernelConfigOption {
  value: string
  /** 1-based line. */
  line: number
}

export interface KernelConfig {
  options: ReadonlyMap<string, KernelConfigOption>
  /** Options the file says are not set, with their line. */
  unset: ReadonlyMap<string, number>
}

const SET = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/
const UNSET = /^# (CONFIG_[A-Za-z0-9_]+) is not set\s*$/

export function parseKernelConfig(text: string): Parsed<KernelConfig> {
  return total<KernelConfig>('kernel-config', () => {
    const options = new Map<string, KernelConfigOption>()
    const unset = new Map<string, number>()
    splitLines(text).forEach((raw, i) => {
      const line = raw.replace(/\r$/, '')
      const set = SET.exec(line)
      // A later assignment wins, as in Kconfig.
      if (set) {
        options.set(set[1]!, {value: set[2]!, line: i + 1})
        unset.delete(set[1]!)
        return
      }
      const off = UNSET.exec(line)
      if (off) {
        unset.set(off[1]!, i + 1)
        options.delete(off[1]!)
      }
    })
    return parsed({options, unset})
  })
}
