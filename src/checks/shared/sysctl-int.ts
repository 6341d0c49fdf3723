/**
 * A sysctl value as the kernel's proc_dointvec reads it: decimal, 0x hex or 0-prefixed octal
 * (simple_strtoul with base 0), so that `kernel.sysrq = 0x01b6` in a sysctl file means 438.
 */
export function parseSysctlInt(text: string): number | undefined {
  const t = text.trim().split(/\s+/)[0] ?? ''
  if (/^-?0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.replace(/^(-?)0x/i, '$1'), 16)
  if (/^-?0[0-7]+$/.test(t)) return Number.parseInt(t, 8)
  if (/^-?\d+$/.test(t)) return Number.parseInt(t, 10)
  return undefined
}
