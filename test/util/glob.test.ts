/**
 * The one glob matcher (src/util/glob.ts): fnmatch semantics, bounded work whatever the pattern, and
 * the same answer from `--limit`, waiver `hosts:` and the image reader's path globs.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {hostMatches} from '../../src/config/config.js'
import {applyLimit} from '../../src/scan/limit.js'
import {globComponent} from '../../src/sources/rootfs/tree.js'
import {compileGlob, globMatch} from '../../src/util/glob.js'

describe('glob semantics (fnmatch)', () => {
  it.each([
    ['*', 'anything', true],
    ['*', '', true],
    ['?', '', false],
    ['hv-???', 'hv-abc', true],
    ['hv-???', 'hv-abcd', false],
    ['a.b', 'axb', false],
    ['dom0-[0-9]*', 'dom0-7', true],
    ['dom0-[0-9]*', 'dom0-x7', false],
    ['dom0-[!0-9]*', 'dom0-x7', true],
    ['dom0-[^0-9]*', 'dom0-7', false],
    ['[]]', ']', true],
    ['[!]]', 'a', true],
    ['[a-]', '-', true],
    ['[[:digit:]]x', '5x', true],
    ['[[:alpha:]]', '5', false],
    ['[[:bogus:]]', 'a', false],
    ['[abc', '[abc', true],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['{a,b}', 'a', false],
    ['{a,b}', '{a,b}', true],
    ['@(x)', '@(x)', true],
    ['*.conf', 'a.conf', true],
    ['*.conf', 'a.conf.bak', false],
    ['é?', 'éü', true],
  ])('%j against %j is %s', (pattern, name, want) => {
    expect(globMatch(pattern, name)).toBe(want)
  })

  it('folds case only when asked (host names), ranges included', () => {
    expect(globMatch('HV-*', 'hv-1')).toBe(false)
    expect(globMatch('HV-*', 'hv-1', {caseInsensitive: true})).toBe(true)
    expect(globMatch('[a-z]x', 'QX', {caseInsensitive: true})).toBe(true)
    expect(globMatch('[A-Z]x', 'qx', {caseInsensitive: true})).toBe(true)
  })

  it('keeps the shell rule for a leading dot when asked (file names)', () => {
    expect(globMatch('*.conf', '.hidden.conf', {period: true})).toBe(false)
    expect(globMatch('?hidden', '.hidden', {period: true})).toBe(false)
    expect(globMatch('.*', '.hidden', {period: true})).toBe(true)
    expect(globMatch('*.conf', '.hidden.conf')).toBe(true)
  })

  it('agrees with a regular-expression translation on small random patterns and names', () => {
    const alphabet = ['a', 'b', '.', '*', '?', '[a-b]', '[!a]']
    const toRegex = (tokens: string[]): RegExp =>
      new RegExp(
        `^${tokens.map((t) => (t === '*' ? '[\\s\\S]*' : t === '?' ? '[\\s\\S]' : t === '[a-b]' ? '[a-b]' : t === '[!a]' ? '[^a]' : t.replace('.', '\\.'))).join('')}$`,
        'u',
      )
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), {maxLength: 7}), fc.stringMatching(/^[ab.c]{0,10}$/), (tokens, name) => {
        expect(globMatch(tokens.join(''), name)).toBe(toRegex(tokens).test(name))
      }),
      {seed: 20261207, numRuns: 2000},
    )
  })
})

describe('glob work is bounded (a waiver or an image is input)', () => {
  const bound = (pattern: string, name: string): number => ([...name].length + 1) * ([...pattern].length + 1)

  it('a 16-star pattern against a long name takes at most |name| x |pattern| steps', () => {
    const pattern = `${'*a'.repeat(16)}*b`
    const name = 'a'.repeat(4096)
    const counter = {steps: 0}
    expect(compileGlob(pattern).test(name, counter)).toBe(false)
    expect(counter.steps).toBeLessThanOrEqual(bound(pattern, name))
  })

  it('a long host name against hv-*-*-*.lab stays within the same bound', () => {
    const pattern = 'hv-*-*-*.lab'
    const name = `hv-${'-'.repeat(20_000)}.labx`
    const counter = {steps: 0}
    expect(compileGlob(pattern, {caseInsensitive: true}).test(name, counter)).toBe(false)
    expect(counter.steps).toBeLessThanOrEqual(bound(pattern, name))
  })

  it('waiver hosts and --limit answer a 16-star pattern at once (they took minutes with backtracking regexps)', () => {
    const pattern = `${'*a'.repeat(16)}*b`
    expect(hostMatches(pattern, 'a'.repeat(200))).toBe(false)
    expect(hostMatches('hv-*-*-*.lab', `hv-${'-'.repeat(5000)}.labx`)).toBe(false)
    const hosts = [{name: 'a'.repeat(200), address: 'a'.repeat(200), groups: ['all']}, {name: `${'a'.repeat(16)}b`, address: 'x', groups: ['all']}]
    expect(applyLimit(hosts, pattern).map((h) => h.name)).toEqual([`${'a'.repeat(16)}b`])
  })
})

describe('one meaning everywhere', () => {
  const names = ['dom0-1', 'dom0-12', 'DOM0-3', 'dom0-x', 'dom0-', 'xdom0-1']
  it('dom0-[0-9]* selects the same hosts under --limit, in a waiver and in an image glob', () => {
    const hosts = names.map((name) => ({name, address: name, groups: [] as string[]}))
    const limited = applyLimit(hosts, 'dom0-[0-9]*').map((h) => h.name)
    const waived = names.filter((n) => hostMatches('dom0-[0-9]*', n))
    expect(limited).toEqual(['dom0-1', 'dom0-12', 'DOM0-3'])
    expect(waived).toEqual(limited)
    // File names are case-sensitive; otherwise the image walk's component glob agrees.
    const image = names.filter((n) => globComponent('dom0-[0-9]*').test(n))
    expect(image).toEqual(['dom0-1', 'dom0-12'])
  })
})
