/** Integer sysctls read as proc_dointvec reads them (kernel/sysctl.c: proc_get_long, base 0). */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseSysctlInt} from '../../src/parsers/sysctl-int.js'

describe('parseSysctlInt', () => {
  it('reads decimal, 0x hexadecimal and 0-prefixed octal, as simple_strtoul with base 0 does', () => {
    expect(parseSysctlInt('16\n')).toBe(16)
    expect(parseSysctlInt('0x01b6')).toBe(438)
    expect(parseSysctlInt('0X1B6')).toBe(438)
    expect(parseSysctlInt('0x0a')).toBe(10)
    expect(parseSysctlInt('0666')).toBe(438)
    expect(parseSysctlInt('010')).toBe(8)
    expect(parseSysctlInt('0')).toBe(0)
    expect(parseSysctlInt(' 1 ')).toBe(1)
    expect(parseSysctlInt('-1')).toBe(-1)
    expect(parseSysctlInt('\t60\tx')).toBe(60)
  })

  it('refuses what the kernel refuses: no digit first, a digit out of base, trailing junk, outside int', () => {
    for (const bad of ['yes', '', ' ', '0x', '08', '1e3', '10s', '+1', '--1', '2147483648', '-2147483649', '0x100000000']) expect(parseSysctlInt(bad), bad).toBeUndefined()
    expect(parseSysctlInt('2147483647')).toBe(2147483647)
    expect(parseSysctlInt('-2147483648')).toBe(-2147483648)
  })

  it('reads every decimal the kernel prints back', () => {
    fc.assert(fc.property(fc.integer({min: -(2 ** 31), max: 2 ** 31 - 1}), (n) => parseSysctlInt(`${n}\n`) === n))
  })
})
