import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {
  acceptedByXen,
  hasUnescapedLessThan,
  parseCrashkernel,
  selectCrashkernel,
  selectSize,
  simulateXenCrashkernel,
  xenMinVersionFor,
  type CrashkernelSpec,
} from '../../src/parsers/crashkernel.js'
import {anyText, neverThrows} from './never-throws.js'

const K = 1n << 10n
const M = 1n << 20n
const G = 1n << 30n

// Values seen for real: the lab's Xen line (Xen 4.17), XenServer's installer defaults over the years,
// RHEL5's documented Xen 3.1 value, Linux kdump.rst's example, Debian kdump-tools' grub drop-in,
// RHEL 9's kexec-tools default, Ubuntu 24.04's default, and an arm64/x86 ,high + ,low pair.
const LAB_XEN = '256M,below=4G'
const XENSERVER_2007 = '64M@32M'
const XENSERVER_2026 = '512M,below=4G'
const RHEL5_XEN = '128M@16M'
const KDUMP_DOC = '512M-2G:64M,2G-:128M'
const DEBIAN_KDUMP_TOOLS = '384M-:128M'
const RHEL9 = '1G-4G:192M,4G-64G:256M,64G-:512M'
const UBUNTU_2404 = '2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M'
// The lab's Xen printed `System RAM: 2047MB (2096624kB)`: the figure Xen matches ranges against.
const LAB_RAM = 2096624n * K

function xen(value: string, grub2 = false): CrashkernelSpec {
  const result = parseCrashkernel(value, {dialect: 'xen', grub2})
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '))
  return result.value
}

function linux(value: string): CrashkernelSpec {
  const result = parseCrashkernel(value, {dialect: 'linux'})
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '))
  return result.value
}

function problems(value: string, dialect: 'xen' | 'linux'): string[] {
  return parseCrashkernel(value, {dialect}).problems.map((p) => p.message)
}

describe('parseCrashkernel (Xen)', () => {
  it('reads the lab value as a fixed size with a ,below= limit', () => {
    expect(xen(LAB_XEN)).toEqual({form: 'fixed', dialect: 'xen', text: LAB_XEN, size: 256n * M, placement: {kind: 'below', limit: 4n * G, syntax: ',below='}})
    expect(parseCrashkernel(LAB_XEN, {dialect: 'xen'}).problems).toEqual([])
  })

  it('reads size@offset (XenServer 2007, RHEL5)', () => {
    expect(xen(XENSERVER_2007)).toMatchObject({form: 'fixed', size: 64n * M, placement: {kind: 'at', offset: 32n * M}})
    expect(xen(RHEL5_XEN)).toMatchObject({size: 128n * M, placement: {kind: 'at', offset: 16n * M}})
  })

  it('reads ranges, an open end and a trailing <limit', () => {
    const spec = xen(`${KDUMP_DOC}<4G`)
    expect(spec).toMatchObject({form: 'ranges', placement: {kind: 'below', limit: 4n * G, syntax: '<'}})
    if (spec.form !== 'ranges') throw new Error('ranges expected')
    expect(spec.ranges).toEqual([
      {start: 512n * M, end: 2n * G, size: 64n * M},
      {start: 2n * G, size: 128n * M},
    ])
  })

  it('takes K/M/G/T in either case, B for bytes, and a bare number as KiB', () => {
    expect(xen('256m')).toMatchObject({size: 256n * M})
    expect(xen('1t')).toMatchObject({size: 1n << 40n})
    expect(xen('16777216B')).toMatchObject({size: 16n * M})
    expect(xen('0x10000000b')).toMatchObject({size: 0x10000000bn * K})
    const bare = parseCrashkernel('262144', {dialect: 'xen'})
    expect(bare.ok && bare.value).toMatchObject({size: 256n * M})
    expect(bare.problems.map((p) => p.message)).toEqual(["'262144' has no unit: Xen reads it as KiB, not bytes"])
  })

  it("uses Xen's own warnings for malformed ranges", () => {
    expect(problems('512M:64M', 'xen')).toEqual(["crashkernel: '-' expected", "crashkernel: ':64M' ignored"])
    expect(problems('2G-1G:64M', 'xen')).toEqual(['crashkernel: end <= start', "crashkernel: ':64M' ignored"])
    expect(problems('512M-2G,2G-:128M', 'xen')).toEqual(["crashkernel: ':' expected", "crashkernel: ',2G-:128M' ignored"])
    expect(problems('abc', 'xen')).toEqual(['crashkernel: memory value expected'])
    expect(parseCrashkernel('512M:64M', {dialect: 'xen'}).ok).toBe(false)
  })

  it('keeps what Xen keeps: earlier ranges survive a later error, a size survives a missing offset', () => {
    const result = parseCrashkernel('0-2G:128M,2G:256M', {dialect: 'xen'})
    expect(result.ok && result.value).toMatchObject({form: 'ranges', ranges: [{start: 0n, end: 2n * G, size: 128n * M}]})
    expect(result.problems.map((p) => p.message)).toEqual(["crashkernel: '-' expected", "crashkernel: ':256M' ignored"])
    const noOffset = parseCrashkernel('256M@', {dialect: 'xen'})
    expect(noOffset.ok && noOffset.value).toMatchObject({size: 256n * M, placement: {kind: 'auto'}})
    expect(noOffset.problems.map((p) => p.message)).toEqual(['crashkernel: memory value expected'])
  })

  it("reads a value without ':' as a plain size even when it looks like a range", () => {
    expect(xen('512M-2G')).toMatchObject({form: 'fixed', size: 512n * M})
    expect(problems('512M-2G', 'xen')).toEqual(["crashkernel: '-2G' ignored"])
  })

  it('keeps the first 16 ranges and warns about more', () => {
    const many = Array.from({length: 17}, (_, i) => `${i + 1}G-${i + 2}G:64M`).join(',') + '@16M'
    const result = parseCrashkernel(many, {dialect: 'xen'})
    expect(result.problems.map((p) => p.message)).toEqual(['crashkernel: too many ranges'])
    expect(result.ok && result.value.form === 'ranges' && result.value.ranges.length).toBe(16)
    expect(result.ok && result.value.form !== 'auto' && result.value.placement).toEqual({kind: 'at', offset: 16n * M})
  })

  it('rejects ,below= after ranges the way Xen does, keeping the range and dropping the limit', () => {
    // parse_size_and_unit() takes the 'b' of "below" as the bytes unit of an empty number.
    const result = parseCrashkernel('512M-:256M,below=4G', {dialect: 'xen'})
    expect(result.problems.map((p) => p.message)).toEqual(["crashkernel: '-' expected", "crashkernel: 'elow=4G' ignored"])
    expect(result.ok && result.value).toMatchObject({form: 'ranges', placement: {kind: 'auto'}, ranges: [{start: 512n * M, size: 256n * M}]})
  })

  it('treats a grub2-escaped \\< as < only when told the text comes from grub2', () => {
    expect(xen('256M\\<4G', true)).toMatchObject({size: 256n * M, placement: {kind: 'below', limit: 4n * G, syntax: '<'}})
    const raw = parseCrashkernel('256M\\<4G', {dialect: 'xen'})
    expect(raw.ok && raw.value.form !== 'auto' && raw.value.placement).toEqual({kind: 'auto'})
    expect(raw.problems.map((p) => p.message)).toContain("crashkernel: '\\<4G' ignored")
    const unescaped = parseCrashkernel('256M<4G', {dialect: 'xen', grub2: true})
    expect(unescaped.problems[0]?.message).toMatch(/unescaped '<' in a grub2 config/)
  })

  it('reports an empty value', () => {
    expect(parseCrashkernel('', {dialect: 'xen'})).toEqual({ok: false, problems: [{message: 'crashkernel: empty value'}]})
  })
})

describe('simulateXenCrashkernel by version', () => {
  it('Xen 4.8/4.9 print an ignored warning for ,below= but still reserve the size', () => {
    expect(simulateXenCrashkernel(LAB_XEN, {major: 4, minor: 8})).toEqual({warnings: ["crashkernel: ',below=4G' ignored"], size: 256n * M, ranges: [], unitless: []})
    expect(simulateXenCrashkernel(LAB_XEN, {major: 4, minor: 10}).below).toEqual({limit: 4n * G, syntax: ',below='})
  })

  it('Xen 4.1–4.7 silently drop <limit and ,below=', () => {
    for (const value of ['256M<4G', LAB_XEN]) {
      const outcome = simulateXenCrashkernel(value, {major: 4, minor: 4})
      expect(outcome).toMatchObject({warnings: [], size: 256n * M})
      expect(outcome.below).toBeUndefined()
    }
  })

  it('Xen before 4.1 reads a range spec as a fixed size: its first number', () => {
    expect(simulateXenCrashkernel(KDUMP_DOC, {major: 4, minor: 0})).toEqual({warnings: [], size: 512n * M, ranges: [], unitless: []})
    expect(simulateXenCrashkernel(RHEL5_XEN, {major: 3, minor: 1})).toMatchObject({size: 128n * M, at: 16n * M})
    expect(simulateXenCrashkernel(KDUMP_DOC, {major: 4, minor: 1}).ranges).toHaveLength(2)
  })

  it('Xen 4.1–4.7 say memory value expected after too many ranges without @', () => {
    const many = Array.from({length: 17}, (_, i) => `${i + 1}G-${i + 2}G:64M`).join(',')
    expect(simulateXenCrashkernel(many, {major: 4, minor: 4}).warnings).toEqual(['crashkernel: too many ranges', 'crashkernel: memory value expected'])
    expect(simulateXenCrashkernel(many, {major: 4, minor: 17}).warnings).toEqual(['crashkernel: too many ranges'])
  })
})

describe('parseCrashkernel (Linux)', () => {
  it('reads sizes as bytes with K/M/G/T/P/E, wrapping at 64 bits like the kernel', () => {
    expect(linux('268435456')).toMatchObject({form: 'fixed', size: 256n * M, placement: {kind: 'auto'}})
    expect(linux('1P')).toMatchObject({size: 1n << 50n})
    expect(linux('1E')).toMatchObject({size: 1n << 60n})
    expect(linux('16E')).toMatchObject({size: 0n})
    expect(problems('268435456', 'linux')).toEqual([])
  })

  it('reads ,high / ,low / ,cma, @offset and RHEL auto', () => {
    const high = linux('256M,high')
    expect(high.form === 'fixed' && high.placement).toEqual({kind: 'high'})
    expect(linux('72M,low')).toMatchObject({size: 72n * M, placement: {kind: 'low'}})
    expect(linux('128M,cma')).toMatchObject({placement: {kind: 'cma'}})
    expect(linux('128M@16M')).toMatchObject({placement: {kind: 'at', offset: 16n * M}})
    expect(linux('auto')).toEqual({form: 'auto', dialect: 'linux', text: 'auto'})
  })

  it('reads the distributions range defaults', () => {
    const rhel9 = linux(RHEL9)
    expect(rhel9.form === 'ranges' && rhel9.ranges.map((r) => r.size)).toEqual([192n * M, 256n * M, 512n * M])
    expect(linux(UBUNTU_2404)).toMatchObject({form: 'ranges', placement: {kind: 'auto'}})
    expect(linux(`${KDUMP_DOC}@16M`)).toMatchObject({placement: {kind: 'at', offset: 16n * M}})
  })

  it("rejects malformed values with Linux's messages", () => {
    expect(problems('512M-2G', 'linux')).toEqual(['crashkernel: unrecognized char: -'])
    expect(problems('256M,foo', 'linux')).toEqual(['crashkernel: unrecognized char: ,'])
    expect(problems('256M,below=4G', 'linux')).toEqual(['crashkernel: unrecognized char: ,'])
    expect(problems('2G-1G:64M', 'linux')).toEqual(['crashkernel: end <= start'])
    expect(problems('512M:64M', 'linux')).toEqual(["crashkernel: '-' expected"])
    expect(problems('512M-2G:64M,', 'linux')).toEqual(['crashkernel: Memory value expected'])
    expect(problems('x', 'linux')).toEqual(['crashkernel: memory value expected'])
    expect(parseCrashkernel('512M-2G', {dialect: 'linux'}).ok).toBe(false)
  })
})

describe('xenMinVersionFor / acceptedByXen', () => {
  it('gates each form on the release that introduced it', () => {
    expect(xenMinVersionFor(xen(XENSERVER_2007))).toEqual({major: 3, minor: 0})
    expect(xenMinVersionFor(xen('256M'))).toEqual({major: 3, minor: 0})
    expect(xenMinVersionFor(xen(KDUMP_DOC))).toEqual({major: 4, minor: 1})
    expect(xenMinVersionFor(xen('256M<4G'))).toEqual({major: 4, minor: 8})
    expect(xenMinVersionFor(xen(`${KDUMP_DOC}<4G`))).toEqual({major: 4, minor: 8})
    expect(xenMinVersionFor(xen(XENSERVER_2026))).toEqual({major: 4, minor: 10})
  })

  it('has no Xen for Linux-only forms or ranges with ,below=', () => {
    expect(xenMinVersionFor(linux('256M,high'))).toBeUndefined()
    expect(xenMinVersionFor(linux('auto'))).toBeUndefined()
    const rangesBelow: CrashkernelSpec = {form: 'ranges', dialect: 'xen', text: 'x', ranges: [{start: 0n, size: 256n * M}], placement: {kind: 'below', limit: 4n * G, syntax: ',below='}}
    expect(xenMinVersionFor(rangesBelow)).toBeUndefined()
    expect(acceptedByXen(rangesBelow, {major: 4, minor: 19})).toBe(false)
  })

  it('accepts against a running version (the incident host ran Xen <= 4.5)', () => {
    expect(acceptedByXen(xen(LAB_XEN), {major: 4, minor: 17})).toBe(true)
    expect(acceptedByXen(xen(LAB_XEN), {major: 4, minor: 9})).toBe(false)
    expect(acceptedByXen(xen('256M<4G'), {major: 4, minor: 5})).toBe(false)
    expect(acceptedByXen(xen(KDUMP_DOC), {major: 4, minor: 0})).toBe(false)
    expect(acceptedByXen(xen(RHEL5_XEN), {major: 3, minor: 1})).toBe(true)
  })
})

describe('selectSize', () => {
  it('returns the fixed size whatever the RAM', () => {
    expect(selectSize(xen(LAB_XEN), LAB_RAM)).toBe(256n * M)
  })

  it('matches [start, end) against RAM, Xen and Linux alike', () => {
    expect(selectSize(xen(KDUMP_DOC), LAB_RAM)).toBe(64n * M)
    expect(selectSize(xen(KDUMP_DOC), 2n * G)).toBe(128n * M)
    expect(selectSize(linux(KDUMP_DOC), 2n * G - 1n)).toBe(64n * M)
    expect(selectSize(xen(KDUMP_DOC), 16 * 2 ** 30)).toBe(128n * M)
    expect(selectSize(xen(DEBIAN_KDUMP_TOOLS), 256n * M)).toBe(0n)
    expect(selectSize(linux(DEBIAN_KDUMP_TOOLS), LAB_RAM)).toBe(128n * M)
    expect(selectSize(linux('auto'), LAB_RAM)).toBeUndefined()
  })

  it('skips a too-large range under Xen but rejects the option under Linux', () => {
    expect(selectSize(xen('0-:4G,0-:128M'), LAB_RAM)).toBe(128n * M)
    expect(selectSize(linux('0-:4G,0-:128M'), LAB_RAM)).toBe(0n)
  })

  it("reports the consumer's selection warnings and the matching range", () => {
    expect(selectCrashkernel(xen('0-:4G,0-:128M'), LAB_RAM)).toEqual({size: 128n * M, range: {start: 0n, size: 128n * M}, warnings: ['crashkernel: invalid size']})
    expect(selectCrashkernel(linux('0-:4G,0-:128M'), LAB_RAM)).toEqual({size: 0n, warnings: ['crashkernel: invalid size']})
    expect(selectCrashkernel(linux(DEBIAN_KDUMP_TOOLS), 256n * M)).toEqual({size: 0n, warnings: ['crashkernel size resulted in zero bytes']})
    expect(selectCrashkernel(xen(KDUMP_DOC), LAB_RAM).range).toEqual({start: 512n * M, end: 2n * G, size: 64n * M})
  })

  it('optionally rounds RAM up to 128M as newer Linux does', () => {
    const ram = 3996n * M
    expect(selectSize(linux(RHEL9), ram)).toBe(192n * M)
    expect(selectSize(linux(RHEL9), ram, {linuxRoundUp128M: true})).toBe(256n * M)
  })
})

describe('hasUnescapedLessThan', () => {
  it.each([
    ['multiboot2 /boot/xen.gz crashkernel=256M<4G', true],
    ['multiboot2 /boot/xen.gz crashkernel=256M\\<4G', false],
    ['multiboot2 /boot/xen.gz "crashkernel=256M<4G"', false],
    ["echo 'a<b' x<y", true],
    ["echo 'a<b'", false],
    ['crashkernel=256M,below=4G', false],
  ])('%s → %s', (text, expected) => {
    expect(hasUnescapedLessThan(text)).toBe(expected)
  })
})

describe('crashkernel properties', () => {
  const samples = [LAB_XEN, XENSERVER_2007, KDUMP_DOC, DEBIAN_KDUMP_TOOLS, RHEL9, UBUNTU_2404, '256M\\<4G', '256M,high', '0x10000000@0x1000000']
  it('parseCrashkernel never throws, in every mode', () => {
    neverThrows(samples, (text) => parseCrashkernel(text, {dialect: 'xen'}))
    neverThrows(samples, (text) => parseCrashkernel(text, {dialect: 'linux'}))
    neverThrows(samples, (text) => parseCrashkernel(text, {dialect: 'xen', grub2: true}))
  })

  it('simulation, version gates and selection never throw, and selection never exceeds RAM for ranges', () => {
    const version = fc.record({major: fc.integer({min: 2, max: 5}), minor: fc.integer({min: 0, max: 25})})
    fc.assert(
      fc.property(anyText(samples), version, fc.bigInt({min: 0n, max: 1n << 50n}), (text, v, ram) => {
        const outcome = simulateXenCrashkernel(text, v)
        expect(Array.isArray(outcome.warnings)).toBe(true)
        for (const dialect of ['xen', 'linux'] as const) {
          const result = parseCrashkernel(text, {dialect})
          if (!result.ok) continue
          acceptedByXen(result.value, v)
          const size = selectSize(result.value, ram)
          if (result.value.form === 'ranges' && size !== undefined) expect(size === 0n || size < ram).toBe(true)
        }
      }),
      {numRuns: 400},
    )
  })
})
