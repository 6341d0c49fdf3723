/** The golden-file rule (issue 13): a test never writes its own expectation; updating is an opt-in refused in CI. */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {envFlag, expectGolden, mayUpdate} from './golden.js'

const dir = mkdtempSync(path.join(tmpdir(), 'kdumpcheck-golden-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('golden files', () => {
  it('a missing golden file fails and is not created', () => {
    const file = path.join(dir, 'missing.txt')
    expect(() => expectGolden(file, 'output\n', {})).toThrow(/golden file .*missing\.txt is missing/)
    expect(existsSync(file)).toBe(false)
  })

  it('a golden file that differs fails', () => {
    const file = path.join(dir, 'differs.txt')
    writeFileSync(file, 'old\n')
    expect(() => expectGolden(file, 'new\n', {})).toThrow(/output differs/)
    expect(readFileSync(file, 'utf8')).toBe('old\n')
    expectGolden(file, 'old\n', {})
  })

  it('UPDATE_GOLDEN=1 writes it outside CI, and is refused (nothing written) when CI is set', () => {
    const file = path.join(dir, 'update.txt')
    expect(() => expectGolden(file, 'ci\n', {UPDATE_GOLDEN: '1', CI: 'true'})).toThrow(/refused when CI is set/)
    expect(existsSync(file)).toBe(false)
    expectGolden(file, 'blessed\n', {UPDATE_GOLDEN: '1'})
    expect(readFileSync(file, 'utf8')).toBe('blessed\n')
    expectGolden(file, 'blessed\n', {UPDATE_GOLDEN: '1', CI: 'false'})
  })

  it('reads flags as CI systems set them', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map((v) => envFlag('X', v === undefined ? {} : {X: v}))).toEqual([false, false, false, false, false])
    expect(['1', 'true', 'yes'].map((v) => envFlag('X', {X: v}))).toEqual([true, true, true])
    expect(mayUpdate('UPDATE_DOCS', {})).toBe(false)
    expect(() => mayUpdate('UPDATE_DOCS', {UPDATE_DOCS: '1', CI: '1'})).toThrow(/refused/)
  })
})
