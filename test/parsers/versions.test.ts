/** kexec-tools and kernel version comparison, one module (src/parsers/versions.ts). */
import {describe, expect, it} from 'vitest'
import {kernelAtLeast, kernelVersion, kexecAtLeast} from '../../src/parsers/versions.js'

describe('kexecAtLeast', () => {
  it('reads kexec --version text and package versions alike', () => {
    expect(kexecAtLeast('2.0.25', '2.0.5')).toBe(true)
    expect(kexecAtLeast('1:2.0.25-3+deb12u3', '2.0.5')).toBe(true)
    expect(kexecAtLeast('(none):2.0.0-273.el5', '2.0.5')).toBe(false)
    expect(kexecAtLeast('20070330', '2.0.0')).toBe(false)
    expect(kexecAtLeast('2.0.5-rc2', '2.0.5')).toBe(false)
    expect(kexecAtLeast('2.0.26~rc1-1', '2.0.26')).toBe(false)
  })

  it('is undefined when the version cannot be read', () => {
    expect(kexecAtLeast(undefined, '2.0.5')).toBeUndefined()
    expect(kexecAtLeast('unknown', '2.0.5')).toBeUndefined()
  })
})

describe('kernelAtLeast', () => {
  it('compares the leading major.minor.patch of a release', () => {
    expect(kernelVersion('6.1.0-50-amd64')).toEqual([6, 1, 0])
    expect(kernelVersion('2.6.32.36-0.5-xen')).toEqual([2, 6, 32])
    expect(kernelAtLeast('5.4.0-150-generic', 5, 4)).toBe(true)
    expect(kernelAtLeast('4.19.0-27-amd64', 5, 4)).toBe(false)
    expect(kernelAtLeast('5.14.0-427.el9.x86_64', 5, 4)).toBe(true)
    expect(kernelAtLeast('2.6.18-406.el5xen', 3, 0)).toBe(false)
    expect(kernelAtLeast('10.0', 5, 4)).toBe(true)
  })

  it('is undefined for a release that is not numeric', () => {
    expect(kernelAtLeast('', 3, 0)).toBeUndefined()
    expect(kernelAtLeast('vmlinuz', 3, 0)).toBeUndefined()
  })
})
