/**
 * Byte sizes, one way. Everything kdumpcheck measures is binary (the kernel's kB in /proc/meminfo and df -k
 * are KiB; crashkernel=256M is 256 MiB), so what it prints says MiB and GiB. The crashkernel= notation
 * (`256M`, `1G`, memparse's suffixes) is a separate form, for values a user types on a command line.
 * Imports nothing: every layer may use it.
 */
export const KiB = 1024
export const MiB = 1024 ** 2
export const GiB = 1024 ** 3

/** `12.3 GiB`, `512 MiB`, `140 GiB`: a size as a person reads it (whole MiB below 1 GiB). */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(bytes >= 100 * GiB ? 0 : 1)} GiB`
  return `${Math.round(bytes / MiB)} MiB`
}

/** `256 MiB`: a crash region's size, which kernels and Xen reserve in whole MiB. */
export function formatMiB(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`
}

/** Whole MiB, rounded down: what a region of this size satisfies in a `... MiB or more` requirement. */
export function wholeMiB(bytes: number): number {
  return Math.floor(bytes / MiB)
}

const BIG_GiB = 1n << 30n
const BIG_MiB = 1n << 20n

/** `256M`, `2G`: the crashkernel= notation (memparse suffixes) for an exact size; plain bytes otherwise. */
export function formatKernelSize(bytes: bigint): string {
  if (bytes !== 0n && bytes % BIG_GiB === 0n) return `${bytes / BIG_GiB}G`
  if (bytes % BIG_MiB === 0n) return `${bytes / BIG_MiB}M`
  return `${bytes} bytes`
}
