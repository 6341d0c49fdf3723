/**
 * Property-test support for every parser (the one module; fuzz-support.ts merged into it): random strings and
 * bytes, and mutations of the real samples each test embeds (a slice replaced, lines rotated, the tail cut). A
 * parser passes when it returns a well-formed Parsed value that did not come from total()'s exception net (a
 * caught exception is still a parser bug).
 */
import fc from 'fast-check'
import {expect} from 'vitest'
import type {Parsed} from '../../src/parsers/parse-result.js'

const SPICE = ['\n', ' ', '  ', '\t', '"', "'", '\\', '$', '${', '$(', '`', '{', '}', '=', '#', ';', '<', '>', '|', '&', '(', ')', '--- ', 'if ', 'fi', '\r\n', '->', ':', '-', ',', '@', '0x', 'G', '(XEN) ']

export function mutatedSample(samples: string[]): fc.Arbitrary<string> {
  return fc
    .record({
      index: fc.nat(),
      at: fc.nat(),
      cut: fc.nat({max: 60}),
      insert: fc.oneof(fc.string({maxLength: 20}), fc.constantFrom(...SPICE)),
      truncate: fc.boolean(),
      shuffle: fc.boolean(),
    })
    .map(({index, at, cut, insert, truncate, shuffle}) => {
      let sample = samples[index % samples.length] ?? ''
      if (shuffle) {
        const lines = sample.split('\n')
        const k = lines.length === 0 ? 0 : at % lines.length
        sample = [...lines.slice(k), ...lines.slice(0, k)].join('\n')
      }
      const pos = sample.length === 0 ? 0 : at % sample.length
      const mutated = sample.slice(0, pos) + insert + sample.slice(pos + cut)
      return truncate ? mutated.slice(0, pos + insert.length) : mutated
    })
}

export function anyText(samples: string[]): fc.Arbitrary<string> {
  const bytes = fc.uint8Array({maxLength: 400})
  return fc.oneof(
    fc.string({maxLength: 300}),
    fc.string({unit: 'binary', maxLength: 200}),
    fc.stringMatching(/^[ -~\t\n]{0,300}$/),
    bytes.map((b) => Buffer.from(b).toString('latin1')),
    bytes.map((b) => Buffer.from(b).toString('utf8')),
    mutatedSample(samples),
    mutatedSample(samples),
  )
}

export function expectWellFormed<T>(result: Parsed<T>): void {
  expect(typeof result.ok).toBe('boolean')
  expect(Array.isArray(result.problems)).toBe(true)
  for (const p of result.problems) expect(p.message).not.toMatch(/internal parser error/)
  if (result.ok) expect(result.value).toBeDefined()
  else expect(result.problems.length).toBeGreaterThan(0)
}

export function neverThrows<T>(samples: string[], parse: (text: string) => Parsed<T>, numRuns = 500): void {
  fc.assert(
    fc.property(anyText(samples), (text) => {
      expectWellFormed(parse(text))
    }),
    {numRuns},
  )
}

/** Unwraps a result that must have parsed, failing the test with its problems otherwise. */
export function value<T>(result: Parsed<T>): T {
  if (!result.ok) throw new Error(`expected a value, got problems: ${JSON.stringify(result.problems)}`)
  return result.value
}
