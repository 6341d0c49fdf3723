/** explain's first screen says the answer (issue 16): the verdict, and what to do about it, before the story. */
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'

describe('explain text: the first screen says the answer', () => {
  it('names the root cause and the checks that find it within the first screen, wrapped to COLUMNS', () => {
    const {status, stdout} = runCli(['explain', 'fixtures/incident/console-oob.log', 'fixtures/incident/messages.log'], {env: {COLUMNS: '80'}})
    expect(status).toBe(1)
    const lines = stdout.split('\n')
    expect(lines[0]).toMatch(/^VERDICT: No vmcore/)
    const first = lines.slice(0, 16).join('\n')
    expect(first).toMatch(/ {2}what to do {9}No capture kernel was loaded, so none ran\./)
    expect(first.replace(/\s+/g, ' ')).toMatch(/KD202, KD300, KD301, KD101, KD104 find this before the next crash/)
    // The VERDICT line stays one line (the answer, grepped); everything under it wraps.
    for (const line of lines.slice(1, 16)) expect(line.length, line).toBeLessThanOrEqual(80)
  })
})
