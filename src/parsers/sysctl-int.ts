/**
 * An integer sysctl value as the kernel reads it. A write to /proc/sys (what sysctl(8) and systemd-sysctl
 * do with a sysctl file's value, byte for byte) goes through proc_dointvec -> proc_get_long, which skips
 * leading blanks, takes an optional `-`, requires a digit, and converts with base 0 (simple_strtoul, since
 * v5.x strtoul_lenient): `0x`/`0X` before a hex digit is hexadecimal, another leading `0` octal, the rest
 * decimal. The number must end at a blank or the end; a value outside int's range is refused (-EINVAL), as is
 * anything else. Reading /proc/sys gives the kernel's own decimal (proc_put_long), which the same rule reads.
 * So `kernel.sysrq = 0x01b6` in a sysctl file is 438, `010` is 8, and `0x`, `08` or `1e3` are refused: the
 * kernel keeps its previous value, which a snapshot cannot tell (undefined here).
 */
const INT_MAX = 2 ** 31 - 1

export function parseSysctlInt(text: string): number | undefined {
  const token = text.replace(/^[ \t\n]+/, '').split(/[ \t\n]/, 1)[0] ?? ''
  const m = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(token)
  if (!m) return undefined
  const digits = m[2]!
  const magnitude = /^0[xX]/.test(digits) ? Number.parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? Number.parseInt(digits, 8) : Number(digits)
  if (!Number.isSafeInteger(magnitude)) return undefined
  if (m[1] === '-') return magnitude > INT_MAX + 1 ? undefined : magnitude === 0 ? 0 : -magnitude
  return magnitude > INT_MAX ? undefined : magnitude
}
