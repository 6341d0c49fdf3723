/** Byte units, one module (src/units.ts): binary sizes say MiB and GiB; crashkernel= notation apart. */
import {describe, expect, it} from 'vitest'
import {formatBytes, formatKernelSize, formatMiB, GiB, MiB, wholeMiB} from '../src/units.js'

describe('units', () => {
  it('prints binary sizes with binary units', () => {
    expect(formatBytes(512 * MiB)).toBe('512 MiB')
    expect(formatBytes(GiB)).toBe('1.0 GiB')
    expect(formatBytes(12.34 * GiB)).toBe('12.3 GiB')
    expect(formatBytes(140 * GiB)).toBe('140 GiB')
    expect(formatMiB(256 * MiB)).toBe('256 MiB')
    expect(wholeMiB(256 * MiB - 1)).toBe(255)
  })

  it("writes crashkernel= sizes in the kernel's own notation", () => {
    expect(formatKernelSize(256n * BigInt(MiB))).toBe('256M')
    expect(formatKernelSize(2n * BigInt(GiB))).toBe('2G')
    expect(formatKernelSize(1000n)).toBe('1000 bytes')
  })
})
