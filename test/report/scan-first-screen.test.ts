/** scan's text summary says the answer on its first screen (issue 16): the headline, the verdicts, the worst hosts. */
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'

describe('scan text: the first screen says the answer', () => {
  it('opens with how many hosts will not leave a vmcore and the most common failure, then the worst hosts', () => {
    const {status, stdout} = runCli(['scan', '--snapshots', 'fixtures/hosts'])
    expect(status).toBe(1)
    const lines = stdout.split('\n')
    expect(lines[2]).toMatch(/^NOT READY: \d+ of \d+ hosts will not leave a vmcore after a crash; \d+ more cannot be verified; \d+ READY\.$/)
    expect(lines[3]).toMatch(/^Most common failure: KD\d{3} .+ \(\d+ hosts\); `kdumpcheck rules KD\d{3}` for the fix\.$/)
    const firstScreen = lines.slice(0, 24).join('\n')
    expect(firstScreen).toMatch(/Hosts by verdict/)
    expect(firstScreen).toMatch(/Worst hosts\n.*\n {2}incident-el5xen +NOT READY +fails KD101/)
  })
})
