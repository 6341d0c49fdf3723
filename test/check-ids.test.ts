/** The configuration's list of check IDs (src/severity.ts) is the catalogue's, in order. */
import {describe, expect, it} from 'vitest'
import {ALL_CHECKS} from '../src/checks/index.js'
import {CHECK_IDS} from '../src/severity.js'

describe('CHECK_IDS', () => {
  it('equals the IDs of every check in the catalogue', () => {
    expect([...CHECK_IDS]).toEqual(ALL_CHECKS.map((c) => c.meta.id))
  })
})
