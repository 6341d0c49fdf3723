/**
 * Shared fast-check pieces for the parser property tests: arbitrary text (ASCII, full Unicode, raw
 * bytes decoded as latin1 and as UTF-8) and mutations of real samples, plus the check that a parser
 * result is a well-formed Parsed value that did not come from total()'s exception net.
 */
import fc from 'fast-check'
import {expect} from 'vitest'
import type {Parsed} from '../../src/parsers/parse-result.js'

export function arbitraryText(samples: string[]): fc.Arbitrary<string> {
  const bytes = fc.uint8Array({maxLength: 400})
  const arbitraries: fc.Arbitrary<string>[] = [
    fc.string({maxLength: 300}),
    fc.string({unit: 'binary', maxLength: 200}),
    bytes.map((b) => Buffer.from(b).toString('latin1')),
    bytes.map((b) => Buffer.from(b).toString('utf8')),
  ]
  if (samples.length > 0) arbitraries.push(mutatedSample(samples))
  return fc.oneof(...arbitraries)
}

/** A real sample with a slice replaced by random text, lines shuffled or truncated. */
export function mutatedSample(samples: string[]): fc.Arbitrary<string> {
  return fc
    .record({
      index: fc.nat(),
      at: fc.nat(),
      cut: fc.nat({max: 40}),
      insert: fc.oneof(fc.string({maxLength: 20}), fc.constantFrom(' ', '\n', '"', '=', ':', '-', ',', '@', '<', '\\', '\t', '0x', 'G', '(XEN) ', '  ')),
      truncate: fc.boolean(),
    })
    .map(({index, at, cut, insert, truncate}) => {
      const sample = samples[index % samples.length] ?? ''
      const pos = sample.length === 0 ? 0 : at % sample.length
      const mutated = sample.slice(0, pos) + insert + sample.slice(pos + cut)
      return truncate ? mutated.slice(0, pos + insert.length) : mutated
    })
}

export function expectWellFormed<T>(result: Parsed<T>): void {
  expect(typeof result.ok).toBe('boolean')
  expect(Array.isArray(result.problems)).toBe(true)
  for (const problem of result.problems) expect(problem.message).not.toMatch(/internal parser error/)
  if (result.ok) expect(result.value).toBeDefined()
  else expect(result.problems.length).toBeGreaterThan(0)
}

export function propertyNeverThrows<T>(samples: string[], parse: (text: string) => Parsed<T>, runs = 400): void {
  fc.assert(
    fc.property(arbitraryText(samples), (text) => {
      expectWellFormed(parse(text))
    }),
    {numRuns: runs},
  )
}
