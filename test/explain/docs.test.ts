/** docs/explain.md documents the JSON contract: every outcome, link, cause ID and event kind the code can produce. */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {CAUSE_IDS} from '../../src/explain/causes.js'
import {explainInputs} from '../../src/explain/explain.js'

const root = path.resolve(import.meta.dirname, '../..')
const doc = readFileSync(path.join(root, 'docs/explain.md'), 'utf8')

describe('docs/explain.md', () => {
  it('names the schema and every top-level and verdict field of a real document', async () => {
    const r = await explainInputs([path.join(root, 'fixtures/lab-logs/B-kdt/serial.log')])
    expect(doc).toContain(`\`${r.schema}\``)
    for (const key of Object.keys(r)) expect(doc).toContain(`\`${key}`)
    for (const key of Object.keys(r.verdict)) expect(doc).toContain(`\`verdict.${key}\``)
    for (const key of Object.keys(r.inputs[0]!)) expect(doc).toContain(key)
  })

  it('documents every outcome and chain link', () => {
    for (const outcome of ['vmcore-written', 'dump-empty', 'dump-failed', 'capture-kernel-failed', 'nothing-loaded', 'no-dump-attempted', 'unknown']) expect(doc).toContain(`| \`${outcome}\` |`)
    for (const link of ['crash', 'hand-off', 'region', 'image', 'capture-kernel', 'collector', 'vmcore']) expect(doc).toContain(`\`${link}\``)
  })

  it('documents every cause ID', () => {
    for (const id of CAUSE_IDS) expect(doc).toContain(`| \`${id}\` |`)
  })

  it('documents every event kind (the cases of describeEvent, which TypeScript keeps exhaustive)', () => {
    const source = readFileSync(path.join(root, 'src/explain/describe.ts'), 'utf8')
    const kinds = [...source.matchAll(/^\s+case '([a-z-]+)':/gm)].map((m) => m[1]!)
    expect(kinds.length).toBeGreaterThan(40)
    for (const kind of kinds) expect(doc).toContain(`\`${kind}\``)
  })
})
