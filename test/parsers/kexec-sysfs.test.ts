import {describe, expect, it} from 'vitest'
import {parseKexecSysfs, parseSysfsBytes, parseSysfsFlag} from '../../src/parsers/kexec-sysfs.js'
import {propertyNeverThrows} from './fuzz-support.js'

describe('kexec sysfs files', () => {
  it('reads the lab pvops dom0: all zero, even after a successful load into Xen', () => {
    expect(parseKexecSysfs({crashLoaded: '0\n', crashSize: '0\n', loaded: '0\n'})).toEqual({
      ok: true,
      value: {crashLoaded: false, crashSizeBytes: 0n, loaded: false},
      problems: [],
    })
  })

  it('reads a native RHEL 7 host with a loaded capture kernel (crashkernel=auto → 161M)', () => {
    const result = parseKexecSysfs({crashLoaded: '1\n', crashSize: '168820736\n'})
    expect(result.ok && result.value).toEqual({crashLoaded: true, crashSizeBytes: 161n << 20n})
  })

  it('leaves missing files undefined and reports malformed ones', () => {
    const result = parseKexecSysfs({crashLoaded: 'yes\n', crashSize: '-1\n'})
    expect(result.ok && result.value).toEqual({})
    expect(result.problems).toEqual([
      {message: 'kexec_crash_loaded: expected 0 or 1, got "yes"'},
      {message: 'kexec_crash_size: expected a decimal byte count, got "-1"'},
    ])
  })

  it('flags a loaded image without a region', () => {
    expect(parseKexecSysfs({crashLoaded: '1', crashSize: '0'}).problems).toEqual([{message: 'kexec_crash_loaded is 1 but kexec_crash_size is 0'}])
  })

  it('parses the single files', () => {
    expect(parseSysfsFlag('1\n')).toEqual({ok: true, value: true, problems: []})
    expect(parseSysfsFlag('').ok).toBe(false)
    expect(parseSysfsBytes('268435456\n')).toEqual({ok: true, value: 268435456n, problems: []})
    expect(parseSysfsBytes('0x10').ok).toBe(false)
  })

  it('never throws', () => {
    const samples = ['0\n', '1\n', '268435456\n']
    propertyNeverThrows(samples, parseSysfsFlag)
    propertyNeverThrows(samples, parseSysfsBytes)
    propertyNeverThrows(samples, (text) => {
      const [crashLoaded, crashSize, loaded] = text.split(/\s/)
      return parseKexecSysfs({crashLoaded, crashSize, loaded})
    })
  })
})
