import {describe, expect, it} from 'vitest'
import {parseSysfsBytes, parseSysfsFlag} from '../../src/parsers/kexec-sysfs.js'
import {neverThrows} from './never-throws.js'

describe('kexec sysfs files', () => {
  it('reads the lab pvops dom0: all zero, even after a successful load into Xen', () => {
    expect(parseSysfsFlag('0\n')).toEqual({ok: true, value: false, problems: []})
    expect(parseSysfsBytes('0\n')).toEqual({ok: true, value: 0n, problems: []})
  })

  it('reads a native RHEL 7 host with a loaded capture kernel (crashkernel=auto → 161M)', () => {
    expect(parseSysfsFlag('1\n')).toEqual({ok: true, value: true, problems: []})
    expect(parseSysfsBytes('168820736\n')).toEqual({ok: true, value: 161n << 20n, problems: []})
  })

  it('reports malformed files', () => {
    expect(parseSysfsFlag('yes\n').problems).toEqual([{message: 'expected 0 or 1, got "yes"'}])
    expect(parseSysfsBytes('-1\n').problems).toEqual([{message: 'expected a decimal byte count, got "-1"'}])
  })

  it('parses the single files', () => {
    expect(parseSysfsFlag('1\n')).toEqual({ok: true, value: true, problems: []})
    expect(parseSysfsFlag('').ok).toBe(false)
    expect(parseSysfsBytes('268435456\n')).toEqual({ok: true, value: 268435456n, problems: []})
    expect(parseSysfsBytes('0x10').ok).toBe(false)
  })

  it('never throws', () => {
    const samples = ['0\n', '1\n', '268435456\n']
    neverThrows(samples, parseSysfsFlag)
    neverThrows(samples, parseSysfsBytes)
  })
})
