/** The README's example of the text report is the real output (the 80-column golden file), not a memory of it. */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')

describe('README example', () => {
  it('shows the incident report exactly as test/golden/incident.80.txt holds it', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const block = /<!-- incident-80 -->\n```text\n([\s\S]*?)\n```\n<!-- \/incident-80 -->/.exec(readme)
    expect(block, 'README.md has the incident-80 example block').not.toBeNull()
    expect(block![1]).toBe(readFileSync(path.join(ROOT, 'test/golden/incident.80.txt'), 'utf8'))
  })
})
