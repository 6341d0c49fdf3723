/**
 * The lab's FIXED scenario (issue 14): scenario A's image (the incident's configuration) repaired by
 * `kdumpcheck fix --root`, booted with the lines its repaired grub files give, crashed with sysrq-c as
 * in the incident. The disk held a 767 MiB vmcore (lab run 2026-12-07 21:19); explain must read the
 * same from the console alone and blame nothing.
 */
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {explainInputs} from '../../src/explain/explain.js'

const log = path.resolve(import.meta.dirname, '../../fixtures/lab-logs/FIXED/serial.log')

describe('explain on the lab FIXED console (A repaired by kdumpcheck fix)', () => {
  it('reads a written vmcore, the capture kernel Xen ran, and no cause', async () => {
    const r = await explainInputs([log])
    expect(r.verdict).toMatchObject({outcome: 'vmcore-written', vmcore: 'written', capture_kernel_ran: true, first_broken_link: null})
    expect(r.causes.filter((c) => c.role === 'root' || c.role === 'contributing')).toEqual([])
  })
})
