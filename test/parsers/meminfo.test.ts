import {describe, expect, it} from 'vitest'
import {parseMeminfo} from '../../src/parsers/meminfo.js'
import {neverThrows} from './never-throws.js'

// The head of the lab dom0's /proc/meminfo (Linux 6.1, dom0_mem=2048M) and of a RHEL 5 xenolinux dom0.
const LAB = 'MemTotal:        1822812 kB\nMemFree:          981516 kB\nMemAvailable:    1402416 kB\nHugePages_Total:       0\nHugepagesize:       2048 kB\n'
const RHEL5 = 'MemTotal:      2097152 kB\nMemFree:        123456 kB\nHighTotal:           0 kB\n'

describe('parseMeminfo', () => {
  it('reads each field in KiB with its line, and counts without a unit', () => {
    const r = parseMeminfo(LAB)
    expect(r.ok && r.value.get('MemTotal')).toEqual({value: 1822812, kB: true, line: 1})
    expect(r.ok && r.value.get('HugePages_Total')).toEqual({value: 0, kB: false, line: 4})
    expect(r.problems).toEqual([])
  })

  it('reports a line in no known form and keeps the rest', () => {
    const r = parseMeminfo(`${RHEL5}garbage here\n`)
    expect(r.ok && r.value.get('MemTotal')?.value).toBe(2097152)
    expect(r.problems).toEqual([{line: 4, message: 'not a "Name: value kB" line: garbage here'}])
  })

  it('never throws', () => neverThrows([LAB, RHEL5], parseMeminfo))
})
